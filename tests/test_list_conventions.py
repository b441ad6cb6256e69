"""A front-end team pages, orders and filters lists as GitHub's or Saleor's API lets them: backwards with
last/before, orderBy, a filter on documents, nodes beside edges, and node(id:)/nodes(ids:) for every
record with a global id — another county's or a hidden one answering null, like a missing one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from strawberry.relay import to_base64

from db.models import Account, ChainStep, Document, SigningRule, StepAssignment
from domain.documents import Classification, Direction, Flag, Genre, Issuer
from domain.roster import AbsenceReason
from services import auth, circulation, documents, roster
from services.signing_rules import SigningTables
from tests.county import PASSWORD, SYSTEM, County, build_county, submit_notices

CST = dt.timezone(dt.timedelta(hours=8))


def gid(type_name: str, row_id: int) -> str:
    return to_base64(type_name, row_id)


def codes(connection: dict) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


def titles(connection: dict) -> list[str]:
    return [edge["node"]["title"] for edge in connection["edges"]]


# ---------------------------------------------------------------- paging backwards

OFFICIALS = """query($first: Int, $after: String, $last: Int, $before: String, $order: OfficialOrder) {
  officials(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code } } nodes { code } } }"""


async def _pages(api, token, query: str, field: str, *, backwards: bool, size: int, variables=None) -> list[dict]:
    pages, cursor = [], None
    while True:
        page_variables = {**(variables or {}), **({"last": size, "before": cursor} if backwards
                                                   else {"first": size, "after": cursor})}
        page = (await api.ok(query, page_variables, token=token))[field]
        pages.append(page)
        info = page["pageInfo"]
        if not (info["hasPreviousPage"] if backwards else info["hasNextPage"]):
            return pages
        cursor = info["startCursor"] if backwards else info["endCursor"]


async def test_paging_officials_backwards_gives_the_forward_pages_in_reverse(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)
    forwards = await _pages(api, token, OFFICIALS, "officials", backwards=False, size=4)
    backwards = await _pages(api, token, OFFICIALS, "officials", backwards=True, size=4)
    ranked = [code for page in forwards for code in codes(page)]
    assert ranked[:3] == ["MAG", "EVM", "VM1"] and len(ranked) == len(set(ranked)) == 13
    assert [code for page in reversed(backwards) for code in codes(page)] == ranked
    # The last page read backwards holds the last four; the first page read backwards, the first one.
    assert codes(backwards[0]) == ranked[-4:] and codes(backwards[-1]) == ranked[:1]
    # Both flags are true in the middle, whichever way one reads.
    assert [(p["pageInfo"]["hasPreviousPage"], p["pageInfo"]["hasNextPage"]) for p in forwards] == [
        (False, True), (True, True), (True, True), (True, False)]
    assert [(p["pageInfo"]["hasPreviousPage"], p["pageInfo"]["hasNextPage"]) for p in backwards] == [
        (True, False), (True, True), (True, True), (False, True)]
    for page in forwards + backwards:
        assert page["nodes"] == [edge["node"] for edge in page["edges"]]


async def test_a_page_between_two_cursors_and_first_with_last_refused(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)
    everyone = (await api.ok(OFFICIALS, {"first": 13}, token=token))["officials"]["edges"]
    between = (await api.ok(OFFICIALS, {"after": everyone[2]["cursor"], "before": everyone[6]["cursor"]},
                            token=token))["officials"]
    assert codes(between) == [edge["node"]["code"] for edge in everyone[3:6]]
    both = await api.call(OFFICIALS, {"first": 2, "last": 2}, token=token)
    assert both.error_codes == ["BAD_USER_INPUT"] and "'first' or 'last'" in both.errors[0]["message"]
    too_many = await api.call(OFFICIALS, {"last": 101}, token=token)
    assert too_many.error_codes == ["BAD_USER_INPUT"]


async def test_officials_by_name_either_way_and_by_rank_descending(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)

    async def listed(order: dict) -> list[str]:
        return codes((await api.ok(OFFICIALS, {"first": 100, "order": order}, token=token))["officials"])

    by_rank = await listed({"field": "RANK", "direction": "ASC"})
    assert await listed({"field": "RANK", "direction": "DESC"}) == by_rank[::-1]
    by_name = await listed({"field": "NAME", "direction": "ASC"})
    assert sorted(by_name) == sorted(by_rank) and by_name != by_rank
    assert await listed({"field": "NAME", "direction": "DESC"}) == by_name[::-1]
    # Paged two at a time by name, forwards and backwards, the pages join up to the same list.
    forwards = await _pages(api, token, OFFICIALS, "officials", backwards=False, size=2,
                            variables={"order": {"field": "NAME"}})
    backwards = await _pages(api, token, OFFICIALS, "officials", backwards=True, size=2,
                             variables={"order": {"field": "NAME"}})
    assert [c for page in forwards for c in codes(page)] == by_name
    assert [c for page in reversed(backwards) for c in codes(page)] == by_name


# ---------------------------------------------------------------- documents: order and filter

DOCUMENTS = """query($filter: DocumentFilter, $order: DocumentOrder, $first: Int, $after: String, $last: Int,
                    $before: String) {
  documents(filter: $filter, orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { title } } nodes { title } } }"""


@dataclass(frozen=True)
class Paper:
    title: str
    created_at: dt.datetime
    genre: Genre = Genre.NOTICE
    issuer: Issuer = Issuer.COUNTY_GOVERNMENT
    department: str = "教育局"
    urgent: bool = False
    submitted: bool = False


# Started at these instants; the county's days are Asia/Shanghai's (a UTC date would put 甲 on 1 March).
PAPERS = [
    Paper("甲 关于春季开学的通知", dt.datetime(2025, 3, 2, 0, 30, tzinfo=CST), submitted=True),
    Paper("乙 关于财政资金监管的通知", dt.datetime(2025, 3, 2, 23, 59, tzinfo=CST), department="财政局", urgent=True),
    Paper("丙 关于预算执行情况的报告", dt.datetime(2025, 3, 3, 0, 0, tzinfo=CST), genre=Genre.REPORT,
          issuer=Issuer.GOVERNMENT_OFFICE, department="财政局"),
    Paper("丁 完成率100%的通报_附表", dt.datetime(2025, 3, 5, 9, 0, tzinfo=CST), submitted=True, urgent=True),
    Paper("戊 关于校园安全的通知", dt.datetime(2025, 3, 1, 23, 59, tzinfo=CST)),
]


async def _papers(sessions, county: County) -> None:
    tables = SigningTables()
    async with sessions() as session, session.begin():
        for paper in PAPERS:
            fields = documents.DraftFields(
                title=paper.title, issuer=paper.issuer, genre=paper.genre, direction=Direction.DOWNWARD,
                lead_department_id=county.departments[paper.department],
                flags=[Flag.URGENT] if paper.urgent else [])
            drafter = county.officials["EDU" if paper.department == "教育局" else "FIN"]
            draft = await documents.create_draft(session, drafted_by_id=drafter, fields=fields, actor=SYSTEM)
            if paper.submitted:
                await documents.submit(session, document_id=draft.id, official_id=drafter, tables=tables,
                                       actor=SYSTEM)
            await session.execute(update(Document).where(Document.id == draft.id)
                                  .values(created_at=paper.created_at))


@pytest.fixture
async def papers(api, sessions):
    county = await build_county(sessions)
    await _papers(sessions, county)
    return county, await api.login(county.admin, PASSWORD)


def newest_first(papers=PAPERS) -> list[str]:
    return [p.title for p in sorted(papers, key=lambda p: p.created_at, reverse=True)]


async def test_documents_come_newest_first_as_described(api, papers):
    _, token = papers
    listed = (await api.ok(DOCUMENTS, token=token))["documents"]
    assert titles(listed) == newest_first()
    assert listed["nodes"] == [edge["node"] for edge in listed["edges"]]
    oldest = (await api.ok(DOCUMENTS, {"order": {"field": "CREATED_AT", "direction": "ASC"}}, token=token))
    assert titles(oldest["documents"]) == newest_first()[::-1]
    by_title = titles((await api.ok(DOCUMENTS, {"order": {"field": "TITLE", "direction": "ASC"}},
                                    token=token))["documents"])
    assert sorted(by_title) == sorted(newest_first())
    assert titles((await api.ok(DOCUMENTS, {"order": {"field": "TITLE", "direction": "DESC"}},
                                token=token))["documents"]) == by_title[::-1]


@pytest.mark.parametrize("order", [{"field": "CREATED_AT", "direction": "DESC"},
                                   {"field": "TITLE", "direction": "ASC"}], ids=["newest", "title"])
async def test_documents_paged_backwards_are_the_forward_pages_reversed(api, papers, order):
    _, token = papers
    whole = titles((await api.ok(DOCUMENTS, {"order": order}, token=token))["documents"])
    forwards = await _pages(api, token, DOCUMENTS, "documents", backwards=False, size=2, variables={"order": order})
    backwards = await _pages(api, token, DOCUMENTS, "documents", backwards=True, size=2, variables={"order": order})
    assert [t for page in forwards for t in titles(page)] == whole
    assert [t for page in reversed(backwards) for t in titles(page)] == whole
    assert [len(titles(page)) for page in backwards] == [2, 2, 1]


@pytest.mark.parametrize(("filter", "expected"), [
    ({"titleContains": "关于"}, [title for title in newest_first() if "关于" in title]),
    # % and _ are the text itself, not LIKE's wildcards.
    ({"titleContains": "100%"}, ["丁 完成率100%的通报_附表"]),
    ({"titleContains": "_"}, ["丁 完成率100%的通报_附表"]),
    ({"createdFrom": "2025-03-02", "createdTo": "2025-03-02"}, ["乙 关于财政资金监管的通知", "甲 关于春季开学的通知"]),
    ({"createdFrom": "2025-03-03"}, ["丁 完成率100%的通报_附表", "丙 关于预算执行情况的报告"]),
    ({"createdTo": "2025-03-01"}, ["戊 关于校园安全的通知"]),
    ({"genre": "REPORT"}, ["丙 关于预算执行情况的报告"]),
    ({"issuer": "GOVERNMENT_OFFICE"}, ["丙 关于预算执行情况的报告"]),
    ({"state": "IN_PROGRESS"}, ["丁 完成率100%的通报_附表", "甲 关于春季开学的通知"]),
    ({"urgent": True}, ["丁 完成率100%的通报_附表", "乙 关于财政资金监管的通知"]),
    ({"urgent": False}, ["丙 关于预算执行情况的报告", "甲 关于春季开学的通知", "戊 关于校园安全的通知"]),
    # Conditions together must all hold.
    ({"titleContains": "通知", "state": "DRAFT", "createdFrom": "2025-03-02"}, ["乙 关于财政资金监管的通知"]),
    ({"genre": "NOTICE", "urgent": True, "state": "DRAFT"}, ["乙 关于财政资金监管的通知"]),
    ({"genre": "REPORT", "urgent": True}, []),
], ids=lambda value: str(value) if isinstance(value, dict) else "")
async def test_each_documents_filter_narrows_and_together_they_all_hold(api, papers, filter, expected):
    _, token = papers
    listed = (await api.ok(DOCUMENTS, {"filter": filter}, token=token))["documents"]
    assert titles(listed) == expected and listed["totalCount"] == len(expected)


async def test_documents_of_one_lead_department(api, papers):
    county, token = papers
    finance = (await api.ok(DOCUMENTS, {"filter": {"departmentId": county.department("财政局")}}, token=token))
    assert titles(finance["documents"]) == ["丙 关于预算执行情况的报告", "乙 关于财政资金监管的通知"]
    other = await api.call(DOCUMENTS, {"filter": {"departmentId": county.official("FIN")}}, token=token)
    assert other.error_codes == ["BAD_USER_INPUT"] and "Department" in other.errors[0]["message"]


async def test_a_classified_document_stays_off_a_filtered_list_for_someone_off_its_chain(api, sessions):
    county = await build_county(sessions)
    async with sessions() as session, session.begin():
        fields = documents.DraftFields(title="关于人事调整的通知", issuer=Issuer.COUNTY_GOVERNMENT, genre=Genre.NOTICE,
                                       direction=Direction.DOWNWARD, lead_department_id=county.departments["教育局"],
                                       classification=Classification.SECRET)
        await documents.create_draft(session, drafted_by_id=county.officials["EDU"], fields=fields, actor=SYSTEM)
    query = {"filter": {"titleContains": "人事", "genre": "NOTICE"}}
    for account, seen in (("FIN", []), ("EDU", ["关于人事调整的通知"]), ("DIR", ["关于人事调整的通知"])):
        token = await api.login(county.account(account), PASSWORD)
        listed = (await api.ok(DOCUMENTS, query, token=token))["documents"]
        assert (titles(listed), listed["totalCount"]) == (seen, len(seen)), account


FILTERED_PAGE = """query($first: Int!, $department: ID!) {
  documents(first: $first, filter: {genre: NOTICE, departmentId: $department, createdFrom: "2025-01-01",
            titleContains: "通知"}, orderBy: {field: TITLE, direction: DESC}) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { title urgent leadDepartment { name } draftedBy { name } chain { action assignments { assignee { name } } } }
  } }"""


async def test_a_filtered_documents_page_costs_the_same_for_2_items_as_for_25(api, sessions, capsys):
    county = await build_county(sessions)
    await submit_notices(sessions, county, 25)
    token = await api.login(county.account("DIR"), PASSWORD)
    variables = {"department": county.department("教育局")}
    small = await api.call(FILTERED_PAGE, {**variables, "first": 2}, token=token)
    large = await api.call(FILTERED_PAGE, {**variables, "first": 25}, token=token)
    assert not small.errors and not large.errors
    assert len(small.data["documents"]["nodes"]) == 2 and len(large.data["documents"]["nodes"]) == 25
    assert small.sql_statements == large.sql_statements
    with capsys.disabled():
        print(f"\n[query count] filtered documents page with chains: {small.sql_statements} statements for 2, "
              f"{large.sql_statements} for 25")


# ---------------------------------------------------------------- the inbox's order

INBOX = """query($order: InboxOrder, $last: Int, $before: String) {
  inbox(orderBy: $order, last: $last, before: $before) {
    pageInfo { hasPreviousPage startCursor } nodes { document { title } step { dueAt } } } }"""


async def test_the_inbox_by_due_time_either_way_and_backwards(api, sessions):
    county = await build_county(sessions)
    await submit_notices(sessions, county, 5)
    async with sessions() as session, session.begin():
        steps = (await session.scalars(select(ChainStep).where(ChainStep.state == "active")
                                       .order_by(ChainStep.id))).all()
        # Due times out of submission order; one step has no time limit.
        for step, days in zip(steps, [3, 1, None, 2, 5], strict=True):
            step.due_at = None if days is None else dt.datetime(2025, 4, 1, tzinfo=CST) + dt.timedelta(days=days)
    token = await api.login(county.account("DIR"), PASSWORD)

    async def inbox(**variables) -> dict:
        return (await api.ok(INBOX, variables, token=token))["inbox"]

    received = [n["document"]["title"] for n in (await inbox())["nodes"]]
    assert received == [f"通知{n}" for n in range(5)]
    soonest = [n["document"]["title"] for n in (await inbox(order={"field": "DUE_AT"}))["nodes"]]
    assert soonest == ["通知1", "通知3", "通知0", "通知4", "通知2"]
    latest = await inbox(order={"field": "DUE_AT", "direction": "DESC"})
    assert [n["document"]["title"] for n in latest["nodes"]] == soonest[::-1]
    tail = await inbox(order={"field": "DUE_AT"}, last=2)
    assert [n["document"]["title"] for n in tail["nodes"]] == soonest[-2:]
    assert tail["pageInfo"]["hasPreviousPage"] is True
    before = await inbox(order={"field": "DUE_AT"}, last=5, before=tail["pageInfo"]["startCursor"])
    assert [n["document"]["title"] for n in before["nodes"]] == soonest[:3]
    assert before["pageInfo"]["hasPreviousPage"] is False


# ---------------------------------------------------------------- node(id:) and nodes(ids:)

NODE = """query($id: ID!) { node(id: $id) { __typename id } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"""


@dataclass
class Records:
    """Yanjin's records EVM may read, by type; Lulong's of each type; Yanjin's hidden from EVM."""

    county: County
    visible: dict[str, str]
    foreign: dict[str, str]
    hidden: dict[str, str]


async def _one_of_each(session, county: County, tables: SigningTables, *, reader: str,
                       classification=Classification.NONE) -> dict[str, str]:
    fields = documents.DraftFields(title="关于加强校园安全管理的通知", issuer=Issuer.COUNTY_GOVERNMENT,
                                   genre=Genre.NOTICE, direction=Direction.DOWNWARD,
                                   lead_department_id=county.departments["教育局"], classification=classification)
    draft = await documents.create_draft(session, drafted_by_id=county.officials["EDU"], fields=fields, actor=SYSTEM)
    await documents.submit(session, document_id=draft.id, official_id=county.officials["EDU"], tables=tables,
                           actor=SYSTEM)
    step = await session.scalar(select(ChainStep.id).where(ChainStep.document_id == draft.id).limit(1))
    assignment = await session.scalar(select(StepAssignment.id).where(StepAssignment.document_id == draft.id)
                                      .limit(1))
    read = await circulation.start(
        session, county_id=county.id, started_by_id=county.officials["DIR"], title="市政府关于防汛的通知",
        source="市政府办公室", reader_ids=[county.officials[reader]], urgent=False, read_only=False,
        classification=classification, actor=SYSTEM)
    return {"Document": gid("Document", draft.id), "ChainStep": gid("ChainStep", step),
            "StepAssignment": gid("StepAssignment", assignment), "Circulation": gid("Circulation", read.id)}


@pytest.fixture
async def records(sessions) -> Records:
    here = await build_county(sessions, code="yanjin")
    there = await build_county(sessions, code="lulong")
    tables = SigningTables()
    monday = dt.datetime(2025, 3, 3, 9, tzinfo=CST)

    async def roster_records(session, county: County) -> dict[str, str]:
        absence = await roster.record_absence(session, official_id=county.officials["VM1"], starts_at=monday,
                                              ends_at=monday + dt.timedelta(days=1), reason=AbsenceReason.LEAVE,
                                              actor=SYSTEM)
        entrustment = await roster.record_entrustment(session, entrusted_id=county.officials["VM3"],
                                                      starts_at=monday, ends_at=monday + dt.timedelta(days=1),
                                                      actor=SYSTEM)
        account = await session.scalar(select(Account.id).where(Account.username == county.account("EVM")))
        rule = await session.scalar(select(SigningRule.id).where(SigningRule.county_id == county.id).limit(1))
        _, api_token = await auth.create_api_token(session, account_id=account, name="通讯录同步", actor=SYSTEM)
        return {"ApiToken": gid("ApiToken", api_token.id), "County": county.gid, "Department": county.department("财政局"), "Official": county.official("VM1"),
                "Position": county.position("FIN"), "AbPair": gid("AbPair", county.ab_pairs["VM2-VM3"]),
                "Absence": gid("Absence", absence.id), "Entrustment": gid("Entrustment", entrustment.id),
                "Account": gid("Account", account), "SigningRule": gid("SigningRule", rule)}

    async with sessions() as session, session.begin():
        visible = {**await roster_records(session, here), **await _one_of_each(session, here, tables, reader="EVM")}
        foreign = {**await roster_records(session, there), **await _one_of_each(session, there, tables, reader="EVM")}
        # A secret notice EVM has no step on, a classified circulation he does not read, another's account.
        hidden = await _one_of_each(session, here, tables, reader="MAG", classification=Classification.SECRET)
        magistrates_account = await session.scalar(select(Account.id).where(Account.username == here.account("MAG")))
        hidden["Account"] = gid("Account", magistrates_account)
        _, magistrates_token = await auth.create_api_token(session, account_id=magistrates_account, name="手机",
                                                           actor=SYSTEM)
        hidden["ApiToken"] = gid("ApiToken", magistrates_token.id)
    return Records(county=here, visible=visible, foreign=foreign, hidden=hidden)


async def test_node_finds_every_record_with_a_global_id(api, records):
    token = await api.login(records.county.account("EVM"), PASSWORD)
    for type_name, global_id in records.visible.items():
        found = (await api.ok(NODE, {"id": global_id}, token=token))["node"]
        assert found == {"__typename": type_name, "id": global_id}, type_name


async def test_another_countys_record_or_a_hidden_one_is_null_like_a_missing_one(api, records):
    token = await api.login(records.county.account("EVM"), PASSWORD)
    for kind, ids in (("another county's", records.foreign), ("hidden", records.hidden)):
        for type_name, global_id in ids.items():
            response = await api.call(NODE, {"id": global_id}, token=token)
            missing = await api.call(NODE, {"id": gid(type_name, 10**12)}, token=token)
            assert (response.data, response.errors) == (missing.data, missing.errors) == ({"node": None}, None), (
                kind, type_name)


async def test_nodes_answers_in_the_order_asked_with_null_for_what_you_may_not_see(api, records):
    token = await api.login(records.county.account("EVM"), PASSWORD)
    asked = [records.visible["Document"], records.foreign["Official"], records.visible["ChainStep"],
             records.hidden["Circulation"], records.visible["Account"], gid("Document", 10**12),
             records.visible["Official"], records.hidden["StepAssignment"], records.visible["SigningRule"]]
    answered = (await api.ok(NODES, {"ids": asked}, token=token))["nodes"]
    assert [node and node["id"] for node in answered] == [
        asked[0], None, asked[2], None, asked[4], None, asked[6], None, asked[8]]
    assert [node["__typename"] for node in answered if node] == [
        "Document", "ChainStep", "Account", "Official", "SigningRule"]
    too_many = await api.call(NODES, {"ids": [records.visible["Official"]] * 101}, token=token)
    assert too_many.error_codes == ["BAD_USER_INPUT"]


async def test_the_office_reads_the_hidden_records_and_an_administrator_the_accounts(api, records):
    director = await api.login(records.county.account("DIR"), PASSWORD)
    for type_name in ("Document", "ChainStep", "StepAssignment", "Circulation"):
        found = (await api.ok(NODE, {"id": records.hidden[type_name]}, token=director))["node"]
        assert found == {"__typename": type_name, "id": records.hidden[type_name]}
    admin = await api.login(records.county.admin, PASSWORD)
    accounts = (await api.ok(NODES, {"ids": [records.hidden["Account"], records.foreign["Account"]]},
                             token=admin))["nodes"]
    assert accounts == [{"__typename": "Account", "id": records.hidden["Account"]}, None]
    tokens = (await api.ok(NODES, {"ids": [records.hidden["ApiToken"], records.foreign["ApiToken"]]},
                           token=admin))["nodes"]
    assert tokens == [{"__typename": "ApiToken", "id": records.hidden["ApiToken"]}, None]


# ---------------------------------------------------------------- enums where the values are a fixed set


async def test_history_kinds_deadline_origins_and_table_actions_are_enums(api, records):
    token = await api.login(records.county.account("DIR"), PASSWORD)
    query = """query($id: ID!) { node(id: $id) { ... on Document {
                 history { kind } chain { action deadline { countedFrom afterSecondLapse } } } }
               signingRules { action } }"""
    data = await api.ok(query, {"id": records.visible["Document"]}, token=token)
    assert [event["kind"] for event in data["node"]["history"]] == ["SUBMITTED"]
    deadlines = [step["deadline"] for step in data["node"]["chain"] if step["deadline"]]
    assert deadlines and all(d["countedFrom"] in ("ACTIVATION", "SUBMISSION", "MEETING") for d in deadlines)
    assert all(d["afterSecondLapse"] in ("REMIND_AGAIN", "DEEMED_NO_OBJECTION") for d in deadlines)
    actions = {row["action"] for row in data["signingRules"]}
    assert "SIGN" in actions and all(action.isupper() for action in actions)
