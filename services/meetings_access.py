"""Who may do what at a meeting: the caller's standings there, checked against policies/access_policy.csv.

An official's account stands at a meeting as the government office (a post in the office on the day),
the meeting's chair, or one of its members; Casbin's rows say which standing may take which action,
beside the account's own role (a county administrator keeps the office's desk). The resolvers refuse
with ``refusal`` and explainMeetingAction answers with ``permission``: one check for both.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Meeting, MeetingAttendance, utcnow
from domain.errors import DomainError, ErrorCode
from domain.meetings import AttendeeKind
from domain.roster import local_date
from policies import AccessControl
from services.auth import Principal
from services.documents import office_staff


class Standing(str, enum.Enum):
    """How an official stands at a meeting: the roles of the access policy's meeting rows."""

    OFFICE = "office"
    CHAIR = "chair"
    MEMBER = "member"


class MeetingAction(enum.Enum):
    SCHEDULE = "schedule"
    SEND_NOTICE = "send_notice"
    CANCEL_MEETING = "cancel_meeting"
    RECORD_ATTENDANCE = "record_attendance"
    ADD_ITEM = "add_item"
    OPEN_MEETING = "open_meeting"
    CLOSE_MEETING = "close_meeting"
    OPEN_ITEM = "open_item"
    PUT_TO_VOTE = "put_to_vote"
    CLOSE_VOTE = "close_vote"
    DEFER_ITEM = "defer_item"
    RECORD_CONCLUSION = "record_conclusion"
    CAST_VOTE = "cast_vote"
    RECORD_VOTE = "record_vote"
    GIVE_WRITTEN_OPINION = "give_written_opinion"
    RECORD_WRITTEN_OPINION = "record_written_opinion"
    RECORD_DECISION = "record_decision"
    DRAFT_MINUTES = "draft_minutes"
    LIST_PERSONS_CONCERNED = "list_persons_concerned"
    RAISE_RECUSAL = "raise_recusal"


@dataclass(frozen=True)
class ActionRule:
    """The policy row an action needs (object, act), and who holds it in words, with the article."""

    obj: str
    act: str
    who: str
    article: str

    @property
    def rule(self) -> str:
        return f"{self.obj}:{self.act}"


_OFFICE = ActionRule("meetings", "manage", "the government office", "001 §22")
_CHAIR = ActionRule("meeting_chair", "run", "the meeting's chair", "002 细则 §6")
_MEMBER_VOTES = ActionRule("meeting_vote", "cast", "a member of the meeting, for themselves", "002 细则 §6(五)")
_RECORDS_VOTE = ActionRule("meeting_vote", "record", "the government office, recording a member's vote or opinion "
                                                      "on their behalf", "001 §22; 002 细则 §6(四)(五)")
_MEMBER_WRITES = ActionRule("meeting_opinion", "give", "a member of the meeting, for themselves", "002 细则 §6(四)")
_RECORDS_DECISION = ActionRule("meeting_decision", "record", "the government office or the meeting's chair",
                               "002 细则 §6(七), §12")

RULES = {
    MeetingAction.SCHEDULE: _OFFICE, MeetingAction.SEND_NOTICE: _OFFICE, MeetingAction.CANCEL_MEETING: _OFFICE,
    MeetingAction.RECORD_ATTENDANCE: _OFFICE, MeetingAction.ADD_ITEM: _OFFICE,
    MeetingAction.OPEN_MEETING: _CHAIR, MeetingAction.CLOSE_MEETING: _CHAIR, MeetingAction.OPEN_ITEM: _CHAIR,
    MeetingAction.PUT_TO_VOTE: _CHAIR, MeetingAction.CLOSE_VOTE: _CHAIR, MeetingAction.DEFER_ITEM: _CHAIR,
    MeetingAction.RECORD_CONCLUSION: _CHAIR,
    MeetingAction.CAST_VOTE: _MEMBER_VOTES, MeetingAction.RECORD_VOTE: _RECORDS_VOTE,
    MeetingAction.GIVE_WRITTEN_OPINION: _MEMBER_WRITES, MeetingAction.RECORD_WRITTEN_OPINION: _RECORDS_VOTE,
    MeetingAction.RECORD_DECISION: _RECORDS_DECISION, MeetingAction.DRAFT_MINUTES: _OFFICE,
    MeetingAction.LIST_PERSONS_CONCERNED: _OFFICE, MeetingAction.RAISE_RECUSAL: _OFFICE,
}


async def standings(session: AsyncSession, *, county_id: int, official_id: int | None,
                    meeting: Meeting | None = None) -> set[Standing]:
    """The official's standings in the county today, and at ``meeting`` when given."""
    if official_id is None:
        return set()
    held = set()
    if official_id in await office_staff(session, county_id, local_date(utcnow())):
        held.add(Standing.OFFICE)
    if meeting is not None:
        if meeting.chair_id == official_id:
            held.add(Standing.CHAIR)
        member = (await session.execute(select(MeetingAttendance.id).where(
            MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.official_id == official_id,
            MeetingAttendance.kind == AttendeeKind.MEMBER))).scalar()
        if member is not None:
            held.add(Standing.MEMBER)
    return held


@dataclass(frozen=True)
class Permission:
    allowed: bool
    rule: ActionRule
    as_: str | None  # the account role or standing the row matched

    @property
    def reason(self) -> str:
        if self.allowed:
            return f"Allowed as {self.as_.replace('_', ' ')}: {self.rule.who} may ({self.rule.article})."
        return f"Only {self.rule.who} may do that ({self.rule.article})."


async def permission(session: AsyncSession, *, access: AccessControl, principal: Principal, county_id: int,
                     action: MeetingAction, meeting: Meeting | None = None) -> Permission:
    rule = RULES[action]
    held = await standings(session, county_id=county_id, official_id=principal.official_id, meeting=meeting)
    role = _matching_role(access, principal, county_id, rule, held)
    return Permission(role is not None, rule, role)


def _matching_role(access: AccessControl, principal: Principal, county_id: int, rule: ActionRule,
                   held: set[Standing]) -> str | None:
    """The account role or standing a policy row grants ``rule`` to; None when none does."""
    for role in (principal.role.value, *sorted(s.value for s in held)):
        if access.allows(role=role, home_county_id=principal.county_id, target_county_id=county_id,
                         obj=rule.obj, act=rule.act):
            return role
    return None


async def require(session: AsyncSession, *, access: AccessControl, principal: Principal, county_id: int,
                  action: MeetingAction, field: str, meeting: Meeting | None = None) -> Permission:
    """The permission, or FORBIDDEN naming who may and the article; nothing is written either way."""
    granted = await permission(session, access=access, principal=principal, county_id=county_id, action=action,
                               meeting=meeting)
    if not granted.allowed:
        raise DomainError(ErrorCode.FORBIDDEN, granted.reason, field=field)
    return granted


async def holds_office_desk(session: AsyncSession, *, access: AccessControl, principal: Principal,
                            county_id: int) -> bool:
    """The government office's desk outside any one meeting: its staff, or the county's administrator."""
    held = await standings(session, county_id=county_id, official_id=principal.official_id)
    return _matching_role(access, principal, county_id, _OFFICE, held) is not None
