"""Retries that change nothing twice: the first answer to a request with an Idempotency-Key is kept.

The key is claimed (a unique row) before the request runs, so two copies arriving together cannot
both run: the second waits for the first answer or is told to retry. A key reused with a different
request is refused.

A claim is a lease: if its request has not answered within it (the process died mid-request, say),
a retry takes the claim over and runs the request. Keys are forgotten ``lifetime`` after their first
request: a late retry then runs afresh, and ``purge_expired`` deletes them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from db.models import IdempotentRequest, utcnow

log = logging.getLogger("qianfa.idempotency")

MAX_KEY_LENGTH = 200


class Claim(enum.Enum):
    NEW = "new"
    REPLAY = "replay"
    IN_PROGRESS = "in_progress"
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    status_code: int | None = None
    body: str | None = None


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


async def claim(sessions, *, account_id: int, key: str, request_digest: str, lease: dt.timedelta,
                lifetime: dt.timedelta) -> Outcome:
    now = utcnow()
    ours = (IdempotentRequest.account_id == account_id) & (IdempotentRequest.key == key)
    try:
        async with sessions() as session, session.begin():
            # A key past its lifetime is forgotten: the request runs as if the key were new.
            await session.execute(delete(IdempotentRequest).where(ours, IdempotentRequest.created_at < now - lifetime))
            session.add(IdempotentRequest(account_id=account_id, key=key, request_digest=request_digest,
                                          created_at=now))
        return Outcome(Claim.NEW)
    except IntegrityError:
        pass
    async with sessions() as session, session.begin():
        first = (await session.execute(select(IdempotentRequest).where(ours))).scalar_one_or_none()
        if first is None:
            # Completed-and-forgotten or released between our insert and this read: the retry may run.
            return Outcome(Claim.IN_PROGRESS)
        if first.request_digest != request_digest:
            return Outcome(Claim.MISMATCH)
        if first.status_code is not None:
            return Outcome(Claim.REPLAY, first.status_code, first.response_body)
        if first.created_at >= now - lease:
            return Outcome(Claim.IN_PROGRESS)
        # The request holding the claim died without answering. Take the claim over, unless another
        # retry took it first (the guard on created_at makes the takeover happen once).
        taken = await session.execute(update(IdempotentRequest).where(
            IdempotentRequest.id == first.id, IdempotentRequest.status_code.is_(None),
            IdempotentRequest.created_at == first.created_at,
        ).values(created_at=now))
    return Outcome(Claim.NEW) if taken.rowcount == 1 else Outcome(Claim.IN_PROGRESS)


async def complete(sessions, *, account_id: int, key: str, status_code: int, body: str) -> None:
    async with sessions() as session, session.begin():
        await session.execute(update(IdempotentRequest).where(
            IdempotentRequest.account_id == account_id, IdempotentRequest.key == key,
        ).values(status_code=status_code, response_body=body))


async def release(sessions, *, account_id: int, key: str) -> None:
    """The request failed before answering: let a retry run it afresh."""
    async with sessions() as session, session.begin():
        await session.execute(delete(IdempotentRequest).where(
            IdempotentRequest.account_id == account_id, IdempotentRequest.key == key))


async def purge_expired(sessions, *, lifetime: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Forget every key first used more than ``lifetime`` ago; how many were."""
    async with sessions() as session, session.begin():
        purged = await session.execute(delete(IdempotentRequest).where(
            IdempotentRequest.created_at < (now or utcnow()) - lifetime))
    return purged.rowcount


async def run_purger(sessions, *, lifetime: dt.timedelta, every_seconds: float) -> None:
    """The server's background purge of expired keys, beside the deadline sweeper."""
    while True:
        try:
            purged = await purge_expired(sessions, lifetime=lifetime)
            if purged:
                log.info("idempotency keys purged", extra={"purged": purged})
        except Exception:  # noqa: BLE001 - retried on the next tick; a failed delete changes nothing
            log.exception("idempotency key purge failed")
        await asyncio.sleep(every_seconds)
