"""Documents through their approval chain (docs/DOMAIN.md §3).

Every action runs in one transaction holding the document's row lock, so people acting at the same
moment are applied one after another and a step advances exactly once. Who may act is decided by the
county's signing table (services.signing_rules) for the official in person or, through cover resolved
from our absence tables at that instant, for someone they act for.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import locked_row
from db.models import (
    ChainStep,
    County,
    Department,
    Document,
    DocumentCoSponsor,
    DocumentEvent,
    Official,
    PortfolioAssignment,
    Position,
    StepAssignment,
    utcnow,
)
from db.models_incoming import DocumentAddressee
from db.periods import held_on
from domain.chains import NoSigningRule, StaffedStep, UnstaffedRole, plan_chain, staff_chain
from domain.cover import Cover, CoverReason, HopOutcome, RosterAt, who_acts_for
from domain.documents import (
    DERIVED_FLAGS,
    Action,
    AssignmentState,
    ChainRole,
    Classification,
    Direction,
    DocumentFacts,
    DocumentState,
    Flag,
    Genre,
    Issuer,
    Meeting,
    Route,
    Span,
    StepState,
)
from domain.errors import DomainError, ErrorCode, words
from domain.roster import DepartmentKind, Role, local_date
from domain.submission import Addressee, Submission, check_submission
# Module import: services.deadlines imports this module too.
from services import audit, deadlines, events, meetings_decisions
from services.cover import roster_at
from services.events import InboxEvent, InboxEventKind
from services.signing_rules import SigningTables

ROUTE_OF_REASON = {
    CoverReason.NAMED_IN_ABSENCE_REPORT: Route.NAMED,
    CoverReason.PRESIDING_FOR_MAGISTRATE: Route.PRESIDING,
    CoverReason.ENTRUSTED_BY_MAGISTRATE: Route.ENTRUSTED,
    CoverReason.AB_PARTNER: Route.AB_PARTNER,
    CoverReason.ESCALATED_TO_MAGISTRATE: Route.ESCALATED,
    CoverReason.DESIGNATED_DEPUTY: Route.DEPUTY,
    CoverReason.ESCALATED_TO_PRINCIPAL: Route.ESCALATED,
}


class Verdict(str, enum.Enum):
    """What an official does on the step waiting for them."""

    APPROVE = "approve"
    DISSENT = "dissent"
    SIGN = "sign"


# Which verdicts fit which step.
VERDICTS = {
    Action.OFFICE_REVIEW: {Verdict.APPROVE},
    # Refusing a document outside the plan is returning it (returnDocument), not a dissent it travels with.
    Action.UNPLANNED_APPROVAL: {Verdict.APPROVE},
    Action.LEGAL_REVIEW: {Verdict.APPROVE, Verdict.DISSENT},
    Action.CO_SIGN: {Verdict.APPROVE, Verdict.DISSENT},
    Action.CO_REVIEW: {Verdict.APPROVE, Verdict.DISSENT},
    Action.REVIEW: {Verdict.APPROVE, Verdict.DISSENT},
    Action.SIGN: {Verdict.SIGN},
    Action.COUNTERSIGN: {Verdict.SIGN},
}
_STATE_OF_VERDICT = {Verdict.APPROVE: AssignmentState.APPROVED, Verdict.DISSENT: AssignmentState.DISSENTED,
                     Verdict.SIGN: AssignmentState.SIGNED}
# Events a withdrawal can undo: the last thing its author did, if nobody has acted since.
_UNDOABLE = {"submitted", "approved", "dissented"}


@dataclass
class DraftFields:
    title: str
    issuer: Issuer
    genre: Genre
    direction: Direction
    lead_department_id: int | None
    body: str = ""
    meeting: Meeting = Meeting.NONE
    flags: Sequence[Flag] = ()
    classification: Classification = Classification.NONE
    co_sponsor_ids: Sequence[int] = ()
    requested_matters: Sequence[str] = ()
    addressed_to_id: int | None = None
    # A request or report sent up: its main addressees (主送机关); one, never above the county (001 §28).
    addressees: Sequence[Addressee] = ()
    leader_assigned: bool = False
    departmental_matter: bool = False
    meeting_chair_id: int | None = None
    standing_meeting_on: dt.date | None = None
    attachments: Sequence[dict] = ()
    # The decision it executes, and the catalogue matter and amount that say whether it needs one.
    decision_id: int | None = None
    matter_code: str | None = None
    amount_wan: Decimal | None = None


# ---------------------------------------------------------------- who holds which office


@dataclass(frozen=True)
class OfficeHolders:
    """The county's offices on one day, enough to put people on any chain."""

    by_role: dict[Role, list[int]]
    principal_of: dict[int, int]
    department_kind: dict[int, DepartmentKind]
    leader_in_charge: dict[int, int]
    rank_of: dict[int, int]
    # Everyone holding a post in the government office, in rank order.
    office_staff: tuple[int, ...] = ()

    def principal_of_kind(self, kind: DepartmentKind) -> int | None:
        for department_id, department_kind in self.department_kind.items():
            if department_kind == kind and department_id in self.principal_of:
                return self.principal_of[department_id]
        return None


