"""Inbox events: published inside a transaction, delivered after it commits, to every server process.

On PostgreSQL an event is a NOTIFY on ``CHANNEL``: NOTIFY is transactional, so listeners hear it
only once the change has committed, and every process's PgListener hands it to that process's
EventHub (server.py). SQLite is one process, so an event waits in the session for the commit and
then goes straight to the hubs serving that database in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import event as sa_event
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("qianfa.events")

CHANNEL = "qianfa_inbox"
# A subscriber this far behind loses its oldest events rather than grow without bound.
QUEUE_SIZE = 100
# NOTIFY payloads stop at 8000 bytes; a note is a reason or a reminder, not a document.
MAX_NOTE_CHARS = 1000
# SQLite: the events a session's transaction has published, kept in ``Session.info`` until it ends.
_PENDING = "qianfa.inbox_events"


class InboxEventKind(enum.Enum):
    NEW_ITEM = "new_item"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    REMINDER = "reminder"
    DEEMED_CONSENT = "deemed_consent"


class MeetingEventKind(enum.Enum):
    """A meeting's news for the people at it (services.meetings_inbox)."""

    NOTICE = "meeting_notice"
    SUPPLEMENTARY_NOTICE = "meeting_supplementary_notice"
    CANCELLED = "meeting_cancelled"
    ITEM_AWAITS = "agenda_item_awaits"


class DutyEventKind(enum.Enum):
    """A duty's news for the official whose duty it is (services.duties)."""

    NEW_DUTY = "duty_new"
    REMINDER = "duty_reminder"
    ESCALATED = "duty_escalated"
    SETTLED = "duty_settled"


_KINDS = {kind.value: kind for kinds in (InboxEventKind, MeetingEventKind, DutyEventKind) for kind in kinds}


@dataclass(frozen=True)
class InboxEvent:
    """A document's event (``document_id``), a meeting's or an agenda item's, or a duty's (``duty_id``)."""

    kind: InboxEventKind | MeetingEventKind | DutyEventKind
    county_id: int
    official_id: int  # whose inbox changed: the assignee by office
    document_id: int | None
    step_id: int | None
    at: dt.datetime  # aware UTC
    note: str = ""
    meeting_id: int | None = None
    item_id: int | None = None
    duty_id: int | None = None
    subject_kind: str | None = None  # a duty's subject (domain.duties.SubjectKind value) and its id
    subject_id: int | None = None

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind.value, "county_id": self.county_id, "official_id": self.official_id,
                           "document_id": self.document_id, "step_id": self.step_id, "at": self.at.isoformat(),
                           "note": self.note[:MAX_NOTE_CHARS], "meeting_id": self.meeting_id,
                           "item_id": self.item_id, "duty_id": self.duty_id,
                           "subject_kind": self.subject_kind, "subject_id": self.subject_id}, ensure_ascii=False)

    @classmethod
    def from_json(cls, payload: str) -> InboxEvent:
        fields = json.loads(payload)
        return cls(kind=_KINDS[fields["kind"]], county_id=fields["county_id"],
                   official_id=fields["official_id"], document_id=fields["document_id"], step_id=fields["step_id"],
                   at=dt.datetime.fromisoformat(fields["at"]), note=fields["note"],
                   meeting_id=fields.get("meeting_id"), item_id=fields.get("item_id"),
                   duty_id=fields.get("duty_id"), subject_kind=fields.get("subject_kind"),
                   subject_id=fields.get("subject_id"))


async def publish(session: AsyncSession, event: InboxEvent) -> None:
    """Deliver after the session's transaction commits (never if it rolls back), to every server process."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, :payload)"),
                              {"channel": CHANNEL, "payload": event.to_json()})
        return
    sync_session = session.sync_session
    pending = sync_session.info.get(_PENDING)
    if pending is None:
        pending = sync_session.info[_PENDING] = []
        sa_event.listen(sync_session, "after_commit", _deliver_pending)
        sa_event.listen(sync_session, "after_transaction_end", _drop_pending)
    pending.append(event)


def _deliver_pending(sync_session: Session) -> None:
    events = sync_session.info.pop(_PENDING, [])
    for hub in tuple(_local_hubs.get(_key(sync_session.bind), ())):
        for event in events:
            hub.deliver(event)


def _drop_pending(sync_session: Session, transaction: SessionTransaction) -> None:
    # After a commit the list is already gone; after a rollback (or a close) it is discarded.
    if transaction.parent is None:
        sync_session.info.pop(_PENDING, None)


# SQLite only: the hubs serving each database file in this process, keyed by engine URL. Several
# apps may share a file in one process (the tests run a threaded server beside the in-process app),
# and each one's subscribers must hear every commit, as every process does through NOTIFY.
_local_hubs: dict[str, set[EventHub]] = {}


def _key(engine) -> str:
    return engine.url.render_as_string(hide_password=True)


class Inbox:
    """One subscriber's queue of events not yet taken."""

    def __init__(self, *, county_id: int, official_id: int, size: int) -> None:
        self.county_id = county_id
        self.official_id = official_id
        self._queue: asyncio.Queue[InboxEvent] = asyncio.Queue(size)

    def put(self, event: InboxEvent) -> None:
        if self._queue.full():
            dropped = self._queue.get_nowait()
            log.warning("inbox subscriber fell behind; dropped its oldest event",
                        extra={"official_id": self.official_id, "county_id": self.county_id,
                               "dropped_kind": dropped.kind.value, "dropped_document_id": dropped.document_id})
        self._queue.put_nowait(event)

    async def get(self) -> InboxEvent:
        return await self._queue.get()


class EventHub:
    """This process's live subscribers, by county; every event of a county reaches each of them.

    Subscribers decide for themselves, when an event arrives, whether it is theirs (their own
    inbox, or the inbox of someone they cover for at that moment): cover changes while they listen.
    """

    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self._queue_size = queue_size
        self._by_county: dict[int, set[Inbox]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._engine_key: str | None = None

    def open(self, engine: AsyncEngine) -> None:
        """Start serving on the running loop (the app's lifespan); on SQLite, hear this process's commits."""
        self._loop = asyncio.get_running_loop()
        if engine.dialect.name == "sqlite":
            self._engine_key = _key(engine)
            _local_hubs.setdefault(self._engine_key, set()).add(self)

    def close(self) -> None:
        if self._engine_key is not None:
            _local_hubs.get(self._engine_key, set()).discard(self)
            self._engine_key = None
        self._loop = None

    def deliver(self, event: InboxEvent) -> None:
        """Hand an event to the subscribers; callable from any thread (a commit may happen on another)."""
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._fan_out, event)

    def _fan_out(self, event: InboxEvent) -> None:
        for inbox in tuple(self._by_county.get(event.county_id, ())):
            inbox.put(event)

    @contextlib.contextmanager
    def subscribe(self, *, county_id: int, official_id: int) -> Iterator[Inbox]:
        """A queue of the county's events until the block ends (the subscriber disconnected or stopped)."""
        inbox = Inbox(county_id=county_id, official_id=official_id, size=self._queue_size)
        self._by_county.setdefault(county_id, set()).add(inbox)
        try:
            yield inbox
        finally:
            subscribers = self._by_county[county_id]
            subscribers.discard(inbox)
            if not subscribers:
                del self._by_county[county_id]

    @property
    def subscribers(self) -> int:
        return sum(len(inboxes) for inboxes in self._by_county.values())
