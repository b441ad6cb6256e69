"""A retired official's waiting work passes to whoever holds the office it was assigned for.

Assignments are made by office (a step waits for "the office director", "the vice magistrate in
charge"), so from the day an official retires, each assignment still waiting for him goes to the
person who holds that office on that day — his successor. While the office is vacant the assignment
stays where it is (the county-wide inbox shows it; the government office can reassign it) and moves
when a successor is appointed. Run in the transaction of the roster change that makes it so.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ChainStep, Document, Official, StepAssignment
from domain.documents import AssignmentState, DocumentState, StepState
from domain.roster import local_date
from services import audit, documents, events
from services.events import InboxEvent, InboxEventKind


async def hand_over_retired_work(session: AsyncSession, *, county_id: int, at: dt.datetime,
                                 actor: audit.Actor) -> int:
    """Move every waiting assignment of an official retired by ``at``'s date to his office's holder now.

    Returns how many moved. The caller holds the county's roster lock.
    """
    on = local_date(at)
    waiting = (await session.execute(
        select(StepAssignment.id, StepAssignment.document_id, Official.name, Official.retired_on)
        .join(Official, Official.id == StepAssignment.assignee_id)
        .join(ChainStep, ChainStep.id == StepAssignment.step_id)
        .join(Document, Document.id == StepAssignment.document_id)
        .where(StepAssignment.county_id == county_id, StepAssignment.state == AssignmentState.WAITING,
               Official.retired_on <= on, ChainStep.round == Document.round,
               Document.state.in_([DocumentState.IN_PROGRESS, DocumentState.SIGNED]))
        .order_by(StepAssignment.document_id, StepAssignment.id)
    )).all()
    if not waiting:
        return 0
    offices = await documents.office_holders(session, county_id, on)
    moved = 0
    for assignment_id, document_id, name, retired_on in waiting:
        document = await documents.lock_document(session, document_id)
        assignment = await session.get(StepAssignment, assignment_id)
        holders = documents.holders_for(document, await documents.co_sponsors_of(session, document.id), offices)
        on_step = set((await session.execute(
            select(StepAssignment.assignee_id).where(StepAssignment.step_id == assignment.step_id))).scalars())
        successor = next((h for h in holders(assignment.role) if h not in on_step), None)
        if successor is None:
            continue
        previous, note = assignment.assignee_id, f"{name}于{retired_on.isoformat()}退休，由现任者接办"
        assignment.assignee_id = successor
        await session.flush()
        step = await session.get(ChainStep, assignment.step_id)
        if step.state == StepState.ACTIVE:
            for kind, official in ((InboxEventKind.WITHDRAWN, previous), (InboxEventKind.NEW_ITEM, successor)):
                await events.publish(session, InboxEvent(kind=kind, county_id=county_id, official_id=official,
                                                         document_id=document.id, step_id=step.id, at=at,
                                                         note=note))
        await documents.record_event(session, document, "reassigned", actor_id=None, at=at, assignment=assignment,
                                     on_behalf_of_id=previous, opinion=note)
        await audit.record(session, county_id=county_id, actor=actor, action="document.hand_over",
                           entity="step_assignment", entity_id=assignment.id, before={"assignee_id": previous},
                           after={"assignee_id": successor, "reason": note})
        moved += 1
    return moved