async def office_holders(session, county_id: int, on: dt.date) -> OfficeHolders:
    positions = (await session.execute(
        select(Position.official_id, Position.role, Position.department_id, Official.rank_order)
        .join(Official, Official.id == Position.official_id)
        .where(Position.county_id == county_id, held_on(Position, on))
        .order_by(Official.rank_order, Official.id)
    )).all()
    departments = (await session.execute(
        select(Department.id, Department.kind).where(Department.county_id == county_id))).all()
    portfolios = (await session.execute(
        select(PortfolioAssignment.department_id, PortfolioAssignment.official_id)
        .where(PortfolioAssignment.county_id == county_id, held_on(PortfolioAssignment, on)))).all()
    by_role: dict[Role, list[int]] = {}
    principal_of: dict[int, int] = {}
    for official_id, role, department_id, _rank in positions:
        by_role.setdefault(role, []).append(official_id)
        if role == Role.DEPARTMENT_PRINCIPAL:
            principal_of[department_id] = official_id
    office = {d for d, kind in departments if kind == DepartmentKind.GOVERNMENT_OFFICE}
    return OfficeHolders(by_role=by_role, principal_of=principal_of, department_kind=dict(departments),
                         leader_in_charge=dict(portfolios), rank_of={p[0]: p[3] for p in positions},
                         office_staff=tuple(dict.fromkeys(p[0] for p in positions if p[2] in office)))


async def office_staff(session, county_id: int, on: dt.date) -> set[int]:
    """Everyone holding a post in the government office: it sees and manages the whole flow."""
    rows = await session.execute(
        select(Position.official_id)
        .join(Department, Department.id == Position.department_id)
        .where(Position.county_id == county_id, Department.kind == DepartmentKind.GOVERNMENT_OFFICE,
               held_on(Position, on))
    )
    return set(rows.scalars())


def holders_for(document: Document, co_sponsors: list[int], offices: OfficeHolders):
    departments = [d for d in [document.lead_department_id, *co_sponsors] if d is not None]

    def holders(role: ChainRole) -> list[int]:
        lead = document.lead_department_id
        match role:
            case ChainRole.MAGISTRATE:
                return offices.by_role.get(Role.MAGISTRATE, [])[:1]
            case ChainRole.EXECUTIVE_VM:
                return offices.by_role.get(Role.EXECUTIVE_VICE_MAGISTRATE, [])[:1]
            case ChainRole.VM_IN_CHARGE:
                return [offices.leader_in_charge[lead]] if lead in offices.leader_in_charge else []
            case ChainRole.VMS_INVOLVED:
                vms = {offices.leader_in_charge[d] for d in departments if d in offices.leader_in_charge}
                return sorted(vms, key=lambda o: (offices.rank_of.get(o, 1 << 30), o))
            case ChainRole.OFFICE_DIRECTOR | ChainRole.OFFICE_REVIEWER:
                director = offices.principal_of_kind(DepartmentKind.GOVERNMENT_OFFICE)
                return [director] if director is not None else []
            case ChainRole.OFFICE_STAFF:
                return list(offices.office_staff)
            case ChainRole.LEGAL_OFFICE:
                legal = offices.principal_of_kind(DepartmentKind.JUSTICE)
                return [legal] if legal is not None else []
            case ChainRole.CO_SPONSOR:
                return [offices.principal_of[d] for d in co_sponsors if d in offices.principal_of]
            case ChainRole.UNIT_PRINCIPAL:
                return [offices.principal_of[lead]] if lead in offices.principal_of else []
            case ChainRole.MEETING_CHAIR:
                return [document.meeting_chair_id] if document.meeting_chair_id else []
        return []

    return holders


# ---------------------------------------------------------------- reading a document


async def addressees_of(session, document_id: int) -> tuple[Addressee, ...]:
    rows = await session.execute(select(DocumentAddressee.addressee).where(DocumentAddressee.document_id == document_id)
                                 .order_by(DocumentAddressee.addressee))
    return tuple(rows.scalars())


async def co_sponsors_of(session, document_id: int) -> list[int]:
    rows = await session.execute(
        select(DocumentCoSponsor.department_id).where(DocumentCoSponsor.document_id == document_id)
        .order_by(DocumentCoSponsor.department_id))
    return list(rows.scalars())


def facts_of(document: Document, co_sponsors: list[int], offices: OfficeHolders,
             derived: frozenset[Flag] = frozenset()) -> DocumentFacts:
    """``derived``: the flags that follow from the document's decision (services.meetings_decisions.decision_flags)."""
    departments = [d for d in [document.lead_department_id, *co_sponsors] if d is not None]
    vms = {offices.leader_in_charge[d] for d in departments if d in offices.leader_in_charge}
    span = Span.NONE if not vms else Span.SINGLE if len(vms) == 1 else Span.MULTI
    return DocumentFacts(issuer=document.issuer, genre=document.genre, direction=document.direction,
                         meeting=document.meeting, flags=frozenset(Flag(f) for f in document.flags) | derived,
                         span=span)


