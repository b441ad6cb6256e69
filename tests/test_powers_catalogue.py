"""The county's power catalogue (职权目录, 004 一): a power from its first draft through review, approval and
publication to its amendment and revocation, and every refusal on the way. Both engines.

The government office drafts; the establishment office and the legal office (the justice bureau) review, their
written opinions recorded by the office; the government approves, optionally by a meeting decision; publishing
puts a version in force and the one it replaces becomes AMENDED. What the public side will read
(services.powers.published_powers) never holds a draft.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from strawberry.relay import to_base64

from db.models import AuditEvent
from domain.powers import HolderKind
from services import powers
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.test_existence_and_visibility import _decision
from tests.test_roster_admin import refused_writing_nothing

VERSION = ("number state name category legalBasis conditions output timeLimitDays fee feeBasis responsiblePost "
           "complaintChannel submittedAt approvedAt publishedOn endedOn approvedByDecision { id } "
           "reviews { office reviewer agreed opinion department { name } } "
           "flowchart { mermaid steps { key actor timeLimitDays requirements next { to label } } } "
           "riskPoints { stepKey category description level harm controls { kind description } owner reviewOn }")
POWER = (f"id code holderKind holderRole holderBody {{ name }} holderDepartment {{ name }} "
         f"latest {{ {VERSION} }} inForce {{ number state name }} versions {{ number state }} "
         f"overlaps {{ code holderKind holderRole holderDepartment {{ name }} }}")
_INPUTS = {
    "createPower": "CreatePowerInput", "editPowerDraft": "EditPowerDraftInput",
    "submitPowerForReview": "PowerInput", "recordPowerReview": "RecordPowerReviewInput",
    "approvePower": "ApprovePowerInput", "publishPower": "PowerInput", "amendPower": "PowerInput",
    "revokePower": "PowerInput", "drawPowerFlowchart": "DrawPowerFlowchartInput",
    "setPowerRiskPoints": "SetPowerRiskPointsInput",
}
COMPLETE = {"name": "政府采购方式变更审批", "category": "行政许可", "legalBasis": "《中华人民共和国政府采购法》第三十条",
            "conditions": "达到公开招标数额标准，因特殊情况需采用非公开招标方式", "output": "审批决定书",
            "timeLimitDays": 10, "responsiblePost": "财政局政府采购股股长", "complaintChannel": "县12345热线"}


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    query = (f"mutation($input: {_INPUTS[mutation]}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} ... on PowerPayload {{ power {{ {POWER} }} }} }} }}")
    return (await api.ok(query, {"input": input}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] == "PowerPayload", result
    return result["power"]


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


async def reviewed(api, token: str, county: County, power_id: str) -> dict:
    await succeed(api, token, "recordPowerReview", powerId=power_id, office="ESTABLISHMENT",
                  reviewer="县委编办 王科长", agreed=True)
    return await succeed(api, token, "recordPowerReview", powerId=power_id, office="LEGAL", reviewer="司法局 沈局长",
                         agreed=True, departmentId=county.department("司法局"))


async def in_catalogue(sessions, county: County) -> list[tuple[str, int, str]]:
    async with sessions() as session:
        return [(power.code, version.number, version.name)
                for power, version in await powers.published_powers(session, county.id)]


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


async def test_a_power_is_drafted_reviewed_approved_published_amended_and_revoked(api, sessions, county):
    office = await api.login(county.account("DDIR1"), PASSWORD)

    # The office drafts it, held by the finance bureau; a draft may be incomplete, review may not (004 一).
    power = await succeed(api, office, "createPower", code="330217001", holderKind="DEPARTMENT",
                          holderDepartmentId=county.department("财政局"), fields={"name": "政府采购方式变更审批"})
    assert (power["holderDepartment"], power["latest"]["state"], power["inForce"]) == ({"name": "财政局"}, "DRAFT",
                                                                                        None)
    missing = await refused(api, sessions, office, "submitPowerForReview", expect=("INVALID", "category"),
                            powerId=power["id"])
    assert "004 一" in missing["message"]
    await succeed(api, office, "editPowerDraft", powerId=power["id"], fields={**COMPLETE, "fee": "每件50元"})
    await refused(api, sessions, office, "submitPowerForReview", expect=("INVALID", "feeBasis"), powerId=power["id"])
    await succeed(api, office, "editPowerDraft", powerId=power["id"], fields={**COMPLETE, "timeLimitDays": None})
    await refused(api, sessions, office, "submitPowerForReview", expect=("INVALID", "timeLimitDays"),
                  powerId=power["id"])
    await succeed(api, office, "editPowerDraft", powerId=power["id"], fields=COMPLETE)
    power = await succeed(api, office, "submitPowerForReview", powerId=power["id"])
    assert power["latest"]["state"] == "UNDER_REVIEW"
    await refused(api, sessions, office, "editPowerDraft", expect=("WRONG_STATE", "powerId"), powerId=power["id"],
                  fields=COMPLETE)

    # No approval before both reviews agree; the legal review is the justice bureau's.
    waiting = await refused(api, sessions, office, "approvePower", expect=("WRONG_STATE", "powerId"),
                            powerId=power["id"])
    assert "establishment and the legal" in waiting["message"]
    await refused(api, sessions, office, "recordPowerReview", expect=("INVALID", "departmentId"), powerId=power["id"],
                  office="LEGAL", reviewer="财政局", agreed=True, departmentId=county.department("财政局"))
    await refused(api, sessions, office, "recordPowerReview", expect=("INVALID", "opinion"), powerId=power["id"],
                  office="ESTABLISHMENT", reviewer="县委编办", agreed=False)
    # The establishment office disagrees: back to draft, and the next submission needs both reviews again.
    power = await succeed(api, office, "recordPowerReview", powerId=power["id"], office="ESTABLISHMENT",
                          reviewer="县委编办 王科长", agreed=False, opinion="责任岗位应为政府采购股。")
    assert power["latest"]["state"] == "DRAFT"
    await succeed(api, office, "submitPowerForReview", powerId=power["id"])
    await succeed(api, office, "recordPowerReview", powerId=power["id"], office="LEGAL", reviewer="司法局 沈局长",
                  agreed=True, departmentId=county.department("司法局"))
    await refused(api, sessions, office, "approvePower", expect=("WRONG_STATE", "powerId"), powerId=power["id"])
    await succeed(api, office, "recordPowerReview", powerId=power["id"], office="ESTABLISHMENT",
                  reviewer="县委编办 王科长", agreed=True)

    # Approved by the magistrate's office meeting's decision, then published: in force and in the public catalogue.
    async with sessions() as session, session.begin():
        _, decision = await _decision(session, county)
    await refused(api, sessions, office, "publishPower", expect=("WRONG_STATE", "powerId"), powerId=power["id"])
    power = await succeed(api, office, "approvePower", powerId=power["id"],
                          decisionId=to_base64("MeetingDecision", decision))
    assert (power["latest"]["state"], power["latest"]["approvedByDecision"]) == (
        "APPROVED", {"id": to_base64("MeetingDecision", decision)})
    assert [r["agreed"] for r in power["latest"]["reviews"]] == [False, True, True]
    assert await in_catalogue(sessions, county) == []
    power = await succeed(api, office, "publishPower", powerId=power["id"])
    assert (power["inForce"]["number"], power["latest"]["publishedOn"] is not None) == (1, True)
    assert await in_catalogue(sessions, county) == [("330217001", 1, "政府采购方式变更审批")]

    # Amended: a new draft; the public still reads version 1 until version 2 is published.
    await refused(api, sessions, office, "editPowerDraft", expect=("WRONG_STATE", "powerId"), powerId=power["id"],
                  fields=COMPLETE)
    power = await succeed(api, office, "amendPower", powerId=power["id"])
    assert (power["latest"]["number"], power["latest"]["state"], power["latest"]["name"]) == (
        2, "DRAFT", "政府采购方式变更审批")
    await refused(api, sessions, office, "revokePower", expect=("WRONG_STATE", "powerId"), powerId=power["id"])
    await succeed(api, office, "editPowerDraft", powerId=power["id"], fields={**COMPLETE, "timeLimitDays": 7})
    assert await in_catalogue(sessions, county) == [("330217001", 1, "政府采购方式变更审批")]
    await succeed(api, office, "submitPowerForReview", powerId=power["id"])
    await reviewed(api, office, county, power["id"])
    await succeed(api, office, "approvePower", powerId=power["id"])
    power = await succeed(api, office, "publishPower", powerId=power["id"])
    assert power["versions"] == [{"number": 1, "state": "AMENDED"}, {"number": 2, "state": "PUBLISHED"}]
    assert power["inForce"]["number"] == 2 and power["latest"]["timeLimitDays"] == 7

    # Revoked: out of the public catalogue.
    power = await succeed(api, office, "revokePower", powerId=power["id"])
    assert (power["latest"]["state"], power["inForce"]) == ("REVOKED", None)
    assert await in_catalogue(sessions, county) == []
    async with sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.county_id == county.id, AuditEvent.action.like("power.%")))).scalars())
    assert {"power.create", "power.draft", "power.submit", "power.review", "power.returned", "power.approve",
            "power.publish", "power.amended", "power.revoke"} <= set(actions)


async def test_one_code_held_by_two_holders_is_flagged_and_only_the_office_keeps_the_catalogue(
        api, sessions, county):
    office, admin = await api.login(county.account("DDIR1"), PASSWORD), await api.login(county.admin, PASSWORD)
    finance = await api.login(county.account("FIN"), PASSWORD)
    by_bureau = await succeed(api, office, "createPower", code="330217002", holderKind="DEPARTMENT",
                              holderDepartmentId=county.department("财政局"), fields={"name": "财政资金拨付审批"})
    # The county administrator keeps the office's desk; a vice magistrate's role holding the same code overlaps.
    by_leader = await succeed(api, admin, "createPower", code="330217002", holderKind="POSITION_ROLE",
                              holderRole="EXECUTIVE_VICE_MAGISTRATE", fields={"name": "财政资金拨付审批"})
    assert by_leader["overlaps"] == [{"code": "330217002", "holderKind": "DEPARTMENT", "holderRole": None,
                                      "holderDepartment": {"name": "财政局"}}]
    listed = await api.ok("{ powers { totalCount edges { node { id overlaps { holderRole } } } } }",
                          token=office)
    assert [e["node"] for e in listed["powers"]["edges"]] == [
        {"id": by_bureau["id"], "overlaps": [{"holderRole": "EXECUTIVE_VICE_MAGISTRATE"}]},
        {"id": by_leader["id"], "overlaps": [{"holderRole": None}]}]
    drafts = '{ drafts: powers(states: [DRAFT]) { totalCount } published: powers(states: [PUBLISHED]) { totalCount } }'
    assert await api.ok(drafts, token=office) == {"drafts": {"totalCount": 2}, "published": {"totalCount": 0}}

    # The same holder does not hold one code twice; a holder is one of a kind and matches it.
    await refused(api, sessions, office, "createPower", expect=("DUPLICATE", "code"), code="330217002",
                  holderKind="DEPARTMENT", holderDepartmentId=county.department("财政局"), fields={"name": "重复"})
    await refused(api, sessions, office, "createPower", expect=("INVALID", "holderRole"), code="330217003",
                  holderKind="POSITION_ROLE", holderRole="DEPARTMENT_PRINCIPAL", fields={"name": "审批"})
    await refused(api, sessions, office, "createPower", expect=("INVALID", "holderBodyId"), code="330217003",
                  holderKind="BODY", fields={"name": "审批"})
    await refused(api, sessions, office, "createPower", expect=("INVALID", "holderDepartmentId"), code="330217003",
                  holderKind="POSITION_ROLE", holderRole="MAGISTRATE",
                  holderDepartmentId=county.department("财政局"), fields={"name": "审批"})
    await refused(api, sessions, office, "createPower", expect=("INVALID", "code"), code=" ",
                  holderKind="POSITION_ROLE", holderRole="MAGISTRATE", fields={"name": "审批"})
    await refused(api, sessions, office, "createPower", expect=("INVALID", "name"), code="330217003",
                  holderKind="POSITION_ROLE", holderRole="MAGISTRATE", fields={"name": " "})
    # A department's principal keeps no catalogue, not even of their own powers (004 一).
    await refused(api, sessions, finance, "createPower", expect=("FORBIDDEN", "countyId"), code="330217004",
                  holderKind="DEPARTMENT", holderDepartmentId=county.department("财政局"), fields={"name": "审批"})
    await refused(api, sessions, finance, "editPowerDraft", expect=("FORBIDDEN", "powerId"),
                  powerId=by_bureau["id"], fields={"name": "改"})

    # Another county's office sees this one's power as missing, from every mutation and in its list.
    other = await build_county(sessions, code="lulong")
    theirs = await api.login(other.account("DDIR1"), PASSWORD)
    missing = await refused(api, sessions, theirs, "submitPowerForReview", expect=("NOT_FOUND", "powerId"),
                            powerId=by_bureau["id"])
    nothing = await refused(api, sessions, theirs, "submitPowerForReview", expect=("NOT_FOUND", "powerId"),
                            powerId=to_base64("Power", 999_999))
    assert missing["message"] == nothing["message"]
    assert (await api.ok("{ powers { totalCount } }", token=theirs))["powers"]["totalCount"] == 0


async def test_the_catalogue_reads_in_the_same_statements_for_one_power_as_for_five(api, sessions, county):
    async with sessions() as session, session.begin():
        for n in range(5):
            await powers.create(session, county_id=county.id, code=f"3302170{n:02}",
                                        holder=powers.Holder(kind=HolderKind.DEPARTMENT,
                                                             department_id=county.departments["财政局"]),
                                        fields=powers.VersionFields(name=f"职权{n}"), actor=SYSTEM)
    token = await api.login(county.admin, PASSWORD)
    query = f"query($first: Int!) {{ powers(first: $first) {{ edges {{ node {{ {POWER} }} }} }} }}"
    one, five = (await api.call(query, {"first": 1}, token=token)), (await api.call(query, {"first": 5}, token=token))
    assert not one.errors and not five.errors and len(five.data["powers"]["edges"]) == 5
    assert one.sql_statements == five.sql_statements
