"""Decisions authorise documents, and the signing table's gate for matters the catalogue sends to a body.

"一般不得以传阅会签或个别征求意见等形式代替集体议事和会议表决" (002 细则 §2; 000 §7, §16; 001 §18; 003 §7, §24): a
large sum is not concluded by a signature alone. Both engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64, to_base64

from db.models import AuditEvent
from domain.roster import RuleSet
from services import deadlines
from tests.county import PASSWORD, County, build_county
from tests.test_meetings_decisions import concluded, succeed as decided_ok
from tests.test_roster_admin import snapshot

DRAFT = """mutation($d: DraftInput!) { createDraft(input: $d) { __typename
  ... on DocumentPayload { document { id flags matterCode amountWan decision { id meeting { title } } } }
  ... on MutationError { code field message } } }"""
LINK = """mutation($input: LinkDocumentToDecisionInput!) { linkDocumentToDecision(input: $input) { __typename
  ... on DocumentPayload { document { id decision { id } } } ... on MutationError { code field message } } }"""
SUBMIT = """mutation($id: ID!) { submitDocument(input: {documentId: $id}) { __typename
  ... on DocumentPayload { document { state } } ... on MutationError { code field message } } }"""
APPROVE = """mutation($id: ID!) { approveStep(input: {documentId: $id, opinion: "同意"}) { __typename
  ... on AssignmentPayload { document { state } } ... on MutationError { code field message } } }"""
SIGN = """mutation($id: ID!) { signDocument(input: {documentId: $id}) { __typename
  ... on AssignmentPayload { document { state } } ... on MutationError { code field message } } }"""
CHAIN = """query($id: ID!) { node(id: $id) { ... on Document { state
  chain { action state dueAt deadline { article problem } assignments { state assignee { code } } } } } }"""
ISSUE_CLOCK = """query($id: ID!) { node(id: $id) { ... on Document { issueDueAt issueDeadline { article problem }
  chain { deadline { article } } } } }"""
EXPLAIN = """query($id: ID!) { explain(documentId: $id, action: SIGN) { allowed reason rule { rule article } } }"""
ADOPT = {"outcome": "PASSED", "text": "同意安排城乡供水一体化项目资金300万元。"}
WATER = "关于安排城乡供水一体化项目资金的通知"


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


async def decision_of(api, sessions, county: County, body: str = "县政府常务会议", **meeting) -> str:
    """A standing (or other chair-decides) meeting's passed decision on the water project; its id."""
    _, item = await concluded(sessions, county, title="关于城乡供水一体化项目资金安排的议题", body=body, **meeting)
    return (await decided_ok(api, await api.login(county.admin, PASSWORD), "adoptDecision", itemId=item,
                             **ADOPT))["id"]


async def draft(api, county: County, *, title: str = WATER, drafter: str = "FIN", department: str = "财政局",
                **extra) -> dict:
    token = await api.login(county.account(drafter), PASSWORD)
    return (await api.ok(DRAFT, {"d": {"title": title, "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
                                       "direction": "DOWNWARD", "leadDepartmentId": county.department(department),
                                       **extra}}, token=token))["createDraft"]


async def to_signature(api, county: County, document: str, drafter: str = "FIN") -> str:
    """Submit the document and approve every step before the signature; the signer's code."""
    token = await api.login(county.account(drafter), PASSWORD)
    assert (await api.ok(SUBMIT, {"id": document}, token=token))["submitDocument"]["document"]["state"] == \
        "IN_PROGRESS"
    while True:
        chain = (await api.ok(CHAIN, {"id": document}, token=await api.login(county.admin, PASSWORD)))["node"]["chain"]
        active = next(s for s in chain if s["state"] == "ACTIVE")
        waiting = [a["assignee"]["code"] for a in active["assignments"] if a["state"] == "WAITING"]
        if active["action"] == "SIGN":
            return waiting[0]
        result = (await api.ok(APPROVE, {"id": document}, token=await api.login(county.account(waiting[0]),
                                                                              PASSWORD)))["approveStep"]
        assert result["__typename"] == "AssignmentPayload", result


async def sign(api, county: County, document: str, signer: str) -> dict:
    return (await api.ok(SIGN, {"id": document}, token=await api.login(county.account(signer), PASSWORD)))[
        "signDocument"]


