#!/usr/bin/env bash
# PostgreSQL first-start hook (/docker-entrypoint-initdb.d): one database per service, each
# owned by a login role of the same name with its own password, nobody else allowed in.
# The official image runs it once, on an empty data directory, as the superuser.
#   EMPORIUM_DATABASES   names to create (default: auth catalog orders)
#   PG_<NAME>_PASSWORD   the password of role <name>, e.g. PG_AUTH_PASSWORD (required)
# The k8s dev overlay ships a byte-identical copy (tests/deploy checks that they match).
set -euo pipefail

for name in ${EMPORIUM_DATABASES:-auth catalog orders}; do
  var="PG_${name^^}_PASSWORD"
  password="${!var:-}"
  if [ -z "$password" ]; then
    echo "init-databases: $var is not set" >&2
    exit 1
  fi
  echo "init-databases: creating role and database $name"
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";
SQL
done
