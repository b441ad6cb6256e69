"""A busy county: many writers at once, crashed retries, a slow or exhausted database.

Each scenario is a request that once deadlocked, forked the audit trail, stuck, hung or answered 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import httpx
import orjson
import pytest
from sqlalchemy import func, select, text, update

from config import Settings
from db.engine import read_session_factory
from db.models import Account, AuditEvent, Document, IdempotentRequest, utcnow
from domain.roster import AccountRole
from server import create_app
from services import auth, idempotency
from services.auth import authenticate
from tests.api import Api
from tests.conftest import TEST_SECRET
from tests.county import PASSWORD, SYSTEM, build_county, create_system_admin
from tests.test_documents import DRAFT, Desk

AT_ONCE = 20
CREATE_TOKEN = """mutation($name: String!) { createApiToken(input: {name: $name}) {
  __typename ... on ApiTokenCreated { apiToken { name } } ... on MutationError { code message } } }"""
VERIFY_COUNTY = "{ verifyAuditChain { intact events firstBrokenSeq problem } }"
VERIFY_SYSTEM = "{ verifyAuditChain(system: true) { intact events firstBrokenSeq problem } }"
ME = "{ me { username } }"


async def trail(sessions, county_id: int | None) -> list[int]:
    async with sessions() as session:
        where = AuditEvent.county_id.is_(None) if county_id is None else AuditEvent.county_id == county_id
        return list((await session.execute(select(AuditEvent.seq).where(where).order_by(AuditEvent.seq))).scalars())


@pytest.fixture
async def desk(api, sessions) -> Desk:
    return Desk(api, await build_county(sessions))


# ---------------------------------------------------------------- defect 3: one lock order, no deadlocks


async def test_twenty_drafts_written_at_once_in_one_county_all_land_in_one_unbroken_trail(desk, api, sessions):
    token = await desk.token("EDU")
    before = await trail(sessions, desk.county.id)
    draft = {"issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE", "direction": "DOWNWARD",
             "leadDepartmentId": desk.county.department("教育局")}

    replies = await asyncio.gather(*(api.call(DRAFT, {"d": {**draft, "title": f"关于第{n}批校舍检查的通知"}},
                                              token=token) for n in range(AT_ONCE)))

    assert [r.status for r in replies] == [200] * AT_ONCE
    assert all(not r.errors and r.data["createDraft"]["__typename"] == "DocumentPayload" for r in replies), replies
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Document)) == AT_ONCE
    seqs = await trail(sessions, desk.county.id)
    assert seqs == list(range(1, len(before) + AT_ONCE + 1))
    check = (await api.ok(VERIFY_COUNTY, token=await api.login(desk.county.admin, PASSWORD)))["verifyAuditChain"]
    assert check == {"intact": True, "events": len(seqs), "firstBrokenSeq": None, "problem": None}


async def test_twenty_accounts_created_at_once_in_one_county_all_succeed_in_one_unbroken_trail(desk, api, sessions):
    county_id = desk.county.id
    before = await trail(sessions, county_id)

    async def create(n: int) -> Account:
        # What `qianfa account create` runs, one transaction per process.
        async with sessions() as session, session.begin():
            return await auth.create_account(session, username=f"clerk{n:02}.yanjin", password=PASSWORD,
                                             role=AccountRole.COUNTY_ADMIN, county_id=county_id, actor=SYSTEM)

    accounts = await asyncio.gather(*(create(n) for n in range(AT_ONCE)))

    assert len({a.id for a in accounts}) == AT_ONCE
    assert await trail(sessions, county_id) == list(range(1, len(before) + AT_ONCE + 1))
    check = (await api.ok(VERIFY_COUNTY, token=await api.login(desk.county.admin, PASSWORD)))["verifyAuditChain"]
    assert check["intact"] is True


# ---------------------------------------------------------------- defect 4: the system-level trail


async def test_twenty_api_tokens_made_at_once_by_the_system_administrator_keep_one_system_trail(api, sessions):
    await create_system_admin(sessions)
    token = await api.login("root", PASSWORD)
    before = await trail(sessions, None)

    replies = await asyncio.gather(*(api.call(CREATE_TOKEN, {"name": f"nightly sync {n}"}, token=token)
                                     for n in range(AT_ONCE)))

    assert all(not r.errors and r.data["createApiToken"]["__typename"] == "ApiTokenCreated" for r in replies), replies
    assert await trail(sessions, None) == list(range(1, len(before) + AT_ONCE + 1))
    check = (await api.ok(VERIFY_SYSTEM, token=token))["verifyAuditChain"]
    assert check == {"intact": True, "events": len(before) + AT_ONCE, "firstBrokenSeq": None, "problem": None}


async def test_the_system_trail_is_verified_by_the_system_administrator_only(desk, api, sessions):
    await create_system_admin(sessions)
    county_admin = await api.login(desk.county.admin, PASSWORD)
    refused = await api.call(VERIFY_SYSTEM, token=county_admin)
    assert refused.error_codes == ["FORBIDDEN"]
    both = await api.call("query($c: ID) { verifyAuditChain(countyId: $c, system: true) { intact } }",
                          {"c": desk.county.gid}, token=await api.login("root", PASSWORD))
    assert both.error_codes == ["BAD_REQUEST"]


async def test_the_command_line_verifies_the_system_trail_and_names_its_first_broken_link(qianfa, sessions):
    await create_system_admin(sessions)
    intact = await qianfa("audit", "verify", "--system")
    assert intact.code == 0, intact.err
    assert intact.out.strip() == "The audit chain of the system is intact: 1 events."
    async with sessions() as session, session.begin():
        await session.execute(update(AuditEvent).where(AuditEvent.county_id.is_(None), AuditEvent.seq == 1)
                              .values(action="account.tampered"))
    broken = await qianfa("audit", "verify", "--system")
    assert broken.code == 1
    assert "broken at event 1" in broken.err
    neither = await qianfa("audit", "verify")
    assert neither.code == 1 and "--county CODE or --system" in neither.err


# ---------------------------------------------------------------- defect 9: idempotency keys after a crash


def _body(title: str) -> bytes:
    return orjson.dumps({"query": DRAFT, "variables": {"d": {
        "title": title, "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE", "direction": "DOWNWARD"}}})


async def _post_once(desk: Desk, body: bytes, key: str) -> httpx.Response:
    return await desk.api.client.post("/graphql", content=body, headers={
        "content-type": "application/json", "Idempotency-Key": key,
        "Authorization": f"Bearer {await desk.token('EDU')}"})


async def _account_id(sessions, username: str) -> int:
    async with sessions() as session:
        return await session.scalar(select(Account.id).where(Account.username == username))


async def _claim_left_behind(sessions, account_id: int, key: str, body: bytes, *, age: dt.timedelta,
                             answered: bool = False) -> None:
    """The row a request left when its server process was killed (or, answered, an old finished one)."""
    async with sessions() as session, session.begin():
        session.add(IdempotentRequest(account_id=account_id, key=key, request_digest=idempotency.digest(body),
                                      created_at=utcnow() - age, status_code=200 if answered else None,
                                      response_body='{"data":{}}' if answered else None))


async def test_a_retry_after_the_server_died_mid_request_runs_once_the_claim_s_lease_is_over(desk, settings, sessions):
    body = _body("关于开展校园安全检查的通知")
    account_id = await _account_id(sessions, desk.county.account("EDU"))
    lease = dt.timedelta(seconds=settings.idempotency_lease_seconds)

    await _claim_left_behind(sessions, account_id, "draft-killed-9", body, age=lease / 2)
    still_running = await _post_once(desk, body, "draft-killed-9")
    assert still_running.status_code == 409
    assert still_running.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_IN_PROGRESS"

    async with sessions() as session, session.begin():
        await session.execute(update(IdempotentRequest).values(created_at=utcnow() - lease - dt.timedelta(seconds=1)))
    taken_over = await _post_once(desk, body, "draft-killed-9")
    assert taken_over.status_code == 200
    assert taken_over.json()["data"]["createDraft"]["__typename"] == "DocumentPayload"
    replayed = await _post_once(desk, body, "draft-killed-9")
    assert replayed.headers["idempotent-replayed"] == "true" and replayed.json() == taken_over.json()
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Document)) == 1


async def test_a_key_is_forgotten_after_its_lifetime_and_purged(desk, settings, sessions):
    lifetime = dt.timedelta(hours=settings.idempotency_key_hours)
    account_id = await _account_id(sessions, desk.county.account("EDU"))
    # Yesterday's key, used then for another request: today it is a new key.
    await _claim_left_behind(sessions, account_id, "draft-2024-05-01", _body("昨天的通知"),
                             age=lifetime + dt.timedelta(minutes=1), answered=True)
    today = await _post_once(desk, _body("今天的通知"), "draft-2024-05-01")
    assert today.status_code == 200
    assert today.json()["data"]["createDraft"]["__typename"] == "DocumentPayload"

    await _claim_left_behind(sessions, account_id, "draft-old", _body("旧"), age=lifetime + dt.timedelta(hours=1),
                             answered=True)
    assert await idempotency.purge_expired(sessions, lifetime=lifetime) == 1
    async with sessions() as session:
        assert list((await session.execute(select(IdempotentRequest.key))).scalars()) == ["draft-2024-05-01"]


# ---------------------------------------------------------------- defect 10: stalls and hangs


LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on LoginSuccess { account { username } } ... on MutationError { code } } }"""