async def test_a_large_sum_is_not_signed_without_a_passed_decision_of_the_standing_meeting(api, sessions, county):
    document = (await draft(api, county, matterCode="large_sum", amountWan="300"))["document"]
    assert (document["matterCode"], document["amountWan"], document["decision"]) == ("large_sum", "300.00", None)
    signer = await to_signature(api, county, document["id"])
    token = await api.login(county.account(signer), PASSWORD)
    explained = (await api.ok(EXPLAIN, {"id": document["id"]}, token=token))["explain"]
    assert not explained["allowed"]
    assert explained["rule"] == {"rule": "Y-18-collective", "article": "001 §18; 002 细则 §2"}
    before = await snapshot(sessions)
    refusal = await sign(api, county, document["id"], signer)
    assert (refusal["__typename"], refusal["code"]) == ("MutationError", "NOT_ALLOWED_BY_TABLE")
    assert "Y-18-collective" in refusal["message"] and "001 §18" in refusal["message"]
    assert await snapshot(sessions) == before


async def test_with_a_passed_decision_of_the_standing_meeting_it_is_signed(api, sessions, county):
    decision = await decision_of(api, sessions, county)
    document = (await draft(api, county, matterCode="large_sum", amountWan="300", decisionId=decision))["document"]
    assert document["decision"] == {"id": decision, "meeting": {"title": "2026年第1次县政府常务会议"}}
    signer = await to_signature(api, county, document["id"])
    assert (await sign(api, county, document["id"], signer))["document"]["state"] == "SIGNED"


async def test_a_decision_of_the_magistrates_office_meeting_does_not_stand_for_the_standing_meetings(
        api, sessions, county):
    decision = await decision_of(api, sessions, county, body="县长办公会议")
    document = (await draft(api, county, matterCode="large_sum", amountWan="300", decisionId=decision))["document"]
    signer = await to_signature(api, county, document["id"])
    refusal = await sign(api, county, document["id"], signer)
    assert refusal["code"] == "NOT_ALLOWED_BY_TABLE" and "Y-18-collective" in refusal["message"]


async def test_below_the_catalogues_threshold_no_decision_is_needed(api, sessions, county):
    document = (await draft(api, county, matterCode="large_sum", amountWan="20"))["document"]
    signer = await to_signature(api, county, document["id"])
    assert (await sign(api, county, document["id"], signer))["document"]["state"] == "SIGNED"


async def test_a_decision_suspended_after_the_link_no_longer_authorises_the_signature(api, sessions, county):
    decision = await decision_of(api, sessions, county)
    document = (await draft(api, county, matterCode="large_sum", amountWan="300", decisionId=decision))["document"]
    signer = await to_signature(api, county, document["id"])
    await decided_ok(api, await api.login(county.admin, PASSWORD), "suspendDecision", decisionId=decision,
                     reason="中期评估建议暂缓执行（三重一大 二(八)）。")
    assert (await sign(api, county, document["id"], signer))["code"] == "NOT_ALLOWED_BY_TABLE"


@pytest.mark.parametrize(("extra", "expect"), [
    ({"flags": ["MEETING_DECIDED"]}, ("DERIVED_FLAG", "flags")),
    ({"flags": ["UNDECIDED_COLLECTIVE"]}, ("DERIVED_FLAG", "flags")),
    ({"matterCode": "large_sum"}, ("INVALID", "amountWan")),
    ({"matterCode": "no_such_matter"}, ("NOT_FOUND", "matterCode")),
    ({"amountWan": "300"}, ("INVALID", "matterCode")),
    ({"matterCode": "large_sum", "amountWan": "-1"}, ("INVALID", "amountWan")),
    ({"matterCode": "large_sum", "amountWan": "300.001"}, ("INVALID", "amountWan")),
])
async def test_a_draft_names_its_matter_and_amount_and_never_sets_a_derived_flag(api, sessions, county, extra,
                                                                                 expect):
    before = await snapshot(sessions)
    result = await draft(api, county, **extra)
    assert (result["__typename"], result["code"], result["field"]) == ("MutationError", *expect), result
    assert await snapshot(sessions) == before


async def test_a_decision_of_another_county_cannot_be_linked(api, sessions, county):
    other = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    theirs = await decision_of(api, sessions, other, present=["MAG", "EVM", "VM1", "VM2"])
    document = (await draft(api, county))["document"]["id"]
    token = await api.login(county.account("FIN"), PASSWORD)
    before = await snapshot(sessions)
    linked = (await api.ok(LINK, {"input": {"documentId": document, "decisionId": theirs}}, token=token))[
        "linkDocumentToDecision"]
    missing = (await api.ok(LINK, {"input": {"documentId": document, "decisionId": to_base64("MeetingDecision", 9999)}},
                            token=token))["linkDocumentToDecision"]
    assert linked == missing == {"__typename": "MutationError", "code": "NOT_FOUND", "field": "decisionId",
                                 "message": "No such meeting decision."}
    assert (await draft(api, county, decisionId=theirs))["code"] == "NOT_FOUND"
    assert await snapshot(sessions) == before


