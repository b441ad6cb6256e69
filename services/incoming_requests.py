"""The county government's incoming flow (收文): a department's or township's issued request or report, signed in,
handled and instructed on (docs/DOMAIN.md §3.5).

Every use case is one transaction that takes the county's lock first. Who acts at each step is what the county's
signing table says (actions register, propose_handling, instruct, pass_on), for the holder of the role in person
or for someone they cover right now (services.duties.acting_route); every act records the actor, on whose behalf
and by which route, in the request's history and in the audit trail. Each step's people get a duty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Document, Official, StepAssignment, utcnow
from db.models_duties import Duty
from db.models_incoming import IncomingRequest, IncomingRequestEvent, IncomingRequestReminder, IncomingRequestRules
from domain.calendar import CalendarUnknown
from domain.chains import Decision, RuleRef
from domain.documents import (
    Action,
    ChainRole,
    Classification,
    Direction,
    DocumentFacts,
    DocumentState,
    Flag,
    Genre,
    Issuer,
    Route,
)
from domain.duties import Subject, SubjectKind
from domain.errors import DomainError, ErrorCode, words
from domain.incoming_requests import (
    HANDLING_STATES,
    EventKind,
    IncomingRules,
    RequestState,
    Step,
    checked_instruction,
    checked_rules,
    next_state,
    presented_to,
)
from domain.issuing import issue_number
from domain.roster import RuleSet, local_date
from domain.submission import ARTICLES
from domain.supervision import SourceKind
from policies.incoming_requests import shipped_rules
from policies.signing import SigningTable
from services import audit, documents, duties, supervision, tenancy
from services.calendar import calendar_for, unknown_year
from services.cover import RosterCache
from services.events import DutyEventKind
from services.inbox import covered_now
from services.signing_rules import SigningTables

# Duty tasks, one per step that waits for someone.
REGISTER, PROPOSE, PRESENT, INSTRUCT, HANDLE = "register", "propose_handling", "present", "instruct", "handle"
# A reply is in the county government's name or its office's (批复, 复函).
REPLY_ISSUERS = frozenset({Issuer.COUNTY_GOVERNMENT, Issuer.GOVERNMENT_OFFICE})


def subject_of(request: IncomingRequest) -> Subject:
    return Subject(SubjectKind.INCOMING_REQUEST, request.id)


# ---------------------------------------------------------------- the county's settings


async def install_rules(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's settings (policies/incoming_requests)."""
    rules = shipped_rules(rule_set)
    session.add(IncomingRequestRules(
        county_id=county_id, number_prefix=rules.number_prefix, number_article=rules.number_article,
        handling_working_days=rules.handling_working_days,
        handling_exempt_flags=sorted(f.value for f in rules.handling_exempt_flags),
        handling_article=rules.handling_article))
    await session.flush()


async def rules_of(session, *, county_id: int) -> IncomingRules:
    row = await session.get(IncomingRequestRules, county_id)
    return IncomingRules(number_prefix=row.number_prefix, number_article=row.number_article,
                         handling_working_days=row.handling_working_days,
                         handling_exempt_flags=frozenset(Flag(f) for f in row.handling_exempt_flags),
                         handling_article=row.handling_article)


async def update_rules(session: AsyncSession, *, county_id: int, rules: IncomingRules,
                       actor: audit.Actor) -> IncomingRules:
    """The county administrator's edit, checked as the shipped settings are; numbers given stay as they are."""
    await tenancy.lock_county(session, county_id)
    rules = checked_rules(rules)
    row = await session.get(IncomingRequestRules, county_id)
    before = audit.as_record(row)
    row.number_prefix, row.number_article = rules.number_prefix, rules.number_article
    row.handling_working_days, row.handling_article = rules.handling_working_days, rules.handling_article
    row.handling_exempt_flags = sorted(f.value for f in rules.handling_exempt_flags)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="incoming_request_rules.update",
                       entity="incoming_request_rules", entity_id=county_id, before=before,
                       after=audit.as_record(row))
    return rules


