"""Supervision items (督办事项): opened from a source, numbered, delivered, accepted, reported on, verified.

The supervision office (督查室: staff of the government office) numbers each item 督〔2026〕N号 without gaps
and delivers it to the lead unit (000 §48); the unit's principal, or whoever covers them, accepts; the unit
reports progress and its result within the set time; the office closes the item on a verified result or reopens
it with its reason. Items come by hand, from a leader's instruction on a circulated document or on a request, from
a meeting decision with a responsible unit (automatically, 003 §46; 002 细则 §12) and from proposals.

Every use case holds the county's lock (callers of ``open_item`` already hold it), is audited and puts each
step's duty on its next actor (services.duties).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Circulation,
    CirculationReader,
    Department,
    Document,
    Official,
    PortfolioAssignment,
    Position,
    utcnow,
)
from db.models_supervision import (
    SupervisionDeadlineClass,
    SupervisionEntry,
    SupervisionItem,
    SupervisionLapse,
    SupervisionSeries,
)
from db.periods import held_on
from domain.calendar import CalendarUnknown
from domain.documents import DocumentState, Route
from domain.duties import Subject, SubjectKind
from domain.errors import DomainError, ErrorCode
from domain.roster import Role, RuleSet, local_date
from domain.supervision import (
    OWED,
    EntryKind,
    ItemState,
    LapseKind,
    SourceKind,
    Step,
    end_of,
    lapse_at,
    number,
    refusal,
    target,
)
from policies.supervision import (
    MAX_WORKING_DAYS,
    ClassSpec,
    InvalidSupervisionRule,
    checked_prefix,
    read_rules,
    stored_class,
)
from services import audit, duties, tenancy
from services.calendar import calendar_for
from services.documents import office_staff
from services.events import DutyEventKind

# Duty tasks, by the step that settles them.
ASSIGN, ACCEPT, REPORT, VERIFY = "assign", "accept", "report", "verify"
MAX_TEXT = 4000
_ARTICLE = "000 §48"
SWEEPER = audit.Actor(account_id=None, request_id="sweeper")


def _subject(item: SupervisionItem) -> Subject:
    return Subject(SubjectKind.SUPERVISION_ITEM, item.id)


# ---------------------------------------------------------------- the county's data


async def install_rules(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's numbering prefix and deadline classes."""
    rules = read_rules(rule_set)
    session.add(SupervisionSeries(county_id=county_id, prefix=rules.prefix, article=rules.prefix_article))
    session.add_all(SupervisionDeadlineClass(county_id=county_id, **stored_class(spec)) for spec in rules.classes)
    await session.flush()


async def series_of(session, *, county_id: int) -> SupervisionSeries:
    return (await session.execute(select(SupervisionSeries).where(
        SupervisionSeries.county_id == county_id))).scalar_one()


async def deadline_classes(session, *, county_id: int) -> list[SupervisionDeadlineClass]:
    return list((await session.execute(select(SupervisionDeadlineClass).where(
        SupervisionDeadlineClass.county_id == county_id).order_by(SupervisionDeadlineClass.id))).scalars())


async def _deadline_class(session: AsyncSession, county_id: int, code: str | None) -> SupervisionDeadlineClass:
    stmt = select(SupervisionDeadlineClass).where(SupervisionDeadlineClass.county_id == county_id)
    stmt = stmt.where(SupervisionDeadlineClass.code == code.strip()) if code is not None else stmt.where(
        SupervisionDeadlineClass.is_default.is_(True))
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"The county has no deadline class “{code}”.", field="deadlineClass")
    return found


# ---------------------------------------------------------------- who


async def _principals(session: AsyncSession, department_id: int, day: dt.date) -> list[int]:
    """The unit's principal; without one, its deputies in order (they answer for it, 000 §48)."""
    rows = (await session.execute(select(Position.official_id, Position.role).where(
        Position.department_id == department_id, held_on(Position, day),
        Position.role.in_([Role.DEPARTMENT_PRINCIPAL, Role.DEPARTMENT_DEPUTY]))
        .order_by(Position.role != Role.DEPARTMENT_PRINCIPAL, Position.deputy_rank, Position.id))).all()
    principals = [official_id for official_id, role in rows if role == Role.DEPARTMENT_PRINCIPAL]
    return principals or [official_id for official_id, _ in rows]


