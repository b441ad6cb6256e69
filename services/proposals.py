"""NPC bills and suggestions and CPPCC proposals (议案、建议、提案), from receipt to the published result.

Every use case is one transaction that takes the county's lock first and is audited. The office registers and
assigns (000 §56(五)); assigning opens the proposal's supervision item (000 §56(四)) and puts the acceptance on
the lead unit's principal, who names the handler (000 §56(一)); the handler logs the contacts with the proposer
(001 §14) and drafts the reply letter, which the county's signing table routes like any document; its signature
makes the proposal REPLIED and reports the result to supervision; then the result is published (001 §14; 003
§30) and the office closes it. Each step runs against the county's time limit (policies/proposals), and the
sweeper reminds once per lapse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AgendaItem,
    ChainStep,
    Department,
    Document,
    MeetingBody,
    Official,
    Position,
    StepAssignment,
    utcnow,
)
from db.models_proposals import (
    Proposal,
    ProposalCoUnit,
    ProposalContact,
    ProposalEvent,
    ProposalReminder,
    ProposalTimeLimit,
)
from db.periods import held_on
from domain.calendar import CalendarUnknown
from domain.documents import Action, AssignmentState, DocumentState, Genre, Issuer, Route
from domain.duties import Subject, SubjectKind
from domain.errors import DomainError, ErrorCode, words
from domain.meetings import BodyKind, ItemState as AgendaItemState
from domain.proposals import (
    CLOCK_OF_STATE,
    ContactWay,
    EventKind,
    LimitStep,
    ProposalKind,
    ProposalState,
    ReplyOutcome,
    can_move,
    designation,
    reply_direction,
    reply_problem,
    reply_title,
)
from domain.roster import LOCAL_TZ, DepartmentKind, RuleSet, local_date
from domain.supervision import SourceKind, Step as SupervisionStep, target as supervision_target
from policies.proposals import InvalidLimit, LimitSpec, read_limits
from services import audit, documents, duties, supervision, tenancy
from services.calendar import calendar_for, unknown_year
from services.events import DutyEventKind
from services.signing_rules import SigningTables

SWEEPER = audit.Actor(account_id=None, request_id="sweeper")

# The duty each step puts on its actor, and the rule that puts it there.
_TASKS = {
    LimitStep.ASSIGN: ("assign", "交办", "000 §56(五)"),
    LimitStep.ACCEPT: ("accept", "签收", "000 §56(一)"),
    LimitStep.REPLY: ("reply", "答复", "000 §56(二)"),
    LimitStep.PUBLISH: ("publish", "公开办理结果", "001 §14; 003 §30"),
}
# Meetings an important proposal may be put before (000 §56(三)).
_PROPOSAL_MEETINGS = frozenset({BodyKind.MAGISTRATE_OFFICE, BodyKind.TOPICAL})


def subject_of(proposal: Proposal) -> Subject:
    return Subject(SubjectKind.PROPOSAL, proposal.id)


# ---------------------------------------------------------------- the county's time limits


async def install_time_limits(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's shipped limits."""
    session.add_all(ProposalTimeLimit(county_id=county_id, step=spec.step, working_days=spec.working_days,
                                      article=spec.article) for spec in read_limits(rule_set))
    await session.flush()


async def time_limits_of(session, *, county_id: int) -> list[ProposalTimeLimit]:
    rows = await session.execute(select(ProposalTimeLimit).where(ProposalTimeLimit.county_id == county_id))
    order = list(LimitStep)
    return sorted(rows.scalars(), key=lambda row: order.index(row.step))


