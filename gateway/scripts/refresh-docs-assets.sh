#!/usr/bin/env bash
# Refresh the pinned Swagger UI and ReDoc assets the gateway serves from /static (no CDN).
# Usage: gateway/scripts/refresh-docs-assets.sh [swagger-ui-dist version] [redoc version]
set -euo pipefail

SWAGGER_UI_VERSION="${1:-5.35.0}"
REDOC_VERSION="${2:-2.5.2}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
STATIC="$HERE/src/emporium/gateway/static"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "swagger-ui-dist@${SWAGGER_UI_VERSION}" "redoc@${REDOC_VERSION}" >/dev/null
mkdir swagger redoc
tar xzf "swagger-ui-dist-${SWAGGER_UI_VERSION}.tgz" -C swagger
tar xzf "redoc-${REDOC_VERSION}.tgz" -C redoc

mkdir -p "$STATIC/swagger-ui" "$STATIC/redoc"
for f in swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE; do
  cp "swagger/package/$f" "$STATIC/swagger-ui/$f"
done
cp redoc/package/LICENSE "$STATIC/redoc/LICENSE"
# ReDoc's sidebar logo is hard-wired to its CDN; point it at the copy served here.
sed 's#https://cdn.redoc.ly/redoc/logo-mini.svg#/static/redoc/logo-mini.svg#g' \
  redoc/package/bundles/redoc.standalone.js >"$STATIC/redoc/redoc.standalone.js"
if grep -q 'https://cdn\.' "$STATIC/redoc/redoc.standalone.js"; then
  echo "redoc.standalone.js still references a CDN; check the patch above" >&2
  exit 1
fi
sed -i "s/^swagger-ui-dist .*/swagger-ui-dist ${SWAGGER_UI_VERSION}/; s/^redoc .*/redoc ${REDOC_VERSION}/" \
  "$STATIC/VERSIONS"
echo "docs assets: swagger-ui-dist ${SWAGGER_UI_VERSION}, redoc ${REDOC_VERSION}"
