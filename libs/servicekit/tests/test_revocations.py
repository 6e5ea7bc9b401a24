"""The revocation list every verifier applies, and how it survives an unreachable auth."""

from __future__ import annotations

import httpx
import pytest

from emporium.servicekit.revocations import RevocationList, Revocations, digest, http_source
from emporium.servicekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenFactory
from emporium.servicekit.tokens import InvalidToken, TokenVerifier


def test_a_listed_token_or_an_older_generation_is_revoked() -> None:
    listed = RevocationList(frozenset({digest("jti-1")}), {digest("user-1"): 2})
    assert listed.revokes({"jti": "jti-1", "sub": "someone"})
    assert listed.revokes({"jti": "j", "sub": "user-1", "gen": 1})
    assert listed.revokes({"jti": "j", "sub": "user-1"})  # issued before generations existed
    assert listed.revokes({"jti": "j", "sub": "user-1", "gen": "2"})  # not an integer
    assert not listed.revokes({"jti": "j", "sub": "user-1", "gen": 2})
    assert not listed.revokes({"jti": "j", "sub": "user-2"})


@pytest.mark.parametrize(
    "payload",
    [[], {"access_tokens": "x", "subjects": {}}, {"access_tokens": [], "subjects": {"a": "1"}}],
)
def test_a_malformed_document_is_refused(payload: object) -> None:
    with pytest.raises(ValueError, match=r"must|object"):
        RevocationList.from_json(payload)


async def test_the_verifier_refuses_a_cached_token_once_the_list_names_it(
    token_factory: TokenFactory,
) -> None:
    served: dict[str, object] = {"access_tokens": [], "subjects": {}}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=served)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        revocations = Revocations(http_source("http://auth/revocations.json", client))
        verifier = TokenVerifier(
            token_factory.key_provider(),
            issuer=TEST_ISSUER,
            audience=TEST_AUDIENCE,
            revocations=revocations,
        )
        token = token_factory.issue(sub="user-7")
        await revocations.refresh()
        assert (await verifier.verify(token)).subject == "user-7"  # now cached

        served["subjects"] = {digest("user-7"): 1}
        await revocations.refresh()
        with pytest.raises(InvalidToken, match="revoked"):
            await verifier.verify(token)


async def test_an_unreachable_source_keeps_the_last_list() -> None:
    answers = iter([httpx.Response(200, json={"access_tokens": ["d"], "subjects": {}})])

    def handler(request: httpx.Request) -> httpx.Response:
        try:
            return next(answers)
        except StopIteration:
            raise httpx.ConnectError("auth is down", request=request) from None

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        revocations = Revocations(http_source("http://auth/revocations.json", client))
        await revocations.refresh()
        await revocations.refresh()
        assert revocations.current.access_tokens == {"d"}
        assert revocations.refreshes == 1