async def set_time_limit(session: AsyncSession, *, county_id: int, step: LimitStep, working_days: int | None,
                         article: str, actor: audit.Actor) -> list[ProposalTimeLimit]:
    """Set (or, with no working days, remove) the county's limit for ``step``. Clocks already running keep the
    due time they were given; the next clock of that step counts with the new limit."""
    await tenancy.lock_county(session, county_id)
    row = await session.scalar(select(ProposalTimeLimit).where(ProposalTimeLimit.county_id == county_id,
                                                               ProposalTimeLimit.step == step))
    before = _limit_record(row)
    if working_days is None:
        if row is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"The county has no time limit for {words(step)}.", field="step")
        await session.delete(row)
    else:
        try:
            spec = LimitSpec(step=step, working_days=working_days, article=article).checked()
        except InvalidLimit as error:
            field = "workingDays" if error.column == "working_days" else error.column
            raise DomainError(ErrorCode.INVALID, str(error), field=field) from None
        if row is None:
            row = ProposalTimeLimit(county_id=county_id, step=step)
            session.add(row)
        row.working_days, row.article = spec.working_days, spec.article
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="proposal_time_limit.set",
                       entity="proposal_time_limit", entity_id=None, before=before,
                       after=_limit_record(row) if working_days is not None else {"step": step.value})
    return await time_limits_of(session, county_id=county_id)


def _limit_record(row: ProposalTimeLimit | None) -> dict | None:
    if row is None:
        return None
    return {"step": row.step.value, "working_days": row.working_days, "article": row.article}


def _clock_start(proposal: Proposal, step: LimitStep) -> dt.datetime:
    """When the step's count starts: receipt for assigning, assignment for accepting and replying, the reply for
    publishing (see policies/proposals/<rule set>.csv)."""
    if step == LimitStep.ASSIGN:
        return dt.datetime.combine(proposal.received_on, dt.time(12), tzinfo=LOCAL_TZ)
    if step in (LimitStep.ACCEPT, LimitStep.REPLY):
        return proposal.assigned_at
    return proposal.replied_at


async def _start_clock(session: AsyncSession, proposal: Proposal) -> None:
    """The clock of the proposal's state: due time and article from the county's limit, or why there is none."""
    step = CLOCK_OF_STATE.get(proposal.state)
    limit = None if step is None else await session.scalar(select(ProposalTimeLimit).where(
        ProposalTimeLimit.county_id == proposal.county_id, ProposalTimeLimit.step == step))
    proposal.due_step = step if limit is not None else None
    proposal.due_at = proposal.due_problem = proposal.due_article = None
    if limit is None:
        return
    proposal.due_article = limit.article
    calendar = await calendar_for(session, county_id=proposal.county_id)
    try:
        proposal.due_at = calendar.due_after(_clock_start(proposal, step), limit.working_days)
    except CalendarUnknown as unknown:
        # No guessing from weekends: the proposal shows why it has no due time until the year is entered.
        proposal.due_problem = unknown_year(unknown).message


# ---------------------------------------------------------------- who holds which office


async def _principal_of(session, county_id: int, department_id: int) -> int | None:
    offices = await documents.office_holders(session, county_id, local_date(utcnow()))
    return offices.principal_of.get(department_id)


async def _office_director(session, county_id: int) -> int | None:
    offices = await documents.office_holders(session, county_id, local_date(utcnow()))
    return offices.principal_of_kind(DepartmentKind.GOVERNMENT_OFFICE)


async def _name(session, official_id: int | None) -> str:
    official = await session.get(Official, official_id) if official_id is not None else None
    return official.name if official is not None else "nobody"


async def _route_for(session, proposal: Proposal, official_id: int | None,
                     owners: list[int | None]) -> tuple[int, Route] | None:
    """(on whose behalf, route) when ``official_id`` may act for one of ``owners`` now: in person first, then by
    cover (services.duties.acting_route); None when for none of them."""
    if official_id is None:
        return None
    for owner in owners:
        if owner == official_id:
            return owner, Route.DIRECT
    for owner in owners:
        if owner is None:
            continue
        route = await duties.acting_route(session, county_id=proposal.county_id, actor_id=official_id,
                                          owner_id=owner)
        if route is not None:
            return owner, route
    return None


# ---------------------------------------------------------------- steps


@dataclass
class ProposalFields:
    kind: ProposalKind
    session: str
    number: int
    proposers: str
    title: str
    content: str
    received_on: dt.date
    category: str = ""


async def _locked(session: AsyncSession, proposal: Proposal) -> Proposal:
    await tenancy.lock_county(session, proposal.county_id)
    await session.refresh(proposal)
    return proposal


