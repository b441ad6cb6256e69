"""The fuzzer's inputs: ids no row can have, control characters, strings longer than their columns.

Each is refused with a typed error (never HTTP 500, never the masked "Unexpected error.") and writes nothing.
"""

from __future__ import annotations

import base64
import json

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
)
from sqlalchemy import select
from strawberry.relay import to_base64

from config import Settings
from db.checks import TEXT_MAX_CHARS
from db.models import Account, Base, County, Document
from schema import build_schema
from tests.county import PASSWORD, build_county, create_system_admin, submit_notices
from tests.test_roster_admin import snapshot

# Numbers no id can have: past PostgreSQL's BIGINT and SQLite's INTEGER, and below the first id.
OUT_OF_RANGE = [2**63, 2**64, -1, 0]
# In range, and no test ever has that many rows: the id of a record that does not exist.
MISSING = 2**63 - 1

GRAPHQL = build_schema(Settings())._schema
MODEL_NAMES = {mapper.class_.__name__ for mapper in Base.registry.mappers}
# Id fields whose names do not end in the name of the record they name.
ID_TYPES = {
    "officialAId": "Official", "officialBId": "Official", "entrustedId": "Official", "onBehalfOfId": "Official",
    "addressedToId": "Official", "meetingChairId": "Official", "readerIds": "Official",
    "leaveGrantedById": "Official",
    "coSponsorIds": "Department", "pairId": "AbPair", "assignmentId": "StepAssignment",
    "chairId": "Official", "entrustedById": "Official", "adHocApprovedById": "Official", "memberId": "Official",
    "memberInChargeId": "Official", "itemId": "AgendaItem", "bodyId": "MeetingBody",
    "relativeId": "Official", "drafterId": "Official", "decidedById": "Official",
    "proposerId": "Official", "materialId": "AgendaItemMaterial",
    "decisionId": "MeetingDecision", "responsibleDepartmentIds": "Department", "responsiblePersonId": "Official",
    "handlerId": "Official", "instructedById": "Official", "leaderId": "Official",
    "requestId": "IncomingRequest", "planId": "DocumentPlan", "entryId": "DocumentPlanEntry",
    "disclosureId": "Disclosure", "requestedById": "Official",
    "powerId": "Power", "holderBodyId": "MeetingBody", "holderDepartmentId": "Department",
}
# Values for required arguments the scenario does not care about.
SCALARS = {"String": "x", "Int": 1, "Float": 1.0, "Boolean": False, "Date": "2025-03-03",
           "DateTime": "2025-03-03T09:00:00+08:00"}


def _id_fields(type_, path: str) -> list[str]:
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType) and named.name in ("ID", "GlobalID"):
        return [path]
    if isinstance(named, GraphQLInputObjectType):
        return [found for name, field in named.fields.items() for found in _id_fields(field.type, f"{path}.{name}")]
    return []


# Every (mutation, id argument) in the schema: a mutation added later is covered without editing this file.
ID_ARGUMENTS = [(name, path) for name, field in GRAPHQL.mutation_type.fields.items()
                for argument, definition in field.args.items() for path in _id_fields(definition.type, argument)]


def id_type(mutation: str, path: str) -> str:
    """The record an id argument names: ``input.toOfficialId`` → Official, ``input.id`` of updateOfficial → Official."""
    name = path.rsplit(".", 1)[-1]
    if name in ID_TYPES:
        return ID_TYPES[name]
    stem = mutation if name == "id" else name.removesuffix("Ids").removesuffix("Id")
    return max((model for model in MODEL_NAMES if stem.lower().endswith(model.lower())), key=len)


def _value(type_, path: str, ids: dict[str, str]):
    """A value of ``type_`` for a required argument: the ids from ``ids``, anything plausible elsewhere."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, path, ids)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, path, ids)]
    if path in ids:
        return ids[path]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {name: _value(field.type, f"{path}.{name}", ids) for name, field in type_.fields.items()
                if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
                or f"{path}.{name}" in ids}
    return SCALARS[type_.name]


def _operation(mutation: str, ids: dict[str, str]) -> tuple[str, dict]:
    field = GRAPHQL.mutation_type.fields[mutation]
    declared = ", ".join(f"${name}: {argument.type}" for name, argument in field.args.items())
    passed = ", ".join(f"{name}: ${name}" for name in field.args)
    query = f"mutation({declared}) {{ {mutation}({passed}) {{ __typename ... on MutationError {{ code field message }} }} }}"
    return query, {name: _value(argument.type, name, ids) for name, argument in field.args.items()}


def assert_typed_refusal(response) -> None:
    """A typed answer: no HTTP 500, nothing masked as an unexpected error."""
    assert response.status != 500, response
    assert all(e["message"] != "Unexpected error." for e in response.errors or []), response.errors
    if response.errors:
        assert all(e.get("extensions", {}).get("code") for e in response.errors), response.errors
    else:
        assert next(iter(response.data.values()))["__typename"] == "MutationError", response.data


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


@pytest.fixture
async def root(sessions) -> str:
    """The system administrator's username."""
    return await create_system_admin(sessions)