# ---------------------------------------------------------------- who acts, by the signing table


@dataclass(frozen=True)
class _Routing:
    """The request as the county's signing table sees it, and who holds each office today."""

    facts: DocumentFacts
    holders: Callable[[ChainRole], list[int]]  # who holds each role today (services.documents.holders_for)
    table: SigningTable

    def allowed(self, action: Action) -> list[tuple[ChainRole, RuleRef]]:
        return [(role, decision.rule) for role in ChainRole
                if (decision := self.table.decide(self.facts, Route.DIRECT, action, role)).allowed]

    def decide(self, route: Route, action: Action, role: ChainRole) -> Decision:
        return self.table.decide(self.facts, route, action, role)


async def _routing(session, document: Document, tables: SigningTables, at: dt.datetime) -> _Routing:
    offices = await documents.office_holders(session, document.county_id, local_date(at))
    co_sponsors = await documents.co_sponsors_of(session, document.id)
    return _Routing(facts=documents.facts_of(document, co_sponsors, offices),
                    holders=documents.holders_for(document, co_sponsors, offices),
                    table=await tables.table_for(session, document.county_id))


@dataclass(frozen=True)
class Standing:
    """How the actor stands toward a step: the role it falls to, whose turn it is, and the route."""

    role: ChainRole
    owner_id: int
    route: Route
    rule: RuleRef

    @property
    def on_behalf_of_id(self) -> int | None:
        return None if self.route == Route.DIRECT else self.owner_id


def _gated(routing: _Routing, action: Action, role: ChainRole, owner_id: int, route: Route) -> Standing:
    decision = routing.decide(route, action, role)
    if not decision.allowed:
        cited = f" ({decision.rule.rule}, {decision.rule.article})" if decision.rule else ""
        raise DomainError(ErrorCode.NOT_ALLOWED_BY_TABLE, f"The county's signing table refuses this{cited}"
                          + ("" if route == Route.DIRECT else f" when acting {route.in_words}") + ".",
                          field="requestId")
    return Standing(role, owner_id, route, decision.rule)


def _office_candidates(routing: _Routing, action: Action,
                       field: str = "requestId") -> list[tuple[ChainRole, int, RuleRef]]:
    candidates = [(role, owner, rule) for role, rule in routing.allowed(action) for owner in routing.holders(role)]
    if not candidates:
        raise DomainError(ErrorCode.UNROUTABLE, f"No row of the county's signing table names anyone who holds an "
                          f"office that may {words(action)} on a request sent up.", field=field)
    return candidates


async def _office_standing(session, request: IncomingRequest, routing: _Routing, action: Action, official_id: int,
                           at: dt.datetime) -> Standing:
    """The office's work: the actor holds a role the table names, or covers someone who does right now."""
    candidates = _office_candidates(routing, action)
    for role, owner, _ in candidates:
        if owner == official_id:
            return _gated(routing, action, role, owner, Route.DIRECT)
    for role, owner, _ in candidates:
        route = await duties.acting_route(session, county_id=request.county_id, actor_id=official_id, owner_id=owner,
                                          at=at)
        if route is not None:
            return _gated(routing, action, role, owner, route)
    rules = "; ".join(dict.fromkeys(f"{rule.rule}, {rule.article}" for _, _, rule in candidates))
    raise DomainError(ErrorCode.NOT_YOUR_TURN, f"This is the government office's work ({rules}): not yours, nor "
                      "anyone's you cover for now.", field="requestId")


