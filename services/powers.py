"""The power catalogue (职权目录): drafting, review, approval, publication, amendment and revocation; each
version's flowchart (流程图) and risk points (廉政风险点).

Every use case is one transaction that takes the county's lock first and is audited. The government office
drafts a version; the establishment office and the legal office (the county's justice bureau) review it, their
written opinions recorded by the office (004 一); both must agree before the government approves it, optionally by
a meeting's decision; publishing puts it in force and marks the version it replaces AMENDED. The public side reads
only ``published_powers``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, MeetingDecision, utcnow
from db.models_powers import Power, PowerReview, PowerRiskPoint, PowerStep, PowerVersion
from domain.errors import DomainError, ErrorCode, words
from domain.powers_flowchart import DrawnStep, Edge, drawn_problem
from domain.powers import (
    RISK_EDITABLE_STATES,
    ControlKind,
    RiskLevel,
    publication_risk_problem,
    risk_entry_problem,
    HolderKind,
    PowerState,
    ReviewOffice,
    can_move,
    holder_problem,
    review_problem,
    reviews_missing,
)
from domain.roster import SOLE_COUNTY_ROLES, VICE_MAGISTRATE_ROLES, DepartmentKind, Role, local_date
from services import audit, tenancy

_COUNTY_ROLES = frozenset(SOLE_COUNTY_ROLES | VICE_MAGISTRATE_ROLES)


@dataclass
class VersionFields:
    """What a catalogue entry says (004 一 职权目录要素)."""

    name: str
    category: str = ""
    legal_basis: str = ""
    conditions: str = ""
    output: str = ""
    time_limit_days: int | None = None
    fee: str = ""
    fee_basis: str = ""
    responsible_post: str = ""
    complaint_channel: str = ""

    def stripped(self) -> dict:
        return {key: value.strip() if isinstance(value, str) else value for key, value in asdict(self).items()}


@dataclass(frozen=True)
class Holder:
    kind: HolderKind
    body_id: int | None = None
    role: Role | None = None
    department_id: int | None = None


async def latest_version(session: AsyncSession, power: Power) -> PowerVersion:
    return await session.scalar(select(PowerVersion).where(PowerVersion.power_id == power.id)
                                .order_by(PowerVersion.number.desc()).limit(1))


async def steps_of(session: AsyncSession, version: PowerVersion) -> list[PowerStep]:
    return list((await session.execute(select(PowerStep).where(PowerStep.version_id == version.id)
                                       .order_by(PowerStep.position))).scalars())


async def risk_points_of(session: AsyncSession, version: PowerVersion) -> list[PowerRiskPoint]:
    return list((await session.execute(select(PowerRiskPoint).where(PowerRiskPoint.version_id == version.id)
                                       .order_by(PowerRiskPoint.id))).scalars())


def drawn(step: PowerStep) -> DrawnStep:
    return DrawnStep(key=step.key, actor=step.actor, conditions=step.conditions,
                     time_limit_days=step.time_limit_days, requirements=step.requirements,
                     next=tuple(Edge(e["to"], e["label"]) for e in step.next))


async def published_powers(session: AsyncSession, county_id: int) -> list[tuple[Power, PowerVersion]]:
    """The county's powers in force with the version the public may read; drafts and reviews never appear."""
    rows = await session.execute(
        select(Power, PowerVersion).join(PowerVersion, PowerVersion.power_id == Power.id)
        .where(Power.county_id == county_id, PowerVersion.state == PowerState.PUBLISHED)
        .order_by(Power.code, Power.id))
    return [(power, version) for power, version in rows.all()]


def _check_fields(fields: VersionFields) -> None:
    if not fields.name.strip():
        raise DomainError(ErrorCode.INVALID, "A power has a name (004 一).", field="name")
    if fields.time_limit_days is not None and not 1 <= fields.time_limit_days <= 365:
        raise DomainError(ErrorCode.INVALID, "A time limit is 1 to 365 working days.", field="timeLimitDays")


def _refuse(version: PowerVersion, why: str) -> DomainError:
    return DomainError(ErrorCode.WRONG_STATE, f"Version {version.number} of this power is {words(version.state)}: "
                       f"{why}", field="powerId")


async def _locked(session: AsyncSession, power: Power) -> PowerVersion:
    await tenancy.lock_county(session, power.county_id)
    await session.refresh(power)
    return await latest_version(session, power)


