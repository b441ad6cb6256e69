"""The clock to issuing: "县政府全体会议和县政府常务会议讨论通过决定印发的文件，原则上须在会议结束后7个工作日内印发"
(001 §22). It starts at signing from the deadline table's issue row, counts from the deciding meeting's end and
runs to ISSUED; once it lapses the sweeper reminds the office once (audited, in the document's history, on the
inbox of whoever may issue it). Both engines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from db.models import AuditEvent
from db.models_issuing import IssueReminder
from services import deadlines
from tests.county import PASSWORD, build_county
from tests.issuing import DOCUMENT, issue, signed, to_department
from tests.test_meetings_signing_gate import decision_of, draft, sign, to_signature

CST = dt.timezone(dt.timedelta(hours=8))
# The deciding meeting ended on Thursday Sep 24, 2026: Sep 28, 29, 30, Oct 8, 9, 10 (the swapped Saturday), 12.
DUE = dt.datetime(2026, 10, 13, tzinfo=CST)
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Document {{ {DOCUMENT} }} }} }}"


async def decided_and_signed(api, sessions, county, title: str) -> str:
    document = (await draft(api, county, title=title, decisionId=await decision_of(api, sessions, county)))[
        "document"]["id"]
    assert (await sign(api, county, document, await to_signature(api, county, document)))["document"]["state"] == \
        "SIGNED"
    return document


async def test_a_decided_document_not_issued_in_time_is_reminded_once_to_the_office(api, sessions):
    county = await build_county(sessions)
    late = await decided_and_signed(api, sessions, county, "关于城乡供水一体化项目资金安排的通知")
    token = await api.login(county.account("DIR"), PASSWORD)
    read = (await api.ok(READ, {"id": late}, token=token))["node"]
    assert dt.datetime.fromisoformat(read["issueDueAt"]) == DUE and read["issueDeadline"]["article"] == "001 §22"
    # Without a meeting's decision there is no limit on issuing.
    plain = (await api.ok(READ, {"id": await signed(sessions, county)}, token=token))["node"]
    assert (plain["issueDueAt"], plain["issueDeadline"]) == (None, None)

    assert (await deadlines.sweep(sessions, now=DUE - dt.timedelta(hours=1))).issues_reminded == 0
    assert (await deadlines.sweep(sessions, now=DUE + dt.timedelta(hours=1))).issues_reminded == 1
    assert (await deadlines.sweep(sessions, now=DUE + dt.timedelta(days=30))).issues_reminded == 0

    reminded = (await api.ok(READ, {"id": late}, token=token))["node"]["history"][-1]
    assert reminded["kind"] == "REMINDED" and reminded["actor"] is None and "001 §22" in reminded["opinion"]
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(IssueReminder))).scalar_one() == 1
        audited = (await session.execute(select(AuditEvent).where(
            AuditEvent.action == "deadline.issue_reminded"))).scalar_one()
    # Whoever the signing table lets issue it in person: the office's director and staff (001 §22).
    assert sorted(audited.after["reminded"]) == sorted(county.officials[c] for c in ("DIR", "DDIR1", "DDIR2"))

    # Issued, it is never reminded again; the office issued it late, and that stays on record.
    issued = (await issue(api, county, "DIR", late, [to_department(county, "财政局")]))["document"]
    assert issued["state"] == "ISSUED" and [e["kind"] for e in issued["history"]][-2:] == ["REMINDED", "ISSUED"]


async def test_a_decided_document_issued_in_time_is_not_reminded(api, sessions):
    county = await build_county(sessions)
    document = await decided_and_signed(api, sessions, county, "关于城乡供水一体化项目资金安排的通知")
    await issue(api, county, "DDIR2", document, [to_department(county, "财政局")])
    assert (await deadlines.sweep(sessions, now=DUE + dt.timedelta(days=1))).issues_reminded == 0
