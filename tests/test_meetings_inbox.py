"""A meeting's news, live: `meetingEvents` over graphql-transport-ws to the people of the meeting; and the
agenda items waiting for someone (agendaItemsAwaitingMe), who hears when an item's turn comes to them.

Real clients over real sockets to a threaded server, as tests/test_inbox_subscriptions.py does; each
subscriber is proven live by probes before a scenario acts.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets

from db.models import utcnow
from services.events import InboxEvent, MeetingEventKind
from tests.api import Api
from tests.county import PASSWORD, County, build_county
from tests.live_server import running_server
from tests.meetings import CST, PARTY_GROUP, bodies, succeed
from tests.test_documents import SUBMIT, Desk
from tests.test_inbox_subscriptions import PROBE, WAIT, Feed, SubscriptionError, pk, probe_for, subscribed

MEETING_EVENTS = """subscription { meetingEvents { kind note at meeting { id title state } item { id title state } } }"""
AWAITING = """{ agendaItemsAwaitingMe(first: 10) { totalCount nodes { title state } } }"""
TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
A_WEEK_BEFORE = TUESDAY - dt.timedelta(weeks=1)


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


async def _meeting_feed(ws) -> AsyncIterator[dict]:
    async for raw in ws:
        message = json.loads(raw)
        assert message["type"] == "next", message
        if message["payload"].get("errors"):
            raise SubscriptionError(message["payload"]["errors"])
        yield message["payload"]["data"]["meetingEvents"]


@contextlib.asynccontextmanager
async def listening(served, sessions, desk: Desk, code: str, meeting_id: str) -> AsyncIterator[Feed]:
    """``code``'s live meeting news, proven live by probes about ``meeting_id``."""
    async with websockets.connect(served.websocket_url, subprotocols=["graphql-transport-ws"],
                                  open_timeout=WAIT) as ws:
        token = await desk.token(code)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        await ws.send(json.dumps({"type": "subscribe", "id": "m", "payload": {"query": MEETING_EVENTS}}))
        feed = Feed(_meeting_feed(ws))
        try:
            await feed.until_listening(sessions, InboxEvent(
                kind=MeetingEventKind.NOTICE, county_id=desk.county.id, official_id=desk.county.officials[code],
                document_id=None, step_id=None, at=utcnow(), note=PROBE, meeting_id=pk(meeting_id)))
            yield feed
        finally:
            feed.close()


async def _schedule(desk: Desk, body: str, at: dt.datetime = TUESDAY) -> dict:
    county: County = desk.county
    return (await succeed(desk.api, await desk.token("DDIR1"), "scheduleMeeting", bodyId=body, scheduledAt=at,
                          place="县政府第一会议室", chairId=county.official("MAG")))["meeting"]


async def _standing(desk: Desk) -> str:
    return (await bodies(desk.api, await desk.token("DDIR1")))["县政府常务会议"]["id"]


async def test_the_notice_reaches_every_member_and_attendee_live(served, sessions, desk):
    meeting = await _schedule(desk, await _standing(desk))
    office = await desk.token("DDIR1")
    await succeed(desk.api, office, "recordAttendance", meetingId=meeting["id"],
                  officialId=desk.county.official("TWN"), status="EXPECTED", kind="ATTENDING")
    async with listening(served, sessions, desk, "VM2", meeting["id"]) as member, \
            listening(served, sessions, desk, "TWN", meeting["id"]) as attendee:
        await succeed(desk.api, office, "sendMeetingNotice", meetingId=meeting["id"], sentAt=A_WEEK_BEFORE)
        heard = [await member.next(), await attendee.next()]
    for event in heard:
        assert (event["kind"], event["item"]) == ("NOTICE", None)
        assert event["meeting"] == {"id": meeting["id"], "title": "2026年第1次县政府常务会议", "state": "NOTICE_SENT"}


