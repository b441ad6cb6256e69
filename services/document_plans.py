"""The yearly document plan (年度发文计划, 003 §62): drafted by the office, approved, and what it makes unplanned.

Who drafts and who approves is the access policy's (policies/access_policy.csv, object ``document_plan``): rows
for the standings an official holds in the county today — ``office`` (a post in the government office) and
``magistrate`` — beside the account's own role; the seed names no approver, the shipped row names the magistrate.
Whoever covers for an approver right now approves in their place, and the plan records the route.
Every use case is one transaction that takes the county's lock first, and is audited.

A county- or office-named document is *unplanned* (Flag.UNPLANNED, derived in
services.meetings_decisions.decision_flags) when the county has an approved plan for the year it was drafted in
and the document neither executes one of its entries, nor has an exception recorded, nor executes a decision of
the standing meeting that stands. Without an approved plan nothing is unplanned.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Department, Document, utcnow
from db.models_issuing import DocumentPlan, DocumentPlanEntry
from domain.document_plans import ARTICLE, PLANNED_ISSUERS, QUARTERS, PlanException, PlanState, subject_to_plan
from domain.documents import DocumentState, Issuer, Route
from domain.duties import Subject, SubjectKind
from domain.errors import DomainError, ErrorCode, words
from domain.roster import Role, local_date
from policies import AccessControl
from services import audit, documents, duties, tenancy
from services.auth import Principal

APPROVE_TASK = "approve"
_YEARS = range(2000, 2101)
MAX_TITLE = 300


class PlanAct(str, enum.Enum):
    """What the access policy's ``document_plan`` rows grant."""

    DRAFT = "draft"  # create the plan, edit its entries, submit it
    APPROVE = "approve"  # approve or return a submitted plan
    REQUEST = "request"  # record the principal leader's explicit request for a document outside the plan


class PlanStanding(str, enum.Enum):
    """How an official stands toward the plan: the roles the access policy's plan rows name."""

    OFFICE = "office"
    MAGISTRATE = "magistrate"


async def _holders(session, county_id: int, on: dt.date) -> dict[PlanStanding, list[int]]:
    offices = await documents.office_holders(session, county_id, on)
    return {PlanStanding.OFFICE: list(offices.office_staff),
            PlanStanding.MAGISTRATE: offices.by_role.get(Role.MAGISTRATE, [])[:1]}


@dataclass(frozen=True)
class PlanStandingNow:
    """Who acts, for whom (when covering) and by which route, and the role or standing the policy matched."""

    official_id: int | None
    on_behalf_of_id: int | None
    route: Route | None
    as_: str


def _granted(access: AccessControl, role: str, principal: Principal, county_id: int, act: PlanAct) -> bool:
    return access.allows(role=role, home_county_id=principal.county_id, target_county_id=county_id,
                         obj="document_plan", act=act.value)


async def standing_for(session, *, access: AccessControl, principal: Principal, county_id: int, act: PlanAct,
                       field: str, at: dt.datetime | None = None, cover: bool = False) -> PlanStandingNow:
    """The caller's standing for ``act``, or FORBIDDEN naming who may; ``cover``: also for whom they cover now."""
    at = at or utcnow()
    if _granted(access, principal.role.value, principal, county_id, act):
        return PlanStandingNow(principal.official_id, None, Route.DIRECT if principal.official_id else None,
                               principal.role.value)
    me = principal.official_id
    if me is not None:
        holders = await _holders(session, county_id, local_date(at))
        granted = [s for s in PlanStanding if _granted(access, s.value, principal, county_id, act)]
        for standing in granted:
            if me in holders[standing]:
                return PlanStandingNow(me, None, Route.DIRECT, standing.value)
        for standing in granted if cover else ():
            for holder in holders[standing]:
                route = await duties.acting_route(session, county_id=county_id, actor_id=me, owner_id=holder, at=at)
                if route is not None:
                    return PlanStandingNow(me, holder, route, standing.value)
    who = " or ".join(s.value for s in PlanStanding if _granted(access, s.value, principal, county_id, act))
    raise DomainError(ErrorCode.FORBIDDEN, f"The yearly document plan: only the {who or 'nobody'} may "
                      f"{act.value} ({ARTICLE}).", field=field)


