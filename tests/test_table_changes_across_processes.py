"""A county administrator edits the signing table through one server process; another obeys within a second."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.county import PASSWORD, build_county
from tests.live_server import server_process
from tests.test_documents import DRAFT

PREDICTED_SIGNERS = """query($id: ID!) { node(id: $id) { ... on Document {
  predictedChain { action assignees { official { code } } } } } }"""
ADD_RULE = """mutation($rule: SigningRuleInput!) { addSigningRule(input: $rule) {
  __typename ... on SigningRulePayload { signingRule { id rule article } } ... on MutationError { code field message } } }"""


async def _gql(client: httpx.AsyncClient, url: str, query: str, variables: dict, token: str) -> dict:
    reply = await client.post(url, json={"query": query, "variables": variables},
                              headers={"Authorization": f"Bearer {token}"})
    body = reply.json()
    assert "errors" not in body, body
    return body["data"]


async def _login(client: httpx.AsyncClient, url: str, username: str) -> str:
    reply = await client.post(url, json={"query": 'mutation($u: String!, $p: String!) { login(username: $u, '
                                                  'password: $p) { ... on LoginSuccess { token } } }',
                                         "variables": {"u": username, "p": PASSWORD}})
    return reply.json()["data"]["login"]["token"]


async def test_a_new_row_added_through_one_process_routes_documents_in_the_other_within_a_second(
        settings, sessions, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("one process per SQLite file: cross-process notification is PostgreSQL's LISTEN/NOTIFY")
    county = await build_county(sessions)
    with server_process(settings) as first, server_process(settings) as second:
        async with httpx.AsyncClient(timeout=10) as client:
            drafter = await _login(client, second.graphql_url, county.account("EDU"))
            admin = await _login(client, first.graphql_url, county.admin)
            draft = await _gql(client, second.graphql_url, DRAFT, {"d": {
                "title": "关于学期安排的通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
                "direction": "DOWNWARD", "leadDepartmentId": county.department("教育局")}}, drafter)
            document = draft["createDraft"]["document"]["id"]

            async def signers() -> list[str]:
                data = await _gql(client, second.graphql_url, PREDICTED_SIGNERS, {"id": document}, drafter)
                return [a["official"]["code"] for a in data["node"]["predictedChain"][-1]["assignees"]]

            assert await signers() == ["VM1"]  # the second process has now loaded the county's table
            for priority, role, effect in ((5, "magistrate", "allow"), (6, "*", "deny")):
                added = await _gql(client, first.graphql_url, ADD_RULE, {"rule": {
                    "priority": priority, "issuer": "county_government", "genre": "notice", "action": "SIGN",
                    "role": role, "effect": effect, "rule": "Y-local-notices", "article": "001 §32"}}, admin)
                assert added["addSigningRule"]["__typename"] == "SigningRulePayload", added
            changed_at = time.monotonic()
            while await signers() != ["MAG"]:
                assert time.monotonic() - changed_at < 1.0, "the other process still routes by the old table"
                await asyncio.sleep(0.05)


async def test_a_row_naming_an_unknown_role_is_refused_and_changes_nothing(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)
    before = await api.ok("{ signingRules { id } }", token=token)
    refused = await api.ok(ADD_RULE, {"rule": {"priority": 5, "action": "SIGN", "role": "mayor", "effect": "allow",
                                               "rule": "X", "article": "001 §32"}}, token=token)
    assert refused["addSigningRule"] == {"__typename": "MutationError", "code": "INVALID", "field": "role",
                                         "message": refused["addSigningRule"]["message"]}
    assert await api.ok("{ signingRules { id } }", token=token) == before


async def test_an_official_cannot_edit_the_signing_table(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.account("MAG"), PASSWORD)
    refused = await api.ok(ADD_RULE, {"rule": {"priority": 5, "action": "SIGN", "role": "magistrate",
                                               "effect": "allow", "rule": "X", "article": "001 §32"}}, token=token)
    assert refused["addSigningRule"]["code"] == "FORBIDDEN"
