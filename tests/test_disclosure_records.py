"""Proactive disclosure 主动公开: "以县政府、县政府办公室名义印发的公文，除涉密文件以外，原则上应…予以公开" (000 §51;
001 §16; 003 §29), and decisions "宜于公开的" (000 §24; 001 §22). Issuing makes a record due the county's limit
later on the working calendar; a classified document never has one and is never counted; the government office's
staff publish it, or the office director approves an exemption (002 政务公开 §9) that another officer asked for;
the sweeper reminds an overdue record once; the period report counts them. Both engines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from strawberry.relay import from_base64, to_base64

from db.models import AuditEvent
from db.models_disclosure import Disclosure as DisclosureRow, DisclosureReminder
from db.models_duties import Duty
from domain.calendar import CalendarUnknown
from domain.disclosure import DisclosureSource, DisclosureState
from domain.documents import Classification, Issuer
from domain.duties import SubjectKind
from domain.issuing import DistributionKind, Recipient
from domain.roster import RuleSet
from services import deadlines, disclosure, issuing
from services.calendar import calendar_for
from services.signing_rules import SigningTables
from tests.county import PASSWORD, SYSTEM, build_county
from tests.issuing import signed
from tests.test_meetings_decisions import concluded, succeed as decided_ok
from tests.test_proposals_handling import SIGN, enter_years, in_progress, succeed as proposal_ok
from tests.test_proposals_handling import today as proposals_today
from tests.test_roster_admin import refused_writing_nothing

CST = dt.timezone(dt.timedelta(hours=8))
ISSUED_AT = dt.datetime(2026, 9, 25, 10, tzinfo=CST)  # a Friday before the National Day holiday (Oct 1–8)
# Twenty working days on the 2026 calendar, across the holiday and its swapped working days: the end of Oct 29.
DUE = dt.datetime(2026, 10, 30, tzinfo=CST)
RECORD = ("id source sourceId title state createdAt dueAt dueArticle dueProblem publishedOn publishedWhere "
          "exemption exemptionReason overdue publishedBy { code } exemptionRequestedBy { code } "
          "exemptionApprovedBy { code }")
LIST = f"""query($f: DisclosureFilter) {{ disclosures(filter: $f) {{ edges {{ node {{ {RECORD} }} }} }} }}"""
REPORT = """query($p: DisclosureReportPeriod!, $y: Int!, $n: Int!) {
  disclosureReport(period: $p, year: $y, number: $n) {
  startsOn endsOn created publishedOnTime publishedLate overdue exempted } }"""
PUBLISH = f"""mutation($i: PublishDisclosureInput!) {{ publishDisclosure(input: $i) {{ __typename
  ... on DisclosurePayload {{ disclosure {{ {RECORD} }} }} ... on MutationError {{ code field message }} }} }}"""
EXEMPT = f"""mutation($i: ExemptDisclosureInput!) {{ exemptDisclosure(input: $i) {{ __typename
  ... on DisclosurePayload {{ disclosure {{ {RECORD} }} }} ... on MutationError {{ code field message }} }} }}"""
SET_LIMIT = """mutation($i: SetDisclosureLimitInput!) {  setDisclosureLimit(input: $i) { __typename
  ... on DisclosureLimitsPayload { limits { source workingDays article } }
  ... on MutationError { code field message } } }"""
LIMITS = "{ disclosureLimits { source workingDays article } }"


async def issued(sessions, county, title: str, *, at: dt.datetime = ISSUED_AT, **fields) -> str:
    """A document signed and issued by the office director at ``at``; its global id."""
    document = await signed(sessions, county, title=title, at=at - dt.timedelta(days=1), **fields)
    async with sessions() as session, session.begin():
        await issuing.issue(session, document_id=int(from_base64(document)[1]), official_id=county.officials["DIR"],
                            distribution=[Recipient(DistributionKind.MAIN, county.departments["财政局"])],
                            tables=SigningTables(), actor=SYSTEM, at=at)
    return document


async def records(api, token: str, **filter) -> dict[str, dict]:
    """The county's records by title."""
    edges = (await api.ok(LIST, {"f": filter or None}, token=token))["disclosures"]["edges"]
    return {edge["node"]["title"]: edge["node"] for edge in edges}


async def act(api, token: str, mutation: str, **input) -> dict:
    values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in input.items()}
    return next(iter((await api.ok(mutation, {"i": values}, token=token)).values()))


