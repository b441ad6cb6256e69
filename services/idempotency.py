"""Retries that change nothing twice: the first answer to a request with an Idempotency-Key is kept.

The key is claimed (a unique row) before the request runs, so two copies arriving together cannot
both run: the second waits for the first answer or is told to retry. A key reused with a different
request is refused.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from db.models import IdempotentRequest

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


async def claim(sessions, *, account_id: int, key: str, request_digest: str) -> Outcome:
    try:
        async with sessions() as session, session.begin():
            session.add(IdempotentRequest(account_id=account_id, key=key, request_digest=request_digest))
        return Outcome(Claim.NEW)
    except IntegrityError:
        pass
    async with sessions() as session:
        first = (await session.execute(select(IdempotentRequest).where(
            IdempotentRequest.account_id == account_id, IdempotentRequest.key == key))).scalar_one()
    if first.request_digest != request_digest:
        return Outcome(Claim.MISMATCH)
    if first.status_code is None:
        return Outcome(Claim.IN_PROGRESS)
    return Outcome(Claim.REPLAY, first.status_code, first.response_body)


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
