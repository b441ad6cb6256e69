"""The document-signing power's flowchart (公文签发流程图, 004 二) is generated from the county's live signing table and
its deadline table, so it cannot drift: a row the county administrator adds through the API changes it at once,
and removing the row changes it back. Both engines.
"""

from __future__ import annotations

from domain.powers_flowchart import signing_mermaid
from tests.county import PASSWORD, build_county
from tests.test_powers_catalogue import COMPLETE, refused, reviewed, succeed

FLOWCHART = ("{ signingFlowchart { mermaid steps { key action conditions timeLimitDays timeLimitArticle "
             "actors { role conditions rule article } next { to label } } } }")
ADD_RULE = """mutation($rule: SigningRuleInput!) { addSigningRule(input: $rule) {
  __typename ... on SigningRulePayload { signingRule { id } } ... on MutationError { code field message } } }"""
REMOVE_RULE = """mutation($id: ID!) { removeSigningRule(input: {id: $id}) { __typename } }"""


def step(flowchart: dict, key: str) -> dict:
    return next(s for s in flowchart["steps"] if s["key"] == key)


async def test_the_signing_flowchart_follows_the_live_signing_table(api, sessions):
    county = await build_county(sessions)
    reader, admin = await api.login(county.account("EDU"), PASSWORD), await api.login(county.admin, PASSWORD)

    flowchart = (await api.ok(FLOWCHART, token=reader))["signingFlowchart"]
    # Chain order, then issuing; the office's check has the 3-day limit of the deadline table (000 §51).
    assert [s["key"] for s in flowchart["steps"]] == [
        "office_review", "legal_review", "co_sign", "co_review", "review", "sign", "issue"]
    office = step(flowchart, "office_review")
    assert (office["timeLimitDays"], office["timeLimitArticle"]) == (3, "000 §51, from activation")
    assert office["actors"][0] == {"role": "office_reviewer",
                                   "conditions": "issuer=county_government|government_office|joint_party_government",
                                   "rule": "Y-31-office", "article": "001 §31"}
    # The legal check only normative documents take: a labelled branch around it.
    assert office["next"] == [{"to": "legal_review", "label": "if Y-31-legal"},
                              {"to": "co_sign", "label": "otherwise"}]
    assert step(flowchart, "sign")["timeLimitDays"] is None
    assert flowchart["mermaid"].startswith("flowchart TD\n")
    assert '  office_review -->|"if Y-31-legal"| legal_review\n' in flowchart["mermaid"]
    assert '  co_sign -->|"if Y-22-minutes, Y-22-chaired, Y-23-party"| review\n' in flowchart["mermaid"]

    # The county administrator has the office director review every document: the review is no branch any more.
    added = (await api.ok(ADD_RULE, {"rule": {
        "priority": 140, "action": "REVIEW", "role": "office_director", "effect": "allow", "rule": "Y-31-review",
        "article": "001 §31"}}, token=admin))["addSigningRule"]
    assert added["__typename"] == "SigningRulePayload", added
    changed = (await api.ok(FLOWCHART, token=reader))["signingFlowchart"]
    assert step(changed, "review")["conditions"] == ""
    assert step(changed, "co_sign")["next"] == [{"to": "co_review", "label": "if Y-33-cross"},
                                                {"to": "review", "label": "otherwise"}]
    assert "  co_sign -->|\"otherwise\"| review\n" in changed["mermaid"]

    # Removed again: the flowchart is the one the table gave before.
    removed = await api.ok(REMOVE_RULE, {"id": added["signingRule"]["id"]}, token=admin)
    assert removed["removeSigningRule"]["__typename"] == "SigningRulePayload"
    assert (await api.ok(FLOWCHART, token=reader))["signingFlowchart"] == flowchart


def test_an_empty_table_gives_a_flowchart_from_start_to_done_with_quotes_escaped():
    assert signing_mermaid([], '"公文"签发') == (
        'flowchart TD\n  start(["#quot;公文#quot;签发"])\n  done(["done"])\n  start --> done\n')


