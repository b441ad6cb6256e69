"""GraphQL helpers for the meeting scenarios: one mutation by name, a refusal that must write nothing."""

from __future__ import annotations

import datetime as dt

from tests.test_roster_admin import refused_writing_nothing

CST = dt.timezone(dt.timedelta(hours=8))

BODY = ("id kind name members attendees chairRole entrustedChairRoles decisionMode quorum personnelQuorum "
        "memberInChargeMustAttend passRule deferralMargin noticeLeadDays minutesSeries abPartnerCountsTowardQuorum "
        "recusedLeaveDenominator minutesDraftDays minutesSignDays minutesClockArticle article")
MEETING = ("id title year sequence state place chair { code } entrustedBy { code } adHocApprovedBy { code } "
           "attendance { kind status official { code } attendingFor { code } }")
ITEM = ("id title state outcome conclusion isPersonnel votes { choice member { code } } "
        "writtenOpinions { stance text member { code } } "
        "tally { for against abstain shouldAttend writtenFor writtenAgainst close } "
        "kind noticedAt meeting { id } deferredFrom { id title } matter { code } sponsor { name } proposer { code } "
        "coordinatedBy { code } checkedBy { code } acceptedBy { code } "
        "materials { id kind title sentForReviewOn consultation { unit replyBy reply state } } "
        "recusals { reason relationKind concerning note member { code } } personsConcerned { name official { code } }")
RELATION = "id kind relativeName note official { code } relative { code }"
EMERGENCY = ("id state matter reasons decidedAt reportedAt decidedBy { code } body { name } "
             "reportItem { id title state kind meeting { id } deferredFrom { id } }")
MATTER = "id code name bodyKind personnel thresholdWan requiredMaterials legalityReviewLeadDays article"
MATERIAL = "id kind title fileName fileSize fileSha256 sentForReviewOn consultation { unit sentOn replyBy reply state }"

_PAYLOAD = {"MeetingBodyPayload": f"meetingBody {{ {BODY} }}", "MeetingPayload": f"meeting {{ {MEETING} }}",
            "AgendaItemPayload": f"item {{ {ITEM} }}", "CollectiveMatterPayload": f"matter {{ {MATTER} }}",
            "AgendaMaterialPayload": f"material {{ {MATERIAL} }}",
            "OfficialRelationPayload": f"relation {{ {RELATION} }}", "RemoveOfficialRelationPayload": "removedId",
            "EmergencyDecisionPayload": f"emergencyDecision {{ {EMERGENCY} }}",
            "DocumentPayload": "document { id title state body meeting flags }"}
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
    "addCollectiveMatter": ("AddCollectiveMatterInput", "CollectiveMatterPayload"),
    "updateCollectiveMatter": ("UpdateCollectiveMatterInput", "CollectiveMatterPayload"),
    "proposeAgendaItem": ("ProposeAgendaItemInput", "AgendaItemPayload"),
    "coordinateAgendaItem": ("AgendaStepInput", "AgendaItemPayload"),
    "checkAgendaItem": ("AgendaItemInput", "AgendaItemPayload"),
    "acceptAgendaItem": ("AgendaStepInput", "AgendaItemPayload"),
    "scheduleAgendaItem": ("ScheduleAgendaItemInput", "AgendaItemPayload"),
    "withdrawAgendaItem": ("AgendaItemInput", "AgendaItemPayload"),
    "addAgendaMaterial": ("AddAgendaMaterialInput", "AgendaMaterialPayload"),
    "recordConsultationReply": ("ConsultationReplyInput", "AgendaMaterialPayload"),
    "addOfficialRelation": ("AddOfficialRelationInput", "OfficialRelationPayload"),
    "removeOfficialRelation": ("RemoveOfficialRelationInput", "RemoveOfficialRelationPayload"),
    "recuseFromItem": ("RecuseInput", "AgendaItemPayload"),
    "setPersonsConcerned": ("SetPersonsConcernedInput", "AgendaItemPayload"),
    "draftMinutes": ("DraftMinutesInput", "DocumentPayload"),
    "recordEmergencyDecision": ("RecordEmergencyDecisionInput", "EmergencyDecisionPayload"),
}


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    input_type, payload = _MUTATIONS[mutation]
    query = (f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} ... on {payload} {{ {_PAYLOAD[payload]} }} }} }}")
    values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in input.items()}
    return (await api.ok(query, {"input": values}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] != "MutationError", result
    return result


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    """A mutation that must be refused with ``expect`` (code, field) and write nothing anywhere."""
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


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


async def through_the_pipeline(api, admin: str, county, *, body: str, title: str, meeting: str | None = None,
                               proposer: str = "FIN", coordinator: str = "EVM", chair: str = "MAG",
                               materials: list[dict] = (), **propose) -> dict:
    """An item proposed by a department principal, coordinated by the VM in charge, checked by the office,
    accepted by the chair and, given ``meeting``, scheduled on it: each step recorded by the office (``admin``)."""
    item = (await succeed(api, admin, "proposeAgendaItem", bodyId=body, title=title,
                          proposerId=county.official(proposer), **propose))["item"]
    for material in materials:
        await succeed(api, admin, "addAgendaMaterial", itemId=item["id"], **material)
    await succeed(api, admin, "coordinateAgendaItem", itemId=item["id"], officialId=county.official(coordinator))
    await succeed(api, admin, "checkAgendaItem", itemId=item["id"])
    item = (await succeed(api, admin, "acceptAgendaItem", itemId=item["id"], officialId=county.official(chair)))["item"]
    if meeting is not None:
        item = (await succeed(api, admin, "scheduleAgendaItem", itemId=item["id"], meetingId=meeting))["item"]
    return item