async def _audit(session: AsyncSession, version: PowerVersion, action: str, before: dict | None,
                 actor: audit.Actor) -> None:
    await audit.record(session, county_id=version.county_id, actor=actor, action=f"power.{action}",
                       entity="power_version", entity_id=version.id, before=before, after=audit.as_record(version))


async def create(session: AsyncSession, *, county_id: int, code: str, holder: Holder, fields: VersionFields,
                 actor: audit.Actor) -> Power:
    """A new power and its first draft. One code already held by another holder is an overlap, shown not refused."""
    await tenancy.lock_county(session, county_id)
    if not code.strip():
        raise DomainError(ErrorCode.INVALID, "A power has its catalogue code (004 一).", field="code")
    problem = holder_problem(holder.kind, body_id=holder.body_id, role=holder.role,
                             department_id=holder.department_id, county_roles=_COUNTY_ROLES)
    if problem is not None:
        raise DomainError(ErrorCode.INVALID, problem[1], field=problem[0])
    _check_fields(fields)
    same = await session.scalar(select(Power.id).where(
        Power.county_id == county_id, Power.code == code.strip(), Power.holder_kind == holder.kind,
        Power.holder_body_id.is_(None) if holder.body_id is None else Power.holder_body_id == holder.body_id,
        Power.holder_role.is_(None) if holder.role is None else Power.holder_role == holder.role,
        Power.holder_department_id.is_(None) if holder.department_id is None
        else Power.holder_department_id == holder.department_id))
    if same is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"This holder already has power {code.strip()}: amend it instead.",
                          field="code")
    power = Power(county_id=county_id, code=code.strip(), holder_kind=holder.kind, holder_body_id=holder.body_id,
                  holder_role=holder.role, holder_department_id=holder.department_id, created_at=utcnow())
    session.add(power)
    await session.flush()
    version = PowerVersion(county_id=county_id, power_id=power.id, number=1, state=PowerState.DRAFT,
                           drafted_at=utcnow(), **fields.stripped())
    session.add(version)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="power.create", entity="power",
                       entity_id=power.id, after=audit.as_record(power))
    await _audit(session, version, "draft", None, actor)
    return power


async def edit(session: AsyncSession, *, power: Power, fields: VersionFields, actor: audit.Actor) -> Power:
    """Rewrite the power's draft; a version under review or later is changed only through a new version."""
    version = await _locked(session, power)
    if version.state != PowerState.DRAFT:
        raise _refuse(version, "only a draft is edited; amend a published power for a new version.")
    _check_fields(fields)
    before = audit.as_record(version)
    for key, value in fields.stripped().items():
        setattr(version, key, value)
    await session.flush()
    await _audit(session, version, "edit", before, actor)
    return power


async def submit(session: AsyncSession, *, power: Power, actor: audit.Actor) -> Power:
    """Send the draft to the establishment office and the legal office (004 一)."""
    version = await _locked(session, power)
    if not can_move(version.state, PowerState.UNDER_REVIEW):
        raise _refuse(version, "only a draft goes to review.")
    problem = review_problem(
        {"name": version.name, "category": version.category, "legalBasis": version.legal_basis,
         "conditions": version.conditions, "output": version.output, "responsiblePost": version.responsible_post,
         "complaintChannel": version.complaint_channel}, version.time_limit_days, version.fee, version.fee_basis)
    if problem is not None:
        raise DomainError(ErrorCode.INVALID, problem[1], field=problem[0])
    before = audit.as_record(version)
    version.state, version.submitted_at = PowerState.UNDER_REVIEW, utcnow()
    await session.flush()
    await _audit(session, version, "submit", before, actor)
    return power


async def record_review(session: AsyncSession, *, power: Power, office: ReviewOffice, reviewer: str,
                        department: Department | None, agreed: bool, opinion: str, account_id: int | None,
                        actor: audit.Actor) -> Power:
    """Record a review office's written opinion. The legal review is the justice bureau's; a review that does not
    agree sends the version back to draft, and its next submission needs both reviews again."""
    version = await _locked(session, power)
    if version.state != PowerState.UNDER_REVIEW:
        raise _refuse(version, "reviews are recorded while a version is under review (004 一).")
    if office == ReviewOffice.LEGAL and (department is None or department.kind != DepartmentKind.JUSTICE):
        raise DomainError(ErrorCode.INVALID, "The legal review is the county justice bureau's (004 一 法制审核).",
                          field="departmentId")
    if not reviewer.strip():
        raise DomainError(ErrorCode.INVALID, "A review names who reviewed (the office and its signatory).",
                          field="reviewer")
    if not agreed and not opinion.strip():
        raise DomainError(ErrorCode.INVALID, "A review that does not agree says why.", field="opinion")
    review = PowerReview(county_id=version.county_id, version_id=version.id, office=office,
                         department_id=department.id if department else None, reviewer=reviewer.strip(),
                         agreed=agreed, opinion=opinion.strip(), recorded_by_account_id=account_id,
                         recorded_at=utcnow())
    session.add(review)
    before = audit.as_record(version)
    if not agreed:
        version.state = PowerState.DRAFT
    await session.flush()
    await audit.record(session, county_id=version.county_id, actor=actor, action="power.review",
                       entity="power_review", entity_id=review.id, after=audit.as_record(review))
    if not agreed:
        await _audit(session, version, "returned", before, actor)
    return power


