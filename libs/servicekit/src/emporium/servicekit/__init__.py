"""Emporium's shared service library. Its modules are its API: import from them by name.

The package itself exports nothing, so that importing one module (the container probe, say)
loads only what that module needs. The modules, by what a service does with them:

Building an app
- `app`: `create_app`, the factory every service and the gateway start from.
- `settings`: `ServiceSettings`, the base of every part's settings.
- `health`: liveness and readiness endpoints.
- `background`: periodic jobs owned by an app's lifespan.
- `migrations`: alembic's `env.py` in a few lines and each service's migrate command.
- `embedded_pg`: a real PostgreSQL in a folder, for `make run` and the tests.

Requests and answers
- `errors`: the domain exceptions services raise; one handler maps them to problems.
- `problems`, `problem_schemas`: RFC 9457 problem+json answers and their documented shapes.
- `openapi`, `operation_ids`: OpenAPI that says what each operation answers.
- `input_guard`, `body_limit`: checks of every string and body before any route sees them.
- `cursors`: keyset-pagination cursors, opaque to clients and checked when they come back.
- `middleware`, `context`, `security_headers`: request ids, trace context, access logs,
  metrics and browser-safety headers.

Data
- `db`: metadata naming, the engine and the session dependencies.
- `read_connection`: raw SQL on the driver connection, for the hottest reads.

Identity
- `tokens`, `jwks`: local verification of RS256 access tokens against the JWKS.
- `security`: the principal and scope dependencies.
- `revocations`: revoked tokens and account changes, applied by every verifier.

Calling other services
- `service_client`: timeouts, safe retries and a circuit breaker for calls to other services.
- `resilience`: the one circuit breaker, retry policy and set of idempotent methods, shared
  by the service client and the gateway's proxy.
- `upstream_errors`: what an upstream's failure means (its domain error; delivered or not).
- `client_credentials`: OAuth2 client-credentials tokens for those calls.

Observing
- `logs`, `metrics`, `telemetry`: JSON logs, Prometheus metrics and OpenTelemetry tracing.
- `probe`: the container healthcheck (standard library only).

Testing
- `testing`: the pytest plugin every package's tests use.
- `otlp_receiver`: an OTLP/HTTP receiver that decodes what a collector would get.
"""
