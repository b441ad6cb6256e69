"""The incoming flow through GraphQL: thin over services.incoming_requests; ids found through resolvers.lookup.find."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models, models_incoming
from db.models_supervision import SupervisionItem as Item
from domain.documents import Classification
from domain.incoming_requests import HANDLING_STATES, IncomingRules
from domain.supervision import SourceKind
from resolvers.context import Context, decode_id
from resolvers.documents import _official_id
from resolvers.lookup import find, find_ids, find_optional
from resolvers.meetings import arg
from resolvers.mutations import _mutate, _writable_county
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema.documents import Document
from schema.incoming_requests import (
    DraftReplyInput,
    DraftReplyPayload,
    DraftReplyResult,
    IncomingRequest,
    IncomingRequestFilter,
    IncomingRequestInput,
    IncomingRequestPayload,
    IncomingRequestResult,
    IncomingRequestRules,
    IncomingRequestRulesPayload,
    IncomingRequestRulesResult,
    InstructInput,
    LinkReplyInput,
    PassOnInput,
    ProposeHandlingInput,
    UpdateIncomingRequestRulesInput,
)
from schema.supervision import SupervisionItem
from schema.types import Connection, CountyArg
from services import incoming_requests as service

IR = models_incoming.IncomingRequest


async def visible_requests(info: Info, ids: list[int | None]) -> list[IncomingRequest | None]:
    """The requests by id, None where missing, of a county the caller may not read, or hidden from them
    (services.incoming_requests.visibility, the test the list applies too)."""
    ctx: Context = info.context
    rows = await ctx.loaders.rows(IR).load_many([i for i in ids if i is not None])
    rows = [row for row in rows if row is not None and ctx.can_read(row.county_id)]
    documents = await ctx.loaders.rows(models.Document).load_many([row.document_id for row in rows])
    found = {row.id: row for row, document in zip(rows, documents, strict=True)
             if document.classification == Classification.NONE}
    classified = defaultdict(list)
    for row in rows:
        if row.id not in found:
            classified[row.county_id].append(row.id)
    for county_id, candidates in classified.items():
        seen = await service.visible_ids(await ctx.session(), county_id=county_id, ids=candidates,
                                         official_id=ctx.principal.official_id, at=models.utcnow())
        found.update((row.id, row) for row in rows if row.id in seen)
    return [IncomingRequest.from_row(found[i]) if i in found else None for i in ids]


async def supervision_items_of(info: Info, request_id: int) -> list[SupervisionItem]:
    rows = await info.context.loaders.children(Item, Item.source_id).load(request_id)
    return [SupervisionItem.from_row(row) for row in rows if row.source_kind == SourceKind.INCOMING_REQUEST]


def _filtered(stmt: Select, filter: IncomingRequestFilter) -> Select:
    if filter.states is not None:
        stmt = stmt.where(IR.state.in_(filter.states))
    if filter.sending_unit_id is not None:
        stmt = stmt.where(IR.sending_department_id == decode_id(filter.sending_unit_id, "Department",
                                                                "filter.sendingUnitId"))
    if filter.registered is not None:
        stmt = stmt.where(IR.number.is_not(None) if filter.registered else IR.number.is_(None))
    if filter.waiting is not None:
        stmt = stmt.where(IR.state.in_(HANDLING_STATES) if filter.waiting else IR.state.not_in(HANDLING_STATES))
    if filter.overdue is not None:
        overdue = IR.state.in_(HANDLING_STATES) & (IR.due_at < models.utcnow())
        stmt = stmt.where(overdue if filter.overdue else ~overdue | IR.due_at.is_(None))
    return stmt


@strawberry.type
class IncomingRequestQueries:
    @strawberry.field(description="Requests and reports sent up to the county government (收文), latest first: the "
                                  "incoming register (registered), what still waits for an instruction (waiting), "
                                  "what is overdue, by state and by sending unit. A sending unit finds its own here.")
    async def incoming_requests(
            self, info: Info, county_id: CountyArg = None,
            filter: Annotated[IncomingRequestFilter | None,
                              arg("Which requests; all you may see when omitted.")] = None,
            first: PageSize = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[IncomingRequest]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        session = await ctx.session()
        stmt = (select(IR, models.Document).join(models.Document, models.Document.id == IR.document_id)
                .where(IR.county_id == county))
        stmt = stmt.where(await service.visibility(session, county_id=county, official_id=ctx.principal.official_id,
                                                   at=models.utcnow()))
        stmt = _filtered(stmt, filter or IncomingRequestFilter())

        def to_node(row) -> IncomingRequest:
            request, document = row
            ctx.loaders.prime(models.Document, [document])
            return IncomingRequest.from_row(request)

        return await paginate(session, stmt, order=[IR.received_at, IR.id], descending=True, first=first,
                              after=after, last=last, before=before, to_node=to_node)

    @strawberry.field(description="The county's settings for its incoming flow: the register's prefix and the "
                                  "handling limit, each with its article.")
    async def incoming_request_rules(self, info: Info, county_id: CountyArg = None) -> IncomingRequestRules:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        return IncomingRequestRules.from_rules(await service.rules_of(await ctx.session(), county_id=county))


async def _request(session: AsyncSession, ctx: Context, global_id: relay.GlobalID) -> models_incoming.IncomingRequest:
    return await find(session, ctx, IR, global_id, "requestId")


def _payload(row: models_incoming.IncomingRequest) -> IncomingRequestPayload:
    return IncomingRequestPayload(request=IncomingRequest.from_row(row))


def _office_step(function, description: str):
    """A mutation of the office's steps that takes only the request."""

    async def resolve(self, info: Info, input: Annotated[IncomingRequestInput, arg("The request.")],
                      ) -> IncomingRequestResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            request = await _request(session, ctx, input.request_id)
            return _payload(await function(session, request_id=request.id, official_id=me, tables=ctx.tables,
                                           actor=ctx.actor))

        return await _mutate(ctx, change)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class IncomingRequestMutations:
    register_incoming_request = _office_step(
        service.register, "Sign a request in (签收, 000 §44): it takes the next number of the county's yearly incoming "
                          "register, without gaps. The government office, as the signing table says.")
    present_incoming_request = _office_step(
        service.present, "Present the request and the office's proposal to the leader it names (呈批, 001 §31; 003 "
                         "§56): the leader gets the instruction to give.")
    close_incoming_request = _office_step(
        service.close, "Close an instructed request (办结): its instruction forwarded (转办, 003 §56), or its reply "
                       "signed.")

    @strawberry.mutation(description="The office's proposal (拟办, 001 §22, §31): how to handle the request; the leader "
                                      "to present it to follows from the county's signing table — the vice magistrate "
                                      "in charge of the sending unit, a major matter the magistrate.")
    async def propose_incoming_request_handling(self, info: Info, input: Annotated[
            ProposeHandlingInput, arg("The request and the proposal.")]) -> IncomingRequestResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            request = await _request(session, ctx, input.request_id)
            return _payload(await service.propose_handling(session, request_id=request.id, official_id=me,
                                                           opinion=input.opinion, tables=ctx.tables, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Pass a request with you on to another leader (转请, 001 §31), one the county's "
                                      "signing table lets instruct on it; who passed it, to whom, is recorded.")
    async def pass_on_incoming_request(self, info: Info, input: Annotated[
            PassOnInput, arg("The request and the leader.")]) -> IncomingRequestResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            request = await _request(session, ctx, input.request_id)
            to = await find(session, ctx, models.Official, input.to_official_id, "toOfficialId",
                            county_id=request.county_id)
            return _payload(await service.pass_on(session, request_id=request.id, official_id=me, to_official_id=to.id,
                                                  note=input.note, tables=ctx.tables, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="The leader's instruction (批示): a clear opinion, recorded with the name of who "
                                      "gave it and the full date (000 §48; 003 §57); in person, or covering for the "
                                      "leader (recorded with the route). May open a supervision item (督办).")
    async def instruct_incoming_request(self, info: Info, input: Annotated[
            InstructInput, arg("The request and the instruction.")]) -> IncomingRequestResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            request = await _request(session, ctx, input.request_id)
            order = None
            if input.supervise is not None:
                county = request.county_id
                order = service.SupervisionOrder(
                    lead_department_id=(await find(session, ctx, models.Department,
                                                   input.supervise.lead_department_id, "leadDepartmentId",
                                                   county_id=county)).id,
                    co_department_ids=await find_ids(session, ctx, models.Department,
                                                     input.supervise.co_department_ids, "coDepartmentIds",
                                                     county_id=county),
                    responsible_official_id=await find_optional(session, ctx, models.Official,
                                                                input.supervise.responsible_official_id,
                                                                "responsibleOfficialId", county_id=county),
                    working_days=input.supervise.working_days)
            return _payload(await service.instruct(session, request_id=request.id, official_id=me,
                                                   opinion=input.opinion, supervise=order, tables=ctx.tables,
                                                   actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Draft the reply (批复) to an instructed request as a document of its own, linked "
                                      "to it: you are its drafter; it goes through the chain the county's signing "
                                      "table gives it, like any document.")
    async def draft_incoming_request_reply(self, info: Info, input: Annotated[
            DraftReplyInput, arg("The request and the reply.")]) -> DraftReplyResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            request = await _request(session, ctx, input.request_id)
            reply = await service.draft_reply(session, request_id=request.id, official_id=me, title=input.title,
                                              body=input.body, issuer=input.issuer, tables=ctx.tables,
                                              actor=ctx.actor)
            return DraftReplyPayload(request=IncomingRequest.from_row(await session.get(IR, request.id)),
                                     reply=Document.from_row(reply))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Link a reply drafted on its own (a document of genre REPLY of this county) to an "
                                      "instructed request.")
    async def link_incoming_request_reply(self, info: Info, input: Annotated[
            LinkReplyInput, arg("The request and the reply.")]) -> IncomingRequestResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            me = _official_id(ctx)
            request = await _request(session, ctx, input.request_id)
            reply = await find(session, ctx, models.Document, input.document_id, "documentId",
                               county_id=request.county_id)
            return _payload(await service.link_reply(session, request_id=request.id, official_id=me,
                                                     document_id=reply.id, tables=ctx.tables, actor=ctx.actor))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change the county's settings for its incoming flow (the county administrator; "
                                      "audited): the register's prefix, the handling limit and what it does not bind, "
                                      "each with its article.")
    async def update_incoming_request_rules(self, info: Info, input: Annotated[
            UpdateIncomingRequestRulesInput, arg("The settings.")]) -> IncomingRequestRulesResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county = await _writable_county(session, ctx, input.county_id, "incoming_request_rules")
            rules = await service.update_rules(session, county_id=county, actor=ctx.actor, rules=IncomingRules(
                number_prefix=input.number_prefix, number_article=input.number_article,
                handling_working_days=input.handling_working_days,
                handling_exempt_flags=frozenset(input.handling_exempt_flags),
                handling_article=input.handling_article))
            return IncomingRequestRulesPayload(rules=IncomingRequestRules.from_rules(rules))

        return await _mutate(ctx, change)
