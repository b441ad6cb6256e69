"""Issuing 印发: a signed document takes its 发文字号, its date and its distribution list (SIGNED → ISSUED).

Who may issue is rows of the county's signing table (action ``issue``), for the official in person or for
someone they cover for at that moment, as every step of the chain. The number is taken in the issuing
transaction, which holds the county's lock (services.documents.lock_document): the series' counter row is read
and raised there, so two documents issued at the same instant get consecutive numbers and an issue that fails
rolls its number back with it — no gap, no number given twice. Minutes of a recorded meeting are issued with the
number their body's series gave them at signing (services.meetings_minutes), not a second one.

The clock to issuing (001 §22: documents a plenary or standing meeting decided are issued within 7 working days
of its end) starts at signing from the deadline table's ``issue`` rows; once it lapses the sweeper reminds the
office once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import County, Department, Document, Meeting, MeetingBody, Official, utcnow
from db.models_issuing import DocumentRecipient, IssueCounter, IssueReminder, IssueSeries
from domain.calendar import CalendarUnknown
from domain.chains import Decide, Decision
from domain.cover import HopOutcome, who_acts_for
from domain.deadlines import CountedFrom, deadline_for
from domain.documents import Action, ChainRole, Direction, DocumentFacts, DocumentState, Flag, Issuer, Route
from domain.errors import DomainError, ErrorCode, words
from domain.issuing import (
    Recipient,
    SeriesRow,
    checked_distribution,
    checked_prefix,
    county_government_names,
    issue_number,
    series_for,
    with_the_county_government_as_main,
)
from domain.roster import RuleSet, local_date
from domain.submission import ARTICLES
from policies.deadlines import deadline_rules
from policies.issuing import SeriesSpec, checked_genre, read_series
from services import audit, documents, events, meetings_decisions, tenancy
from services.calendar import calendar_for, unknown_year
from services.cover import roster_at
from services.events import InboxEvent, InboxEventKind
from services.signing_rules import SigningTables

SWEEPER = audit.Actor(account_id=None, request_id="sweeper")


# ---------------------------------------------------------------- the county's series


async def install_series(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's shipped series."""
    session.add_all(IssueSeries(county_id=county_id, issuer=spec.issuer, genre=spec.genre, department_id=None,
                                prefix=spec.prefix, article=spec.article) for spec in read_series(rule_set))
    await session.flush()


async def series_of(session, *, county_id: int) -> list[IssueSeries]:
    return list((await session.execute(select(IssueSeries).where(IssueSeries.county_id == county_id)
                                       .order_by(IssueSeries.id))).scalars())


def _audited(series: IssueSeries) -> dict:
    return {"issuer": series.issuer.value, "genre": series.genre, "department_id": series.department_id,
            "prefix": series.prefix, "article": series.article}


async def _checked_spec(session, county_id: int, spec: SeriesSpec, department_id: int | None,
                        except_id: int | None = None) -> SeriesSpec:
    try:
        genre = checked_genre(spec.genre)
    except ValueError:
        raise DomainError(ErrorCode.INVALID, f"Unknown genre “{spec.genre}”: a genre, or * for any.",
                          field="genre") from None
    article = spec.article.strip()
    if not article:
        raise DomainError(ErrorCode.INVALID, "A series cites the article or header it comes from, e.g. 001 §22.",
                          field="article")
    if (spec.issuer == Issuer.DEPARTMENT) != (department_id is not None):
        raise DomainError(ErrorCode.INVALID, "A department's own series names the department; no other series does.",
                          field="departmentId")
    if department_id is not None:
        department = await session.get(Department, department_id)
        if department is None or department.county_id != county_id:
            raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="departmentId")
    taken = await session.scalar(select(IssueSeries.id).where(
        IssueSeries.county_id == county_id, IssueSeries.issuer == spec.issuer, IssueSeries.genre == genre,
        IssueSeries.department_id.is_(None) if department_id is None else IssueSeries.department_id == department_id))
    if taken is not None and taken != except_id:
        raise DomainError(ErrorCode.DUPLICATE, "The county already has a series for this issuer and genre: edit it.",
                          field="genre")
    return SeriesSpec(issuer=spec.issuer, genre=genre, prefix=checked_prefix(spec.prefix), article=article)