async def test_signing_in_with_a_token_already_in_the_request_answers(desk, api):
    """A client that sends its old token with every request, sign-in included (the sign-in check's
    read once held SQLite's write lock, so the sign-in waited on its own request, then failed)."""
    old_token = await desk.token("EDU")
    sign_in, reading = await asyncio.gather(
        api.call(LOGIN, {"u": desk.county.account("DIR"), "p": PASSWORD}, token=old_token),
        api.call(ME, token=old_token))
    assert sign_in.status == 200 and not sign_in.errors, sign_in
    assert sign_in.data["login"] == {"__typename": "LoginSuccess", "account": {"username": desk.county.account("DIR")}}
    assert reading.data == {"me": {"username": desk.county.account("EDU")}}


async def test_a_request_busy_reading_holds_up_no_sign_in(desk, api, engine):
    """Every signed-in request reads through one session until it answers; meanwhile others write."""
    old_token = await desk.token("EDU")
    reading = read_session_factory(engine)()
    try:
        # What a signed-in request does first, then keeps its session open while its fields resolve.
        assert await authenticate(reading, bearer=old_token, secret_key=TEST_SECRET) is not None
        sign_in = await api.call(LOGIN, {"u": desk.county.account("DIR"), "p": PASSWORD})
    finally:
        await reading.close()
    assert sign_in.status == 200 and not sign_in.errors, sign_in
    assert sign_in.data["login"]["__typename"] == "LoginSuccess"


