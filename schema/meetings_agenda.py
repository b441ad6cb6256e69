"""GraphQL types of the agenda pipeline (议题), its materials and the collective-matter catalogue (三重一大)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import meetings_agenda as a
from domain.meetings_agenda import ConsultationState, consultation_state
from domain.roster import local_date
from policies.meetings_matters import MatterSpec
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.types import CountyNode, Department, Official, official_by_id

if TYPE_CHECKING:
    from schema.meetings import AgendaItem, BodyKindEnum, Meeting, MeetingBody

ItemKindEnum = labelled_enum(a.ItemKind, name="AgendaItemKind", description="What an item asks of the body.")
MaterialKindEnum = labelled_enum(a.MaterialKind, name="AgendaMaterialKind",
                                 description="A material an item goes to the office with (002 三重一大 二(三)).")
ConsultationStateEnum = labelled_enum(ConsultationState, name="ConsultationState",
                                      description="Where a consultation of another unit stands (002 三重一大 二(二)).")


@strawberry.type(description="A matter that must go to a body (三重一大 事项目录): the county's copy of its rule set's "
                             "catalogue, edited by its administrator.")
class CollectiveMatter(CountyNode, relay.Node):
    model: ClassVar[type] = models.CollectiveMatter
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Its code, unique in the county, e.g. major_project.")
    name: str = strawberry.field(description="Its name, e.g. 重要项目安排.")
    # Lazy: schema.meetings defines the enum and imports this module.
    body_kind: Annotated["BodyKindEnum", strawberry.lazy("schema.meetings")] = strawberry.field(
        description="The kind of body that must decide it.")
    personnel: bool = strawberry.field(description="A personnel matter: the body's personnel quorum applies.")
    threshold_wan: int | None = strawberry.field(
        description="The amount in 万元 from which it must go to the body; null: always.")
    required_materials: list[MaterialKindEnum] = strawberry.field(
        description="The materials the office's completeness check asks for (002 三重一大 二(三)).")
    legality_review_lead_days: int | None = strawberry.field(
        description="Working days before the meeting by which the draft is sent to legality review (003 §61: 10 for "
                    "normative documents); null: no such limit.")
    article: str = strawberry.field(description="The articles the row comes from.")

    @classmethod
    def from_row(cls, row: models.CollectiveMatter) -> CollectiveMatter:
        return cls(id=row.id, code=row.code, name=row.name, body_kind=row.body_kind, personnel=row.personnel,
                   threshold_wan=row.threshold_wan,
                   required_materials=[a.MaterialKind(k) for k in row.required_materials],
                   legality_review_lead_days=row.legality_review_lead_days, article=row.article)


@strawberry.type(description="A consulted unit's answer (征求意见, 002 三重一大 二(二)): its reply, or deemed consent "
                             "once the reply-by day passed without one (computed, never typed).")
class Consultation:
    unit: str = strawberry.field(description="The unit consulted.")
    sent_on: dt.date = strawberry.field(description="When the request for its opinion went out.")
    reply_by: dt.date = strawberry.field(description="The day its written reply is due.")
    reply: str | None = strawberry.field(description="Its written reply, if it came.")
    replied_on: dt.date | None = strawberry.field(description="When the reply came.")
    state: ConsultationStateEnum = strawberry.field(description="Awaiting, replied, or deemed consent.")


@strawberry.type(description="A material of an item: its kind and title, with the file's metadata (no file is "
                             "stored).")
class AgendaItemMaterial(CountyNode, relay.Node):
    model: ClassVar[type] = models.AgendaItemMaterial
    id: relay.NodeID[int]
    kind: MaterialKindEnum = strawberry.field(description="What it is.")
    title: str = strawberry.field(description="Its title.")
    file_name: str | None = strawberry.field(description="The attached file's name.")
    file_size: int | None = strawberry.field(description="The attached file's size in bytes.")
    file_sha256: str | None = strawberry.field(description="The attached file's SHA-256, hexadecimal.")
    sent_for_review_on: dt.date | None = strawberry.field(
        description="A legality opinion: the day the draft went to the legal office (003 §61).")
    consultation: Consultation | None = strawberry.field(description="A consultation: whom, when, and the answer.")
    added_at: dt.datetime = strawberry.field(description="When it was added.")

    @classmethod
    def from_row(cls, row: models.AgendaItemMaterial) -> AgendaItemMaterial:
        consultation = None
        if row.kind == a.MaterialKind.CONSULTATION_REPLY:
            consultation = Consultation(
                unit=row.consulted_unit, sent_on=row.sent_on, reply_by=row.reply_by, reply=row.reply,
                replied_on=row.replied_on,
                state=consultation_state(reply=row.reply, reply_by=row.reply_by, today=local_date(models.utcnow())))
        return cls(id=row.id, kind=row.kind, title=row.title, file_name=row.file_name, file_size=row.file_size,
                   file_sha256=row.file_sha256, sent_for_review_on=row.sent_for_review_on, consultation=consultation,
                   added_at=row.added_at)


@strawberry.type(description="An item's way through the agenda pipeline: who proposed, coordinated, checked and "
                             "accepted it, and when its notice went out.")
class AgendaPipeline:
    """Fields schema.meetings.AgendaItem inherits."""

    kind: ItemKindEnum = strawberry.field(description="What the item asks of the body.")
    proposed_at: dt.datetime = strawberry.field(description="When it was proposed.")
    noticed_at: dt.datetime | None = strawberry.field(
        description="When the notice listing it went out; the meeting takes it up only then (002 细则 §6(三)).")
    body_id: strawberry.Private[int]
    matter_id: strawberry.Private[int | None]
    sponsor_department_id: strawberry.Private[int | None]
    proposer_id: strawberry.Private[int | None]
    coordinated_by_id: strawberry.Private[int | None]
    checked_by_id: strawberry.Private[int | None]
    accepted_by_id: strawberry.Private[int | None]
    deferred_from_id: strawberry.Private[int | None]

    @staticmethod
    def values(row: models.AgendaItem) -> dict:
        return {"kind": row.kind, "proposed_at": row.proposed_at, "noticed_at": row.noticed_at,
                "body_id": row.body_id, "matter_id": row.matter_id, "sponsor_department_id": row.sponsor_department_id,
                "proposer_id": row.proposer_id, "coordinated_by_id": row.coordinated_by_id,
                "checked_by_id": row.checked_by_id, "accepted_by_id": row.accepted_by_id,
                "deferred_from_id": row.deferred_from_id}

    @strawberry.field(description="The body it was proposed to.")
    async def body(self, info: Info) -> Annotated["MeetingBody", strawberry.lazy("schema.meetings")]:
        from schema.meetings import MeetingBody

        return MeetingBody.from_row(await info.context.loaders.rows(models.MeetingBody).load(self.body_id))

    @strawberry.field(description="The meeting it is scheduled on; null until the office schedules it.")
    async def meeting(self, info: Info) -> Annotated["Meeting", strawberry.lazy("schema.meetings")] | None:
        from schema.meetings import Meeting

        meeting_id = getattr(self, "meeting_id", None)
        if meeting_id is None:
            return None
        return Meeting.from_row(await info.context.loaders.rows(models.Meeting).load(meeting_id))

    @strawberry.field(description="The catalogue's matter it is (三重一大), if any: its materials and quorum class.")
    async def matter(self, info: Info) -> CollectiveMatter | None:
        if self.matter_id is None:
            return None
        return CollectiveMatter.from_row(await info.context.loaders.rows(models.CollectiveMatter).load(self.matter_id))

    @strawberry.field(description="The sponsoring department (承办单位).")
    async def sponsor(self, info: Info) -> Department | None:
        if self.sponsor_department_id is None:
            return None
        return Department.from_row(await info.context.loaders.department.load(self.sponsor_department_id))

    @strawberry.field(description="Who proposed it.")
    async def proposer(self, info: Info) -> Official | None:
        return await official_by_id(info, self.proposer_id)

    @strawberry.field(description="The vice magistrate in charge who coordinated it (000 §42; 003 §45).")
    async def coordinated_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.coordinated_by_id)

    @strawberry.field(description="The office's official who checked its materials; null when an administrator's "
                                  "account did.")
    async def checked_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.checked_by_id)

    @strawberry.field(description="The chair who accepted it for the body (000 §42; 002 细则 §6(一)).")
    async def accepted_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.accepted_by_id)

    @strawberry.field(description="Its materials, in the order added.")
    async def materials(self, info: Info) -> list[AgendaItemMaterial]:
        return [AgendaItemMaterial.from_row(r) for r in await info.context.loaders.materials_of_item.load(self.id)]

    @strawberry.field(description="The deferred item it continues (留待下次会议讨论, 002 细则 §6(五)).")
    async def deferred_from(self, info: Info) -> Annotated["AgendaItem", strawberry.lazy("schema.meetings")] | None:
        from schema.meetings import AgendaItem

        if self.deferred_from_id is None:
            return None
        return AgendaItem.from_row(await info.context.loaders.rows(models.AgendaItem).load(self.deferred_from_id))


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="A collective matter's row.")
class CollectiveMatterInput:
    code: str = strawberry.field(description="Its code, unique in the county: lowercase letters, digits, _.")
    name: str = strawberry.field(description="Its name.")
    # Lazy: schema.meetings defines the enum and imports this module.
    body_kind: Annotated["BodyKindEnum", strawberry.lazy("schema.meetings")] = strawberry.field(
        description="The kind of body that must decide it.")
    article: str = strawberry.field(description="The articles it comes from.")
    personnel: bool = strawberry.field(default=False, description="A personnel matter (the personnel quorum).")
    threshold_wan: int | None = strawberry.field(default=None, description="From this amount in 万元; null: always.")
    required_materials: list[MaterialKindEnum] = strawberry.field(
        default_factory=list, description="The materials the office's check asks for.")
    legality_review_lead_days: int | None = strawberry.field(
        default=None, description="Working days before the meeting the draft goes to legality review (003 §61).")

    def spec(self) -> MatterSpec:
        return MatterSpec(code=self.code, name=self.name, body_kind=self.body_kind, personnel=self.personnel,
                          threshold_wan=self.threshold_wan, required_materials=tuple(self.required_materials),
                          legality_review_lead_days=self.legality_review_lead_days, article=self.article)


@strawberry.input(description="A new collective matter for the county's catalogue.")
class AddCollectiveMatterInput:
    matter: CollectiveMatterInput = strawberry.field(description="The row.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="A collective matter's row, replaced as a whole.")
class UpdateCollectiveMatterInput:
    id: relay.GlobalID = strawberry.field(description="The matter.")
    matter: CollectiveMatterInput = strawberry.field(description="Its new row.")


@strawberry.input(description="An item proposed to a body.")
class ProposeAgendaItemInput:
    body_id: relay.GlobalID = strawberry.field(description="The body it is for.")
    title: str = strawberry.field(description="What it is about.")
    kind: ItemKindEnum = strawberry.field(default=a.ItemKind.DECISION, description="What it asks of the body.")
    matter_code: str | None = strawberry.field(default=None, description="The catalogue's matter it is, by code.")
    sponsor_department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The sponsoring department; a department principal's own when omitted.")
    member_in_charge_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The member in charge of it (分管).")
    proposer_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Who proposes it, when the office records it; yourself when omitted.")


@strawberry.input(description="An item's pipeline step, done by you or recorded by the office for someone.")
class AgendaStepInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    official_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Who did it, when the office records it; yourself when omitted.")


@strawberry.input(description="An accepted item for a meeting of its body.")
class ScheduleAgendaItemInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    meeting_id: relay.GlobalID = strawberry.field(description="A meeting of its body not yet in session.")


@strawberry.input(description="A material for an item.")
class AddAgendaMaterialInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    kind: MaterialKindEnum = strawberry.field(description="What it is.")
    title: str = strawberry.field(description="Its title.")
    file_name: str | None = strawberry.field(default=None, description="The attached file's name.")
    file_size: int | None = strawberry.field(default=None, description="The attached file's size in bytes.")
    file_sha256: str | None = strawberry.field(default=None, description="The attached file's SHA-256, hexadecimal.")
    sent_for_review_on: dt.date | None = strawberry.field(
        default=None, description="A legality opinion: the day the draft went to the legal office (003 §61).")
    consulted_unit: str | None = strawberry.field(default=None, description="A consultation: the unit consulted.")
    sent_on: dt.date | None = strawberry.field(default=None, description="A consultation: when it was sent.")
    reply_by: dt.date | None = strawberry.field(default=None, description="A consultation: the reply-by day.")


@strawberry.input(description="A consulted unit's written reply.")
class ConsultationReplyInput:
    material_id: relay.GlobalID = strawberry.field(description="The consultation material.")
    reply: str = strawberry.field(description="The reply's text.")
    replied_on: dt.date = strawberry.field(description="When it came; by the reply-by day.")


@strawberry.type(description="The collective matter changed.")
class CollectiveMatterPayload:
    matter: CollectiveMatter = strawberry.field(description="The matter.")


@strawberry.type(description="The material changed.")
class AgendaMaterialPayload:
    material: AgendaItemMaterial = strawberry.field(description="The material.")


def _result(name: str, payload: type):
    return Annotated[payload | MutationError, strawberry.union(
        name, description=f"{payload.__name__} when it worked; MutationError when it changed nothing.")]


CollectiveMatterResult = _result("CollectiveMatterResult", CollectiveMatterPayload)
AgendaMaterialResult = _result("AgendaMaterialResult", AgendaMaterialPayload)
