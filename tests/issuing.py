"""Helpers for the issuing scenarios: signed documents built through the services, issueDocument by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.relay import to_base64

from db.models import Document, StepAssignment
from domain.documents import Action, AssignmentState, Direction, DocumentState, Genre, Issuer, StepState
from services import documents
from services.signing_rules import SigningTables
from tests.county import PASSWORD, SYSTEM, County

DOCUMENT = ("id state issueNumber issuedOn issuedAt issuedBy { code } issueDueAt issueDeadline { article problem } "
            "distribution { kind organ department { name } } history { kind opinion route actor { code } "
            "onBehalfOf { code } }")
ISSUE = f"""mutation($input: IssueDocumentInput!) {{ issueDocument(input: $input) {{ __typename
  ... on DocumentPayload {{ document {{ {DOCUMENT} }} }} ... on MutationError {{ code field message }} }} }}"""
EXPLAIN_ISSUE = """query($id: ID!, $who: ID) { explain(documentId: $id, action: ISSUE, officialId: $who) {
  allowed reason route onBehalfOf { code } rule { rule article } } }"""


async def signed(sessions, county: County, *, title: str = "关于做好冬季校园安全工作的通知", drafter: str = "EDU",
                 department: str = "教育局", issuer: Issuer = Issuer.COUNTY_GOVERNMENT, genre: Genre = Genre.NOTICE,
                 direction: Direction = Direction.DOWNWARD, at: dt.datetime | None = None,
                 prepare: Callable[[AsyncSession, Document], Awaitable[None]] | None = None, **fields) -> str:
    """A document drafted by ``drafter`` (then ``prepare``d, e.g. placed in the plan), submitted and acted on by each
    step's first assignee until signed."""
    tables = SigningTables()
    async with sessions() as session, session.begin():
        draft = await documents.create_draft(session, drafted_by_id=county.officials[drafter], actor=SYSTEM,
                                             fields=documents.DraftFields(
                                                 title=title, issuer=issuer, genre=genre, direction=direction,
                                                 lead_department_id=county.departments[department], **fields))
        if prepare is not None:
            await prepare(session, draft)
        await documents.submit(session, document_id=draft.id, official_id=county.officials[drafter], tables=tables,
                               actor=SYSTEM, at=at)
        while draft.state != DocumentState.SIGNED:
            step = next(s for s in await documents.current_steps(session, draft) if s.state == StepState.ACTIVE)
            waiting = (await session.execute(select(StepAssignment).where(
                StepAssignment.step_id == step.id, StepAssignment.state == AssignmentState.WAITING)
                .order_by(StepAssignment.id))).scalars().first()
            verdict = documents.Verdict.SIGN if step.action == Action.SIGN else documents.Verdict.APPROVE
            await documents.act(session, document_id=draft.id, official_id=waiting.assignee_id, verdict=verdict,
                                opinion="同意", tables=tables, actor=SYSTEM, at=at)
    return to_base64("Document", draft.id)


async def issue(api, county: County, who: str, document: str, distribution: list[dict], **extra) -> dict:
    token = await api.login(county.account(who) if who != "admin" else county.admin, PASSWORD)
    return (await api.ok(ISSUE, {"input": {"documentId": document, "distribution": distribution, **extra}},
                         token=token))["issueDocument"]


def to_department(county: County, name: str, kind: str = "MAIN") -> dict:
    return {"kind": kind, "departmentId": county.department(name)}


def to_organ(name: str, kind: str = "COPY") -> dict:
    return {"kind": kind, "organ": name}
