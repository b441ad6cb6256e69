"""The county's collective-matter catalogue (三重一大 事项目录): installed from its rule set, edited by its administrator.

Other use cases read it through ``matter`` and ``matters_of`` (e.g. a signing gate: a document of a
catalogued matter needs the body's decision).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CollectiveMatter
from domain.errors import DomainError, ErrorCode
from domain.meetings_agenda import MaterialKind
from domain.roster import RuleSet
from policies.meetings_matters import InvalidMatter, MatterSpec, read_matters, stored_row
from services import audit, tenancy


async def install_matters(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's shipped catalogue."""
    session.add_all(CollectiveMatter(county_id=county_id, **stored_row(spec)) for spec in read_matters(rule_set))
    await session.flush()


async def matter(session, *, county_id: int, code: str) -> CollectiveMatter | None:
    # execute, not scalar: explain reads through a ReadSession, which has execute only.
    return (await session.execute(select(CollectiveMatter).where(
        CollectiveMatter.county_id == county_id, CollectiveMatter.code == code))).scalar_one_or_none()


async def matters_of(session: AsyncSession, *, county_id: int) -> list[CollectiveMatter]:
    result = await session.execute(select(CollectiveMatter).where(CollectiveMatter.county_id == county_id)
                                   .order_by(CollectiveMatter.id))
    return list(result.scalars())


def required_materials(row: CollectiveMatter) -> list[MaterialKind]:
    return [MaterialKind(kind) for kind in row.required_materials]


def _checked(spec: MatterSpec) -> MatterSpec:
    try:
        return spec.checked()
    except InvalidMatter as error:
        head, *rest = error.column.split("_")
        raise DomainError(ErrorCode.INVALID, str(error), field=head + "".join(p.title() for p in rest)) from None


async def _unique_code(session: AsyncSession, county_id: int, code: str, except_id: int | None = None) -> None:
    taken = await matter(session, county_id=county_id, code=code)
    if taken is not None and taken.id != except_id:
        raise DomainError(ErrorCode.DUPLICATE, f"The county's catalogue has a matter “{code}” already.", field="code")


def _audited(row: CollectiveMatter) -> dict:
    return {**stored_row(spec_of(row)), "body_kind": row.body_kind.value}


def spec_of(row: CollectiveMatter) -> MatterSpec:
    return MatterSpec(code=row.code, name=row.name, body_kind=row.body_kind, personnel=row.personnel,
                      threshold_wan=row.threshold_wan, required_materials=tuple(required_materials(row)),
                      legality_review_lead_days=row.legality_review_lead_days, article=row.article)


async def add_matter(session: AsyncSession, *, county_id: int, spec: MatterSpec,
                     actor: audit.Actor) -> CollectiveMatter:
    await tenancy.lock_county(session, county_id)
    spec = _checked(spec)
    await _unique_code(session, county_id, spec.code)
    row = CollectiveMatter(county_id=county_id, **stored_row(spec))
    session.add(row)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="collective_matter.add",
                       entity="collective_matter", entity_id=row.id, after=_audited(row))
    return row


async def update_matter(session: AsyncSession, *, row: CollectiveMatter, spec: MatterSpec,
                        actor: audit.Actor) -> CollectiveMatter:
    """Replace a matter's row; items already proposed keep their link and are checked against the new row."""
    await tenancy.lock_county(session, row.county_id)
    spec = _checked(spec)
    await _unique_code(session, row.county_id, spec.code, except_id=row.id)
    before = _audited(row)
    for name, value in stored_row(spec).items():
        setattr(row, name, value)
    await session.flush()
    await audit.record(session, county_id=row.county_id, actor=actor, action="collective_matter.update",
                       entity="collective_matter", entity_id=row.id, before=before, after=_audited(row))
    return row
