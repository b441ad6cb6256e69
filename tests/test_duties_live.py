"""A duty's news, live: `dutyEvents` over graphql-transport-ws to the official and to whoever covers them when
it happens.

Real clients over real sockets to a threaded server, as tests/test_inbox_subscriptions.py does; each
subscriber is proven live by probes before a scenario acts. Duties are put through the real service, as the
systems that create office work put them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets
from sqlalchemy import select
from strawberry.relay import from_base64

from db.models import Account, utcnow
from domain.documents import Route
from domain.duties import Subject, SubjectKind
from services import auth, duties
from services.events import DutyEventKind, InboxEvent
from tests.api import Api
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.live_server import running_server
from tests.test_documents import SUBMIT, Desk, away
from tests.test_inbox_subscriptions import PROBE, WAIT, Feed, SubscriptionError

DUTY_EVENTS = """subscription { dutyEvents { kind note at route onBehalfOf { code } subjectKind subjectId
  duty { title task route onBehalfOf { code } official { code } settledAt settledRoute settledBy { code } } } }"""
REQUEST = Subject(SubjectKind.INCOMING_REQUEST, 41)
ITEM = Subject(SubjectKind.SUPERVISION_ITEM, 7)


@pytest.fixture(scope="module")
def served(settings, engine):
    with running_server(settings) as live:
        yield live


@pytest.fixture
async def desk(served, sessions):
    county = await build_county(sessions)
    async with httpx.AsyncClient(base_url=served.base_url, timeout=WAIT) as http:
        yield Desk(Api(http), county)
    served.app.state.tables.forget_all()
    served.app.state.rosters.clear()


async def _duty_feed(ws) -> AsyncIterator[dict]:
    async for raw in ws:
        message = json.loads(raw)
        assert message["type"] == "next", message
        if message["payload"].get("errors"):
            raise SubscriptionError(message["payload"]["errors"])
        yield message["payload"]["data"]["dutyEvents"]


@contextlib.asynccontextmanager
async def listening(served, sessions, desk: Desk, code: str, token: str | None = None) -> AsyncIterator[Feed]:
    """``code``'s live duty news (signed in with ``token``, else their sign-in), proven live by probes: news of a
    subject, for them."""
    async with websockets.connect(served.websocket_url, subprotocols=["graphql-transport-ws"],
                                  open_timeout=WAIT) as ws:
        token = token or await desk.token(code)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        await ws.send(json.dumps({"type": "subscribe", "id": "d", "payload": {"query": DUTY_EVENTS}}))
        feed = Feed(_duty_feed(ws))
        try:
            await feed.until_listening(sessions, InboxEvent(
                kind=DutyEventKind.REMINDER, county_id=desk.county.id, official_id=desk.county.officials[code],
                document_id=None, step_id=None, at=utcnow(), note=PROBE, subject_kind=REQUEST.kind.value,
                subject_id=REQUEST.id))
            yield feed
        finally:
            feed.close()


async def assign(sessions, county: County, code: str, subject: Subject, title: str) -> None:
    async with sessions() as session, session.begin():
        await duties.assign(session, county_id=county.id, official_ids=[county.officials[code]], subject=subject,
                            task="instruct", title=title, article="001 §31")


async def test_a_duty_put_on_an_away_vm_reaches_him_and_his_ab_partner_and_nobody_else(served, sessions, desk):
    county = desk.county
    await away(sessions, county, "VM1")
    async with listening(served, sessions, desk, "VM1") as vm, \
            listening(served, sessions, desk, "EVM") as partner, \
            listening(served, sessions, desk, "VM2") as other:
        await assign(sessions, county, "VM1", REQUEST, "批示：关于城东小学建设资金的请示")
        own, covered = await vm.next(), await partner.next()
        # VM2 covers nobody: the first news he hears is his own, an escalation of a subject he holds no duty on.
        async with sessions() as session, session.begin():
            await duties.tell_about(session, county_id=county.id, official_ids=[county.officials["VM2"]],
                                    subject=ITEM, kind=DutyEventKind.ESCALATED, note="督〔2026〕7号逾期未办结，报分管副县长")
        escalated = await other.next()
    assert (own["kind"], own["route"], own["onBehalfOf"], own["note"]) == (
        "NEW_DUTY", "DIRECT", None, "批示：关于城东小学建设资金的请示")
    assert (covered["kind"], covered["route"], covered["onBehalfOf"]) == ("NEW_DUTY", "AB_PARTNER", {"code": "VM1"})
    assert covered["duty"] == {"title": "批示：关于城东小学建设资金的请示", "task": "instruct", "route": "AB_PARTNER",
                               "onBehalfOf": {"code": "VM1"}, "official": {"code": "VM1"}, "settledAt": None,
                               "settledRoute": None, "settledBy": None}
    assert covered["subjectKind"] == "INCOMING_REQUEST" and from_base64(covered["subjectId"]) == (
        "IncomingRequest", "41")
    assert (escalated["kind"], escalated["duty"], escalated["route"], escalated["note"]) == (
        "ESCALATED", None, "DIRECT", "督〔2026〕7号逾期未办结，报分管副县长")
    assert (escalated["subjectKind"], from_base64(escalated["subjectId"])) == ("SUPERVISION_ITEM",
                                                                               ("SupervisionItem", "7"))


async def test_a_rolled_back_or_repeated_assignment_sends_nothing_and_a_settled_duty_says_who_settled_it(
        served, sessions, desk):
    county = desk.county
    document = await desk.draft()
    async with listening(served, sessions, desk, "DIR") as director:
        with pytest.raises(RuntimeError):
            async with sessions() as session, session.begin():
                await duties.assign(session, county_id=county.id, official_ids=[county.officials["DIR"]],
                                    subject=REQUEST, task="register", title="签收：回滚的请示", article="001 §31")
                raise RuntimeError("the registration fails after the duty was put")
        # A document's news is inboxEvents', not this feed's.
        await desk.do("EDU", SUBMIT, id=document)
        await assign(sessions, county, "DIR", ITEM, "签收：关于城东小学建设资金的请示")
        first = await director.next()
        # Put again, held once: no second news of it.
        await assign(sessions, county, "DIR", ITEM, "签收：关于城东小学建设资金的请示")
        async with sessions() as session, session.begin():
            await duties.settle(session, subject=ITEM, by_official_id=county.officials["DIR"], route=Route.DIRECT)
        settled = await director.next()
    assert (first["kind"], first["note"]) == ("NEW_DUTY", "签收：关于城东小学建设资金的请示")
    assert settled["kind"] == "SETTLED" and settled["duty"]["settledAt"] is not None
    assert (settled["duty"]["settledBy"], settled["duty"]["settledRoute"]) == ({"code": "DIR"}, "DIRECT")


async def test_a_token_revoked_while_listening_ends_the_feed(served, sessions, desk):
    async with sessions() as session, session.begin():
        account = (await session.execute(select(Account.id).where(
            Account.username == desk.county.account("DIR")))).scalar_one()
        token, row = await auth.create_api_token(session, account_id=account, name="office wall screen", actor=SYSTEM)
    async with listening(served, sessions, desk, "DIR", token) as director:
        async with sessions() as session, session.begin():
            await auth.revoke_api_token(session, token_id=row.id, actor=SYSTEM)
        await assign(sessions, desk.county, "DIR", REQUEST, "签收：关于城东小学建设资金的请示")
        with pytest.raises(SubscriptionError) as ended:
            await director.next()
    assert ended.value.codes == ["UNAUTHENTICATED"]


async def test_only_an_officials_account_hears_duties(desk, served):
    admin = await desk.api.login(desk.county.admin, PASSWORD)
    async with websockets.connect(served.websocket_url, subprotocols=["graphql-transport-ws"],
                                  open_timeout=WAIT) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {admin}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        await ws.send(json.dumps({"type": "subscribe", "id": "d", "payload": {"query": DUTY_EVENTS}}))
        refused = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == ["FORBIDDEN"]


async def test_a_duty_event_survives_the_notify_payload_round_trip():
    event = InboxEvent(kind=DutyEventKind.SETTLED, county_id=3, official_id=9, document_id=None, step_id=None,
                       at=utcnow(), note="签收：关于城东小学建设资金的请示", duty_id=17,
                       subject_kind=SubjectKind.PROPOSAL.value, subject_id=5)
    assert InboxEvent.from_json(event.to_json()) == event
