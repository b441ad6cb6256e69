"""Documents through their chains, gated and routed by each county's signing table (docs/DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Document
from domain.roster import AbsenceReason, RuleSet
from services import roster
from tests.county import OFFICIALS, PASSWORD, SYSTEM, build_county

DRAFT = """mutation($d: DraftInput!) { createDraft(input: $d) {
  __typename ... on DocumentPayload { document { id state } } ... on MutationError { code field message } } }"""
SUBMIT = """mutation($id: ID!) { submitDocument(input: {documentId: $id}) {
  __typename ... on DocumentPayload { document { state chain { position action state assignments { assignee { code } } } } }
  ... on MutationError { code field message } } }"""
APPROVE = """mutation($id: ID!, $opinion: String, $circled: Boolean! = false) {
  approveStep(input: {documentId: $id, opinion: $opinion, circled: $circled}) {
  __typename ... on AssignmentPayload { assignment { state opinion route actedBy { code } onBehalfOf { code } } document { state } }
  ... on MutationError { code field message } } }"""
DISSENT = """mutation($id: ID!, $reasons: String!) { dissent(input: {documentId: $id, reasons: $reasons}) {
  __typename ... on AssignmentPayload { assignment { state opinion } } ... on MutationError { code field message } } }"""
SIGN = """mutation($id: ID!) { signDocument(input: {documentId: $id}) {
  __typename ... on AssignmentPayload { assignment { state route actedBy { code } onBehalfOf { code } } document { state } }
  ... on MutationError { code field message } } }"""
CHAIN = """query($id: ID!) { node(id: $id) { ... on Document { state
  chain { position action state parallel rules { rule article } assignments { state assignee { code } actedBy { code } route opinion } }
  history { kind actor { code } onBehalfOf { code } route opinion undone } } } }"""
PREDICT = """query($id: ID!) { node(id: $id) { ... on Document { predictedChain {
  position action alternatives parallel rules { rule article }
  assignees { role official { code } actingNow { actor { code } hops { reason } } } } } } }"""
RETURN = """mutation($id: ID!, $to: Int, $reason: String!) { returnDocument(input: {documentId: $id, toStep: $to, reason: $reason}) {
  __typename ... on DocumentPayload { document { state chain { position state } } } ... on MutationError { code field message } } }"""
WITHDRAW = """mutation($id: ID!) { withdraw(input: {documentId: $id}) {
  __typename ... on DocumentPayload { document { state chain { position state } } } ... on MutationError { code field message } } }"""
INBOX = """query($urgent: Boolean) { inbox(urgent: $urgent) { totalCount edges { node {
  route onBehalfOf { code } document { title } step { action } } } } }"""
EXPLAIN = """query($id: ID!, $action: StepAction!) { explain(documentId: $id, action: $action) {
  allowed reason route rule { rule article } onBehalfOf { code } } }"""

CST = dt.timezone(dt.timedelta(hours=8))
OFFICIAL_NAMES = {code: name for code, name, *_ in OFFICIALS}


class Desk:
    """The county's people at their desks: sign in once each, act by staff code."""

    def __init__(self, api, county):
        self.api, self.county, self.tokens = api, county, {}

    async def token(self, code: str) -> str:
        if code not in self.tokens:
            self.tokens[code] = await self.api.login(self.county.account(code), PASSWORD)
        return self.tokens[code]

    async def do(self, code: str, query: str, **variables) -> dict:
        data = await self.api.ok(query, variables, token=await self.token(code))
        return next(iter(data.values()))

    async def draft(self, code: str = "EDU", **fields) -> str:
        draft = {"title": "关于加强校园安全管理的通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
                 "direction": "DOWNWARD", "leadDepartmentId": self.county.department("教育局"), **fields}
        created = await self.do(code, DRAFT, d=draft)
        assert created["__typename"] == "DocumentPayload", created
        return created["document"]["id"]

    async def chain(self, document_id: str, code: str = "DIR") -> dict:
        data = await self.api.ok(CHAIN, {"id": document_id}, token=await self.token(code))
        return data["node"]


async def away(sessions, county, code, *, acting=None):
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials[code], starts_at=start,
                                    ends_at=start + dt.timedelta(days=3), reason=AbsenceReason.BUSINESS_TRIP,
                                    acting_official_id=county.officials[acting] if acting else None, actor=SYSTEM)


@pytest.fixture
async def yanjin(sessions):
    return await build_county(sessions, code="yanjin", rule_set=RuleSet.YANJIN_2023)


@pytest.fixture
def desk(api, yanjin) -> Desk:
    return Desk(api, yanjin)


