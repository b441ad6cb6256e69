"""Who may sign in, and for how long: retired officials and disabled accounts sign in to nothing, guessing
passwords is throttled, tokens are signed with a key nobody else knows, malformed tokens and ambiguous
documents are refused cleanly (issue 9, defects 2, 6, 7 and 12)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import stat

import httpx
import jwt
import pytest
from sqlalchemy import func, select, update

from config import DEV_SECRET_KEY, Settings
from db.models import Account, AuditEvent, Official, SignInCounter, StepAssignment, utcnow
from domain.roster import local_date
from server import create_app
from services import deadlines
from tests.api import Api
from tests.conftest import TEST_SECRET
from tests.county import PASSWORD, build_county, create_system_admin, submit_notices

ME = "{ me { username role } }"
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on LoginSuccess { token account { id } }
  ... on MutationError { code field message retryAfterSeconds } } }"""
CREATE_TOKEN = """mutation($account: ID) { createApiToken(input: {name: "nightly sync", accountId: $account}) {
  __typename ... on ApiTokenCreated { token } ... on MutationError { code } } }"""
RETIRE = """mutation($id: ID!, $on: Date!) { retireOfficial(input: {id: $id, retiredOn: $on}) {
  __typename ... on MutationError { code message } } }"""
SET_PRINCIPAL = """mutation($dept: ID!, $official: ID!, $from: Date!) {
  setDepartmentPrincipal(input: {departmentId: $dept, officialId: $official, effectiveFrom: $from}) {
  __typename ... on MutationError { code message } } }"""
APPROVE = """mutation($id: ID!) { approveStep(input: {documentId: $id, opinion: "同意"}) {
  __typename ... on AssignmentPayload { assignment { state actedBy { code } } } ... on MutationError { code message } } }"""
INBOX = "{ inbox { totalCount edges { node { document { id title } step { action } } } } }"
CHAIN = """query($id: ID!) { node(id: $id) { ... on Document {
  chain { action state assignments { state assignee { code } } } history { kind opinion } } } }"""
DISABLE = """mutation($id: ID!) { disableAccount(input: {id: $id}) {
  __typename ... on AccountPayload { account { username active } } ... on MutationError { code field message } } }"""
ENABLE = """mutation($id: ID!) { enableAccount(input: {id: $id}) {
  __typename ... on AccountPayload { account { username active } } ... on MutationError { code field message } } }"""


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


def today() -> dt.date:
    return local_date(utcnow())


async def sign_in(api: Api, username: str, password: str = PASSWORD) -> dict:
    return (await api.ok(LOGIN, {"u": username, "p": password}))["login"]


async def account_id(api: Api, username: str) -> str:
    return (await sign_in(api, username))["account"]["id"]


async def api_token_for(api: Api, admin: str, username: str) -> str:
    created = await api.ok(CREATE_TOKEN, {"account": await account_id(api, username)}, token=admin)
    return created["createApiToken"]["token"]


async def signed_in(api: Api, token: str) -> bool:
    response = await api.call(ME, token=token)
    assert response.status == 200, response
    if response.error_codes == ["UNAUTHENTICATED"]:
        return False
    assert not response.errors, response
    return True


async def audit_actions(sessions) -> list[str]:
    async with sessions() as session:
        return list((await session.execute(select(AuditEvent.action).order_by(AuditEvent.id))).scalars())


# ---------------------------------------------------------------- defect 2: retired officials


