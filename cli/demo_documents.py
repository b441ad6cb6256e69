"""Documents for the demo county in every state, made through the same services as the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, Official
from domain.documents import Classification, Direction, Flag, Genre, Issuer
from services import audit, circulation
from services import documents as service
from services.signing_rules import SigningTables


async def seed_documents(session: AsyncSession, *, county_id: int, actor: audit.Actor) -> None:
    """One document per state (and per interesting route); `describe_demo` tells where each stands."""
    officials = dict((await session.execute(
        select(Official.code, Official.id).where(Official.county_id == county_id))).all())
    departments = dict((await session.execute(
        select(Department.name, Department.id).where(Department.county_id == county_id))).all())
    tables = SigningTables()

    async def draft(drafter: str, title: str, lead: str, **fields) -> int:
        document = await service.create_draft(session, drafted_by_id=officials[drafter], actor=actor,
                                              fields=service.DraftFields(
                                                  title=title, issuer=fields.pop("issuer", Issuer.COUNTY_GOVERNMENT),
                                                  genre=fields.pop("genre", Genre.NOTICE),
                                                  direction=fields.pop("direction", Direction.DOWNWARD),
                                                  lead_department_id=departments[lead], **fields))
        return document.id

    async def submit(document_id: int, drafter: str) -> None:
        await service.submit(session, document_id=document_id, official_id=officials[drafter], tables=tables,
                             actor=actor)

    async def act(document_id: int, code: str, verdict: service.Verdict, opinion: str | None = None) -> None:
        await service.act(session, document_id=document_id, official_id=officials[code], verdict=verdict,
                          opinion=opinion, tables=tables, actor=actor)

    title = "关于做好2027年春季学期开学工作的通知"
    await draft("EDU", title, "教育局")

    title = "关于开展校园食品安全专项检查的通知"
    document = await draft("EDU", title, "教育局", co_sponsor_ids=[departments["市场监督管理局"]])
    await submit(document, "EDU")

    title = "关于应急物资储备库建设的紧急通知"
    document = await draft("EMB", title, "应急管理局", flags=[Flag.URGENT])
    await submit(document, "EMB")
    await act(document, "DIR", service.Verdict.APPROVE, "拟同意，请郑副县长签发")

    title = "关于调整部分道路限速标准的通知"
    document = await draft("TRA", title, "交通运输局")
    await submit(document, "TRA")
    await act(document, "DIR", service.Verdict.APPROVE, "拟同意")

    title = "关于农村公路养护资金安排的通知"
    document = await draft("AGR", title, "农业农村局", co_sponsor_ids=[departments["财政局"]])
    await submit(document, "AGR")
    await act(document, "DIR", service.Verdict.APPROVE, "请会签")
    await act(document, "FIN", service.Verdict.APPROVE, "会签同意")

    title = "关于申请县城污水处理厂扩建资金的请示"
    document = await draft("EEB", title, "生态环境分局", genre=Genre.REQUEST, direction=Direction.UPWARD_CITY,
                           requested_matters=["申请扩建资金补助"])
    await submit(document, "EEB")
    await service.return_document(session, document_id=document, official_id=officials["DIR"],
                                  reason="请补充项目可行性研究报告", actor=actor)

    title = "关于2026年度安全生产工作的通知"
    document = await draft("PSB", title, "公安局")
    await submit(document, "PSB")
    await act(document, "DIR", service.Verdict.APPROVE, "同意")
    await act(document, "VM2", service.Verdict.SIGN)

    title = "关于干部任免的通知（内部）"
    document = await draft("DIR", title, "县政府办公室", flags=[Flag.PERSONNEL],
                           classification=Classification.SECRET)
    await submit(document, "DIR")

    readers = [officials[code] for code in ("MAG", "EVM", "VM1", "VM3")]
    await circulation.start(session, county_id=county_id, started_by_id=officials["DIR"],
                            title="市政府关于做好冬季森林防火工作的通知", source="市政府办公室", reader_ids=readers,
                            urgent=False, read_only=False, classification=Classification.NONE, actor=actor)