async def _leader_standing(session, request: IncomingRequest, routing: _Routing, action: Action, official_id: int,
                           at: dt.datetime) -> Standing:
    """The leader the request is with, in person, or whoever covers them right now."""
    route = await duties.acting_route(session, county_id=request.county_id, actor_id=official_id,
                                      owner_id=request.leader_id, at=at)
    if route is None:
        leader = await session.get(Official, request.leader_id)
        raise DomainError(ErrorCode.NOT_YOUR_TURN, f"The request is with {leader.name}: not with you, nor with anyone "
                          "you cover for now.", field="requestId")
    return _gated(routing, action, request.leader_role, request.leader_id, route)


# ---------------------------------------------------------------- records


async def _record(session, request: IncomingRequest, kind: EventKind, at: dt.datetime, *,
                  actor_id: int | None = None, standing: Standing | None = None, leader_id: int | None = None,
                  note: str | None = None) -> None:
    session.add(IncomingRequestEvent(
        county_id=request.county_id, request_id=request.id, kind=kind, actor_id=actor_id,
        on_behalf_of_id=standing.on_behalf_of_id if standing else None, route=standing.route if standing else None,
        leader_id=leader_id, note=note, at=at))
    await session.flush()


async def _audit(session, request: IncomingRequest, step: str, actor: audit.Actor, before: RequestState,
                 official_id: int | None, standing: Standing | None, **after) -> None:
    acted = ({"acted_by": official_id, "on_behalf_of": standing.on_behalf_of_id, "route": standing.route.value,
              "rule": standing.rule.rule} if standing else {})
    await audit.record(session, county_id=request.county_id, actor=actor, action=f"incoming_request.{step}",
                       entity="incoming_request", entity_id=request.id, before={"state": before.value},
                       after={"state": request.state.value, **acted, **after})


async def _settle(session, request: IncomingRequest, task: str, official_id: int, standing: Standing,
                  at: dt.datetime) -> None:
    await duties.settle(session, subject=subject_of(request), task=task, by_official_id=official_id,
                        route=standing.route, on_behalf_of_id=standing.owner_id, at=at)


async def _assign_office(session, request: IncomingRequest, routing: _Routing, action: Action, task: str,
                         title: str, field: str = "requestId") -> None:
    candidates = _office_candidates(routing, action, field)
    await duties.assign(session, county_id=request.county_id, official_ids=[owner for _, owner, _ in candidates],
                        subject=subject_of(request), task=task, title=title, article=candidates[0][2].article,
                        due_at=request.due_at if request.state in HANDLING_STATES else None)


async def _locked(session, request_id: int) -> tuple[IncomingRequest, Document]:
    """The request and its document, after the county's lock (the order every writer takes locks in)."""
    request = await session.get(IncomingRequest, request_id)
    if request is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such incoming request.", field="requestId")
    await tenancy.lock_county(session, request.county_id)
    await session.refresh(request)
    return request, await session.get(Document, request.document_id)


def _title(document: Document) -> str:
    return document.title if len(document.title) <= 60 else document.title[:59] + "…"


# ---------------------------------------------------------------- receipt