async def approve(session: AsyncSession, *, power: Power, decision: MeetingDecision | None,
                  actor: audit.Actor) -> Power:
    """The government approves a version both review offices agreed to since its last submission."""
    version = await _locked(session, power)
    if not can_move(version.state, PowerState.APPROVED):
        raise _refuse(version, "only a version under review is approved.")
    agreed = set((await session.execute(select(PowerReview.office).where(
        PowerReview.version_id == version.id, PowerReview.agreed.is_(True),
        PowerReview.recorded_at >= version.submitted_at))).scalars())
    missing = reviews_missing(agreed)
    if missing:
        raise DomainError(ErrorCode.WRONG_STATE, "Approval waits for the agreement of the "
                          f"{' and the '.join(words(m) for m in missing)} review (004 一).", field="powerId")
    before = audit.as_record(version)
    version.state, version.approved_at = PowerState.APPROVED, utcnow()
    version.approved_by_decision_id = decision.id if decision else None
    await session.flush()
    await _audit(session, version, "approve", before, actor)
    return power


async def publish(session: AsyncSession, *, power: Power, actor: audit.Actor) -> Power:
    """Put the approved version in force and public; the version it replaces becomes AMENDED."""
    version = await _locked(session, power)
    if not can_move(version.state, PowerState.PUBLISHED):
        raise _refuse(version, "only an approved version is published.")
    problem = publication_risk_problem([(point.description, point.level, len(point.controls))
                                        for point in await risk_points_of(session, version)])
    if problem is not None:
        raise DomainError(ErrorCode.INVALID, problem, field="riskPoints")
    today = local_date(utcnow())
    previous = await session.scalar(select(PowerVersion).where(
        PowerVersion.power_id == power.id, PowerVersion.state == PowerState.PUBLISHED))
    if previous is not None:
        before = audit.as_record(previous)
        previous.state, previous.ended_on = PowerState.AMENDED, today
        await session.flush()
        await _audit(session, previous, "amended", before, actor)
    before = audit.as_record(version)
    version.state, version.published_on = PowerState.PUBLISHED, today
    await session.flush()
    await _audit(session, version, "publish", before, actor)
    return power


async def amend(session: AsyncSession, *, power: Power, actor: audit.Actor) -> Power:
    """Open a new version, a draft copied from the one in force; the published one stays in force until it is
    published."""
    version = await _locked(session, power)
    if version.state != PowerState.PUBLISHED:
        raise _refuse(version, "only a power in force is amended (an open version is edited).")
    copied = {key: getattr(version, key) for key in VersionFields.__dataclass_fields__}
    draft = PowerVersion(county_id=power.county_id, power_id=power.id, number=version.number + 1,
                         state=PowerState.DRAFT, drafted_at=utcnow(), **copied)
    session.add(draft)
    await session.flush()
    session.add_all(PowerStep(county_id=power.county_id, version_id=draft.id, position=step.position, key=step.key,
                              actor=step.actor, conditions=step.conditions, time_limit_days=step.time_limit_days,
                              requirements=step.requirements, next=step.next)
                    for step in await steps_of(session, version))
    session.add_all(PowerRiskPoint(county_id=power.county_id, version_id=draft.id, step_key=point.step_key,
                                   category=point.category, description=point.description, level=point.level,
                                   harm=point.harm, controls=point.controls, owner=point.owner,
                                   review_on=point.review_on)
                    for point in await risk_points_of(session, version))
    await session.flush()
    await _audit(session, draft, "draft", None, actor)
    return power


