"""Incoming documents circulated to leaders for reading (阅批, 003 §53).

In rank order one after another; all at once when urgent or read-only. When an earlier-ranked
leader gives an instruction, it is relayed to the later-ranked leaders who have already read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from db.engine import locked_row
from db.models import Circulation, CirculationReader, County, InstructionRelay, Official, utcnow
from domain.documents import Classification
from domain.errors import DomainError, ErrorCode
from domain.roster import local_date
from services import audit
from services.documents import office_staff


def is_parallel(circulation: Circulation) -> bool:
    return circulation.urgent or circulation.read_only


async def start(session, *, county_id: int, started_by_id: int, title: str, source: str, reader_ids: Sequence[int],
                urgent: bool, read_only: bool, classification: Classification, actor: audit.Actor,
                at: dt.datetime | None = None) -> Circulation:
    at = at or utcnow()
    if started_by_id not in await office_staff(session, county_id, local_date(at)):
        raise DomainError(ErrorCode.FORBIDDEN, "The government office circulates incoming documents.",
                          field="readerIds")
    if not title.strip():
        raise DomainError(ErrorCode.INVALID, "Give the document's title.", field="title")
    readers = (await session.execute(
        select(Official).where(Official.id.in_(set(reader_ids)), Official.county_id == county_id,
                               Official.retired_on.is_(None)))).scalars().all()
    if not readers or len(readers) != len(set(reader_ids)):
        raise DomainError(ErrorCode.NOT_FOUND, "Every reader must be a serving official of this county.",
                          field="readerIds")
    circulation = Circulation(county_id=county_id, title=title.strip(), source=source.strip(), urgent=urgent,
                              read_only=read_only, classification=classification)
    session.add(circulation)
    await session.flush()
    parallel = is_parallel(circulation)
    for position, reader in enumerate(sorted(readers, key=lambda o: (o.rank_order, o.id)), start=1):
        session.add(CirculationReader(county_id=county_id, circulation_id=circulation.id, official_id=reader.id,
                                      position=position, reached_at=at if parallel or position == 1 else None))
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="circulation.start", entity="circulation",
                       entity_id=circulation.id, after={**audit.as_record(circulation),
                                                        "readers": [r.id for r in readers]})
    return circulation


async def _lock(session, circulation_id: int) -> Circulation:
    unlocked = await session.get(Circulation, circulation_id)
    if unlocked is not None:
        # County first, as every writer does (services.documents.lock_document).
        await locked_row(session, County, unlocked.county_id)
    circulation = await locked_row(session, Circulation, circulation_id)
    if circulation is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such circulation.", field="circulationId")
    return circulation


async def can_see(session, *, circulation: Circulation, official_id: int | None, at: dt.datetime) -> bool:
    """Classified incoming documents: only their readers and the government office see them."""
    if circulation.classification == Classification.NONE:
        return True
    if official_id is None:
        return False
    if any(reader.official_id == official_id for reader in await readers_of(session, circulation.id)):
        return True
    return official_id in await office_staff(session, circulation.county_id, local_date(at))


async def readers_of(session, circulation_id: int) -> list[CirculationReader]:
    rows = await session.execute(select(CirculationReader).where(CirculationReader.circulation_id == circulation_id)
                                 .order_by(CirculationReader.position))
    return list(rows.scalars())


async def mark_read(session, *, circulation_id: int, official_id: int, actor: audit.Actor,
                    instruction: str | None = None, at: dt.datetime | None = None) -> CirculationReader:
    at = at or utcnow()
    circulation = await _lock(session, circulation_id)
    readers = await readers_of(session, circulation.id)
    me = next((r for r in readers if r.official_id == official_id), None)
    if me is None:
        raise DomainError(ErrorCode.NOT_FOUND, "You are not among this document's readers.", field="circulationId")
    if me.read_at is not None:
        raise DomainError(ErrorCode.WRONG_STATE, "You have read it already.", field="circulationId")
    if me.reached_at is None:
        raise DomainError(ErrorCode.NOT_YOUR_TURN, "It reaches you after the leaders ranked before you.",
                          field="circulationId")
    me.read_at = at
    me.instruction = (instruction or "").strip() or None
    if not is_parallel(circulation):
        following = next((r for r in readers if r.position == me.position + 1), None)
        if following is not None:
            following.reached_at = at
    if me.instruction:
        for reader in readers:
            if reader.position > me.position and reader.read_at is not None:
                session.add(InstructionRelay(county_id=circulation.county_id, circulation_id=circulation.id,
                                             from_official_id=official_id, to_official_id=reader.official_id,
                                             instruction=me.instruction, at=at))
    await session.flush()
    await audit.record(session, county_id=circulation.county_id, actor=actor, action="circulation.read",
                       entity="circulation_reader", entity_id=me.id,
                       after={"official_id": official_id, "instruction": me.instruction})
    return me
