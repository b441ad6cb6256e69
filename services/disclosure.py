"""Proactive disclosure 主动公开: records made by issuing, decisions and proposal results; publishing; exemptions.

Who runs it: the government office's staff are the county's disclosure officers. 000 §51 and §24 put the
publishing of documents and decisions made in the county government's or its office's name on the office that
issues them (the office also passes press releases on decisions, 000 §42), and 002 政务公开 §13.1 has the office
pre-review what goes out; so their inbox holds each pending record. An exemption (002 政务公开 §9) is approved by the
office director or the magistrate, never by the officer who asked for it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import utcnow
from db.models_disclosure import Disclosure, DisclosureLimit, DisclosureReminder
from domain.calendar import CalendarUnknown
from domain.disclosure import (
    DisclosureSource,
    DisclosureState,
    Exemption,
    RecordFacts,
    ReportFigures,
    ReportPeriod,
    figures,
    period_bounds,
)
from domain.documents import Classification, Issuer, Route
from domain.duties import Subject, SubjectKind
from domain.errors import DomainError, ErrorCode, words
from domain.roster import DepartmentKind, Role, RuleSet, local_date
from policies.disclosure import InvalidLimit, LimitSpec, read_limits
from services import audit, documents, duties, tenancy
from services.calendar import calendar_for, unknown_year
from services.events import DutyEventKind

# Only documents in these names are the government's own to publish (000 §51); a department's may follow suit.
DISCLOSED_ISSUERS = frozenset({Issuer.COUNTY_GOVERNMENT, Issuer.GOVERNMENT_OFFICE})
_TASK = "publish"
_ARTICLE = {DisclosureSource.DOCUMENT: "000 §51", DisclosureSource.DECISION: "000 §24",
            DisclosureSource.PROPOSAL_REPLY: "001 §14"}
MAX_WHERE = 300


def subject_of(record: Disclosure) -> Subject:
    return Subject(SubjectKind.DISCLOSURE, record.id)


# ---------------------------------------------------------------- the county's limits


async def install_limits(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's shipped limits."""
    session.add_all(DisclosureLimit(county_id=county_id, source=spec.source, working_days=spec.working_days,
                                    article=spec.article) for spec in read_limits(rule_set))
    await session.flush()


async def limits_of(session, *, county_id: int) -> list[DisclosureLimit]:
    rows = await session.execute(select(DisclosureLimit).where(DisclosureLimit.county_id == county_id))
    order = list(DisclosureSource)
    return sorted(rows.scalars(), key=lambda row: order.index(row.source))


def _limit_record(row: DisclosureLimit | None) -> dict | None:
    return None if row is None else {"source": row.source.value, "working_days": row.working_days,
                                     "article": row.article}


async def set_limit(session: AsyncSession, *, county_id: int, source: DisclosureSource, working_days: int | None,
                    article: str, actor: audit.Actor) -> list[DisclosureLimit]:
    """Set (or, with no working days, remove) the county's limit for ``source``. Records already made keep the
    due time they were given."""
    await tenancy.lock_county(session, county_id)
    row = await session.scalar(select(DisclosureLimit).where(DisclosureLimit.county_id == county_id,
                                                             DisclosureLimit.source == source))
    before = _limit_record(row)
    if working_days is None:
        if row is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"The county has no disclosure limit for {words(source)}.",
                              field="source")
        await session.delete(row)
    else:
        try:
            spec = LimitSpec(source=source, working_days=working_days, article=article).checked()
        except InvalidLimit as error:
            field = "workingDays" if error.column == "working_days" else error.column
            raise DomainError(ErrorCode.INVALID, str(error), field=field) from None
        if row is None:
            row = DisclosureLimit(county_id=county_id, source=source)
            session.add(row)
        row.working_days, row.article = spec.working_days, spec.article
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="disclosure_limit.set",
                       entity="disclosure_limit", entity_id=None, before=before,
                       after=_limit_record(row) if working_days is not None else {"source": source.value})
    return await limits_of(session, county_id=county_id)


# ---------------------------------------------------------------- who runs disclosure


async def disclosure_officers(session, county_id: int, on: dt.date) -> list[int]:
    """The government office's staff, in rank order."""
    return list((await documents.office_holders(session, county_id, on)).office_staff)


async def exemption_approvers(session, county_id: int, on: dt.date) -> set[int]:
    offices = await documents.office_holders(session, county_id, on)
    director = offices.principal_of_kind(DepartmentKind.GOVERNMENT_OFFICE)
    return {o for o in (director, *offices.by_role.get(Role.MAGISTRATE, [])) if o is not None}


# ---------------------------------------------------------------- records made by the other systems