async def _real_ids(sessions, county) -> dict[str, int]:
    """A record of each kind the scenario has, so that ids other than the one under test name real rows."""
    async with sessions() as session:
        document = await session.scalar(select(Document.id).where(Document.county_id == county.id))
        account = await session.scalar(select(Account.id).where(Account.username == county.admin))
    return {"County": county.id, "Official": county.officials["VM1"], "Department": county.departments["教育局"],
            "Position": county.positions["VM1"], "AbPair": next(iter(county.ab_pairs.values())),
            "Document": document, "Account": account}


# ---------------------------------------------------------------- ids out of range


@pytest.mark.parametrize("type_name", ["County", "Official", "Department", "Position", "AbPair", "Document"])
async def test_node_with_an_id_out_of_range_answers_null_like_a_missing_one(api, county, type_name):
    token = await api.login(county.account("DIR"), PASSWORD)
    query = "query($id: ID!) { node(id: $id) { id } }"
    missing = await api.call(query, {"id": to_base64(type_name, MISSING)}, token=token)
    assert (missing.status, missing.data, missing.errors) == (200, {"node": None}, None)
    for number in OUT_OF_RANGE:
        response = await api.call(query, {"id": to_base64(type_name, number)}, token=token)
        assert (response.status, response.data, response.errors) == (200, {"node": None}, None), number


async def test_node_with_a_malformed_number_answers_null(api, county):
    token = await api.login(county.account("DIR"), PASSWORD)
    for node_id in ["²", "1e3", "abc", "", "9" * 5000]:
        response = await api.call("query($id: ID!) { node(id: $id) { id } }",
                                  {"id": to_base64("Official", node_id)}, token=token)
        assert (response.status, response.data, response.errors) == (200, {"node": None}, None), node_id


@pytest.mark.parametrize("mutation", sorted({m for m, _ in ID_ARGUMENTS}))
async def test_every_mutation_answers_an_id_out_of_range_like_a_missing_one(api, sessions, county, root, mutation):
    await submit_notices(sessions, county, 1)
    real = await _real_ids(sessions, county)
    paths = [path for m, path in ID_ARGUMENTS if m == mutation]
    callers = {"county administrator": await api.login(county.admin, PASSWORD),
               "office director": await api.login(county.account("DIR"), PASSWORD),
               "system administrator": await api.login(root, PASSWORD)}
    before = await snapshot(sessions)
    for path in paths:
        # The other ids name real records where there are any, so that the mutation gets as far as this id.
        ids = {other: to_base64(id_type(mutation, other), real.get(id_type(mutation, other), MISSING))
               for other in paths if other != path}
        the_type = id_type(mutation, path)
        for caller, token in callers.items():
            missing = await api.call(*_operation(mutation, {**ids, path: to_base64(the_type, MISSING)}), token=token)
            assert_typed_refusal(missing)
            assert "Expected a" not in repr(missing), f"{path} of {mutation} names no {the_type}: add it to ID_TYPES"
            for number in OUT_OF_RANGE:
                bad = await api.call(*_operation(mutation, {**ids, path: to_base64(the_type, number)}), token=token)
                assert_typed_refusal(bad)
                assert (bad.status, bad.data, bad.errors) == (missing.status, missing.data, missing.errors), (
                    path, caller, number)
    assert await snapshot(sessions) == before, "a refused change wrote something"


# ---------------------------------------------------------------- control characters


LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { __typename ... on MutationError { code message } }
}"""


@pytest.mark.parametrize(("username", "password", "argument"), [
    ("dir.yanjin\x00", PASSWORD, "$u"),
    ("dir.yanjin", PASSWORD + "\x00", "$p"),
    ("\x00", "\x00", "$u"),
    ("dir\x1b[2Jyanjin", PASSWORD, "$u"),
])
async def test_a_control_character_in_a_sign_in_is_refused_before_anything_runs(api, sessions, county, username,
                                                                               password, argument):
    before = await snapshot(sessions)
    response = await api.call(LOGIN, {"u": username, "p": password})
    assert response.status != 500 and response.data is None, response
    assert response.error_codes == ["BAD_USER_INPUT"]
    assert f"'{argument}'" in response.errors[0]["message"]
    assert await snapshot(sessions) == before


async def test_a_control_character_in_a_literal_argument_is_refused_and_named(api, sessions, county):
    before = await snapshot(sessions)
    response = await api.call('mutation { login(username: "dir.yanjin\\u0000", password: "x") { __typename } }')
    assert response.status != 500 and response.data is None, response
    assert response.error_codes == ["BAD_USER_INPUT"]
    assert "'username'" in response.errors[0]["message"]
    assert await snapshot(sessions) == before


async def test_tabs_and_line_breaks_are_text_not_control_characters(api, county):
    token = await api.login(county.admin, PASSWORD)
    result = await api.ok("""mutation($input: CreateDepartmentInput!) {
        createDepartment(input: $input) { __typename ... on DepartmentPayload { department { name } } } }""",
                          {"input": {"name": "档案\t馆\r\n", "kind": "WORKING"}}, token=token)
    assert result["createDepartment"]["__typename"] == "DepartmentPayload"


@pytest.mark.parametrize(("operation", "variables", "argument"), [
    ("mutation($input: CreateCountyInput!) { createCounty(input: $input) { __typename } }",
     {"input": {"code": "lulong", "name": "卢龙\x00县", "ruleSet": "LULONG_2018"}}, "$input.name"),
    ("mutation($input: AddOfficialInput!) { addOfficial(input: $input) { __typename } }",
     {"input": {"code": "NEW\x07", "name": "新人", "rankOrder": 20}}, "$input.code"),
    ("mutation($input: DraftInput!) { createDraft(input: $input) { __typename } }",
     {"input": {"title": "通知", "body": "正文\x00", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
                "direction": "DOWNWARD"}}, "$input.body"),
    ("query($on: String!) { officials(filter: {nameContains: $on}) { totalCount } }", {"on": "林\x00"}, "$on"),
])
async def test_a_control_character_in_any_input_is_refused_and_named(api, sessions, county, root, operation,
                                                                    variables, argument):
    token = await api.login(root if "createCounty" in operation else county.account("DIR")
                            if "createDraft" in operation else county.admin, PASSWORD)
    before = await snapshot(sessions)
    response = await api.call(operation, variables, token=token)
    assert response.status != 500 and response.data is None, response
    assert response.error_codes == ["BAD_USER_INPUT"]
    assert f"'{argument}'" in response.errors[0]["message"]
    assert await snapshot(sessions) == before


# ---------------------------------------------------------------- strings longer than their columns


def _limit(column) -> int:
    return column.type.length or TEXT_MAX_CHARS


ROSTER_ADMIN = "county administrator"
# (mutation, input type, input, the field too long, its column, who asks)
TOO_LONG = [
    ("createCounty", "CreateCountyInput", {"code": "C", "name": "县", "ruleSet": "LULONG_2018"}, "code",
     County.__table__.c.code, "system administrator"),
    ("createCounty", "CreateCountyInput", {"code": "lulong", "name": "县", "ruleSet": "LULONG_2018"}, "name",
     County.__table__.c.name, "system administrator"),
    ("addOfficial", "AddOfficialInput", {"code": "NEW", "name": "新人", "rankOrder": 20}, "code",
     Base.metadata.tables["officials"].c.code, ROSTER_ADMIN),
    ("addOfficial", "AddOfficialInput", {"code": "NEW", "name": "新人", "rankOrder": 20}, "name",
     Base.metadata.tables["officials"].c.name, ROSTER_ADMIN),
    ("createDepartment", "CreateDepartmentInput", {"name": "局", "kind": "WORKING"}, "name",
     Base.metadata.tables["departments"].c.name, ROSTER_ADMIN),
    ("createDraft", "DraftInput", {"title": "通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
                                   "direction": "DOWNWARD"}, "title", Document.__table__.c.title, "office director"),
    ("createDraft", "DraftInput", {"title": "通知", "issuer": "COUNTY_GOVERNMENT", "genre": "NOTICE",
                                   "direction": "DOWNWARD"}, "body", Document.__table__.c.body, "office director"),
]


@pytest.mark.parametrize(("mutation", "input_type", "input", "field", "column", "caller"), TOO_LONG,
                         ids=[f"{m}.{f}" for m, _, _, f, _, _ in TOO_LONG])
async def test_a_string_longer_than_its_column_is_refused_and_one_that_fits_is_kept(
        api, sessions, county, root, mutation, input_type, input, field, column, caller):
    username = {"system administrator": root, ROSTER_ADMIN: county.admin, "office director": county.account("DIR")}
    token = await api.login(username[caller], PASSWORD)
    operation = (f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
                 "... on MutationError { code field message } } }")
    filler = "c" if (mutation, field) == ("createCounty", "code") else "长"  # a county code is ASCII
    before = await snapshot(sessions)
    refused = await api.ok(operation, {"input": {**input, field: filler * (_limit(column) + 1)}}, token=token)
    assert refused[mutation]["__typename"] == "MutationError"
    assert (refused[mutation]["code"], refused[mutation]["field"]) == ("TOO_LONG", field)
    assert str(_limit(column)) in refused[mutation]["message"]
    assert await snapshot(sessions) == before, "a refused change wrote something"

    fits = await api.ok(operation, {"input": {**input, field: filler * _limit(column)}}, token=token)
    assert fits[mutation]["__typename"] != "MutationError", fits


async def test_a_300000_character_county_code_is_refused_on_both_engines(api, sessions, root):
    token = await api.login(root, PASSWORD)
    before = await snapshot(sessions)
    result = await api.ok("""mutation($input: CreateCountyInput!) {
        createCounty(input: $input) { __typename ... on MutationError { code field } } }""",
                          {"input": {"code": "x" * 300_000, "name": "卢龙县", "ruleSet": "LULONG_2018"}}, token=token)
    assert result["createCounty"] == {"__typename": "MutationError", "code": "TOO_LONG", "field": "code"}
    assert await snapshot(sessions) == before


async def test_an_over_long_sign_in_name_is_just_a_wrong_sign_in(api, county):
    result = await api.ok(LOGIN, {"u": "x" * 100_000, "p": PASSWORD})
    assert result["login"]["__typename"] == "MutationError"


async def test_the_command_line_refuses_a_county_code_or_username_too_long(qianfa, sessions):  # noqa: F811
    code = "c" * (County.__table__.c.code.type.length + 1)
    created = await qianfa("county", "create", "--code", code, "--name", "卢龙县", "--rule-set", "lulong-2018")
    assert created.code == 1 and "too_long, code" in created.err, created

    username = "u" * (Account.__table__.c.username.type.length + 1)
    account = await qianfa("account", "create", "--username", username, "--role", "system_admin",
                           env={"QIANFA_PASSWORD": PASSWORD})
    assert account.code == 1 and "too_long, username" in account.err, account
    async with sessions() as session:
        assert (await session.scalar(select(County.id)), await session.scalar(select(Account.id))) == (None, None)


# ---------------------------------------------------------------- cursors


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode()


@pytest.mark.parametrize(("connection", "cursor"), [
    ("officials", _cursor(2**31, 1)),  # rank order: INTEGER
    ("officials", _cursor(1, 2**63)),  # id: BIGINT
    ("departments", _cursor("财政局\x00", 1)),
    ("absences", _cursor("2025-03-03T09:00:00", 1)),  # no time zone: the columns hold UTC instants
])
async def test_a_forged_cursor_is_a_malformed_cursor(api, county, connection, cursor):
    token = await api.login(county.admin, PASSWORD)
    response = await api.call(f"query($after: String) {{ {connection}(first: 5, after: $after) {{ totalCount }} }}",
                              {"after": cursor}, token=token)
    assert response.status != 500 and response.error_codes == ["BAD_USER_INPUT"], response
    assert "Malformed cursor" in response.errors[0]["message"]


async def test_a_cursor_on_a_time_pages_on(api, county):
    token = await api.login(county.admin, PASSWORD)
    response = await api.call("query($after: String) { absences(first: 5, after: $after) { totalCount } }",
                              {"after": _cursor("2025-03-03T09:00:00+08:00", 1)}, token=token)
    assert (response.status, response.errors) == (200, None), response
