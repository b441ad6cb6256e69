"""The live inbox: `inboxEvents` over graphql-transport-ws, from a committed change to every process.

Real clients over real sockets: a threaded uvicorn (both engines) or two `python server.py`
processes (PostgreSQL). Before a scenario acts, each subscriber is proven live by probe events
published until one arrives, so no test races the subscription's start.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import threading
import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
import websockets
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport
from sqlalchemy import select
from strawberry.relay import from_base64
from websockets.exceptions import ConnectionClosed

from db.models import Account, utcnow
from services import auth, events
from services.events import EventHub, InboxEvent, InboxEventKind
from tests.api import Api
from tests.conftest import TEST_SECRET
from tests.county import PASSWORD, SYSTEM, build_county
from tests.live_server import running_server, server_process
from tests.test_documents import APPROVE, RETURN, SUBMIT, WITHDRAW, Desk, away

INBOX_EVENTS = """subscription { inboxEvents { kind route note at onBehalfOf { code }
  document { id title state history { kind } } step { action state } } }"""
WAIT = 10.0  # seconds: the bound on every wait for something that should happen
PROBE = "probe"


@pytest.fixture(scope="module")
def served(settings, engine):
    """A threaded server on the test database, with its app (and so its event hub) in reach."""
    with running_server(settings) as live:
        yield live, live.app


class LiveDesk(Desk):
    """The county's people at their desks, at the threaded server: HTTP for acting, sockets for listening."""

    def __init__(self, api: Api, county, websocket_url: str) -> None:
        super().__init__(api, county)
        self.websocket_url = websocket_url


@pytest.fixture
async def desk(served, sessions):
    live, app = served
    county = await build_county(sessions)
    async with httpx.AsyncClient(base_url=live.base_url, timeout=WAIT) as http:
        yield LiveDesk(Api(http), county, live.websocket_url)
    # The next test's county may reuse this one's id (SQLite).
    app.state.tables.forget_all()
    app.state.rosters.clear()


def pk(global_id: str) -> int:
    return int(from_base64(global_id)[1])


class Feed:
    """Inbox events as a client receives them, read in the background so every wait is bounded."""

    def __init__(self, received: AsyncIterator[dict]) -> None:
        self._queue: asyncio.Queue = asyncio.Queue()
        self._task = asyncio.create_task(self._read(received))

    async def _read(self, received: AsyncIterator[dict]) -> None:
        try:
            async for event in received:
                await self._queue.put(event)
        except Exception as error:  # noqa: BLE001 - surfaced by next()
            await self._queue.put(error)

    async def _take(self, timeout: float) -> dict:
        item = await asyncio.wait_for(self._queue.get(), timeout)
        if isinstance(item, Exception):
            raise item
        return item

    async def next(self, timeout: float = WAIT) -> dict:
        """The next event that is not a probe."""
        deadline = time.monotonic() + timeout
        while True:
            event = await self._take(max(deadline - time.monotonic(), 0.01))
            if event["note"] != PROBE:
                return event

    async def until_listening(self, sessions, probe: InboxEvent) -> None:
        """Publish the probe, committed, until it comes back: the subscription is live in the server."""
        deadline = time.monotonic() + WAIT
        while True:
            async with sessions() as session, session.begin():
                await events.publish(session, probe)
            with contextlib.suppress(TimeoutError):
                if (await self._take(0.3))["note"] == PROBE:
                    return
            assert time.monotonic() < deadline, "the subscription never started"

    def close(self) -> None:
        self._task.cancel()


async def account_of(sessions, desk: Desk, code: str) -> int:
    async with sessions() as session:
        return (await session.execute(
            select(Account.id).where(Account.username == desk.county.account(code)))).scalar_one()


def probe_for(desk: Desk, code: str, document: str) -> InboxEvent:
    return InboxEvent(kind=InboxEventKind.REMINDER, county_id=desk.county.id, official_id=desk.county.officials[code],
                      document_id=pk(document), step_id=None, at=utcnow(), note=PROBE)