async def approvers(session, *, access: AccessControl, county_id: int, at: dt.datetime) -> list[int]:
    """The officials the access policy lets approve the plan today (the duty goes to them)."""
    holders = await _holders(session, county_id, local_date(at))
    return [official for standing in PlanStanding
            if access.allows(role=standing.value, home_county_id=county_id, target_county_id=county_id,
                             obj="document_plan", act=PlanAct.APPROVE.value)
            for official in holders[standing]]


# ---------------------------------------------------------------- the plan and its entries


def _audited(plan: DocumentPlan) -> dict:
    return {"year": plan.year, "state": plan.state.value}


async def plans_of(session, *, county_id: int) -> list[DocumentPlan]:
    return list((await session.execute(select(DocumentPlan).where(DocumentPlan.county_id == county_id)
                                       .order_by(DocumentPlan.year.desc()))).scalars())


async def create_plan(session: AsyncSession, *, county_id: int, year: int, official_id: int | None,
                      actor: audit.Actor) -> DocumentPlan:
    await tenancy.lock_county(session, county_id)
    if year not in _YEARS:
        raise DomainError(ErrorCode.INVALID, f"A plan's year is between {_YEARS.start} and {_YEARS.stop - 1}.",
                          field="year")
    taken = await session.scalar(select(DocumentPlan.id).where(DocumentPlan.county_id == county_id,
                                                               DocumentPlan.year == year))
    if taken is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"The county has a document plan for {year} already.", field="year")
    plan = DocumentPlan(county_id=county_id, year=year, state=PlanState.DRAFT, drafted_by_id=official_id,
                        created_at=utcnow())
    session.add(plan)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="document_plan.create",
                       entity="document_plan", entity_id=plan.id, after=_audited(plan))
    return plan


async def _locked(session, plan: DocumentPlan) -> DocumentPlan:
    """The plan as it stands once the county's lock is held: read before the lock, it may be another writer's
    past (approved or returned meanwhile), and its state is what every use case checks."""
    await tenancy.lock_county(session, plan.county_id)
    await session.refresh(plan)
    return plan


async def _locked_entry(session, entry: DocumentPlanEntry) -> tuple[DocumentPlanEntry, DocumentPlan]:
    """The entry, and its plan, as they stand once the county's lock is held (removed meanwhile: missing)."""
    await tenancy.lock_county(session, entry.county_id)
    fresh = await session.get(DocumentPlanEntry, entry.id, populate_existing=True)
    if fresh is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such document plan entry.", field="entryId")
    plan = await session.get(DocumentPlan, fresh.plan_id, populate_existing=True)
    return fresh, plan