@contextlib.asynccontextmanager
async def small_app(database_url: str, **settings):
    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET, **settings))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
            yield app, Api(client)
    finally:
        await app.state.engine.dispose()


def _unavailable(reply: httpx.Response) -> None:
    assert reply.status_code == 503, reply.text
    assert reply.headers["retry-after"] == "1"
    assert reply.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_a_read_stuck_behind_a_lock_ends_with_a_clean_503_at_the_statement_timeout(desk, database_url, engine):
    if not database_url.startswith("postgresql"):
        pytest.skip("statement_timeout is PostgreSQL's")
    token = await desk.token("EDU")
    async with small_app(database_url, database_statement_timeout=0.3) as (_app, api):
        async with engine.connect() as other, other.begin():
            # A migration, say, holding the accounts table: every sign-in check waits for it.
            await other.execute(text("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"))
            reply = await api.client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})
        _unavailable(reply)
        assert (await api.ok(ME, token=token)) == {"me": {"username": desk.county.account("EDU")}}


async def test_a_database_that_accepts_connections_and_never_answers_gets_a_clean_503(desk, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a network database")
    token = await desk.token("EDU")
    held: list[asyncio.StreamWriter] = []

    async def silent(_reader, writer):
        held.append(writer)  # accept, then say nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with small_app(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/qianfa",
                             database_connect_timeout=0.3) as (_app, api):
            reply = await api.client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})
        _unavailable(reply)
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


# ---------------------------------------------------------------- defect 11: a bounded pool


async def test_when_every_pooled_connection_is_busy_requests_get_503_with_retry_after(desk, database_url, sessions):
    token = await desk.token("EDU")
    body = _body("关于开展校园安全检查的通知")
    async with small_app(database_url, database_pool_size=1, database_pool_timeout=0.2) as (app, api):
        async with app.state.engine.connect() as busy:
            await busy.execute(text("SELECT 1"))
            read = await api.client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})
            sign_in = await api.client.post("/graphql", json={"query": """mutation { login(username: "x", password:
                "y") { __typename } }"""})
            draft = await api.client.post("/graphql", content=body, headers={
                "content-type": "application/json", "Idempotency-Key": "draft-busy", "Authorization": f"Bearer {token}"})
        for reply in (read, sign_in, draft):
            _unavailable(reply)
        # The busy answer was not kept for the key: the retry runs the request.
        retry = await api.client.post("/graphql", content=body, headers={
            "content-type": "application/json", "Idempotency-Key": "draft-busy", "Authorization": f"Bearer {token}"})
        assert retry.status_code == 200 and "idempotent-replayed" not in retry.headers
        assert retry.json()["data"]["createDraft"]["__typename"] == "DocumentPayload"
