"""Meetings for the demo county, made through the same services as the API.

Standing meetings in every state, a party-group meeting with named votes, a recusal from the relation
register, a deferred item, an emergency decision waiting to be reported, and a decision that authorised a
signed document. Days are counted on the county's working calendar back and forward from the day of
seeding, so the story holds whenever the demo is seeded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AgendaItem,
    ChainStep,
    Department,
    Document,
    Meeting,
    MeetingBody,
    MeetingDecision,
    Official,
    StepAssignment,
    utcnow,
)
from domain.calendar import WorkingCalendar
from domain.documents import Action, Direction, DocumentState, Genre, Issuer
from domain.meetings import AttendanceStatus, BodyKind, MeetingState, VoteChoice, meeting_title
from domain.meetings_agenda import ItemKind, MaterialKind
from domain.meetings_decisions import DecisionOutcome, DecisionState
from domain.meetings_recusal import PersonConcerned, RelationKind
from domain.roster import LOCAL_TZ, RuleSet, local_date
from policies.meetings import read_bodies
from services import audit, inbox, meetings, meetings_agenda, meetings_decisions, meetings_emergency
from services import documents as document_service
from services import meetings_minutes, meetings_recusal
from services.calendar import calendar_for
from services.signing_rules import SigningTables

def _working_days_after(calendar: WorkingCalendar, day: dt.date, count: int) -> dt.date:
    for _ in range(count):
        day += dt.timedelta(days=1)
        while not calendar.is_workday(day):
            day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ)


class _Demo:
    def __init__(self, session: AsyncSession, county_id: int, actor: audit.Actor) -> None:
        self.session, self.county_id, self.actor = session, county_id, actor
        self.tables = SigningTables()

    async def load(self) -> None:
        self.officials = dict((await self.session.execute(
            select(Official.code, Official.id).where(Official.county_id == self.county_id))).all())
        self.departments = dict((await self.session.execute(
            select(Department.name, Department.id).where(Department.county_id == self.county_id))).all())
        self.calendar = await calendar_for(self.session, county_id=self.county_id)
        self.today = local_date(utcnow())

    def before(self, working_days: int) -> dt.date:
        return self.calendar.working_days_before(self.today, working_days)

    def after(self, working_days: int) -> dt.date:
        return _working_days_after(self.calendar, self.today, working_days)

    def id(self, code: str) -> int:
        return self.officials[code]

    async def body(self, kind: BodyKind) -> MeetingBody:
        return next(b for b in await meetings.bodies_of(self.session, county_id=self.county_id) if b.kind == kind)

    async def meeting(self, body: MeetingBody, when: dt.datetime, place: str) -> Meeting:
        return await meetings.schedule(self.session, body=body, scheduled_at=when, place=place,
                                       chair_id=self.id("MAG"), entrusted_by_id=None, ad_hoc_approved_by_id=None,
                                       actor=self.actor)

    async def notice(self, meeting: Meeting, days_before: int) -> None:
        """Out ``days_before`` working days ahead of the meeting, or now if that day has not come yet."""
        day = self.calendar.working_days_before(local_date(meeting.scheduled_at), days_before)
        sent_at = _at(day, 10) if day < self.today else None
        await meetings.move(self.session, meeting=meeting, to=MeetingState.NOTICE_SENT, actor=self.actor,
                            notice_sent_at=sent_at)

    async def item(self, body: MeetingBody, title: str, *, proposer: str, department: str | None, coordinator: str,
                   kind: ItemKind = ItemKind.DECISION, matter: str | None = None,
                   materials: tuple[MaterialKind, ...] = (), meeting: Meeting | None = None) -> AgendaItem:
        """An item through the pipeline: proposed, coordinated, checked, accepted and, if given, scheduled."""
        session, actor = self.session, self.actor
        item = await meetings_agenda.propose(
            session, body=body, title=title, kind=kind, proposer_id=self.id(proposer), matter_code=matter,
            sponsor_department_id=self.departments[department] if department else None,
            member_in_charge_id=self.id(coordinator), actor=actor)
        for kind_of_material in materials:
            await meetings_agenda.add_material(session, item=item, kind=kind_of_material,
                                               title=f"{title}（{kind_of_material.value}）", actor=actor)
        await meetings_agenda.coordinate(session, item=item, official_id=self.id(coordinator), actor=actor)
        await meetings_agenda.check(session, item=item, official_id=self.id("DIR"), actor=actor)
        await meetings_agenda.accept(session, item=item, official_id=self.id("MAG"), actor=actor)
        if meeting is not None:
            await meetings_agenda.schedule(session, item=item, meeting=meeting, actor=actor)
        return item

    async def sit(self, meeting: Meeting, *, absent: tuple[str, ...] = ()) -> None:
        await meetings.move(self.session, meeting=meeting, to=MeetingState.IN_SESSION, actor=self.actor)
        for row in await meetings.attendance_of(self.session, meeting.id):
            code = next(c for c, i in self.officials.items() if i == row.official_id)
            away = code in absent
            # Leave from the meeting is the magistrate's to grant (001 §24).
            await meetings.record_attendance(self.session, meeting=meeting, official_id=row.official_id,
                                             status=AttendanceStatus.ON_LEAVE if away else AttendanceStatus.PRESENT,
                                             kind=None, for_official_id=None, actor=self.actor,
                                             leave_granted_by_id=self.id("MAG") if away else None)

    async def conclude(self, item: AgendaItem, conclusion: str) -> None:
        await meetings.open_item(self.session, item=item, actor=self.actor)
        await meetings.record_conclusion(self.session, item=item, conclusion=conclusion, actor=self.actor)

    async def vote(self, item: AgendaItem, choices: dict[str, VoteChoice]) -> None:
        await meetings.open_item(self.session, item=item, actor=self.actor)
        await meetings.start_vote(self.session, item=item, actor=self.actor)
        for code, choice in choices.items():
            await meetings.cast_vote(self.session, item=item, official_id=self.id(code), choice=choice,
                                     actor=self.actor)

    async def adopt(self, item: AgendaItem, text: str, outcome: DecisionOutcome, *,
                    department: str, person: str, days: int):
        return await meetings_decisions.adopt(self.session, item=item, actor=self.actor,
                                              fields=meetings_decisions.DecisionFields(
                                                  outcome=outcome, text=text,
                                                  responsible_department_ids=[self.departments[department]],
                                                  responsible_person_id=self.id(person), deadline_working_days=days,
                                                  supervision="县政府督查室跟踪督办", publishable=True))

    async def through_the_chain(self, document_id: int) -> None:
        """Everyone waiting on the document approves or signs in turn, until it is signed."""
        session = self.session
        while (await session.get(Document, document_id)).state != DocumentState.SIGNED:
            assignee_id, action = (await session.execute(
                inbox.waiting(county_id=self.county_id, assignee_ids=None)
                .where(StepAssignment.document_id == document_id)
                .with_only_columns(StepAssignment.assignee_id, ChainStep.action)
                .order_by(StepAssignment.id).limit(1))).one()
            verdict = document_service.Verdict.SIGN if action == Action.SIGN else document_service.Verdict.APPROVE
            await document_service.act(session, document_id=document_id, official_id=assignee_id, verdict=verdict,
                                       opinion="同意", tables=self.tables, actor=self.actor)

    async def submit(self, document_id: int, drafter: str) -> None:
        await document_service.submit(self.session, document_id=document_id, official_id=self.id(drafter),
                                      tables=self.tables, actor=self.actor)


# The demo's meetings lie within this many days of the day of seeding.
_SPAN = dt.timedelta(days=30)


def unknown_years(calendar: WorkingCalendar, today: dt.date) -> list[int]:
    """The years around ``today`` the calendar does not know: meetings count their days on it."""
    return sorted(year for year in {(today - _SPAN).year, (today + _SPAN).year} if not calendar.knows(year))


async def seed_meetings(session: AsyncSession, *, county_id: int, actor: audit.Actor) -> None:
    """Nothing when the working calendar of the weeks around today is not entered (describe_meetings says so)."""
    demo = _Demo(session, county_id, actor)
    await demo.load()
    if unknown_years(demo.calendar, demo.today):
        return
    standing = await demo.body(BodyKind.STANDING)
    place = "县政府三楼常务会议室"

    # Minutes signed: a large sum decided, the notice executing it signed, the minutes numbered and signed.
    first = await demo.meeting(standing, _at(demo.before(8), 9), place)
    renovation = await demo.item(standing, "关于县城老旧小区改造项目资金安排的议题", proposer="HUD",
                                 department="住房和城乡建设局", coordinator="VM3", matter="large_sum",
                                 materials=(MaterialKind.REQUEST, MaterialKind.LEGAL_BASIS), meeting=first)
    await demo.notice(first, 2)
    await demo.sit(first)
    await demo.conclude(renovation, "同意安排改造资金800万元，由县住建局牵头组织实施。")
    decision = await demo.adopt(renovation, "安排县城老旧小区改造资金800万元，由县住建局牵头实施，年底前完工。",
                                DecisionOutcome.PASSED, department="住房和城乡建设局", person="HUD", days=20)
    await meetings.move(session, meeting=first, to=MeetingState.CLOSED, actor=actor)
    notice = await document_service.create_draft(
        session, drafted_by_id=demo.id("HUD"), actor=actor, fields=document_service.DraftFields(
            title="关于下达县城老旧小区改造项目资金的通知", issuer=Issuer.COUNTY_GOVERNMENT, genre=Genre.NOTICE,
            direction=Direction.DOWNWARD, lead_department_id=demo.departments["住房和城乡建设局"],
            decision_id=decision.id, matter_code="large_sum", amount_wan=Decimal(800)))
    await demo.submit(notice.id, "HUD")
    await demo.through_the_chain(notice.id)
    await meetings_decisions.move(session, decision=decision, to=DecisionState.IN_EXECUTION, actor=actor)
    minutes = await meetings_minutes.draft_minutes(session, meeting=first, drafted_by_id=demo.id("DDIR1"),
                                                   actor=actor)
    await demo.submit(minutes.id, "DDIR1")
    await demo.through_the_chain(minutes.id)

    # Closed, its minutes not drafted yet.
    second = await demo.meeting(standing, _at(demo.before(3), 9), place)
    parks = await demo.item(standing, "关于城区公园绿地提升工程的议题", proposer="NRB", department="自然资源局",
                            coordinator="VM3", meeting=second)
    await demo.notice(second, 1)
    await demo.sit(second)
    await demo.conclude(parks, "原则同意，请县自然资源局修改完善后实施。")
    await meetings.move(session, meeting=second, to=MeetingState.CLOSED, actor=actor)

    # In session today, an item before it.
    third = await demo.meeting(standing, _at(demo.today, 8), place)
    school = await demo.item(standing, "关于2027年义务教育学校布局调整的议题", proposer="EDU", department="教育局",
                             coordinator="VM1", meeting=third)
    await demo.notice(third, 1)
    await demo.sit(third, absent=("VM2",))
    await meetings.open_item(session, item=school, actor=actor)

    # Noticed, planned and cancelled meetings ahead.
    fourth = await demo.meeting(standing, _at(demo.after(5), 9), place)
    await demo.item(standing, "关于农村饮水安全巩固提升工程的议题", proposer="AGR", department="农业农村局",
                    coordinator="VM4", meeting=fourth)
    await demo.notice(fourth, 1)
    cancelled = await demo.meeting(standing, _at(demo.after(8), 9), place)
    await meetings.move(session, meeting=cancelled, to=MeetingState.CANCELLED, actor=actor)
    await demo.meeting(standing, _at(demo.after(10), 9), place)
    await demo.item(standing, "关于县城供热管网改造的议题", proposer="HUD", department="住房和城乡建设局",
                    coordinator="VM3", meeting=None)

    # The vice magistrate in charge decided on the spot; the report goes on the next standing meeting.
    await meetings_emergency.record_decision(
        session, body=standing, decided_by_id=demo.id("VM2"), decided_at=_at(demo.before(1), 22), actor=actor,
        matter="调拨防汛物资支援石桥镇抢险", reasons="夜间河道水位超警戒，来不及召开会议")

    # The party group (002): a personnel item with a recusal from the register, a close vote deferred.
    # The county adds the party group as lulong-2018's table has it, voting as 002 细则 §5–§6 say.
    party_group_spec = next(spec for spec in read_bodies(RuleSet.LULONG_2018) if spec.kind == BodyKind.PARTY_GROUP)
    party_group = await meetings.add_body(session, county_id=county_id, actor=actor, spec=party_group_spec)
    await meetings_recusal.add_relation(session, county_id=county_id, official_id=demo.id("VM4"),
                                        kind=RelationKind.SIBLING, relative_id=demo.id("SQZ"), relative_name=None,
                                        note="兄弟关系", actor=actor)
    sitting = await demo.meeting(party_group, _at(demo.before(2), 15), "县政府党组会议室")
    nomination = await demo.item(party_group, "关于推荐石桥镇镇长人选的议题", proposer="EVM", department=None,
                                 coordinator="EVM", kind=ItemKind.PERSONNEL, meeting=sitting)
    await meetings_recusal.set_persons_concerned(session, item=nomination,
                                                 persons=[PersonConcerned(name="余春生", official_id=demo.id("SQZ"))],
                                                 actor=actor)
    restructuring = await demo.item(party_group, "关于县属国有企业重组方案的议题", proposer="EVM", department=None,
                                    coordinator="EVM", meeting=sitting)
    await demo.notice(sitting, 1)
    await demo.sit(sitting, absent=("VM5",))
    await meetings.record_written_opinion(session, item=restructuring, official_id=demo.id("VM5"),
                                          stance=VoteChoice.AGAINST, text="重组方案职工安置部分尚不完善，建议暂缓。",
                                          actor=actor)
    await demo.vote(nomination, {"MAG": VoteChoice.FOR, "EVM": VoteChoice.FOR, "VM1": VoteChoice.FOR,
                                 "VM2": VoteChoice.FOR, "VM3": VoteChoice.FOR, "DIR": VoteChoice.ABSTAIN})
    await meetings.close_vote(session, item=nomination, actor=actor)
    await demo.vote(restructuring, {"MAG": VoteChoice.FOR, "EVM": VoteChoice.FOR, "VM1": VoteChoice.AGAINST,
                                    "VM2": VoteChoice.AGAINST, "VM3": VoteChoice.ABSTAIN, "VM4": VoteChoice.FOR,
                                    "DIR": VoteChoice.AGAINST})
    await meetings.defer(session, item=restructuring, actor=actor)
    await meetings.move(session, meeting=sitting, to=MeetingState.CLOSED, actor=actor)
    # The deferred item waits for the party group's next meeting and goes on it when it is scheduled.
    await demo.meeting(party_group, _at(demo.after(6), 15), "县政府党组会议室")


async def describe_meetings(session: AsyncSession, *, county_id: int) -> list[str]:
    """Each meeting with its state and items, each decision with its documents, each emergency report — read
    from the data."""
    missing = unknown_years(await calendar_for(session, county_id=county_id), local_date(utcnow()))
    if not (await session.execute(select(Meeting.id).where(Meeting.county_id == county_id).limit(1))).first():
        years = ", ".join(map(str, missing))
        return [f"None seeded: the working calendar for {years} is not entered, and meetings count their notice "
                "and minutes days on it (`qianfa calendar enter-year`, then `qianfa seed-demo --reset`)."
                if missing else "None."]
    names = dict((await session.execute(select(Official.id, Official.name)
                                        .where(Official.county_id == county_id))).all())
    bodies = {b.id: b for b in await meetings.bodies_of(session, county_id=county_id)}
    lines = []
    for meeting in (await session.execute(select(Meeting).where(Meeting.county_id == county_id)
                                          .order_by(Meeting.body_id, Meeting.seq))).scalars():
        when = meeting.scheduled_at.astimezone(LOCAL_TZ)
        line = (f"{meeting_title(meeting.year, meeting.seq, bodies[meeting.body_id].name)} ({when:%Y-%m-%d %H:%M}): "
                f"{meeting.state.value}")
        number = meetings_minutes.number_of(meeting, bodies[meeting.body_id])
        if number:
            line += f", minutes {number}"
        lines.append(line)
        for item in (await session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                           .order_by(AgendaItem.id))).scalars():
            item_line = f"    {item.title}: {item.state.value}" + (f", {item.outcome.value}" if item.outcome else "")
            recused = [names[r.official_id] for r in await meetings_recusal.recusals_of(session, item.id)]
            if recused:
                item_line += f"; recused: {', '.join(recused)}"
            lines.append(item_line)
    waiting = (await session.execute(select(AgendaItem).where(AgendaItem.county_id == county_id,
                                                              AgendaItem.meeting_id.is_(None))
                                     .order_by(AgendaItem.id))).scalars().all()
    for item in waiting:
        lines.append(f"Waiting for a meeting of {bodies[item.body_id].name}: {item.title} ({item.state.value})")
    for decision in (await session.execute(select(MeetingDecision).where(MeetingDecision.county_id == county_id)
                                           .order_by(MeetingDecision.id))).scalars():
        executing = (await session.execute(select(Document.title, Document.state).where(
            Document.decision_id == decision.id).order_by(Document.id))).all()
        line = f"Decision “{decision.text}”: {decision.outcome.value}, {decision.state.value}"
        if executing:
            line += "; executed by " + ", ".join(f"{title} ({state.value})" for title, state in executing)
        lines.append(line)
    for emergency in await meetings_emergency.decisions_of(session, county_id=county_id):
        lines.append(f"Emergency decision by {names[emergency.decided_by_id]}: {emergency.matter} — "
                     f"{emergency.state.value}")
    return lines
