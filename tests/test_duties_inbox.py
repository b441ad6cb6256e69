"""Duties: office work waiting for a person outside a document's chain, as `duties` and `node(id:)` show it.

No system puts duties on people through the API yet in these scenarios: they are put through the real
service (services.duties.assign), as the incoming-request, supervision and proposal systems do, with a
subject id that only needs to be a number (the subject's global id just encodes it).
"""

from __future__ import annotations

import datetime as dt

from strawberry.relay import from_base64, to_base64

from config import Settings
from domain.documents import Route
from domain.duties import Subject, SubjectKind
from domain.roster import AbsenceReason
from schema import build_schema
from schema.duties import SUBJECT_TYPES
from services import duties, roster
from tests.county import PASSWORD, SYSTEM, County, build_county
from tests.test_documents import Desk, away

DUTIES = """query($scope: DutyScope, $kind: DutySubjectKind, $overdue: Boolean, $first: Int, $after: String,
                  $last: Int, $before: String) {
  duties(scope: $scope, subjectKind: $kind, overdue: $overdue, first: $first, after: $after, last: $last,
         before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title task article subjectKind subjectId route onBehalfOf { code } official { code }
                          overdue dueAt settledAt } } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename ... on Duty { title route onBehalfOf { code } settledAt
  settledRoute settledBy { code } overdue official { code } } } }"""
REQUEST_41 = Subject(SubjectKind.INCOMING_REQUEST, 41)
ITEM_7 = Subject(SubjectKind.SUPERVISION_ITEM, 7)
PROPOSAL_5 = Subject(SubjectKind.PROPOSAL, 5)


async def put(sessions, county: County, code: str, subject: Subject, title: str, *, task: str = "instruct",
              due_at: dt.datetime | None = None) -> str:
    """A duty on ``code``, put as the systems that create office work put it; its global id."""
    async with sessions() as session, session.begin():
        [duty] = await duties.assign(session, county_id=county.id, official_ids=[county.officials[code]],
                                     subject=subject, task=task, title=title, article="001 §31", due_at=due_at)
    return to_base64("Duty", duty.id)


async def listed(desk: Desk, code: str, **variables) -> dict:
    return (await desk.api.ok(DUTIES, variables, token=await desk.token(code)))["duties"]


def titles(connection: dict) -> list[str]:
    return [edge["node"]["title"] for edge in connection["edges"]]


