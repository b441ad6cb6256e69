"""The audit trail is append-only and hash-chained; verification names the first broken link."""

from __future__ import annotations

from sqlalchemy import select, update

from db.models import AuditEvent
from tests.county import PASSWORD, build_county
from tests.test_documents import APPROVE, SUBMIT, Desk

VERIFY = "{ verifyAuditChain { intact events firstBrokenSeq problem } }"


async def test_every_action_on_a_document_is_in_the_trail_and_the_chain_verifies(api, sessions):
    county = await build_county(sessions)
    desk = Desk(api, county)
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="同意")
    async with sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(AuditEvent.county_id == county.id)
                                              .order_by(AuditEvent.seq.desc()).limit(3))).scalars())
    assert actions == ["document.approve", "document.submit", "document.draft"]
    check = (await api.ok(VERIFY, token=await api.login(county.admin, PASSWORD)))["verifyAuditChain"]
    assert check["intact"] is True and check["firstBrokenSeq"] is None and check["events"] > 40


async def test_an_edited_event_breaks_the_chain_at_that_event(api, sessions):
    county = await build_county(sessions)
    async with sessions() as session, session.begin():
        await session.execute(update(AuditEvent).where(AuditEvent.county_id == county.id, AuditEvent.seq == 7)
                              .values(after={"name": "someone else"}))
    check = (await api.ok(VERIFY, token=await api.login(county.admin, PASSWORD)))["verifyAuditChain"]
    assert check == {"intact": False, "events": 7, "firstBrokenSeq": 7,
                     "problem": "its content no longer matches its hash"}


async def test_a_deleted_event_is_named_as_missing(api, sessions):
    county = await build_county(sessions)
    async with sessions() as session, session.begin():
        await session.execute(AuditEvent.__table__.delete().where(AuditEvent.county_id == county.id,
                                                                  AuditEvent.seq == 12))
    check = (await api.ok(VERIFY, token=await api.login(county.admin, PASSWORD)))["verifyAuditChain"]
    assert (check["intact"], check["firstBrokenSeq"], check["problem"]) == (False, 12, "event 12 is missing")


async def test_officials_cannot_verify_the_trail(api, sessions):
    county = await build_county(sessions)
    response = await api.call(VERIFY, token=await api.login(county.account("VM1"), PASSWORD))
    assert response.error_codes == ["FORBIDDEN"]
