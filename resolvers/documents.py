"""Documents in GraphQL: drafting, the chain, the actions, the inbox, explanations."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode
from domain.roster import local_date
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find, find_ids, find_optional
from resolvers.mutations import _mutate
from resolvers.pagination import paginate
from schema import documents as s
from schema.mutations import MutationError
from schema.types import Connection, CoverResolution
from services import documents as service
from services import inbox as inbox_service
from services.cover import roster_at
from domain.cover import who_acts_for

PageSize = Annotated[int | None, strawberry.argument(description="Page size, at most 100.")]


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


async def predicted_chain(info: Info, document: models.Document) -> list[s.PredictedStep]:
    ctx: Context = info.context
    session = await ctx.session()
    now = models.utcnow()
    try:
        staffed = await service.plan_for(session, document=document, tables=ctx.tables, at=now)
    except DomainError as error:
        raise public_error(error.code.value.upper(), error.message) from None
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


@strawberry.enum(description="Whose items: yours (and those you cover for now), or the county's (the office).")
class InboxScope(enum.Enum):
    MINE = "mine"
    COUNTY = "county"


@strawberry.type
class DocumentQueries:
    @strawberry.field(description="Documents you may see, newest first; classified ones only if on their chain.")
    async def documents(self, info: Info, state: s.DocumentStateEnum | None = None, genre: s.GenreEnum | None = None,
                        urgent: bool | None = None, overdue: bool = False, first: PageSize = None,
                        after: str | None = None) -> Connection[s.Document]:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        session = await ctx.session()
        stmt = select(models.Document).where(models.Document.county_id == county_id)
        if state is not None:
            stmt = stmt.where(models.Document.state == state)
        if genre is not None:
            stmt = stmt.where(models.Document.genre == genre)
        if urgent is not None:
            stmt = stmt.where(models.Document.urgent.is_(urgent))
        if overdue:
            stmt = stmt.where(inbox_service.has_overdue_step(models.utcnow()))
        stmt = inbox_service.visible_to(stmt, official_id=ctx.principal.official_id,
                                        sees_everything=await _sees_everything(ctx, session, county_id))
        return await paginate(session, stmt, order=[models.Document.id], first=first, after=after,
                              to_node=s.Document.from_row)

    @strawberry.field(description="What waits for you — including for those you cover for right now.")
    async def inbox(self, info: Info, scope: InboxScope = InboxScope.MINE, urgent: bool | None = None,
                    genre: s.GenreEnum | None = None, overdue: bool | None = None, first: PageSize = None,
                    after: str | None = None) -> Connection[s.InboxItem]:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        session = await ctx.session()
        me = ctx.require_principal().official_id
        if scope == InboxScope.COUNTY:
            if not await _sees_everything(ctx, session, county_id):
                raise public_error("FORBIDDEN", "The county-wide inbox is the government office's.")
            routes, assignees = {}, None
        else:
            if me is None:
                raise public_error("FORBIDDEN", "This account is not an official's; it has no inbox.")
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
        connection = await paginate(session, stmt, order=[models.StepAssignment.id], first=first, after=after,
                                    to_node=lambda row: row)
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
    async def explain(self, info: Info, document_id: relay.GlobalID, action: s.ActionEnum,
                      official_id: relay.GlobalID | None = None) -> s.Explanation:
        ctx: Context = info.context
        session = await ctx.session()
        [document] = await visible_documents(info, [_decoded(document_id, "Document")])
        if document is None:
            raise public_error("NOT_FOUND", "No such document.")
        if official_id is None:
            who = ctx.require_principal().official_id
            if who is None:
                raise public_error("BAD_REQUEST", "Name the official: this account is not an official's.")
        else:
            who = _decoded(official_id, "Official")
            official = await ctx.loaders.official.load(who)
            if official is None or official.county_id != document.county_id:
                raise public_error("NOT_FOUND", "No such official in this county.")
        result = await service.explain(session, document_id=document.id, official_id=who, action=action,
                                       tables=ctx.tables)
        return s.Explanation(allowed=result.allowed, reason=result.reason, route=result.route,
                             rule=s.RuleCitation(rule=result.rule, article=result.article) if result.rule else None,
                             on_behalf_of_id=result.on_behalf_of_id)


def _decoded(global_id: relay.GlobalID, type_name: str) -> int:
    try:
        return decode_id(global_id, type_name, "id")
    except DomainError as error:
        raise public_error("BAD_USER_INPUT", error.message) from None


DocumentResult = Annotated[s.DocumentPayload | MutationError, strawberry.union("DocumentResult")]
AssignmentResult = Annotated[s.AssignmentPayload | MutationError, strawberry.union("AssignmentResult")]


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
        addressed_to_id=await official(draft.addressed_to_id, "addressedToId"),
        leader_assigned=draft.leader_assigned, departmental_matter=draft.departmental_matter,
        meeting_chair_id=await official(draft.meeting_chair_id, "meetingChairId"),
        standing_meeting_on=draft.standing_meeting_on,
        attachments=[{"name": a.name, "media_type": a.media_type, "size_bytes": a.size_bytes, "sha256": a.sha256}
                     for a in draft.attachments],
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
    async def create_draft(self, info: Info, input: s.DraftInput) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            fields = await _draft_fields(session, ctx, input, ctx.require_principal().county_id)
            row = await service.create_draft(session, drafted_by_id=me, fields=fields, actor=ctx.actor)
            return s.DocumentPayload(document=s.Document.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation
    async def update_draft(self, info: Info, input: s.UpdateDraftInput) -> DocumentResult:
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
                                     "per request, no requests inside reports, not to a leader personally, "
                                     "departmental matters issued by the department), then routed by the "
                                     "county's signing table.")
    async def submit_document(self, info: Info, input: s.DocumentInput) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.submit(session, document_id=document.id, official_id=me, tables=ctx.tables,
                                 actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Approve the step waiting for you (or someone you cover for).")
    async def approve_step(self, info: Info, input: s.ApproveInput) -> AssignmentResult:
        return await _act(info, input.document_id, service.Verdict.APPROVE, opinion=input.opinion,
                          circled=input.circled, on_behalf_of=input.on_behalf_of_id)

    @strawberry.mutation(description="Co-sign or review with a dissent; the reasons travel with the document.")
    async def dissent(self, info: Info, input: s.DissentInput) -> AssignmentResult:
        return await _act(info, input.document_id, service.Verdict.DISSENT, opinion=input.reasons,
                          on_behalf_of=input.on_behalf_of_id)

    @strawberry.mutation(description="Sign (签发) — or countersign (补签) a document issued on your oral consent.")
    async def sign_document(self, info: Info, input: s.SignInput) -> AssignmentResult:
        return await _act(info, input.document_id, service.Verdict.SIGN, opinion=input.opinion,
                          on_behalf_of=input.on_behalf_of_id)

    @strawberry.mutation(description="Urgent, the signer unreachable: issue on their oral consent, they countersign.")
    async def sign_urgently(self, info: Info, input: s.SignUrgentlyInput) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.urgent_sign(session, document_id=document.id, official_id=me,
                                      consent_note=input.consent_note, tables=ctx.tables, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Send back to an earlier step, or to the drafter.")
    async def return_document(self, info: Info, input: s.ReturnDocumentInput) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.return_document(session, document_id=document.id, official_id=me,
                                          reason=input.reason, to_position=input.to_step, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Take back your last action before the next person acts.")
    async def withdraw(self, info: Info, input: s.DocumentInput) -> DocumentResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            document = await _document(session, ctx, input.document_id)
            await service.withdraw(session, document_id=document.id, official_id=me, actor=ctx.actor)
            return await _after_change(session, document.id)

        return await _mutate(ctx, change)

    @strawberry.mutation(description="The government office moves a waiting assignment to someone else.")
    async def reassign_step(self, info: Info, input: s.ReassignInput) -> AssignmentResult:
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
