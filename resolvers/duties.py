"""Duties in GraphQL: what office work waits for you (and for those you cover for now), and its news, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from sqlalchemy import or_
from strawberry.types import Info

from db import models
from db.models_duties import Duty as DutyRow
from domain.documents import Route
from domain.duties import SubjectKind
from domain.errors import TopLevelCode
from resolvers.context import Context, public_error
from resolvers.pagination import After, Before, Last, PageSize, paginate
from resolvers.subscriptions import SocketContext, receiving_route, still_signed_in
from schema.duties import Duty, DutyEvent, DutyScope, SubjectKindEnum, covered_by
from schema.types import Connection
from services import duties as service
from services.events import DutyEventKind
from services.events import InboxEvent as Event

NOT_AN_OFFICIAL = "This account is not an official's; no duties wait for it."


@strawberry.type
class DutyQueries:
    @strawberry.field(description="Open duties waiting for you — and, as the scope says, for those you cover for "
                                  "right now — longest waiting first.")
    async def duties(self, info: Info,
                     scope: Annotated[DutyScope, strawberry.argument(
                         description="Whose: yours (MINE), those of the people you cover for now (COVERED), or "
                                     "both (ALL_I_ACT_FOR, when omitted).")] = DutyScope.ALL_I_ACT_FOR,
                     subject_kind: Annotated[SubjectKindEnum | None, strawberry.argument(
                         description="Only duties about this kind of subject.")] = None,
                     overdue: Annotated[bool | None, strawberry.argument(
                         description="true: only duties past their due time; false: only the others (no time "
                                     "limit, or not yet due); all when omitted.")] = None,
                     first: PageSize = None, after: After = None, last: Last = None,
                     before: Before = None) -> Connection[Duty]:
        ctx: Context = info.context
        county_id = ctx.readable_county(None)
        me = ctx.require_principal().official_id
        if me is None:
            raise public_error(TopLevelCode.FORBIDDEN, NOT_AN_OFFICIAL)
        session = await ctx.session()
        covered = {} if scope == DutyScope.MINE else await covered_by(info, me)
        owners = {DutyScope.MINE: {me}, DutyScope.COVERED: set(covered),
                  DutyScope.ALL_I_ACT_FOR: {me, *covered}}[scope]
        # Each duty with its official, in one statement, for official/onBehalfOf to read from the loader.
        stmt = (service.open_for(county_id=county_id, official_ids=owners).order_by(None)
                .add_columns(models.Official).join(models.Official, models.Official.id == DutyRow.official_id))
        if subject_kind is not None:
            stmt = stmt.where(DutyRow.subject_kind == subject_kind)
        if overdue is not None:
            now = models.utcnow()
            stmt = stmt.where(DutyRow.due_at < now if overdue else or_(DutyRow.due_at.is_(None), DutyRow.due_at >= now))
        connection = await paginate(session, stmt, order=[DutyRow.created_at, DutyRow.id], first=first, after=after,
                                    last=last, before=before, to_node=lambda row: row)
        ctx.loaders.prime(models.Official, (official for _duty, official in (edge.node for edge in connection.edges)))
        for edge in connection.edges:
            duty, _official = edge.node
            edge.node = Duty.from_row(duty, route=Route.DIRECT if duty.official_id == me else covered[duty.official_id])
        return connection


@strawberry.type
class DutySubscription:
    @strawberry.subscription(description="Live news of your duties and of the duties of those you cover for at the "
                                         "moment each happens: a new duty, a reminder, an escalation, a duty "
                                         "settled. Over graphql-transport-ws, signed in as for inboxEvents.")
    async def duty_events(self, info: Info) -> AsyncGenerator[DutyEvent, None]:
        ctx: SocketContext = info.context  # SubscriptionsOverSockets refuses anything else
        principal = ctx.require_principal()
        if principal.official_id is None:
            raise public_error(TopLevelCode.FORBIDDEN, NOT_AN_OFFICIAL)
        with ctx.hub.subscribe(county_id=principal.county_id, official_id=principal.official_id) as inbox:
            while True:
                event = await inbox.get()
                if not isinstance(event.kind, DutyEventKind):
                    continue  # a document's or a meeting's event: inboxEvents and meetingEvents deliver those
                async with ctx.event_reads():
                    delivered = await _for_subscriber(ctx, event, principal.official_id)
                    if delivered is not None:
                        yield delivered


async def _for_subscriber(ctx: SocketContext, event: Event, me: int) -> DutyEvent | None:
    """The event as this subscriber sees it, or None when it is not theirs, nor (now) of anyone they cover for."""
    session = await ctx.session()
    standing = await receiving_route(ctx, session, event, me)
    if standing is None:
        return None
    route, on_behalf_of = standing
    await still_signed_in(ctx, session)
    duty = None
    if event.duty_id is not None:
        row = await session.get(DutyRow, event.duty_id)
        if row is None:
            return None
        duty = Duty.from_row(row, route=route)
    return DutyEvent(kind=event.kind, duty=duty, subject_kind=SubjectKind(event.subject_kind), at=event.at,
                     note=event.note, route=route, subject_row_id=event.subject_id, on_behalf_of_id=on_behalf_of)