async def vm_in_charge(session, department_id: int, day: dt.date) -> int | None:
    """The vice magistrate whose portfolio holds the unit on ``day`` (000 §36)."""
    return (await session.execute(select(PortfolioAssignment.official_id).where(
        PortfolioAssignment.department_id == department_id, held_on(PortfolioAssignment, day))
        .order_by(PortfolioAssignment.id).limit(1))).scalar()


async def _office(session: AsyncSession, county_id: int) -> set[int]:
    return await office_staff(session, county_id, local_date(utcnow()))


async def _require_office(session: AsyncSession, county_id: int, official_id: int | None, what: str,
                          field: str | None = "supervisionItemId") -> None:
    if official_id is None or official_id not in await _office(session, county_id):
        raise DomainError(ErrorCode.NOT_ENTITLED, f"Only the supervision office (督查室, the government office's "
                          f"staff) {what} (000 §48; 003 §53).", field=field)


async def _official(session: AsyncSession, official_id: int | None, county_id: int, field: str) -> Official | None:
    if official_id is None:
        return None
    official = await session.get(Official, official_id)
    if official is None or official.county_id != county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field=field)
    return official


async def _departments(session: AsyncSession, county_id: int, ids: Sequence[int], field: str) -> list[int]:
    ids = list(dict.fromkeys(ids))
    found = set((await session.execute(select(Department.id).where(
        Department.id.in_(ids), Department.county_id == county_id))).scalars())
    if any(d not in found for d in ids):
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field=field)
    return ids


def _text(text: str, field: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, f"Say {what}.", field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(ErrorCode.TOO_LONG, f"At most {MAX_TEXT} characters.", field=field)
    return text


# ---------------------------------------------------------------- opening and delivering


async def _next_seq(session: AsyncSession, county_id: int, year: int) -> int:
    # Under the county's lock: no two writers read the same maximum, and a rolled-back item leaves no gap.
    last = (await session.execute(select(func.max(SupervisionItem.seq)).where(
        SupervisionItem.county_id == county_id, SupervisionItem.year == year))).scalar()
    return (last or 0) + 1


async def _fix_deadline(session: AsyncSession, item: SupervisionItem, *, working_days: int | None,
                        due_on: dt.date | None, class_code: str | None, at: dt.datetime) -> None:
    """Set the item's deadline: a fixed day, or working days from ``at`` (given, or its class's); without a
    number or a calendar for the year, ``waiting_reason`` says why the office must deliver it by hand."""
    if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
        raise DomainError(ErrorCode.INVALID, f"A deadline is 1 to {MAX_WORKING_DAYS} working days.",
                          field="workingDays")
    if due_on is not None and working_days is not None:
        raise DomainError(ErrorCode.INVALID, "Give the deadline as a day or as working days, not both.",
                          field="workingDays")
    deadline_class = await _deadline_class(session, item.county_id, class_code)
    item.deadline_class = deadline_class.code
    item.remind_before_days = deadline_class.remind_before_days
    item.escalate_after_days = deadline_class.escalate_after_days
    item.working_days = working_days if working_days is not None or due_on is not None else \
        deadline_class.working_days
    item.due_on, item.waiting_reason = due_on, None
    if due_on is not None:
        return
    if item.working_days is None:
        item.waiting_reason = (f"The county set no working days for “{deadline_class.name}” "
                               f"({deadline_class.article}): the office delivers it with a deadline.")
        return
    calendar = await calendar_for(session, county_id=item.county_id)
    try:
        item.due_on = local_date(calendar.due_after(at, item.working_days)) - dt.timedelta(days=1)
    except CalendarUnknown as error:
        item.waiting_reason = (f"No holiday data for {error.year}: the deadline cannot be counted until an "
                               "administrator enters the year.")


async def _deliver(session: AsyncSession, item: SupervisionItem, at: dt.datetime) -> None:
    """送达承办单位: the item reaches the lead unit, whose principal is to accept it."""
    item.state, item.assigned_at = ItemState.ASSIGNED, at
    await session.flush()
    await duties.settle(session, subject=_subject(item), task=ASSIGN, by_official_id=None, route=None, at=at)
    principals = await _principals(session, item.lead_department_id, local_date(at))
    await duties.assign(session, county_id=item.county_id, official_ids=principals, subject=_subject(item),
                        task=ACCEPT, title=f"签收督办：{item.number} {_short(item.instruction)}", article=_ARTICLE,
                        due_at=end_of(item.due_on))


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


async def open_item(session: AsyncSession, *, county_id: int, source_kind: SourceKind, source_id: int | None,
                    instruction: str, instructed_by_id: int | None, instructed_on: dt.date,
                    lead_department_id: int, co_department_ids: Sequence[int] = (),
                    responsible_official_id: int | None = None, working_days: int | None = None,
                    opened_by_id: int | None, actor: audit.Actor, due_on: dt.date | None = None,
                    deadline_class: str | None = None) -> SupervisionItem:
    """Number an item (督〔2026〕N号, gapless per county and year) and deliver it to the lead unit at once when
    its deadline is known; otherwise it waits, registered, for the office to deliver it (000 §48).

    The caller holds the transaction and the county's lock. ``working_days`` None: the class's (the county's
    default class when ``deadline_class`` is None); ``due_on`` a fixed last day instead.
    """
    instruction = _text(instruction, "instruction", "what the instruction asks")
    await _official(session, instructed_by_id, county_id, "instructedById")
    await _official(session, responsible_official_id, county_id, "responsibleOfficialId")
    await _official(session, opened_by_id, county_id, "openedById")
    lead = (await _departments(session, county_id, [lead_department_id], "leadDepartmentId"))[0]
    co = [d for d in await _departments(session, county_id, co_department_ids, "coDepartmentIds") if d != lead]
    at = utcnow()
    year = local_date(at).year
    seq = await _next_seq(session, county_id, year)
    series = await series_of(session, county_id=county_id)
    item = SupervisionItem(
        county_id=county_id, year=year, seq=seq, number=number(series.prefix, year, seq), source_kind=source_kind,
        source_id=source_id, instruction=instruction, instructed_by_id=instructed_by_id, instructed_on=instructed_on,
        lead_department_id=lead, co_department_ids=co, responsible_official_id=responsible_official_id,
        state=ItemState.REGISTERED, opened_by_id=opened_by_id, opened_at=at)
    await _fix_deadline(session, item, working_days=working_days, due_on=due_on, class_code=deadline_class, at=at)
    session.add(item)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="supervision_item.open",
                       entity="supervision_item", entity_id=item.id, after=audit.as_record(item))
    if item.due_on is not None:
        await _deliver(session, item, at)
        await _audit_move(session, item, actor, ItemState.REGISTERED, {"due_on": item.due_on})
    else:
        await duties.assign(session, county_id=county_id, official_ids=sorted(await _office(session, county_id)),
                            subject=_subject(item), task=ASSIGN,
                            title=f"送达督办：{item.number} {_short(item.instruction)}", article=_ARTICLE)
    return item


