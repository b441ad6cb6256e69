"""Issuing 印发: a signed document takes the next 发文字号 of its series, its date and its distribution list, and
moves SIGNED → ISSUED.

The prefixes are county data (policies/issuing, copied per county: 延政〔2023〕73号, 001; 卢政发〔2018〕37号, 003);
who issues is rows of the county's signing table (action issue: the office for the county government and the
office, 001 §22; a department's principal for its own, 001 §34). Both engines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text
from strawberry.relay import to_base64

from db.engine import create_engine, session_factory
from db.migrate import upgrade
from db.models import AuditEvent
from db.models_issuing import IssueCounter
from domain.documents import Direction, Genre, Issuer
from domain.roster import AbsenceReason, RuleSet
from policies.issuing import read_series
from policies.signing import SigningTable, read_table_file
from services import documents, issuing, roster, signing_rules
from tests.county import PASSWORD, SYSTEM, build_county
from tests.issuing import EXPLAIN_ISSUE, issue, signed, to_department, to_organ
from tests.meetings import CST
from tests.test_meetings_minutes import SIGN, _closed_standing_meeting, _up_to_signature
from tests.test_roster_admin import refused_writing_nothing, snapshot

YEAR = dt.datetime.now(CST).year
TODAY = dt.datetime.now(CST).date()
SERIES = "id issuer genre prefix article department { name }"
SERIES_MUTATION = """mutation($input: {input}!) {{ {name}(input: $input) {{ __typename {payload}
  ... on MutationError {{ code field message }} }} }}"""
DOCUMENTS = """query($f: DocumentFilter) { documents(filter: $f, first: 20) { edges { node { title issueNumber } } } }"""


async def refused_issue(api, sessions, county, who: str, document: str, distribution: list[dict],
                        expect: tuple[str, str], **extra) -> dict:
    """issueDocument refused with ``expect`` (code, field), writing nothing anywhere."""
    return await refused_writing_nothing(sessions, lambda: issue(api, county, who, document, distribution, **extra), expect)


async def series_mutation(api, token: str, name: str, input_type: str, **input) -> dict:
    payload = ("... on RemoveIssueSeriesPayload { removedId }" if name == "removeIssueSeries"
               else f"... on IssueSeriesPayload {{ issueSeries {{ {SERIES} }} }}")
    query = SERIES_MUTATION.format(input=input_type, name=name, payload=payload)
    return (await api.ok(query, {"input": input}, token=token))[name]


async def test_the_office_numbers_and_issues_a_signed_notice_in_the_county_governments_series(api, sessions):
    county = await build_county(sessions)
    notice = await signed(sessions, county)
    distribution = [to_department(county, "财政局"), to_department(county, "城关镇"), to_organ("市人民政府办公室")]

    # The vice magistrate signed it; the office issues it (001 §22), and explain says so before anyone tries.
    vm = await api.login(county.account("VM1"), PASSWORD)
    explained = (await api.ok(EXPLAIN_ISSUE, {"id": notice}, token=vm))["explain"]
    assert not explained["allowed"] and "Y-22-issue" in explained["reason"]
    await refused_issue(api, sessions, county, "VM1", notice, distribution, ("NOT_ALLOWED_BY_TABLE", "documentId"))
    deputy = (await api.ok(EXPLAIN_ISSUE, {"id": notice, "who": county.official("DDIR1")}, token=vm))["explain"]
    assert (deputy["allowed"], deputy["route"], deputy["rule"]) == (
        True, "DIRECT", {"rule": "Y-22-issue", "article": "001 §22"})

    issued = (await issue(api, county, "DDIR1", notice, distribution))["document"]

    assert (issued["state"], issued["issueNumber"], issued["issuedOn"]) == ("ISSUED", f"延政〔{YEAR}〕1号",
                                                                           TODAY.isoformat())
    assert issued["issuedBy"] == {"code": "DDIR1"}
    assert [(r["kind"], r["department"] and r["department"]["name"], r["organ"]) for r in issued["distribution"]] == [
        ("MAIN", "财政局", None), ("MAIN", "城关镇", None), ("COPY", None, "市人民政府办公室")]
    assert issued["history"][-1] == {"kind": "ISSUED", "opinion": f"延政〔{YEAR}〕1号", "route": "DIRECT",
                                     "actor": {"code": "DDIR1"}, "onBehalfOf": None}
    # A number is given once: issuing again is refused, and nothing changes.
    await refused_issue(api, sessions, county, "DIR", notice, distribution, ("ALREADY_ISSUED", "documentId"))
    explained = (await api.ok(EXPLAIN_ISSUE, {"id": notice}, token=vm))["explain"]
    assert not explained["allowed"] and f"延政〔{YEAR}〕1号" in explained["reason"]

    # The next notice takes the next number; the office's own documents run in their own series.
    second = await signed(sessions, county, title="关于做好寒假安全工作的通知")
    office = await signed(sessions, county, title="关于调整节日值班安排的通知", drafter="DDIR2",
                          department="县政府办公室", issuer=Issuer.GOVERNMENT_OFFICE)
    numbers = [(await issue(api, county, "DIR", document, distribution))["document"]["issueNumber"]
               for document in (office, second)]
    assert numbers == [f"延政办〔{YEAR}〕1号", f"延政〔{YEAR}〕2号"]

    async with sessions() as session:
        audited = (await session.execute(select(AuditEvent).where(AuditEvent.action == "document.issue")
                                         .order_by(AuditEvent.id))).scalars().all()
    assert [a.after["issue_number"] for a in audited] == [f"延政〔{YEAR}〕1号", *numbers]
    assert audited[0].after["rule"] == "Y-22-issue" and audited[0].after["distribution"][2] == {
        "kind": "copy", "department_id": None, "organ": "市人民政府办公室"}

    # The documents list finds them by number, year, issuer and state.
    token = await api.login(county.account("DIR"), PASSWORD)

    async def titles(**filter) -> list[str]:
        edges = (await api.ok(DOCUMENTS, {"f": filter}, token=token))["documents"]["edges"]
        return sorted(edge["node"]["issueNumber"] for edge in edges)

    assert await titles(issueNumber=f"延政〔{YEAR}〕2号") == [f"延政〔{YEAR}〕2号"]
    assert await titles(state="ISSUED", issueYear=YEAR, issuer="COUNTY_GOVERNMENT") == [
        f"延政〔{YEAR}〕1号", f"延政〔{YEAR}〕2号"]
    assert await titles(issueYear=YEAR - 1) == []


async def test_only_a_signed_document_is_issued_and_its_list_and_date_must_hold(api, sessions):
    county = await build_county(sessions)
    other = await build_county(sessions, code="other")
    async with sessions() as session, session.begin():
        draft = await documents.create_draft(session, drafted_by_id=county.officials["EDU"], actor=SYSTEM,
                                             fields=documents.DraftFields(
                                                 title="关于校舍安全的请示", issuer=Issuer.COUNTY_GOVERNMENT,
                                                 genre=Genre.NOTICE, direction=Direction.DOWNWARD,
                                                 lead_department_id=county.departments["教育局"]))
    main = [to_department(county, "财政局")]
    await refused_issue(api, sessions, county, "DIR", to_base64("Document", draft.id), main,
                        ("WRONG_STATE", "documentId"))
    notice = await signed(sessions, county)
    await refused_issue(api, sessions, county, "DIR", notice, [to_organ("市人民政府")], ("INVALID", "distribution"))
    await refused_issue(api, sessions, county, "DIR", notice, [to_department(other, "财政局")],
                        ("NOT_FOUND", "departmentId"))
    await refused_issue(api, sessions, county, "DIR", notice, [*main, to_department(county, "财政局", "COPY")],
                        ("DUPLICATE", "distribution"))
    await refused_issue(api, sessions, county, "DIR", notice,
                        [{"kind": "MAIN", "organ": "市人民政府", "departmentId": county.department("财政局")}],
                        ("INVALID", "distribution"))
    for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=400)):
        await refused_issue(api, sessions, county, "DIR", notice, main, ("INVALID", "issuedOn"),
                            issuedOn=day.isoformat())
    # A request names one main recipient (明确一个主送机关, 002 局规则 §36).
    request = await signed(sessions, county, title="关于申请校舍改造资金的请示", genre=Genre.REQUEST,
                           direction=Direction.UPWARD_CITY, requested_matters=["申请校舍改造资金"])
    refusal = await refused_issue(api, sessions, county, "DIR", request,
                                  [to_organ("市人民政府", "MAIN"), to_organ("市财政局", "MAIN")],
                                  ("INVALID", "distribution"))
    assert "002 局规则 §36" in refusal["message"]
    assert (await issue(api, county, "DIR", request, [to_organ("市人民政府", "MAIN")]))["document"]["issueNumber"] == \
        f"延政〔{YEAR}〕1号"


async def test_a_department_issues_its_own_report_in_the_series_its_administrator_adds(api, sessions):
    county = await build_county(sessions)
    report = await signed(sessions, county, title="关于全县教育经费执行情况的报告", issuer=Issuer.DEPARTMENT,
                          genre=Genre.REPORT, direction=Direction.UPWARD_CITY)
    to_city = [to_organ("市教育局", "MAIN")]
    refusal = await refused_issue(api, sessions, county, "EDU", report, to_city, ("NO_SERIES", "documentId"))
    assert "教育局" in refusal["message"] and "addIssueSeries" in refusal["message"]

    admin, director = [await api.login(who, PASSWORD) for who in (county.admin, county.account("DIR"))]
    own = {"issuer": "DEPARTMENT", "prefix": "延教", "article": "县政府办公室发文字号管理（县级数据）",
           "departmentId": county.department("教育局")}
    before = await snapshot(sessions)
    assert (await series_mutation(api, director, "addIssueSeries", "AddIssueSeriesInput", series=own))["code"] == \
        "FORBIDDEN"
    no_department = {k: v for k, v in own.items() if k != "departmentId"}
    assert (await series_mutation(api, admin, "addIssueSeries", "AddIssueSeriesInput", series=no_department))[
        "field"] == "departmentId"
    assert await snapshot(sessions) == before
    added = (await series_mutation(api, admin, "addIssueSeries", "AddIssueSeriesInput", series=own))["issueSeries"]
    assert (added["prefix"], added["genre"], added["department"]) == ("延教", None, {"name": "教育局"})
    assert (await series_mutation(api, admin, "addIssueSeries", "AddIssueSeriesInput", series=own))["code"] == \
        "DUPLICATE"

    # The office does not issue a department's own document; its principal does (001 §34).
    refusal = await refused_issue(api, sessions, county, "DIR", report, to_city,
                                  ("NOT_ALLOWED_BY_TABLE", "documentId"))
    assert "unit principal" in refusal["message"] and "Y-34-issue" in refusal["message"]
    assert (await issue(api, county, "EDU", report, to_city))["document"]["issueNumber"] == f"延教〔{YEAR}〕1号"

    # A new prefix starts its own count; numbers given keep theirs.
    renamed = (await series_mutation(api, admin, "updateIssueSeries", "UpdateIssueSeriesInput", id=added["id"],
                                     series={**own, "prefix": "延教体"}))["issueSeries"]
    assert renamed["prefix"] == "延教体"
    second = await signed(sessions, county, title="关于学校体育工作情况的报告", issuer=Issuer.DEPARTMENT,
                          genre=Genre.REPORT, direction=Direction.UPWARD_CITY)
    assert (await issue(api, county, "EDU", second, to_city))["document"]["issueNumber"] == f"延教体〔{YEAR}〕1号"
    listed = (await api.ok(f"{{ issueSeries {{ {SERIES} }} }}", token=director))["issueSeries"]
    assert [(s["issuer"], s["prefix"]) for s in listed] == [
        ("COUNTY_GOVERNMENT", "延政"), ("GOVERNMENT_OFFICE", "延政办"), ("DEPARTMENT", "延教体")]
    removed = await series_mutation(api, admin, "removeIssueSeries", "RemoveIssueSeriesInput", id=added["id"])
    assert removed["removedId"] == added["id"]
    async with sessions() as session:
        actions = (await session.execute(select(AuditEvent.action).where(AuditEvent.entity == "issue_series")
                                         .order_by(AuditEvent.id))).scalars().all()
        counters = (await session.execute(select(IssueCounter.prefix, IssueCounter.last)
                                          .order_by(IssueCounter.id))).all()
    assert actions == ["issue_series.add", "issue_series.update", "issue_series.remove"]
    assert counters == [("延教", 1), ("延教体", 1)]


async def test_a_deputy_named_for_the_absent_principal_issues_for_him(api, sessions):
    county = await build_county(sessions)
    report = await signed(sessions, county, title="关于财政收支情况的报告", drafter="FIN", department="财政局",
                          issuer=Issuer.DEPARTMENT, genre=Genre.REPORT, direction=Direction.UPWARD_CITY)
    admin = await api.login(county.admin, PASSWORD)
    await series_mutation(api, admin, "addIssueSeries", "AddIssueSeriesInput", series={
        "issuer": "DEPARTMENT", "prefix": "延财", "article": "县级数据", "departmentId": county.department("财政局")})
    now = dt.datetime.now(dt.timezone.utc)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials["FIN"], starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(days=2), reason=AbsenceReason.BUSINESS_TRIP,
                                    acting_official_id=county.officials["FIN2"], actor=SYSTEM)
    issued = (await issue(api, county, "FIN2", report, [to_organ("市财政局", "MAIN")]))["document"]
    assert issued["issueNumber"] == f"延财〔{YEAR}〕1号"
    assert issued["history"][-1]["route"] == "NAMED" and issued["history"][-1]["onBehalfOf"] == {"code": "FIN"}
    assert issued["issuedBy"] == {"code": "FIN2"}


async def test_minutes_are_issued_with_the_number_their_bodys_series_gave_them(api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    meeting = await _closed_standing_meeting(api, admin, county)
    draft = (await api.ok("""mutation($m: ID!) { draftMinutes(input: {meetingId: $m}) {
        ... on DocumentPayload { document { id } } } }""", {"m": meeting["id"]},
                          token=await api.login(county.account("DIR"), PASSWORD)))["draftMinutes"]["document"]
    await _up_to_signature(api, county, draft["id"])
    await api.ok(SIGN, {"id": draft["id"]}, token=await api.login(county.account("MAG"), PASSWORD))
    issued = (await issue(api, county, "DIR", draft["id"], [to_organ("与会人员", "MAIN")]))["document"]
    assert issued["issueNumber"] == f"常务会议纪要〔{YEAR}〕1号"
    async with sessions() as session:
        assert (await session.execute(select(IssueCounter))).first() is None  # no county series number was used
    # The county series still starts at 1 for the government's next document.
    notice = await signed(sessions, county)
    assert (await issue(api, county, "DDIR1", notice, [to_department(county, "财政局")]))["document"][
        "issueNumber"] == f"延政〔{YEAR}〕1号"


async def test_a_county_made_before_issuing_gets_its_series_and_the_issuing_rows_in_the_migration(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0012")
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO counties (code, name, rule_set, created_at, roster_version) "
                                          "VALUES ('lulong', '卢龙县', 'lulong-2018', '2026-01-01', 0)"))
        await upgrade(engine)
        async with session_factory(engine)() as session:
            series = await issuing.series_of(session, county_id=1)
            table = SigningTable([row.values for row in await signing_rules.rows_of(session, county_id=1)])
        assert [(s.issuer, s.prefix) for s in series] == [(spec.issuer, spec.prefix)
                                                          for spec in read_series(RuleSet.LULONG_2018)]
        assert {row[11] for row in table.rows} >= {"L-62-plan", "L-60-issue", "L-60-unit-issue"}
        # The migration's rows are the shipped table's: a new county and an old one decide alike.
        assert sorted(tuple(r) for r in table.rows if r[8] in ("issue", "unplanned_approval")) == sorted(
            tuple(r) for r in read_table_file(RuleSet.LULONG_2018) if r[8] in ("issue", "unplanned_approval"))
    finally:
        await engine.dispose()