async def _open(session: AsyncSession, *, county_id: int, source: DisclosureSource, source_id: int, title: str,
                at: dt.datetime, actor: audit.Actor) -> Disclosure:
    """A PENDING record due the county's limit later on the working calendar, and the officers' duty."""
    record = Disclosure(county_id=county_id, source=source, source_id=source_id, title=title[:300],
                        state=DisclosureState.PENDING, created_at=at)
    limit = await session.scalar(select(DisclosureLimit).where(DisclosureLimit.county_id == county_id,
                                                               DisclosureLimit.source == source))
    if limit is not None:
        record.due_article = limit.article
        calendar = await calendar_for(session, county_id=county_id)
        try:
            record.due_at = calendar.due_after(at, limit.working_days)
        except CalendarUnknown as unknown:
            # No guessing from weekends: the record says why it has no due time until the year is entered.
            record.due_problem = unknown_year(unknown).message
    session.add(record)
    await session.flush()
    await duties.assign(session, county_id=county_id, official_ids=await disclosure_officers(
        session, county_id, local_date(at)), subject=subject_of(record), task=_TASK, title=f"公开：{record.title}",
        article=record.due_article or _ARTICLE[source], due_at=record.due_at)
    await audit.record(session, county_id=county_id, actor=actor, action="disclosure.create", entity="disclosure",
                       entity_id=record.id, after=audit.as_record(record))
    return record


async def on_issued(session: AsyncSession, *, document, actor: audit.Actor) -> Disclosure | None:
    """An issued document in the county government's or its office's name is to be published (000 §51; 001 §16;
    003 §29); a classified one never is."""
    if document.issuer not in DISCLOSED_ISSUERS or document.classification != Classification.NONE:
        return None
    return await _open(session, county_id=document.county_id, source=DisclosureSource.DOCUMENT,
                       source_id=document.id, title=document.title, at=document.issued_at, actor=actor)


async def on_decision_adopted(session: AsyncSession, *, decision, title: str, actor: audit.Actor) -> Disclosure | None:
    """A decision the meeting marked publishable is to be published (000 §24; 001 §22; 003 §28)."""
    if not decision.publishable:
        return None
    return await _open(session, county_id=decision.county_id, source=DisclosureSource.DECISION,
                       source_id=decision.id, title=title, at=decision.adopted_at, actor=actor)


async def on_proposal_published(session: AsyncSession, *, proposal, actor: audit.Actor) -> Disclosure:
    """A proposal's published result (001 §14; 003 §30) is on record as published, where the unit said."""
    record = Disclosure(county_id=proposal.county_id, source=DisclosureSource.PROPOSAL_REPLY, source_id=proposal.id,
                        title=proposal.title[:300], state=DisclosureState.PUBLISHED, created_at=utcnow(),
                        published_on=proposal.published_on, published_where=proposal.published_where,
                        decided_at=utcnow())
    session.add(record)
    await session.flush()
    await audit.record(session, county_id=proposal.county_id, actor=actor, action="disclosure.create",
                       entity="disclosure", entity_id=record.id, after=audit.as_record(record))
    return record


# ---------------------------------------------------------------- the officers' acts


async def _locked(session: AsyncSession, record: Disclosure) -> Disclosure:
    await tenancy.lock_county(session, record.county_id)
    await session.refresh(record)
    if record.state != DisclosureState.PENDING:
        raise DomainError(ErrorCode.WRONG_STATE, f"The record is {words(record.state)} already: only a pending one "
                          "is published or exempted.", field="disclosureId")
    return record


async def _require_officer(session, record: Disclosure, official_id: int | None, field: str, what: str) -> None:
    if official_id is None or official_id not in await disclosure_officers(session, record.county_id,
                                                                           local_date(utcnow())):
        raise DomainError(ErrorCode.FORBIDDEN, f"Only the government office's staff, the county's disclosure "
                          f"officers, {what} (000 §51; 002 政务公开 §13.1).", field=field)


async def publish(session: AsyncSession, *, record: Disclosure, official_id: int | None, published_on: dt.date,
                  where: str, actor: audit.Actor) -> Disclosure:
    """Record the item's publication: the day and where (a URL or the gazette)."""
    record = await _locked(session, record)
    await _require_officer(session, record, official_id, "disclosureId", "record a publication")
    where = where.strip()
    if not where or len(where) > MAX_WHERE:
        raise DomainError(ErrorCode.INVALID, f"Say where it was published (1 to {MAX_WHERE} characters), e.g. the "
                          "county government's portal address (000 §25).", field="where")
    if not local_date(record.created_at) <= published_on <= local_date(utcnow()):
        raise DomainError(ErrorCode.INVALID, "An item is published on a day between its record and today.",
                          field="publishedOn")
    before = audit.as_record(record)
    record.state, record.published_on, record.published_where = DisclosureState.PUBLISHED, published_on, where
    record.published_by_id, record.decided_at = official_id, utcnow()
    await duties.settle(session, subject=subject_of(record), task=_TASK, by_official_id=official_id,
                        route=Route.DIRECT)
    await audit.record(session, county_id=record.county_id, actor=actor, action="disclosure.publish",
                       entity="disclosure", entity_id=record.id, before=before, after=audit.as_record(record))
    return record