async def add_series(session: AsyncSession, *, county_id: int, spec: SeriesSpec, department_id: int | None,
                     actor: audit.Actor) -> IssueSeries:
    await tenancy.lock_county(session, county_id)
    spec = await _checked_spec(session, county_id, spec, department_id)
    series = IssueSeries(county_id=county_id, issuer=spec.issuer, genre=spec.genre, department_id=department_id,
                         prefix=spec.prefix, article=spec.article)
    session.add(series)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="issue_series.add", entity="issue_series",
                       entity_id=series.id, after=_audited(series))
    return series


async def update_series(session: AsyncSession, *, series: IssueSeries, spec: SeriesSpec,
                        department_id: int | None, actor: audit.Actor) -> IssueSeries:
    """A new prefix starts its own count: numbers already given keep theirs, and none is given twice."""
    await tenancy.lock_county(session, series.county_id)
    spec = await _checked_spec(session, series.county_id, spec, department_id, except_id=series.id)
    before = _audited(series)
    series.issuer, series.genre, series.department_id = spec.issuer, spec.genre, department_id
    series.prefix, series.article = spec.prefix, spec.article
    await session.flush()
    await audit.record(session, county_id=series.county_id, actor=actor, action="issue_series.update",
                       entity="issue_series", entity_id=series.id, before=before, after=_audited(series))
    return series


async def remove_series(session: AsyncSession, *, series: IssueSeries, actor: audit.Actor) -> int:
    await tenancy.lock_county(session, series.county_id)
    removed, before = series.id, _audited(series)
    await session.delete(series)
    await session.flush()
    await audit.record(session, county_id=series.county_id, actor=actor, action="issue_series.remove",
                       entity="issue_series", entity_id=removed, before=before)
    return removed


# ---------------------------------------------------------------- who may issue


@dataclass(frozen=True)
class IssuingStanding:
    """How an official stands toward issuing a document: the office they act in, in person or covering."""

    role: ChainRole
    route: Route
    on_behalf_of_id: int | None
    decision: Decision


@dataclass(frozen=True)
class _Issuers:
    """Everyone the county's table lets issue the document, by office, and the rows that say so."""

    standings: dict[int, list[tuple[ChainRole, Decision]]]  # holder id → each office they hold, and its row
    in_person: list[int]  # the holders the table lets issue in person
    allowed: list[tuple[ChainRole, Decision]]
    decide: Decide
    facts: DocumentFacts


async def _issuers(session, document: Document, tables: SigningTables, at: dt.datetime) -> _Issuers:
    offices = await documents.office_holders(session, document.county_id, local_date(at))
    co_sponsors = await documents.co_sponsors_of(session, document.id)
    facts = documents.facts_of(document, co_sponsors, offices,
                               await meetings_decisions.decision_flags(session, document))
    holders = documents.holders_for(document, co_sponsors, offices)
    table = await tables.table_for(session, document.county_id)
    standings: dict[int, list[tuple[ChainRole, Decision]]] = {}
    allowed = []
    for role in ChainRole:
        decision = table.decide(facts, Route.DIRECT, Action.ISSUE, role)
        if decision.allowed:
            allowed.append((role, decision))
        for holder in holders(role):
            standings.setdefault(holder, []).append((role, decision))
    in_person = [holder for holder, held in standings.items() if any(d.allowed for _, d in held)]
    return _Issuers(standings, in_person, allowed, table.decide, facts)