async def test_a_cancelled_meeting_tells_its_people_and_nobody_else(served, sessions, desk):
    standing = await _schedule(desk, await _standing(desk))
    admin = await desk.api.login(desk.county.admin, PASSWORD)
    party_body = (await succeed(desk.api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]["id"]
    party = await _schedule(desk, party_body)
    office = await desk.token("DDIR1")
    # The finance bureau's chief sits in the party group, not on the standing committee.
    async with listening(served, sessions, desk, "FIN", party["id"]) as chief:
        await succeed(desk.api, office, "sendMeetingNotice", meetingId=standing["id"], sentAt=A_WEEK_BEFORE)
        await succeed(desk.api, office, "cancelMeeting", meetingId=party["id"])
        first = await chief.next()
    assert (first["kind"], first["meeting"]["id"], first["meeting"]["state"]) == ("CANCELLED", party["id"],
                                                                                 "CANCELLED")


async def test_the_document_feed_carries_no_meeting_news(served, sessions, desk):
    meeting = await _schedule(desk, await _standing(desk))
    document = await desk.draft()
    async with subscribed(served.websocket_url, await desk.token("DIR")) as director:
        await director.until_listening(sessions, probe_for(desk, "DIR", document))
        await succeed(desk.api, await desk.token("DDIR1"), "sendMeetingNotice", meetingId=meeting["id"],
                      sentAt=A_WEEK_BEFORE)
        await desk.do("EDU", SUBMIT, id=document)
        first = await director.next()
    assert (first["kind"], first["document"]["id"]) == ("NEW_ITEM", document)


async def test_an_event_of_a_meeting_survives_the_notify_payload_round_trip():
    event = InboxEvent(kind=MeetingEventKind.ITEM_AWAITS, county_id=3, official_id=9, document_id=None, step_id=None,
                       at=utcnow(), meeting_id=None, item_id=41)
    assert InboxEvent.from_json(event.to_json()) == event


# ---------------------------------------------------------------- items waiting for someone

PROPOSE = """mutation($input: ProposeAgendaItemInput!) { proposeAgendaItem(input: $input) { __typename
  ... on MutationError { code message } ... on AgendaItemPayload { item { id state } } } }"""
STEP = """mutation($input: AgendaStepInput!) { %s(input: $input) { __typename
  ... on MutationError { code message } ... on AgendaItemPayload { item { id state } } } }"""
CHECK = """mutation($input: AgendaItemInput!) { checkAgendaItem(input: $input) { __typename
  ... on MutationError { code message } ... on AgendaItemPayload { item { id state } } } }"""


async def _awaiting(desk: Desk, code: str) -> list[tuple[str, str]]:
    data = await desk.api.ok(AWAITING, token=await desk.token(code))
    return [(n["title"], n["state"]) for n in data["agendaItemsAwaitingMe"]["nodes"]]


async def test_an_item_waits_for_the_vm_in_charge_then_the_office_then_the_chair(served, sessions, desk):
    standing = await _standing(desk)
    meeting = await _schedule(desk, standing)  # only for the probes: the item is on no meeting yet
    title = "关于新建城东小学的议题"
    async with listening(served, sessions, desk, "VM1", meeting["id"]) as vm, \
            listening(served, sessions, desk, "DDIR2", meeting["id"]) as office, \
            listening(served, sessions, desk, "MAG", meeting["id"]) as chair:
        proposed = await desk.do("EDU", PROPOSE, input={"bodyId": standing, "title": title})
        assert proposed["item"]["state"] == "PROPOSED", proposed
        item = proposed["item"]["id"]
        # The education bureau's VM coordinates it; nobody else's turn yet.
        assert (await vm.next())["item"] == {"id": item, "title": title, "state": "PROPOSED"}
        assert await _awaiting(desk, "VM1") == [(title, "PROPOSED")]
        assert await _awaiting(desk, "VM2") == [] and await _awaiting(desk, "DDIR2") == []
        assert (await desk.do("VM1", STEP % "coordinateAgendaItem", input={"itemId": item}))["item"]["state"] == \
            "COORDINATED"
        assert (await office.next())["item"]["state"] == "COORDINATED"
        assert await _awaiting(desk, "VM1") == [] and await _awaiting(desk, "DDIR2") == [(title, "COORDINATED")]
        assert (await desk.do("DDIR1", CHECK, input={"itemId": item}))["item"]["state"] == "CHECKED"
        heard = await chair.next()
        assert (heard["kind"], heard["item"]["state"], heard["meeting"]) == ("ITEM_AWAITS", "CHECKED", None)
        assert await _awaiting(desk, "MAG") == [(title, "CHECKED")] and await _awaiting(desk, "DDIR2") == []
        assert (await desk.do("MAG", STEP % "acceptAgendaItem", input={"itemId": item}))["item"]["state"] == \
            "ACCEPTED"
    assert await _awaiting(desk, "MAG") == []
