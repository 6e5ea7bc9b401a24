"""FastAPI dependencies for bearer-token authentication and scopes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes

from emporium.servicekit.errors import Forbidden, ServiceUnavailable, Unauthorized
from emporium.servicekit.jwks import KeySetUnavailable
from emporium.servicekit.tokens import InvalidToken, Principal, TokenVerifier

REALM = "emporium"
SCHEME_NAME = "OAuth2"

# The flow's token path and scopes are each app's own: `problem_openapi` documents them.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="", auto_error=False, scheme_name=SCHEME_NAME)


MAX_DESCRIPTION = 200


def _quotable(text: str) -> str:
    """`text` as RFC 6750 allows inside quotes: printable ASCII without `"` and `\\`."""
    safe = "".join(c if " " <= c <= "~" and c not in '"\\' else "?" for c in text)
    return safe if len(safe) <= MAX_DESCRIPTION else safe[: MAX_DESCRIPTION - 3] + "..."


def bearer_challenge(
    error: str | None = None, description: str | None = None, scope: str | None = None
) -> str:
    """A `WWW-Authenticate: Bearer ...` value (RFC 6750 §3)."""
    parts = [f'realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{_quotable(description)}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return "Bearer " + ", ".join(parts)


def unauthorized(detail: str, *, error: str | None = "invalid_token") -> Unauthorized:
    """A 401 domain error carrying the bearer challenge."""
    return Unauthorized(
        detail, headers={"WWW-Authenticate": bearer_challenge(error, detail if error else None)}
    )


def keys_unavailable(exc: KeySetUnavailable) -> ServiceUnavailable:
    """The 503 for a token that cannot be checked because auth's keys are out of reach."""
    return ServiceUnavailable(
        f"The access token cannot be verified right now: {exc} from the auth service.",
        headers={"Retry-After": str(exc.retry_after)},
    )


def get_verifier(request: Request) -> TokenVerifier:
    """The app's token verifier (created in the lifespan)."""
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


async def get_principal(
    security_scopes: SecurityScopes,
    request: Request,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    """Verify the bearer token and, when scopes are required, that they were granted."""
    if not token:
        raise unauthorized("A bearer token is required.", error=None)
    try:
        principal = await get_verifier(request).verify(token)
    except InvalidToken as exc:
        raise unauthorized(f"The access token is invalid: {exc}.") from exc
    except KeySetUnavailable as exc:
        raise keys_unavailable(exc) from exc
    missing = [s for s in security_scopes.scopes if s not in principal.scopes]
    if missing:
        needed = " ".join(security_scopes.scopes)
        raise Forbidden(
            f"This operation needs the scope(s): {', '.join(missing)}.",
            extra={"required_scopes": security_scopes.scopes},
            headers={"WWW-Authenticate": bearer_challenge("insufficient_scope", scope=needed)},
        )
    return principal


def require_scopes(*scopes: str) -> Any:
    """A dependency marker: a verified principal holding every scope in `scopes`."""
    return Security(get_principal, scopes=list(scopes))


PrincipalDep = Annotated[Principal, Security(get_principal)]
