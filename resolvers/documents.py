"""Documents in GraphQL: drafting, the chain, the actions, the inbox, explanations."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import strawberry
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode, TopLevelCode
from domain.roster import LOCAL_TZ, local_date
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find, find_ids, find_optional
from resolvers.mutations import _mutate
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema import documents as s
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.validation import row_id
from schema.lists import (
    DocumentFilter,
    DocumentOrder,
    DocumentOrderField,
    InboxOrder,
    InboxOrderField,
    OrderDirection,
)
from schema.types import Connection, CoverResolution
from services import documents as service
from services import inbox as inbox_service
from services.cover import roster_at
from domain.cover import who_acts_for

def _official_id(ctx: Context) -> int:
    principal = ctx.require_principal()
    if principal.official_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, "This account is not an official's; documents are acted on by "
                                               "officials.", field=None)
    return principal.official_id


async def _sees_everything(ctx: Context, session, county_id: int) -> bool:
    """The government office sees the whole flow, classified documents included."""
    official_id = ctx.require_principal().official_id
    return official_id is not None and official_id in await service.office_staff(
        session, county_id, local_date(models.utcnow()))


async def visible_documents(info: Info, ids: list[int | None]) -> list[s.Document | None]:
    ctx: Context = info.context
    rows = await ctx.loaders.rows(models.Document).load_many([i for i in ids if i is not None])
    session = await ctx.session()
    found = {}
    for row in rows:
        if row is not None and ctx.can_read(row.county_id) and await service.can_see(
                session, document=row, official_id=ctx.principal.official_id, at=models.utcnow()):
            found[row.id] = row
    return [s.Document.from_row(found[i]) if i in found else None for i in ids]


async def rows_of_visible_documents(info: Info, model: type, node_ids) -> list:
    """The rows (chain steps, assignments) the ids name, None where their document is not visible to you."""
    ids = [row_id(i) for i in node_ids]
    rows = await info.context.loaders.rows(model).load_many([i for i in ids if i is not None])
    found = {row.id: row for row in rows if row is not None}
    documents = await visible_documents(info, [row.document_id for row in found.values()])
    visible = {row.id for row, document in zip(found.values(), documents, strict=True) if document is not None}
    return [found[i] if i in visible else None for i in ids]


async def predicted_chain(info: Info, document: models.Document) -> list[s.PredictedStep]:
    ctx: Context = info.context
    session = await ctx.session()
    now = models.utcnow()
    try:
        staffed = await service.plan_for(session, document=document, tables=ctx.tables, at=now)
    except DomainError as error:
        raise public_error(TopLevelCode.UNROUTABLE, error.message) from None
    roster = await roster_at(session, county_id=document.county_id, at=now)
    return [
        s.PredictedStep(
            position=position, action=step.plan.action, alternatives=step.plan.alternatives,
            parallel=not step.plan.alternatives and len(step.assignees) > 1,
            rules=[s.RuleCitation(rule=r.rule, article=r.article) for r in step.plan.rules],
            assignees=[s.PredictedAssignee(role=role, official_id=official,
                                           acting_now=CoverResolution.from_cover(who_acts_for(official, roster), now))
                       for role, official in step.assignees],
        )
        for position, step in enumerate(staffed, start=1)
    ]


class InboxScope(enum.Enum):
    MINE = "mine"
    COUNTY = "county"


labelled_enum(InboxScope, name="InboxScope",
              description="Whose items: yours (and those you cover for now), or the county's (the office).")


@strawberry.type
class DocumentQueries:
    @strawberry.field(description="Documents you may see, newest first unless orderBy says otherwise; "
                                  "classified ones only if on their chain (or for the government office).")
    async def documents(self, info: Info, filter: Annotated[DocumentFilter | None, strawberry.argument(
                            description="Which documents; all you may see when omitted.")] = None,
                        order_by: Annotated[DocumentOrder | None, strawberry.argument(
                            description="The order; newest first (CREATED_AT, DESC) when omitted.")] = None,
                        first: PageSize = None, after: After = None, last: Last = None,
                        before: Before = None) -> Connection[s.Document]:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        session = await ctx.session()
        stmt = _filtered(select(models.Document).where(models.Document.county_id == county_id),
                         filter or DocumentFilter())
        stmt = inbox_service.visible_to(stmt, official_id=ctx.principal.official_id,
                                        sees_everything=await _sees_everything(ctx, session, county_id))
        order_by = order_by or DocumentOrder()
        key = {DocumentOrderField.CREATED_AT: models.Document.created_at,
               DocumentOrderField.TITLE: models.Document.title}[order_by.field]
        return await paginate(session, stmt, order=[key, models.Document.id],
                              descending=order_by.direction == OrderDirection.DESC,
                              first=first, after=after, last=last, before=before, to_node=s.Document.from_row)

    @strawberry.field(description="What waits for you — including for those you cover for right now.")
    async def inbox(self, info: Info,
                    scope: Annotated[InboxScope, strawberry.argument(
                        description="Yours (MINE) or the whole county's (COUNTY, the government office).")] = InboxScope.MINE,
                    urgent: Annotated[bool | None, strawberry.argument(
                        description="true: urgent documents only; false: the others; all when omitted.")] = None,
                    genre: Annotated[s.GenreEnum | None, strawberry.argument(
                        description="Only documents of this genre.")] = None,
                    overdue: Annotated[bool | None, strawberry.argument(
                        description="true: only items past their due time; all otherwise.")] = None,
                    order_by: Annotated[InboxOrder | None, strawberry.argument(
                        description="The order; longest waiting first (RECEIVED, ASC) when omitted.")] = None,
                    first: PageSize = None, after: After = None, last: Last = None,
                    before: Before = None) -> Connection[s.InboxItem]:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        session = await ctx.session()
        me = ctx.require_principal().official_id
        if scope == InboxScope.COUNTY:
            if not await _sees_everything(ctx, session, county_id):
                raise public_error(TopLevelCode.FORBIDDEN, "The county-wide inbox is the government office's.")
            routes, assignees = {}, None
        else:
            if me is None:
                raise public_error(TopLevelCode.FORBIDDEN, "This account is not an official's; it has no inbox.")
            routes = await inbox_service.covered_now(session, county_id=county_id, official_id=me,
                                                     at=models.utcnow(), rosters=ctx.rosters,
                                                     roster_version=ctx.principal.roster_version)
            assignees = {me, *routes}
        # The page with each item's step, document, drafter and assignee, in one statement, for the
        # fields below to read from the loaders.
        drafter, assignee = aliased(models.Official), aliased(models.Official)
        stmt = (
            inbox_service.waiting(county_id=county_id, assignee_ids=assignees, urgent=urgent, genre=genre,
                                  overdue_at=models.utcnow() if overdue else None)
            .add_columns(models.ChainStep, models.Document, drafter, assignee)
            .join(drafter, drafter.id == models.Document.drafted_by_id)
            .join(assignee, assignee.id == models.StepAssignment.assignee_id)
        )
        order_by = order_by or InboxOrder()
        if order_by.field == InboxOrderField.DUE_AT:
            # No time limit sorts as after every due time: a flag first, so no key is NULL.
            order = [case((models.ChainStep.due_at.is_(None), 1), else_=0),
                     func.coalesce(models.ChainStep.due_at, models.ChainStep.activated_at)]
        else:
            order = [models.ChainStep.activated_at]
        connection = await paginate(session, stmt, order=[*order, models.StepAssignment.id],
                                    descending=order_by.direction == OrderDirection.DESC, first=first,
                                    after=after, last=last, before=before, to_node=lambda row: row)
        rows = [edge.node for edge in connection.edges]
        loaders = ctx.loaders
        loaders.prime(models.ChainStep, (row[1] for row in rows))
        loaders.prime(models.Document, (row[2] for row in rows))
        loaders.prime(models.Official, (official for row in rows for official in row[3:]))
        for edge, (assignment, _step, document, _drafter, _assignee) in zip(connection.edges, rows, strict=True):
            covered = assignment.assignee_id != me and assignment.assignee_id in routes
            edge.node = s.InboxItem(assignment=s.StepAssignment.from_row(assignment),
                                    document=s.Document.from_row(document),
                                    route=routes[assignment.assignee_id] if covered else service.Route.DIRECT,
                                    step_row_id=assignment.step_id,
                                    on_behalf_of_id=assignment.assignee_id if covered else None)
        return connection

    @strawberry.field(description="May this official take this action on the document now? The matched row "
                                  "and article, the route, or why not. Defaults to you.")
    async def explain(self, info: Info,
                      document_id: Annotated[relay.GlobalID, strawberry.argument(description="The document.")],
                      action: Annotated[s.ActionEnum, strawberry.argument(description="The step to ask about.")],
                      official_id: Annotated[relay.GlobalID | None, strawberry.argument(
                          description="Who would act; you when omitted.")] = None) -> s.Explanation:
        ctx: Context = info.context
        session = await ctx.session()
        [document] = await visible_documents(info, [_decoded(document_id, "Document")])
        if document is None:
            raise public_error(TopLevelCode.NOT_FOUND, "No such document.")
        if official_id is None:
            who = ctx.require_principal().official_id
            if who is None:
                raise public_error(TopLevelCode.BAD_REQUEST, "Name the official: this account is not an official's.")
        else:
            who = _decoded(official_id, "Official")
            official = await ctx.loaders.official.load(who)
            if official is None or official.county_id != document.county_id:
                raise public_error(TopLevelCode.NOT_FOUND, "No such official in this county.")
        result = await service.explain(session, document_id=document.id, official_id=who, action=action,
                                       tables=ctx.tables)
        return s.Explanation(allowed=result.allowed, reason=result.reason, route=result.route,
                             rule=s.RuleCitation(rule=result.rule, article=result.article) if result.rule else None,
                             on_behalf_of_id=result.on_behalf_of_id)


def _filtered(stmt: Select, filter: DocumentFilter) -> Select:
    document = models.Document
    if filter.title_contains:
        stmt = stmt.where(document.title.contains(filter.title_contains, autoescape=True))
    if filter.created_from is not None:
        stmt = stmt.where(document.created_at >= _start_of(filter.created_from))
    if filter.created_to is not None:
        stmt = stmt.where(document.created_at < _start_of(filter.created_to + dt.timedelta(days=1)))
    if filter.department_id is not None:
        stmt = stmt.where(document.lead_department_id == _decoded(filter.department_id, "Department"))
    for column, wanted in ((document.genre, filter.genre), (document.state, filter.state),
                           (document.issuer, filter.issuer)):
        if wanted is not None:
            stmt = stmt.where(column == wanted)
    if filter.urgent is not None:
        stmt = stmt.where(document.urgent.is_(filter.urgent))
    if filter.overdue:
        stmt = stmt.where(inbox_service.has_overdue_step(models.utcnow()))
    if filter.issue_number is not None:
        stmt = stmt.where(document.issue_number == filter.issue_number.strip())
    if filter.issue_year is not None:
        stmt = stmt.where(document.issue_year == filter.issue_year)
    return stmt


def _start_of(day: dt.date) -> dt.datetime:
    """The instant the county's day begins: dates in filters are the county's (Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ)


