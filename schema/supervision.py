"""GraphQL types of supervision (督查): numbered items, their reports, reminders, the county's deadline data."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from db import models_supervision as sm
from domain import supervision as sv
from domain.roster import local_date
from schema.documents import Document, RouteEnum
from schema.labels import labelled_enum
from schema.mutations import MutationError
from schema.types import CountyNode, Department, Official

SupervisionItemStateEnum = labelled_enum(
    sv.ItemState, name="SupervisionItemState",
    description="Where a supervision item stands: registered → assigned (delivered) → accepted → in progress → "
                "result reported → closed, or reopened with the office's reason (000 §48).")
SourceKindEnum = labelled_enum(sv.SourceKind, name="SupervisionSourceKind",
                               description="Where a supervision item comes from.")
EntryKindEnum = labelled_enum(sv.EntryKind, name="SupervisionEntryKind",
                              description="What an entry of an item's record is.")
LapseKindEnum = labelled_enum(sv.LapseKind, name="SupervisionLapseKind",
                              description="The sweeper's reminder, or its escalation to the vice magistrate in "
                                          "charge.")


class ReportGrouping(enum.Enum):
    UNIT = "unit"
    LEADER = "leader"


ReportGroupingEnum = labelled_enum(ReportGrouping, name="SupervisionReportGrouping",
                                   description="How the periodic report groups items (003 §46).")

# The GraphQL type each source's row is served as (a circulation instruction: its circulation).
_SOURCE_TYPES = {sv.SourceKind.MEETING_DECISION: "MeetingDecision", sv.SourceKind.INCOMING_REQUEST: "IncomingRequest",
                 sv.SourceKind.PROPOSAL: "Proposal", sv.SourceKind.CIRCULATION_INSTRUCTION: "Circulation"}


async def _official(info: Info, official_id: int | None) -> Official | None:
    if official_id is None:
        return None
    return Official.from_row(await info.context.loaders.official.load(official_id))


@strawberry.type(description="An entry of a supervision item's record: a progress or result report, a reopening "
                             "with its reason, the closing.")
class SupervisionEntry:
    kind: EntryKindEnum = strawberry.field(description="What it is.")
    text: str = strawberry.field(description="The report, the reason, or the office's note.")
    at: dt.datetime = strawberry.field(description="When it was recorded.")
    route: RouteEnum | None = strawberry.field(description="DIRECT when the official acted for themselves; else the "
                                                           "cover route by which they acted for onBehalfOf; null "
                                                           "when a signed document carried the result and its "
                                                           "signer held no duty on the item.")
    official_id: strawberry.Private[int | None]
    on_behalf_of_id: strawberry.Private[int | None]
    document_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: sm.SupervisionEntry) -> SupervisionEntry:
        return cls(kind=row.kind, text=row.text, at=row.at, route=row.route, official_id=row.official_id,
                   on_behalf_of_id=row.on_behalf_of_id, document_id=row.document_id)

    @strawberry.field(description="The signed document that carried the result (a proposal's reply letter, whose "
                                  "signer is the official); null for a result reported by hand, or when you may not "
                                  "see the document.")
    async def document(self, info: Info) -> Document | None:
        if self.document_id is None:
            return None
        from resolvers.documents import visible_documents

        return (await visible_documents(info, [self.document_id]))[0]

    @strawberry.field(description="Who recorded it.")
    async def official(self, info: Info) -> Official | None:
        return await _official(info, self.official_id)

    @strawberry.field(description="Whose duty it was, when someone else acted for them; null otherwise.")
    async def on_behalf_of(self, info: Info) -> Official | None:
        if self.on_behalf_of_id == self.official_id:
            return None
        return await _official(info, self.on_behalf_of_id)


@strawberry.type(description="The sweeper's reminder (催办) of an item still owed, or its escalation to the vice "
                             "magistrate in charge of the lead unit (000 §36): once per item and deadline.")
class SupervisionLapse:
    kind: LapseKindEnum = strawberry.field(description="Reminder or escalation.")
    due_on: dt.date = strawberry.field(description="The deadline it was about.")
    sent_at: dt.datetime = strawberry.field(description="When the sweeper sent it.")
    official_ids: strawberry.Private[list[int]]

    @classmethod
    def from_row(cls, row: sm.SupervisionLapse) -> SupervisionLapse:
        return cls(kind=row.kind, due_on=row.due_on, sent_at=row.sent_at, official_ids=list(row.official_ids))

    @strawberry.field(description="Whom it went to: the responsible person and the unit's principal, or the vice "
                                  "magistrate in charge.")
    async def officials(self, info: Info) -> list[Official]:
        rows = await info.context.loaders.official.load_many(self.official_ids)
        return [Official.from_row(r) for r in rows if r is not None]


@strawberry.type(description="A supervision item (督办事项): an instruction or decision numbered by the supervision "
                             "office, delivered to its lead unit, tracked to its verified result (000 §48; 003 §46, "
                             "§53).")
class SupervisionItem(CountyNode, relay.Node):
    model: ClassVar[type] = sm.SupervisionItem
    id: relay.NodeID[int]
    number: str = strawberry.field(description="Its number, e.g. 督〔2026〕37号: per county and year, without gaps.")
    source_kind: SourceKindEnum = strawberry.field(description="Where it comes from.")
    instruction: str = strawberry.field(description="What the instruction or decision asks.")
    instructed_on: dt.date = strawberry.field(description="The day the leader instructed (or the body decided).")
    state: SupervisionItemStateEnum = strawberry.field(description="Where it stands.")
    deadline_class: str | None = strawberry.field(description="The code of the deadline class it was given; null "
                                                              "before its deadline is set.")
    working_days: int | None = strawberry.field(description="Working days from delivery to its result; null for a "
                                                            "fixed day or before its deadline is set.")
    due_on: dt.date | None = strawberry.field(description="The last day for its result; null while it waits to be "
                                                          "delivered.")
    remind_before_days: int | None = strawberry.field(description="The reminder comes this many working days before "
                                                                  "the deadline passes (0: as it passes); null when "
                                                                  "the county entered no number.")
    escalate_after_days: int | None = strawberry.field(description="Escalated to the vice magistrate in charge this "
                                                                   "many working days after the deadline; null when "
                                                                   "the county entered no number.")
    waiting_reason: str | None = strawberry.field(description="Why a registered item waits for the office to deliver "
                                                              "it; null once delivered.")
    opened_at: dt.datetime = strawberry.field(description="When it was registered.")
    assigned_at: dt.datetime | None = strawberry.field(description="When it was delivered to the lead unit.")
    accepted_at: dt.datetime | None = strawberry.field(description="When the lead unit accepted it.")
    accepted_route: RouteEnum | None = strawberry.field(description="DIRECT when the principal accepted; else the "
                                                                    "cover route of whoever accepted for them.")
    result_reported_at: dt.datetime | None = strawberry.field(description="When the result now standing was "
                                                                          "reported.")
    closed_at: dt.datetime | None = strawberry.field(description="When the supervision office closed it.")
    closed_late: bool | None = strawberry.field(description="Closed on a result reported after its last day; null "
                                                            "until closed.")
    county_id: strawberry.Private[int]
    row: strawberry.Private[sm.SupervisionItem]

    @classmethod
    def from_row(cls, row: sm.SupervisionItem) -> SupervisionItem:
        return cls(id=row.id, number=row.number, source_kind=row.source_kind, instruction=row.instruction,
                   instructed_on=row.instructed_on, state=row.state, deadline_class=row.deadline_class,
                   working_days=row.working_days, due_on=row.due_on, remind_before_days=row.remind_before_days,
                   escalate_after_days=row.escalate_after_days, waiting_reason=row.waiting_reason,
                   opened_at=row.opened_at, assigned_at=row.assigned_at, accepted_at=row.accepted_at,
                   accepted_route=row.accepted_route, result_reported_at=row.result_reported_at,
                   closed_at=row.closed_at, closed_late=row.closed_late, county_id=row.county_id, row=row)

    @strawberry.field(description="Still owed by its unit and past its last day.")
    def overdue(self) -> bool:
        return sv.overdue(self.row.state, self.row.due_on, local_date(models.utcnow()))

    @strawberry.field(description="The global id of its source: a MeetingDecision, an IncomingRequest, a Proposal, or "
                                  "the Circulation whose reader instructed; null for an item registered by hand.")
    async def source_id(self, info: Info) -> relay.GlobalID | None:
        kind, source = self.row.source_kind, self.row.source_id
        if source is None or kind not in _SOURCE_TYPES:
            return None
        if kind == sv.SourceKind.CIRCULATION_INSTRUCTION:
            source = (await info.context.loaders.rows(models.CirculationReader).load(source)).circulation_id
        return relay.GlobalID(_SOURCE_TYPES[kind], str(source))

    @strawberry.field(description="The leader who instructed (for a meeting decision: the meeting's chair); null when "
                                  "none was named.")
    async def instructed_by(self, info: Info) -> Official | None:
        return await _official(info, self.row.instructed_by_id)

    @strawberry.field(description="The lead unit (承办单位).")
    async def lead_department(self, info: Info) -> Department:
        return Department.from_row(await info.context.loaders.department.load(self.row.lead_department_id))

    @strawberry.field(description="The co-operating units (协办单位).")
    async def co_departments(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.department.load_many(list(self.row.co_department_ids))
        return [Department.from_row(r) for r in rows if r is not None]

    @strawberry.field(description="The person responsible; null when none was named.")
    async def responsible_official(self, info: Info) -> Official | None:
        return await _official(info, self.row.responsible_official_id)

    @strawberry.field(description="The vice magistrate in charge of the lead unit today (000 §36): escalations go to "
                                  "them; null when none is.")
    async def vm_in_charge(self, info: Info) -> Official | None:
        day = local_date(models.utcnow())
        return await _official(info, await info.context.loaders.leader_in_charge.load(
            (self.row.lead_department_id, day)))

    @strawberry.field(description="Who registered it; null when it opened on its own (a meeting decision).")
    async def opened_by(self, info: Info) -> Official | None:
        return await _official(info, self.row.opened_by_id)

    @strawberry.field(description="Who accepted it for the lead unit.")
    async def accepted_by(self, info: Info) -> Official | None:
        return await _official(info, self.row.accepted_by_id)

    @strawberry.field(description="The principal it was accepted for, when someone covering for them accepted; null "
                                  "otherwise.")
    async def accepted_on_behalf_of(self, info: Info) -> Official | None:
        if self.row.accepted_for_id == self.row.accepted_by_id:
            return None
        return await _official(info, self.row.accepted_for_id)

    @strawberry.field(description="Who in the supervision office closed it.")
    async def closed_by(self, info: Info) -> Official | None:
        return await _official(info, self.row.closed_by_id)

    @strawberry.field(description="Its record: progress and result reports, reopenings and the closing, oldest "
                                  "first.")
    async def entries(self, info: Info) -> list[SupervisionEntry]:
        rows = await info.context.loaders.children(sm.SupervisionEntry, sm.SupervisionEntry.item_id).load(self.id)
        return [SupervisionEntry.from_row(r) for r in rows]

    @strawberry.field(description="Its reminders and escalations, oldest first.")
    async def lapses(self, info: Info) -> list[SupervisionLapse]:
        rows = await info.context.loaders.children(sm.SupervisionLapse, sm.SupervisionLapse.item_id).load(self.id)
        return [SupervisionLapse.from_row(r) for r in rows]


@strawberry.type(description="One row of the supervision office's periodic report to the county's leaders "
                             "(003 §46): a lead unit's or an instructing leader's items, counted.")
class SupervisionReportRow:
    open: int = strawberry.field(description="Items not closed.")
    overdue: int = strawberry.field(description="Items still owed past their last day.")
    closed_on_time: int = strawberry.field(description="Items closed on a result reported by the last day.")
    closed_late: int = strawberry.field(description="Items closed on a result reported after it.")
    department_id: strawberry.Private[int | None]
    leader_id: strawberry.Private[int | None]

    @strawberry.field(description="The lead unit (when grouped by unit).")
    async def unit(self, info: Info) -> Department | None:
        if self.department_id is None:
            return None
        return Department.from_row(await info.context.loaders.department.load(self.department_id))

    @strawberry.field(description="The instructing leader (when grouped by leader); null for items without one.")
    async def leader(self, info: Info) -> Official | None:
        return await _official(info, self.leader_id)


@strawberry.type(description="A deadline class (办理时限) of the county: working days to the result, when the "
                             "sweeper reminds and when it escalates. The rule set's defaults are the county's to "
                             "edit; a null number is one it left unset.")
class SupervisionDeadlineClass:
    code: str = strawberry.field(description="Its code, e.g. general.")
    name: str = strawberry.field(description="Its name.")
    working_days: int | None = strawberry.field(description="Working days from delivery to the result; null: the "
                                                            "county set none, and items wait for the office to give "
                                                            "each its deadline.")
    remind_before_days: int | None = strawberry.field(description="Remind this many working days before the deadline "
                                                                  "passes (0: as it passes); null: no reminder.")
    escalate_after_days: int | None = strawberry.field(description="Escalate to the vice magistrate in charge this "
                                                                   "many working days after; null: no escalation.")
    default: bool = strawberry.field(description="The class an item gets when its source names none.")
    article: str = strawberry.field(description="The rule it follows, e.g. 001 §37.")

    @classmethod
    def from_row(cls, row: sm.SupervisionDeadlineClass) -> SupervisionDeadlineClass:
        return cls(code=row.code, name=row.name, working_days=row.working_days,
                   remind_before_days=row.remind_before_days, escalate_after_days=row.escalate_after_days,
                   default=row.is_default, article=row.article)


@strawberry.type(description="The county's supervision data: its numbering prefix and deadline classes.")
class SupervisionRules:
    prefix: str = strawberry.field(description="The prefix of its item numbers: 督 in 督〔2026〕37号.")
    prefix_article: str = strawberry.field(description="The rule the numbering follows.")
    deadline_classes: list[SupervisionDeadlineClass] = strawberry.field(description="Its deadline classes.")


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="Which supervision items; all when every field is omitted. Fields combine with AND.")
class SupervisionItemFilter:
    lead_department_id: relay.GlobalID | None = strawberry.field(default=None, description="Led by this unit.")
    leader_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Instructed by this leader, or led by a unit in this vice magistrate's portfolio "
                                  "today.")
    state: SupervisionItemStateEnum | None = strawberry.field(default=None, description="In this state.")
    overdue: bool | None = strawberry.field(default=None, description="true: only items still owed past their last "
                                                                      "day; false: only the others.")


@strawberry.input(description="The deadline of an item being opened or delivered: working days, or a fixed last "
                              "day, or a class; the county's default class when all are omitted.")
class SupervisionDeadlineInput:
    working_days: int | None = strawberry.field(default=None, description="Working days from delivery (1–250).")
    due_on: dt.date | None = strawberry.field(default=None, description="Or a fixed last day, today or later.")
    deadline_class: str | None = strawberry.field(default=None, description="The class whose numbers apply (its "
                                                                            "reminder and escalation always do).")


@strawberry.input(description="An item the supervision office registers by hand.")
class OpenSupervisionItemInput:
    instruction: str = strawberry.field(description="What the instruction asks.")
    instructed_by_id: relay.GlobalID | None = strawberry.field(default=None, description="The instructing leader.")
    instructed_on: dt.date = strawberry.field(description="The day of the instruction.")
    lead_department_id: relay.GlobalID = strawberry.field(description="The lead unit (承办单位).")
    co_department_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                               description="The co-operating units.")
    responsible_official_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                      description="The person responsible.")
    deadline: SupervisionDeadlineInput | None = strawberry.field(default=None, description="Its deadline.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; your own when "
                                                                                  "omitted.")


@strawberry.input(description="An item the supervision office opens from a leader's instruction on a circulated "
                              "document.")
class OpenSupervisionItemFromInstructionInput:
    circulation_id: relay.GlobalID = strawberry.field(description="The circulation.")
    leader_id: relay.GlobalID = strawberry.field(description="The reader whose instruction it is.")
    lead_department_id: relay.GlobalID = strawberry.field(description="The lead unit (承办单位).")
    co_department_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                               description="The co-operating units.")
    responsible_official_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                      description="The person responsible.")
    deadline: SupervisionDeadlineInput | None = strawberry.field(default=None, description="Its deadline.")


@strawberry.input(description="A registered item the office delivers, with its deadline.")
class AssignSupervisionItemInput:
    supervision_item_id: relay.GlobalID = strawberry.field(description="The item.")
    deadline: SupervisionDeadlineInput | None = strawberry.field(default=None, description="Its deadline.")


@strawberry.input(description="A supervision item to act on.")
class SupervisionItemInput:
    supervision_item_id: relay.GlobalID = strawberry.field(description="The item.")


@strawberry.input(description="A supervision item and a text: a report, a reason, a note.")
class SupervisionTextInput:
    supervision_item_id: relay.GlobalID = strawberry.field(description="The item.")
    text: str = strawberry.field(description="The report, the reason or the note.")


@strawberry.input(description="A deadline class to add, or to replace (by its code).")
class PutSupervisionDeadlineClassInput:
    code: str = strawberry.field(description="Its code: lowercase letters, digits, underscores.")
    name: str = strawberry.field(description="Its name.")
    working_days: int | None = strawberry.field(default=None, description="Working days to the result (1–250); "
                                                                          "null: the office gives each item its "
                                                                          "deadline.")
    remind_before_days: int | None = strawberry.field(default=None, description="Remind this many working days "
                                                                                "before the deadline passes (0: as "
                                                                                "it passes); null: no reminder.")
    escalate_after_days: int | None = strawberry.field(default=None, description="Escalate this many working days "
                                                                                 "after; null: no escalation.")
    default: bool = strawberry.field(default=False, description="Make it the county's default class.")
    article: str = strawberry.field(description="The rule it follows.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; your own when "
                                                                                  "omitted.")


@strawberry.input(description="The prefix of the county's item numbers.")
class SetSupervisionPrefixInput:
    prefix: str = strawberry.field(description="E.g. 督, for 督〔2026〕37号.")
    article: str = strawberry.field(description="The rule the numbering follows.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; your own when "
                                                                                  "omitted.")


@strawberry.type(description="The supervision item changed.")
class SupervisionItemPayload:
    item: SupervisionItem = strawberry.field(description="The item.")


@strawberry.type(description="The county's supervision data, as changed.")
class SupervisionRulesPayload:
    rules: SupervisionRules = strawberry.field(description="The county's supervision data.")


SupervisionItemResult = Annotated[SupervisionItemPayload | MutationError, strawberry.union(
    "SupervisionItemResult", description="SupervisionItemPayload when it worked; MutationError when it changed "
                                         "nothing.")]
SupervisionRulesResult = Annotated[SupervisionRulesPayload | MutationError, strawberry.union(
    "SupervisionRulesResult", description="SupervisionRulesPayload when it worked; MutationError when it changed "
                                          "nothing.")]