async def _standing(session, document: Document, official_id: int, issuers: _Issuers,
                    at: dt.datetime) -> IssuingStanding:
    """In person first; else for someone the official covers right now. Refused with the table's row."""
    candidates: list[tuple[ChainRole, Route, int | None]] = [
        (role, Route.DIRECT, None) for role, _ in issuers.standings.get(official_id, [])]
    roster = await roster_at(session, county_id=document.county_id, at=at)
    for holder, held in issuers.standings.items():
        if holder == official_id:
            continue
        cover = who_acts_for(holder, roster)
        if cover.actor == official_id:
            last = next(h for h in reversed(cover.hops) if h.outcome == HopOutcome.ACTS)
            candidates.extend((role, documents.ROUTE_OF_REASON[last.reason], holder) for role, _ in held)
    refusal = None
    for role, route, on_behalf_of in candidates:
        decision = issuers.decide(issuers.facts, route, Action.ISSUE, role)
        if decision.allowed:
            return IssuingStanding(role, route, on_behalf_of, decision)
        refusal = refusal or (decision, route)
    if refusal is not None and refusal[0].rule is not None:
        decision, route = refusal
        raise DomainError(ErrorCode.NOT_ALLOWED_BY_TABLE,
                          f"The county's signing table refuses this ({decision.rule.rule}, {decision.rule.article})"
                          + ("" if route == Route.DIRECT else f" when acting {route.in_words}") + ".",
                          field="documentId")
    raise DomainError(ErrorCode.NOT_ALLOWED_BY_TABLE, _who_issues(issuers), field="documentId")


def _who_issues(issuers: _Issuers) -> str:
    if not issuers.allowed:
        return "No row of the county's signing table says who issues such a document."
    roles = " or ".join(words(role) for role, _ in issuers.allowed)
    rules = "; ".join(dict.fromkeys(f"{d.rule.rule}, {d.rule.article}" for _, d in issuers.allowed))
    return f"The county's signing table has this document issued by the {roles} ({rules}), not by you."


@dataclass(frozen=True)
class IssueExplanation:
    allowed: bool
    reason: str
    route: Route | None = None
    on_behalf_of_id: int | None = None
    rule: str | None = None
    article: str | None = None


async def explain(session, *, document: Document, official_id: int, tables: SigningTables,
                  at: dt.datetime) -> IssueExplanation:
    """May the official issue the document now, and why (or why not)? The answer explain gives for ISSUE."""
    if document.state == DocumentState.ISSUED:
        return IssueExplanation(False, f"The document was issued already, as {document.issue_number}.")
    if document.state != DocumentState.SIGNED:
        return IssueExplanation(False, f"The document is {words(document.state)}: only a signed document is issued.")
    try:
        standing = await _standing(session, document, official_id, await _issuers(session, document, tables, at), at)
    except DomainError as error:
        return IssueExplanation(False, error.message)
    acting_for = (await session.get(Official, standing.on_behalf_of_id)).name if standing.on_behalf_of_id else None
    reason = (f"Allowed as {words(standing.role)}"
              + (f", acting for {acting_for} {standing.route.in_words}" if acting_for else "") + ".")
    return IssueExplanation(True, reason, standing.route, standing.on_behalf_of_id, standing.decision.rule.rule,
                            standing.decision.rule.article)


# ---------------------------------------------------------------- issuing


async def _numbered(session, document: Document, year: int) -> tuple[str, int, int]:
    """(number, year, sequence): the meeting's minutes number, or the next in the document's series."""
    if document.minutes_of_meeting_id is not None:
        # Imported here: services.meetings_minutes imports services.documents, which imports this module lazily.
        from services import meetings_minutes

        meeting = await session.get(Meeting, document.minutes_of_meeting_id)
        body = await session.get(MeetingBody, meeting.body_id)
        return meetings_minutes.number_of(meeting, body), meeting.minutes_year, meeting.minutes_seq
    rows = [SeriesRow(id=s.id, issuer=s.issuer, genre=s.genre, department_id=s.department_id, prefix=s.prefix)
            for s in await series_of(session, county_id=document.county_id)]
    series = series_for(rows, issuer=document.issuer, genre=document.genre, department_id=document.lead_department_id)
    if series is None:
        whose = (f"{(await session.get(Department, document.lead_department_id)).name}'s own documents"
                 if document.issuer == Issuer.DEPARTMENT and document.lead_department_id is not None
                 else f"{words(document.issuer)} documents")
        raise DomainError(ErrorCode.NO_SERIES, f"The county has no 发文字号 series for {whose}: its administrator "
                          "adds one (addIssueSeries).", field="documentId")
    stmt = select(IssueCounter).where(IssueCounter.county_id == document.county_id,
                                      IssueCounter.prefix == series.prefix, IssueCounter.year == year)
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    counter = (await session.execute(stmt)).scalar_one_or_none()
    if counter is None:
        counter = IssueCounter(county_id=document.county_id, prefix=series.prefix, year=year, last=0)
        session.add(counter)
    counter.last += 1
    await session.flush()
    return issue_number(series.prefix, year, counter.last), year, counter.last