def _decoded(global_id: relay.GlobalID, type_name: str) -> int:
    try:
        return decode_id(global_id, type_name, "id")
    except DomainError as error:
        raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None


DocumentResult = Annotated[s.DocumentPayload | MutationError, strawberry.union(
    "DocumentResult", description="DocumentPayload when it worked; MutationError when it changed nothing.")]
AssignmentResult = Annotated[s.AssignmentPayload | MutationError, strawberry.union(
    "AssignmentResult", description="AssignmentPayload when it worked; MutationError when it changed nothing.")]


async def _draft_fields(session: AsyncSession, ctx: Context, draft: s.DraftInput,
                       county_id: int) -> service.DraftFields:
    async def official(global_id: relay.GlobalID | None, field: str) -> int | None:
        return await find_optional(session, ctx, models.Official, global_id, field, county_id=county_id)

    return service.DraftFields(
        title=draft.title, issuer=draft.issuer, genre=draft.genre, direction=draft.direction,
        lead_department_id=await find_optional(session, ctx, models.Department, draft.lead_department_id,
                                               "leadDepartmentId", county_id=county_id),
        body=draft.body, meeting=draft.meeting, flags=draft.flags, classification=draft.classification,
        co_sponsor_ids=await find_ids(session, ctx, models.Department, draft.co_sponsor_ids, "coSponsorIds",
                                      county_id=county_id),
        requested_matters=draft.requested_matters,
        addressed_to_id=await official(draft.addressed_to_id, "addressedToId"), addressees=draft.addressees,
        leader_assigned=draft.leader_assigned, departmental_matter=draft.departmental_matter,
        meeting_chair_id=await official(draft.meeting_chair_id, "meetingChairId"),
        standing_meeting_on=draft.standing_meeting_on,
        attachments=[{"name": a.name, "media_type": a.media_type, "size_bytes": a.size_bytes, "sha256": a.sha256}
                     for a in draft.attachments],
        decision_id=await find_optional(session, ctx, models.MeetingDecision, draft.decision_id, "decisionId",
                                        county_id=county_id),
        matter_code=draft.matter_code, amount_wan=draft.amount_wan,
    )


