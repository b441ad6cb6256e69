"""Issuing for the demo county, through the same services as the API.

The county's administrator gives the copied series the county's own prefixes (青政, 青政办) and the education
bureau its own (青教); the office's notice on holiday duty is signed and issued with its 发文字号 and distribution
list. Issuing is dated the day of seeding and needs no working calendar.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, Document, Official, StepAssignment
from domain.documents import Action, AssignmentState, Direction, DocumentState, Genre, Issuer, StepState
from domain.issuing import ANY_GENRE, DistributionKind, Recipient
from policies.issuing import SeriesSpec
from services import audit, issuing
from services import documents as document_service
from services.signing_rules import SigningTables

NOTICE = "关于做好元旦春节期间值班工作的通知"
# The county's own prefixes in place of the rule set's (county data, 001 header 延政〔2023〕73号 for the form).
PREFIXES = {Issuer.COUNTY_GOVERNMENT: "青政", Issuer.GOVERNMENT_OFFICE: "青政办"}
_WORDS = {Issuer.COUNTY_GOVERNMENT: "县政府", Issuer.GOVERNMENT_OFFICE: "县政府办公室"}


async def seed_issuing(session: AsyncSession, *, county_id: int, actor: audit.Actor) -> None:
    departments = dict((await session.execute(
        select(Department.name, Department.id).where(Department.county_id == county_id))).all())
    officials = dict((await session.execute(
        select(Official.code, Official.id).where(Official.county_id == county_id))).all())
    for series in await issuing.series_of(session, county_id=county_id):
        await issuing.update_series(session, series=series, department_id=None, actor=actor, spec=SeriesSpec(
            issuer=series.issuer, genre=series.genre, prefix=PREFIXES[series.issuer],
            article=f"县级数据（格式见{series.article}）"))
    await issuing.add_series(session, county_id=county_id, department_id=departments["教育局"], actor=actor,
                             spec=SeriesSpec(issuer=Issuer.DEPARTMENT, genre=ANY_GENRE, prefix="青教",
                                             article="县级数据（部门自行发文，001 §34）"))

    tables = SigningTables()
    draft = await document_service.create_draft(
        session, drafted_by_id=officials["DDIR1"], actor=actor, fields=document_service.DraftFields(
            title=NOTICE, issuer=Issuer.GOVERNMENT_OFFICE, genre=Genre.NOTICE, direction=Direction.DOWNWARD,
            lead_department_id=departments["县政府办公室"], body="各乡（镇）人民政府，县政府各部门：……"))
    await document_service.submit(session, document_id=draft.id, official_id=officials["DDIR1"], tables=tables,
                                  actor=actor)
    while draft.state != DocumentState.SIGNED:
        step = next(s for s in await document_service.current_steps(session, draft) if s.state == StepState.ACTIVE)
        waiting = (await session.execute(select(StepAssignment).where(
            StepAssignment.step_id == step.id, StepAssignment.state == AssignmentState.WAITING)
            .order_by(StepAssignment.id))).scalars().first()
        verdict = document_service.Verdict.SIGN if step.action == Action.SIGN else document_service.Verdict.APPROVE
        await document_service.act(session, document_id=draft.id, official_id=waiting.assignee_id, verdict=verdict,
                                   opinion="同意", tables=tables, actor=actor)
    distribution = [Recipient(DistributionKind.MAIN, department_id=departments[name])
                    for name in ("城关镇", "石桥镇", "白水乡", "应急管理局")]
    await issuing.issue(session, document_id=draft.id, official_id=officials["DDIR2"], tables=tables, actor=actor,
                        distribution=[*distribution, Recipient(DistributionKind.COPY, organ="市人民政府办公室")])


async def describe_issuing(session: AsyncSession, *, county_id: int) -> list[str]:
    """The county's series and each issued document with its number and distribution, from the data."""
    departments = dict((await session.execute(
        select(Department.id, Department.name).where(Department.county_id == county_id))).all())
    lines = []
    for series in await issuing.series_of(session, county_id=county_id):
        whose = departments[series.department_id] if series.department_id else _WORDS[series.issuer]
        genre = "" if series.genre == ANY_GENRE else f"（{series.genre}）"
        lines.append(f"发文字号: {whose}{genre} → {series.prefix}〔年份〕N号 ({series.article})")
    issued = (await session.execute(select(Document, Official.name).join(Official, Official.id == Document.issued_by_id)
                                    .where(Document.county_id == county_id, Document.state == DocumentState.ISSUED)
                                    .order_by(Document.issued_at, Document.id))).all()
    recipients = await issuing.recipients_of(session, [document.id for document, _ in issued])
    for document, issued_by in issued:
        listed: dict[DistributionKind, list[str]] = {}
        for row in recipients.get(document.id, []):
            listed.setdefault(row.kind, []).append(departments[row.department_id] if row.department_id else row.organ)
        lines.append(f"{document.title}: issued as {document.issue_number} on {document.issued_on} by {issued_by}; "
                     f"主送 {'、'.join(listed.get(DistributionKind.MAIN, []))}"
                     + (f"; 抄送 {'、'.join(listed[DistributionKind.COPY])}" if DistributionKind.COPY in listed else ""))
    return lines