async def receive(session: AsyncSession, *, document: Document, actor: audit.Actor,
                  tables: SigningTables | None = None, at: dt.datetime | None = None) -> IncomingRequest:
    """A department's or township's request or report, issued with its number, reaches the government office.

    Called by services.issuing inside the issuing transaction; received when issued (``at``: its issue time).
    Refused unless the document is numbered: the office
    does not handle a request without its number (无序号, 002 局规则 §36). One addressed to a leader personally
    enters the office's flow all the same and is recorded as that (000 §44).
    """
    at = at or document.issued_at or utcnow()
    county = await tenancy.lock_county(session, document.county_id)
    if (document.direction != Direction.TO_COUNTY_GOVERNMENT or document.issuer != Issuer.DEPARTMENT
            or document.genre not in (Genre.REQUEST, Genre.REPORT) or document.lead_department_id is None):
        raise DomainError(ErrorCode.INVALID, "Only a department's or township's request or report to the county "
                          "government enters its incoming flow.", field="documentId")
    if document.state != DocumentState.ISSUED or not document.issue_number:
        raise DomainError(ErrorCode.SUBMISSION_RULE, "The office handles a request sent up only once it is issued "
                          "with its number (无序号的请示不予办理, 002 局规则 §36).", field="documentId")
    if await session.scalar(select(IncomingRequest.id).where(IncomingRequest.document_id == document.id)):
        raise DomainError(ErrorCode.DUPLICATE, "The document has reached the office already.", field="documentId")
    routing = await _routing(session, document, tables or SigningTables(), at)
    request = IncomingRequest(county_id=document.county_id, document_id=document.id,
                              sending_department_id=document.lead_department_id, state=RequestState.RECEIVED,
                              received_at=at, addressed_to_id=document.addressed_to_id)
    await _start_clock(session, request, document, at)
    session.add(request)
    await session.flush()
    await _record(session, request, EventKind.RECEIVED, at, note=document.issue_number)
    if document.addressed_to_id is not None:
        article = ARTICLES[county.rule_set]["re_enters"]
        note = f"报送领导个人，转入办公室统一办理（{article}）"
        await _record(session, request, EventKind.RE_ENTERED, at, leader_id=document.addressed_to_id, note=note)
    await _assign_office(session, request, routing, Action.REGISTER, REGISTER, f"签收：{_title(document)}",
                         field="documentId")
    await audit.record(session, county_id=request.county_id, actor=actor, action="incoming_request.receive",
                       entity="incoming_request", entity_id=request.id, after=audit.as_record(request))
    return request


async def _start_clock(session, request: IncomingRequest, document: Document, at: dt.datetime) -> None:
    """The handling limit runs from receipt to the leader's instruction (000 §51): after it, a reply is a document
    of its own with its own chain and limits. A year nobody has entered gives no due time, and says why."""
    limit = (await rules_of(session, county_id=request.county_id)).limit_for(Flag(f) for f in document.flags)
    if limit is None:
        return
    deadline = {"working_days": limit.working_days, "article": limit.article}
    try:
        request.due_at = (await calendar_for(session, county_id=request.county_id)).due_after(at, limit.working_days)
    except CalendarUnknown as unknown:
        deadline["problem"] = unknown_year(unknown).message
    request.deadline = deadline


# ---------------------------------------------------------------- the office's steps


async def register(session: AsyncSession, *, request_id: int, official_id: int, tables: SigningTables,
                   actor: audit.Actor, at: dt.datetime | None = None) -> IncomingRequest:
    """Sign the request in (签收): the next number of the county's incoming register for the year, without gaps."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = next_state(request.state, Step.REGISTER)
    routing = await _routing(session, document, tables, at)
    standing = await _office_standing(session, request, routing, Step.REGISTER.action, official_id, at)
    rules = await rules_of(session, county_id=request.county_id)
    year = local_date(at).year
    seq = (await session.scalar(select(func.max(IncomingRequest.seq)).where(
        IncomingRequest.county_id == request.county_id, IncomingRequest.year == year)) or 0) + 1
    before, request.state = request.state, to
    # Numbered as documents are (「prefix〔year〕N号」), in the incoming register's own series.
    request.year, request.seq, request.number = year, seq, issue_number(rules.number_prefix, year, seq)
    request.registered_at = at
    await session.flush()
    await _settle(session, request, REGISTER, official_id, standing, at)
    await _record(session, request, EventKind.REGISTERED, at, actor_id=official_id, standing=standing,
                  note=request.number)
    await _assign_office(session, request, routing, Step.PROPOSE.action, PROPOSE, f"拟办：{_title(document)}")
    await _audit(session, request, "register", actor, before, official_id, standing, number=request.number)
    return request


async def propose_handling(session: AsyncSession, *, request_id: int, official_id: int, opinion: str,
                           tables: SigningTables, actor: audit.Actor, at: dt.datetime | None = None) -> IncomingRequest:
    """The office's proposal (拟办): how to handle it, and the leader the county's table names to instruct on it."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = next_state(request.state, Step.PROPOSE)
    routing = await _routing(session, document, tables, at)
    standing = await _office_standing(session, request, routing, Step.PROPOSE.action, official_id, at)
    text = opinion.strip()
    if not text:
        raise DomainError(ErrorCode.OPINION_REQUIRED, f"The proposal says how the office proposes to handle the "
                          f"request (提出明确办理意见, {standing.rule.article}).", field="opinion")
    leader = presented_to(routing.allowed(Action.INSTRUCT), routing.holders)
    if leader is None:
        raise DomainError(ErrorCode.UNROUTABLE, "No row of the county's signing table names a leader who holds an "
                          "office that may instruct on this request.", field="requestId")
    role, leader_id, rule = leader
    before, request.state = request.state, to
    request.proposal, request.proposed_at = text, at
    request.leader_id, request.leader_role = leader_id, role
    request.routing_rule, request.routing_article = rule.rule, rule.article
    await session.flush()
    await _settle(session, request, PROPOSE, official_id, standing, at)
    await _record(session, request, EventKind.HANDLING_PROPOSED, at, actor_id=official_id, standing=standing,
                  leader_id=leader_id, note=text)
    await _assign_office(session, request, routing, Step.PRESENT.action, PRESENT, f"呈批：{_title(document)}")
    await _audit(session, request, "propose_handling", actor, before, official_id, standing, proposal=text,
                 leader_id=leader_id, leader_role=role.value, routing_rule=rule.rule)
    return request