async def plan_for(session, *, document: Document, tables: SigningTables, at: dt.datetime) -> list[StaffedStep]:
    """The chain the county's table gives this document, with the people who hold each office now."""
    offices = await office_holders(session, document.county_id, local_date(at))
    co_sponsors = await co_sponsors_of(session, document.id)
    table = await tables.table_for(session, document.county_id)
    try:
        # The chain is planned without the gate flag: it refuses the signature when it comes (and explain
        # cites its row), it does not make the document unroutable.
        derived = await meetings_decisions.decision_flags(session, document) - {Flag.UNDECIDED_COLLECTIVE}
        plan = plan_chain(facts_of(document, co_sponsors, offices, derived), table.decide)
        return staff_chain(plan, holders_for(document, co_sponsors, offices))
    except NoSigningRule as error:
        raise DomainError(ErrorCode.UNROUTABLE, str(error), field="genre") from None
    except UnstaffedRole as error:
        raise DomainError(ErrorCode.UNROUTABLE, str(error), field="leadDepartmentId") from None


async def can_see(session, *, document: Document, official_id: int | None, at: dt.datetime) -> bool:
    """Classified documents: only the people on their chain and the government office (docs/DOMAIN.md §3.4)."""
    if document.classification == Classification.NONE:
        return True
    if official_id is None:
        return False
    if official_id == document.drafted_by_id:
        return True
    on_chain = await session.execute(
        select(StepAssignment.id).where(
            StepAssignment.document_id == document.id,
            (StepAssignment.assignee_id == official_id) | (StepAssignment.acted_by_id == official_id),
        ).limit(1))
    if on_chain.first():
        return True
    return official_id in await office_staff(session, document.county_id, local_date(at))


# ---------------------------------------------------------------- drafting and submission


async def lock_document(session: AsyncSession, document_id: int) -> Document:
    """The document, locked — after its county, the order every writer takes locks in, so none deadlock."""
    unlocked = await session.get(Document, document_id)
    if unlocked is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such document.", field="documentId")
    await locked_row(session, County, unlocked.county_id)
    # Documents are never deleted: the row is there; the locked read refreshes it.
    return await locked_row(session, Document, document_id)


async def _check_departments(session, county_id: int, fields: DraftFields) -> None:
    wanted = [d for d in [fields.lead_department_id, *fields.co_sponsor_ids] if d is not None]
    found = set((await session.execute(
        select(Department.id).where(Department.id.in_(wanted), Department.county_id == county_id))).scalars())
    if fields.lead_department_id is not None and fields.lead_department_id not in found:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="leadDepartmentId")
    if any(d not in found for d in fields.co_sponsor_ids):
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="coSponsorIds")
    if fields.lead_department_id in fields.co_sponsor_ids:
        raise DomainError(ErrorCode.INVALID, "The lead department cannot also co-sponsor.", field="coSponsorIds")
    for official_id, field in ((fields.addressed_to_id, "addressedToId"),
                               (fields.meeting_chair_id, "meetingChairId")):
        if official_id is not None:
            official = await session.get(Official, official_id)
            if official is None or official.county_id != county_id:
                raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field=field)


def _apply(document: Document, fields: DraftFields) -> None:
    if not fields.title.strip():
        raise DomainError(ErrorCode.INVALID, "A document needs a title.", field="title")
    derived = sorted(Flag(f).value for f in set(fields.flags) & DERIVED_FLAGS)
    if derived:
        raise DomainError(ErrorCode.DERIVED_FLAG, f"{', '.join(derived)} follows from the decision the document "
                          "executes: link it (decisionId, or linkDocumentToDecision) instead.", field="flags")
    document.title = fields.title.strip()
    document.body = fields.body
    document.issuer, document.genre, document.direction = fields.issuer, fields.genre, fields.direction
    document.meeting = fields.meeting
    document.flags = sorted({Flag(f).value for f in fields.flags})
    document.urgent = Flag.URGENT.value in document.flags
    document.classification = fields.classification
    document.lead_department_id = fields.lead_department_id
    document.requested_matters = [m.strip() for m in fields.requested_matters if m.strip()]
    document.addressed_to_id = fields.addressed_to_id
    document.leader_assigned = fields.leader_assigned
    document.departmental_matter = fields.departmental_matter
    document.meeting_chair_id = fields.meeting_chair_id
    document.standing_meeting_on = fields.standing_meeting_on
    document.attachments = [dict(a) for a in fields.attachments]
    document.decision_id = fields.decision_id
    document.matter_code = (fields.matter_code or "").strip() or None
    # As the column stores it, so a payload shows what a later read will.
    document.amount_wan = None if fields.amount_wan is None else fields.amount_wan.quantize(Decimal("0.01"))


