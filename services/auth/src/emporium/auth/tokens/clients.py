"""Configured service clients (client-credentials grant) and client authentication."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus

from emporium.auth.passwords import PasswordHasher
from emporium.auth.settings import ClientConfig
from emporium.auth.tokens.exceptions import invalid_client, invalid_request
from emporium.auth.users.roles import ISSUED_SCOPES

logger = logging.getLogger("emporium.auth.clients")


@dataclass(frozen=True, slots=True)
class Client:
    """A service client; only the argon2 hash of its secret is kept."""

    client_id: str
    secret_hash: str
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class PresentedClient:
    """Credentials a request presented (HTTP Basic or form fields)."""

    client_id: str
    secret: str | None


class ClientRegistry:
    """The clients from AUTH_CLIENTS, their secrets hashed at start-up."""

    def __init__(self, clients: Mapping[str, Client]) -> None:
        self._clients = dict(clients)

    @classmethod
    async def from_config(
        cls, config: Mapping[str, ClientConfig], passwords: PasswordHasher
    ) -> ClientRegistry:
        """Read each client's secret (inline or file), hash it and forget the plain text."""
        clients: dict[str, Client] = {}
        for client_id, entry in config.items():
            unknown = set(entry.scopes) - ISSUED_SCOPES
            if unknown:
                raise ValueError(f"client {client_id!r} has unknown scopes {sorted(unknown)}")
            secret = entry.read_secret()
            if not secret:
                raise ValueError(f"client {client_id!r} has an empty secret")
            clients[client_id] = Client(
                client_id, await passwords.hash(secret), frozenset(entry.scopes)
            )
        if clients:
            logger.info("service clients configured: %s", ", ".join(sorted(clients)))
        return cls(clients)

    def __contains__(self, client_id: object) -> bool:
        return client_id in self._clients

    async def authenticate(
        self, credentials: PresentedClient, passwords: PasswordHasher
    ) -> Client | None:
        """The client when the secret matches; None otherwise (same cost when unknown)."""
        client = self._clients.get(credentials.client_id)
        matches = await passwords.verify(
            credentials.secret or "", client.secret_hash if client else None
        )
        return client if matches and credentials.secret else None


def presented_credentials(
    authorization: str | None, form_id: str | None, form_secret: str | None
) -> PresentedClient | None:
    """Client credentials from `Authorization: Basic` or the form; both at once is invalid."""
    if authorization and authorization.lower().startswith("basic "):
        if form_secret:
            raise invalid_request("Use one client authentication method, not two.")
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
            raw_id, sep, raw_secret = decoded.partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise invalid_client("The Basic credentials are malformed.") from None
        if not sep or not raw_id:
            raise invalid_client("The Basic credentials are malformed.")
        client_id = unquote_plus(raw_id)
        if form_id and form_id != client_id:
            raise invalid_request("client_id does not match the Basic credentials.")
        return PresentedClient(client_id, unquote_plus(raw_secret))
    if form_id:
        return PresentedClient(form_id, form_secret)
    if form_secret:
        raise invalid_request("client_secret was given without client_id.")
    return None
