"""Subscriptions over graphql-transport-ws: the live inbox."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field

import strawberry
from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types import Info
from strawberry.types.graphql import OperationType

from db import models
from db.engine import ReadSession
from domain.documents import Route
from domain.errors import TopLevelCode
from resolvers.context import SIGN_IN_EXPIRED, Context, public_error
from resolvers.loaders import Loaders
from resolvers.meetings_inbox import MeetingEvent, meeting_event
from schema import documents as s
from schema.labels import labelled_enum
from schema.types import Official
from services import documents as documents_service
from services.auth import TokenExpired, authenticate
from services.events import EventHub, InboxEventKind, MeetingEventKind
from services.events import InboxEvent as Event
from services.inbox import covered_now

InboxEventKindEnum = labelled_enum(InboxEventKind, name="InboxEventKind", description="What changed in an inbox.")

# The reads of the event a subscription is delivering, per operation task: set while the event's
# fields resolve, so they read afresh and no other operation on the socket shares the session.
_event_reads: contextvars.ContextVar[Context | None] = contextvars.ContextVar("event_reads", default=None)


@dataclass
class SocketContext(Context):
    """A WebSocket connection's context, shared by every operation on the socket.

    The principal comes from the connection_init payload (server.QianfaGraphQL.on_ws_connect), not
    from the upgrade's headers, which browsers cannot set.
    """

    hub: EventHub | None = None
    bearer: str | None = field(default=None, repr=False)
    connection_params: dict | None = field(default=None, repr=False)  # set by strawberry on connection_init

    async def session(self) -> ReadSession:
        reads = _event_reads.get()
        return await (reads.session() if reads is not None else super().session())

    @property
    def loaders(self) -> Loaders:
        # A socket lives for hours: DataLoaders cached for its lifetime would serve stale rows.
        reads = _event_reads.get()
        return reads.loaders if reads is not None else super().loaders

    @contextlib.asynccontextmanager
    async def event_reads(self) -> AsyncIterator[None]:
        """A fresh session and DataLoaders for one event, closed when the block ends."""
        reads = Context(settings=self.settings, sessions=self.sessions, read_sessions=self.read_sessions,
                        access=self.access, tables=self.tables, rosters=self.rosters,
                        principal=self.principal, request_id=self.request_id, request=self.request,
                        response=self.response)
        _event_reads.set(reads)
        try:
            yield
        finally:
            _event_reads.set(None)
            await reads.close()


@strawberry.type(description="A change to your inbox, or to the inbox of someone you cover for at that moment.")
class InboxEvent:
    kind: InboxEventKindEnum = strawberry.field(description="What changed.")
    document: s.Document = strawberry.field(description="The document concerned.")
    at: dt.datetime = strawberry.field(description="When it changed.")
    note: str = strawberry.field(description="Why: the reason for a return, a reminder's text; else empty.")
    route: s.RouteEnum = strawberry.field(description="DIRECT when it is your inbox; else how you came to cover.")
    step_row_id: strawberry.Private[int | None]
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field(description="The step concerned; null when the document went back to its drafter, "
                                  "or for the office's reminder to issue it (001 §22).")
    async def step(self, info: Info) -> s.ChainStep | None:
        if self.step_row_id is None:
            return None
        return s.ChainStep.from_row(await info.context.loaders.rows(models.ChainStep).load(self.step_row_id))

    @strawberry.field(description="Whose inbox it is when you receive it by cover.")
    async def on_behalf_of(self, info: Info) -> Official | None:
        if self.on_behalf_of_id is None:
            return None
        return Official.from_row(await info.context.loaders.official.load(self.on_behalf_of_id))


class SubscriptionsOverSockets(SchemaExtension):
    """Plain HTTP would run a subscription like a query and answer null: refuse it with a reason."""

    def on_execute(self):
        context = self.execution_context
        if context.operation_type == OperationType.SUBSCRIPTION and not isinstance(context.context, SocketContext):
            context.result = ExecutionResult(None, [public_error(
                TopLevelCode.BAD_REQUEST, "Subscribe over a WebSocket (graphql-transport-ws).")])
        yield


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Live changes to your inbox and to the inboxes of those you cover for "
                                         "at the moment each change happens. Over graphql-transport-ws, signed in "
                                         "by connection_init {authorization: \"Bearer <token>\"}.")
    async def inbox_events(self, info: Info) -> AsyncGenerator[InboxEvent, None]:
        ctx: SocketContext = info.context  # SubscriptionsOverSockets refuses anything else
        principal = ctx.require_principal()
        if principal.official_id is None:
            raise public_error(TopLevelCode.FORBIDDEN, "This account is not an official's; it has no inbox.")
        with ctx.hub.subscribe(county_id=principal.county_id, official_id=principal.official_id) as inbox:
            while True:
                event = await inbox.get()
                async with ctx.event_reads():
                    delivered = await _for_subscriber(ctx, event, principal.official_id)
                    if delivered is not None:
                        yield delivered

    @strawberry.subscription(description="Live news of your meetings: a notice or supplementary notice sent, a "
                                         "meeting cancelled, an agenda item now waiting for you. Over "
                                         "graphql-transport-ws, signed in as for inboxEvents.")
    async def meeting_events(self, info: Info) -> AsyncGenerator[MeetingEvent, None]:
        ctx: SocketContext = info.context
        principal = ctx.require_principal()
        if principal.official_id is None:
            raise public_error(TopLevelCode.FORBIDDEN, "This account is not an official's; it has no inbox.")
        with ctx.hub.subscribe(county_id=principal.county_id, official_id=principal.official_id) as inbox:
            while True:
                event = await inbox.get()
                if not isinstance(event.kind, MeetingEventKind) or event.official_id != principal.official_id:
                    continue  # a document's or a duty's event, or someone else's
                async with ctx.event_reads():
                    await still_signed_in(ctx, await ctx.session())
                    delivered = await meeting_event(info, event)
                    if delivered is not None:
                        yield delivered


async def still_signed_in(ctx: SocketContext, session) -> None:
    """The socket was signed in once; a token revoked or expired since then stops the feed."""
    try:
        signed_in = await authenticate(session, bearer=ctx.bearer, secret_key=ctx.settings.secret_key) is not None
    except TokenExpired:
        raise public_error(TopLevelCode.TOKEN_EXPIRED, SIGN_IN_EXPIRED) from None
    if not signed_in:
        raise public_error(TopLevelCode.UNAUTHENTICATED,
                           "Your sign-in was revoked or its account disabled; reconnect with a new token.")


async def receiving_route(ctx: SocketContext, session, event: Event, me: int) -> tuple[Route, int | None] | None:
    """How ``me`` receives an event raised for ``event.official_id``: (DIRECT, None) when it is theirs, (the cover
    route, whose it is) when they cover for that official as the event arrives — read afresh, since cover changes
    while the socket listens — else None."""
    if event.official_id == me:
        return Route.DIRECT, None
    covered = await covered_now(session, county_id=event.county_id, official_id=me, at=models.utcnow(),
                                rosters=ctx.rosters, roster_version=None)
    if event.official_id not in covered:
        return None
    return covered[event.official_id], event.official_id


async def _for_subscriber(ctx: SocketContext, event: Event, me: int) -> InboxEvent | None:
    """The event as this subscriber sees it, or None when it is not theirs (now) or not for their eyes."""
    if event.document_id is None:  # a meeting's or a duty's event: meetingEvents and dutyEvents deliver those
        return None
    session = await ctx.session()
    standing = await receiving_route(ctx, session, event, me)
    if standing is None:
        return None
    route, on_behalf_of = standing
    await still_signed_in(ctx, session)
    document = await session.get(models.Document, event.document_id)
    if document is None:
        return None
    # Classified documents: shown to those who may see them — or whose cover brings the item to them,
    # as the inbox does.
    readers = [me] if on_behalf_of is None else [me, on_behalf_of]
    for reader in readers:
        if await documents_service.can_see(session, document=document, official_id=reader, at=models.utcnow()):
            return InboxEvent(kind=event.kind, document=s.Document.from_row(document), at=event.at, note=event.note,
                              route=route, step_row_id=event.step_id, on_behalf_of_id=on_behalf_of)
    return None