async def create_draft(session: AsyncSession, *, drafted_by_id: int, fields: DraftFields,
                       actor: audit.Actor) -> Document:
    drafter = await session.get(Official, drafted_by_id)
    if drafter is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Drafts are written by officials; this account has none.",
                          field="draftedBy")
    # County first, before the insert, as every writer does (lock_document): see db.engine.locked_row.
    await locked_row(session, County, drafter.county_id)
    await _check_departments(session, drafter.county_id, fields)
    await meetings_decisions.check_draft_links(session, county_id=drafter.county_id, decision_id=fields.decision_id,
                                               matter_code=fields.matter_code, amount_wan=fields.amount_wan)
    document = Document(county_id=drafter.county_id, drafted_by_id=drafter.id, state=DocumentState.DRAFT, round=0)
    _apply(document, fields)
    session.add(document)
    await session.flush()
    session.add_all(DocumentCoSponsor(document_id=document.id, department_id=d)
                    for d in dict.fromkeys(fields.co_sponsor_ids))
    session.add_all(DocumentAddressee(document_id=document.id, addressee=a) for a in dict.fromkeys(fields.addressees))
    await session.flush()
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.draft",
                       entity="document", entity_id=document.id, after=audit.as_record(document))
    return document


async def update_draft(session: AsyncSession, *, document_id: int, official_id: int, fields: DraftFields,
                       actor: audit.Actor) -> Document:
    document = await lock_document(session, document_id)
    if official_id != document.drafted_by_id:
        raise DomainError(ErrorCode.FORBIDDEN, "Only the drafter edits a draft.", field="documentId")
    if document.state not in (DocumentState.DRAFT, DocumentState.RETURNED):
        raise DomainError(ErrorCode.WRONG_STATE, "Only drafts and returned documents can be edited.",
                          field="documentId")
    await _check_departments(session, document.county_id, fields)
    await meetings_decisions.check_draft_links(session, county_id=document.county_id, decision_id=fields.decision_id,
                                               matter_code=fields.matter_code, amount_wan=fields.amount_wan)
    before = audit.as_record(document)
    _apply(document, fields)
    await session.execute(DocumentCoSponsor.__table__.delete().where(DocumentCoSponsor.document_id == document.id))
    session.add_all(DocumentCoSponsor(document_id=document.id, department_id=d)
                    for d in dict.fromkeys(fields.co_sponsor_ids))
    await session.execute(DocumentAddressee.__table__.delete().where(DocumentAddressee.document_id == document.id))
    session.add_all(DocumentAddressee(document_id=document.id, addressee=a) for a in dict.fromkeys(fields.addressees))
    await session.flush()
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.edit",
                       entity="document", entity_id=document.id, before=before, after=audit.as_record(document))
    return document


async def submit(session: AsyncSession, *, document_id: int, official_id: int, tables: SigningTables,
                 actor: audit.Actor, at: dt.datetime | None = None) -> Document:
    at = at or utcnow()
    document = await lock_document(session, document_id)
    if official_id != document.drafted_by_id:
        raise DomainError(ErrorCode.FORBIDDEN, "The drafter submits the document.", field="documentId")
    if document.state not in (DocumentState.DRAFT, DocumentState.RETURNED):
        raise DomainError(ErrorCode.WRONG_STATE, f"The document is {words(document.state)}, not a draft.",
                          field="documentId")
    county = await session.get(County, document.county_id)
    check_submission(Submission(
        issuer=document.issuer, genre=document.genre, classification=document.classification,
        requested_matters=tuple(document.requested_matters), addressed_to_leader=document.addressed_to_id is not None,
        leader_assigned=document.leader_assigned, departmental_matter=document.departmental_matter,
        direction=document.direction, addressees=await addressees_of(session, document.id),
    ), county.rule_set)
    staffed = await plan_for(session, document=document, tables=tables, at=at)
    before = audit.as_record(document)
    document.round += 1
    document.state = DocumentState.IN_PROGRESS
    document.submitted_at = at
    for position, step in enumerate(staffed, start=1):
        row = ChainStep(county_id=document.county_id, document_id=document.id, round=document.round,
                        position=position, action=step.plan.action, alternatives=step.plan.alternatives,
                        rules=[{"rule": r.rule, "article": r.article, "priority": r.priority} for r in step.plan.rules],
                        state=StepState.WAITING)
        session.add(row)
        if position == 1:
            await _activate(session, document, row, at)
        await session.flush()
        session.add_all(StepAssignment(county_id=document.county_id, step_id=row.id, document_id=document.id,
                                       role=role, assignee_id=official) for role, official in step.assignees)
    await session.flush()
    await record_event(session, document, "submitted", actor_id=official_id, at=at)
    await _tell_waiting(session, document, (await current_steps(session, document))[0], InboxEventKind.NEW_ITEM, at)
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.submit",
                       entity="document", entity_id=document.id, before=before, after=audit.as_record(document))
    return document


# ---------------------------------------------------------------- acting on the chain


async def record_event(session, document: Document, kind: str, *, actor_id: int | None, at: dt.datetime,
                 step: ChainStep | None = None, assignment: StepAssignment | None = None,
                 on_behalf_of_id: int | None = None, route: Route | None = None,
                 opinion: str | None = None) -> DocumentEvent:
    event = DocumentEvent(county_id=document.county_id, document_id=document.id, kind=kind, actor_id=actor_id,
                          step_id=step.id if step else None, assignment_id=assignment.id if assignment else None,
                          on_behalf_of_id=on_behalf_of_id, route=route, opinion=opinion, at=at)
    session.add(event)
    await session.flush()
    return event