async def test_the_predicted_chain_shows_who_acts_and_the_rule_before_submission(desk):
    document = await desk.draft(coSponsorIds=[desk.county.department("财政局")])
    data = await desk.api.ok(PREDICT, {"id": document}, token=await desk.token("EDU"))
    steps = data["node"]["predictedChain"]
    assert [(s["action"], [a["official"]["code"] for a in s["assignees"]]) for s in steps] == [
        ("OFFICE_REVIEW", ["DIR"]), ("CO_SIGN", ["FIN"]), ("CO_REVIEW", ["EVM", "VM1"]), ("SIGN", ["MAG", "EVM"]),
    ]
    assert steps[-1]["alternatives"] is True and steps[2]["parallel"] is True
    assert {"rule": "Y-33-cross", "article": "001 §33"} in steps[-1]["rules"]


async def test_a_notice_within_one_portfolio_goes_office_review_then_the_vm_in_charge_signs(desk):
    document = await desk.draft()
    submitted = await desk.do("EDU", SUBMIT, id=document)
    assert submitted["document"]["state"] == "IN_PROGRESS"
    assert [(s["action"], s["state"]) for s in submitted["document"]["chain"]] == [
        ("OFFICE_REVIEW", "ACTIVE"), ("SIGN", "WAITING")]

    too_early = await desk.do("VM1", SIGN, id=document)
    assert too_early["__typename"] == "MutationError" and too_early["code"] == "NOT_YOUR_TURN"

    reviewed = await desk.do("DIR", APPROVE, id=document, opinion="拟同意，请吴副县长签发。")
    assert reviewed["assignment"]["state"] == "APPROVED" and reviewed["assignment"]["route"] == "DIRECT"
    signed = await desk.do("VM1", SIGN, id=document)
    assert signed["document"]["state"] == "SIGNED"
    chain = await desk.chain(document)
    assert chain["chain"][1]["assignments"][0]["actedBy"]["code"] == "VM1"
    # Signed, not yet issued: issuing 印发 is the office's act after signing (tests/test_issuing_*.py).
    assert [e["kind"] for e in chain["history"]] == ["SUBMITTED", "APPROVED", "SIGNED"]


async def test_the_magistrate_is_away_so_the_executive_vice_magistrate_signs_the_city_request(desk, sessions):
    document = await desk.draft(genre="REQUEST", direction="UPWARD_CITY", requestedMatters=["申请校舍改造资金"])
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, circled=True)
    await away(sessions, desk.county, "MAG")
    signed = await desk.do("EVM", SIGN, id=document)
    assert signed["__typename"] == "AssignmentPayload", signed
    assert signed["assignment"]["actedBy"]["code"] == "EVM"
    assert signed["assignment"]["onBehalfOf"]["code"] == "MAG"
    assert signed["assignment"]["route"] == "PRESIDING"
    history = (await desk.chain(document))["history"]
    assert {"kind": "SIGNED", "actor": {"code": "EVM"}, "onBehalfOf": {"code": "MAG"}, "route": "PRESIDING",
            "opinion": "签发", "undone": False} in history


async def test_a_circle_on_a_request_means_agreed(desk):
    document = await desk.draft(genre="REQUEST", direction="UPWARD_CITY", requestedMatters=["申请资金"])
    await desk.do("EDU", SUBMIT, id=document)
    circled = await desk.do("DIR", APPROVE, id=document, circled=True)
    assert circled["assignment"]["opinion"] == "圈阅：同意"
    empty = await desk.do("MAG", APPROVE, id=document)
    assert empty["code"] == "INVALID"  # the step waiting now is the signature


async def test_a_review_without_an_opinion_is_refused(desk):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    refused = await desk.do("DIR", APPROVE, id=document)
    assert (refused["code"], refused["field"]) == ("OPINION_REQUIRED", "opinion")


async def test_yanjin_a_vm_is_away_the_ab_partner_signs_the_urgent_notice_but_not_the_ordinary_one(desk, sessions):
    urgent = await desk.draft(title="关于防汛紧急部署的通知", flags=["URGENT"])
    ordinary = await desk.draft(title="关于学期安排的通知")
    for document in (urgent, ordinary):
        await desk.do("EDU", SUBMIT, id=document)
        await desk.do("DIR", APPROVE, id=document, opinion="请签发")
    await away(sessions, desk.county, "VM1")

    inbox = await desk.do("EVM", INBOX)
    assert {(e["node"]["document"]["title"], e["node"]["route"], e["node"]["onBehalfOf"]["code"])
            for e in inbox["edges"]} == {("关于防汛紧急部署的通知", "AB_PARTNER", "VM1"),
                                         ("关于学期安排的通知", "AB_PARTNER", "VM1")}

    allowed = await desk.do("EVM", EXPLAIN, id=urgent, action="SIGN")
    assert allowed["allowed"] is True
    assert allowed["reason"].endswith(f"acting for {OFFICIAL_NAMES['VM1']} as the AB partner (AB角)."), allowed["reason"]
    signed = await desk.do("EVM", SIGN, id=urgent)
    assert signed["assignment"]["route"] == "AB_PARTNER" and signed["document"]["state"] == "SIGNED"
    refused = await desk.do("EVM", SIGN, id=ordinary)
    assert refused["code"] == "NOT_ALLOWED_BY_TABLE" and "001 §5" in refused["message"]
    explained = await desk.do("EVM", EXPLAIN, id=ordinary, action="SIGN")
    assert explained["allowed"] is False and explained["rule"] == {"rule": "Y-5-ab", "article": "001 §5"}
    assert explained["reason"].endswith("when acting as the AB partner (AB角)."), "a sentence, no snake_case"
    # The ordinary notice waits for the VM's return: he may still sign it himself.
    assert (await desk.do("VM1", SIGN, id=ordinary))["document"]["state"] == "SIGNED"


