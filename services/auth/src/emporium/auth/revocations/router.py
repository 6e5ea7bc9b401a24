"""`GET /.well-known/revocations.json`: the list every verifier refreshes every few seconds."""

from __future__ import annotations

from fastapi import APIRouter, Response

from emporium.auth.dependencies import SettingsDep
from emporium.auth.revocations import service
from emporium.auth.revocations.schemas import RevocationListDocument
from emporium.servicekit.db import SessionDep

router = APIRouter(prefix="/.well-known", tags=["keys"])


@router.get("/revocations.json", summary="Revoked access tokens and retired account tokens")
async def revocations(
    settings: SettingsDep, session: SessionDep, response: Response
) -> RevocationListDocument:
    """Access tokens that must be refused before they expire (ids as SHA-256 digests)."""
    response.headers["Cache-Control"] = "no-cache"
    current = await service.revocation_list(settings=settings, session=session)
    return RevocationListDocument.model_validate(current.to_json())