async def test_the_duties_of_an_away_vm_wait_for_the_ab_partner_beside_his_own_oldest_first(api, sessions):
    county = await build_county(sessions)
    desk = Desk(api, county)
    now = dt.datetime.now(dt.timezone.utc)
    await put(sessions, county, "EVM", REQUEST_41, "批示：关于城东小学建设资金的请示", due_at=now - dt.timedelta(hours=2))
    vm1 = await put(sessions, county, "VM1", ITEM_7, "审核：督〔2026〕7号办理结果", task="verify",
                    due_at=now + dt.timedelta(days=3))
    await put(sessions, county, "VM2", PROPOSAL_5, "审核：第12号建议答复")
    evm_proposal = await put(sessions, county, "EVM", PROPOSAL_5, "审核：第12号建议答复")
    # The executive VM is VM1's AB partner: he covers VM1 while VM1 is away (000 §6, 001 §5).
    await away(sessions, county, "VM1")

    everything = await listed(desk, "EVM")
    assert titles(everything) == ["批示：关于城东小学建设资金的请示", "审核：督〔2026〕7号办理结果", "审核：第12号建议答复"]
    assert everything["totalCount"] == 3
    first, covered, last = (edge["node"] for edge in everything["edges"])
    assert (first["route"], first["onBehalfOf"], first["official"], first["overdue"]) == (
        "DIRECT", None, {"code": "EVM"}, True)
    assert (covered["route"], covered["onBehalfOf"], covered["official"], covered["overdue"]) == (
        "AB_PARTNER", {"code": "VM1"}, {"code": "VM1"}, False)
    assert (last["dueAt"], last["overdue"], last["settledAt"]) == (None, False, None)
    # The subject's global id names the subject system's type and the subject's id.
    assert [from_base64(edge["node"]["subjectId"]) for edge in everything["edges"]] == [
        ("IncomingRequest", "41"), ("SupervisionItem", "7"), ("Proposal", "5")]
    assert (first["subjectKind"], first["task"], first["article"]) == ("INCOMING_REQUEST", "instruct", "001 §31")

    assert titles(await listed(desk, "EVM", scope="MINE")) == ["批示：关于城东小学建设资金的请示", "审核：第12号建议答复"]
    assert titles(await listed(desk, "EVM", scope="COVERED")) == ["审核：督〔2026〕7号办理结果"]
    assert titles(await listed(desk, "EVM", kind="PROPOSAL")) == ["审核：第12号建议答复"]
    assert titles(await listed(desk, "EVM", overdue=True)) == ["批示：关于城东小学建设资金的请示"]
    assert titles(await listed(desk, "EVM", overdue=False)) == ["审核：督〔2026〕7号办理结果", "审核：第12号建议答复"]
    # Away, VM1 still sees his own (leaders work from the mobile app); VM2 sees only his.
    mine = await listed(desk, "VM1")
    assert [(e["node"]["title"], e["node"]["route"]) for e in mine["edges"]] == [("审核：督〔2026〕7号办理结果", "DIRECT")]
    assert titles(await listed(desk, "VM2")) == ["审核：第12号建议答复"]
    assert titles(await listed(desk, "VM2", scope="COVERED")) == []

    # Pages, forwards and back.
    page = await listed(desk, "EVM", first=2)
    assert titles(page) == titles(everything)[:2] and page["pageInfo"]["hasNextPage"] is True
    rest = await listed(desk, "EVM", first=2, after=page["pageInfo"]["endCursor"])
    assert titles(rest) == titles(everything)[2:] and rest["pageInfo"]["hasNextPage"] is False
    tail = await listed(desk, "EVM", last=1)
    assert titles(tail) == titles(everything)[2:] and tail["pageInfo"]["hasPreviousPage"] is True
    assert titles(await listed(desk, "EVM", last=1, before=tail["pageInfo"]["startCursor"])) == \
        titles(everything)[1:2]

    # By id: the same duty as the list shows it; another county's caller gets what a missing one gets.
    token = await desk.token("EVM")
    assert (await api.ok(NODE, {"id": covered["id"]}, token=token))["node"] == {
        "__typename": "Duty", "title": "审核：督〔2026〕7号办理结果", "route": "AB_PARTNER", "onBehalfOf": {"code": "VM1"},
        "settledAt": None, "settledRoute": None, "settledBy": None, "overdue": False, "official": {"code": "VM1"}}
    assert (await api.ok(NODE, {"id": vm1}, token=await desk.token("VM2")))["node"]["route"] is None
    lulong = await build_county(sessions, code="lulong")
    outsider = await api.login(lulong.account("MAG"), PASSWORD)
    assert (await api.ok(NODE, {"id": vm1}, token=outsider))["node"] is None
    assert (await api.ok(NODE, {"id": to_base64("Duty", 999_999)}, token=outsider))["node"] is None

    # Settled in person: gone from the list, and by id it says who settled it and how.
    async with sessions() as session, session.begin():
        await duties.settle(session, subject=PROPOSAL_5, by_official_id=county.officials["EVM"], route=Route.DIRECT)
    assert titles(await listed(desk, "EVM")) == ["批示：关于城东小学建设资金的请示", "审核：督〔2026〕7号办理结果"]
    settled = (await api.ok(NODE, {"id": evm_proposal}, token=token))["node"]
    assert (settled["route"], settled["settledRoute"], settled["settledBy"]) == ("DIRECT", "DIRECT", {"code": "EVM"})
    assert settled["settledAt"] is not None
    assert titles(await listed(desk, "VM2")) == []  # VM2's duty on the proposal closed as no longer needed


async def test_only_an_officials_account_has_duties(api, sessions):
    county = await build_county(sessions)
    admin = await api.login(county.admin, PASSWORD)
    answer = await api.call(DUTIES, token=admin)
    assert answer.data is None and answer.error_codes == ["FORBIDDEN"]
    assert "not an official's" in answer.errors[0]["message"]


