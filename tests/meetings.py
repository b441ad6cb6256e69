"""GraphQL helpers for the meeting scenarios: one mutation by name, a refusal that must write nothing."""

from __future__ import annotations

import datetime as dt

from tests.test_roster_admin import snapshot

CST = dt.timezone(dt.timedelta(hours=8))

BODY = ("id kind name members attendees chairRole entrustedChairRoles decisionMode quorum personnelQuorum "
        "memberInChargeMustAttend passRule deferralMargin noticeLeadDays minutesSeries abPartnerCountsTowardQuorum "
        "article")
MEETING = ("id title year sequence state place chair { code } entrustedBy { code } adHocApprovedBy { code } "
           "attendance { kind status official { code } attendingFor { code } }")
ITEM = ("id title state outcome conclusion isPersonnel votes { choice member { code } } "
        "writtenOpinions { stance text member { code } } "
        "tally { for against abstain shouldAttend writtenFor writtenAgainst close }")

_PAYLOAD = {"MeetingBodyPayload": f"meetingBody {{ {BODY} }}", "MeetingPayload": f"meeting {{ {MEETING} }}",
            "AgendaItemPayload": f"item {{ {ITEM} }}"}
_MUTATIONS = {
    "addMeetingBody": ("AddMeetingBodyInput", "MeetingBodyPayload"),
    "updateMeetingBody": ("UpdateMeetingBodyInput", "MeetingBodyPayload"),
    "scheduleMeeting": ("ScheduleMeetingInput", "MeetingPayload"),
    "sendMeetingNotice": ("SendMeetingNoticeInput", "MeetingPayload"),
    "openMeeting": ("MeetingInput", "MeetingPayload"),
    "closeMeeting": ("MeetingInput", "MeetingPayload"),
    "cancelMeeting": ("MeetingInput", "MeetingPayload"),
    "recordAttendance": ("RecordAttendanceInput", "MeetingPayload"),
    "addAgendaItem": ("AddAgendaItemInput", "AgendaItemPayload"),
    "openAgendaItem": ("AgendaItemInput", "AgendaItemPayload"),
    "putToVote": ("AgendaItemInput", "AgendaItemPayload"),
    "closeVote": ("AgendaItemInput", "AgendaItemPayload"),
    "deferAgendaItem": ("AgendaItemInput", "AgendaItemPayload"),
    "recordConclusion": ("ConclusionInput", "AgendaItemPayload"),
    "castVote": ("CastVoteInput", "AgendaItemPayload"),
    "recordWrittenOpinion": ("WrittenOpinionInput", "AgendaItemPayload"),
}


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    input_type, payload = _MUTATIONS[mutation]
    query = (f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} ... on {payload} {{ {_PAYLOAD[payload]} }} }} }}")
    values = {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in input.items()}
    return (await api.ok(query, {"input": values}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] != "MutationError", result
    return result


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    """A mutation that must be refused with ``expect`` (code, field) and write nothing anywhere."""
    before = await snapshot(sessions)
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] == "MutationError", result
    assert (result["code"], result["field"]) == expect, result
    assert await snapshot(sessions) == before, "a refused change wrote something"
    return result


async def bodies(api, token: str, county_gid: str | None = None) -> dict[str, dict]:
    data = await api.ok(f"query($c: ID) {{ meetingBodies(countyId: $c) {{ {BODY} }} }}", {"c": county_gid},
                        token=token)
    return {body["name"]: body for body in data["meetingBodies"]}


# The party group of 002 as a county adds it, its members widened to the department principals: nine in all
# in the test county (magistrate, four vice magistrates, the office director and three bureau chiefs).
PARTY_GROUP = {
    "kind": "PARTY_GROUP", "name": "县政府党组会议", "members": ["MAGISTRATE", "VICE_MAGISTRATE", "DEPARTMENT_PRINCIPAL"],
    "chairRole": "MAGISTRATE", "decisionMode": "NAMED_VOTE", "quorum": ">1/2", "personnelQuorum": ">=2/3",
    "memberInChargeMustAttend": True, "passRule": ">1/2", "deferralMargin": 1, "noticeLeadDays": 1,
    "minutesSeries": "党组集体决策重大问题会议纪要", "article": "002 细则 §5–§6",
}