def _refuse(proposal: Proposal, why: str) -> DomainError:
    return DomainError(ErrorCode.WRONG_STATE, f"{designation(proposal.kind, proposal.session, proposal.number)} is "
                       f"{words(proposal.state)}: {why}", field="proposalId")


def _require_state(proposal: Proposal, *states: ProposalState, why: str) -> None:
    if proposal.state not in states:
        raise _refuse(proposal, why)


def _require_move(proposal: Proposal, to: ProposalState, why: str) -> None:
    if not can_move(proposal.state, to):
        raise _refuse(proposal, why)


async def _event(session: AsyncSession, proposal: Proposal, kind: EventKind, *, actor_id: int | None,
                 on_behalf_of_id: int | None = None, route: Route | None = None, note: str = "",
                 at: dt.datetime | None = None) -> None:
    session.add(ProposalEvent(county_id=proposal.county_id, proposal_id=proposal.id, kind=kind, actor_id=actor_id,
                              on_behalf_of_id=on_behalf_of_id if on_behalf_of_id != actor_id else None, route=route,
                              note=note, at=at or utcnow()))
    await session.flush()


async def _put_duty(session: AsyncSession, proposal: Proposal, step: LimitStep, official_ids: list[int | None]) -> None:
    task, verb, article = _TASKS[step]
    await duties.assign(session, county_id=proposal.county_id, official_ids=[o for o in official_ids if o],
                        subject=subject_of(proposal), task=task, article=article, due_at=proposal.due_at,
                        title=f"{verb}：{designation(proposal.kind, proposal.session, proposal.number)}"
                              f"《{proposal.title}》")


async def _settle_duty(session: AsyncSession, proposal: Proposal, step: LimitStep, *, official_id: int | None,
                       acting: tuple[int, Route] | None) -> None:
    await duties.settle(session, subject=subject_of(proposal), task=_TASKS[step][0], by_official_id=official_id,
                        route=acting[1] if acting else None, on_behalf_of_id=acting[0] if acting else None)


async def register(session: AsyncSession, *, county_id: int, fields: ProposalFields, official_id: int | None,
                   actor: audit.Actor) -> Proposal:
    """The office registers a bill, suggestion or proposal handed over after the two sessions."""
    await tenancy.lock_county(session, county_id)
    for field, value in (("session", fields.session), ("proposers", fields.proposers), ("title", fields.title),
                         ("content", fields.content)):
        if not value.strip():
            raise DomainError(ErrorCode.INVALID, f"A proposal needs its {field}, as the session lists it.",
                              field=field)
    if fields.number < 1:
        raise DomainError(ErrorCode.INVALID, "A proposal's number is 1 or more.", field="number")
    if fields.received_on > local_date(utcnow()):
        raise DomainError(ErrorCode.INVALID, "A proposal is registered once received, not ahead.", field="receivedOn")
    taken = await session.scalar(select(Proposal.id).where(
        Proposal.county_id == county_id, Proposal.kind == fields.kind, Proposal.session == fields.session.strip(),
        Proposal.number == fields.number))
    if taken is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"{designation(fields.kind, fields.session.strip(), fields.number)} is "
                          "registered already.", field="number")
    proposal = Proposal(county_id=county_id, kind=fields.kind, session=fields.session.strip(), number=fields.number,
                        proposers=fields.proposers.strip(), title=fields.title.strip(), content=fields.content.strip(),
                        category=fields.category.strip(), received_on=fields.received_on,
                        state=ProposalState.RECEIVED, registered_at=utcnow())
    session.add(proposal)
    await session.flush()
    await _start_clock(session, proposal)
    await _event(session, proposal, EventKind.REGISTERED, actor_id=official_id)
    await _put_duty(session, proposal, LimitStep.ASSIGN, [await _office_director(session, county_id)])
    await audit.record(session, county_id=county_id, actor=actor, action="proposal.register", entity="proposal",
                       entity_id=proposal.id, after=audit.as_record(proposal))
    return proposal


