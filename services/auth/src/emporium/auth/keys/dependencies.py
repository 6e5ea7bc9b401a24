"""Dependency aliases of the keys domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from emporium.auth.keys.service import KeyRing


async def get_keyring(request: Request) -> KeyRing:
    """The app's signing keys (loaded when the app is built)."""
    keyring: KeyRing = request.app.state.keyring
    return keyring


KeyRingDep = Annotated[KeyRing, Depends(get_keyring)]
