"""What enters the county government's incoming flow and who acts on it: one addressee, never over the county
government's head (001 §28), numbered (002 局规则 §36); a document addressed to a leader personally taken into
the office's flow all the same (000 §44); major matters to the magistrate; acting for an absent leader by cover;
another county's records answer as missing. Both engines.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from strawberry.relay import from_base64, to_base64

from db.models import Document, utcnow
from db.models_incoming import IncomingRequest
from domain.documents import Classification, Direction, Flag, Genre, Issuer
from domain.errors import DomainError, ErrorCode
from domain.roster import AbsenceReason, RuleSet
from domain.submission import ARTICLES, Addressee, Submission, check_submission
from services import incoming_requests, roster
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.incoming_requests import (
    mutate,
    own_series,
    refused,
    request_node,
    sent_up,
    signed,
    succeed,
    township_request,
)
from tests.issuing import issue, to_department, to_organ
from tests.test_issuing_documents import refused_issue
from tests.test_roster_admin import snapshot


@pytest.fixture
async def county(sessions) -> County:
    return await build_county(sessions)


async def _with_leader(api, county: County, request: str) -> dict:
    """Signed in, proposed and presented by the office: with the leader the table names."""
    office = await api.login(county.account("DIR"), PASSWORD)
    await succeed(api, office, "registerIncomingRequest", requestId=request)
    await succeed(api, office, "proposeIncomingRequestHandling", requestId=request, opinion="拟请领导阅示。")
    return (await succeed(api, office, "presentIncomingRequest", requestId=request))["request"]


def _sent_up(rule_set: RuleSet, *addressees: Addressee, direction=Direction.TO_COUNTY_GOVERNMENT) -> None:
    check_submission(Submission(issuer=Issuer.DEPARTMENT, genre=Genre.REQUEST, classification=Classification.NONE,
                                requested_matters=("申请资金",), addressed_to_leader=False, leader_assigned=False,
                                departmental_matter=False, direction=direction, addressees=addressees), rule_set)


@pytest.mark.parametrize(("rule_set", "article"), [(RuleSet.GENERIC_2022, "000 §43"),
                                                   (RuleSet.YANJIN_2023, "001 §28"),
                                                   (RuleSet.LULONG_2018, "003 §54")])
def test_a_request_sent_up_has_one_addressee_and_never_skips_the_county_government(rule_set, article):
    _sent_up(rule_set)
    _sent_up(rule_set, Addressee.COUNTY_GOVERNMENT)
    _sent_up(rule_set, Addressee.LINE_DEPARTMENT, direction=Direction.UPWARD_CITY)
    for addressees, words in (((Addressee.COUNTY_GOVERNMENT, Addressee.COUNTY_PARTY_COMMITTEE), "多头报文"),
                              ((Addressee.CITY_GOVERNMENT,), "越级行文"),
                              ((Addressee.PROVINCE_GOVERNMENT,), "越级行文"),
                              ((Addressee.COUNTY_PARTY_COMMITTEE,), "addressed to it")):
        with pytest.raises(DomainError) as refusal:
            _sent_up(rule_set, *addressees)
        assert (refusal.value.code, refusal.value.field) == (ErrorCode.SUBMISSION_RULE, "addressees")
        assert words in refusal.value.message and article in refusal.value.message
    with pytest.raises(DomainError, match="越级行文"):
        _sent_up(rule_set, Addressee.CITY_GOVERNMENT, direction=Direction.UPWARD_CITY)
    # Only a unit's request or report goes up to the county government: its incoming flow takes nothing else.
    with pytest.raises(DomainError) as not_sent_up:
        check_submission(Submission(issuer=Issuer.COUNTY_GOVERNMENT, genre=Genre.REPORT,
                                    classification=Classification.NONE, requested_matters=(),
                                    addressed_to_leader=False, leader_assigned=False, departmental_matter=False,
                                    direction=Direction.TO_COUNTY_GOVERNMENT), rule_set)
    assert (not_sent_up.value.code, not_sent_up.value.field) == (ErrorCode.SUBMISSION_RULE, "direction")
    assert ARTICLES[rule_set]["sent_up_by"] in not_sent_up.value.message


async def test_the_township_cannot_send_a_request_to_two_organs_or_over_the_county_governments_head(
        api, sessions, county):
    township = await api.login(county.account("TWN"), PASSWORD)
    draft = {"title": "关于申请防汛物资的请示", "issuer": "DEPARTMENT", "genre": "REQUEST",
             "direction": "TO_COUNTY_GOVERNMENT", "leadDepartmentId": county.department("城关镇"),
             "requestedMatters": ["申请防汛物资"], "addressees": ["COUNTY_GOVERNMENT", "COUNTY_PARTY_COMMITTEE"]}
    created = await api.ok("mutation($d: DraftInput!) { createDraft(input: $d) { ... on DocumentPayload { document { "
                           "id addressees } } } }", {"d": draft}, token=township)
    document = created["createDraft"]["document"]
    assert document["addressees"] == ["COUNTY_GOVERNMENT", "COUNTY_PARTY_COMMITTEE"]
    submit = ("mutation($id: ID!) { submitDocument(input: {documentId: $id}) { __typename "
              "... on MutationError { code field message } } }")

    async def refused_at_submission(words: str) -> None:
        before = await snapshot(sessions)
        result = (await api.ok(submit, {"id": document["id"]}, token=township))["submitDocument"]
        assert (result["code"], result["field"]) == ("SUBMISSION_RULE", "addressees") and words in result["message"]
        assert "001 §28" in result["message"] and await snapshot(sessions) == before

    await refused_at_submission("多头报文")
    edit = ("mutation($id: ID!, $d: DraftInput!) { updateDraft(input: {documentId: $id, draft: $d}) { __typename } }")
    await api.ok(edit, {"id": document["id"], "d": {**draft, "addressees": ["CITY_GOVERNMENT"]}}, token=township)
    await refused_at_submission("越级行文")
    await api.ok(edit, {"id": document["id"], "d": {**draft, "addressees": ["COUNTY_GOVERNMENT"]}}, token=township)
    submitted = (await api.ok(submit, {"id": document["id"]}, token=township))["submitDocument"]
    assert submitted["__typename"] == "DocumentPayload"


async def test_issued_the_request_takes_its_addressee_as_its_main_recipient_and_no_other(api, sessions, county):
    """The county government is the request's addressee since drafting (001 §28) and so its one 主送 (002 局规则
    §36): the township does not type it again, and a list that contradicts it is refused, writing nothing."""
    first, second = [to_base64("Document", await signed(sessions, county, township_request(title), at=utcnow()))
                     for title in ("关于城关镇敬老院维修的请示", "关于城关镇幼儿园扩建的请示")]
    async with sessions() as session, session.begin():
        await own_series(session, county)
    copy = to_department(county, "财政局", "COPY")
    for distribution in ([to_department(county, "财政局")], [to_organ("市人民政府", "MAIN"), copy],
                         [to_organ("县人民政府", "MAIN"), to_organ("县委", "MAIN")], [to_organ("县政府"), copy]):
        refusal = await refused_issue(api, sessions, county, "TWN", first, distribution,
                                      ("SUBMISSION_RULE", "distribution"))
        assert "001 §28" in refusal["message"] and "主送" in refusal["message"]
    filled = (await issue(api, county, "TWN", first, [copy]))["document"]
    assert [(r["kind"], r["organ"], r["department"] and r["department"]["name"]) for r in filled["distribution"]] == [
        ("MAIN", "县人民政府", None), ("COPY", None, "财政局")]
    named = (await issue(api, county, "TWN", second, [to_organ(" 县政府 ", "MAIN")]))["document"]
    assert [(r["kind"], r["organ"]) for r in named["distribution"]] == [("MAIN", "县政府")]
    async with sessions() as session:
        received = (await session.execute(select(Document.title).join(
            IncomingRequest, IncomingRequest.document_id == Document.id).order_by(IncomingRequest.id))).scalars()
        assert list(received) == ["关于城关镇敬老院维修的请示", "关于城关镇幼儿园扩建的请示"]


async def test_a_request_addressed_to_a_leader_personally_enters_the_offices_flow_instead(api, sessions, county):
    request = await sent_up(sessions, county, "关于城关镇集镇污水处理的请示", at=utcnow(), addressed_to="VM2")
    office = await api.login(county.account("DDIR1"), PASSWORD)
    received = await request_node(api, office, request)
    assert (received["state"], received["addressedTo"]["code"]) == ("RECEIVED", "VM2")
    assert [(e["kind"], e["leader"] and e["leader"]["code"]) for e in received["history"]] == [
        ("RECEIVED", None), ("RE_ENTERED", "VM2")]
    assert "001 §28 §31" in received["history"][1]["note"]
    # The same address in any other direction is still refused at submission (000 §44; 001 §28).
    other = township_request("关于城关镇集镇污水处理的报告", genre=Genre.REPORT, requested_matters=[],
                             direction=Direction.UPWARD_CITY, addressed_to_id=county.officials["VM2"])
    with pytest.raises(DomainError, match="not to a leader personally"):
        await signed(sessions, county, other, at=utcnow())


async def test_an_unnumbered_or_foreign_document_does_not_enter_the_flow_and_none_enters_twice(
        api, sessions, county):
    document_id = await signed(sessions, county, township_request(), at=utcnow())
    before = await snapshot(sessions)
    async with sessions() as session:
        document = await session.get(Document, document_id)
        with pytest.raises(DomainError) as unnumbered:
            await incoming_requests.receive(session, document=document, actor=SYSTEM)
        assert unnumbered.value.code == ErrorCode.SUBMISSION_RULE and "002 局规则 §36" in unnumbered.value.message
        await session.rollback()
    assert await snapshot(sessions) == before
    request = await sent_up(sessions, county, "关于城关镇文化站建设的请示", at=utcnow())
    async with sessions() as session:
        row = await session.get(IncomingRequest, int(from_base64(request)[1]))
        document = await session.get(Document, row.document_id)
        with pytest.raises(DomainError) as twice:
            await incoming_requests.receive(session, document=document, actor=SYSTEM)
        assert twice.value.code == ErrorCode.DUPLICATE
        document.direction = Direction.DOWNWARD
        with pytest.raises(DomainError) as downward:
            await incoming_requests.receive(session, document=document, actor=SYSTEM)
        assert downward.value.code == ErrorCode.INVALID
        await session.rollback()


async def test_a_major_matter_goes_to_the_magistrate_and_is_not_passed_down(api, sessions, county):
    request = await sent_up(sessions, county, "关于城关镇整体搬迁安置的请示", at=utcnow(), flags=[Flag.MAJOR])
    presented = await _with_leader(api, county, request)
    assert (presented["leader"]["code"], presented["leaderRole"], presented["routingRule"]) == (
        "MAG", "MAGISTRATE", {"rule": "Y-31-major", "article": "001 §31"})
    magistrate = await api.login(county.account("MAG"), PASSWORD)
    await refused(api, sessions, magistrate, "passOnIncomingRequest", expect=("NOT_ALLOWED_BY_TABLE", "toOfficialId"),
                  requestId=request, toOfficialId=county.official("VM2"))
    await refused(api, sessions, magistrate, "passOnIncomingRequest", expect=("INVALID", "toOfficialId"),
                  requestId=request, toOfficialId=county.official("MAG"))
    instructed = (await succeed(api, magistrate, "instructIncomingRequest", requestId=request,
                                opinion="原则同意，提请县政府常务会议研究。"))["request"]
    assert instructed["state"] == "INSTRUCTED"
    office = await api.login(county.account("DIR"), PASSWORD)
    drafted = await succeed(api, office, "draftIncomingRequestReply", requestId=request,
                            title="关于城关镇整体搬迁安置的批复")
    assert drafted["reply"]["flags"] == ["MAJOR"]


async def test_the_ab_partner_instructs_for_the_absent_vice_magistrate_and_it_is_recorded(api, sessions, county):
    request = await sent_up(sessions, county, "关于城关镇农贸市场改造的请示", at=utcnow())
    secret = await sent_up(sessions, county, "关于城关镇涉密工程选址的请示", at=utcnow(),
                           classification=Classification.SECRET)
    await _with_leader(api, county, request)
    await _with_leader(api, county, secret)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials["VM2"],
                                    starts_at=utcnow() - dt.timedelta(hours=1),
                                    ends_at=utcnow() + dt.timedelta(days=2), reason=AbsenceReason.BUSINESS_TRIP,
                                    actor=SYSTEM)
    other = await api.login(county.account("VM1"), PASSWORD)
    await refused(api, sessions, other, "instructIncomingRequest", expect=("NOT_YOUR_TURN", "requestId"),
                  requestId=request, opinion="同意。")
    # A secret request: the leader it is with, and whoever covers them now, read it; to others it is missing.
    await refused(api, sessions, other, "instructIncomingRequest", expect=("NOT_FOUND", "requestId"),
                  requestId=secret, opinion="同意。")
    partner = await api.login(county.account("VM3"), PASSWORD)
    assert (await request_node(api, partner, secret))["document"]["title"] == "关于城关镇涉密工程选址的请示"
    leader = await api.login(county.account("VM2"), PASSWORD)
    assert (await request_node(api, leader, secret))["leader"]["code"] == "VM2"
    assert await request_node(api, other, secret) is None
    # The list and the node answer alike: one test of who sees a request.
    for token, expected in ((partner, {request, secret}), (leader, {request, secret}), (other, {request})):
        listed = await api.ok("{ incomingRequests { totalCount nodes { id } } }", token=token)
        assert {n["id"] for n in listed["incomingRequests"]["nodes"]} == expected
        assert listed["incomingRequests"]["totalCount"] == len(expected)
    instructed = (await succeed(api, partner, "instructIncomingRequest", requestId=request,
                                opinion="同意，请城关镇按程序实施。"))["request"]
    assert instructed["instructedBy"]["code"] == "VM3"
    event = instructed["history"][-1]
    assert (event["kind"], event["actor"]["code"], event["onBehalfOf"]["code"], event["route"]) == (
        "INSTRUCTED", "VM3", "VM2", "AB_PARTNER")


async def test_another_countys_request_or_reply_answers_as_missing_and_replies_fit_requests(api, sessions, county):
    there = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    theirs = await sent_up(sessions, there, "关于卢龙城关镇供暖改造的请示", at=utcnow())
    ours = await sent_up(sessions, county, "关于城关镇供暖改造的请示", at=utcnow())
    report = await sent_up(sessions, county, "关于城关镇上半年工作情况的报告", at=utcnow(), genre=Genre.REPORT)
    office = await api.login(county.account("DIR"), PASSWORD)
    for mutation, extra in (("registerIncomingRequest", {}),
                            ("draftIncomingRequestReply", {"title": "关于卢龙城关镇供暖改造的批复"})):
        missing = await refused(api, sessions, office, mutation, expect=("NOT_FOUND", "requestId"), requestId=theirs,
                                **extra)
        assert missing["message"] == "No such incoming request."
    assert await request_node(api, office, theirs) is None
    for request in (ours, report):
        await _with_leader(api, county, request)
        await succeed(api, await api.login(county.account("VM2"), PASSWORD), "instructIncomingRequest",
                      requestId=request, opinion="已阅。" if request == report else "同意。")
    their_reply = await _reply_draft(sessions, there, "关于卢龙城关镇供暖改造的批复")
    await refused(api, sessions, office, "linkIncomingRequestReply", expect=("NOT_FOUND", "documentId"),
                  requestId=ours, documentId=their_reply)
    notice = await _reply_draft(sessions, county, "关于做好供暖工作的通知", genre=Genre.NOTICE)
    await refused(api, sessions, office, "linkIncomingRequestReply", expect=("INVALID", "documentId"),
                  requestId=ours, documentId=notice)
    await refused(api, sessions, office, "draftIncomingRequestReply", expect=("WRONG_STATE", "requestId"),
                  requestId=report, title="关于城关镇上半年工作情况的批复")
    await refused(api, sessions, office, "draftIncomingRequestReply", expect=("INVALID", "issuer"),
                  requestId=ours, title="关于城关镇供暖改造的批复", issuer="DEPARTMENT")
    reply = await _reply_draft(sessions, county, "关于城关镇供暖改造的批复")
    linked = (await succeed(api, office, "linkIncomingRequestReply", requestId=ours, documentId=reply))["request"]
    assert (linked["state"], linked["reply"]["id"]) == ("REPLIED", reply)
    closed = (await succeed(api, office, "closeIncomingRequest", requestId=report))["request"]
    assert (closed["state"], closed["instruction"]) == ("CLOSED", "已阅。")


async def _reply_draft(sessions, county: County, title: str, genre: Genre = Genre.REPLY) -> str:
    from services import documents

    async with sessions() as session, session.begin():
        draft = await documents.create_draft(session, drafted_by_id=county.officials["DIR"], actor=SYSTEM,
                                             fields=documents.DraftFields(
                                                 title=title, issuer=Issuer.COUNTY_GOVERNMENT, genre=genre,
                                                 direction=Direction.DOWNWARD,
                                                 lead_department_id=county.departments["城关镇"]))
        return to_base64("Document", draft.id)


async def test_two_at_once_the_register_gives_consecutive_numbers_and_signs_a_request_in_once(
        api, sessions, county):
    requests = [await sent_up(sessions, county, f"关于城关镇第{n}号事项的请示", at=utcnow()) for n in (1, 2)]
    tokens = [await api.login(county.account(code), PASSWORD) for code in ("DDIR1", "DDIR2")]
    both = await asyncio.gather(*(mutate(api, token, "registerIncomingRequest", requestId=request)
                                  for token, request in zip(tokens, requests, strict=True)))
    assert sorted(r["request"]["number"] for r in both) == ["收〔2026〕1号", "收〔2026〕2号"]
    third = await sent_up(sessions, county, "关于城关镇第3号事项的请示", at=utcnow())
    once = await asyncio.gather(*(mutate(api, token, "registerIncomingRequest", requestId=third) for token in tokens))
    assert sorted(r["__typename"] for r in once) == ["IncomingRequestPayload", "MutationError"]
    async with sessions() as session:
        numbers = (await session.execute(select(IncomingRequest.number).where(IncomingRequest.number.is_not(None))
                                         .order_by(IncomingRequest.seq))).scalars().all()
    assert numbers == ["收〔2026〕1号", "收〔2026〕2号", "收〔2026〕3号"]


async def test_the_county_administrator_keeps_the_registers_prefix_and_the_limit_as_data(api, sessions, county):
    admin = await api.login(county.admin, PASSWORD)
    rules = "{ incomingRequestRules { numberPrefix numberArticle handlingWorkingDays handlingArticle } }"
    assert (await api.ok(rules, token=admin))["incomingRequestRules"] == {
        "numberPrefix": "收", "numberArticle": "001 §31", "handlingWorkingDays": None, "handlingArticle": None}
    office = await api.login(county.account("DIR"), PASSWORD)
    change = {"numberPrefix": "延府收", "numberArticle": "001 §31", "handlingWorkingDays": 5,
              "handlingArticle": "县政府办公室收文办理规定"}
    await refused(api, sessions, office, "updateIncomingRequestRules", expect=("FORBIDDEN", "countyId"), **change)
    await refused(api, sessions, admin, "updateIncomingRequestRules", expect=("INVALID", "handlingArticle"),
                  **{**change, "handlingArticle": " "})
    await refused(api, sessions, admin, "updateIncomingRequestRules", expect=("INVALID", "numberPrefix"),
                  **{**change, "numberPrefix": "收〔"})
    updated = (await succeed(api, admin, "updateIncomingRequestRules", **change))["rules"]
    assert (updated["numberPrefix"], updated["handlingWorkingDays"]) == ("延府收", 5)
    request = await sent_up(sessions, county, at=utcnow())
    registered = (await succeed(api, office, "registerIncomingRequest", requestId=request))["request"]
    assert registered["number"] == "延府收〔2026〕1号"
    assert registered["limit"] == {"workingDays": 5, "article": "县政府办公室收文办理规定", "problem": None}