async def report(api, token: str, period: str, year: int, number: int = 1) -> dict:
    return (await api.ok(REPORT, {"p": period, "y": year, "n": number}, token=token))["disclosureReport"]


async def test_issuing_starts_the_clock_the_office_publishes_and_the_report_counts_never_a_classified_one(
        api, sessions):
    county = await build_county(sessions)
    on_time = await issued(sessions, county, "关于做好冬季校园安全工作的通知")
    late = await issued(sessions, county, "关于印发城区停车管理办法的通知", issuer=Issuer.GOVERNMENT_OFFICE)
    # The secret notice is issued like any other, and never becomes a record.
    await issued(sessions, county, "关于人事调整的通知", classification=Classification.SECRET)
    # Issued in late December: its twentieth working day falls in 2027, which the calendar does not know yet.
    await issued(sessions, county, "关于做好元旦春节期间安全工作的通知", at=dt.datetime(2026, 12, 20, 10, tzinfo=CST))
    dir_token = await api.login(county.account("DIR"), PASSWORD)

    found = await records(api, dir_token)
    assert set(found) == {"关于做好冬季校园安全工作的通知", "关于印发城区停车管理办法的通知", "关于做好元旦春节期间安全工作的通知"}
    school = found["关于做好冬季校园安全工作的通知"]
    assert (school["source"], school["sourceId"], school["state"]) == ("DOCUMENT", on_time, "PENDING")
    assert dt.datetime.fromisoformat(school["dueAt"]) == DUE and school["dueArticle"] == "001 §16"
    unknown = found["关于做好元旦春节期间安全工作的通知"]
    assert unknown["dueAt"] is None and "2027" in unknown["dueProblem"]
    async with sessions() as session:
        waiting = (await session.execute(select(Duty.official_id).where(
            Duty.subject_kind == SubjectKind.DISCLOSURE, Duty.subject_id == int(from_base64(school["id"])[1]),
            Duty.settled_at.is_(None)))).scalars().all()
    # The disclosure officers: the government office's staff.
    assert sorted(waiting) == sorted(county.officials[c] for c in ("DIR", "DDIR1", "DDIR2"))

    # Overdue pending records are reminded once, audited, on the officers' duties.
    assert (await deadlines.sweep(sessions, now=DUE - dt.timedelta(hours=1))).disclosures_reminded == 0
    assert (await deadlines.sweep(sessions, now=DUE + dt.timedelta(hours=1))).disclosures_reminded == 2
    assert (await deadlines.sweep(sessions, now=DUE + dt.timedelta(days=30))).disclosures_reminded == 0
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(DisclosureReminder))).scalar_one() == 2
        assert len((await session.execute(select(AuditEvent).where(
            AuditEvent.action == "disclosure.reminded"))).scalars().all()) == 2
    assert set(await records(api, dir_token, overdue=True)) == {"关于做好冬季校园安全工作的通知",
                                                                "关于印发城区停车管理办法的通知"}

    fin = await api.login(county.account("FIN"), PASSWORD)
    await refused_writing_nothing(sessions, lambda: act(api, fin, PUBLISH, disclosureId=school["id"],
                                                        publishedOn=dt.date(2026, 10, 20), where="门户网站"),
                                  ("FORBIDDEN", "disclosureId"))
    await refused_writing_nothing(sessions, lambda: act(api, dir_token, PUBLISH, disclosureId=school["id"],
                                                        publishedOn=dt.date(2026, 10, 20), where=" "),
                                  ("INVALID", "where"))
    done = (await act(api, dir_token, PUBLISH, disclosureId=school["id"], publishedOn=dt.date(2026, 10, 29),
                      where="http://www.yanjin.gov.cn/zwgk/1"))["disclosure"]
    assert (done["state"], done["publishedBy"], done["overdue"]) == ("PUBLISHED", {"code": "DIR"}, False)
    ddir = await api.login(county.account("DDIR1"), PASSWORD)
    parking = found["关于印发城区停车管理办法的通知"]
    assert parking["sourceId"] == late
    await act(api, ddir, PUBLISH, disclosureId=parking["id"], publishedOn=dt.date(2026, 10, 30), where="县政府公报")
    await refused_writing_nothing(sessions, lambda: act(api, ddir, PUBLISH, disclosureId=parking["id"],
                                                        publishedOn=dt.date(2026, 10, 30), where="县政府公报"),
                                  ("WRONG_STATE", "disclosureId"))
    async with sessions() as session:
        assert not (await session.execute(select(Duty).where(
            Duty.subject_kind == SubjectKind.DISCLOSURE, Duty.subject_id == int(from_base64(school["id"])[1]),
            Duty.settled_at.is_(None)))).scalars().all()
        # Only what is published is there for the public: the service a public endpoint reads.
        assert [r.title for r in await disclosure.disclosed_items(session, county.id)] == [
            "关于印发城区停车管理办法的通知", "关于做好冬季校园安全工作的通知"]

    # October: one published by its due day, the other a day late (in October too); none created.
    assert await report(api, dir_token, "MONTH", 2026, 10) == {
        "startsOn": "2026-10-01", "endsOn": "2026-10-31", "created": 0, "publishedOnTime": 1,
        "publishedLate": 1, "overdue": 0, "exempted": 0}
    # The year: three records made, the secret notice never among them.
    year = await report(api, dir_token, "YEAR", 2026)
    assert (year["created"], year["publishedOnTime"], year["publishedLate"]) == (3, 1, 1)
    assert (await api.call(REPORT, {"p": "MONTH", "y": 2026, "n": 13}, token=dir_token)).errors