async def present(session: AsyncSession, *, request_id: int, official_id: int, tables: SigningTables,
                  actor: audit.Actor, at: dt.datetime | None = None) -> IncomingRequest:
    """Present the request and the office's proposal to the leader (呈批, 001 §31; 003 §56)."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = next_state(request.state, Step.PRESENT)
    routing = await _routing(session, document, tables, at)
    standing = await _office_standing(session, request, routing, Step.PRESENT.action, official_id, at)
    before, request.state = request.state, to
    request.presented_at = at
    await session.flush()
    await _settle(session, request, PRESENT, official_id, standing, at)
    await _record(session, request, EventKind.PRESENTED, at, actor_id=official_id, standing=standing,
                  leader_id=request.leader_id)
    await duties.assign(session, county_id=request.county_id, official_ids=[request.leader_id],
                        subject=subject_of(request), task=INSTRUCT, title=f"批示：{_title(document)}",
                        article=request.routing_article, due_at=request.due_at)
    await _audit(session, request, "present", actor, before, official_id, standing, leader_id=request.leader_id)
    return request


# ---------------------------------------------------------------- the leader's steps


async def pass_on(session: AsyncSession, *, request_id: int, official_id: int, to_official_id: int, note: str,
                  tables: SigningTables, actor: audit.Actor, at: dt.datetime | None = None) -> IncomingRequest:
    """The leader passes the request on to another leader (转请, 001 §31), one the table lets instruct on it."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    next_state(request.state, Step.PASS_ON)
    routing = await _routing(session, document, tables, at)
    standing = await _leader_standing(session, request, routing, Action.PASS_ON, official_id, at)
    target = await session.get(Official, to_official_id)
    if target is None or target.county_id != request.county_id or target.retired_on is not None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such serving official in this county.", field="toOfficialId")
    if target.id == request.leader_id:
        raise DomainError(ErrorCode.INVALID, f"The request is with {target.name} already.", field="toOfficialId")
    found = next(((role, decision.rule) for role in ChainRole if target.id in routing.holders(role)
                  and (decision := routing.decide(Route.DIRECT, Action.INSTRUCT, role)).allowed), None)
    if found is None:
        raise DomainError(ErrorCode.NOT_ALLOWED_BY_TABLE, f"The county's signing table gives {target.name} no "
                          "instruction on this request: pass it to a leader it names.", field="toOfficialId")
    role, rule = found
    before, from_leader = request.state, request.leader_id
    request.leader_id, request.leader_role = target.id, role
    request.routing_rule, request.routing_article = rule.rule, rule.article
    await session.flush()
    await _settle(session, request, INSTRUCT, official_id, standing, at)
    await _record(session, request, EventKind.PASSED_ON, at, actor_id=official_id, standing=standing,
                  leader_id=target.id, note=note.strip() or None)
    await duties.assign(session, county_id=request.county_id, official_ids=[target.id], subject=subject_of(request),
                        task=INSTRUCT, title=f"批示（转请）：{_title(document)}", article=rule.article,
                        due_at=request.due_at)
    await _audit(session, request, "pass_on", actor, before, official_id, standing, from_leader_id=from_leader,
                 to_leader_id=target.id, to_role=role.value, note=note.strip())
    return request