async def assign(session: AsyncSession, *, proposal: Proposal, lead_department_id: int,
                 co_department_ids: list[int], official_id: int | None, actor: audit.Actor) -> Proposal:
    """The office assigns the proposal to its lead unit and co-units (000 §56(五)); it becomes a supervision item
    (000 §56(四)) and waits for the lead unit's principal to accept it."""
    proposal = await _locked(session, proposal)
    _require_move(proposal, ProposalState.ASSIGNED, "only a proposal just received is assigned (000 §56(五)).")
    co_units = list(dict.fromkeys(co_department_ids))
    found = set((await session.execute(select(Department.id).where(
        Department.id.in_([lead_department_id, *co_units]), Department.county_id == proposal.county_id))).scalars())
    if lead_department_id not in found:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="leadDepartmentId")
    if any(d not in found for d in co_units):
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="coDepartmentIds")
    if lead_department_id in co_units:
        raise DomainError(ErrorCode.INVALID, "The lead unit cannot also be a co-unit.", field="coDepartmentIds")
    principal = await _principal_of(session, proposal.county_id, lead_department_id)
    if principal is None:
        lead = await session.get(Department, lead_department_id)
        raise DomainError(ErrorCode.INVALID, f"{lead.name} has no principal today to answer for the proposal "
                          "(000 §56(一)): appoint one first.", field="leadDepartmentId")
    before = audit.as_record(proposal)
    proposal.state, proposal.lead_department_id, proposal.assigned_at = (
        ProposalState.ASSIGNED, lead_department_id, utcnow())
    session.add_all(ProposalCoUnit(proposal_id=proposal.id, department_id=d) for d in co_units)
    await _start_clock(session, proposal)
    acting = await _route_for(session, proposal, official_id, [await _office_director(session, proposal.county_id)])
    await _settle_duty(session, proposal, LimitStep.ASSIGN, official_id=official_id, acting=acting)
    await _event(session, proposal, EventKind.ASSIGNED, actor_id=official_id,
                 on_behalf_of_id=acting[0] if acting else None, route=acting[1] if acting else None)
    await _put_duty(session, proposal, LimitStep.ACCEPT, [principal])
    await _open_supervision(session, proposal, co_units, official_id, actor)
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.assign",
                       entity="proposal", entity_id=proposal.id, before=before,
                       after={**audit.as_record(proposal), "co_department_ids": co_units,
                              **_acting_record(official_id, acting)})
    return proposal


def _acting_record(official_id: int | None, acting: tuple[int, Route] | None) -> dict:
    """Who acted, on whose behalf, by which route, as the audit trail keeps it."""
    if acting is None:
        return {"acted_by": official_id}
    return {"acted_by": official_id, "on_behalf_of": acting[0], "route": acting[1].value}


async def _open_supervision(session: AsyncSession, proposal: Proposal, co_units: list[int], official_id: int | None,
                            actor: audit.Actor) -> None:
    """Each proposal is also a supervision item (000 §56(四)), due when the reply is."""
    reply_limit = await session.scalar(select(ProposalTimeLimit.working_days).where(
        ProposalTimeLimit.county_id == proposal.county_id, ProposalTimeLimit.step == LimitStep.REPLY))
    await supervision.open_item(
        session, county_id=proposal.county_id, source_kind=SourceKind.PROPOSAL, source_id=proposal.id,
        instruction=f"办理{designation(proposal.kind, proposal.session, proposal.number)}《{proposal.title}》"
                    f"（{proposal.proposers}）",
        instructed_by_id=None, instructed_on=local_date(proposal.assigned_at),
        lead_department_id=proposal.lead_department_id, co_department_ids=co_units,
        working_days=reply_limit, opened_by_id=official_id, actor=actor)