async def test_the_drafter_links_a_draft_to_a_passed_decision_that_stands(api, sessions, county):
    decision = await decision_of(api, sessions, county)
    document = (await draft(api, county))["document"]["id"]
    link = {"input": {"documentId": document, "decisionId": decision}}
    before = await snapshot(sessions)
    other = (await api.ok(LINK, link, token=await api.login(county.account("EDU"), PASSWORD)))[
        "linkDocumentToDecision"]
    assert (other["code"], other["field"]) == ("FORBIDDEN", "documentId")
    await decided_ok(api, await api.login(county.admin, PASSWORD), "suspendDecision", decisionId=decision,
                     reason="暂缓执行。")
    before = await snapshot(sessions)
    suspended = (await api.ok(LINK, link, token=await api.login(county.account("FIN"), PASSWORD)))[
        "linkDocumentToDecision"]
    assert (suspended["code"], suspended["field"]) == ("DECISION_NOT_AUTHORISING", "decisionId")
    assert await snapshot(sessions) == before

    standing = await decision_of(api, sessions, county)
    token = await api.login(county.account("FIN"), PASSWORD)
    linked = (await api.ok(LINK, {"input": {"documentId": document, "decisionId": standing}}, token=token))[
        "linkDocumentToDecision"]
    assert linked["document"]["decision"]["id"] == standing
    query = "query($id: ID!) { node(id: $id) { ... on MeetingDecision { documents { id } } } }"
    assert (await api.ok(query, {"id": standing}, token=token))["node"]["documents"] == [{"id": document}]
    await to_signature(api, county, document)
    submitted = (await api.ok(LINK, {"input": {"documentId": document, "decisionId": standing}}, token=token))[
        "linkDocumentToDecision"]
    assert (submitted["code"], submitted["field"]) == ("WRONG_STATE", "documentId")


async def test_lulongs_office_director_signs_on_the_standing_meetings_authorisation_and_names_it(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    decision = await decision_of(api, sessions, county, present=["MAG", "EVM", "VM1", "VM2"])
    document = (await draft(api, county, title="关于印发城区道路改造实施方案的通知", decisionId=decision))["document"]
    signer = await to_signature(api, county, document["id"])
    assert signer == "DIR"
    assert (await sign(api, county, document["id"], signer))["document"]["state"] == "SIGNED"
    async with sessions() as session:
        signed = (await session.execute(select(AuditEvent).where(AuditEvent.action == "document.sign"))).scalar_one()
    assert signed.after["decision_id"] == int(from_base64(decision)[1])
    assert signed.after["decision_meeting"] == "2026年第1次县政府常务会议"


async def test_yanjin_a_decided_document_is_issued_within_7_working_days_of_the_meetings_end(api, sessions, county):
    # The meeting ended on Thursday Sep 24; signed weeks later, the clock still counts from the meeting:
    # Sep 28, 29, 30, Oct 8, 9, 10 (the swapped Saturday), 12 — Sep 25 Mid-autumn, Oct 1–7 National Day (001 §22).
    decision = await decision_of(api, sessions, county)
    document = (await draft(api, county, decisionId=decision))["document"]["id"]
    assert (await sign(api, county, document, await to_signature(api, county, document)))["document"]["state"] == \
        "SIGNED"
    node = (await api.ok(ISSUE_CLOCK, {"id": document}, token=await api.login(county.admin, PASSWORD)))["node"]
    # The clock runs to issuing 印发, not to the signature (services.issuing).
    assert node["chain"][-1]["deadline"] is None and node["issueDeadline"]["article"] == "001 §22"
    due = dt.datetime.fromisoformat(node["issueDueAt"])
    assert due == dt.datetime(2026, 10, 13, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    # Overdue, the sweeper has the office reminded once (tests/test_issuing_clock.py).
    assert (await deadlines.sweep(sessions, now=due + dt.timedelta(hours=1))).issues_reminded == 1


async def test_the_clock_waits_while_the_deciding_meeting_has_not_ended(api, sessions, county):
    decision = await decision_of(api, sessions, county, ended_at=None)
    document = (await draft(api, county, decisionId=decision))["document"]["id"]
    assert (await sign(api, county, document, await to_signature(api, county, document)))["document"]["state"] == \
        "SIGNED"
    node = (await api.ok(ISSUE_CLOCK, {"id": document}, token=await api.login(county.admin, PASSWORD)))["node"]
    assert node["issueDueAt"] is None and "has not ended" in node["issueDeadline"]["problem"]