class SubscriptionError(Exception):
    """The server ended the subscription with errors."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.codes = [error.get("extensions", {}).get("code") for error in errors]


async def _by_hand(ws) -> AsyncIterator[dict]:
    async for raw in ws:
        message = json.loads(raw)
        assert message["type"] == "next", message
        if message["payload"].get("errors"):
            raise SubscriptionError(message["payload"]["errors"])
        yield message["payload"]["data"]["inboxEvents"]


@contextlib.asynccontextmanager
async def subscribed(url: str, token: str) -> AsyncIterator[Feed]:
    """graphql-transport-ws spoken by hand: signed in by connection_init, then subscribed to inboxEvents."""
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], open_timeout=WAIT) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        await ws.send(json.dumps({"type": "subscribe", "id": "inbox", "payload": {"query": INBOX_EVENTS}}))
        feed = Feed(_by_hand(ws))
        try:
            yield feed
        finally:
            feed.close()


@contextlib.asynccontextmanager
async def watching(desk: LiveDesk, sessions, code: str, document: str) -> AsyncIterator[Feed]:
    """``code``'s live inbox on the threaded server, proven live."""
    async with subscribed(desk.websocket_url, await desk.token(code)) as feed:
        await feed.until_listening(sessions, probe_for(desk, code, document))
        yield feed


async def _no_subscribers_left(hub: EventHub) -> None:
    deadline = time.monotonic() + WAIT
    while hub.subscribers:
        assert time.monotonic() < deadline, f"{hub.subscribers} subscriber(s) left in the hub"
        await asyncio.sleep(0.05)


# ---------------------------------------------------------------- scenarios


async def test_two_processes_the_director_subscribed_on_one_hears_a_submission_made_through_the_other(
        settings, sessions, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("one process per SQLite file: events cross processes through PostgreSQL's LISTEN/NOTIFY")
    county = await build_county(sessions)
    with server_process(settings) as first, server_process(settings) as second:
        async with httpx.AsyncClient(base_url=first.base_url, timeout=WAIT) as http:
            desk = Desk(Api(http), county)
            document = await desk.draft()
            # A stock client: gql speaking graphql-transport-ws, the token in connection_init.
            transport = WebsocketsTransport(url=second.websocket_url,
                                            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
                                            init_payload={"Authorization": f"Bearer {await desk.token('DIR')}"})
            async with Client(transport=transport) as gql_session:
                async def received():
                    async for data in gql_session.subscribe(gql(INBOX_EVENTS)):
                        yield data["inboxEvents"]

                feed = Feed(received())
                try:
                    await feed.until_listening(sessions, probe_for(desk, "DIR", document))
                    assert (await desk.do("EDU", SUBMIT, id=document))["document"]["state"] == "IN_PROGRESS"
                    event = await feed.next(timeout=5)  # "within a few seconds"
                finally:
                    feed.close()
    assert event["kind"] == "NEW_ITEM" and event["route"] == "DIRECT" and event["onBehalfOf"] is None
    assert event["document"] == {"id": document, "title": "关于加强校园安全管理的通知", "state": "IN_PROGRESS",
                                 "history": [{"kind": "SUBMITTED"}]}
    assert event["step"] == {"action": "OFFICE_REVIEW", "state": "ACTIVE"}


async def test_a_submission_reaches_the_first_steps_people_and_the_next_step_when_it_activates(desk, sessions):
    document = await desk.draft()
    async with watching(desk, sessions, "DIR", document) as director, \
            watching(desk, sessions, "VM1", document) as vm:
        await desk.do("EDU", SUBMIT, id=document)
        assert (await director.next())["step"]["action"] == "OFFICE_REVIEW"
        await desk.do("DIR", APPROVE, id=document, opinion="请签发")
        signing = await vm.next()
    assert (signing["kind"], signing["route"], signing["step"]) == ("NEW_ITEM", "DIRECT",
                                                                    {"action": "SIGN", "state": "ACTIVE"})


async def test_covering_for_an_absent_vm_the_ab_partner_receives_the_vms_new_item(desk, sessions):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    async with watching(desk, sessions, "EVM", document) as partner:
        # Cover is decided when the event arrives, not when the subscription started.
        await away(sessions, desk.county, "VM1")
        await desk.do("DIR", APPROVE, id=document, opinion="请签发")
        event = await partner.next()
    assert event["kind"] == "NEW_ITEM" and event["route"] == "AB_PARTNER"
    assert event["onBehalfOf"] == {"code": "VM1"} and event["step"]["action"] == "SIGN"
    assert event["document"]["id"] == document


async def test_a_bad_token_in_connection_init_is_refused_with_4403_and_nothing_flows(desk, sessions, served):
    _live, app = served
    document = await desk.draft()
    expired = jwt.encode({"sub": str(await account_of(sessions, desk, "DIR")), "typ": "access", "exp": utcnow() - dt.timedelta(minutes=1)},
                         TEST_SECRET, algorithm="HS256")
    for payload in ({"authorization": "Bearer not-a-token"}, {"authorization": f"Bearer {expired}"},
                    {"authorization": await desk.token("DIR")},  # no scheme
                    {}, None):
        async with websockets.connect(desk.websocket_url, subprotocols=["graphql-transport-ws"],
                                      open_timeout=WAIT) as ws:
            await ws.send(json.dumps({"type": "connection_init", **({} if payload is None else {"payload": payload})}))
            await ws.send(json.dumps({"type": "subscribe", "id": "inbox", "payload": {"query": INBOX_EVENTS}}))
            with pytest.raises(ConnectionClosed) as closed:
                message = await asyncio.wait_for(ws.recv(), WAIT)
                pytest.fail(f"refused socket got {message}")
            # A genuine but expired token says so, for the client to sign in again.
            reason = "TOKEN_EXPIRED" if payload == {"authorization": f"Bearer {expired}"} else "Forbidden"
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, reason), payload
    await desk.do("EDU", SUBMIT, id=document)
    assert app.state.events.subscribers == 0


