"""Service-wide dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from emporium.auth.settings import AuthSettings


async def get_app_settings(request: Request) -> AuthSettings:
    """The settings the app was built with."""
    settings: AuthSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[AuthSettings, Depends(get_app_settings)]