async def accept(session: AsyncSession, *, proposal: Proposal, official_id: int | None, handler_id: int,
                 actor: audit.Actor) -> Proposal:
    """The lead unit's principal, or whoever covers them now, accepts the proposal, answering for it and naming the
    handler (000 §56(一))."""
    proposal = await _locked(session, proposal)
    _require_move(proposal, ProposalState.ACCEPTED, "only an assigned proposal is accepted (000 §56(一)).")
    lead = await session.get(Department, proposal.lead_department_id)
    principal = await _principal_of(session, proposal.county_id, lead.id)
    acting = await _route_for(session, proposal, official_id, [principal])
    if acting is None:
        raise DomainError(ErrorCode.FORBIDDEN, f"Only the principal of {lead.name} "
                          f"({await _name(session, principal)}), or whoever covers them now, accepts this proposal "
                          "and answers for it (000 §56(一): 主要负责同志要亲自负责).", field="proposalId")
    handler = await session.get(Official, handler_id)
    if handler is None or handler.county_id != proposal.county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="handlerId")
    in_unit = await session.scalar(select(Position.id).where(
        Position.official_id == handler_id, Position.department_id == lead.id,
        held_on(Position, local_date(utcnow()))).limit(1))
    if in_unit is None:
        raise DomainError(ErrorCode.INVALID, f"{handler.name} holds no post in {lead.name}: the handler is the lead "
                          "unit's own (000 §56(一) 落实具体承办人员).", field="handlerId")
    before = audit.as_record(proposal)
    proposal.state, proposal.accepted_at = ProposalState.ACCEPTED, utcnow()
    proposal.responsible_principal_id, proposal.handler_id = acting[0], handler_id
    await _start_clock(session, proposal)
    await _settle_duty(session, proposal, LimitStep.ACCEPT, official_id=official_id, acting=acting)
    await _event(session, proposal, EventKind.ACCEPTED, actor_id=official_id, on_behalf_of_id=acting[0],
                 route=acting[1], note=f"承办人：{handler.name}")
    await _put_duty(session, proposal, LimitStep.REPLY, [handler_id])
    # Accepting the proposal accepts its supervision item too: one act of the same principal.
    for item in await _supervision_items(session, proposal, SupervisionStep.ACCEPT):
        await supervision.accept(session, item_id=item.id, official_id=official_id, actor=actor)
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.accept",
                       entity="proposal", entity_id=proposal.id, before=before,
                       after={**audit.as_record(proposal), **_acting_record(official_id, acting)})
    return proposal


async def _unit_acting(session, proposal: Proposal, official_id: int | None, what: str) -> tuple[int, Route]:
    """The handler or the responsible principal, in person or covered now; FORBIDDEN for anyone else."""
    acting = await _route_for(session, proposal, official_id, [proposal.handler_id, proposal.responsible_principal_id])
    if acting is None:
        raise DomainError(ErrorCode.FORBIDDEN, f"Only the handler ({await _name(session, proposal.handler_id)}) or "
                          f"the principal who answers for the proposal "
                          f"({await _name(session, proposal.responsible_principal_id)}), or whoever covers them "
                          f"now, {what} (000 §56(一)).", field="proposalId")
    return acting


async def log_contact(session: AsyncSession, *, proposal: Proposal, official_id: int | None, contacted_on: dt.date,
                      way: ContactWay, person: str, summary: str, actor: audit.Actor) -> ProposalContact:
    """A contact with the proposer (001 §14 加强与代表委员沟通); the first puts the proposal IN_PROGRESS."""
    proposal = await _locked(session, proposal)
    _require_state(proposal, ProposalState.ACCEPTED, ProposalState.IN_PROGRESS, ProposalState.REPLIED,
                   ProposalState.PUBLISHED, why="contacts are logged once the lead unit has accepted it and until it "
                                                "is closed.")
    acting = await _unit_acting(session, proposal, official_id, "log contacts with the proposer")
    if not person.strip():
        raise DomainError(ErrorCode.INVALID, "Name whom the unit talked with.", field="person")
    if not summary.strip():
        raise DomainError(ErrorCode.INVALID, "Sum up what was said (001 §14).", field="summary")
    if contacted_on > local_date(utcnow()) or contacted_on < local_date(proposal.accepted_at):
        raise DomainError(ErrorCode.INVALID, "A contact is logged for a day between the acceptance and today.",
                          field="contactedOn")
    contact = ProposalContact(county_id=proposal.county_id, proposal_id=proposal.id, contacted_on=contacted_on,
                              way=way, person=person.strip(), summary=summary.strip(), recorded_by_id=official_id,
                              on_behalf_of_id=acting[0] if acting[0] != official_id else None, route=acting[1],
                              recorded_at=utcnow())
    session.add(contact)
    before = proposal.state
    if proposal.state == ProposalState.ACCEPTED:
        proposal.state = ProposalState.IN_PROGRESS
    await session.flush()
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.log_contact",
                       entity="proposal_contact", entity_id=contact.id,
                       after={**audit.as_record(contact), "state_before": before.value,
                              "state": proposal.state.value, **_acting_record(official_id, acting)})
    return contact