async def test_settling_records_the_route_on_the_duty_acted_on_and_closes_the_rest_as_not_needed(sessions):
    """The office's desk: the director and his two deputies each hold the request's registration (001 §31)."""
    county = await build_county(sessions)
    office = [county.officials[code] for code in ("DIR", "DDIR1", "DDIR2")]
    director, first_deputy, second_deputy = office

    async def register(subject: Subject) -> list:
        async with sessions() as session, session.begin():
            return await duties.assign(session, county_id=county.id, official_ids=office, subject=subject,
                                       task="register", title="签收：关于城东小学建设资金的请示", article="001 §31")

    async def routes(settled) -> dict[int, tuple[int | None, Route | None]]:
        return {duty.official_id: (duty.settled_by_id, duty.settled_route) for duty in settled}

    # Put twice, held once: nobody gets a second duty of the same task on the same subject.
    first = await register(REQUEST_41)
    assert [d.id for d in await register(REQUEST_41)] == [d.id for d in first]
    async with sessions() as session:
        assert len(await duties.open_on(session, subject=REQUEST_41)) == 3

    # In person: the first deputy's own duty; the others' close with no route.
    async with sessions() as session, session.begin():
        settled = await duties.settle(session, subject=REQUEST_41, task="register", by_official_id=first_deputy,
                                      route=Route.DIRECT)
    assert await routes(settled) == {director: (first_deputy, None), first_deputy: (first_deputy, Route.DIRECT),
                                     second_deputy: (first_deputy, None)}

    # The director away: the deputy first in rank covers him (002 外出 四.1), as the roster stands at that
    # moment — the absence recorded in the same transaction counts, nothing cached hides it.
    another = Subject(SubjectKind.INCOMING_REQUEST, 42)
    await register(another)
    async with sessions() as session, session.begin():
        start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
        assert await duties.acting_route(session, county_id=county.id, actor_id=first_deputy,
                                          owner_id=director) is None
        await roster.record_absence(session, official_id=director, starts_at=start,
                                    ends_at=start + dt.timedelta(days=1), reason=AbsenceReason.STUDY, actor=SYSTEM)
        route = await duties.acting_route(session, county_id=county.id, actor_id=first_deputy, owner_id=director)
        assert route == Route.DEPUTY
        assert await duties.acting_route(session, county_id=county.id, actor_id=second_deputy,
                                          owner_id=director) is None
        assert await duties.acting_route(session, county_id=county.id, actor_id=director,
                                          owner_id=director) == Route.DIRECT
        settled = await duties.settle(session, subject=another, by_official_id=first_deputy, route=route)
    assert await routes(settled) == {director: (first_deputy, Route.DEPUTY), first_deputy: (first_deputy, None),
                                     second_deputy: (first_deputy, None)}

    # Ended another way (the request withdrawn): every duty closes, none with a route.
    withdrawn = Subject(SubjectKind.INCOMING_REQUEST, 43)
    await register(withdrawn)
    async with sessions() as session, session.begin():
        settled = await duties.settle(session, subject=withdrawn, by_official_id=None, route=None)
    assert await routes(settled) == {official: (None, None) for official in office}

    # The executive VM and VM1, AB partners, both away: the magistrate covers each of them by the same
    # route; the one he acted for is the one he names.
    await away(sessions, county, "EVM")
    await away(sessions, county, "VM1")
    magistrate, evm, vm1 = (county.officials[code] for code in ("MAG", "EVM", "VM1"))
    instruction = Subject(SubjectKind.INCOMING_REQUEST, 44)
    async with sessions() as session, session.begin():
        await duties.assign(session, county_id=county.id, official_ids=[vm1, evm], subject=instruction,
                            task="instruct", title="批示：关于城东小学建设资金的请示", article="001 §31")
        route = await duties.acting_route(session, county_id=county.id, actor_id=magistrate, owner_id=evm)
        assert route == Route.ESCALATED == await duties.acting_route(session, county_id=county.id,
                                                                     actor_id=magistrate, owner_id=vm1)
        settled = await duties.settle(session, subject=instruction, by_official_id=magistrate, route=route,
                                      on_behalf_of_id=evm)
    assert await routes(settled) == {evm: (magistrate, route), vm1: (magistrate, None)}


def test_each_subject_kind_names_the_graphql_type_of_its_system():
    """A subject's global id names its system's type, which node(id:) reads."""
    assert SUBJECT_TYPES == {SubjectKind.INCOMING_REQUEST: "IncomingRequest",
                             SubjectKind.SUPERVISION_ITEM: "SupervisionItem", SubjectKind.PROPOSAL: "Proposal",
                             SubjectKind.DOCUMENT_PLAN: "DocumentPlan", SubjectKind.DISCLOSURE: "Disclosure"}
    types = build_schema(Settings())._schema.type_map
    for name in SUBJECT_TYPES.values():
        assert "Node" in [interface.name for interface in types[name].interfaces], name


async def test_duties_with_their_officials_cost_the_same_for_1_as_for_5(api, sessions, capsys):
    county = await build_county(sessions)
    await away(sessions, county, "VM1")
    for n in range(3):  # the first page of one holds a covered duty too: every field has something to load
        await put(sessions, county, "VM1", Subject(SubjectKind.PROPOSAL, n), f"建议{n}")
        await put(sessions, county, "EVM", Subject(SubjectKind.SUPERVISION_ITEM, n), f"督办事项{n}")
    query = """query($first: Int!) { duties(first: $first) { edges { node {
      title subjectId route overdue official { name } onBehalfOf { name positions { role } }
      settledBy { name } } } } }"""
    token = await api.login(county.account("EVM"), PASSWORD)
    await api.call(query, {"first": 5}, token=token)  # the roster for cover, read once and cached
    small = await api.call(query, {"first": 1}, token=token)
    large = await api.call(query, {"first": 5}, token=token)
    assert not small.errors and not large.errors
    assert len(small.data["duties"]["edges"]) == 1 and len(large.data["duties"]["edges"]) == 5
    assert {e["node"]["route"] for e in large.data["duties"]["edges"]} == {"DIRECT", "AB_PARTNER"}
    assert small.sql_statements == large.sql_statements
    with capsys.disabled():
        print(f"\n[query count] duties with officials: {small.sql_statements} statements for 1 and "
              f"{large.sql_statements} for 5")