async def test_yanjin_the_ab_partner_is_away_too_so_the_magistrate_takes_the_vms_work(desk, sessions):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="请签发")
    await away(sessions, desk.county, "VM1")
    await away(sessions, desk.county, "EVM")
    signed = await desk.do("MAG", SIGN, id=document)
    assert signed["assignment"]["route"] == "ESCALATED" and signed["assignment"]["onBehalfOf"]["code"] == "VM1"


async def test_lulong_a_cross_portfolio_notice_is_cosigned_by_each_vm_then_signed_by_the_magistrate(api, sessions):
    county = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    desk = Desk(api, county)
    document = await desk.draft(coSponsorIds=[county.department("城关镇")])
    submitted = await desk.do("EDU", SUBMIT, id=document)
    assert [(s["action"], [a["assignee"]["code"] for a in s["assignments"]]) for s in submitted["document"]["chain"]] == [
        ("OFFICE_REVIEW", ["DIR"]), ("CO_SIGN", ["TWN"]), ("CO_REVIEW", ["VM1", "VM2"]), ("SIGN", ["MAG"])]
    await desk.do("DIR", APPROVE, id=document, opinion="同意")
    await desk.do("TWN", APPROVE, id=document, opinion="会签同意")
    await desk.do("VM2", DISSENT, id=document, reasons="交通安全部分需由交通运输局补充")
    mid = await desk.chain(document)
    assert [s["state"] for s in mid["chain"]] == ["DONE", "DONE", "ACTIVE", "WAITING"]
    await desk.do("VM1", APPROVE, id=document, opinion="同意")
    assert (await desk.do("MAG", SIGN, id=document))["document"]["state"] == "SIGNED"
    chain = (await desk.chain(document))["chain"]
    assert {a["assignee"]["code"]: a["state"] for a in chain[2]["assignments"]} == {"VM1": "APPROVED",
                                                                                   "VM2": "DISSENTED"}
    assert chain[3]["rules"] == [{"rule": "L-60-cross", "article": "003 §60"}]


async def test_the_vm_returns_the_notice_across_the_cosign_group_to_the_office(desk):
    document = await desk.draft(coSponsorIds=[desk.county.department("城关镇")])
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="同意")
    await desk.do("TWN", APPROVE, id=document, opinion="会签同意")
    await desk.do("VM1", APPROVE, id=document, opinion="同意")
    returned = await desk.do("VM2", RETURN, id=document, to=1, reason="请办公室重新核稿")
    assert [s["state"] for s in returned["document"]["chain"]] == ["ACTIVE", "WAITING", "WAITING", "WAITING"]
    history = (await desk.chain(document))["history"]
    assert all(e["undone"] for e in history if e["kind"] == "APPROVED")
    again = await desk.do("DIR", APPROVE, id=document, opinion="已修改")
    assert again["assignment"]["state"] == "APPROVED"


async def test_returned_to_the_drafter_it_is_edited_and_resubmitted_with_a_new_chain(desk):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    returned = await desk.do("DIR", RETURN, id=document, reason="文种不当，请改为请示")
    assert returned["document"]["state"] == "RETURNED"
    resubmitted = await desk.do("EDU", SUBMIT, id=document)
    assert resubmitted["document"]["state"] == "IN_PROGRESS"
    assert resubmitted["document"]["chain"][0]["state"] == "ACTIVE"


async def test_a_reviewer_withdraws_before_the_next_person_acts_but_not_after(desk):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="同意")
    withdrawn = await desk.do("DIR", WITHDRAW, id=document)
    assert [s["state"] for s in withdrawn["document"]["chain"]] == ["ACTIVE", "WAITING"]
    await desk.do("DIR", APPROVE, id=document, opinion="同意")
    await desk.do("VM1", SIGN, id=document)
    refused = await desk.do("DIR", WITHDRAW, id=document)
    assert refused["code"] == "WRONG_STATE"