async def test_a_return_tells_the_reopened_steps_people_and_a_return_to_the_drafter_tells_the_drafter(
        desk, sessions):
    document = await desk.draft()
    async with watching(desk, sessions, "DIR", document) as director, \
            watching(desk, sessions, "EDU", document) as drafter:
        await desk.do("EDU", SUBMIT, id=document)
        assert [e["kind"] for e in (await director.next())["document"]["history"]] == ["SUBMITTED"]
        await desk.do("DIR", APPROVE, id=document, opinion="请签发")
        returned = await desk.do("VM1", RETURN, id=document, to=1, reason="请办公室重新核稿")
        assert returned["__typename"] == "DocumentPayload", returned
        reopened = await director.next()
        # Read afresh for each event: nothing cached from the first one on this socket.
        assert [e["kind"] for e in reopened["document"]["history"]] == ["SUBMITTED", "APPROVED", "RETURNED"]
        await desk.do("DIR", RETURN, id=document, reason="文种不当，请改为请示")
        back = await drafter.next()
    assert (reopened["kind"], reopened["note"], reopened["step"]) == (
        "RETURNED", "请办公室重新核稿", {"action": "OFFICE_REVIEW", "state": "ACTIVE"})
    assert (back["kind"], back["note"], back["step"], back["document"]["state"]) == (
        "RETURNED", "文种不当，请改为请示", None, "RETURNED")


async def test_a_withdrawn_submission_is_taken_out_of_the_first_steps_inbox(desk, sessions):
    document = await desk.draft()
    async with watching(desk, sessions, "DIR", document) as director:
        await desk.do("EDU", SUBMIT, id=document)
        assert (await director.next())["kind"] == "NEW_ITEM"
        await desk.do("EDU", WITHDRAW, id=document)
        withdrawn = await director.next()
    assert (withdrawn["kind"], withdrawn["document"]["state"]) == ("WITHDRAWN", "DRAFT")


