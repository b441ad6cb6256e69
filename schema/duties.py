"""GraphQL types of duties: office work waiting for a person outside a document's chain (services.duties)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from db.models_duties import Duty as DutyRow
from domain.documents import Route
from domain.duties import SubjectKind
from resolvers.loaders import now_or_later
from schema.documents import RouteEnum
from schema.labels import labelled_enum
from schema.types import CountyNode, Official
from services.events import DutyEventKind
from services.inbox import covered_now

SubjectKindEnum = labelled_enum(SubjectKind, name="DutySubjectKind",
                                description="What a duty is about: the record of the system that put it on you.")
DutyEventKindEnum = labelled_enum(DutyEventKind, name="DutyEventKind", description="What happened to a duty.")


class DutyScope(enum.Enum):
    MINE = "mine"
    COVERED = "covered"
    ALL_I_ACT_FOR = "all_i_act_for"


labelled_enum(DutyScope, name="DutyScope", description="Whose duties: yours, those of the people you cover for "
                                                       "right now, or both.")

# The GraphQL type each subject kind's records are served as: a subject's global id names it. The types
# belong to the systems that create the subjects; only their names are needed here.
SUBJECT_TYPES: dict[SubjectKind, str] = {
    SubjectKind.INCOMING_REQUEST: "IncomingRequest",
    SubjectKind.SUPERVISION_ITEM: "SupervisionItem",
    SubjectKind.PROPOSAL: "Proposal",
    SubjectKind.DOCUMENT_PLAN: "DocumentPlan",
    SubjectKind.DISCLOSURE: "Disclosure",
}


def subject_global_id(kind: SubjectKind, subject_id: int) -> relay.GlobalID:
    return relay.GlobalID(SUBJECT_TYPES[kind], str(subject_id))


def _official(info: Info, official_id: int | None) -> Official | None:
    if official_id is None:
        return None
    return now_or_later(info.context.loaders.official, official_id, Official.from_row)


@strawberry.type(description="A duty 待办事项: one task of one subject (a request sent up, a supervision item, a "
                             "proposal, the document plan) waiting for one official, until it is settled. Whoever "
                             "covers that official at the moment sees it too.")
class Duty(CountyNode, relay.Node):
    model: ClassVar[type] = DutyRow
    id: relay.NodeID[int]
    subject_kind: SubjectKindEnum = strawberry.field(description="What the duty is about.")
    task: str = strawberry.field(description="The task, as the subject's system names it, e.g. register.")
    title: str = strawberry.field(description="What to do, in words, e.g. 签收：关于……的请示.")
    article: str = strawberry.field(description="The rule that puts the duty on this official, e.g. 001 §31.")
    received_at: dt.datetime = strawberry.field(description="When the duty was put on the official.")
    due_at: dt.datetime | None = strawberry.field(description="When it is due; null when no time limit applies.")
    settled_at: dt.datetime | None = strawberry.field(description="When it was settled; null while it is open.")
    settled_route: RouteEnum | None = strawberry.field(
        description="How it was settled: DIRECT by the official, the cover route of whoever settled it for them, "
                    "or null when it was closed as no longer needed (someone else of the same desk did the work, "
                    "or the subject ended another way).")
    route: RouteEnum | None = strawberry.field(
        description="How it comes to you: DIRECT when it is yours, the cover route when it is the duty of someone "
                    "you cover for right now; null when it is neither.")
    subject_row_id: strawberry.Private[int]
    official_id: strawberry.Private[int]
    settled_by_id: strawberry.Private[int | None]
    county_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: DutyRow, route: Route | None = None) -> Duty:
        return cls(id=row.id, subject_kind=row.subject_kind, task=row.task, title=row.title, article=row.article,
                   received_at=row.created_at, due_at=row.due_at, settled_at=row.settled_at,
                   settled_route=row.settled_route, route=route, subject_row_id=row.subject_id,
                   official_id=row.official_id, settled_by_id=row.settled_by_id, county_id=row.county_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        duties = await super().resolve_nodes(info=info, node_ids=node_ids, required=required)
        me = info.context.require_principal().official_id
        if me is not None:
            covered = await covered_by(info, me) if any(d and d.official_id != me for d in duties) else {}
            for duty in duties:
                if duty is not None:
                    duty.route = Route.DIRECT if duty.official_id == me else covered.get(duty.official_id)
        return duties

    @strawberry.field(description="The global id of the subject (an IncomingRequest, SupervisionItem, Proposal or "
                                  "DocumentPlan, as subjectKind says); node(id:) reads it.")
    def subject_id(self) -> relay.GlobalID:
        return subject_global_id(self.subject_kind, self.subject_row_id)

    @strawberry.field(description="Open and past its due time.")
    def overdue(self) -> bool:
        return self.settled_at is None and self.due_at is not None and self.due_at < models.utcnow()

    @strawberry.field(description="The official whose duty it is, by office.")
    def official(self, info: Info) -> Official:
        return _official(info, self.official_id)

    @strawberry.field(description="Whose duty it is when it comes to you by cover; null when it is yours.")
    def on_behalf_of(self, info: Info) -> Official | None:
        covering = self.route is not None and self.route != Route.DIRECT
        return _official(info, self.official_id if covering else None)

    @strawberry.field(description="Who settled it; null while it is open, or when the subject ended with nobody's "
                                  "act.")
    def settled_by(self, info: Info) -> Official | None:
        return _official(info, self.settled_by_id)


async def covered_by(info: Info, official_id: int) -> dict[int, Route]:
    """Whom the official covers for at this instant, with the route; the roster as of this request's sign-in."""
    ctx = info.context
    principal = ctx.require_principal()
    return await covered_now(await ctx.session(), county_id=principal.county_id, official_id=official_id,
                             at=models.utcnow(), rosters=ctx.rosters, roster_version=principal.roster_version)


@strawberry.type(description="News of a duty of yours, or of someone you cover for at that moment: a new duty, a "
                             "reminder, an escalation, a duty settled; or news of a subject you hold no duty on.")
class DutyEvent:
    kind: DutyEventKindEnum = strawberry.field(description="What happened.")
    duty: Duty | None = strawberry.field(description="The duty, as it stands now; null for news of a subject you "
                                                     "hold no duty on (an escalation to the leader in charge).")
    subject_kind: SubjectKindEnum = strawberry.field(description="What the news is about.")
    at: dt.datetime = strawberry.field(description="When it happened.")
    note: str = strawberry.field(description="The duty's title, or the reminder's or escalation's text.")
    route: RouteEnum = strawberry.field(description="DIRECT when the news is yours; else how you came to cover.")
    subject_row_id: strawberry.Private[int]
    on_behalf_of_id: strawberry.Private[int | None]

    @strawberry.field(description="The global id of the subject, as Duty.subjectId.")
    def subject_id(self) -> relay.GlobalID:
        return subject_global_id(self.subject_kind, self.subject_row_id)

    @strawberry.field(description="Whose news it is when it comes to you by cover; null when it is yours.")
    def on_behalf_of(self, info: Info) -> Official | None:
        return _official(info, self.on_behalf_of_id)
