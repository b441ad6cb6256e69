"""GraphQL types of the meeting records: the relation register, recusals, persons concerned, minutes reminders
and emergency decisions (临机处置).

schema.meetings shows recusals and persons concerned on its AgendaItem and the minutes on its Meeting, so
this module reaches its types lazily.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.meetings_emergency import EmergencyState
from domain.meetings_recusal import RecusalReason, RelationKind
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.types import CountyNode, Official, official_by_id
from schema.validation import row_id

if TYPE_CHECKING:
    from schema.meetings import AgendaItem, MeetingBody

RelationKindEnum = labelled_enum(RelationKind, name="RelationKind",
                                 description="A relative as 002 人事 §18 counts them: spouse, lineal, collateral within "
                                             "three generations, close by marriage.")
RecusalReasonEnum = labelled_enum(RecusalReason, name="RecusalReason",
                                  description="How a recusal came about (002 人事 §23).")
EmergencyStateEnum = labelled_enum(EmergencyState, name="EmergencyDecisionState",
                                   description="Where an emergency decision's report stands: due → reported, or "
                                               "overdue.")


@strawberry.type(description="An official's relative in the relation register (002 人事 §18). Only the roster's "
                             "administrator and the discipline inspector see the register.")
class OfficialRelation(relay.Node):
    id: relay.NodeID[int]
    kind: RelationKindEnum = strawberry.field(description="How they are related.")
    relative_name: str | None = strawberry.field(description="The relative's name when outside the roster; null "
                                                             "when the relative is an official of the county.")
    note: str = strawberry.field(description="A note, e.g. the relative's unit.")
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded.")
    official_id: strawberry.Private[int]
    relative_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.OfficialRelation) -> OfficialRelation:
        return cls(id=row.id, kind=row.kind, relative_name=row.relative_name, note=row.note,
                   recorded_at=row.recorded_at, official_id=row.official_id, relative_id=row.relative_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        """Relations of a register you may see; None otherwise, as for a missing one."""
        from resolvers.meetings_records import may_see_register

        ids = [row_id(i) for i in node_ids]
        rows = await info.context.loaders.rows(models.OfficialRelation).load_many([i for i in ids if i is not None])
        seen = {}
        for row in rows:
            if row is not None and await may_see_register(info.context, row.county_id):
                seen[row.id] = row
        return [cls.from_row(seen[i]) if i in seen else None for i in ids]

    @strawberry.field(description="The official.")
    async def official(self, info: Info) -> Official:
        return await official_by_id(info, self.official_id)

    @strawberry.field(description="The relative, when an official of the county.")
    async def relative(self, info: Info) -> Official | None:
        return await official_by_id(info, self.relative_id)


@strawberry.type(description="A member recused from an item (002 人事 §23): no vote, no counted written opinion; "
                             "the minutes show it.")
class MeetingRecusal:
    reason: RecusalReasonEnum = strawberry.field(description="Declared, raised by the office or the discipline "
                                                             "inspector, or automatic from the register.")
    relation_kind: RelationKindEnum | None = strawberry.field(description="For an automatic recusal from a relative: "
                                                                          "how they are related.")
    concerning: str | None = strawberry.field(description="For an automatic recusal: the person concerned, by name.")
    note: str = strawberry.field(description="Why.")
    raised_at: dt.datetime = strawberry.field(description="When it was recorded.")
    official_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.MeetingRecusal) -> MeetingRecusal:
        return cls(reason=row.reason, relation_kind=row.relation_kind, concerning=row.concerning, note=row.note,
                   raised_at=row.raised_at, official_id=row.official_id)

    @strawberry.field(description="The member recused.")
    async def member(self, info: Info) -> Official:
        return await official_by_id(info, self.official_id)


@strawberry.type(description="Someone a personnel item is about (讨论…任用的人员).")
class PersonConcerned:
    name: str = strawberry.field(description="Their name.")
    official_id: strawberry.Private[int | None]

    @strawberry.field(description="The official, when they are one of the county's.")
    async def official(self, info: Info) -> Official | None:
        return await official_by_id(info, self.official_id)


@strawberry.type(description="The office's reminder that a meeting's minutes are late (003 §46).")
class MinutesReminder:
    clock: str = strawberry.field(description="'draft': the draft for review was not ready in time; 'sign': the "
                                              "minutes were not signed in time.")
    due_at: dt.datetime = strawberry.field(description="When they were due.")
    sent_at: dt.datetime = strawberry.field(description="When the sweeper reminded.")


@strawberry.type(description="A decision taken on the spot when no meeting could be called (临机处置, 000 §7; "
                             "002 细则 §17), reported to the body at its next meeting.")
class EmergencyDecision(CountyNode, relay.Node):
    model: ClassVar[type] = models.EmergencyDecision
    id: relay.NodeID[int]
    decided_at: dt.datetime = strawberry.field(description="When it was decided.")
    matter: str = strawberry.field(description="The matter decided.")
    reasons: str = strawberry.field(description="Why it could not wait for a meeting, and what was decided.")
    state: EmergencyStateEnum = strawberry.field(description="Report due, reported, or overdue.")
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded.")
    reported_at: dt.datetime | None = strawberry.field(description="When a meeting took the report up.")
    body_id: strawberry.Private[int]
    decided_by_id: strawberry.Private[int]
    report_item_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.EmergencyDecision) -> EmergencyDecision:
        return cls(id=row.id, decided_at=row.decided_at, matter=row.matter, reasons=row.reasons, state=row.state,
                   recorded_at=row.recorded_at, reported_at=row.reported_at, body_id=row.body_id,
                   decided_by_id=row.decided_by_id, report_item_id=row.report_item_id)


    @strawberry.field(description="The body it is reported to.")
    async def body(self, info: Info) -> Annotated[MeetingBody, strawberry.lazy("schema.meetings")]:
        from schema.meetings import MeetingBody

        return MeetingBody.from_row(await info.context.loaders.rows(models.MeetingBody).load(self.body_id))

    @strawberry.field(description="Who decided: a member of the body.")
    async def decided_by(self, info: Info) -> Official:
        return await official_by_id(info, self.decided_by_id)

    @strawberry.field(description="The report item on the body's next meeting (the newest, when it was carried).")
    async def report_item(self, info: Info) -> Annotated[AgendaItem, strawberry.lazy("schema.meetings")] | None:
        from schema.meetings import AgendaItem

        if self.report_item_id is None:
            return None
        return AgendaItem.from_row(await info.context.loaders.rows(models.AgendaItem).load(self.report_item_id))


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="A relative to record in the register.")
class AddOfficialRelationInput:
    official_id: relay.GlobalID = strawberry.field(description="The official.")
    kind: RelationKindEnum = strawberry.field(description="How they are related.")
    relative_id: relay.GlobalID | None = strawberry.field(default=None, description="The relative, when an official "
                                                                                    "of the county.")
    relative_name: str | None = strawberry.field(default=None, description="The relative's name, when outside the "
                                                                           "roster.")
    note: str = strawberry.field(default="", description="A note, e.g. the relative's unit.")


@strawberry.input(description="A relation to take off the register.")
class RemoveOfficialRelationInput:
    id: relay.GlobalID = strawberry.field(description="The relation.")


@strawberry.input(description="A recusal from an item.")
class RecuseInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    member_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The member to recuse, when the office or the discipline inspector raises it; "
                                  "yourself when omitted (declared).")
    note: str = strawberry.field(default="", description="Why; required when someone else raises it.")


@strawberry.input(description="Someone an item is about: an official, or a name outside the roster.")
class PersonConcernedInput:
    official_id: relay.GlobalID | None = strawberry.field(default=None, description="The official.")
    name: str = strawberry.field(default="", description="The name, for a person outside the roster.")


@strawberry.input(description="Whom a personnel item is about; replaces the list.")
class SetPersonsConcernedInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    persons: list[PersonConcernedInput] = strawberry.field(description="The persons concerned.")


@strawberry.input(description="Minutes to draft for a closed meeting.")
class DraftMinutesInput:
    meeting_id: relay.GlobalID = strawberry.field(description="The closed meeting.")
    drafter_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The office's official who drafts them; yourself when omitted.")


@strawberry.input(description="An emergency decision to record (临机处置).")
class RecordEmergencyDecisionInput:
    body_id: relay.GlobalID = strawberry.field(description="The body it is reported to.")
    decided_at: dt.datetime = strawberry.field(description="When it was decided, with its time zone.")
    matter: str = strawberry.field(description="The matter decided.")
    reasons: str = strawberry.field(description="Why it could not wait for a meeting, and what was decided.")
    decided_by_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Who decided, when the office records it; yourself when omitted.")


@strawberry.type(description="The relation recorded.")
class OfficialRelationPayload:
    relation: OfficialRelation = strawberry.field(description="The relation.")


@strawberry.type(description="The relation taken off the register.")
class RemoveOfficialRelationPayload:
    removed_id: relay.GlobalID = strawberry.field(description="The id it had.")


@strawberry.type(description="The emergency decision recorded.")
class EmergencyDecisionPayload:
    emergency_decision: EmergencyDecision = strawberry.field(description="The decision.")


def _result(name: str, payload: type):
    return Annotated[payload | MutationError, strawberry.union(
        name, description=f"{payload.__name__} when it worked; MutationError when it changed nothing.")]


OfficialRelationResult = _result("OfficialRelationResult", OfficialRelationPayload)
RemoveOfficialRelationResult = _result("RemoveOfficialRelationResult", RemoveOfficialRelationPayload)
EmergencyDecisionResult = _result("EmergencyDecisionResult", EmergencyDecisionPayload)