async def _tell_waiting(session, document: Document, step: ChainStep, kind: InboxEventKind, at: dt.datetime,
                        note: str = "") -> None:
    """Tell everyone the step waits for that their inbox changed (once the transaction commits)."""
    for assignment in await _assignments(session, step):
        if assignment.state == AssignmentState.WAITING:
            await events.publish(session, InboxEvent(kind=kind, county_id=document.county_id,
                                                     official_id=assignment.assignee_id, document_id=document.id,
                                                     step_id=step.id, at=at, note=note))


async def _activate(session, document: Document, step: ChainStep, at: dt.datetime) -> None:
    """The step now waits for its people; its clock starts (services.deadlines)."""
    step.state, step.activated_at, step.completed_at = StepState.ACTIVE, at, None
    await deadlines.start_clock(session, document=document, step=step, at=at)


async def current_steps(session, document: Document) -> list[ChainStep]:
    rows = await session.execute(
        select(ChainStep).where(ChainStep.document_id == document.id, ChainStep.round == document.round)
        .order_by(ChainStep.position))
    return list(rows.scalars())


async def _assignments(session, step: ChainStep) -> list[StepAssignment]:
    rows = await session.execute(
        select(StepAssignment).where(StepAssignment.step_id == step.id).order_by(StepAssignment.id))
    return list(rows.scalars())


@dataclass(frozen=True)
class Standing:
    """How an official stands toward one assignment: in person, or covering, and by which route."""

    assignment: StepAssignment
    route: Route
    cover: Cover | None


def standing_of(official_id: int, assignment: StepAssignment, roster: RosterAt) -> Standing | None:
    if assignment.assignee_id == official_id:
        # Leaders act from the mobile app while away, too; cover only adds who else may act.
        return Standing(assignment, Route.DIRECT, None)
    cover = who_acts_for(assignment.assignee_id, roster)
    if cover.actor != official_id:
        return None
    last = next(h for h in reversed(cover.hops) if h.outcome == HopOutcome.ACTS)
    return Standing(assignment, ROUTE_OF_REASON[last.reason], cover)


def _denial(decision, route: Route) -> str:
    if decision.rule is not None:
        return (f"The county's signing table refuses this ({decision.rule.rule}, {decision.rule.article})"
                + ("" if route == Route.DIRECT else f" when acting {route.in_words}") + ".")
    return "No row of the county's signing table allows this."


async def act(session: AsyncSession, *, document_id: int, official_id: int, verdict: Verdict, tables: SigningTables,
              actor: audit.Actor, opinion: str | None = None, circled: bool = False,
              on_behalf_of_id: int | None = None, at: dt.datetime | None = None) -> StepAssignment:
    """Approve, dissent or sign on the active step, in person or for someone covered right now."""
    at = at or utcnow()
    document = await lock_document(session, document_id)
    if document.state not in (DocumentState.IN_PROGRESS, DocumentState.SIGNED):
        raise DomainError(ErrorCode.WRONG_STATE, f"The document is {words(document.state)}.", field="documentId")
    steps = await current_steps(session, document)
    step = next((s for s in steps if s.state == StepState.ACTIVE), None)
    if step is None:
        raise DomainError(ErrorCode.WRONG_STATE, "Nothing on this document waits for anyone.", field="documentId")
    standing = await _standing_on_step(session, document, step, official_id, on_behalf_of_id, at)
    if verdict not in VERDICTS.get(step.action, set()):
        raise DomainError(ErrorCode.INVALID, f"The {words(step.action)} step takes "
                          f"{' or '.join(sorted(words(v) for v in VERDICTS.get(step.action, ())))}.", field="verdict")
    await _gate(session, document, step.action, standing, tables, at)
    text = _opinion(document, verdict, opinion, circled)

    assignment = standing.assignment
    assignment.state = _STATE_OF_VERDICT[verdict]
    assignment.acted_by_id, assignment.route, assignment.opinion, assignment.acted_at = (
        official_id, standing.route, text, at)
    await session.flush()
    await record_event(session, document, assignment.state.value, actor_id=official_id, at=at, step=step,
                 assignment=assignment, on_behalf_of_id=assignment.assignee_id if standing.cover else None,
                 route=standing.route, opinion=text)
    await advance(session, document, steps, step, at)
    await _once_signed(session, document, at, actor)
    await audit.record(session, county_id=document.county_id, actor=actor, action=f"document.{verdict.value}",
                       entity="step_assignment", entity_id=assignment.id,
                       after={"document_id": document.id, "step": step.action.value,
                              "acted_by": official_id, "on_behalf_of": assignment.assignee_id,
                              "route": standing.route.value, "opinion": text,
                              # A signature on a meeting's authorisation names the decision it rests on (003 §60).
                              **(await meetings_decisions.basis_of(session, document)
                                 if verdict == Verdict.SIGN else {})})
    return assignment


