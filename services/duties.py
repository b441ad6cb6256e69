"""Duties: put on an official, settled when the work is done, news sent live to them and their cover.

The systems that create office work (incoming requests, supervision, proposals, the document plan) call
``assign`` inside their own transaction and ``settle`` when the subject moves on; events are delivered
once that transaction commits (services.events). Acting on someone else's duty goes through
``acting_route``: the actor, on whose behalf, and by which route are recorded by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import utcnow
from db.models_duties import Duty
from domain.documents import Route
from domain.duties import Subject
from services import events
from services.events import DutyEventKind, InboxEvent
from services.cover import RosterCache
from services.inbox import covered_now


async def assign(session: AsyncSession, *, county_id: int, official_ids: Iterable[int], subject: Subject, task: str,
                 title: str, article: str, due_at: dt.datetime | None = None) -> list[Duty]:
    """The officials' open duty of this task on the subject, one each, in the order given.

    An official who already holds it keeps that duty (its due time too) and is not told again; the others
    get a new one, each told at commit.
    """
    wanted = list(dict.fromkeys(official_ids))
    held = {duty.official_id: duty for duty in await open_on(session, subject=subject, task=task)
            if duty.official_id in wanted}
    at = utcnow()
    new = [Duty(county_id=county_id, official_id=official_id, subject_kind=subject.kind, subject_id=subject.id,
                task=task, title=title, article=article, created_at=at, due_at=due_at)
           for official_id in wanted if official_id not in held]
    session.add_all(new)
    await session.flush()
    for duty in new:
        await _publish(session, duty, DutyEventKind.NEW_DUTY, title)
    held.update((duty.official_id, duty) for duty in new)
    return [held[official_id] for official_id in wanted]


async def settle(session: AsyncSession, *, subject: Subject, task: str | None = None, by_official_id: int | None,
                 route: Route | None, on_behalf_of_id: int | None = None,
                 at: dt.datetime | None = None) -> list[Duty]:
    """Close the subject's open duties (of ``task``, or all), recording who closed them and how.

    ``route`` is how ``by_official_id`` acted (``acting_route``): DIRECT on their own duty, or a cover
    route on the duty of ``on_behalf_of_id`` (when not named: of the official they cover by that route
    now). That one duty records the route; the others close as not needed, with no route (the other
    deputies of the office when one of them registers the request). ``route`` None: the subject ended
    another way (withdrawn, closed by the office), and no duty records a route.
    """
    at = at or utcnow()
    duties = await open_on(session, subject=subject, task=task)
    acted_on = None
    if by_official_id is not None and route is not None:
        acted_on = await _acted_on(session, duties, by_official_id=by_official_id, route=route,
                                   on_behalf_of_id=on_behalf_of_id, at=at)
    for duty in duties:
        duty.settled_at, duty.settled_by_id = at, by_official_id
        duty.settled_route = route if duty is acted_on else None
        await _publish(session, duty, DutyEventKind.SETTLED, duty.title)
    await session.flush()
    return duties


async def _acted_on(session: AsyncSession, duties: Sequence[Duty], *, by_official_id: int, route: Route,
                    on_behalf_of_id: int | None, at: dt.datetime) -> Duty | None:
    """The duty the actor settled by ``route``: their own, the named official's, or a covered one's."""
    if on_behalf_of_id is None and route == Route.DIRECT:
        on_behalf_of_id = by_official_id
    if on_behalf_of_id is not None:
        return next((duty for duty in duties if duty.official_id == on_behalf_of_id), None)
    if not duties:
        return None
    covered = await covered_now(session, county_id=duties[0].county_id, official_id=by_official_id, at=at,
                                rosters=_NO_CACHE, roster_version=None)
    return next((duty for duty in duties if covered.get(duty.official_id) == route), None)


async def tell(session: AsyncSession, *, duty: Duty, kind: DutyEventKind, note: str) -> None:
    """News about an open duty (a reminder, an escalation) for its official, live."""
    await _publish(session, duty, kind, note)


async def tell_about(session: AsyncSession, *, county_id: int, official_ids: Iterable[int], subject: Subject,
                     kind: DutyEventKind, note: str) -> None:
    """News about a subject for officials who hold no duty on it (an escalation to the VM in charge)."""
    at = utcnow()
    for official_id in dict.fromkeys(official_ids):
        await events.publish(session, InboxEvent(kind=kind, county_id=county_id, official_id=official_id,
                                                 document_id=None, step_id=None, at=at, note=note,
                                                 duty_id=None, subject_kind=subject.kind.value,
                                                 subject_id=subject.id))


async def _publish(session: AsyncSession, duty: Duty, kind: DutyEventKind, note: str) -> None:
    await events.publish(session, InboxEvent(kind=kind, county_id=duty.county_id, official_id=duty.official_id,
                                             document_id=None, step_id=None, at=utcnow(), note=note, duty_id=duty.id,
                                             subject_kind=duty.subject_kind.value, subject_id=duty.subject_id))


def open_for(*, county_id: int, official_ids: Iterable[int]) -> Select:
    """Open duties of these officials, oldest first."""
    return (select(Duty).where(Duty.county_id == county_id, Duty.official_id.in_(list(official_ids)),
                               Duty.settled_at.is_(None))
            .order_by(Duty.created_at, Duty.id))


async def open_on(session: AsyncSession, *, subject: Subject, task: str | None = None) -> list[Duty]:
    """The subject's open duties (of ``task``, or all), oldest first."""
    stmt = select(Duty).where(Duty.subject_kind == subject.kind, Duty.subject_id == subject.id,
                              Duty.settled_at.is_(None))
    if task is not None:
        stmt = stmt.where(Duty.task == task)
    return list((await session.execute(stmt.order_by(Duty.id))).scalars())


async def acting_route(session: AsyncSession, *, county_id: int, actor_id: int, owner_id: int,
                       at: dt.datetime | None = None) -> Route | None:
    """How ``actor_id`` may act on ``owner_id``'s duty now: DIRECT for their own, the cover route, or None."""
    if actor_id == owner_id:
        return Route.DIRECT
    covered = await covered_now(session, county_id=county_id, official_id=actor_id, at=at or utcnow(),
                                rosters=_NO_CACHE, roster_version=None)
    return covered.get(owner_id)


# roster_version None: the roster is read afresh, never from (or into) the cache, so a decision inside a
# write transaction sees the roster as it stands (an absence recorded a moment ago included).
_NO_CACHE = RosterCache()