async def _audit_move(session: AsyncSession, item: SupervisionItem, actor: audit.Actor, before: ItemState,
                      extra: dict | None = None) -> None:
    await audit.record(session, county_id=item.county_id, actor=actor, action=f"supervision_item.{item.state.value}",
                       entity="supervision_item", entity_id=item.id, before={"state": before.value},
                       after={"state": item.state.value, **(extra or {})})


async def items_from(session, *, source_kind: SourceKind, source_id: int) -> list[SupervisionItem]:
    """The items opened from one source row, oldest first."""
    return list((await session.execute(select(SupervisionItem).where(
        SupervisionItem.source_kind == source_kind, SupervisionItem.source_id == source_id)
        .order_by(SupervisionItem.id))).scalars())


# ---------------------------------------------------------------- the steps


async def locked_item(session: AsyncSession, item_id: int, county_id: int | None = None) -> SupervisionItem:
    """The item under its county's lock; another county's answers as missing."""
    item = await session.get(SupervisionItem, item_id)
    if item is None or (county_id is not None and item.county_id != county_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such supervision item.", field="supervisionItemId")
    await tenancy.lock_county(session, item.county_id)
    await session.refresh(item)
    return item


def _require(item: SupervisionItem, step: Step) -> ItemState:
    to = target(item.state, step)
    if to is None:
        code = ErrorCode.RESULT_NOT_REPORTED if step == Step.CLOSE and item.state in OWED else ErrorCode.WRONG_STATE
        raise DomainError(code, f"{item.number}: {refusal(item.state, step)}", field="supervisionItemId")
    return to


async def _standing(session: AsyncSession, item: SupervisionItem, official_id: int, task: str,
                    allow_responsible: bool) -> tuple[Route, int] | None:
    """How ``official_id`` acts for the lead unit: as its principal (or their cover), or as the item's responsible
    person; (route, on whose behalf), or None for anyone else."""
    if allow_responsible and official_id == item.responsible_official_id:
        return Route.DIRECT, official_id
    owners = [duty.official_id for duty in await duties.open_on(session, subject=_subject(item), task=task)]
    for owner in owners:
        route = await duties.acting_route(session, county_id=item.county_id, actor_id=official_id, owner_id=owner)
        if route is not None:
            return route, owner
    return None


async def _acting(session: AsyncSession, item: SupervisionItem, official_id: int, task: str,
                  allow_responsible: bool) -> tuple[Route, int]:
    """``_standing``, refused naming the rule for anyone who does not act for the lead unit."""
    standing = await _standing(session, item, official_id, task, allow_responsible)
    if standing is not None:
        return standing
    department = await session.get(Department, item.lead_department_id)
    who = "its principal, or whoever covers them" + (", or the item's responsible person" if allow_responsible
                                                      else "")
    raise DomainError(ErrorCode.NOT_ENTITLED, f"{item.number} is {department.name}'s to {task}: {who} does so "
                      "(000 §48).", field="supervisionItemId")


async def assign(session: AsyncSession, *, item_id: int, official_id: int, actor: audit.Actor,
                 county_id: int | None = None, working_days: int | None = None, due_on: dt.date | None = None,
                 deadline_class: str | None = None) -> SupervisionItem:
    """The office delivers a registered item with its deadline (送达承办单位, 000 §48); the item keeps the class it
    was registered in unless the office names another."""
    item = await locked_item(session, item_id, county_id)
    await _require_office(session, item.county_id, official_id, "delivers an item")
    before = item.state
    _require(item, Step.ASSIGN)
    _not_past(due_on)
    at = utcnow()
    await _fix_deadline(session, item, working_days=working_days, due_on=due_on,
                        class_code=deadline_class or item.deadline_class, at=at)
    if item.due_on is None:
        field = "workingDays" if item.working_days is None else "dueOn"
        code = ErrorCode.INVALID if item.working_days is None else ErrorCode.CALENDAR_UNKNOWN
        raise DomainError(code, f"{item.waiting_reason} Give the working days or the last day.", field=field)
    await _deliver(session, item, at)
    await _audit_move(session, item, actor, before, {"due_on": item.due_on, "by_official_id": official_id})
    return item


async def accept(session: AsyncSession, *, item_id: int, official_id: int, actor: audit.Actor,
                 county_id: int | None = None) -> SupervisionItem:
    """The lead unit's principal, or whoever covers them now, accepts the item for the unit (000 §48)."""
    item = await locked_item(session, item_id, county_id)
    before = item.state
    _require(item, Step.ACCEPT)
    route, owner = await _acting(session, item, official_id, ACCEPT, allow_responsible=False)
    at = utcnow()
    item.state, item.accepted_at = ItemState.ACCEPTED, at
    item.accepted_by_id, item.accepted_for_id, item.accepted_route = official_id, owner, route
    await session.flush()
    await duties.settle(session, subject=_subject(item), task=ACCEPT, by_official_id=official_id, route=route, at=at)
    await duties.assign(session, county_id=item.county_id, official_ids=[owner], subject=_subject(item), task=REPORT,
                        title=f"反馈督办结果：{item.number} {_short(item.instruction)}", article=_ARTICLE,
                        due_at=end_of(item.due_on) if item.due_on else None)
    await _audit_move(session, item, actor, before, {"by_official_id": official_id, "on_behalf_of_id": owner,
                                                     "route": route.value})
    return item


async def _entry(session: AsyncSession, item: SupervisionItem, kind: EntryKind, text: str, official_id: int,
                 route: Route | None = None, on_behalf_of_id: int | None = None,
                 document_id: int | None = None) -> SupervisionEntry:
    entry = SupervisionEntry(county_id=item.county_id, item_id=item.id, kind=kind, text=text,
                             official_id=official_id, on_behalf_of_id=on_behalf_of_id, route=route,
                             document_id=document_id, at=utcnow())
    session.add(entry)
    await session.flush()
    return entry


async def report_progress(session: AsyncSession, *, item_id: int, official_id: int, text: str,
                          actor: audit.Actor, county_id: int | None = None) -> SupervisionItem:
    """The unit reports how far it got (the principal, their cover or the responsible person)."""
    item = await locked_item(session, item_id, county_id)
    before = item.state
    to = _require(item, Step.REPORT_PROGRESS)
    text = _text(text, "text", "how far the work has got")
    route, owner = await _acting(session, item, official_id, REPORT, allow_responsible=True)
    await _entry(session, item, EntryKind.PROGRESS, text, official_id, route, owner)
    item.state = to
    await session.flush()
    await _audit_move(session, item, actor, before, {"progress": text, "by_official_id": official_id,
                                                     "on_behalf_of_id": owner, "route": route.value})
    return item


async def _require_signed(session: AsyncSession, item: SupervisionItem, document_id: int) -> None:
    """The document that carries a result: the item's county's, and signed."""
    document = await session.get(Document, document_id)
    if document is None or document.county_id != item.county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such document.", field="documentId")
    if document.state not in (DocumentState.SIGNED, DocumentState.ISSUED):
        raise DomainError(ErrorCode.WRONG_STATE, f"“{document.title}” is not signed: only a signed document carries "
                          "a unit's result (000 §48).", field="documentId")


async def report_result(session: AsyncSession, *, item_id: int, official_id: int, text: str,
                        actor: audit.Actor, county_id: int | None = None,
                        through_document_id: int | None = None) -> SupervisionItem:
    """The unit reports its result to the supervision office (办理结果反馈, 000 §48), which is to verify it.

    ``through_document_id``: the result is a signed document of the unit (a proposal's reply letter, 000 §56(四)),
    reported by ``official_id``, its signer. The signing table gated that signature, so the signer is not asked to
    act for the unit here (a principal appointed after the item was accepted signs as the unit's head); the entry
    names the document, and the route only where the signer stands for the unit on this item too.
    """
    item = await locked_item(session, item_id, county_id)
    before = item.state
    to = _require(item, Step.REPORT_RESULT)
    text = _text(text, "text", "what was done")
    if through_document_id is None:
        route, owner = await _acting(session, item, official_id, REPORT, allow_responsible=True)
    else:
        await _require_signed(session, item, through_document_id)
        route, owner = await _standing(session, item, official_id, REPORT, allow_responsible=True) or (None, None)
    at = utcnow()
    await _entry(session, item, EntryKind.RESULT, text, official_id, route, owner, through_document_id)
    item.state, item.result_reported_at = to, at
    await session.flush()
    # The responsible person reporting, or a signer who stands for nobody's duty, settles the principal's duty as
    # done by someone else of the unit.
    holders = {duty.official_id for duty in await duties.open_on(session, subject=_subject(item), task=REPORT)}
    on_duty = owner in holders
    await duties.settle(session, subject=_subject(item), task=REPORT, by_official_id=official_id,
                        route=route if on_duty else None, at=at)
    await duties.assign(session, county_id=item.county_id, official_ids=sorted(await _office(session, item.county_id)),
                        subject=_subject(item), task=VERIFY, title=f"核查督办结果：{item.number}", article=_ARTICLE)
    await _audit_move(session, item, actor, before, {"result": text, "by_official_id": official_id,
                                                     "on_behalf_of_id": owner, "route": route and route.value,
                                                     "through_document_id": through_document_id})
    return item


async def close(session: AsyncSession, *, item_id: int, official_id: int, actor: audit.Actor,
                county_id: int | None = None, note: str = "") -> SupervisionItem:
    """The supervision office verifies the reported result and closes the item (000 §48)."""
    item = await locked_item(session, item_id, county_id)
    await _require_office(session, item.county_id, official_id, "verifies and closes an item")
    before = item.state
    to = _require(item, Step.CLOSE)
    at = utcnow()
    await _entry(session, item, EntryKind.CLOSED, note.strip(), official_id, Route.DIRECT)
    item.state, item.closed_at, item.closed_by_id = to, at, official_id
    item.closed_late = item.due_on is not None and local_date(item.result_reported_at) > item.due_on
    await session.flush()
    await duties.settle(session, subject=_subject(item), task=VERIFY, by_official_id=official_id, route=Route.DIRECT,
                        at=at)
    await _audit_move(session, item, actor, before, {"by_official_id": official_id, "closed_late": item.closed_late})
    return item


async def reopen(session: AsyncSession, *, item_id: int, official_id: int, reason: str, actor: audit.Actor,
                 county_id: int | None = None) -> SupervisionItem:
    """The office finds the result wanting: the unit works on, told why (000 §48)."""
    item = await locked_item(session, item_id, county_id)
    await _require_office(session, item.county_id, official_id, "reopens an item")
    before = item.state
    to = _require(item, Step.REOPEN)
    reason = _text(reason, "reason", "why the result does not settle the item")
    at = utcnow()
    await _entry(session, item, EntryKind.REOPENED, reason, official_id, Route.DIRECT)
    item.state, item.result_reported_at = to, None
    await session.flush()
    await duties.settle(session, subject=_subject(item), task=VERIFY, by_official_id=official_id, route=Route.DIRECT,
                        at=at)
    owner = item.accepted_for_id or (await _principals(session, item.lead_department_id, local_date(at)) or [None])[0]
    if owner is not None:
        await duties.assign(session, county_id=item.county_id, official_ids=[owner], subject=_subject(item),
                            task=REPORT, title=f"重新办理督办事项：{item.number}（{_short(reason)}）", article=_ARTICLE,
                            due_at=end_of(item.due_on) if item.due_on else None)
    await _audit_move(session, item, actor, before, {"reason": reason, "by_official_id": official_id})
    return item


# ---------------------------------------------------------------- the office opens items


def _not_past(due_on: dt.date | None) -> None:
    if due_on is not None and due_on < local_date(utcnow()):
        raise DomainError(ErrorCode.INVALID, "The deadline cannot fall before the item is delivered.", field="dueOn")


async def open_by_hand(session: AsyncSession, *, county_id: int, official_id: int, instruction: str,
                       instructed_by_id: int | None, instructed_on: dt.date, lead_department_id: int,
                       co_department_ids: Sequence[int] = (), responsible_official_id: int | None = None,
                       working_days: int | None = None, due_on: dt.date | None = None,
                       deadline_class: str | None = None, actor: audit.Actor) -> SupervisionItem:
    """The supervision office registers an item by hand: a leader's instruction given otherwise, a higher
    authority's assignment (000 §48)."""
    await tenancy.lock_county(session, county_id)
    await _require_office(session, county_id, official_id, "registers an item", field=None)
    _not_past(due_on)
    return await open_item(session, county_id=county_id, source_kind=SourceKind.MANUAL, source_id=None,
                           instruction=instruction, instructed_by_id=instructed_by_id, instructed_on=instructed_on,
                           lead_department_id=lead_department_id, co_department_ids=co_department_ids,
                           responsible_official_id=responsible_official_id, working_days=working_days, due_on=due_on,
                           deadline_class=deadline_class, opened_by_id=official_id, actor=actor)


async def open_from_instruction(session: AsyncSession, *, circulation_id: int, leader_id: int, official_id: int,
                                lead_department_id: int, co_department_ids: Sequence[int] = (),
                                responsible_official_id: int | None = None, working_days: int | None = None,
                                due_on: dt.date | None = None, deadline_class: str | None = None,
                                actor: audit.Actor, county_id: int | None = None) -> SupervisionItem:
    """The office opens an item from a leader's instruction on a circulated document (000 §48; 003 §53): the
    instruction, its leader and day come from that reader's row, which is the item's source."""
    circulation = await session.get(Circulation, circulation_id)
    if circulation is None or (county_id is not None and circulation.county_id != county_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such circulation.", field="circulationId")
    await tenancy.lock_county(session, circulation.county_id)
    await _require_office(session, circulation.county_id, official_id, "opens an item from an instruction",
                          field="circulationId")
    reader = (await session.execute(select(CirculationReader).where(
        CirculationReader.circulation_id == circulation.id, CirculationReader.official_id == leader_id))).scalar()
    if reader is None:
        raise DomainError(ErrorCode.NOT_FOUND, "The leader is not among the circulation's readers.", field="leaderId")
    if not (reader.instruction or "").strip():
        raise DomainError(ErrorCode.INVALID, "The leader read the document without an instruction: there is nothing "
                          "to supervise (000 §48).", field="leaderId")
    _not_past(due_on)
    return await open_item(session, county_id=circulation.county_id, source_kind=SourceKind.CIRCULATION_INSTRUCTION,
                           source_id=reader.id, instruction=reader.instruction, instructed_by_id=leader_id,
                           instructed_on=local_date(reader.read_at), lead_department_id=lead_department_id,
                           co_department_ids=co_department_ids, responsible_official_id=responsible_official_id,
                           working_days=working_days, due_on=due_on, deadline_class=deadline_class,
                           opened_by_id=official_id, actor=actor)


# ---------------------------------------------------------------- the county administrator's data


def _checked_class(spec: ClassSpec) -> ClassSpec:
    try:
        return spec.checked()
    except InvalidSupervisionRule as error:
        head, *rest = error.column.split("_")
        raise DomainError(ErrorCode.INVALID, str(error), field=head + "".join(p.title() for p in rest)) from None


def _class_record(row: SupervisionDeadlineClass) -> dict:
    return {column: getattr(row, column) for column in stored_class(_spec_of(row))}


def _spec_of(row: SupervisionDeadlineClass) -> ClassSpec:
    return ClassSpec(code=row.code, name=row.name, working_days=row.working_days,
                     remind_before_days=row.remind_before_days, escalate_after_days=row.escalate_after_days,
                     default=row.is_default, article=row.article)


async def _only_default(session: AsyncSession, row: SupervisionDeadlineClass) -> None:
    """One default class per county: making one the default makes the others plain."""
    if row.is_default:
        for other in await deadline_classes(session, county_id=row.county_id):
            if other.id != row.id:
                other.is_default = False


async def put_deadline_class(session: AsyncSession, *, county_id: int, spec: ClassSpec,
                             actor: audit.Actor) -> SupervisionDeadlineClass:
    """Add a deadline class, or replace the one of the same code: the county enters its own numbers in place of
    the rule set's defaults (001 §37 names "13710" without defining it). Items already delivered keep the deadline
    they were given."""
    await tenancy.lock_county(session, county_id)
    spec = _checked_class(spec)
    row = (await session.execute(select(SupervisionDeadlineClass).where(
        SupervisionDeadlineClass.county_id == county_id, SupervisionDeadlineClass.code == spec.code))).scalar()
    before = _class_record(row) if row is not None else None
    if row is not None and row.is_default and not spec.default:
        raise DomainError(ErrorCode.INVALID, "The county keeps a default class: make another class the default "
                          "instead.", field="default")
    if row is None:
        row = SupervisionDeadlineClass(county_id=county_id, **stored_class(spec))
        session.add(row)
    else:
        for name, value in stored_class(spec).items():
            setattr(row, name, value)
    await session.flush()
    await _only_default(session, row)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="supervision_deadline_class.put",
                       entity="supervision_deadline_class", entity_id=row.id, before=before,
                       after=_class_record(row))
    return row


async def set_number_prefix(session: AsyncSession, *, county_id: int, prefix: str, article: str,
                            actor: audit.Actor) -> SupervisionSeries:
    """The prefix of the county's item numbers; numbers given keep theirs, and counting goes on in the year."""
    await tenancy.lock_county(session, county_id)
    try:
        prefix = checked_prefix(prefix)
    except InvalidSupervisionRule as error:
        raise DomainError(ErrorCode.INVALID, str(error), field="prefix") from None
    article = article.strip()
    if not article:
        raise DomainError(ErrorCode.INVALID, "Cite the rule the prefix follows.", field="article")
    series = await series_of(session, county_id=county_id)
    before = {"prefix": series.prefix, "article": series.article}
    series.prefix, series.article = prefix, article
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="supervision_series.update",
                       entity="supervision_series", entity_id=series.id, before=before,
                       after={"prefix": prefix, "article": article})
    return series