async def _standing_on_step(session, document: Document, step: ChainStep, official_id: int,
                            on_behalf_of_id: int | None, at: dt.datetime) -> Standing:
    waiting = [a for a in await _assignments(session, step) if a.state == AssignmentState.WAITING]
    roster = await roster_at(session, county_id=document.county_id, at=at)
    standings = [s for a in waiting if (s := standing_of(official_id, a, roster)) is not None]
    if on_behalf_of_id is not None:
        standings = [s for s in standings if s.assignment.assignee_id == on_behalf_of_id]
    if not standings:
        raise DomainError(ErrorCode.NOT_YOUR_TURN,
                          "The step waiting on this document is not yours, nor anyone's you cover for now.",
                          field="documentId")
    # In person first, then the covered assignments in chain order.
    return sorted(standings, key=lambda s: (s.route != Route.DIRECT, s.assignment.id))[0]


async def _gate(session, document: Document, action: Action, standing: Standing, tables: SigningTables,
                at: dt.datetime) -> None:
    offices = await office_holders(session, document.county_id, local_date(at))
    facts = facts_of(document, await co_sponsors_of(session, document.id), offices,
                     await meetings_decisions.decision_flags(session, document))
    table = await tables.table_for(session, document.county_id)
    decision = table.decide(facts, standing.route, action, standing.assignment.role)
    if not decision.allowed:
        raise DomainError(ErrorCode.NOT_ALLOWED_BY_TABLE, _denial(decision, standing.route), field="documentId")


def _opinion(document: Document, verdict: Verdict, opinion: str | None, circled: bool) -> str:
    """A clear opinion is recorded with name and date (003 §57); a circle (圈阅) reads per genre."""
    text = (opinion or "").strip()
    if text:
        return text
    if circled:
        return "圈阅：同意" if document.genre == Genre.REQUEST else "圈阅：已阅"
    if verdict == Verdict.DISSENT:
        raise DomainError(ErrorCode.OPINION_REQUIRED, "A dissent states its reasons.", field="opinion")
    if verdict == Verdict.SIGN:
        return "签发"
    raise DomainError(ErrorCode.OPINION_REQUIRED, "Record a clear opinion, or circle to read/agree.",
                      field="opinion")


async def advance(session, document: Document, steps: list[ChainStep], step: ChainStep, at: dt.datetime) -> None:
    assignments = await _assignments(session, step)
    acted = [a for a in assignments if a.state != AssignmentState.WAITING]
    if step.alternatives and acted:
        for other in assignments:
            if other.state == AssignmentState.WAITING:
                other.state = AssignmentState.NOT_NEEDED
    elif len(acted) < len(assignments):
        return
    step.state, step.completed_at = StepState.DONE, at
    if step.action == Action.SIGN:
        document.state, document.signed_at = DocumentState.SIGNED, at
    following = [s for s in steps if s.position > step.position and s.state == StepState.WAITING]
    if following:
        await _activate(session, document, following[0], at)
    await session.flush()
    if following:
        await _tell_waiting(session, document, following[0], InboxEventKind.NEW_ITEM, at)


async def _once_signed(session, document: Document, at: dt.datetime, actor: audit.Actor) -> None:
    """In the signing transaction: signed minutes take their number in the body's series
    (services.meetings_minutes), the clock to issuing starts (services.issuing), and a signed reply to a
    proposal makes it replied (services.proposals)."""
    # Imported here: these modules act on documents through this one.
    from services import issuing, meetings_minutes, proposals

    await meetings_minutes.minutes_signed(session, document=document, at=at, actor=actor)
    await issuing.start_issue_clock(session, document=document)
    await proposals.reply_signed(session, document=document, at=at, actor=actor)


async def urgent_sign(session: AsyncSession, *, document_id: int, official_id: int, consent_note: str,
                      tables: SigningTables, actor: audit.Actor, at: dt.datetime | None = None) -> Document:
    """Urgent, and the signer unreachable: proceed on their oral consent; they countersign later (000 §45)."""
    at = at or utcnow()
    document = await lock_document(session, document_id)
    steps = await current_steps(session, document)
    step = next((s for s in steps if s.state == StepState.ACTIVE), None)
    if document.state != DocumentState.IN_PROGRESS or step is None or step.action != Action.SIGN:
        raise DomainError(ErrorCode.WRONG_STATE, "Only a document waiting for its signature can go urgently.",
                          field="documentId")
    if not consent_note.strip():
        raise DomainError(ErrorCode.OPINION_REQUIRED, "Note the oral consent: who agreed, when.",
                          field="consentNote")
    offices = await office_holders(session, document.county_id, local_date(at))
    co_sponsors = await co_sponsors_of(session, document.id)
    facts = facts_of(document, co_sponsors, offices, await meetings_decisions.decision_flags(session, document))
    table = await tables.table_for(session, document.county_id)
    roles = [role for role in ChainRole if official_id in holders_for(document, co_sponsors, offices)(role)]
    decision = next((d for role in roles
                     if (d := table.decide(facts, Route.DIRECT, Action.URGENT_SIGN, role)).allowed), None)
    if decision is None:
        raise DomainError(ErrorCode.NOT_ALLOWED_BY_TABLE,
                          "The county's signing table gives you no urgent route for this document.",
                          field="documentId")
    signers = await _assignments(session, step)
    for assignment in signers:
        assignment.state = AssignmentState.NOT_NEEDED
    step.state, step.completed_at = StepState.DONE, at
    document.state, document.signed_at = DocumentState.SIGNED, at
    countersign = ChainStep(county_id=document.county_id, document_id=document.id, round=document.round,
                            position=max(s.position for s in steps) + 1, action=Action.COUNTERSIGN,
                            alternatives=False, state=StepState.WAITING,
                            rules=[{"rule": decision.rule.rule, "article": decision.rule.article,
                                    "priority": decision.rule.priority}])
    session.add(countersign)
    await _activate(session, document, countersign, at)
    await session.flush()
    session.add_all(StepAssignment(county_id=document.county_id, step_id=countersign.id, document_id=document.id,
                                   role=a.role, assignee_id=a.assignee_id) for a in signers)
    await session.flush()
    await _tell_waiting(session, document, countersign, InboxEventKind.NEW_ITEM, at)
    await record_event(session, document, "signed_on_oral_consent", actor_id=official_id, at=at, step=step,
                 opinion=consent_note.strip())
    await _once_signed(session, document, at, actor)
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.urgent_sign",
                       entity="document", entity_id=document.id,
                       after={"acted_by": official_id, "consent": consent_note.strip(), "rule": decision.rule.rule})
    return document


