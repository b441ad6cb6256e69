"""NPC suggestions and CPPCC proposals for the demo county, made through the same services as the API.

A deputy's suggestion went the whole way: registered and assigned by the office, accepted by the education
bureau's principal, talked over with the deputy, replied to in a letter the principal signed, and published. A
member's proposal waits for the housing bureau's principal to accept it. The steps happen at seeding time; only
the day the office received the two sessions' proposals lies in the past (a plain date, no working days counted).
Where the county's working calendar lacks a year a clock runs into, the proposal says so instead of a due time.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, Document, Official, utcnow
from db.models_proposals import Proposal
from db.models_supervision import SupervisionItem
from domain.proposals import ContactWay, ProposalKind, ReplyOutcome, designation
from domain.roster import local_date
from domain.supervision import SourceKind
from services import audit, documents, proposals
from services.signing_rules import SigningTables

NPC_SESSION = "青溪县第十八届人民代表大会第三次会议"
CPPCC_SESSION = "政协青溪县第十一届委员会第三次会议"
PORTAL = "青溪县人民政府门户网站“建议提案办理结果公开”专栏"


async def seed_proposals(session: AsyncSession, *, county_id: int, actor: audit.Actor) -> None:
    officials = dict((await session.execute(
        select(Official.code, Official.id).where(Official.county_id == county_id))).all())
    units = dict((await session.execute(
        select(Department.name, Department.id).where(Department.county_id == county_id))).all())
    today = local_date(utcnow())
    received = today - dt.timedelta(days=21)
    office, principal, handler = officials["DDIR1"], officials["EDU"], officials["EDU-D1"]

    suggestion = await proposals.register(session, county_id=county_id, official_id=office, actor=actor,
                                          fields=proposals.ProposalFields(
        kind=ProposalKind.NPC_SUGGESTION, session=NPC_SESSION, number=23, proposers="陈国华、刘淑芬等5名代表",
        title="关于解决城区学校周边上下学交通拥堵问题的建议", category="教育", received_on=received,
        content="城关一小、实验中学周边上下学时段交通拥堵，建议增设临时停车区、错峰放学并加强交通疏导。"))
    await proposals.assign(session, proposal=suggestion, lead_department_id=units["教育局"],
                           co_department_ids=[units["公安局"]], official_id=office, actor=actor)
    await proposals.accept(session, proposal=suggestion, official_id=principal, handler_id=handler, actor=actor)
    await proposals.log_contact(session, proposal=suggestion, official_id=handler, contacted_on=today,
                                way=ContactWay.MEETING, person="陈国华", actor=actor,
                                summary="与公安局交警大队一同座谈，代表同意先行错峰放学、增设临时停车区的方案。")
    tables = SigningTables()
    await proposals.draft_reply(
        session, proposal=suggestion, official_id=handler, outcome=ReplyOutcome.PLANNED, text="", tables=tables,
        actor=actor, explanation="已会同公安局在两校周边增设临时停车区，实行错峰放学；学校周边道路改造已列入明年城建计划。")
    await documents.act(session, document_id=suggestion.reply_document_id, official_id=principal,
                        verdict=documents.Verdict.SIGN, tables=tables, actor=actor)
    await proposals.publish(session, proposal=suggestion, official_id=handler, as_office=False, published_on=today,
                            where=PORTAL, actor=actor)

    proposal = await proposals.register(session, county_id=county_id, official_id=office, actor=actor,
                                        fields=proposals.ProposalFields(
        kind=ProposalKind.CPPCC_PROPOSAL, session=CPPCC_SESSION, number=8, proposers="民盟青溪县委员会",
        title="关于加快老旧小区加装电梯的提案", category="城乡建设", received_on=received,
        content="建议简化审批、给予财政补贴，推动老旧小区加装电梯。"))
    await proposals.assign(session, proposal=proposal, lead_department_id=units["住房和城乡建设局"],
                           co_department_ids=[units["财政局"]], official_id=office, actor=actor)


async def describe_proposals(session: AsyncSession, *, county_id: int) -> list[str]:
    """Each proposal with its state, units, reply and publication, its clock and its supervision item."""
    rows = list((await session.execute(select(Proposal).where(Proposal.county_id == county_id)
                                       .order_by(Proposal.id))).scalars())
    if not rows:
        return ["None."]
    names = dict((await session.execute(select(Official.id, Official.name)
                                        .where(Official.county_id == county_id))).all())
    units = dict((await session.execute(select(Department.id, Department.name)
                                        .where(Department.county_id == county_id))).all())
    lines = []
    for row in rows:
        line = f"{designation(row.kind, row.session, row.number)}《{row.title}》: {row.state.value}"
        if row.lead_department_id is not None:
            line += f", lead unit {units[row.lead_department_id]}"
        if row.handler_id is not None:
            line += f", handler {names[row.handler_id]}"
        if row.reply_document_id is not None:
            reply = await session.get(Document, row.reply_document_id)
            line += f"; reply ({row.outcome.value}) {reply.state.value}"
        if row.published_on is not None:
            line += f"; published {row.published_on.isoformat()} on {row.published_where}"
        if row.due_step is not None:
            due = local_date(row.due_at).isoformat() if row.due_at else row.due_problem
            line += f"; {row.due_step.value} due {due} ({row.due_article})"
        items = (await session.execute(select(SupervisionItem.number, SupervisionItem.state).where(
            SupervisionItem.source_kind == SourceKind.PROPOSAL, SupervisionItem.source_id == row.id))).all()
        line += "".join(f"; supervision {number} {state.value}" for number, state in items)
        lines.append(line)
    return lines

