"""What waits for whom: the inbox, and which documents an official may list at all."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, exists, or_, select

from db.models import ChainStep, Document, StepAssignment
from domain.cover import HopOutcome, who_acts_for
from domain.documents import AssignmentState, Classification, DocumentState, Genre, Route, StepState
from services.cover import RosterCache
from services.documents import ROUTE_OF_REASON


async def covered_now(session, *, county_id: int, official_id: int, at: dt.datetime, rosters: RosterCache,
                      roster_version: int | None) -> dict[int, Route]:
    """Everyone the official acts for at this instant, with the route (AB partner, presiding, …).

    ``roster_version`` is the county's as read with this request's sign-in (None: read the roster afresh).
    """
    roster = await rosters.roster_now(session, county_id=county_id, version=roster_version, at=at)
    covered: dict[int, Route] = {}
    for away_id in roster.away:
        cover = who_acts_for(away_id, roster)
        if away_id != official_id and cover.actor == official_id:
            last = next(h for h in reversed(cover.hops) if h.outcome == HopOutcome.ACTS)
            covered[away_id] = ROUTE_OF_REASON[last.reason]
    return covered


def waiting(*, county_id: int, assignee_ids: set[int] | None, urgent: bool | None = None,
            genre: Genre | None = None, overdue_at: dt.datetime | None = None) -> Select:
    """Assignments on active steps of live documents; ``assignee_ids`` None means county-wide."""
    stmt = (
        select(StepAssignment)
        .join(ChainStep, ChainStep.id == StepAssignment.step_id)
        .join(Document, Document.id == StepAssignment.document_id)
        .where(
            StepAssignment.county_id == county_id,
            StepAssignment.state == AssignmentState.WAITING,
            ChainStep.state == StepState.ACTIVE,
            ChainStep.round == Document.round,
            Document.state.in_([DocumentState.IN_PROGRESS, DocumentState.SIGNED]),
        )
    )
    if assignee_ids is not None:
        stmt = stmt.where(StepAssignment.assignee_id.in_(assignee_ids))
    if urgent is not None:
        stmt = stmt.where(Document.urgent.is_(urgent))
    if genre is not None:
        stmt = stmt.where(Document.genre == genre)
    if overdue_at is not None:
        stmt = stmt.where(ChainStep.due_at < overdue_at)
    return stmt


def has_overdue_step(now: dt.datetime):
    """A document whose current step is past its due time (for county-wide lists)."""
    return exists().where(ChainStep.document_id == Document.id, ChainStep.round == Document.round,
                          ChainStep.state == StepState.ACTIVE, ChainStep.due_at < now)


def visible_to(stmt: Select, *, official_id: int | None, sees_everything: bool) -> Select:
    """Classified documents are neither listed nor counted for anyone off their chain (office aside)."""
    if sees_everything:
        return stmt
    unclassified = Document.classification == Classification.NONE
    if official_id is None:
        # An account without an official is on no chain. (Compared in SQL, None would become IS NULL:
        # true of every assignment nobody has acted on yet.)
        return stmt.where(unclassified)
    on_chain = exists().where(
        StepAssignment.document_id == Document.id,
        or_(StepAssignment.assignee_id == official_id, StepAssignment.acted_by_id == official_id),
    )
    return stmt.where(or_(unclassified, Document.drafted_by_id == official_id, on_chain))
