"""Auth settings (env prefix `AUTH_`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from emporium.servicekit.settings import ServiceSettings

DEFAULT_TRUSTED_PROXIES = (
    "127.0.0.0/8",
    "::1/128",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "fc00::/7",
)
PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "password", "admin123"})


class ClientConfig(BaseModel):
    """One service client allowed to use the client-credentials grant."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    secret: SecretStr | None = None
    secret_file: Path | None = None
    scopes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_secret(self) -> ClientConfig:
        if (self.secret is None) == (self.secret_file is None):
            raise ValueError("give exactly one of `secret` and `secret_file`")
        return self

    def read_secret(self) -> str:
        """The client's secret, from the config or its file (surrounding blanks stripped)."""
        if self.secret is not None:
            return self.secret.get_secret_value()
        assert self.secret_file is not None
        return self.secret_file.read_text(encoding="utf-8").strip()


class AuthSettings(ServiceSettings):
    """Settings of the auth service."""

    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore", frozen=True)

    service_name: ClassVar[str] = "auth"
    service_title: ClassVar[str] = "Emporium Auth"

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/auth"

    signing_key_files: list[Path] = Field(default_factory=list)
    signing_keys: list[SecretStr] = Field(default_factory=list)
    clients: dict[str, ClientConfig] = Field(default_factory=dict)

    admin_email: str | None = None
    admin_password: SecretStr | None = None
    admin_full_name: str = "Administrator"

    access_token_ttl: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl: int = Field(default=14 * 86_400, ge=60)

    # Sign-in: free failures per (account, address) and per address, then growing delays.
    login_free_failures: int = Field(default=5, ge=0)
    login_free_failures_per_address: int = Field(default=20, ge=0)
    login_delay_base_seconds: float = Field(default=1.0, gt=0)
    login_delay_max_seconds: float = Field(default=300.0, gt=0)
    login_forget_after_seconds: float = Field(default=900.0, gt=0)
    # Registration runs argon2 (64 MiB): a few per address, then growing delays.
    registrations_free_per_address: int = Field(default=10, ge=0)
    registration_delay_base_seconds: float = Field(default=60.0, gt=0)
    registration_delay_max_seconds: float = Field(default=3600.0, gt=0)
    registration_forget_after_seconds: float = Field(default=3600.0, gt=0)
    # Password hashes computed at once; None: one less than the CPUs (at least one).
    password_hash_concurrency: int | None = Field(default=None, ge=1)
    password_hash_queue: int = Field(default=64, ge=0)
    trusted_proxies: list[str] = Field(default_factory=lambda: list(DEFAULT_TRUSTED_PROXIES))

    @model_validator(mode="after")
    def _keys_in_production(self) -> AuthSettings:
        if self.environment == "production" and not (self.signing_key_files or self.signing_keys):
            raise ValueError(
                "AUTH_SIGNING_KEY_FILES or AUTH_SIGNING_KEYS must be set in production"
            )
        if (self.admin_email is None) != (self.admin_password is None):
            raise ValueError("set both AUTH_ADMIN_EMAIL and AUTH_ADMIN_PASSWORD, or neither")
        if self.admin_password is not None:
            password = self.admin_password.get_secret_value()
            if not 8 <= len(password) <= 128:
                raise ValueError("AUTH_ADMIN_PASSWORD must be 8 to 128 characters")
            if self.environment == "production" and password in PLACEHOLDER_SECRETS:
                raise ValueError("AUTH_ADMIN_PASSWORD must be set to a real secret in production")
        return self


@lru_cache
def get_settings() -> AuthSettings:
    """The process-wide settings, read once from the environment."""
    return AuthSettings()
