"""Requests sent up to the demo county's government (收文), made through the same services as the API.

Three townships send up six requests, each left at another stage: just received, signed in with its incoming
number, given the office's proposal, with the vice magistrate in charge, instructed, and answered by a reply in its
own chain. Each is signed and issued by its township's principal in its own 发文字号 series. Nothing is seeded when
the working calendar does not know this year (the county's handling counts working days on it).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, Document, Official, utcnow
from db.models_incoming import IncomingRequest
from domain.documents import Direction, Genre, Issuer
from domain.incoming_requests import RequestState
from domain.roster import local_date
from policies.issuing import SeriesSpec
from services import audit, documents, incoming_requests, issuing
from services.calendar import calendar_for
from services.signing_rules import SigningTables

# Each township's principal, its own 发文字号 prefix (county data), and what it sends up.
_TOWNSHIPS = {"城关镇": ("CGZ", "城关政"), "石桥镇": ("SQZ", "石桥政"), "白水乡": ("BSX", "白水政")}
# (township, title, requested matter, the stage it is left at)
_REQUESTS = (
    ("白水乡", "关于白水乡村级活动场所维修资金的请示", "申请维修资金35万元", RequestState.RECEIVED),
    ("石桥镇", "关于石桥镇农村道路硬化项目的请示", "申请将12公里村道纳入年度硬化计划", RequestState.REGISTERED),
    ("城关镇", "关于城关镇老旧小区改造配套资金的请示", "申请配套资金180万元", RequestState.HANDLING_PROPOSED),
    ("石桥镇", "关于石桥镇防汛物资储备的请示", "申请调拨冲锋舟2艘、救生衣200件", RequestState.WITH_LEADER),
    ("城关镇", "关于城关镇农贸市场搬迁的请示", "申请同意农贸市场整体搬迁", RequestState.INSTRUCTED),
    ("白水乡", "关于白水乡敬老院改扩建的请示", "申请同意敬老院改扩建并安排补助资金", RequestState.REPLIED),
)
_ORDER = list(RequestState)


async def _calendar_lacks_this_year(session: AsyncSession, county_id: int) -> int | None:
    year = local_date(utcnow()).year
    return None if (await calendar_for(session, county_id=county_id)).knows(year) else year


async def seed_incoming_requests(session: AsyncSession, *, county_id: int, actor: audit.Actor) -> None:
    if await _calendar_lacks_this_year(session, county_id):
        return
    tables = SigningTables()
    officials = dict((await session.execute(
        select(Official.code, Official.id).where(Official.county_id == county_id))).all())
    departments = dict((await session.execute(
        select(Department.name, Department.id).where(Department.county_id == county_id))).all())
    numbered = {s.department_id for s in await issuing.series_of(session, county_id=county_id)}
    for township, (_, prefix) in _TOWNSHIPS.items():
        if departments[township] not in numbered:
            await issuing.add_series(session, county_id=county_id, department_id=departments[township], actor=actor,
                                     spec=SeriesSpec(issuer=Issuer.DEPARTMENT, genre="*", prefix=prefix,
                                                     article="乡镇发文字号（演示数据）"))
    office = officials["DIR"]
    for township, title, matter, stage in _REQUESTS:
        principal = officials[_TOWNSHIPS[township][0]]
        fields = documents.DraftFields(title=title, issuer=Issuer.DEPARTMENT, genre=Genre.REQUEST,
                                       direction=Direction.TO_COUNTY_GOVERNMENT,
                                       lead_department_id=departments[township], requested_matters=[matter])
        draft = await documents.create_draft(session, drafted_by_id=principal, fields=fields, actor=actor)
        await documents.submit(session, document_id=draft.id, official_id=principal, tables=tables, actor=actor)
        await documents.act(session, document_id=draft.id, official_id=principal, verdict=documents.Verdict.SIGN,
                            tables=tables, actor=actor)
        # Its 主送 is its addressee, the county government: filled in at issuing, not typed again.
        await issuing.issue(session, document_id=draft.id, official_id=principal, tables=tables, actor=actor,
                            distribution=[])
        request = await session.scalar(select(IncomingRequest).where(IncomingRequest.document_id == draft.id))
        await _advance(session, request, stage, office=office, tables=tables, actor=actor)


async def _advance(session: AsyncSession, request: IncomingRequest, stage: RequestState, *, office: int,
                   tables: SigningTables, actor: audit.Actor) -> None:
    """Through the services, step by step, to ``stage``: the office's steps by its director, the leader's by the
    leader the county's table named."""
    reached = _ORDER.index(stage)
    common = {"request_id": request.id, "tables": tables, "actor": actor}
    if reached >= _ORDER.index(RequestState.REGISTERED):
        await incoming_requests.register(session, official_id=office, **common)
    if reached >= _ORDER.index(RequestState.HANDLING_PROPOSED):
        await incoming_requests.propose_handling(session, official_id=office, opinion="拟请分管副县长阅示。", **common)
    if reached >= _ORDER.index(RequestState.WITH_LEADER):
        await incoming_requests.present(session, official_id=office, **common)
    if reached >= _ORDER.index(RequestState.INSTRUCTED):
        await incoming_requests.instruct(session, official_id=request.leader_id, opinion="同意，请按程序办理。", **common)
    if reached >= _ORDER.index(RequestState.REPLIED):
        document = await session.get(Document, request.document_id)
        reply = await incoming_requests.draft_reply(session, official_id=office, issuer=Issuer.COUNTY_GOVERNMENT,
                                                    title=document.title.replace("请示", "批复"), body="同意。",
                                                    **common)
        await documents.submit(session, document_id=reply.id, official_id=office, tables=tables, actor=actor)


async def describe_incoming_requests(session: AsyncSession, *, county_id: int) -> list[str]:
    """Each request with its number, township, stage and leader — read from the data."""
    rows = (await session.execute(
        select(IncomingRequest, Document.title, Department.name)
        .join(Document, Document.id == IncomingRequest.document_id)
        .join(Department, Department.id == IncomingRequest.sending_department_id)
        .where(IncomingRequest.county_id == county_id).order_by(IncomingRequest.received_at, IncomingRequest.id)
    )).all()
    if not rows:
        missing = await _calendar_lacks_this_year(session, county_id)
        return [f"None seeded: the working calendar for {missing} is not entered, and the county's handling counts "
                "working days on it." if missing else "None."]
    names = dict((await session.execute(select(Official.id, Official.name)
                                        .where(Official.county_id == county_id))).all())
    lines = []
    for request, title, township in rows:
        leader = f", with {names[request.leader_id]} ({request.routing_rule})" if request.leader_id else ""
        lines.append(f"{request.number or '(not yet registered)'} {township}: {title} — {request.state.value}{leader}")
    return lines