@dataclass(frozen=True)
class SupervisionOrder:
    """The instruction is to be followed up (督办): the unit that carries it out, by when (000 §48)."""

    lead_department_id: int
    co_department_ids: Sequence[int] = ()
    responsible_official_id: int | None = None
    working_days: int | None = None


async def instruct(session: AsyncSession, *, request_id: int, official_id: int, opinion: str,
                   tables: SigningTables, actor: audit.Actor, supervise: SupervisionOrder | None = None,
                   at: dt.datetime | None = None) -> IncomingRequest:
    """The leader's instruction (批示): a clear opinion, with the name of who gave it and the full date (000 §48;
    003 §57). Given ``supervise``, the supervision office numbers an item to follow it up (000 §48)."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = next_state(request.state, Step.INSTRUCT)
    routing = await _routing(session, document, tables, at)
    standing = await _leader_standing(session, request, routing, Action.INSTRUCT, official_id, at)
    text = checked_instruction(opinion, document.genre)
    before, request.state = request.state, to
    request.instruction, request.instructed_by_id = text, official_id
    request.instructed_on, request.instructed_at = local_date(at), at
    await session.flush()
    await _settle(session, request, INSTRUCT, official_id, standing, at)
    await _record(session, request, EventKind.INSTRUCTED, at, actor_id=official_id, standing=standing,
                  leader_id=standing.owner_id, note=text)
    item_number = None
    if supervise is not None:
        item = await supervision.open_item(
            session, county_id=request.county_id, source_kind=SourceKind.INCOMING_REQUEST, source_id=request.id,
            instruction=text, instructed_by_id=official_id, instructed_on=request.instructed_on,
            lead_department_id=supervise.lead_department_id, co_department_ids=supervise.co_department_ids,
            responsible_official_id=supervise.responsible_official_id, working_days=supervise.working_days,
            opened_by_id=official_id, actor=actor)
        item_number = item.number
        await _record(session, request, EventKind.SUPERVISION_OPENED, at, actor_id=official_id, standing=standing,
                      note=item.number)
    await _assign_office(session, request, routing, Step.CLOSE.action, HANDLE,
                         f"办理（批复或转办）：{_title(document)}")
    await _audit(session, request, "instruct", actor, before, official_id, standing, instruction=text,
                 instructed_on=request.instructed_on, supervision_item=item_number)
    return request


# ---------------------------------------------------------------- the reply and the end


async def draft_reply(session: AsyncSession, *, request_id: int, official_id: int, title: str, body: str,
                      issuer: Issuer, tables: SigningTables, actor: audit.Actor,
                      at: dt.datetime | None = None) -> Document:
    """Draft the reply (批复) as a document of its own, linked to the request: the sending unit leads it (so the
    table routes it to the same vice magistrate), a major matter stays major; it goes through its chain like any
    document, submitted by its drafter."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = _reply_state(request, document)
    routing = await _routing(session, document, tables, at)
    standing = await _office_standing(session, request, routing, Step.REPLY.action, official_id, at)
    if issuer not in REPLY_ISSUERS:
        raise DomainError(ErrorCode.INVALID, "A reply goes out in the county government's name or its office's.",
                          field="issuer")
    reply = await documents.create_draft(session, drafted_by_id=official_id, actor=actor, fields=documents.DraftFields(
        title=title, body=body, issuer=issuer, genre=Genre.REPLY, direction=Direction.DOWNWARD,
        lead_department_id=request.sending_department_id, classification=document.classification,
        flags=[Flag.MAJOR] if Flag.MAJOR.value in document.flags else []))
    await _linked(session, request, reply, EventKind.REPLY_DRAFTED, to, official_id, standing, actor, at)
    return reply


