"""generic-2022's 3-day rule (3日公文办结制度, 000 §51) on a request sent up: 3 working days on the county's calendar
from receipt to the leader's instruction, important and special matters excepted; the office reminds once when it
runs past, audited, whatever the sweeps. yanjin and lulong set no limit (their seeds name none). Both engines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from strawberry.relay import from_base64

from db.models import AuditEvent, Document
from db.models_incoming import IncomingRequestReminder
from domain.documents import DocumentState, Flag
from domain.roster import RuleSet
from services import deadlines, incoming_requests
from tests.county import PASSWORD, SYSTEM, build_county
from tests.incoming_requests import CST, refused, request_node, sent_up, signed, succeed, township_request

# A Thursday before the 2026 Mid-autumn (Sep 25) and National Day (Oct 1–7) holidays, per chinesecalendar.
RECEIVED = dt.datetime(2026, 9, 24, 10, 0, tzinfo=CST)


async def test_three_working_days_from_receipt_to_the_instruction_and_one_reminder_when_they_run_out(api, sessions):
    county = await build_county(sessions, code="generic", rule_set=RuleSet.GENERIC_2022)
    late = await sent_up(sessions, county, "关于城关镇中心小学扩建的请示", at=RECEIVED)
    major = await sent_up(sessions, county, "关于城关镇整体规划调整的请示", at=RECEIVED, flags=[Flag.MAJOR])
    office = await api.login(county.account("DIR"), PASSWORD)
    received = await request_node(api, office, late)
    # Sep 28, 29, 30: the Friday is Mid-autumn; the third working day ends at midnight, Beijing time.
    assert received["limit"] == {"workingDays": 3, "article": "000 §51", "problem": None}
    assert received["dueAt"] == "2026-09-30T16:00:00+00:00"
    exempt = await request_node(api, office, major)
    assert (exempt["limit"], exempt["dueAt"], exempt["overdue"]) == (None, None, False)
    for step in ("registerIncomingRequest", "presentIncomingRequest"):
        if step == "presentIncomingRequest":
            await succeed(api, office, "proposeIncomingRequestHandling", requestId=late, opinion="拟请郑副县长阅示。")
        await succeed(api, office, step, requestId=late)

    assert (await deadlines.sweep(sessions, now=dt.datetime(2026, 9, 30, 23, tzinfo=CST))).incoming_reminded == 0
    assert (await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 8, 9, tzinfo=CST))).incoming_reminded == 1
    assert (await deadlines.sweep(sessions, now=dt.datetime(2026, 10, 9, 9, tzinfo=CST))).incoming_reminded == 0
    reminded = await request_node(api, office, late)
    assert reminded["overdue"] and reminded["history"][-1]["kind"] == "REMINDED"
    assert "000 §51" in reminded["history"][-1]["note"]
    async with sessions() as session:
        assert len((await session.execute(select(IncomingRequestReminder))).all()) == 1
        audited = (await session.execute(select(AuditEvent).where(
            AuditEvent.action == "incoming_request.remind"))).scalars().all()
        assert [e.entity_id for e in audited] == [int(from_base64(late)[1])]
    overdue = await api.ok("{ incomingRequests(filter: {overdue: true}) { nodes { id } } }", token=office)
    assert [n["id"] for n in overdue["incomingRequests"]["nodes"]] == [late]

    leader = await api.login(county.account("VM2"), PASSWORD)
    await succeed(api, leader, "instructIncomingRequest", requestId=late, opinion="同意扩建，请教育局指导实施。")
    assert not (await request_node(api, office, late))["overdue"]
    await refused(api, sessions, leader, "instructIncomingRequest", expect=("WRONG_STATE", "requestId"),
                  requestId=late, opinion="同意。")


async def test_a_limit_running_into_a_year_nobody_entered_shows_no_due_time_and_says_why(api, sessions):
    county = await build_county(sessions, code="generic", rule_set=RuleSet.GENERIC_2022)
    document_id = await signed(sessions, county, township_request(), at=dt.datetime(2026, 11, 30, 9, tzinfo=CST))
    async with sessions() as session, session.begin():
        # As issued at the year's end: its three working days run into 2027, which the calendar does not know.
        document = await session.get(Document, document_id)
        document.state, document.issue_number = DocumentState.ISSUED, "城关政〔2026〕99号"
        document.issued_at = dt.datetime(2026, 12, 30, 16, tzinfo=CST)
        request = await incoming_requests.receive(session, document=document, actor=SYSTEM)
        assert (request.due_at, request.received_at) == (None, document.issued_at)
        assert request.deadline["working_days"] == 3 and "2027" in request.deadline["problem"]
