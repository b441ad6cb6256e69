"""Corruption risk points (廉政风险点, 004 三) of a power version: on the power or on a step of its flowchart, rated by
the harm they would do, each control typed (004 三(四)); a version is not published while one of its points lacks
a level or a control. Both engines.
"""

from __future__ import annotations

from tests.county import PASSWORD, build_county
from tests.test_powers_catalogue import COMPLETE, refused, reviewed, succeed
from tests.test_powers_flowchart import FOUR_STEPS

ON_REVIEW = {"stepKey": "review", "category": "自由裁量", "description": "审核人员对“特殊情况”把握尺度不一",
             "level": "HIGH", "harm": "变相规避公开招标，造成财政资金损失",
             "controls": [{"kind": "SEPARATION", "description": "审核与审批岗位分设"},
                          {"kind": "TECHNOLOGY", "description": "电子监察系统全程留痕"}],
             "owner": "财政局政府采购股股长", "reviewOn": "2027-06-30"}
UNRATED = {"category": "利益冲突", "description": "审批人与供应商存在利害关系", "owner": "财政局分管副局长"}


async def test_a_version_is_published_only_when_every_risk_point_is_rated_and_controlled(api, sessions):
    county = await build_county(sessions)
    office = await api.login(county.account("DDIR1"), PASSWORD)
    power = await succeed(api, office, "createPower", code="330217001", holderKind="DEPARTMENT",
                          holderDepartmentId=county.department("财政局"), fields=COMPLETE)
    await succeed(api, office, "drawPowerFlowchart", powerId=power["id"], steps=FOUR_STEPS)

    # A point sits on a step the flowchart has; a level is justified by the harm; a control says what it does.
    await refused(api, sessions, office, "setPowerRiskPoints", expect=("INVALID", "stepKey"), powerId=power["id"],
                  riskPoints=[{**ON_REVIEW, "stepKey": "archive"}])
    await refused(api, sessions, office, "setPowerRiskPoints", expect=("INVALID", "harm"), powerId=power["id"],
                  riskPoints=[{**ON_REVIEW, "harm": " "}])
    await refused(api, sessions, office, "setPowerRiskPoints", expect=("INVALID", "controls"), powerId=power["id"],
                  riskPoints=[{**ON_REVIEW, "controls": [{"kind": "PROCEDURE", "description": ""}]}])
    await refused(api, sessions, office, "setPowerRiskPoints", expect=("INVALID", "owner"), powerId=power["id"],
                  riskPoints=[{**UNRATED, "owner": ""}])
    # Rating may wait while the version is prepared.
    power = await succeed(api, office, "setPowerRiskPoints", powerId=power["id"], riskPoints=[ON_REVIEW, UNRATED])
    points = power["latest"]["riskPoints"]
    assert [(p["stepKey"], p["level"], [c["kind"] for c in p["controls"]]) for p in points] == [
        ("review", "HIGH", ["SEPARATION", "TECHNOLOGY"]), (None, None, [])]
    # A step that carries a risk point is not drawn away.
    await refused(api, sessions, office, "drawPowerFlowchart", expect=("INVALID", "steps"), powerId=power["id"],
                  steps=[FOUR_STEPS[3]])

    await succeed(api, office, "submitPowerForReview", powerId=power["id"])
    await reviewed(api, office, county, power["id"])
    await succeed(api, office, "approvePower", powerId=power["id"])
    unrated = await refused(api, sessions, office, "publishPower", expect=("INVALID", "riskPoints"),
                            powerId=power["id"])
    assert "no level" in unrated["message"] and "004 三" in unrated["message"]
    rated = {**UNRATED, "level": "MEDIUM", "harm": "可能导致利益输送"}
    await succeed(api, office, "setPowerRiskPoints", powerId=power["id"], riskPoints=[ON_REVIEW, rated])
    uncontrolled = await refused(api, sessions, office, "publishPower", expect=("INVALID", "riskPoints"),
                                 powerId=power["id"])
    assert "no control" in uncontrolled["message"] and "004 三(四)" in uncontrolled["message"]
    controlled = {**rated, "controls": [{"kind": "INSTITUTION", "description": "执行回避制度"}]}
    await succeed(api, office, "setPowerRiskPoints", powerId=power["id"], riskPoints=[ON_REVIEW, controlled])
    power = await succeed(api, office, "publishPower", powerId=power["id"])
    assert power["inForce"]["number"] == 1

    # Published, the points are fixed; an amendment starts from them.
    await refused(api, sessions, office, "setPowerRiskPoints", expect=("WRONG_STATE", "powerId"),
                  powerId=power["id"], riskPoints=[])
    amended = await succeed(api, office, "amendPower", powerId=power["id"])
    assert amended["latest"]["riskPoints"] == power["latest"]["riskPoints"]
    assert len(amended["latest"]["riskPoints"]) == 2