async def exempt(session: AsyncSession, *, record: Disclosure, approver_id: int | None, requested_by_id: int,
                 exemption: Exemption, reason: str, actor: audit.Actor) -> Disclosure:
    """The approver exempts the item on one of 002 政务公开 §9's grounds, at a disclosure officer's request, with
    the reason; the approver is the office director or the magistrate, and not the officer who asked."""
    record = await _locked(session, record)
    today = local_date(utcnow())
    if approver_id is None or approver_id not in await exemption_approvers(session, record.county_id, today):
        raise DomainError(ErrorCode.EXEMPTION_APPROVER, "An exemption from disclosure is approved by the office "
                          "director or the magistrate (002 政务公开 §9, §13.1).", field="disclosureId")
    if requested_by_id == approver_id:
        raise DomainError(ErrorCode.EXEMPTION_APPROVER, "Whoever asks for an exemption does not approve it too: "
                          "another approver decides (002 政务公开 §9).", field="requestedById")
    await _require_officer(session, record, requested_by_id, "requestedById", "ask for an exemption")
    reason = reason.strip()
    if not reason:
        raise DomainError(ErrorCode.INVALID, "An exemption gives its reason (002 政务公开 §9).", field="reason")
    before = audit.as_record(record)
    record.state, record.exemption, record.exemption_reason = DisclosureState.EXEMPTED, exemption, reason
    record.exemption_requested_by_id, record.exemption_approved_by_id = requested_by_id, approver_id
    record.decided_at = utcnow()
    await duties.settle(session, subject=subject_of(record), task=_TASK, by_official_id=None, route=None)
    await audit.record(session, county_id=record.county_id, actor=actor, action="disclosure.exempt",
                       entity="disclosure", entity_id=record.id, before=before, after=audit.as_record(record))
    return record


# ---------------------------------------------------------------- the sweeper, the public read, the report


async def remind_overdue(session: AsyncSession, now: dt.datetime, actor: audit.Actor) -> int:
    """One reminder per pending record past its due time, recorded and audited, to the officers' duties."""
    rows = (await session.execute(select(Disclosure).where(
        Disclosure.state == DisclosureState.PENDING, Disclosure.due_at < now,
        ~exists().where(DisclosureReminder.disclosure_id == Disclosure.id)).order_by(Disclosure.id))).scalars().all()
    for record in rows:
        await tenancy.lock_county(session, record.county_id)  # before the insert, as every writer does
        note = f"公开逾期：{record.title}（{record.due_article}）"
        session.add(DisclosureReminder(county_id=record.county_id, disclosure_id=record.id, due_at=record.due_at,
                                       sent_at=now))
        waiting = await duties.open_on(session, subject=subject_of(record), task=_TASK)
        for duty in waiting:
            await duties.tell(session, duty=duty, kind=DutyEventKind.REMINDER, note=note)
        await audit.record(session, county_id=record.county_id, actor=actor, action="disclosure.reminded",
                           entity="disclosure", entity_id=record.id,
                           after={"due_at": record.due_at.isoformat(), "told": [d.official_id for d in waiting],
                                  "note": note})
    return len(rows)


async def disclosed_items(session, county_id: int) -> list[Disclosure]:
    """What the county has published, latest first: never a pending or exempted record."""
    return list((await session.execute(select(Disclosure).where(
        Disclosure.county_id == county_id, Disclosure.state == DisclosureState.PUBLISHED)
        .order_by(Disclosure.published_on.desc(), Disclosure.id.desc()))).scalars())


def _last_day(due_at: dt.datetime) -> dt.date:
    """The last local day an item may be published: a due time is the end (24:00) of that day."""
    return local_date(due_at - dt.timedelta(microseconds=1))


async def report(session, *, county_id: int, period: ReportPeriod, year: int, number: int,
                 today: dt.date | None = None) -> ReportFigures:
    """004 六2's figures for the period. Classified documents have no record, so they are never counted."""
    try:
        start, end = period_bounds(period, year, number)
    except ValueError as error:
        raise DomainError(ErrorCode.INVALID, str(error), field="number") from None
    rows = (await session.execute(select(Disclosure).where(Disclosure.county_id == county_id))).scalars()
    facts = [RecordFacts(created_on=local_date(r.created_at), state=r.state,
                         due_on=_last_day(r.due_at) if r.due_at else None, published_on=r.published_on,
                         decided_on=local_date(r.decided_at) if r.decided_at else None) for r in rows]
    return figures(facts, start, end, today or local_date(utcnow()))