async def _checked_recipients(session, county_id: int, recipients: Sequence[Recipient], genre) -> list[Recipient]:
    cleaned = checked_distribution(recipients, genre)
    wanted = {r.department_id for r in cleaned if r.department_id is not None}
    found = set((await session.execute(select(Department.id).where(
        Department.id.in_(wanted), Department.county_id == county_id))).scalars())
    if wanted - found:
        raise DomainError(ErrorCode.NOT_FOUND, "No such department.", field="departmentId")
    return cleaned


async def issue(session: AsyncSession, *, document_id: int, official_id: int, distribution: Sequence[Recipient],
                tables: SigningTables, actor: audit.Actor, issued_on: dt.date | None = None,
                at: dt.datetime | None = None) -> Document:
    """Number and issue a signed document (SIGNED → ISSUED), in person or covering for whoever the table names."""
    at = at or utcnow()
    document = await documents.lock_document(session, document_id)
    if document.state == DocumentState.ISSUED:
        raise DomainError(ErrorCode.ALREADY_ISSUED, f"The document was issued already, as {document.issue_number}; "
                          "a number is given once.", field="documentId")
    if document.state != DocumentState.SIGNED:
        raise DomainError(ErrorCode.WRONG_STATE, f"The document is {words(document.state)}: only a signed document "
                          "is issued.", field="documentId")
    standing = await _standing(session, document, official_id, await _issuers(session, document, tables, at), at)
    today = local_date(at)
    issued_on = issued_on or today
    if not local_date(document.signed_at) <= issued_on <= today:
        raise DomainError(ErrorCode.INVALID, f"The issue date falls between the signature "
                          f"({local_date(document.signed_at)}) and today.", field="issuedOn")
    if document.direction == Direction.TO_COUNTY_GOVERNMENT:
        # Its addressee was settled at drafting (001 §28): the 主送 is that, not typed again nor contradicted.
        county = await session.get(County, document.county_id)
        distribution = with_the_county_government_as_main(
            distribution, names=county_government_names(county.name),
            article=ARTICLES[county.rule_set]["one_addressee"])
    recipients = await _checked_recipients(session, document.county_id, distribution, document.genre)
    number, year, _ = await _numbered(session, document, issued_on.year)
    before = {"state": document.state.value}
    document.state = DocumentState.ISSUED
    document.issue_number, document.issue_year, document.issued_on = number, year, issued_on
    document.issued_at, document.issued_by_id = at, official_id
    session.add_all(DocumentRecipient(county_id=document.county_id, document_id=document.id, kind=r.kind,
                                      department_id=r.department_id, organ=r.organ, position=position)
                    for position, r in enumerate(recipients, start=1))
    await session.flush()
    await documents.record_event(session, document, "issued", actor_id=official_id, at=at,
                                 on_behalf_of_id=standing.on_behalf_of_id, route=standing.route, opinion=number)
    await audit.record(session, county_id=document.county_id, actor=actor, action="document.issue",
                       entity="document", entity_id=document.id, before=before,
                       after={"state": document.state.value, "issue_number": number, "issued_on": issued_on,
                              "acted_by": official_id, "on_behalf_of": standing.on_behalf_of_id,
                              "route": standing.route.value, "rule": standing.decision.rule.rule,
                              "distribution": [{"kind": r.kind.value, "department_id": r.department_id,
                                                "organ": r.organ} for r in recipients]})
    if document.direction == Direction.TO_COUNTY_GOVERNMENT:
        # A request or report sent up enters the government office's incoming flow, numbered (002 局规则 §36).
        # Imported here: services.incoming_requests acts on documents through services.documents.
        from services import incoming_requests

        await incoming_requests.receive(session, document=document, actor=actor, tables=tables, at=at)
    # Imported here: services.disclosure acts on documents through services.documents.
    from services import disclosure

    await disclosure.on_issued(session, document=document, actor=actor)
    return document