async def draft_reply(session: AsyncSession, *, proposal: Proposal, official_id: int | None,
                      outcome: ReplyOutcome | None, explanation: str, text: str, tables: SigningTables,
                      actor: audit.Actor) -> Proposal:
    """The reply letter (答复函): in the lead unit's name to the people's congress or the CPPCC, saying what became of
    the matter (000 §56(二)); submitted at once, the signing table routes it (the unit's principal signs). A reply
    returned or withdrawn is redrafted here, with its outcome and explanation."""
    proposal = await _locked(session, proposal)
    _require_state(proposal, ProposalState.IN_PROGRESS,
                   why="the reply follows the unit's contact with the proposer (001 §14): log it first."
                   if proposal.state == ProposalState.ACCEPTED else "only a proposal being handled is replied to.")
    acting = await _unit_acting(session, proposal, official_id, "reply")
    problem = reply_problem(outcome, explanation)
    if problem:
        raise DomainError(ErrorCode.INVALID, problem[1], field=problem[0])
    fields = documents.DraftFields(
        title=reply_title(proposal.kind, proposal.session, proposal.number), issuer=Issuer.DEPARTMENT,
        genre=Genre.LETTER, direction=reply_direction(proposal.kind), lead_department_id=proposal.lead_department_id,
        body=text.strip() or f"{proposal.proposers}：\n    您提出的《{proposal.title}》收悉。现答复如下：\n"
                             f"    {explanation.strip()}")
    if proposal.reply_document_id is None:
        document = await documents.create_draft(session, drafted_by_id=official_id, fields=fields, actor=actor)
    else:
        document = await session.get(Document, proposal.reply_document_id)
        if document.state not in (DocumentState.DRAFT, DocumentState.RETURNED):
            raise DomainError(ErrorCode.WRONG_STATE, f"The reply is {words(document.state)} already: it is redrafted "
                              "only when returned or withdrawn.", field="proposalId")
        document = await documents.update_draft(session, document_id=document.id, official_id=official_id,
                                                fields=fields, actor=actor)
    await documents.submit(session, document_id=document.id, official_id=official_id, tables=tables, actor=actor)
    before = audit.as_record(proposal)
    proposal.outcome, proposal.explanation, proposal.reply_document_id = outcome, explanation.strip(), document.id
    await session.flush()
    await _settle_duty(session, proposal, LimitStep.REPLY, official_id=official_id, acting=acting)
    await _event(session, proposal, EventKind.REPLY_DRAFTED, actor_id=official_id, on_behalf_of_id=acting[0],
                 route=acting[1], note=f"{words(outcome)}: {explanation.strip()}")
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.draft_reply",
                       entity="proposal", entity_id=proposal.id, before=before,
                       after={**audit.as_record(proposal), **_acting_record(official_id, acting)})
    return proposal


async def reply_signed(session: AsyncSession, *, document: Document, at: dt.datetime, actor: audit.Actor) -> None:
    """In the signing transaction: a proposal's reply letter, once signed, makes it REPLIED; the reply is the
    supervision item's result (000 §56(四)) and the publication clock starts (001 §14; 003 §30)."""
    if document.state != DocumentState.SIGNED:
        return
    proposal = await session.scalar(select(Proposal).where(Proposal.reply_document_id == document.id))
    if proposal is None or not can_move(proposal.state, ProposalState.REPLIED):
        return
    before = audit.as_record(proposal)
    proposal.state, proposal.replied_at = ProposalState.REPLIED, at
    await _start_clock(session, proposal)
    signer = await _signer(session, document)
    await _event(session, proposal, EventKind.REPLIED, actor_id=signer, at=at, note=document.title)
    await _put_duty(session, proposal, LimitStep.PUBLISH, [proposal.handler_id])
    await _report_to_supervision(session, proposal, signer, actor)
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.replied",
                       entity="proposal", entity_id=proposal.id, before=before,
                       after={**audit.as_record(proposal), "signed_by": signer})