async def link_reply(session: AsyncSession, *, request_id: int, official_id: int, document_id: int,
                     tables: SigningTables, actor: audit.Actor, at: dt.datetime | None = None) -> IncomingRequest:
    """Link a reply drafted on its own (genre REPLY, of this county) to the request."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = _reply_state(request, document)
    routing = await _routing(session, document, tables, at)
    standing = await _office_standing(session, request, routing, Step.REPLY.action, official_id, at)
    reply = await session.get(Document, document_id)
    if reply is None or reply.county_id != request.county_id:
        raise DomainError(ErrorCode.NOT_FOUND, "No such document.", field="documentId")
    if reply.genre != Genre.REPLY:
        raise DomainError(ErrorCode.INVALID, f"The document is a {words(reply.genre)}: a reply is a 批复.",
                          field="documentId")
    if await session.scalar(select(IncomingRequest.id).where(IncomingRequest.reply_document_id == reply.id)):
        raise DomainError(ErrorCode.DUPLICATE, "That reply answers another request already.", field="documentId")
    await _linked(session, request, reply, EventKind.REPLY_LINKED, to, official_id, standing, actor, at)
    return request


def _reply_state(request: IncomingRequest, document: Document) -> RequestState:
    to = next_state(request.state, Step.REPLY)
    if document.genre != Genre.REQUEST:
        raise DomainError(ErrorCode.WRONG_STATE, "A report asks for nothing (报告中不得夹带请示事项): it gets no reply; "
                          "close it once the instruction is carried out.", field="requestId")
    return to


async def _linked(session, request: IncomingRequest, reply: Document, kind: EventKind, to: RequestState,
                  official_id: int, standing: Standing, actor: audit.Actor, at: dt.datetime) -> None:
    before, request.state = request.state, to
    request.reply_document_id = reply.id
    await session.flush()
    await _record(session, request, kind, at, actor_id=official_id, standing=standing, note=reply.title)
    await _audit(session, request, kind.value, actor, before, official_id, standing, reply_document_id=reply.id)


async def close(session: AsyncSession, *, request_id: int, official_id: int, tables: SigningTables,
                actor: audit.Actor, at: dt.datetime | None = None) -> IncomingRequest:
    """Handled to the end (办结): the instruction forwarded (转办, 003 §56), or the reply signed."""
    at = at or utcnow()
    request, document = await _locked(session, request_id)
    to = next_state(request.state, Step.CLOSE)
    if request.reply_document_id is not None:
        reply = await session.get(Document, request.reply_document_id)
        if reply.state not in (DocumentState.SIGNED, DocumentState.ISSUED):
            raise DomainError(ErrorCode.WRONG_STATE, f"The reply is {words(reply.state)}: close the request once it "
                              "is signed.", field="requestId")
    routing = await _routing(session, document, tables, at)
    standing = await _office_standing(session, request, routing, Step.CLOSE.action, official_id, at)
    before, request.state = request.state, to
    request.closed_at = at
    await session.flush()
    await _settle(session, request, HANDLE, official_id, standing, at)
    await duties.settle(session, subject=subject_of(request), by_official_id=official_id, route=None, at=at)
    await _record(session, request, EventKind.CLOSED, at, actor_id=official_id, standing=standing)
    await _audit(session, request, "close", actor, before, official_id, standing)
    return request


# ---------------------------------------------------------------- the limit's reminder


async def remind_overdue(session, now: dt.datetime, actor: audit.Actor) -> int:
    """The office's one reminder on each request still without its instruction past its limit (000 §51): to whoever
    holds it now, recorded in its history and audited; a unique row per request makes it once only."""
    rows = list((await session.execute(select(IncomingRequest).where(
        IncomingRequest.state.in_(HANDLING_STATES), IncomingRequest.due_at < now,
        ~exists().where(IncomingRequestReminder.request_id == IncomingRequest.id),
    ).order_by(IncomingRequest.id))).scalars())
    for request in rows:
        note = f"办公室催办：收文{request.number or ''}办理已逾期（{request.deadline['article']}）"
        session.add(IncomingRequestReminder(county_id=request.county_id, request_id=request.id,
                                            due_at=request.due_at, sent_at=now))
        await _record(session, request, EventKind.REMINDED, now, note=note)
        for duty in await duties.open_on(session, subject=subject_of(request)):
            await duties.tell(session, duty=duty, kind=DutyEventKind.REMINDER, note=note)
        await audit.record(session, county_id=request.county_id, actor=actor, action="incoming_request.remind",
                           entity="incoming_request", entity_id=request.id,
                           after={"state": request.state.value, "due_at": request.due_at, "note": note})
    return len(rows)


# ---------------------------------------------------------------- who sees a request


# Cover read afresh: whom an official covers changes by the minute (an absence recorded a moment ago).
_FRESH = RosterCache()


async def visibility(session, *, county_id: int, official_id: int | None,
                     at: dt.datetime) -> ColumnElement[bool]:
    """Which of the county's requests the official sees, as one condition on a request joined to its document: the
    list and the node lookup both use it, so they never disagree. Unclassified, everyone who reads the county;
    classified, as its document (its drafter and chain, and the government office, docs/DOMAIN.md §3.4), whoever
    held a duty on it, and whoever covers right now for someone who holds an open one."""
    unclassified = Document.classification == Classification.NONE
    if official_id is None:
        return unclassified
    if official_id in await documents.office_staff(session, county_id, local_date(at)):
        return true()
    covered = await covered_now(session, county_id=county_id, official_id=official_id, at=at, rosters=_FRESH,
                                roster_version=None)
    on_chain = exists().where(StepAssignment.document_id == Document.id,
                              or_(StepAssignment.assignee_id == official_id, StepAssignment.acted_by_id == official_id))
    duty = (Duty.subject_kind == SubjectKind.INCOMING_REQUEST) & (Duty.subject_id == IncomingRequest.id)
    held = exists().where(duty, Duty.official_id == official_id)
    covering = exists().where(duty, Duty.official_id.in_(list(covered)), Duty.settled_at.is_(None))
    return or_(unclassified, Document.drafted_by_id == official_id, on_chain, held,
               *([covering] if covered else []))


async def visible_ids(session, *, county_id: int, ids: Sequence[int], official_id: int | None,
                      at: dt.datetime) -> set[int]:
    """Of the county's requests ``ids``, those the official sees (``visibility``)."""
    if not ids:
        return set()
    rows = await session.execute(
        select(IncomingRequest.id).join(Document, Document.id == IncomingRequest.document_id)
        .where(IncomingRequest.county_id == county_id, IncomingRequest.id.in_(ids),
               await visibility(session, county_id=county_id, official_id=official_id, at=at)))
    return set(rows.scalars())


async def can_see(session, *, request: IncomingRequest, official_id: int | None, at: dt.datetime) -> bool:
    document = await session.get(Document, request.document_id)
    if document.classification == Classification.NONE:
        return True
    return request.id in await visible_ids(session, county_id=request.county_id, ids=[request.id],
                                           official_id=official_id, at=at)