async def _document(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> models.Document:
    return await find(session, ctx, models.Document, global_id, "documentId")


async def _after_change(session: AsyncSession, document_id: int) -> s.DocumentPayload:
    return s.DocumentPayload(document=s.Document.from_row(await session.get(models.Document, document_id)))


# Each mutation asks "are you an official?" before it looks the document up: an account that is not
# one learns nothing about which ids exist.
@strawberry.type
class DocumentMutations:
    @strawberry.mutation(description="Start a draft; you are its drafter.")
    async def create_draft(self, info: Info, input: Annotated[
            s.DraftInput, strawberry.argument(description="The draft's content and routing attributes.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            fields = await _draft_fields(session, ctx, input, ctx.require_principal().county_id)
            row = await service.create_draft(session, drafted_by_id=me, fields=fields, actor=ctx.actor)
            return s.DocumentPayload(document=s.Document.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Replace the content of your draft or returned document.")
    async def update_draft(self, info: Info, input: Annotated[
            s.UpdateDraftInput, strawberry.argument(description="The document and its new content.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            fields = await _draft_fields(session, ctx, input.draft, document.county_id)
            row = await service.update_draft(session, document_id=document.id, official_id=me, fields=fields,
                                             actor=ctx.actor)
            return s.DocumentPayload(document=s.Document.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Submit 报送: checked against the county's submission rules (one matter "
                                     "per request, no requests inside reports, not to a leader personally — one "
                                     "to the county government enters the office's flow instead —, one main "
                                     "addressee and none above the county government for a request or report "
                                     "sent up, departmental matters issued by the department), then routed by the "
                                     "county's signing table.")
    async def submit_document(self, info: Info, input: Annotated[
            s.DocumentInput, strawberry.argument(description="The draft or returned document to submit.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.submit(session, document_id=document.id, official_id=me, tables=ctx.tables,
                                 actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Approve the step waiting for you (or someone you cover for).")
    async def approve_step(self, info: Info, input: Annotated[
            s.ApproveInput, strawberry.argument(description="The document, your opinion, and whose item it is.")],
    ) -> AssignmentResult:
        return await _act(info, input.document_id, service.Verdict.APPROVE, opinion=input.opinion,
                          circled=input.circled, on_behalf_of=input.on_behalf_of_id)

    @strawberry.mutation(description="Co-sign or review with a dissent; the reasons travel with the document.")
    async def dissent(self, info: Info, input: Annotated[
            s.DissentInput, strawberry.argument(description="The document and your reasons.")]) -> AssignmentResult:
        return await _act(info, input.document_id, service.Verdict.DISSENT, opinion=input.reasons,
                          on_behalf_of=input.on_behalf_of_id)

    @strawberry.mutation(description="Sign (签发) — or countersign (补签) a document issued on your oral consent.")
    async def sign_document(self, info: Info, input: Annotated[
            s.SignInput, strawberry.argument(description="The document to sign or countersign.")],
    ) -> AssignmentResult:
        return await _act(info, input.document_id, service.Verdict.SIGN, opinion=input.opinion,
                          on_behalf_of=input.on_behalf_of_id)

    @strawberry.mutation(description="Urgent, the signer unreachable: issue on their oral consent, they countersign.")
    async def sign_urgently(self, info: Info, input: Annotated[
            s.SignUrgentlyInput, strawberry.argument(description="The urgent document and whose oral consent.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.urgent_sign(session, document_id=document.id, official_id=me,
                                      consent_note=input.consent_note, tables=ctx.tables, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Send back to an earlier step, or to the drafter.")
    async def return_document(self, info: Info, input: Annotated[
            s.ReturnDocumentInput, strawberry.argument(description="The document, why, and to which step.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.return_document(session, document_id=document.id, official_id=me,
                                          reason=input.reason, to_position=input.to_step, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Take back your last action before the next person acts.")
    async def withdraw(self, info: Info, input: Annotated[
            s.DocumentInput, strawberry.argument(description="The document whose last action of yours to take back.")],
    ) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.withdraw(session, document_id=document.id, official_id=me, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="The government office moves a waiting assignment to someone else.")
    async def reassign_step(self, info: Info, input: Annotated[
            s.ReassignInput, strawberry.argument(description="The waiting assignment, to whom, and why.")],
    ) -> AssignmentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            assignment = await find(session, ctx, models.StepAssignment, input.assignment_id, "assignmentId")
            to = await find(session, ctx, models.Official, input.to_official_id, "toOfficialId",
                            county_id=assignment.county_id)
            row = await service.reassign(session, assignment_id=assignment.id, official_id=me, to_official_id=to.id,
                                         reason=input.reason, actor=ctx.actor)
            return s.AssignmentPayload(assignment=s.StepAssignment.from_row(row),
                                       document=(await _after_change(session, row.document_id)).document)

        return await _mutate(ctx, change)


async def _act(info: Info, document_id: relay.GlobalID, verdict: service.Verdict, *, opinion: str | None,
               on_behalf_of: relay.GlobalID | None, circled: bool = False):
    ctx: Context = info.context

    async def change(session: AsyncSession):
        me = _official_id(ctx)
        document = await _document(session, ctx, document_id)
        on_behalf_of_id = await find_optional(session, ctx, models.Official, on_behalf_of, "onBehalfOfId",
                                              county_id=document.county_id)
        row = await service.act(session, document_id=document.id, official_id=me, verdict=verdict,
                                opinion=opinion, circled=circled, on_behalf_of_id=on_behalf_of_id,
                                tables=ctx.tables, actor=ctx.actor)
        return s.AssignmentPayload(assignment=s.StepAssignment.from_row(row),
                                   document=(await _after_change(session, document.id)).document)

    return await _mutate(ctx, change)