async def revoke(session: AsyncSession, *, power: Power, actor: audit.Actor) -> Power:
    """Withdraw a power in force; it leaves the published catalogue."""
    version = await _locked(session, power)
    if version.state != PowerState.PUBLISHED:
        raise _refuse(version, "only a power in force with no open version is revoked.")
    before = audit.as_record(version)
    version.state, version.ended_on = PowerState.REVOKED, local_date(utcnow())
    await session.flush()
    await _audit(session, version, "revoke", before, actor)
    return power


async def draw_flowchart(session: AsyncSession, *, power: Power, steps: list[DrawnStep],
                         actor: audit.Actor) -> Power:
    """Replace the draft's flowchart (004 二): ordered steps, each with its actor and time limit in working days."""
    version = await _locked(session, power)
    if version.state != PowerState.DRAFT:
        raise _refuse(version, "only a draft's flowchart is drawn; amend a published power for a new version.")
    cleaned = [DrawnStep(key=s.key.strip(), actor=s.actor.strip(), conditions=s.conditions.strip(),
                         time_limit_days=s.time_limit_days, requirements=s.requirements.strip(),
                         next=tuple(Edge(e.to.strip(), e.label.strip()) for e in s.next)) for s in steps]
    problem = drawn_problem(cleaned)
    if problem is not None:
        raise DomainError(ErrorCode.INVALID, problem[1], field=problem[0])
    kept = {step.key for step in cleaned}
    for point in await risk_points_of(session, version):
        if point.step_key is not None and point.step_key not in kept:
            raise DomainError(ErrorCode.INVALID, f"Risk point “{point.description}” is on step {point.step_key}: move "
                              "or remove it before removing the step.", field="steps")
    before = [audit.as_record(row) for row in await steps_of(session, version)]
    for row in await steps_of(session, version):
        await session.delete(row)
    await session.flush()
    rows = [PowerStep(county_id=power.county_id, version_id=version.id, position=position, key=step.key,
                      actor=step.actor, conditions=step.conditions, time_limit_days=step.time_limit_days,
                      requirements=step.requirements, next=[{"to": e.to, "label": e.label} for e in step.next])
            for position, step in enumerate(cleaned, start=1)]
    session.add_all(rows)
    await session.flush()
    await audit.record(session, county_id=power.county_id, actor=actor, action="power.flowchart",
                       entity="power_version", entity_id=version.id, before={"steps": before},
                       after={"steps": [audit.as_record(row) for row in rows]})
    return power


@dataclass
class RiskPointFields:
    category: str
    description: str
    owner: str
    level: RiskLevel | None = None
    harm: str = ""
    controls: list[tuple[ControlKind, str]] = field(default_factory=list)
    step_key: str | None = None
    review_on: dt.date | None = None


async def set_risk_points(session: AsyncSession, *, power: Power, points: list[RiskPointFields],
                          actor: audit.Actor) -> Power:
    """Replace the open version's risk points (004 三): each on the power or on a step of its flowchart. A level or
    a control may wait until publication, which refuses a point without them."""
    version = await _locked(session, power)
    if version.state not in RISK_EDITABLE_STATES:
        raise _refuse(version, "risk points are set on a version being prepared; amend a published power.")
    keys = {step.key for step in await steps_of(session, version)}
    for point in points:
        problem = risk_entry_problem(point.category, point.description, point.level, point.harm, point.owner,
                                     point.controls)
        if problem is not None:
            raise DomainError(ErrorCode.INVALID, problem[1], field=problem[0])
        if point.step_key is not None and point.step_key.strip() not in keys:
            raise DomainError(ErrorCode.INVALID, f"The flowchart has no step {point.step_key.strip()!r}.",
                              field="stepKey")
    before = [audit.as_record(row) for row in await risk_points_of(session, version)]
    for row in await risk_points_of(session, version):
        await session.delete(row)
    await session.flush()
    rows = [PowerRiskPoint(county_id=power.county_id, version_id=version.id,
                           step_key=point.step_key.strip() if point.step_key is not None else None,
                           category=point.category.strip(), description=point.description.strip(), level=point.level,
                           harm=point.harm.strip(), owner=point.owner.strip(), review_on=point.review_on,
                           controls=[{"kind": kind.value, "description": words.strip()}
                                     for kind, words in point.controls])
            for point in points]
    session.add_all(rows)
    await session.flush()
    await audit.record(session, county_id=power.county_id, actor=actor, action="power.risk_points",
                       entity="power_version", entity_id=version.id, before={"risk_points": before},
                       after={"risk_points": [audit.as_record(row) for row in rows]})
    return power
