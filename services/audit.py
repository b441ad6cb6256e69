"""The append-only audit trail, hash-chained per county (and one system-level trail, county None).

Each event's hash covers its content and the previous event's hash, so editing or deleting
any past row breaks every later link.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import locked_row
from db.models import AuditEvent, County, utcnow

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who made a change, as the audit trail records it."""

    account_id: int | None
    request_id: str | None = None


def as_record(row) -> dict:
    """A row's columns as the audit trail stores them (before/after images)."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return str(value)


def event_hash(*, prev_hash: str, county_id: int | None, seq: int, at: dt.datetime, actor_account_id: int | None,
               action: str, entity: str, entity_id: int | None, before, after, request_id: str | None) -> str:
    body = _canonical(
        [prev_hash, county_id, seq, at.astimezone(dt.timezone.utc).isoformat(), actor_account_id,
         action, entity, entity_id, before, after, request_id]
    )
    return hashlib.sha256(body.encode()).hexdigest()


# The system-level trail (county_id NULL) has no county row to lock: writers of it queue on this
# PostgreSQL advisory lock instead ("qianfa" in ASCII; services.deadlines uses another key).
SYSTEM_TRAIL_LOCK = 0x7169616E6661


async def lock_trail(session: AsyncSession, *, county_id: int | None) -> None:
    """Serialise the writers of one audit trail — a county's, or the system's — until commit.

    Writers take it before their first insert, so every transaction takes its locks in one order
    (trail, then rows) and none waits for a lock another holds while holding one that one wants.
    SQLite transactions already start as the one writer (db.engine).
    """
    if county_id is not None:
        await locked_row(session, County, county_id)
    elif session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYSTEM_TRAIL_LOCK})


async def record(
    session: AsyncSession,
    *,
    county_id: int | None,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event, holding the trail's write lock so two writers cannot take the same ``seq``."""
    # Re-taking a lock the transaction holds already is free; most callers have it from the start.
    await lock_trail(session, county_id=county_id)
    last = (
        await session.execute(
            select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.county_id.is_(None) if county_id is None else AuditEvent.county_id == county_id)
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
    ).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    # JSON round trip so the hash is computed over exactly what the database stores.
    before = json.loads(_canonical(before)) if before is not None else None
    after = json.loads(_canonical(after)) if after is not None else None
    at = utcnow().replace(microsecond=0)
    event = AuditEvent(
        county_id=county_id, seq=seq, at=at, actor_account_id=actor.account_id, action=action,
        entity=entity, entity_id=entity_id, before=before, after=after, request_id=actor.request_id,
        prev_hash=prev_hash,
        hash=event_hash(prev_hash=prev_hash, county_id=county_id, seq=seq, at=at,
                        actor_account_id=actor.account_id, action=action, entity=entity,
                        entity_id=entity_id, before=before, after=after, request_id=actor.request_id),
    )
    session.add(event)
    await session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    events: int
    first_broken_seq: int | None
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


async def verify_chain(session: AsyncSession, *, county_id: int | None) -> ChainCheck:
    """Recompute every link of a county's trail; name the first event whose hash or link is wrong."""
    rows = (await session.execute(
        select(AuditEvent)
        .where(AuditEvent.county_id.is_(None) if county_id is None else AuditEvent.county_id == county_id)
        .order_by(AuditEvent.seq)
    )).scalars()
    expected_prev, expected_seq, count = GENESIS, 1, 0
    for event in rows:
        count += 1
        if event.seq != expected_seq:
            return ChainCheck(count, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainCheck(count, event.seq, "does not link to the event before it")
        recomputed = event_hash(prev_hash=event.prev_hash, county_id=event.county_id, seq=event.seq, at=event.at,
                                actor_account_id=event.actor_account_id, action=event.action, entity=event.entity,
                                entity_id=event.entity_id, before=event.before, after=event.after,
                                request_id=event.request_id)
        if recomputed != event.hash:
            return ChainCheck(count, event.seq, "its content no longer matches its hash")
        expected_prev, expected_seq = event.hash, expected_seq + 1
    return ChainCheck(count, None, None)