# ---------------------------------------------------------------- the sweeper


async def remind_and_escalate(session: AsyncSession, now: dt.datetime) -> tuple[int, int]:
    """The sweeper's part: each item still owed is reminded once its reminder lapse passes, and escalated to the
    vice magistrate in charge of its lead unit once its escalation lapse passes (000 §36, §48), each once per
    deadline, recorded and audited. Returns (reminded, escalated)."""
    rows = (await session.execute(select(SupervisionItem).where(
        SupervisionItem.state.in_(list(OWED)), SupervisionItem.due_on.is_not(None),
        (SupervisionItem.remind_before_days.is_not(None)) | (SupervisionItem.escalate_after_days.is_not(None)))
        .order_by(SupervisionItem.county_id, SupervisionItem.id))).scalars().all()
    sent = {LapseKind.REMINDER: 0, LapseKind.ESCALATION: 0}
    calendars: dict[int, object] = {}
    for item in rows:
        if item.county_id not in calendars:
            calendars[item.county_id] = await calendar_for(session, county_id=item.county_id)
        for kind, days in ((LapseKind.REMINDER, item.remind_before_days),
                           (LapseKind.ESCALATION, item.escalate_after_days)):
            if days is None:
                continue  # the county left the number unset: nothing is guessed
            try:
                at = lapse_at(calendars[item.county_id], kind, due_on=item.due_on, days=days)
            except CalendarUnknown:
                continue  # the lapse waits until an administrator enters the year
            if at > now:
                continue
            done = (await session.execute(select(SupervisionLapse.id).where(
                SupervisionLapse.item_id == item.id, SupervisionLapse.kind == kind,
                SupervisionLapse.due_on == item.due_on))).scalar()
            if done is None:
                await tenancy.lock_county(session, item.county_id)  # before the insert, as every writer does
                await _lapse(session, item, kind, now)
                sent[kind] += 1
    return sent[LapseKind.REMINDER], sent[LapseKind.ESCALATION]