async def test_an_exemption_needs_a_ground_a_reason_and_an_approver_who_did_not_ask(api, sessions):
    county = await build_county(sessions)
    await issued(sessions, county, "关于征收土地补偿标准的批复")
    dir_token = await api.login(county.account("DIR"), PASSWORD)
    record = (await records(api, dir_token))["关于征收土地补偿标准的批复"]
    ask = {"disclosureId": record["id"], "exemption": "PRIVACY", "reason": "含被征收户姓名、身份证号码和补偿金额。",
           "requestedById": county.official("DDIR1")}
    ddir = await api.login(county.account("DDIR2"), PASSWORD)
    # A disclosure officer does not approve exemptions; nor does the director approve his own request.
    await refused_writing_nothing(sessions, lambda: act(api, ddir, EXEMPT, **ask),
                                  ("EXEMPTION_APPROVER", "disclosureId"))
    await refused_writing_nothing(sessions, lambda: act(api, dir_token, EXEMPT, **{
        **ask, "requestedById": county.official("DIR")}), ("EXEMPTION_APPROVER", "requestedById"))
    await refused_writing_nothing(sessions, lambda: act(api, dir_token, EXEMPT, **{
        **ask, "requestedById": county.official("FIN")}), ("FORBIDDEN", "requestedById"))
    await refused_writing_nothing(sessions, lambda: act(api, dir_token, EXEMPT, **{**ask, "reason": "  "}),
                                  ("INVALID", "reason"))

    done = (await act(api, dir_token, EXEMPT, **ask))["disclosure"]
    assert (done["state"], done["exemption"], done["exemptionRequestedBy"], done["exemptionApprovedBy"]) == (
        "EXEMPTED", "PRIVACY", {"code": "DDIR1"}, {"code": "DIR"})
    async with sessions() as session:
        audited = (await session.execute(select(AuditEvent).where(AuditEvent.action == "disclosure.exempt")))
        assert audited.scalar_one().after["exemption_reason"] == ask["reason"]
        assert await disclosure.disclosed_items(session, county.id) == []
    today = dt.datetime.now(CST).date()
    assert (await report(api, dir_token, "MONTH", today.year, today.month))["exempted"] == 1
    # The magistrate approves too; nothing is exempted twice.
    mag = await api.login(county.account("MAG"), PASSWORD)
    await refused_writing_nothing(sessions, lambda: act(api, mag, EXEMPT, **ask), ("WRONG_STATE", "disclosureId"))

    # Another county's record answers as missing.
    lulong = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    theirs = await api.login(lulong.account("DIR"), PASSWORD)
    await refused_writing_nothing(sessions, lambda: act(api, theirs, PUBLISH, disclosureId=record["id"],
                                                        publishedOn=today, where="门户网站"),
                                  ("NOT_FOUND", "disclosureId"))