async def test_a_retired_office_director_signs_in_to_nothing_and_cannot_approve(api, sessions, county):
    """The issue's request: after retireOfficial the director's old token approved a step."""
    await submit_notices(sessions, county, 1)
    director = await api.login(county.account("DIR"), PASSWORD)
    admin = await api.login(county.admin, PASSWORD)
    script_token = await api_token_for(api, admin, county.account("DIR"))
    waiting = (await api.ok(INBOX, token=director))["inbox"]
    assert waiting["totalCount"] == 1
    document_id = waiting["edges"][0]["node"]["document"]["id"]

    assert (await api.ok(RETIRE, {"id": county.official("DIR"), "on": today().isoformat()}, token=admin)
            )["retireOfficial"]["__typename"] == "OfficialPayload"

    assert not await signed_in(api, director)
    assert not await signed_in(api, script_token)
    assert (await api.call(APPROVE, {"id": document_id}, token=director)).error_codes == ["UNAUTHENTICATED"]
    refused = await sign_in(api, county.account("DIR"))
    assert (refused["__typename"], refused["code"]) == ("MutationError", "INVALID_CREDENTIALS")
    chain = (await api.ok(CHAIN, {"id": document_id}, token=admin))["node"]["chain"]
    assert chain[0]["state"] == "ACTIVE"
    assert {a["state"] for a in chain[0]["assignments"]} == {"WAITING"}


async def test_the_retired_directors_waiting_review_passes_to_his_successor(api, sessions, county):
    await submit_notices(sessions, county, 1)
    admin = await api.login(county.admin, PASSWORD)
    await api.ok(RETIRE, {"id": county.official("DIR"), "on": today().isoformat()}, token=admin)
    # The office has no director yet: the review waits, still his, until someone holds the office.
    deputy = await api.login(county.account("DDIR1"), PASSWORD)
    assert (await api.ok(INBOX, token=deputy))["inbox"]["totalCount"] == 0

    appointed = await api.ok(SET_PRINCIPAL, {"dept": county.department("县政府办公室"),
                                             "official": county.official("DDIR1"), "from": today().isoformat()},
                             token=admin)
    assert appointed["setDepartmentPrincipal"]["__typename"] == "PositionPayload", appointed

    inbox = (await api.ok(INBOX, token=deputy))["inbox"]
    assert inbox["totalCount"] == 1
    document_id = inbox["edges"][0]["node"]["document"]["id"]
    async with sessions() as session:
        left_with_retiree = await session.scalar(select(func.count()).select_from(StepAssignment).where(
            StepAssignment.assignee_id == county.officials["DIR"], StepAssignment.state == "waiting"))
    assert left_with_retiree == 0
    approved = (await api.ok(APPROVE, {"id": document_id}, token=deputy))["approveStep"]
    assert approved["assignment"] == {"state": "APPROVED", "actedBy": {"code": "DDIR1"}}
    history = (await api.ok(CHAIN, {"id": document_id}, token=admin))["node"]["history"]
    assert any(h["kind"] == "REASSIGNED" and "退休" in h["opinion"] for h in history), history
    assert "document.hand_over" in await audit_actions(sessions)