async def _lapse(session: AsyncSession, item: SupervisionItem, kind: LapseKind, now: dt.datetime) -> None:
    day = local_date(now)
    subject = _subject(item)
    if kind == LapseKind.REMINDER:
        people = [p for p in [item.responsible_official_id, *await _principals(session, item.lead_department_id, day)]
                  if p is not None]
        note = f"督查室催办：{item.number} 应于{item.due_on.isoformat()}前反馈办理结果（000 §48）"
    else:
        vm = await vm_in_charge(session, item.lead_department_id, day)
        people = [vm] if vm is not None else []
        note = f"督办事项逾期未办结，报分管副县长督促：{item.number}（000 §36）"
    people = list(dict.fromkeys(people))
    session.add(SupervisionLapse(county_id=item.county_id, item_id=item.id, kind=kind, due_on=item.due_on,
                                 official_ids=people, sent_at=now))
    await session.flush()
    await audit.record(session, county_id=item.county_id, actor=SWEEPER, action=f"supervision_item.{kind.value}",
                       entity="supervision_item", entity_id=item.id,
                       after={"due_on": item.due_on, "official_ids": people, "note": note})
    event = DutyEventKind.REMINDER if kind == LapseKind.REMINDER else DutyEventKind.ESCALATED
    open_duties = {duty.official_id: duty for duty in await duties.open_on(session, subject=subject)}
    for person in people:
        if person in open_duties:
            await duties.tell(session, duty=open_duties[person], kind=event, note=note)
        else:
            await duties.tell_about(session, county_id=item.county_id, official_ids=[person], subject=subject,
                                    kind=event, note=note)