async def _signer(session, document: Document) -> int | None:
    """Who signed the document (in person or covering)."""
    return await session.scalar(
        select(StepAssignment.acted_by_id).join(ChainStep, ChainStep.id == StepAssignment.step_id)
        .where(StepAssignment.document_id == document.id, ChainStep.round == document.round,
               ChainStep.action == Action.SIGN, StepAssignment.state == AssignmentState.SIGNED)
        .order_by(StepAssignment.acted_at.desc()).limit(1))


async def _supervision_items(session, proposal: Proposal, step: SupervisionStep) -> list:
    """The proposal's supervision items that ``step`` applies to now: one waiting for the office to deliver it (no
    deadline could be counted) is the office's to deliver first (services.supervision)."""
    return [item for item in await supervision.items_from(session, source_kind=SourceKind.PROPOSAL,
                                                          source_id=proposal.id)
            if supervision_target(item.state, step) is not None]


async def _report_to_supervision(session: AsyncSession, proposal: Proposal, signer: int | None,
                                 actor: audit.Actor) -> None:
    """The signed reply is the item's result, reported by whoever signed it for the unit: through the document,
    since the signing table gated that signature and supervision's bookkeeping must not refuse it."""
    for item in await _supervision_items(session, proposal, SupervisionStep.REPORT_RESULT):
        await supervision.report_result(
            session, item_id=item.id, official_id=signer, actor=actor, through_document_id=proposal.reply_document_id,
            text=f"已答复（{words(proposal.outcome)}）：{proposal.explanation}")


async def publish(session: AsyncSession, *, proposal: Proposal, official_id: int | None, as_office: bool,
                  published_on: dt.date, where: str, actor: audit.Actor) -> Proposal:
    """Record the reply's publication: when and where (001 §14; 003 §30 主动公开办理结果). The lead unit publishes;
    the office may record it for them."""
    proposal = await _locked(session, proposal)
    _require_move(proposal, ProposalState.PUBLISHED, "a result is published once the reply is signed (001 §14).")
    acting = None if as_office else await _unit_acting(session, proposal, official_id, "record its publication")
    if not where.strip():
        raise DomainError(ErrorCode.INVALID, "Say where the result was published, e.g. the county government's "
                                             "portal.", field="where")
    if published_on > local_date(utcnow()) or published_on < local_date(proposal.replied_at):
        raise DomainError(ErrorCode.INVALID, "A result is published on a day between the reply and today.",
                          field="publishedOn")
    before = audit.as_record(proposal)
    proposal.state, proposal.published_on, proposal.published_where = (
        ProposalState.PUBLISHED, published_on, where.strip())
    await _start_clock(session, proposal)
    await _settle_duty(session, proposal, LimitStep.PUBLISH, official_id=official_id, acting=acting)
    await _event(session, proposal, EventKind.PUBLISHED, actor_id=official_id,
                 on_behalf_of_id=acting[0] if acting else None, route=acting[1] if acting else None,
                 note=f"{published_on.isoformat()} {where.strip()}")
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.publish",
                       entity="proposal", entity_id=proposal.id, before=before,
                       after={**audit.as_record(proposal), **_acting_record(official_id, acting)})
    # Imported here: services.disclosure acts on documents, whose services import this module.
    from services import disclosure

    await disclosure.on_proposal_published(session, proposal=proposal, actor=actor)
    return proposal