FOUR_STEPS = [
    {"key": "accept", "actor": "政务服务中心财政窗口", "timeLimitDays": 1, "requirements": "申请书、采购项目说明",
     "next": [{"to": "review", "label": "材料齐全"}, {"to": "done", "label": "材料不全，一次性告知"}]},
    {"key": "review", "actor": "财政局政府采购股", "timeLimitDays": 5, "next": [{"to": "decide"}]},
    {"key": "decide", "actor": "财政局分管副局长", "timeLimitDays": 3, "next": [{"to": "notify"}]},
    {"key": "notify", "actor": "政务服务中心财政窗口", "timeLimitDays": 1},
]


async def test_a_power_s_drawn_flowchart_needs_a_time_limit_on_every_step_and_is_copied_into_its_amendment(
        api, sessions):
    county = await build_county(sessions)
    office = await api.login(county.account("DDIR1"), PASSWORD)
    power = await succeed(api, office, "createPower", code="330217001", holderKind="DEPARTMENT",
                          holderDepartmentId=county.department("财政局"), fields=COMPLETE)

    # Every step states its time limit in working days (004 二); its ways on name steps; keys are safe node names.
    no_limit = [FOUR_STEPS[0], {**FOUR_STEPS[1], "timeLimitDays": None}, *FOUR_STEPS[2:]]
    missing = await refused(api, sessions, office, "drawPowerFlowchart", expect=("INVALID", "timeLimitDays"),
                            powerId=power["id"], steps=no_limit)
    assert "review" in missing["message"] and "004 二" in missing["message"]
    await refused(api, sessions, office, "drawPowerFlowchart", expect=("INVALID", "next"), powerId=power["id"],
                  steps=[{**FOUR_STEPS[0], "next": [{"to": "nowhere"}]}])
    await refused(api, sessions, office, "drawPowerFlowchart", expect=("INVALID", "key"), powerId=power["id"],
                  steps=[{**FOUR_STEPS[3], "key": "end"}])
    await refused(api, sessions, office, "drawPowerFlowchart", expect=("INVALID", "key"), powerId=power["id"],
                  steps=[FOUR_STEPS[3], FOUR_STEPS[3]])
    await refused(api, sessions, office, "drawPowerFlowchart", expect=("INVALID", "steps"), powerId=power["id"],
                  steps=[])

    power = await succeed(api, office, "drawPowerFlowchart", powerId=power["id"], steps=FOUR_STEPS)
    chart = power["latest"]["flowchart"]
    assert [(s["key"], s["timeLimitDays"]) for s in chart["steps"]] == [
        ("accept", 1), ("review", 5), ("decide", 3), ("notify", 1)]
    assert chart["mermaid"] == (
        'flowchart TD\n  start(["政府采购方式变更审批"])\n'
        '  accept["政务服务中心财政窗口<br/>1 working days"]\n  review["财政局政府采购股<br/>5 working days"]\n'
        '  decide["财政局分管副局长<br/>3 working days"]\n  notify["政务服务中心财政窗口<br/>1 working days"]\n'
        '  done(["done"])\n  start --> accept\n'
        '  accept -->|"材料齐全"| review\n  accept -->|"材料不全，一次性告知"| done\n'
        '  review --> decide\n  decide --> notify\n  notify --> done\n')

    # Under review the flowchart is fixed; published and amended, the new draft starts from the same flowchart.
    await succeed(api, office, "submitPowerForReview", powerId=power["id"])
    await refused(api, sessions, office, "drawPowerFlowchart", expect=("WRONG_STATE", "powerId"),
                  powerId=power["id"], steps=FOUR_STEPS)
    await reviewed(api, office, county, power["id"])
    await succeed(api, office, "approvePower", powerId=power["id"])
    await succeed(api, office, "publishPower", powerId=power["id"])
    amended = await succeed(api, office, "amendPower", powerId=power["id"])
    assert amended["latest"]["number"] == 2 and amended["latest"]["flowchart"] == chart
