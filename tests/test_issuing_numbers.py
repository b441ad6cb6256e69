"""发文字号 are gapless and never given twice: the series' counter is read and raised under the county's lock in the
issuing transaction, so two documents issued at the same instant queue and take consecutive numbers, and an issue
that fails after its number was taken rolls the number back with it. Both engines (on SQLite the two issues
queue on the database's one writer; on PostgreSQL on the county's row lock)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64

from db.models import Document
from db.models_issuing import IssueCounter
from domain.issuing import DistributionKind, Recipient
from services import documents, issuing
from services.signing_rules import SigningTables
from tests.county import SYSTEM, build_county
from tests.issuing import issue, signed, to_department
from tests.meetings import CST
from tests.test_roster_admin import snapshot

YEAR = dt.datetime.now(CST).year


async def test_two_documents_issued_at_the_same_instant_take_consecutive_numbers(api, sessions):
    county = await build_county(sessions)
    notices = [await signed(sessions, county, title=f"关于第{n}批项目的通知") for n in (1, 2)]
    results = await asyncio.gather(*(issue(api, county, who, notice, [to_department(county, "财政局")])
                                     for who, notice in zip(("DIR", "DDIR1"), notices, strict=True)))
    assert sorted(r["document"]["issueNumber"] for r in results) == [f"延政〔{YEAR}〕1号", f"延政〔{YEAR}〕2号"]
    async with sessions() as session:
        assert (await session.execute(select(IssueCounter.prefix, IssueCounter.last))).all() == [("延政", 2)]


async def test_an_issue_that_fails_after_numbering_leaves_no_gap(api, sessions, monkeypatch):
    county = await build_county(sessions)
    notice = int(from_base64(await signed(sessions, county))[1])
    distribution = [Recipient(DistributionKind.MAIN, department_id=county.departments["财政局"])]
    record_event = documents.record_event

    async def jammed(session, document, kind, **details):
        if kind == "issued":
            raise RuntimeError("the printer jammed after the number was taken")
        return await record_event(session, document, kind, **details)

    before = await snapshot(sessions)
    monkeypatch.setattr(documents, "record_event", jammed)
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await issuing.issue(session, document_id=notice, official_id=county.officials["DIR"],
                                distribution=distribution, tables=SigningTables(), actor=SYSTEM)
    monkeypatch.undo()
    assert await snapshot(sessions) == before, "the failed issue left its number behind"

    async with sessions() as session, session.begin():
        issued = await issuing.issue(session, document_id=notice, official_id=county.officials["DIR"],
                                     distribution=distribution, tables=SigningTables(), actor=SYSTEM)
    assert issued.issue_number == f"延政〔{YEAR}〕1号"
    async with sessions() as session:
        assert (await session.execute(select(Document.issue_number).where(Document.issue_number.is_not(None)))
                ).scalars().all() == [f"延政〔{YEAR}〕1号"]
