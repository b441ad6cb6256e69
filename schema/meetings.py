"""GraphQL types of meetings and collective decisions: bodies, meetings, attendance, items and named votes."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import meetings as m
from domain.meetings import meeting_title
from domain.meetings_recusal import item_base
from policies.meetings import BodySpec
from schema.labels import labelled_enum
from schema.meetings_records import MeetingRecusal, MinutesReminder, PersonConcerned
from schema.meetings_agenda import AgendaPipeline
from schema.lists import OrderDirection
from schema.mutations import MutationError
from schema.types import CountyNode, Official, official_by_id
from services import meetings
from services.meetings_minutes import number_of

if TYPE_CHECKING:
    from schema.documents import Document

BodyKindEnum = labelled_enum(m.BodyKind, name="MeetingBodyKind", description="What kind of meeting body it is.")
MemberRoleEnum = labelled_enum(m.MemberRole, name="MeetingMemberRole",
                               description="A position whose holders sit on a body, resolved on the meeting's day.")
DecisionModeEnum = labelled_enum(m.DecisionMode, name="DecisionMode", description="How a body decides its items.")
MeetingStateEnum = labelled_enum(m.MeetingState, name="MeetingState",
                                 description="Where a meeting is: planned → notice sent → in session → closed, or "
                                             "cancelled.")
AttendeeKindEnum = labelled_enum(m.AttendeeKind, name="AttendeeKind", description="In what capacity someone attends.")
AttendanceStatusEnum = labelled_enum(m.AttendanceStatus, name="AttendanceStatus",
                                     description="Whether an attendee is there.")
ItemStateEnum = labelled_enum(m.ItemState, name="AgendaItemState",
                              description="Where an item is: proposed → coordinated → checked → accepted → scheduled "
                                          "→ noticed → open → voting → decided or deferred; or withdrawn.")
VoteChoiceEnum = labelled_enum(m.VoteChoice, name="VoteChoice", description="A member's vote, or a written opinion's "
                                                                            "stance.")
VoteRouteEnum = labelled_enum(m.VoteRoute, name="VoteRoute", description="How a vote came onto the record.")
OutcomeEnum = labelled_enum(m.Outcome, name="AgendaItemOutcome", description="How an item was decided.")


@strawberry.type(description="A county's meeting body (全体会议, 常务会议, 县长办公会议, 专题会议, 党组会议), copied from its "
                             "rule set's table and edited by the county's administrator.")
class MeetingBody(CountyNode, relay.Node):
    model: ClassVar[type] = models.MeetingBody
    id: relay.NodeID[int]
    kind: BodyKindEnum = strawberry.field(description="What kind of body it is.")
    name: str = strawberry.field(description="Its name, unique in the county, e.g. 县政府常务会议.")
    members: list[MemberRoleEnum] = strawberry.field(description="Who sits on it, by position.")
    attendees: list[str] = strawberry.field(description="Fixed attendees (列席), in words; they never vote or count.")
    chair_role: MemberRoleEnum = strawberry.field(description="Who chairs it.")
    entrusted_chair_roles: list[MemberRoleEnum] = strawberry.field(
        description="Who may chair it when the chair entrusts them (e.g. the executive VM, 000 §39).")
    decision_mode: DecisionModeEnum = strawberry.field(description="Chair decides (县长负责制) or named vote.")
    quorum: str = strawberry.field(description="Members present needed to take up an item: '>1/2' more than half, "
                                               "'>=2/3' at least two thirds, '-' none.")
    personnel_quorum: str = strawberry.field(description="The same for personnel items (002 细则 §5: '>=2/3').")
    member_in_charge_must_attend: bool = strawberry.field(
        description="An item is not taken up without the member in charge of it (002 细则 §5).")
    pass_rule: str = strawberry.field(description="FOR votes needed, as a share of the members who should attend "
                                                  "(应到会, 002 细则 §6(六)): '>1/2'.")
    deferral_margin: int = strawberry.field(description="A vote is close, and may be deferred, when for and against "
                                                        "(written opinions included) differ by at most this.")
    notice_lead_days: int = strawberry.field(description="Working days the notice goes out before the meeting (county "
                                                         "data; the seeds say '会前', 002 at least 1).")
    minutes_series: str = strawberry.field(description="The series its minutes are numbered in, per year.")
    ab_partner_counts_toward_quorum: bool = strawberry.field(
        description="An AB partner attending for an absent VM counts toward quorum (the seeds are silent; default "
                    "no).")
    recused_leave_denominator: bool = strawberry.field(
        description="A member recused from an item (002 人事 §23) leaves its quorum base and the members who should "
                    "attend (应到会); the seeds are silent, default yes.")
    minutes_draft_days: int | None = strawberry.field(
        description="Working days from the meeting's end by which the minutes' draft goes for review (003 §46: 2); "
                    "null: no clock.")
    minutes_sign_days: int | None = strawberry.field(
        description="Working days from the meeting's end by which the minutes are signed (003 §46: a week, 5); null: "
                    "no clock.")
    minutes_clock_article: str = strawberry.field(description="The article that sets the minutes clocks; empty when "
                                                              "there are none.")
    article: str = strawberry.field(description="The articles the body's rules come from.")

    @classmethod
    def from_row(cls, row: models.MeetingBody) -> MeetingBody:
        spec = meetings.spec_of(row)
        return cls(id=row.id, kind=spec.kind, name=spec.name, members=list(spec.members),
                   attendees=list(spec.attendees), chair_role=spec.chair_role,
                   entrusted_chair_roles=list(spec.entrusted_chair_roles), decision_mode=spec.decision_mode,
                   quorum=spec.quorum, personnel_quorum=spec.personnel_quorum,
                   member_in_charge_must_attend=spec.member_in_charge_must_attend, pass_rule=spec.pass_rule,
                   deferral_margin=spec.deferral_margin, notice_lead_days=spec.notice_lead_days,
                   minutes_series=spec.minutes_series, ab_partner_counts_toward_quorum=spec.ab_partner_counts,
                   recused_leave_denominator=spec.recused_leave_denominator,
                   minutes_draft_days=spec.minutes_draft_days, minutes_sign_days=spec.minutes_sign_days,
                   minutes_clock_article=spec.minutes_clock_article, article=spec.article)


@strawberry.type(description="Someone at a meeting: a member, a substitute, an AB partner or a 列席 attendee.")
class MeetingAttendance:
    kind: AttendeeKindEnum = strawberry.field(description="In what capacity.")
    status: AttendanceStatusEnum = strawberry.field(description="Present, on leave, absent, or not yet recorded.")
    official_id: strawberry.Private[int]
    for_official_id: strawberry.Private[int | None]
    leave_granted_by_id: strawberry.Private[int | None] = None

    @classmethod
    def from_row(cls, row: models.MeetingAttendance) -> MeetingAttendance:
        return cls(kind=row.kind, status=row.status, official_id=row.official_id,
                   for_official_id=row.for_official_id, leave_granted_by_id=row.leave_granted_by_id)

    @strawberry.field(description="Who.")
    async def official(self, info: Info) -> Official:
        return await official_by_id(info, self.official_id)

    @strawberry.field(description="The absent member a substitute or an AB partner attends for.")
    async def attending_for(self, info: Info) -> Official | None:
        return await official_by_id(info, self.for_official_id)

    @strawberry.field(description="For a member on leave: who granted it (001 §24 the magistrate; 003 §52 the chair); "
                                  "null when not recorded.")
    async def leave_granted_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.leave_granted_by_id)


@strawberry.type(description="A member's named vote on an item.")
class MeetingVote:
    choice: VoteChoiceEnum = strawberry.field(description="For, against or abstain.")
    cast_at: dt.datetime = strawberry.field(description="When it was cast.")
    route: VoteRouteEnum = strawberry.field(description="Cast by the member, or a show of hands the office recorded "
                                                        "on the member's behalf.")
    official_id: strawberry.Private[int]
    recorded_by_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The member who voted.")
    async def member(self, info: Info) -> Official:
        return await official_by_id(info, self.official_id)

    @strawberry.field(description="The office's official who recorded a show of hands for the member; null when "
                                  "the member cast it, or an administrator's account recorded it (the audit trail "
                                  "names it).")
    async def recorded_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.recorded_by_id)


@strawberry.type(description="An absent member's written opinion: shown and weighed for deferral, never a vote "
                             "(002 细则 §6(四)(五)).")
class WrittenOpinion:
    stance: VoteChoiceEnum = strawberry.field(description="For, against or abstain.")
    text: str = strawberry.field(description="The opinion.")
    official_id: strawberry.Private[int]

    @strawberry.field(description="The absent member.")
    async def member(self, info: Info) -> Official:
        return await official_by_id(info, self.official_id)


@strawberry.type(description="An item's votes counted; computed, never typed.")
class VoteTally:
    for_: int = strawberry.field(name="for", description="Members present voting for.")
    against: int = strawberry.field(description="Members present voting against.")
    abstain: int = strawberry.field(description="Members present abstaining.")
    should_attend: int = strawberry.field(description="Members who should attend (应到会): the pass rule's base.")
    written_for: int = strawberry.field(description="Absent members' written opinions for; not counted as votes.")
    written_against: int = strawberry.field(description="Absent members' written opinions against; not counted.")
    close: bool = strawberry.field(description="For and against, written opinions included, are within the body's "
                                               "deferral margin: the chair may defer.")


@strawberry.type(description="An item (议题): proposed to a body, through the agenda pipeline to a meeting "
                             "whose notice lists it, then discussed and decided.")
class AgendaItem(CountyNode, AgendaPipeline, relay.Node):
    model: ClassVar[type] = models.AgendaItem
    id: relay.NodeID[int]
    title: str = strawberry.field(description="What the item is about.")
    is_personnel: bool = strawberry.field(description="A personnel item: the body's personnel quorum applies.")
    state: ItemStateEnum = strawberry.field(description="Where the item is.")
    outcome: OutcomeEnum | None = strawberry.field(description="How it was decided; null until decided.")
    conclusion: str | None = strawberry.field(description="The chair's conclusion, in chair-decides bodies.")
    decided_at: dt.datetime | None = strawberry.field(description="When it was decided.")
    member_in_charge_id: strawberry.Private[int | None]
    meeting_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.AgendaItem) -> AgendaItem:
        return cls(id=row.id, title=row.title, is_personnel=row.is_personnel, state=row.state, outcome=row.outcome,
                   conclusion=row.conclusion, decided_at=row.decided_at, member_in_charge_id=row.member_in_charge_id,
                   meeting_id=row.meeting_id, **AgendaPipeline.values(row))

    @strawberry.field(description="The member in charge of the item (分管).")
    async def member_in_charge(self, info: Info) -> Official | None:
        return await official_by_id(info, self.member_in_charge_id)

    @strawberry.field(description="The named votes, in the order cast.")
    async def votes(self, info: Info) -> list[MeetingVote]:
        rows = await info.context.loaders.votes_of_item.load(self.id)
        return [MeetingVote(choice=r.choice, cast_at=r.cast_at, route=r.route, official_id=r.official_id,
                            recorded_by_id=r.recorded_by_id) for r in rows]

    @strawberry.field(description="Absent members' written opinions.")
    async def written_opinions(self, info: Info) -> list[WrittenOpinion]:
        rows = await info.context.loaders.opinions_of_item.load(self.id)
        return [WrittenOpinion(stance=r.stance, text=r.text, official_id=r.official_id) for r in rows]

    @strawberry.field(description="Members recused from the item (002 人事 §23), in the order recorded.")
    async def recusals(self, info: Info) -> list[MeetingRecusal]:
        return [MeetingRecusal.from_row(r) for r in await info.context.loaders.recusals_of_item.load(self.id)]

    @strawberry.field(description="Whom a personnel item is about; members concerned or related to one are recused "
                                  "as it is taken up (002 人事 §23).")
    async def persons_concerned(self, info: Info) -> list[PersonConcerned]:
        row = await info.context.loaders.rows(models.AgendaItem).load(self.id)
        return [PersonConcerned(name=p["name"], official_id=p["official_id"]) for p in row.persons_concerned or []]

    @strawberry.field(description="The votes counted against the members who should attend; null until the item "
                                  "is on a meeting.")
    async def tally(self, info: Info) -> VoteTally | None:
        if self.meeting_id is None:
            return None
        loaders = info.context.loaders
        meeting = await loaders.rows(models.Meeting).load(self.meeting_id)
        body = await loaders.rows(models.MeetingBody).load(meeting.body_id)
        members = [r.official_id for r in await loaders.attendance_of_meeting.load(meeting.id)
                   if r.kind == m.AttendeeKind.MEMBER]
        # A recused member leaves 应到会 where the body says so, and their opinion never counts (002 人事 §23).
        recused = {r.official_id for r in await loaders.recusals_of_item.load(self.id)}
        base = item_base(members, recused, meetings.rules_of(body))
        counted = m.Tally.count((r.choice for r in await loaders.votes_of_item.load(self.id)
                                 if r.official_id not in recused),
                                (r.stance for r in await loaders.opinions_of_item.load(self.id)
                                 if r.official_id not in recused), len(base))
        return VoteTally(for_=counted.for_, against=counted.against, abstain=counted.abstain,
                         should_attend=counted.should_attend, written_for=counted.written_for,
                         written_against=counted.written_against,
                         close=counted.is_close(meetings.rules_of(body).deferral_margin))


@strawberry.type(description="A meeting of a body, numbered per body and year.")
class Meeting(CountyNode, relay.Node):
    model: ClassVar[type] = models.Meeting
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year it is numbered in (China time).")
    sequence: int = strawberry.field(description="Its number in the body's year, without gaps.")
    scheduled_at: dt.datetime = strawberry.field(description="When it is to start.")
    place: str = strawberry.field(description="Where.")
    state: MeetingStateEnum = strawberry.field(description="Where it is.")
    notice_sent_at: dt.datetime | None = strawberry.field(description="When the notice went out.")
    started_at: dt.datetime | None = strawberry.field(description="When it opened.")
    ended_at: dt.datetime | None = strawberry.field(description="When it closed.")
    body_id: strawberry.Private[int]
    chair_id: strawberry.Private[int]
    entrusted_by_id: strawberry.Private[int | None]
    ad_hoc_approved_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Meeting) -> Meeting:
        return cls(id=row.id, year=row.year, sequence=row.seq, scheduled_at=row.scheduled_at, place=row.place,
                   state=row.state, notice_sent_at=row.notice_sent_at, started_at=row.started_at,
                   ended_at=row.ended_at, body_id=row.body_id, chair_id=row.chair_id,
                   entrusted_by_id=row.entrusted_by_id, ad_hoc_approved_by_id=row.ad_hoc_approved_by_id)

    async def _body(self, info: Info) -> models.MeetingBody:
        return await info.context.loaders.rows(models.MeetingBody).load(self.body_id)

    @strawberry.field(description="The body it is a meeting of.")
    async def body(self, info: Info) -> MeetingBody:
        return MeetingBody.from_row(await self._body(info))

    @strawberry.field(description="Its title, e.g. 2026年第12次县政府常务会议.")
    async def title(self, info: Info) -> str:
        return meeting_title(self.year, self.sequence, (await self._body(info)).name)

    @strawberry.field(description="Who chairs it.")
    async def chair(self, info: Info) -> Official:
        return await official_by_id(info, self.chair_id)

    @strawberry.field(description="Who entrusted the chair; null when the body's own chair chairs.")
    async def entrusted_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.entrusted_by_id)

    @strawberry.field(description="Who approved it as an ad hoc meeting (临时召开); null for a regular one.")
    async def ad_hoc_approved_by(self, info: Info) -> Official | None:
        return await official_by_id(info, self.ad_hoc_approved_by_id)

    @strawberry.field(description="Its members (listed when it was scheduled) and the others who attend.")
    async def attendance(self, info: Info) -> list[MeetingAttendance]:
        rows = await info.context.loaders.attendance_of_meeting.load(self.id)
        return [MeetingAttendance.from_row(r) for r in rows]

    @strawberry.field(description="Its minutes' number in the body's yearly series, e.g. 常务会议纪要〔2026〕12号; null "
                                  "until the minutes are signed (002 细则 §6(七)).")
    async def minutes_number(self, info: Info) -> str | None:
        row = await info.context.loaders.rows(models.Meeting).load(self.id)
        return number_of(row, await self._body(info))

    @strawberry.field(description="Its minutes document (genre minutes), once the office has drafted it; null when "
                                  "there is none or you may not see it.")
    async def minutes_document(self, info: Info) -> Annotated[Document, strawberry.lazy("schema.documents")] | None:
        from resolvers.documents import visible_documents

        found = await info.context.loaders.minutes_of_meeting.load(self.id)
        return (await visible_documents(info, [found[0].id]))[0] if found else None

    @strawberry.field(description="The office's reminders that its minutes are late (003 §46).")
    async def minutes_reminders(self, info: Info) -> list[MinutesReminder]:
        return [MinutesReminder(clock=r.clock, due_at=r.due_at, sent_at=r.sent_at)
                for r in await info.context.loaders.minutes_reminders_of_meeting.load(self.id)]

    @strawberry.field(description="Its items, in the order listed.")
    async def items(self, info: Info) -> list[AgendaItem]:
        return [AgendaItem.from_row(r) for r in await info.context.loaders.items_of_meeting.load(self.id)]

    @strawberry.field(description="Your own row in its attendance (as a member, substitute, AB partner or 列席 "
                                  "attendee); null when you are not at it.")
    async def my_attendance(self, info: Info) -> MeetingAttendance | None:
        me = info.context.require_principal().official_id
        rows = await info.context.loaders.attendance_of_meeting.load(self.id)
        mine = next((r for r in rows if me is not None and r.official_id == me), None)
        if mine is None:
            return None
        return MeetingAttendance.from_row(mine)


# ---------------------------------------------------------------- inputs and payloads


class MeetingOrderField(enum.Enum):
    SCHEDULED_AT = "scheduled_at"


labelled_enum(MeetingOrderField, name="MeetingOrderField", description="What the meetings list is ordered by.")


@strawberry.input(description="The order of the meetings list: latest first unless asked otherwise.")
class MeetingOrder:
    field: MeetingOrderField = strawberry.field(default=MeetingOrderField.SCHEDULED_AT,
                                                description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Which way.")


@strawberry.input(description="Narrows the meetings list; every condition given must hold (AND).")
class MeetingFilter:
    scheduled_from: dt.date | None = strawberry.field(
        default=None, description="Scheduled on or after this day (Asia/Shanghai).")
    scheduled_to: dt.date | None = strawberry.field(
        default=None, description="Scheduled on or before this day (Asia/Shanghai), the day included.")
    body_id: relay.GlobalID | None = strawberry.field(default=None, description="Meetings of this body.")
    states: list[MeetingStateEnum] | None = strawberry.field(
        default=None, description="In one of these states; any state when omitted.")


@strawberry.input(description="A meeting body's rules; thresholds are '>1/2', '>=2/3' or '-' for none.")
class MeetingBodyInput:
    kind: BodyKindEnum = strawberry.field(description="What kind of body it is.")
    name: str = strawberry.field(description="Its name, unique in the county.")
    members: list[MemberRoleEnum] = strawberry.field(description="Who sits on it, by position.")
    chair_role: MemberRoleEnum = strawberry.field(description="Who chairs it; one of the member roles.")
    decision_mode: DecisionModeEnum = strawberry.field(description="Chair decides or named vote.")
    article: str = strawberry.field(description="The articles its rules come from, e.g. 002 细则 §5–§6.")
    minutes_series: str = strawberry.field(description="The series its minutes are numbered in.")
    attendees: list[str] = strawberry.field(default_factory=list, description="Fixed attendees (列席), in words.")
    entrusted_chair_roles: list[MemberRoleEnum] = strawberry.field(
        default_factory=list, description="Who may chair it when the chair entrusts them.")
    quorum: str = strawberry.field(default="-", description="Members present needed to take up an item.")
    personnel_quorum: str = strawberry.field(default="-", description="The same for personnel items.")
    member_in_charge_must_attend: bool = strawberry.field(default=False, description="An item is not taken up "
                                                                                     "without its member in charge.")
    pass_rule: str = strawberry.field(default=">1/2", description="FOR votes needed, as a share of the members who "
                                                                  "should attend (002 细则 §6(六)).")
    deferral_margin: int = strawberry.field(default=0, description="A vote this close may be deferred.")
    notice_lead_days: int = strawberry.field(default=1, description="Working days the notice goes out before.")
    ab_partner_counts_toward_quorum: bool = strawberry.field(default=False, description="An AB partner attending "
                                                             "for an absent VM counts toward quorum.")
    recused_leave_denominator: bool = strawberry.field(
        default=True, description="A recused member leaves the item's quorum base and 应到会 (002 人事 §23; the seeds "
                                  "are silent).")
    minutes_draft_days: int | None = strawberry.field(
        default=None, description="Working days from the meeting's end to the minutes' draft; null for no clock.")
    minutes_sign_days: int | None = strawberry.field(
        default=None, description="Working days from the meeting's end to the minutes' signature; null for no clock.")
    minutes_clock_article: str = strawberry.field(default="", description="The article setting the minutes clocks, "
                                                                          "e.g. 003 §46; required with a clock.")

    def spec(self) -> BodySpec:
        return BodySpec(kind=self.kind, name=self.name, members=tuple(self.members), attendees=tuple(self.attendees),
                        chair_role=self.chair_role, entrusted_chair_roles=tuple(self.entrusted_chair_roles),
                        decision_mode=self.decision_mode, quorum=self.quorum, personnel_quorum=self.personnel_quorum,
                        member_in_charge_must_attend=self.member_in_charge_must_attend, pass_rule=self.pass_rule,
                        deferral_margin=self.deferral_margin, notice_lead_days=self.notice_lead_days,
                        minutes_series=self.minutes_series, ab_partner_counts=self.ab_partner_counts_toward_quorum,
                        recused_leave_denominator=self.recused_leave_denominator,
                        minutes_draft_days=self.minutes_draft_days, minutes_sign_days=self.minutes_sign_days,
                        minutes_clock_article=self.minutes_clock_article, article=self.article)


@strawberry.input(description="A new meeting body, e.g. a party group following 002.")
class AddMeetingBodyInput:
    body: MeetingBodyInput = strawberry.field(description="Its rules.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="A meeting body's rules, replaced as a whole.")
class UpdateMeetingBodyInput:
    id: relay.GlobalID = strawberry.field(description="The body.")
    body: MeetingBodyInput = strawberry.field(description="Its new rules.")


@strawberry.input(description="A meeting to schedule.")
class ScheduleMeetingInput:
    body_id: relay.GlobalID = strawberry.field(description="The body meeting.")
    scheduled_at: dt.datetime = strawberry.field(description="When it starts; its year numbers it.")
    place: str = strawberry.field(description="Where.")
    chair_id: relay.GlobalID = strawberry.field(description="Who chairs: the body's chair, or someone entrusted.")
    entrusted_by_id: relay.GlobalID | None = strawberry.field(default=None, description="Who entrusted the chair.")
    ad_hoc_approved_by_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For an ad hoc meeting: the body's chair who approved it (003 §42, §48).")


@strawberry.input(description="A meeting to move on.")
class MeetingInput:
    meeting_id: relay.GlobalID = strawberry.field(description="The meeting.")


@strawberry.input(description="A meeting's notice sent to its members (002 细则 §6(三)).")
class SendMeetingNoticeInput:
    meeting_id: relay.GlobalID = strawberry.field(description="The meeting.")
    sent_at: dt.datetime | None = strawberry.field(
        default=None, description="When a notice delivered by hand or telephone went out, if before now (with its "
                                  "time zone); now when omitted. It must be at least the body's notice lead time in "
                                  "working days before the meeting's day, or the error is NOTICE_TOO_LATE.")


@strawberry.input(description="Someone's attendance at a meeting.")
class RecordAttendanceInput:
    meeting_id: relay.GlobalID = strawberry.field(description="The meeting.")
    official_id: relay.GlobalID = strawberry.field(description="Who.")
    status: AttendanceStatusEnum = strawberry.field(description="Present, on leave or absent.")
    kind: AttendeeKindEnum | None = strawberry.field(default=None, description="For someone not a member: substitute,"
                                                                               " AB partner, attending (列席) or "
                                                                               "observer (旁听).")
    for_official_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The absent member a substitute or AB partner attends for.")
    leave_granted_by_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For a member on leave: who granted it — the body's chair-role holder or the "
                                  "meeting's chair (001 §24; 003 §52).")


@strawberry.input(description="An item for a meeting.")
class AddAgendaItemInput:
    meeting_id: relay.GlobalID = strawberry.field(description="The meeting.")
    title: str = strawberry.field(description="What the item is about.")
    is_personnel: bool = strawberry.field(default=False, description="A personnel item (the personnel quorum).")
    member_in_charge_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                  description="The member in charge of it.")


@strawberry.input(description="An item to move on.")
class AgendaItemInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")


@strawberry.input(description="A named vote.")
class CastVoteInput:
    item_id: relay.GlobalID = strawberry.field(description="The item put to the vote.")
    choice: VoteChoiceEnum = strawberry.field(description="For, against or abstain.")
    member_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The member voting, when the office records it; yourself when omitted.")


@strawberry.input(description="An absent member's written opinion.")
class WrittenOpinionInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    member_id: relay.GlobalID = strawberry.field(description="The absent member.")
    stance: VoteChoiceEnum = strawberry.field(description="For, against or abstain.")
    text: str = strawberry.field(description="The opinion.")


@strawberry.input(description="The chair's conclusion on an item.")
class ConclusionInput:
    item_id: relay.GlobalID = strawberry.field(description="The item.")
    conclusion: str = strawberry.field(description="The conclusion, as the minutes will record it.")


@strawberry.type(description="The meeting body changed.")
class MeetingBodyPayload:
    meeting_body: MeetingBody = strawberry.field(description="The body.")


@strawberry.type(description="The meeting changed.")
class MeetingPayload:
    meeting: Meeting = strawberry.field(description="The meeting.")


@strawberry.type(description="The item changed.")
class AgendaItemPayload:
    item: AgendaItem = strawberry.field(description="The item.")


def _result(name: str, payload: type):
    return Annotated[payload | MutationError, strawberry.union(
        name, description=f"{payload.__name__} when it worked; MutationError when it changed nothing.")]


MeetingBodyResult = _result("MeetingBodyResult", MeetingBodyPayload)
MeetingResult = _result("MeetingResult", MeetingPayload)
AgendaItemResult = _result("AgendaItemResult", AgendaItemPayload)
