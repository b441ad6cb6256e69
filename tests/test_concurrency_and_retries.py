"""Two at once, and retries: the mobile app's retried request changes nothing twice."""

from __future__ import annotations

import asyncio
import datetime as dt

import jwt
import pytest
from sqlalchemy import func, select

from db.models import Account, AuditEvent, Document, DocumentEvent
from domain.roster import AccountRole, DepartmentKind, Role
from services import roster
from tests.conftest import TEST_SECRET
from tests.county import SYSTEM, TERM_START, build_county
from tests.test_documents import APPROVE, CHAIN, DRAFT, SUBMIT, Desk

CO_SIGNERS = 21


async def count(sessions, model) -> int:
    async with sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


@pytest.fixture
async def desk(api, sessions) -> Desk:
    return Desk(api, await build_county(sessions))


async def test_a_retried_approval_returns_the_first_answer_and_writes_nothing_twice(desk, sessions):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    token = await desk.token("DIR")
    headers = {"Idempotency-Key": "approve-7f3c"}
    variables = {"id": document, "opinion": "同意"}
    first = await desk.api.client.post("/graphql", json={"query": APPROVE, "variables": variables},
                                       headers={**headers, "Authorization": f"Bearer {token}"})
    audit_after_first = await count(sessions, AuditEvent)
    retry = await desk.api.client.post("/graphql", json={"query": APPROVE, "variables": variables},
                                       headers={**headers, "Authorization": f"Bearer {token}"})
    assert first.json()["data"]["approveStep"]["__typename"] == "AssignmentPayload"
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert await count(sessions, AuditEvent) == audit_after_first
    async with sessions() as session:
        approvals = (await session.execute(select(func.count()).select_from(DocumentEvent)
                                           .where(DocumentEvent.kind == "approved"))).scalar_one()
    assert approvals == 1


async def test_the_same_key_with_a_different_request_is_refused(desk):
    token = await desk.token("EDU")
    draft = {"title": "通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE", "direction": "DOWNWARD"}
    headers = {"Idempotency-Key": "draft-1", "Authorization": f"Bearer {token}"}
    first = await desk.api.client.post("/graphql", json={"query": DRAFT, "variables": {"d": draft}}, headers=headers)
    assert first.status_code == 200
    other = await desk.api.client.post("/graphql", json={"query": DRAFT, "variables": {"d": {**draft, "title": "另"}}},
                                       headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_two_copies_of_a_request_sent_together_create_one_draft(desk, sessions):
    token = await desk.token("EDU")
    draft = {"title": "通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE", "direction": "DOWNWARD"}
    headers = {"Idempotency-Key": "draft-twice", "Authorization": f"Bearer {token}"}
    replies = await asyncio.gather(*(
        desk.api.client.post("/graphql", json={"query": DRAFT, "variables": {"d": draft}}, headers=headers)
        for _ in range(2)))
    assert sorted(r.status_code for r in replies) in ([200, 200], [200, 409])
    assert await count(sessions, Document) == 1


async def _co_sponsors(sessions, county, how_many: int) -> tuple[list[str], dict[str, str]]:
    """Departments with principals who may sign in, and a bearer token for each principal."""
    from strawberry.relay import to_base64

    department_ids, tokens = [], {}
    async with sessions() as session, session.begin():
        for n in range(how_many):
            department = await roster.create_department(session, county_id=county.id, name=f"协办局{n:02}",
                                                        kind=DepartmentKind.WORKING, actor=SYSTEM)
            official = await roster.add_official(session, county_id=county.id, code=f"CO{n:02}",
                                                 name=f"协办局长{n:02}", rank_order=50 + n, actor=SYSTEM)
            await roster.appoint(session, official_id=official.id, role=Role.DEPARTMENT_PRINCIPAL,
                                 department_id=department.id, effective_from=TERM_START, actor=SYSTEM)
            account = Account(username=f"co{n:02}", role=AccountRole.OFFICIAL, county_id=county.id,
                              official_id=official.id)
            session.add(account)
            await session.flush()
            # Signed directly: 21 argon2 sign-ins would only slow the test down.
            tokens[f"CO{n:02}"] = jwt.encode({"sub": str(account.id), "typ": "access", "iat": 0,
                                              "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)},
                                             TEST_SECRET, algorithm="HS256")
            department_ids.append(to_base64("Department", department.id))
    return department_ids, tokens


async def test_twenty_one_co_signers_acting_at_once_all_count_and_the_step_advances_once(desk, sessions):
    department_ids, tokens = await _co_sponsors(sessions, desk.county, CO_SIGNERS)
    document = await desk.draft(coSponsorIds=department_ids)
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="同意")

    replies = await asyncio.gather(*(
        desk.api.call(APPROVE, {"id": document, "opinion": f"{code}会签同意"}, token=token)
        for code, token in tokens.items()))
    assert all(r.data["approveStep"]["__typename"] == "AssignmentPayload" for r in replies), replies

    chain = (await desk.api.ok(CHAIN, {"id": document}, token=await desk.token("DIR")))["node"]
    co_sign = next(s for s in chain["chain"] if s["action"] == "CO_SIGN")
    assert len(co_sign["assignments"]) == CO_SIGNERS
    assert all(a["state"] == "APPROVED" for a in co_sign["assignments"])
    assert [s["state"] for s in chain["chain"]].count("ACTIVE") == 1
    assert co_sign["state"] == "DONE"
    async with sessions() as session:
        approvals = (await session.execute(select(func.count()).select_from(DocumentEvent).where(
            DocumentEvent.kind == "approved"))).scalar_one()
    assert approvals == CO_SIGNERS + 1


async def test_ten_reviews_of_ten_documents_in_one_county_at_once_all_land_in_the_audit_chain(desk, api, sessions):
    documents = [await desk.draft(title=f"通知{n}") for n in range(10)]
    for document in documents:
        await desk.do("EDU", SUBMIT, id=document)
    token = await desk.token("DIR")
    replies = await asyncio.gather(*(api.call(APPROVE, {"id": d, "opinion": "同意"}, token=token) for d in documents))
    assert all(not r.errors and r.data["approveStep"]["__typename"] == "AssignmentPayload" for r in replies), replies
    check = (await api.ok("{ verifyAuditChain { intact events } }",
                          token=await api.login(desk.county.admin, "correct horse battery")))["verifyAuditChain"]
    assert check["intact"] is True