async def return_document(session: AsyncSession, *, document_id: int, official_id: int, reason: str,
                          actor: audit.Actor, to_position: int | None = None,
                          at: dt.datetime | None = None) -> Document:
    """Send the document back to an earlier step, or to its drafter (``to_position`` None)."""
    at = at or utcnow()
    document = await lock_document(session, document_id)
    if document.state != DocumentState.IN_PROGRESS:
        raise DomainError(ErrorCode.WRONG_STATE, f"The document is {words(document.state)}.", field="documentId")
    if not reason.strip():
        raise DomainError(ErrorCode.OPINION_REQUIRED, "Say why it goes back.", field="reason")
    steps = await current_steps(session, document)
    active = next(s for s in steps if s.state == StepState.ACTIVE)
    standing = await _standing_on_step(session, document, active, official_id, None, at)
    if to_position is not None and not 1 <= to_position < active.position:
        raise DomainError(ErrorCode.INVALID, f"Return to a step before the current one (1–{active.position - 1}).",
                          field="toStep")
    reopened = [s for s in steps if to_position is not None and s.position >= to_position]
    for step in reopened:
        if step.position == to_position:
            await _activate(session, document, step, at)
        else:
            step.state, step.activated_at, step.completed_at, step.due_at = StepState.WAITING, None, None, None
        await session.execute(update(StepAssignment).where(StepAssignment.step_id == step.id).values(
            state=AssignmentState.WAITING, acted_by_id=None, route=None, opinion=None, acted_at=None))
    undone = [s.id for s in reopened] if to_position is not None else [s.id for s in steps]
    await session.execute(update(DocumentEvent).where(DocumentEvent.step_id.in_(undone)).values(undone=True))
    if to_position is None:
        document.state = DocumentState.RETURNED
        await events.publish(session, InboxEvent(kind=InboxEventKind.RETURNED, county_id=document.county_id,
                                                 official_id=document.drafted_by_id, document_id=document.id,
                                                 step_id=None, at=at, note=reason.strip()))
    else:
        await _tell_waiting(session, document, reopened[0], InboxEventKind.RETURNED, at, note=reason.strip())
    await record_event(session, document, "returned", actor_id=official_id, at=at, step=active,
                 on_behalf_of_id=standing.assignment.assignee_id if standing.cover else None,
                 route=standing.route, opinion=reason.strip())
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.return",
                       entity="document", entity_id=document.id,
                       after={"to_step": to_position, "reason": reason.strip(), "by": official_id})
    return document


async def withdraw(session: AsyncSession, *, document_id: int, official_id: int, actor: audit.Actor,
                   at: dt.datetime | None = None) -> Document:
    """Take back one's own last action (or the submission) before the next person acts."""
    at = at or utcnow()
    document = await lock_document(session, document_id)
    last = (await session.execute(
        select(DocumentEvent).where(DocumentEvent.document_id == document.id, DocumentEvent.undone.is_(False),
                                    DocumentEvent.kind.in_(_UNDOABLE | {"signed", "returned", "deemed_no_objection",
                                                                        "signed_on_oral_consent"}))
        .order_by(DocumentEvent.id.desc()).limit(1))).scalar_one_or_none()
    if last is None or last.kind not in _UNDOABLE or last.actor_id != official_id:
        raise DomainError(ErrorCode.WRONG_STATE,
                          "Only your own last action can be withdrawn, and only before anyone acts after it.",
                          field="documentId")
    active = next((s for s in await current_steps(session, document) if s.state == StepState.ACTIVE), None)
    if last.kind == "submitted":
        if document.state != DocumentState.IN_PROGRESS:
            raise DomainError(ErrorCode.WRONG_STATE, "The document is no longer in the flow.", field="documentId")
        document.state = DocumentState.DRAFT
    else:
        assignment = await session.get(StepAssignment, last.assignment_id)
        step = await session.get(ChainStep, assignment.step_id)
        steps = await current_steps(session, document)
        for later in steps:
            if later.position > step.position and later.state == StepState.ACTIVE:
                later.state, later.activated_at, later.due_at = StepState.WAITING, None, None
        if step.state != StepState.ACTIVE:
            await _activate(session, document, step, at)
        assignment.state, assignment.acted_by_id, assignment.route = AssignmentState.WAITING, None, None
        assignment.opinion, assignment.acted_at = None, None
    last.undone = True
    if active is not None and (document.state == DocumentState.DRAFT or active.state != StepState.ACTIVE):
        # Those the active step waited for lose the item: the submission, or the step before, is taken back.
        await _tell_waiting(session, document, active, InboxEventKind.WITHDRAWN, at)
    await record_event(session, document, "withdrawn", actor_id=official_id, at=at)
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.withdraw",
                       entity="document", entity_id=document.id, after={"withdrew": last.kind, "by": official_id})
    return document


