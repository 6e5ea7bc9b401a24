# syntax=docker/dockerfile:1
#
# Emporium images, one target per part, always built from the repository root:
#
#   docker build --target auth    -t emporium/auth .
#   docker build --target catalog -t emporium/catalog .
#   docker build --target orders  -t emporium/orders .
#   docker build --target gateway -t emporium/gateway .
#
# Stages:  base ─┬─ builder ── deps-<part> ── build-<part> ─┐
#                └─ runtime ───────────────────────────────── <part>
# deps-<part> installs the third-party wheels the part needs (pinned by constraints.txt)
# from nothing but pyproject.toml files, so it stays cached until a dependency changes;
# build-<part> then installs our own packages from source (non-editable, no dev tools).
# The final images hold only /opt/venv and run as an unprivileged user.
#
# Migrations are a separate command on the same image, never run at server start-up:
#   docker run --rm emporium/auth python -m emporium.auth.migrate

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# checkov:skip=CKV_DOCKER_7:the tag is in PYTHON_IMAGE above (a build arg, for mirrors), not latest
FROM ${PYTHON_IMAGE} AS base
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# ---------------------------------------------------------------------------- build stages
FROM base AS builder
RUN python -m venv /opt/venv
WORKDIR /src
COPY constraints.txt deploy/docker/requirements.py ./
COPY libs/servicekit/pyproject.toml libs/servicekit/

FROM builder AS deps-auth
COPY services/auth/pyproject.toml services/auth/
RUN --mount=type=cache,target=/root/.cache/pip \
    python requirements.py libs/servicekit services/auth > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt

FROM builder AS deps-catalog
COPY services/catalog/pyproject.toml services/catalog/
RUN --mount=type=cache,target=/root/.cache/pip \
    python requirements.py libs/servicekit services/catalog > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt

FROM builder AS deps-orders
COPY services/orders/pyproject.toml services/orders/
RUN --mount=type=cache,target=/root/.cache/pip \
    python requirements.py libs/servicekit services/orders > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt

FROM builder AS deps-gateway
COPY gateway/pyproject.toml gateway/
RUN --mount=type=cache,target=/root/.cache/pip \
    python requirements.py libs/servicekit gateway > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt

FROM deps-auth AS build-auth
COPY libs/servicekit/src libs/servicekit/src
COPY services/auth/src services/auth/src
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -c constraints.txt ./libs/servicekit ./services/auth && pip check

FROM deps-catalog AS build-catalog
COPY libs/servicekit/src libs/servicekit/src
COPY services/catalog/src services/catalog/src
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -c constraints.txt ./libs/servicekit ./services/catalog && pip check

FROM deps-orders AS build-orders
COPY libs/servicekit/src libs/servicekit/src
COPY services/orders/src services/orders/src
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -c constraints.txt ./libs/servicekit ./services/orders && pip check

FROM deps-gateway AS build-gateway
COPY libs/servicekit/src libs/servicekit/src
COPY gateway/src gateway/src
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -c constraints.txt ./libs/servicekit ./gateway && pip check

# --------------------------------------------------------------------------- runtime stage
FROM base AS runtime
RUN groupadd --system --gid 10001 emporium \
    && useradd --system --uid 10001 --gid emporium --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin emporium
# Bytecode is compiled at install time; the root filesystem may be read-only.
# FORWARDED_ALLOW_IPS: whose X-Forwarded-* uvicorn trusts. Services are reached only
# through the gateway, so any peer; an edge that faces clients directly overrides it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    FORWARDED_ALLOW_IPS=*
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# The probe is a module, not `python -c "..."`: Podman splits exec-form arguments at spaces.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "emporium.servicekit.probe", "http://127.0.0.1:8000/healthz"]

# ---------------------------------------------------------------- the images (one per part)
# Every image serves its app factory on port 8000 with the same server flags; the gateway's
# own HTTP protocol adds a deadline for request headers and a connection cap (the edge faces
# clients).
FROM runtime AS auth
COPY --from=build-auth /opt/venv /opt/venv
CMD ["uvicorn", "--factory", "emporium.auth.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--lifespan", "on", "--no-access-log", "--no-server-header", "--timeout-graceful-shutdown", "20"]

FROM runtime AS catalog
COPY --from=build-catalog /opt/venv /opt/venv
CMD ["uvicorn", "--factory", "emporium.catalog.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--lifespan", "on", "--no-access-log", "--no-server-header", "--timeout-graceful-shutdown", "20"]

FROM runtime AS orders
COPY --from=build-orders /opt/venv /opt/venv
CMD ["uvicorn", "--factory", "emporium.orders.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--lifespan", "on", "--no-access-log", "--no-server-header", "--timeout-graceful-shutdown", "20"]

FROM runtime AS gateway
COPY --from=build-gateway /opt/venv /opt/venv
CMD ["uvicorn", "--factory", "emporium.gateway.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--lifespan", "on", "--no-access-log", "--no-server-header", "--timeout-graceful-shutdown", "20", "--http=emporium.gateway.server:GatewayHttpProtocol"]