async def test_a_publishable_decision_makes_a_record_and_the_county_sets_its_limits(api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    assert (await api.ok(LIMITS, token=admin))["disclosureLimits"] == [
        {"source": "DOCUMENT", "workingDays": 20, "article": "001 §16"},
        {"source": "DECISION", "workingDays": 20, "article": "001 §22"}]
    dir_token = await api.login(county.account("DIR"), PASSWORD)
    await refused_writing_nothing(sessions, lambda: act(api, dir_token, SET_LIMIT, source="DECISION",
                                                        workingDays=10, article="001 §22"),
                                  ("FORBIDDEN", "countyId"))
    await refused_writing_nothing(sessions, lambda: act(api, admin, SET_LIMIT, source="DECISION", workingDays=0,
                                                        article="001 §22"), ("INVALID", "workingDays"))
    limits = (await act(api, admin, SET_LIMIT, source="DECISION", workingDays=10, article="001 §22"))["limits"]
    assert limits[1] == {"source": "DECISION", "workingDays": 10, "article": "001 §22"}

    _, item = await concluded(sessions, county, title="关于城区集中供暖价格调整的议题")
    decision = await decided_ok(api, admin, "adoptDecision", itemId=item, outcome="PASSED",
                                text="同意调整集中供暖价格。", publishable=True)
    _, quiet = await concluded(sessions, county, title="关于干部考核的议题")
    await decided_ok(api, admin, "adoptDecision", itemId=quiet, outcome="PASSED", text="同意。")
    found = await records(api, dir_token, sources=["DECISION"])
    assert list(found) == ["关于城区集中供暖价格调整的议题"]
    record = found["关于城区集中供暖价格调整的议题"]
    assert (record["sourceId"], record["state"], record["dueArticle"]) == (decision["id"], "PENDING", "001 §22")
    async with sessions() as session:
        row = await session.get(DisclosureRow, int(from_base64(record["id"])[1]))
        calendar = await calendar_for(session, county_id=county.id)
    # The county's edited limit counts: ten working days from the adoption (none while the year is unknown).
    try:
        expected = calendar.due_after(row.created_at, 10)
    except CalendarUnknown:
        expected = None
    assert row.due_at == expected
    node = (await api.ok("query($id: ID!) { node(id: $id) { ... on Disclosure { title } } }",
                         {"id": record["id"]}, token=dir_token))["node"]
    assert node == {"title": "关于城区集中供暖价格调整的议题"}
    assert (await api.ok("query($id: ID!) { node(id: $id) { id } }", {"id": to_base64("Disclosure", 999_999)},
                         token=dir_token))["node"] is None


async def test_the_list_costs_the_same_for_2_records_as_for_12(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.account("DIR"), PASSWORD)

    async def published(count: int) -> None:
        async with sessions() as session, session.begin():
            session.add_all(DisclosureRow(
                county_id=county.id, source=DisclosureSource.DOCUMENT, source_id=1000 + n + count * 100,
                title=f"通知{n}", state=DisclosureState.PUBLISHED, created_at=ISSUED_AT, published_on=ISSUED_AT.date(),
                published_where="门户网站", published_by_id=county.officials[("DIR", "DDIR1", "DDIR2")[n % 3]],
                decided_at=ISSUED_AT) for n in range(count))

    query = f"{{ disclosures(first: 20) {{ edges {{ node {{ {RECORD} }} }} }} }}"
    await published(2)
    small = await api.call(query, token=token)
    await published(10)
    large = await api.call(query, token=token)
    assert len(large.data["disclosures"]["edges"]) == 12 and not large.errors
    assert small.sql_statements == large.sql_statements


async def test_a_published_proposal_result_is_on_record_as_published(api, sessions):
    county = await build_county(sessions)
    await enter_years(sessions, county, proposals_today().year, proposals_today().year + 1)
    office, fin, handler = [await api.login(county.account(c), PASSWORD) for c in ("DDIR1", "FIN", "FIN2")]
    proposal = await in_progress(api, county, office, fin, handler)
    proposal = await proposal_ok(api, handler, "replyToProposal", proposalId=proposal["id"], outcome="PLANNED",
                                 explanation="已列入城区停车设施建设计划。")
    await api.ok(SIGN, {"input": {"documentId": proposal["replyDocument"]["id"]}}, token=fin)
    await proposal_ok(api, handler, "publishProposalReply", proposalId=proposal["id"],
                      publishedOn=proposals_today(), where="县政府门户网站“建议提案办理”专栏")
    record = next(iter((await records(api, office, sources=["PROPOSAL_REPLY"])).values()))
    assert (record["sourceId"], record["state"], record["publishedWhere"]) == (
        proposal["id"], "PUBLISHED", "县政府门户网站“建议提案办理”专栏")
    async with sessions() as session:
        assert [r.source for r in await disclosure.disclosed_items(session, county.id)] == [
            DisclosureSource.PROPOSAL_REPLY]