async def test_the_drafter_withdraws_the_submission_before_anyone_acts(desk):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    withdrawn = await desk.do("EDU", WITHDRAW, id=document)
    assert withdrawn["document"]["state"] == "DRAFT"
    assert (await desk.do("DIR", INBOX))["totalCount"] == 0


@pytest.mark.parametrize(("fields", "field", "article"), [
    ({"genre": "REQUEST", "direction": "UPWARD_CITY", "requestedMatters": ["甲事项", "乙事项"]},
     "requestedMatters", "001 §28"),
    ({"genre": "REPORT", "direction": "UPWARD_CITY", "requestedMatters": ["夹带的请示"]}, "requestedMatters", "001 §28"),
    ({"addressedToId": "MAG"}, "addressedToId", "001 §28"),
    ({"departmentalMatter": True}, "issuer", "001 §34"),
])
async def test_submission_rules_are_refused_with_the_article_and_nothing_changes(desk, sessions, fields, field,
                                                                                 article):
    if fields.get("addressedToId"):
        fields = {**fields, "addressedToId": desk.county.official(fields["addressedToId"])}
    document = await desk.draft(**fields)
    async with sessions() as session:
        audit_before = (await session.execute(select(func.count()).select_from(AuditEvent))).scalar_one()
    refused = await desk.do("EDU", SUBMIT, id=document)
    assert (refused["code"], refused["field"]) == ("SUBMISSION_RULE", field)
    assert article in refused["message"]
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(AuditEvent))).scalar_one() == audit_before
        assert (await session.execute(select(Document.state))).scalar_one().value == "draft"


async def test_generic_urgent_and_the_magistrate_unreachable_the_vm_issues_and_the_magistrate_countersigns(
        api, sessions):
    county = await build_county(sessions, code="generic", rule_set=RuleSet.GENERIC_2022)
    desk = Desk(api, county)
    document = await desk.draft(flags=["URGENT", "MAJOR"])
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="请签发")
    await desk.do("VM1", APPROVE, id=document, opinion="同意，报县长")
    issued = await desk.do("VM1", """mutation($id: ID!) { signUrgently(input: {documentId: $id,
        consentNote: "县长电话同意 10:20"}) { __typename ... on DocumentPayload { document { state chain { action state } } }
        ... on MutationError { code message } } }""", id=document)
    assert issued.get("document", {}).get("state") == "SIGNED", issued
    assert issued["document"]["chain"][-1] == {"action": "COUNTERSIGN", "state": "ACTIVE"}
    inbox = await desk.do("MAG", INBOX)
    assert [e["node"]["step"]["action"] for e in inbox["edges"]] == ["COUNTERSIGN"]
    countersigned = await desk.do("MAG", SIGN, id=document)
    assert countersigned["assignment"]["state"] == "SIGNED"


async def test_yanjin_has_no_oral_consent_route(desk):
    document = await desk.draft(flags=["URGENT", "MAJOR"])
    await desk.do("EDU", SUBMIT, id=document)
    await desk.do("DIR", APPROVE, id=document, opinion="请签发")
    refused = await desk.do("VM1", """mutation($id: ID!) { signUrgently(input: {documentId: $id, consentNote: "电话"}) {
        __typename ... on MutationError { code } } }""", id=document)
    assert refused == {"__typename": "MutationError", "code": "NOT_ALLOWED_BY_TABLE"}


async def test_a_secret_document_is_neither_listed_nor_counted_for_those_off_its_chain(desk):
    secret = await desk.draft(title="涉密通知", classification="SECRET")
    await desk.draft(title="公开通知")
    await desk.do("EDU", SUBMIT, id=secret)
    count = "query { documents { totalCount edges { node { title } } } }"
    assert (await desk.do("VM3", count))["totalCount"] == 1
    assert (await desk.api.ok(CHAIN, {"id": secret}, token=await desk.token("VM3")))["node"] is None
    assert (await desk.do("DIR", count))["totalCount"] == 2  # the office sees the whole flow
    assert (await desk.do("VM1", count))["totalCount"] == 2  # on the chain: he signs it


async def test_another_countys_document_cannot_be_touched(api, sessions, desk):
    document = await desk.draft()
    other = Desk(api, await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018))
    refused = await other.do("EDU", SUBMIT, id=document)
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "documentId")
    assert (await api.ok(CHAIN, {"id": document}, token=await other.token("DIR")))["node"] is None


async def test_the_office_sees_the_county_wide_inbox_and_others_do_not(desk):
    document = await desk.draft()
    await desk.do("EDU", SUBMIT, id=document)
    query = "{ inbox(scope: COUNTY) { totalCount } }"
    assert (await desk.do("DDIR1", query))["totalCount"] == 1
    refused = await desk.api.call(query, token=await desk.token("VM1"))
    assert refused.error_codes == ["FORBIDDEN"]
