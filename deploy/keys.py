"""Create the local secrets a first deployment needs; never overwrite one that exists.

    python3 deploy/keys.py            # compose: secrets/ and .env (from .env.example)
    python3 deploy/keys.py --k8s      # also k8s/overlays/dev/secrets/ (kustomize dev overlay)
    python3 deploy/keys.py --k8s-only --root DIR   # only the k8s files, under DIR

Everything written is git-ignored. Needs only the standard library plus either the
`cryptography` package or the `openssl` command for the RSA signing key.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASES = ("auth", "catalog", "orders")
K8S_DEV_SECRETS = Path("k8s/overlays/dev/secrets")
ADMIN_EMAIL = "admin@example.com"
_EMPTY_PASSWORD = re.compile(r"^(?P<name>[A-Z0-9_]*PASSWORD)=[ \t]*$", re.MULTILINE)


def new_password() -> str:
    """A random password that is safe inside URLs, shells and .env files."""
    return secrets.token_hex(24)


def rsa_private_pem() -> bytes:
    """A new RSA-2048 private key, PKCS#8 PEM."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            raise SystemExit("keys: need the `cryptography` package or `openssl`") from None
        return subprocess.run(  # nosec B603 # noqa: S603 (a fixed command line)
            [openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            check=True,
            capture_output=True,
        ).stdout
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_new(path: Path, data: bytes, mode: int) -> bool:
    """Write `data` to `path` with `mode` unless the file exists; True when written."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(path, mode)  # not narrowed by the umask
    sys.stdout.write(f"keys: wrote {path}\n")
    return True


def private_folder(path: Path) -> Path:
    """Create `path` (and parents) and make it enterable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def read_env(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a dotenv file (comments and blanks skipped)."""
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def compose_secrets(root: Path) -> None:
    """secrets/ for compose, and .env from .env.example with its passwords filled in."""
    # Compose bind-mounts file secrets as they are; the container's unprivileged user must
    # read them, so the files are 0644 inside a 0700 folder only you can enter.
    folder = private_folder(root / "secrets")
    write_new(folder / "jwt_signing_key.pem", rsa_private_pem(), 0o644)
    write_new(folder / "orders_client_secret", secrets.token_urlsafe(32).encode(), 0o644)
    template = (root / ".env.example").read_text(encoding="utf-8")
    env = _EMPTY_PASSWORD.sub(lambda m: f"{m.group('name')}={new_password()}", template)
    write_new(root / ".env", env.encode(), 0o600)


def k8s_dev_secrets(root: Path) -> None:
    """The files the dev overlay's secretGenerator reads (k8s/overlays/dev/secrets/)."""
    folder = private_folder(root / K8S_DEV_SECRETS)
    write_new(folder / "jwt_signing_key.pem", rsa_private_pem(), 0o600)
    write_new(folder / "orders_client_secret", secrets.token_urlsafe(32).encode(), 0o600)
    names = ["POSTGRES_PASSWORD", *(f"PG_{db.upper()}_PASSWORD" for db in DATABASES)]
    postgres_env = folder / "postgres.env"
    write_new(postgres_env, "".join(f"{n}={new_password()}\n" for n in names).encode(), 0o600)
    passwords = read_env(postgres_env)
    for db in DATABASES:
        password = passwords[f"PG_{db.upper()}_PASSWORD"]
        url = f"postgresql+asyncpg://{db}:{password}@postgres:5432/{db}"
        write_new(folder / f"{db}-database-url", url.encode(), 0o600)
    admin = f"email={ADMIN_EMAIL}\npassword={new_password()}\n"
    write_new(folder / "admin.env", admin.encode(), 0o600)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write what is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository root")
    parser.add_argument("--k8s", action="store_true", help="also the k8s dev overlay secrets")
    parser.add_argument("--k8s-only", action="store_true", help="only the k8s dev secrets")
    args = parser.parse_args(argv)
    if not args.k8s_only:
        compose_secrets(args.root)
    if args.k8s or args.k8s_only:
        k8s_dev_secrets(args.root)


if __name__ == "__main__":
    main(sys.argv[1:])