# ---------------------------------------------------------------- lists and the periodic report


def _overdue_clause(today: dt.date):
    return SupervisionItem.state.in_(list(OWED)) & (SupervisionItem.due_on < today)


def items_query(*, county_id: int, today: dt.date, lead_department_id: int | None = None,
                leader_id: int | None = None, state: ItemState | None = None, overdue: bool | None = None) -> Select:
    """The county's items, filtered: by lead unit; by leader (the one who instructed, or the vice magistrate whose
    portfolio holds the lead unit today); by state; overdue or not."""
    stmt = select(SupervisionItem).where(SupervisionItem.county_id == county_id)
    if lead_department_id is not None:
        stmt = stmt.where(SupervisionItem.lead_department_id == lead_department_id)
    if leader_id is not None:
        portfolio = select(PortfolioAssignment.department_id).where(
            PortfolioAssignment.official_id == leader_id, held_on(PortfolioAssignment, today))
        stmt = stmt.where((SupervisionItem.instructed_by_id == leader_id)
                          | SupervisionItem.lead_department_id.in_(portfolio))
    if state is not None:
        stmt = stmt.where(SupervisionItem.state == state)
    if overdue is not None:
        clause = _overdue_clause(today)
        stmt = stmt.where(clause if overdue else ~clause)
    return stmt


@dataclass(frozen=True)
class ReportRow:
    key: int | None  # the lead unit, or the instructing leader (None: items without one)
    open: int
    overdue: int
    closed_on_time: int
    closed_late: int


async def report(session, *, county_id: int, by_unit: bool, today: dt.date) -> list[ReportRow]:
    """The office's periodic report to the leaders (003 §46), in one statement: per lead unit or per instructing
    leader, the items open, overdue, closed on time and closed late; the most overdue first."""
    key = SupervisionItem.lead_department_id if by_unit else SupervisionItem.instructed_by_id
    closed = SupervisionItem.state == ItemState.CLOSED

    def count(clause):
        return func.coalesce(func.sum(case((clause, 1), else_=0)), 0)

    overdue = count(_overdue_clause(today))
    open_ = count(~closed)
    stmt = (select(key, open_, overdue, count(closed & SupervisionItem.closed_late.is_(False)),
                   count(closed & SupervisionItem.closed_late.is_(True)))
            .where(SupervisionItem.county_id == county_id).group_by(key)
            .order_by(overdue.desc(), open_.desc(), key.is_(None), key))
    return [ReportRow(*row) for row in (await session.execute(stmt)).all()]
