"""One error model, and accounts and API tokens through GraphQL (issue 10, points 7 and 9): every top-level
code is one of a documented set, an expired sign-in says so, messages are sentences, a wrong-type id names
both types; administrators create, list and reset accounts, everyone changes their own password, and API
tokens expire and may be read-only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jwt
import pytest
from sqlalchemy import func, select, update
from strawberry.relay import to_base64

from db.models import Account, ApiToken, AuditEvent, utcnow
from domain.errors import TopLevelCode
from tests.api import Api
from tests.conftest import TEST_SECRET
from tests.county import PASSWORD, build_county, create_system_admin

ROOT = Path(__file__).resolve().parent.parent
ME = "{ me { username } }"
ACCOUNT_RESULT = """__typename ... on AccountPayload { account { id username role active official { code } } }
  ... on MutationError { code field message }"""
CREATE_ACCOUNT = f"""mutation($input: CreateAccountInput!) {{ createAccount(input: $input) {{ {ACCOUNT_RESULT} }} }}"""
RESET_PASSWORD = f"""mutation($id: ID!, $p: String!) {{ resetPassword(input: {{accountId: $id, newPassword: $p}}) {{
  {ACCOUNT_RESULT} }} }}"""
CHANGE_PASSWORD = f"""mutation($old: String!, $new: String!) {{
  changePassword(input: {{currentPassword: $old, newPassword: $new}}) {{ {ACCOUNT_RESULT} }} }}"""
ACCOUNTS = """query($county: ID, $filter: AccountFilter, $first: Int, $after: String) {
  accounts(countyId: $county, filter: $filter, first: $first, after: $after) {
    totalCount nodes { username role active } pageInfo { hasNextPage endCursor } } }"""
CREATE_TOKEN = """mutation($account: ID, $days: Int, $scope: ApiTokenScope) {
  createApiToken(input: {name: "weekly report", accountId: $account, expiresInDays: $days, scope: $scope}) {
    __typename ... on ApiTokenCreated { token apiToken { scope expiresAt } } ... on MutationError { code field message } } }"""
ADD_OFFICIAL = """mutation { addOfficial(input: {code: "NEW1", name: "甲", rankOrder: 20}) { __typename } }"""
APPOINT = """mutation($official: ID!, $department: ID!) { appointToPosition(input: {officialId: $official,
  role: DEPARTMENT_DEPUTY, departmentId: $department, effectiveFrom: "2025-03-03"}) {
  __typename ... on MutationError { code field message } } }"""
NEW_PASSWORD = "a much longer passphrase"


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


async def account_gid(sessions, username: str) -> str:
    async with sessions() as session:
        return to_base64("Account", await session.scalar(select(Account.id).where(Account.username == username)))


async def audit_actions(sessions) -> list[str]:
    async with sessions() as session:
        return list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def expired_sign_in(account_id: int) -> str:
    """A sign-in token as the server issues them, signed with its key, that ran out a minute ago."""
    return jwt.encode({"sub": str(account_id), "typ": "access", "iat": utcnow() - dt.timedelta(hours=9),
                       "exp": utcnow() - dt.timedelta(minutes=1)}, TEST_SECRET, algorithm="HS256")


# ---------------------------------------------------------------- top-level codes: one documented set


def _documented_codes() -> set[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Errors", 1)[1].split("\n## ", 1)[0]
    return {code for row in section.splitlines() if row.startswith("| `") for code in
            re.findall(r"`([A-Z_]+)`", row.split("|")[1])}


def test_every_top_level_code_is_in_the_set_and_the_set_is_documented_in_the_readme():
    emitted = set()
    for path in [ROOT / "server.py", *(ROOT / "schema").glob("*.py"), *(ROOT / "resolvers").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        # A code given as a string literal would bypass the set.
        assert not re.search(r'public_error\(\s*"', text), f"{path.name}: use TopLevelCode, not a string"
        assert not re.search(r'"code":\s*"', text), f"{path.name}: use TopLevelCode, not a string"
        emitted |= set(re.findall(r"TopLevelCode\.([A-Z_]+)", text))
    assert emitted <= {code.name for code in TopLevelCode}
    assert _documented_codes() == {code.value for code in TopLevelCode}


@pytest.mark.parametrize(("document", "code"), [
    ("{ me ", "GRAPHQL_PARSE_FAILED"),
    ("{ nobodyKnowsThisField }", "GRAPHQL_VALIDATION_FAILED"),
    ('{ node(id: "…") { id } }', "BAD_USER_INPUT"),
    ("{ me { username } }", "UNAUTHENTICATED"),
])
async def test_the_common_refusals_each_carry_a_code_of_the_set(api, county, document, code):
    response = await api.call(document, token="not-a-token")
    assert response.status == 200 and response.error_codes == [code], response
    assert code in {c.value for c in TopLevelCode}


# ---------------------------------------------------------------- expired sign-ins say so


async def test_an_expired_sign_in_is_told_to_sign_in_again_and_can(api, sessions, county):
    async with sessions() as session:
        director = await session.scalar(select(Account.id).where(Account.username == county.account("DIR")))
    response = await api.call(ME, token=expired_sign_in(director))
    assert response.error_codes == ["TOKEN_EXPIRED"]
    assert response.errors[0]["message"] == "Your sign-in has expired; sign in again."
    # A token that is not ours is not "expired": it is no sign-in at all.
    forged = jwt.encode({"sub": str(director), "typ": "access", "exp": utcnow() - dt.timedelta(minutes=1)},
                        "another-key-another-key-another-key-0123", algorithm="HS256")
    assert (await api.call(ME, token=forged)).error_codes == ["UNAUTHENTICATED"]
    # Signing in again works with the expired token still in the header.
    login = await api.call("""mutation { login(username: "dir.yanjin", password: "correct horse battery") {
      __typename } }""", token=expired_sign_in(director))
    assert login.data == {"login": {"__typename": "LoginSuccess"}}, login


async def test_an_expired_api_token_answers_token_expired(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    created = (await api.ok(CREATE_TOKEN, {"days": 1}, token=admin))["createApiToken"]
    script = created["token"]
    assert (await api.call(ME, token=script)).data == {"me": {"username": county.admin}}
    async with sessions() as session, session.begin():
        await session.execute(update(ApiToken).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    response = await api.call(ME, token=script)
    assert (response.error_codes, response.errors[0]["message"]) == (
        ["TOKEN_EXPIRED"], "Your sign-in has expired; sign in again.")


# ---------------------------------------------------------------- API tokens: expiry and scope


async def test_a_read_only_token_reads_but_every_mutation_is_refused_and_nothing_is_written(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    created = (await api.ok(CREATE_TOKEN, {"days": 30, "scope": "READ"}, token=admin))["createApiToken"]
    assert created["apiToken"]["scope"] == "READ"
    expires = dt.datetime.fromisoformat(created["apiToken"]["expiresAt"])
    assert dt.timedelta(days=29) < expires - utcnow() <= dt.timedelta(days=30)
    reader = created["token"]
    assert (await api.call("{ officials(first: 1) { totalCount } }", token=reader)).data["officials"]["totalCount"] > 0
    events = len(await audit_actions(sessions))
    refused = await api.call(ADD_OFFICIAL, token=reader)
    assert (refused.data, refused.error_codes, refused.errors[0]["message"]) == (
        None, ["FORBIDDEN"], "This API token may only read.")
    assert len(await audit_actions(sessions)) == events
    # The same account with a read-write token may.
    writer = (await api.ok(CREATE_TOKEN, {}, token=admin))["createApiToken"]
    assert (await api.ok(ADD_OFFICIAL, token=writer["token"]))["addOfficial"]["__typename"] == "OfficialPayload"


@pytest.mark.parametrize("days", [0, -1, 366])
async def test_an_api_token_lasts_one_to_365_days(api, sessions, county, days):
    admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok(CREATE_TOKEN, {"days": days}, token=admin))["createApiToken"]
    assert (result["code"], result["field"]) == ("INVALID", "expiresInDays")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ApiToken)) == 0


async def test_a_token_made_without_expiry_or_scope_lasts_90_days_and_may_write(api, county):
    admin = await api.login(county.admin, PASSWORD)
    made = (await api.ok(CREATE_TOKEN, {}, token=admin))["createApiToken"]["apiToken"]
    assert made["scope"] == "READ_WRITE"
    lasts = dt.datetime.fromisoformat(made["expiresAt"]) - utcnow()
    assert dt.timedelta(days=89) < lasts <= dt.timedelta(days=90)


# ---------------------------------------------------------------- messages and ids


async def test_an_official_id_where_a_department_id_is_expected_names_both_types(api, county):
    admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok(APPOINT, {"official": county.official("FIN2"), "department": county.official("FIN")},
                           token=admin))["appointToPosition"]
    assert result == {"__typename": "MutationError", "code": "WRONG_ID_TYPE", "field": "departmentId",
                      "message": "Expected a Department id; this is an Official id."}


async def test_a_query_given_an_id_of_another_type_says_which_was_expected(api, county):
    token = await api.login(county.account("DIR"), PASSWORD)
    response = await api.call("query($c: ID) { departments(countyId: $c) { totalCount } }",
                              {"c": county.official("VM1")}, token=token)
    assert response.error_codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["message"] == "Expected a County id; this is an Official id."


async def test_refusals_name_enum_values_in_words_not_as_code(api, county):
    admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok("""mutation($o: ID!) { appointToPosition(input: {officialId: $o, role: DEPARTMENT_DEPUTY,
      effectiveFrom: "2025-03-03"}) { ... on MutationError { code message } } }""",
                           {"o": county.official("FIN2")}, token=admin))["appointToPosition"]
    assert result["message"] == "A department deputy position needs a department."
    taken = (await api.ok(CREATE_ACCOUNT, {"input": {"username": county.admin, "password": NEW_PASSWORD,
                                                     "role": "COUNTY_ADMIN"}}, token=admin))["createAccount"]
    assert taken["message"] == "The username “admin.yanjin” is taken."
    for message in (result["message"], taken["message"]):
        assert not re.search(r"[a-z]+_[a-z]+|'", message.replace("admin.yanjin", "")), message


# ---------------------------------------------------------------- accounts through GraphQL


async def test_a_county_administrator_creates_an_officials_account_who_then_signs_in(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    created = (await api.ok(CREATE_ACCOUNT, {"input": {
        "username": "fin2.second", "password": NEW_PASSWORD, "role": "OFFICIAL",
        "officialId": county.official("FIN2")}}, token=admin))["createAccount"]
    assert created["__typename"] == "AccountPayload", created
    assert created["account"] | {"id": None} == {"id": None, "username": "fin2.second", "role": "OFFICIAL",
                                                  "active": True, "official": {"code": "FIN2"}}
    assert await api.login("fin2.second", NEW_PASSWORD)
    assert (await audit_actions(sessions))[-1] == "account.create"


@pytest.mark.parametrize(("input", "expected"), [
    ({"username": "short.pw", "password": "eleven char", "role": "COUNTY_ADMIN"}, ("WEAK_PASSWORD", "password")),
    ({"username": "no.official", "password": NEW_PASSWORD, "role": "OFFICIAL"}, ("INVALID", "officialId")),
    ({"username": "root2", "password": NEW_PASSWORD, "role": "SYSTEM_ADMIN"}, ("FORBIDDEN", "role")),
    ({"username": "", "password": NEW_PASSWORD, "role": "COUNTY_ADMIN"}, ("INVALID", "username")),
], ids=["a short password", "an official's account without its official", "a system administrator",
        "no username"])
async def test_a_county_administrator_is_refused_a_bad_account_with_the_field_and_nothing_is_written(
        api, sessions, county, input, expected):
    admin = await api.login(county.admin, PASSWORD)
    async with sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Account))
    result = (await api.ok(CREATE_ACCOUNT, {"input": input}, token=admin))["createAccount"]
    assert (result["code"], result["field"]) == expected, result
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Account)) == before


async def test_another_countys_account_and_official_answer_like_missing_ones(api, sessions, county):
    other = await build_county(sessions, code="lulong")
    admin = await api.login(county.admin, PASSWORD)
    theirs = await account_gid(sessions, other.account("VM1"))
    missing = to_base64("Account", 10**9)
    answers = [(await api.ok(RESET_PASSWORD, {"id": id_, "p": NEW_PASSWORD}, token=admin))["resetPassword"]
               for id_ in (theirs, missing)]
    assert answers[0] == answers[1] == {"__typename": "MutationError", "code": "NOT_FOUND", "field": "accountId",
                                        "message": "No such account."}
    their_official = (await api.ok(CREATE_ACCOUNT, {"input": {
        "username": "x.yanjin", "password": NEW_PASSWORD, "role": "OFFICIAL",
        "officialId": other.official("VM1")}}, token=admin))["createAccount"]
    assert (their_official["code"], their_official["field"]) == ("NOT_FOUND", "officialId")


async def test_administrators_list_their_countys_accounts_page_by_page_and_officials_may_not(
        api, sessions, county):
    await build_county(sessions, code="lulong")
    admin = await api.login(county.admin, PASSWORD)
    first = (await api.ok(ACCOUNTS, {"first": 5}, token=admin))["accounts"]
    assert first["totalCount"] == 14 and len(first["nodes"]) == 5 and first["pageInfo"]["hasNextPage"]
    assert all(n["username"].endswith(".yanjin") for n in first["nodes"])
    rest = (await api.ok(ACCOUNTS, {"first": 100, "after": first["pageInfo"]["endCursor"]}, token=admin))["accounts"]
    assert [n["username"] for n in first["nodes"] + rest["nodes"]] == sorted(
        n["username"] for n in first["nodes"] + rest["nodes"])
    assert len(rest["nodes"]) == 9
    admins = (await api.ok(ACCOUNTS, {"filter": {"role": "COUNTY_ADMIN"}}, token=admin))["accounts"]
    assert [n["username"] for n in admins["nodes"]] == [county.admin]
    root = await api.login(await create_system_admin(sessions), PASSWORD)
    assert (await api.ok(ACCOUNTS, {}, token=root))["accounts"]["totalCount"] == 29
    official = await api.call(ACCOUNTS, {}, token=await api.login(county.account("DIR"), PASSWORD))
    assert (official.error_codes, official.errors[0]["message"]) == (["FORBIDDEN"], "Only administrators list accounts.")


async def test_an_administrator_resets_a_password_and_only_the_new_one_signs_in(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    director = county.account("DIR")
    old_token = await api.login(director, PASSWORD)
    weak = (await api.ok(RESET_PASSWORD, {"id": await account_gid(sessions, director), "p": "short"},
                         token=admin))["resetPassword"]
    assert (weak["code"], weak["field"]) == ("WEAK_PASSWORD", "newPassword")
    done = (await api.ok(RESET_PASSWORD, {"id": await account_gid(sessions, director), "p": NEW_PASSWORD},
                         token=admin))["resetPassword"]
    assert done["__typename"] == "AccountPayload"
    assert await api.login(director, NEW_PASSWORD)
    refused = await api.call("""mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
      ... on MutationError { code } } }""", {"u": director, "p": PASSWORD})
    assert refused.data == {"login": {"code": "INVALID_CREDENTIALS"}}
    # Tokens already issued stay valid until they expire (documented); disabling cuts them off.
    assert (await api.call(ME, token=old_token)).data == {"me": {"username": director}}
    assert (await audit_actions(sessions))[-1] == "account.reset_password"


async def test_an_official_changes_his_own_password_only_by_giving_the_current_one(api, sessions, county):
    token = await api.login(county.account("VM1"), PASSWORD)
    wrong = (await api.ok(CHANGE_PASSWORD, {"old": "not my password", "new": NEW_PASSWORD},
                          token=token))["changePassword"]
    assert (wrong["code"], wrong["field"]) == ("INVALID_CREDENTIALS", "currentPassword")
    same = (await api.ok(CHANGE_PASSWORD, {"old": PASSWORD, "new": PASSWORD}, token=token))["changePassword"]
    assert (same["code"], same["field"]) == ("INVALID", "newPassword")
    changed = (await api.ok(CHANGE_PASSWORD, {"old": PASSWORD, "new": NEW_PASSWORD}, token=token))["changePassword"]
    assert changed["__typename"] == "AccountPayload"
    assert await api.login(county.account("VM1"), NEW_PASSWORD)
    assert (await audit_actions(sessions))[-1] == "account.change_password"


async def test_an_account_created_through_the_api_can_be_disabled_by_another_admin(api, sessions, county):
    root = await api.login(await create_system_admin(sessions), PASSWORD)
    created = (await api.ok(CREATE_ACCOUNT, {"input": {"username": "admin2.yanjin", "password": NEW_PASSWORD,
                                                       "role": "COUNTY_ADMIN", "countyId": county.gid}},
                            token=root))["createAccount"]
    assert created["__typename"] == "AccountPayload"
    admin = await api.login(county.admin, PASSWORD)
    disabled = (await api.ok("""mutation($id: ID!) { disableAccount(input: {id: $id}) { __typename } }""",
                             {"id": created["account"]["id"]}, token=admin))["disableAccount"]
    assert disabled == {"__typename": "AccountPayload"}


async def test_signing_in_with_a_read_only_token_of_an_official_still_reads_his_inbox(api: Api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    reader = (await api.ok(CREATE_TOKEN, {"account": await account_gid(sessions, county.account("DIR")),
                                          "scope": "READ"}, token=admin))["createApiToken"]["token"]
    assert (await api.call("{ inbox { totalCount } }", token=reader)).data == {"inbox": {"totalCount": 0}}


async def test_the_command_line_makes_a_read_only_token_for_thirty_days(qianfa, api, sessions, county):
    made = await qianfa("token", "create", "--username", county.admin, "--name", "weekly report",
                        "--expires-in-days", "30", "--scope", "read")
    assert made.code == 0, made.err
    assert "read, until" in made.err
    reader = made.out.strip()
    assert (await api.call(ME, token=reader)).data == {"me": {"username": county.admin}}
    assert (await api.call(ADD_OFFICIAL, token=reader)).error_codes == ["FORBIDDEN"]
    async with sessions() as session:
        row = await session.scalar(select(ApiToken))
    assert dt.timedelta(days=29) < row.expires_at - utcnow() <= dt.timedelta(days=30)
    refused = await qianfa("token", "create", "--username", county.admin, "--name", "too long",
                           "--expires-in-days", "400")
    assert refused.code == 1 and "An API token lasts from 1 to 365 days." in refused.err