async def recipients_of(session, document_ids: Sequence[int]) -> dict[int, list[DocumentRecipient]]:
    rows = (await session.execute(select(DocumentRecipient).where(DocumentRecipient.document_id.in_(document_ids))
                                  .order_by(DocumentRecipient.document_id, DocumentRecipient.position))).scalars()
    found: dict[int, list[DocumentRecipient]] = {}
    for row in rows:
        found.setdefault(row.document_id, []).append(row)
    return found


# ---------------------------------------------------------------- the clock to issuing (001 §22)


async def start_issue_clock(session, *, document: Document) -> None:
    """At signing: when the document is due to be issued, from the deadline table's issue rows (or no limit)."""
    if document.state != DocumentState.SIGNED:
        return
    county = await session.get(County, document.county_id)
    rule = deadline_for(deadline_rules(county.rule_set), action=Action.ISSUE, genre=document.genre,
                        flags=frozenset(Flag(f) for f in document.flags)
                        | await meetings_decisions.decision_flags(session, document))
    if rule is None:
        document.issue_due_at, document.issue_deadline = None, None
        return
    deadline = {"working_days": rule.working_days, "counted_from": rule.counted_from.value,
                "second_lapse": rule.second_lapse.value, "article": rule.article}
    if rule.counted_from == CountedFrom.MEETING_END:
        start = await meetings_decisions.deciding_meeting_end(session, document)
    else:
        start = {CountedFrom.ACTIVATION: document.signed_at,
                 CountedFrom.SUBMISSION: document.submitted_at}.get(rule.counted_from)
    due = None
    if start is None:
        deadline["problem"] = ("The meeting that took the decision has not ended: the limit counts from its end."
                               if rule.counted_from == CountedFrom.MEETING_END
                               else "The limit counts back from a meeting, which issuing does not have.")
    else:
        try:
            due = (await calendar_for(session, county_id=document.county_id)).due_after(start, rule.working_days)
        except CalendarUnknown as unknown:
            deadline["problem"] = unknown_year(unknown).message
    document.issue_due_at, document.issue_deadline = due, deadline


async def remind_late_issues(session, now: dt.datetime) -> int:
    """Signed documents past their issuing time: the office is reminded once each (the sweeper's, audited)."""
    late = (await session.execute(select(Document).where(
        Document.state == DocumentState.SIGNED, Document.issue_due_at < now,
        ~exists().where(IssueReminder.document_id == Document.id)).order_by(Document.id))).scalars().all()
    tables = SigningTables()
    for document in late:
        await tenancy.lock_county(session, document.county_id)
        issuers = await _issuers(session, document, tables, now)
        note = f"办公室催办：签发后逾期未印发（{document.issue_deadline['article']}）"
        session.add(IssueReminder(county_id=document.county_id, document_id=document.id,
                                  due_at=document.issue_due_at, sent_at=now))
        await session.flush()
        await documents.record_event(session, document, "reminded", actor_id=None, at=now, opinion=note)
        await audit.record(session, county_id=document.county_id, actor=SWEEPER, action="deadline.issue_reminded",
                           entity="document", entity_id=document.id,
                           after={"due_at": document.issue_due_at, "reminded": issuers.in_person, "note": note})
        for official_id in issuers.in_person:
            await events.publish(session, InboxEvent(kind=InboxEventKind.REMINDER, county_id=document.county_id,
                                                     official_id=official_id, document_id=document.id, step_id=None,
                                                     at=now, note=note))
    return len(late)