async def close(session: AsyncSession, *, proposal: Proposal, official_id: int | None,
                actor: audit.Actor) -> Proposal:
    """The office closes a proposal whose result is published."""
    proposal = await _locked(session, proposal)
    _require_move(proposal, ProposalState.CLOSED, "a proposal is closed once its result is published (001 §14; "
                                                 "003 §30).")
    before = audit.as_record(proposal)
    proposal.state, proposal.closed_at = ProposalState.CLOSED, utcnow()
    await _start_clock(session, proposal)
    await duties.settle(session, subject=subject_of(proposal), by_official_id=official_id, route=None)
    await _event(session, proposal, EventKind.CLOSED, actor_id=official_id)
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.close",
                       entity="proposal", entity_id=proposal.id, before=before, after=audit.as_record(proposal))
    return proposal


async def put_on_agenda(session: AsyncSession, *, proposal: Proposal, item: AgendaItem, official_id: int | None,
                        actor: audit.Actor) -> Proposal:
    """An important proposal goes before a magistrate's office meeting or a topical meeting (000 §56(三)): the
    office links the item it put through the agenda pipeline."""
    proposal = await _locked(session, proposal)
    _require_state(proposal, ProposalState.ASSIGNED, ProposalState.ACCEPTED, ProposalState.IN_PROGRESS,
                   why="a proposal goes before a meeting while it is being handled (000 §56(三)).")
    if proposal.agenda_item_id is not None:
        raise DomainError(ErrorCode.DUPLICATE, "The proposal is on a meeting's agenda already.", field="itemId")
    body = await session.get(MeetingBody, item.body_id)
    if body.kind not in _PROPOSAL_MEETINGS:
        raise DomainError(ErrorCode.WRONG_BODY, f"{body.name} is no magistrate's office or topical meeting: an "
                          "important proposal goes before one of those (000 §56(三)).", field="itemId")
    if item.state == AgendaItemState.WITHDRAWN:
        raise DomainError(ErrorCode.WRONG_STATE, f"“{item.title}” is withdrawn.", field="itemId")
    proposal.agenda_item_id = item.id
    await session.flush()
    await _event(session, proposal, EventKind.PUT_ON_AGENDA, actor_id=official_id, note=f"{body.name}：{item.title}")
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="proposal.put_on_agenda",
                       entity="proposal", entity_id=proposal.id, before={"agenda_item_id": None},
                       after={"agenda_item_id": item.id})
    return proposal


# ---------------------------------------------------------------- the sweeper's part


async def remind_overdue(session: AsyncSession, now: dt.datetime) -> int:
    """One reminder per proposal and lapsed step, recorded and audited, to whoever holds the step's duty (the
    handler and the principal once the reply is in the chain)."""
    rows = (await session.execute(select(Proposal).where(
        Proposal.due_at < now, Proposal.due_step.is_not(None),
        ~exists().where(ProposalReminder.proposal_id == Proposal.id, ProposalReminder.step == Proposal.due_step))
        .order_by(Proposal.id))).scalars().all()
    for proposal in rows:
        await tenancy.lock_county(session, proposal.county_id)  # before the insert, as every writer does
        step = proposal.due_step
        note = (f"办公室催办：{designation(proposal.kind, proposal.session, proposal.number)}"
                f"{_TASKS[step][1]}已逾期（{proposal.due_article}）")
        session.add(ProposalReminder(county_id=proposal.county_id, proposal_id=proposal.id, step=step,
                                     due_at=proposal.due_at, sent_at=now))
        await _event(session, proposal, EventKind.REMINDED, actor_id=None, note=note, at=now)
        waiting = await duties.open_on(session, subject=subject_of(proposal), task=_TASKS[step][0])
        for duty in waiting:
            await duties.tell(session, duty=duty, kind=DutyEventKind.REMINDER, note=note)
        told = [duty.official_id for duty in waiting]
        if not told:
            told = [o for o in (proposal.handler_id, proposal.responsible_principal_id) if o is not None]
            await duties.tell_about(session, county_id=proposal.county_id, official_ids=told,
                                    subject=subject_of(proposal), kind=DutyEventKind.REMINDER, note=note)
        await audit.record(session, county_id=proposal.county_id, actor=SWEEPER, action="proposal.reminded",
                           entity="proposal", entity_id=proposal.id,
                           after={"step": step.value, "due_at": proposal.due_at.isoformat(), "told": told,
                                  "note": note})
    return len(rows)