async def test_a_retirement_dated_ahead_takes_effect_on_its_day_with_nothing_to_run(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    tomorrow = today() + dt.timedelta(days=1)
    await api.ok(RETIRE, {"id": county.official("VM3"), "on": tomorrow.isoformat()}, token=admin)
    token = await api.login(county.account("VM3"), PASSWORD)
    assert await signed_in(api, token)

    # The day comes: the date on record is now today's (what tomorrow's clock would read).
    async with sessions() as session, session.begin():
        await session.execute(update(Official).where(Official.id == county.officials["VM3"]).values(retired_on=today()))

    assert not await signed_in(api, token)
    assert (await sign_in(api, county.account("VM3")))["code"] == "INVALID_CREDENTIALS"


async def test_on_the_day_a_retirement_dated_ahead_takes_effect_the_sweeper_hands_his_work_over(
        api, sessions, county):
    """The director retires tomorrow and his deputy takes the office from tomorrow: the review waiting for
    him moves to her on the day, with no roster change that day to trigger it."""
    await submit_notices(sessions, county, 1)
    admin = await api.login(county.admin, PASSWORD)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    await api.ok(RETIRE, {"id": county.official("DIR"), "on": tomorrow}, token=admin)
    appointed = await api.ok(SET_PRINCIPAL, {"dept": county.department("县政府办公室"),
                                             "official": county.official("DDIR1"), "from": tomorrow}, token=admin)
    assert appointed["setDepartmentPrincipal"]["__typename"] == "PositionPayload", appointed

    assert (await deadlines.sweep(sessions)).handed_over == 0, "today he is still the director"
    on_the_day = await deadlines.sweep(sessions, now=utcnow() + dt.timedelta(days=1))
    again = await deadlines.sweep(sessions, now=utcnow() + dt.timedelta(days=1))

    assert (on_the_day.handed_over, again.handed_over) == (1, 0)
    async with sessions() as session:
        waiting_for = set((await session.execute(select(StepAssignment.assignee_id).where(
            StepAssignment.state == "waiting"))).scalars())
    assert county.officials["DDIR1"] in waiting_for and county.officials["DIR"] not in waiting_for
    assert "document.hand_over" in await audit_actions(sessions)


# ---------------------------------------------------------------- defect 2: disabling accounts


async def test_a_disabled_account_signs_in_to_nothing_until_enabled_again(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    vm1 = await api.login(county.account("VM1"), PASSWORD)
    script_token = await api_token_for(api, admin, county.account("VM1"))
    vm1_id = await account_id(api, county.account("VM1"))

    disabled = (await api.ok(DISABLE, {"id": vm1_id}, token=admin))["disableAccount"]
    assert disabled == {"__typename": "AccountPayload", "account": {"username": county.account("VM1"),
                                                                    "active": False}}
    assert not await signed_in(api, vm1)
    assert not await signed_in(api, script_token)
    assert (await sign_in(api, county.account("VM1")))["code"] == "INVALID_CREDENTIALS"

    enabled = (await api.ok(ENABLE, {"id": vm1_id}, token=admin))["enableAccount"]
    assert enabled["account"]["active"] is True
    assert await signed_in(api, script_token)
    assert (await sign_in(api, county.account("VM1")))["__typename"] == "LoginSuccess"
    assert (await audit_actions(sessions))[-2:] == ["account.disable", "account.enable"]


async def test_disabling_refuses_with_typed_errors_and_changes_nothing(api, sessions, county):
    other = await build_county(sessions, code="qingxi")
    admin = await api.login(county.admin, PASSWORD)
    own_id = await account_id(api, county.admin)
    vm1_id = await account_id(api, county.account("VM1"))
    elsewhere = await account_id(api, other.account("VM1"))
    missing = "QWNjb3VudDo5OTk5OTk5"  # Account:9999999
    before = await audit_actions(sessions)

    async def error(query: str, id_: str, token: str) -> dict:
        result = (await api.ok(query, {"id": id_}, token=token))
        return next(iter(result.values()))

    assert await error(DISABLE, elsewhere, admin) == await error(DISABLE, missing, admin)
    assert (await error(DISABLE, missing, admin))["code"] == "NOT_FOUND"
    assert (await error(DISABLE, own_id, admin))["code"] == "INVALID"
    assert (await error(ENABLE, vm1_id, admin))["code"] == "WRONG_STATE"
    official = await api.login(county.account("VM2"), PASSWORD)
    assert (await error(DISABLE, vm1_id, official))["code"] == "FORBIDDEN"
    assert await audit_actions(sessions) == before
    assert (await sign_in(api, county.account("VM1")))["__typename"] == "LoginSuccess"


async def test_the_system_administrator_disables_a_county_administrator(api, sessions, county):
    root = await api.login(await create_system_admin(sessions), PASSWORD)
    county_admin = await api.login(county.admin, PASSWORD)
    result = (await api.ok(DISABLE, {"id": await account_id(api, county.admin)}, token=root))["disableAccount"]
    assert result["account"]["active"] is False
    assert not await signed_in(api, county_admin)


# ---------------------------------------------------------------- defect 6: throttling sign-in


def aliased_logins(attempts: list[tuple[str, str]]) -> str:
    fields = " ".join(
        f'a{n}: login(username: "{username}", password: "{password}") {{ __typename '
        f'... on MutationError {{ code retryAfterSeconds }} }}'
        for n, (username, password) in enumerate(attempts))
    return f"mutation {{ {fields} }}"


async def test_thirty_aliased_guesses_are_cut_off_after_five_and_then_the_right_password_is_refused(api, county):
    """The issue's request: 30 passwords in one document, then the right one worked."""
    data = await api.ok(aliased_logins([(county.admin, f"guess-{n}") for n in range(30)]))
    answers = [data[f"a{n}"] for n in range(30)]
    assert [a["code"] for a in answers[:5]] == ["INVALID_CREDENTIALS"] * 5
    assert {a["code"] for a in answers[5:]} == {"TOO_MANY_ATTEMPTS"}
    assert all(1 <= a["retryAfterSeconds"] <= 60 for a in answers[5:])

    refused = await sign_in(api, county.admin)
    assert refused["code"] == "TOO_MANY_ATTEMPTS" and refused["field"] == "password"
    assert f"{refused['retryAfterSeconds']} seconds" in refused["message"]
    # Other accounts are not held up by one account's attacker.
    assert (await sign_in(api, county.account("VM1")))["__typename"] == "LoginSuccess"


async def test_the_right_password_works_again_once_the_window_has_passed(api, sessions, county):
    await api.ok(aliased_logins([(county.admin, f"guess-{n}") for n in range(6)]))
    assert (await sign_in(api, county.admin))["code"] == "TOO_MANY_ATTEMPTS"
    async with sessions() as session, session.begin():
        # The minute runs out (the counters' windows end).
        await session.execute(update(SignInCounter).values(window_ends=SignInCounter.window_ends - 61))
    assert (await sign_in(api, county.admin))["__typename"] == "LoginSuccess"


async def test_one_address_trying_many_usernames_is_cut_off_after_twenty_failures(api, county):
    data = await api.ok(aliased_logins([(f"nobody{n}", "guess") for n in range(25)]))
    assert [data[f"a{n}"]["code"] for n in range(25)] == ["INVALID_CREDENTIALS"] * 20 + ["TOO_MANY_ATTEMPTS"] * 5
    assert (await sign_in(api, county.admin))["code"] == "TOO_MANY_ATTEMPTS"


async def test_successful_sign_ins_use_up_nothing(api, county):
    data = await api.ok(aliased_logins([(county.admin, PASSWORD)] * 8))
    assert {data[f"a{n}"]["__typename"] for n in range(8)} == {"LoginSuccess"}


async def test_failures_counted_by_one_server_process_hold_in_another(settings, engine, api, county):
    """Two apps on one database stand for two server processes: the counts are shared."""
    await api.ok(aliased_logins([(county.admin, f"guess-{n}") for n in range(3)]))
    async with _client(settings, engine) as other_process:
        data = await other_process.ok(aliased_logins([(county.admin, f"guess-{n}") for n in range(3)]))
    assert [data[f"a{n}"]["code"] for n in range(3)] == ["INVALID_CREDENTIALS"] * 2 + ["TOO_MANY_ATTEMPTS"]


@contextlib.asynccontextmanager
async def _client(settings: Settings, engine):
    app = create_app(settings, engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
        yield Api(client)


# ---------------------------------------------------------------- defect 7: the secret key


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "data" / "secret_key"
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PRODUCTION", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(path))
    return path


async def test_a_token_forged_with_the_published_key_reads_nothing(settings, engine, sessions, key_file):
    """The issue's request: a token signed with config.py's key read `me` as the system administrator."""
    root = await create_system_admin(sessions)
    generated = Settings.from_env()
    assert generated.secret_key not in (DEV_SECRET_KEY, TEST_SECRET)
    async with sessions() as session:
        root_id = await session.scalar(select(Account.id).where(Account.username == root))
    forged = jwt.encode({"sub": str(root_id), "typ": "access", "iat": utcnow(),
                         "exp": utcnow() + dt.timedelta(hours=1)}, DEV_SECRET_KEY, algorithm="HS256")
    async with _client(Settings(database_url=settings.database_url, secret_key=generated.secret_key),
                       engine) as api:
        assert not await signed_in(api, forged)
        assert await signed_in(api, await api.login(root, PASSWORD))


def test_the_generated_key_is_kept_across_restarts_and_readable_by_its_owner_only(key_file):
    first = Settings.from_env().secret_key
    assert len(first) >= 32
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert Settings.from_env().secret_key == first


@pytest.mark.parametrize("key", [None, DEV_SECRET_KEY, "short-key"])
def test_production_refuses_a_missing_published_or_short_key(key_file, monkeypatch, key):
    monkeypatch.setenv("PRODUCTION", "true")
    if key is not None:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ValueError, match="PRODUCTION=true"):
        Settings.from_env()
    assert not key_file.exists()


def test_production_starts_with_a_key_of_its_own(key_file, monkeypatch):
    monkeypatch.setenv("PRODUCTION", "true")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    assert Settings.from_env().secret_key == "k" * 48


def test_the_published_key_is_warned_about_outside_production(key_file, monkeypatch, caplog):
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET_KEY)
    with caplog.at_level(logging.WARNING, logger="qianfa.config"):
        Settings.from_env()
    assert "published development key" in caplog.text


# ---------------------------------------------------------------- defect 12: malformed tokens, ambiguous documents


@pytest.mark.parametrize("subject", ["abc", "1.5", "-1", "0", "١", str(2**63), "9" * 5000])
async def test_a_token_whose_subject_is_not_an_account_id_is_anonymous_not_a_server_error(api, county, subject):
    forged = jwt.encode({"sub": subject, "typ": "access", "exp": utcnow() + dt.timedelta(hours=1)}, TEST_SECRET,
                        algorithm="HS256")
    response = await api.call(ME, token=forged)
    assert (response.status, response.error_codes) == (200, ["UNAUTHENTICATED"])


ADD_TWO = """
mutation First { addOfficial(input: {code: "NEW1", name: "甲", rankOrder: 20}) { __typename } }
mutation Second { addOfficial(input: {code: "NEW2", name: "乙", rankOrder: 21}) { __typename } }"""


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
async def test_two_operations_without_an_operation_name_are_a_request_error_running_neither(
        api, sessions, county, accept):
    admin = await api.login(county.admin, PASSWORD)
    response = await api.call(ADD_TWO, token=admin, headers={"Accept": accept})
    assert response.data is None
    assert "operation name" in response.errors[0]["message"]
    assert response.status == (400 if accept.startswith("application/graphql-response") else 200)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Official).where(
            Official.code.in_(["NEW1", "NEW2"]))) == 0
    # Naming one runs that one.
    reply = await api.client.post("/graphql", json={"query": ADD_TWO, "operationName": "Second"},
                                  headers={"Authorization": f"Bearer {admin}"})
    assert reply.json()["data"]["addOfficial"]["__typename"] == "OfficialPayload"


# ---------------------------------------------------------------- the command line


async def test_an_administrator_disables_and_enables_an_account_from_the_command_line(
        api, sessions, qianfa, county, key_file):
    token = await api.login(county.account("VM1"), PASSWORD)
    env = {"SECRET_KEY_FILE": str(key_file)}
    disabled = await qianfa("account", "disable", county.account("VM1"), env=env)
    assert disabled.code == 0 and "Disabled account" in disabled.out and county.account("VM1") in disabled.out
    assert not await signed_in(api, token)
    again = await qianfa("account", "disable", county.account("VM1"), env=env)
    assert again.code == 1 and "The account is already disabled. (wrong_state" in again.err
    unknown = await qianfa("account", "enable", "nobody", env=env)
    assert unknown.code == 1 and "No account named 'nobody'" in unknown.err
    enabled = await qianfa("account", "enable", county.account("VM1"), env=env)
    assert enabled.code == 0 and "Enabled account" in enabled.out
    assert await signed_in(api, token)
    assert (await audit_actions(sessions))[-2:] == ["account.disable", "account.enable"]