async def reassign(session: AsyncSession, *, assignment_id: int, official_id: int, to_official_id: int,
                   reason: str, actor: audit.Actor, at: dt.datetime | None = None) -> StepAssignment:
    """The government office moves a waiting assignment to someone else, saying why."""
    at = at or utcnow()
    assignment = await session.get(StepAssignment, assignment_id)
    if assignment is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such assignment.", field="assignmentId")
    document = await lock_document(session, assignment.document_id)
    if official_id not in await office_staff(session, document.county_id, local_date(at)):
        raise DomainError(ErrorCode.FORBIDDEN, "Only the government office reassigns.", field="assignmentId")
    if assignment.state != AssignmentState.WAITING:
        raise DomainError(ErrorCode.WRONG_STATE, "That assignment has been acted on.", field="assignmentId")
    target = await session.get(Official, to_official_id)
    if target is None or target.county_id != document.county_id or target.retired_on is not None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such serving official in this county.", field="toOfficialId")
    if not reason.strip():
        raise DomainError(ErrorCode.OPINION_REQUIRED, "Say why it is reassigned.", field="reason")
    previous = assignment.assignee_id
    assignment.assignee_id = target.id
    await session.flush()
    for kind, official in ((InboxEventKind.WITHDRAWN, previous), (InboxEventKind.NEW_ITEM, target.id)):
        await events.publish(session, InboxEvent(kind=kind, county_id=document.county_id, official_id=official,
                                                 document_id=document.id, step_id=assignment.step_id, at=at,
                                                 note=reason.strip()))
    await record_event(session, document, "reassigned", actor_id=official_id, at=at, assignment=assignment,
                 on_behalf_of_id=previous, opinion=reason.strip())
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.reassign",
                       entity="step_assignment", entity_id=assignment.id,
                       before={"assignee_id": previous}, after={"assignee_id": target.id, "reason": reason.strip()})
    return assignment


# ---------------------------------------------------------------- explain


@dataclass(frozen=True)
class Explanation:
    allowed: bool
    reason: str
    route: Route | None = None
    on_behalf_of_id: int | None = None
    rule: str | None = None
    article: str | None = None


async def explain(session, *, document_id: int, official_id: int, action: Action, tables: SigningTables,
                  at: dt.datetime | None = None) -> Explanation:
    """Would the official be allowed to take ``action`` on the document now, and why (or why not)?"""
    at = at or utcnow()
    document = await session.get(Document, document_id)
    if document is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such document.", field="documentId")
    if action == Action.ISSUE:
        # Issuing is no step of the chain: the table's issue rows answer (services.issuing).
        from services import issuing

        answer = await issuing.explain(session, document=document, official_id=official_id, tables=tables, at=at)
        return Explanation(answer.allowed, answer.reason, answer.route, answer.on_behalf_of_id, answer.rule,
                           answer.article)
    steps = await current_steps(session, document)
    step = next((s for s in steps if s.state == StepState.ACTIVE), None)
    if document.state not in (DocumentState.IN_PROGRESS, DocumentState.SIGNED) or step is None:
        return Explanation(False, f"The document is {words(document.state)}; nothing waits for anyone.")
    if step.action != action:
        return Explanation(False, f"The step waiting now is {words(step.action)}, not {words(action)}.")
    try:
        standing = await _standing_on_step(session, document, step, official_id, None, at)
    except DomainError as error:
        return Explanation(False, error.message)
    offices = await office_holders(session, document.county_id, local_date(at))
    facts = facts_of(document, await co_sponsors_of(session, document.id), offices,
                     await meetings_decisions.decision_flags(session, document))
    decision = (await tables.table_for(session, document.county_id)).decide(
        facts, standing.route, action, standing.assignment.role)
    on_behalf = standing.assignment.assignee_id if standing.cover else None
    acting_for = (await session.get(Official, on_behalf)).name if on_behalf else None
    reason = (f"Allowed as {standing.assignment.role.value.replace('_', ' ')}"
              + (f", acting for {acting_for} {standing.route.in_words}" if on_behalf else "")
              + "." if decision.allowed else _denial(decision, standing.route))
    return Explanation(decision.allowed, reason, standing.route, on_behalf,
                       decision.rule.rule if decision.rule else None, decision.rule.article if decision.rule else None)