async def test_a_token_revoked_while_listening_ends_the_feed(desk, sessions):
    document = await desk.draft()
    account = await account_of(sessions, desk, "DIR")
    async with sessions() as session, session.begin():
        token, row = await auth.create_api_token(session, account_id=account, name="office wall screen", actor=SYSTEM)
    async with subscribed(desk.websocket_url, token) as director:
        await director.until_listening(sessions, probe_for(desk, "DIR", document))
        async with sessions() as session, session.begin():
            await auth.revoke_api_token(session, token_id=row.id, actor=SYSTEM)
        await desk.do("EDU", SUBMIT, id=document)
        with pytest.raises(SubscriptionError) as ended:
            await director.next()
    assert ended.value.codes == ["UNAUTHENTICATED"]


async def test_a_rolled_back_change_publishes_nothing(desk, sessions):
    refused = await desk.draft(title="越权的通知", departmentalMatter=True)
    document = await desk.draft()
    async with watching(desk, sessions, "DIR", document) as director:
        assert (await desk.do("EDU", SUBMIT, id=refused))["code"] == "SUBMISSION_RULE"
        # Published, then the transaction fails: nobody hears of it.
        with pytest.raises(RuntimeError):
            async with sessions() as session, session.begin():
                await events.publish(session, InboxEvent(
                    kind=InboxEventKind.NEW_ITEM, county_id=desk.county.id, official_id=desk.county.officials["DIR"],
                    document_id=pk(refused), step_id=None, at=utcnow(), note="rolled back"))
                raise RuntimeError("the change fails after publishing")
        await desk.do("EDU", SUBMIT, id=document)
        first = await director.next()
    assert (first["kind"], first["document"]["id"]) == ("NEW_ITEM", document)


async def test_a_disconnected_subscriber_leaves_the_hub(desk, sessions, served):
    _live, app = served
    document = await desk.draft()
    async with watching(desk, sessions, "DIR", document):
        assert app.state.events.subscribers == 1
    await _no_subscribers_left(app.state.events)


async def test_only_an_officials_account_has_a_live_inbox(desk):
    admin = await desk.api.login(desk.county.admin, PASSWORD)
    async with websockets.connect(desk.websocket_url, subprotocols=["graphql-transport-ws"],
                                  open_timeout=WAIT) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {admin}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        await ws.send(json.dumps({"type": "subscribe", "id": "inbox", "payload": {"query": INBOX_EVENTS}}))
        refused = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == ["FORBIDDEN"]
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"id": "inbox", "type": "complete"}


async def test_a_subscription_over_plain_http_is_refused_with_a_reason(api):
    response = await api.call(INBOX_EVENTS)
    assert response.data is None and response.error_codes == ["BAD_REQUEST"]
    assert "WebSocket" in response.errors[0]["message"]


# ---------------------------------------------------------------- the hub on its own


async def test_a_slow_subscriber_loses_its_oldest_events_with_a_log_line(engine, caplog):
    hub = EventHub(queue_size=2)
    hub.open(engine)
    at = utcnow()
    sent = [InboxEvent(kind=InboxEventKind.REMINDER, county_id=1, official_id=7, document_id=n, step_id=None, at=at)
            for n in range(1, 5)]
    with hub.subscribe(county_id=1, official_id=7) as inbox, caplog.at_level("WARNING", "qianfa.events"):
        # From another thread, as a commit elsewhere would.
        thread = threading.Thread(target=lambda: [hub.deliver(event) for event in sent])
        thread.start()
        thread.join()
        await asyncio.sleep(0.05)
        kept = [await asyncio.wait_for(inbox.get(), 1), await asyncio.wait_for(inbox.get(), 1)]
        assert hub.subscribers == 1
    assert [event.document_id for event in kept] == [3, 4]
    assert [r.message for r in caplog.records].count("inbox subscriber fell behind; dropped its oldest event") == 2
    assert hub.subscribers == 0
    hub.close()


async def test_an_event_survives_the_notify_payload_round_trip():
    event = InboxEvent(kind=InboxEventKind.RETURNED, county_id=3, official_id=9, document_id=12, step_id=None,
                       at=utcnow(), note="请办公室重新核稿" * 500)
    back = InboxEvent.from_json(event.to_json())
    assert back == InboxEvent(**{**event.__dict__, "note": event.note[:events.MAX_NOTE_CHARS]})
    assert len(event.to_json().encode()) < 8000  # PostgreSQL's NOTIFY limit

