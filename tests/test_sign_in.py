"""Signing in: passwords, expiring bearer tokens, API tokens for admin scripts, anonymous callers."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest

from tests.conftest import TEST_SECRET
from tests.county import PASSWORD, build_county

ME = "{ me { username role county { code } official { code } } }"
CREATE_TOKEN = """mutation($name: String!) { createApiToken(input: {name: $name}) {
  __typename
  ... on ApiTokenCreated { token apiToken { id name prefix revokedAt } }
  ... on MutationError { code field message } } }"""
REVOKE_TOKEN = """mutation($id: ID!) { revokeApiToken(input: {id: $id}) {
  __typename ... on ApiTokenPayload { apiToken { revokedAt } } ... on MutationError { code field } } }"""


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


async def test_an_official_signs_in_and_sees_who_they_are(api, county):
    token = await api.login(county.account("VM1"), PASSWORD)
    data = await api.ok(ME, token=token)
    assert data["me"] == {"username": county.account("VM1"), "role": "OFFICIAL",
                          "county": {"code": county.code}, "official": {"code": "VM1"}}


async def test_a_wrong_password_is_refused_with_a_typed_error(api, county):
    response = await api.call(
        'mutation { login(username: "admin.yanjin", password: "guess") { __typename ... on MutationError { code field } } }'
    )
    assert response.data["login"] == {"__typename": "MutationError", "code": "INVALID_CREDENTIALS",
                                      "field": "password"}


async def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(api, county):
    response = await api.call(
        'mutation { login(username: "nobody", password: "whatever1") { __typename ... on MutationError { code field } } }'
    )
    assert response.data["login"]["code"] == "INVALID_CREDENTIALS"


async def test_the_bearer_token_expires(api, county):
    token = await api.login(county.account("VM1"), PASSWORD)
    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"])
    assert dt.timedelta(hours=1) <= dt.timedelta(seconds=claims["exp"] - claims["iat"]) <= dt.timedelta(hours=12)
    expired = jwt.encode({**claims, "exp": claims["iat"] - 60}, TEST_SECRET, algorithm="HS256")
    assert (await api.call(ME, token=expired)).error_codes == ["TOKEN_EXPIRED"]


async def test_a_token_signed_with_another_key_is_refused(api, county):
    token = await api.login(county.account("VM1"), PASSWORD)
    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"])
    forged = jwt.encode(claims, "some-other-key-that-is-long-enough-0123", algorithm="HS256")
    assert (await api.call(ME, token=forged)).error_codes == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("query", [
    ME,
    "{ officials { totalCount } }",
    "{ departments { edges { node { name } } } }",
    "{ counties { edges { node { code } } } }",
])
async def test_anonymous_callers_see_nothing_but_login(api, county, query):
    response = await api.call(query)
    assert response.data is None
    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_anonymous_callers_cannot_change_anything(api, county):
    response = await api.call('mutation { addOfficial(input: {code: "X", name: "X", rankOrder: 9}) { __typename } }')
    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_an_admin_script_token_is_shown_once_works_and_stops_when_revoked(api, county):
    admin = await api.login(county.admin, PASSWORD)
    created = (await api.ok(CREATE_TOKEN, {"name": "nightly roster sync"}, token=admin))["createApiToken"]
    assert created["__typename"] == "ApiTokenCreated"
    script_token = created["token"]
    assert script_token.startswith(created["apiToken"]["prefix"])
    assert (await api.ok(ME, token=script_token))["me"]["username"] == county.admin

    revoked = await api.ok(REVOKE_TOKEN, {"id": created["apiToken"]["id"]}, token=admin)
    assert revoked["revokeApiToken"]["apiToken"]["revokedAt"] is not None
    assert (await api.call(ME, token=script_token)).error_codes == ["UNAUTHENTICATED"]


async def test_only_a_digest_of_the_api_token_is_stored(api, sessions, county):
    from sqlalchemy import select

    from db.models import ApiToken

    admin = await api.login(county.admin, PASSWORD)
    token = (await api.ok(CREATE_TOKEN, {"name": "audit export"}, token=admin))["createApiToken"]["token"]
    async with sessions() as session:
        row = (await session.execute(select(ApiToken))).scalar_one()
    assert token not in (row.token_digest, row.prefix, row.name)
    assert len(row.token_digest) == 64


async def test_an_official_cannot_create_api_tokens(api, county):
    token = await api.login(county.account("VM1"), PASSWORD)
    created = (await api.ok(CREATE_TOKEN, {"name": "mine"}, token=token))["createApiToken"]
    assert created["__typename"] == "MutationError"
    assert created["code"] == "FORBIDDEN"


async def test_an_admin_cannot_revoke_another_countys_token(api, sessions, county):
    other = await build_county(sessions, code="lulong")
    other_admin = await api.login(other.admin, PASSWORD)
    created = (await api.ok(CREATE_TOKEN, {"name": "lulong sync"}, token=other_admin))["createApiToken"]
    admin = await api.login(county.admin, PASSWORD)
    refused = (await api.ok(REVOKE_TOKEN, {"id": created["apiToken"]["id"]}, token=admin))["revokeApiToken"]
    assert refused == {"__typename": "MutationError", "code": "NOT_FOUND", "field": "id"}
    assert (await api.ok(ME, token=created["token"]))["me"]["username"] == other.admin