def _editable(plan: DocumentPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise DomainError(ErrorCode.WRONG_STATE, f"The plan is {words(plan.state)}: only a draft plan's entries "
                          "change.", field="planId")


@dataclass
class EntryFields:
    title: str
    issuer: Issuer
    lead_department_id: int | None
    quarter: int


async def _checked_entry(session, county_id: int, fields: EntryFields) -> EntryFields:
    title = fields.title.strip()
    if not title:
        raise DomainError(ErrorCode.INVALID, "An entry needs the document's title.", field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(ErrorCode.TOO_LONG, f"A title is at most {MAX_TITLE} characters.", field="title")
    if fields.issuer not in PLANNED_ISSUERS:
        raise DomainError(ErrorCode.INVALID, f"The plan lists documents in the county government's or its office's "
                          f"name ({ARTICLE}).", field="issuer")
    if fields.quarter not in QUARTERS:
        raise DomainError(ErrorCode.INVALID, "The planned quarter is 1 to 4.", field="quarter")
    if fields.lead_department_id is not None:
        department = await session.get(Department, fields.lead_department_id)
        if department is None or department.county_id != county_id:
            raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="leadDepartmentId")
    return EntryFields(title, fields.issuer, fields.lead_department_id, fields.quarter)


def _entry_record(entry: DocumentPlanEntry) -> dict:
    return {"plan_id": entry.plan_id, "title": entry.title, "issuer": entry.issuer.value,
            "lead_department_id": entry.lead_department_id, "quarter": entry.quarter}


async def add_entry(session: AsyncSession, *, plan: DocumentPlan, fields: EntryFields,
                    actor: audit.Actor) -> DocumentPlanEntry:
    _editable(await _locked(session, plan))
    fields = await _checked_entry(session, plan.county_id, fields)
    entry = DocumentPlanEntry(county_id=plan.county_id, plan_id=plan.id, title=fields.title, issuer=fields.issuer,
                              lead_department_id=fields.lead_department_id, quarter=fields.quarter)
    session.add(entry)
    await session.flush()
    await audit.record(session, county_id=plan.county_id, actor=actor, action="document_plan.add_entry",
                       entity="document_plan_entry", entity_id=entry.id, after=_entry_record(entry))
    return entry


async def update_entry(session: AsyncSession, *, entry: DocumentPlanEntry, fields: EntryFields,
                       actor: audit.Actor) -> DocumentPlanEntry:
    entry, plan = await _locked_entry(session, entry)
    _editable(plan)
    fields = await _checked_entry(session, entry.county_id, fields)
    before = _entry_record(entry)
    entry.title, entry.issuer = fields.title, fields.issuer
    entry.lead_department_id, entry.quarter = fields.lead_department_id, fields.quarter
    await session.flush()
    await audit.record(session, county_id=entry.county_id, actor=actor, action="document_plan.update_entry",
                       entity="document_plan_entry", entity_id=entry.id, before=before, after=_entry_record(entry))
    return entry


async def remove_entry(session: AsyncSession, *, entry: DocumentPlanEntry, actor: audit.Actor) -> DocumentPlan:
    entry, plan = await _locked_entry(session, entry)
    _editable(plan)
    before = _entry_record(entry)
    await session.delete(entry)
    await session.flush()
    await audit.record(session, county_id=entry.county_id, actor=actor, action="document_plan.remove_entry",
                       entity="document_plan_entry", entity_id=entry.id, before=before)
    return plan


async def entries_of(session, plan_id: int) -> list[DocumentPlanEntry]:
    return list((await session.execute(select(DocumentPlanEntry).where(DocumentPlanEntry.plan_id == plan_id)
                                       .order_by(DocumentPlanEntry.id))).scalars())


def _duty_title(plan: DocumentPlan) -> str:
    return f"审批：{plan.year}年度县政府发文计划"


async def submit_plan(session: AsyncSession, *, plan: DocumentPlan, access: AccessControl,
                      actor: audit.Actor, at: dt.datetime | None = None) -> DocumentPlan:
    """The office sends the draft for approval; the approvers get a duty to approve it."""
    at = at or utcnow()
    await _locked(session, plan)
    if plan.state != PlanState.DRAFT:
        raise DomainError(ErrorCode.WRONG_STATE, f"The plan is {words(plan.state)}, not a draft.", field="planId")
    if not await entries_of(session, plan.id):
        raise DomainError(ErrorCode.INVALID, "A plan without entries plans nothing: add its documents first.",
                          field="planId")
    people = await approvers(session, access=access, county_id=plan.county_id, at=at)
    if not people:
        raise DomainError(ErrorCode.INVALID, "Nobody holds the office that approves the plan.", field="planId")
    plan.state, plan.submitted_at, plan.returned_reason = PlanState.SUBMITTED, at, None
    await session.flush()
    await duties.assign(session, county_id=plan.county_id, official_ids=people,
                        subject=Subject(SubjectKind.DOCUMENT_PLAN, plan.id), task=APPROVE_TASK,
                        title=_duty_title(plan), article=ARTICLE)
    await audit.record(session, county_id=plan.county_id, actor=actor, action="document_plan.submit",
                       entity="document_plan", entity_id=plan.id, after={**_audited(plan), "approvers": people})
    return plan


async def _decide(session: AsyncSession, *, plan: DocumentPlan, standing: PlanStandingNow, approve: bool,
                  reason: str, actor: audit.Actor, at: dt.datetime) -> DocumentPlan:
    await _locked(session, plan)
    if plan.state != PlanState.SUBMITTED:
        raise DomainError(ErrorCode.WRONG_STATE, f"The plan is {words(plan.state)}: only a submitted plan is "
                          f"{'approved' if approve else 'returned'}.", field="planId")
    before = _audited(plan)
    if approve:
        plan.state, plan.approved_at = PlanState.APPROVED, at
        plan.approved_by_id, plan.approved_for_id, plan.approved_route = (
            standing.official_id, standing.on_behalf_of_id, standing.route)
    else:
        plan.state, plan.returned_reason = PlanState.DRAFT, reason
    await session.flush()
    await duties.settle(session, subject=Subject(SubjectKind.DOCUMENT_PLAN, plan.id), task=APPROVE_TASK,
                        by_official_id=standing.official_id, route=standing.route,
                        on_behalf_of_id=standing.on_behalf_of_id, at=at)
    await audit.record(session, county_id=plan.county_id, actor=actor,
                       action="document_plan.approve" if approve else "document_plan.return",
                       entity="document_plan", entity_id=plan.id, before=before,
                       after={**_audited(plan), "by": standing.official_id, "on_behalf_of": standing.on_behalf_of_id,
                              "route": standing.route.value if standing.route else None, "as": standing.as_,
                              **({} if approve else {"reason": reason})})
    return plan


async def approve_plan(session: AsyncSession, *, plan: DocumentPlan, standing: PlanStandingNow,
                       actor: audit.Actor, at: dt.datetime | None = None) -> DocumentPlan:
    return await _decide(session, plan=plan, standing=standing, approve=True, reason="", actor=actor,
                         at=at or utcnow())


async def return_plan(session: AsyncSession, *, plan: DocumentPlan, standing: PlanStandingNow, reason: str,
                      actor: audit.Actor, at: dt.datetime | None = None) -> DocumentPlan:
    if not reason.strip():
        raise DomainError(ErrorCode.OPINION_REQUIRED, "Say why the plan goes back to the office.", field="reason")
    return await _decide(session, plan=plan, standing=standing, approve=False, reason=reason.strip(), actor=actor,
                         at=at or utcnow())


# ---------------------------------------------------------------- documents and the plan


def plan_year(document: Document) -> int:
    """The plan a document answers to: the one for the year it was drafted in."""
    return local_date(document.created_at).year


async def unplanned(session, document: Document, *, standing_meeting_decision: bool) -> bool:
    """Is the document outside the approved plan, with no exception? No query for documents it cannot touch."""
    if (not subject_to_plan(document.issuer, document.genre, document.minutes_of_meeting_id is not None)
            or document.plan_entry_id is not None or document.plan_exception is not None
            or standing_meeting_decision):
        return False
    approved = (await session.execute(select(DocumentPlan.id).where(
        DocumentPlan.county_id == document.county_id, DocumentPlan.year == plan_year(document),
        DocumentPlan.state == PlanState.APPROVED))).first()
    return approved is not None


def _before_submission(document: Document) -> None:
    if document.state not in (DocumentState.DRAFT, DocumentState.RETURNED):
        raise DomainError(ErrorCode.WRONG_STATE, f"The document is {words(document.state)}: its place in the plan "
                          "is settled before it is submitted.", field="documentId")
    if not subject_to_plan(document.issuer, document.genre, document.minutes_of_meeting_id is not None):
        raise DomainError(ErrorCode.INVALID, f"Only documents in the county government's or its office's name are "
                          f"planned ({ARTICLE}).", field="documentId")


def _plan_record(document: Document) -> dict:
    return {"plan_entry_id": document.plan_entry_id,
            "plan_exception": document.plan_exception.value if document.plan_exception else None,
            "plan_exception_note": document.plan_exception_note, "plan_exception_by_id": document.plan_exception_by_id}


async def link_entry(session: AsyncSession, *, document_id: int, entry_id: int | None, official_id: int,
                     actor: audit.Actor) -> Document:
    """The drafter names the plan entry the document executes (None: no entry, no exception)."""
    document = await documents.lock_document(session, document_id)
    if official_id != document.drafted_by_id:
        raise DomainError(ErrorCode.FORBIDDEN, "Only the drafter places a draft in the plan.", field="documentId")
    _before_submission(document)
    if entry_id is not None:
        entry = await session.get(DocumentPlanEntry, entry_id)
        if entry is None or entry.county_id != document.county_id:
            raise DomainError(ErrorCode.NOT_FOUND, "No such document plan entry.", field="entryId")
        plan = await session.get(DocumentPlan, entry.plan_id)
        if plan.state != PlanState.APPROVED:
            raise DomainError(ErrorCode.WRONG_STATE, f"The {plan.year} plan is {words(plan.state)}: only an "
                              "approved plan's entries count.", field="entryId")
        if plan.year != plan_year(document):
            # The document answers to its own year's plan (unplanned is judged against it): another year's
            # entry would take it out of that plan's reach.
            raise DomainError(ErrorCode.INVALID, f"The entry is in the {plan.year} plan; the document, drafted in "
                              f"{plan_year(document)}, executes an entry of that year's plan ({ARTICLE}).",
                              field="entryId")
        if entry.issuer != document.issuer:
            raise DomainError(ErrorCode.INVALID, f"The entry plans a document in the {words(entry.issuer)}'s name; "
                              f"this one is in the {words(document.issuer)}'s.", field="entryId")
    before = _plan_record(document)
    document.plan_entry_id = entry_id
    document.plan_exception = document.plan_exception_note = None
    document.plan_exception_by_id = document.plan_exception_at = None
    await session.flush()
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.plan_entry",
                       entity="document", entity_id=document.id, before=before, after=_plan_record(document))
    return document


async def record_exception(session: AsyncSession, *, document_id: int, kind: PlanException, note: str,
                           official_id: int, actor: audit.Actor, at: dt.datetime | None = None) -> Document:
    """An exception of 003 §62, with who recorded it and when. The caller checked who may record which kind:
    a province or city document, the drafter; the principal leader's request, the leader (PlanAct.REQUEST)."""
    at = at or utcnow()
    document = await documents.lock_document(session, document_id)
    _before_submission(document)
    if kind == PlanException.PROVINCE_CITY_DOCUMENT and official_id != document.drafted_by_id:
        raise DomainError(ErrorCode.FORBIDDEN, "The drafter records the province or city document that requires "
                          "this one.", field="documentId")
    note = note.strip()
    if kind == PlanException.PROVINCE_CITY_DOCUMENT and not note:
        raise DomainError(ErrorCode.OPINION_REQUIRED, "Name the province or city document that requires it.",
                          field="note")
    before = _plan_record(document)
    document.plan_entry_id = None
    document.plan_exception, document.plan_exception_note = kind, note or None
    document.plan_exception_by_id, document.plan_exception_at = official_id, at
    await session.flush()
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.plan_exception",
                       entity="document", entity_id=document.id, before=before, after=_plan_record(document))
    return document

