"""A front-end team reads the schema, not the code: every public element says what it is, and every
enum value has the Chinese label the apps display."""

from __future__ import annotations

import re

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    specified_directives,
)

from config import Settings
from schema import build_schema
from schema.labels import ENUM_LABELS
from tests.county import PASSWORD, build_county

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def graphql_schema():
    return build_schema(Settings())._schema


def public_types(graphql_schema):
    return [t for name, t in sorted(graphql_schema.type_map.items()) if not name.startswith("__")]


def undocumented(graphql_schema) -> list[str]:
    """Every type, field, argument, input field, enum value and directive without a description."""
    missing = []

    def check(element, path: str) -> None:
        if not (element.description or "").strip():
            missing.append(path)

    for graphql_type in public_types(graphql_schema):
        check(graphql_type, graphql_type.name)
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in graphql_type.fields.items():
                check(field, f"{graphql_type.name}.{field_name}")
                for arg_name, arg in field.args.items():
                    check(arg, f"{graphql_type.name}.{field_name}({arg_name}:)")
        elif isinstance(graphql_type, GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                check(field, f"{graphql_type.name}.{field_name}")
        elif isinstance(graphql_type, GraphQLEnumType):
            for value_name, value in graphql_type.values.items():
                check(value, f"{graphql_type.name}.{value_name}")
        else:
            assert isinstance(graphql_type, (GraphQLScalarType, GraphQLUnionType)), graphql_type
    for directive in graphql_schema.directives:
        if directive in specified_directives:
            continue
        check(directive, f"@{directive.name}")
        for arg_name, arg in directive.args.items():
            check(arg, f"@{directive.name}({arg_name}:)")
    return missing


def test_every_type_field_argument_and_enum_value_of_the_public_schema_is_described(graphql_schema):
    missing = undocumented(graphql_schema)
    assert not missing, f"{len(missing)} schema elements have no description:\n" + "\n".join(missing)


def test_the_check_notices_an_undocumented_element(graphql_schema):
    """The walk above would not pass vacuously: strip one description and it is reported."""
    before = set(undocumented(graphql_schema))
    field = graphql_schema.type_map["Document"].fields["title"]
    saved, field.description = field.description, None
    try:
        assert set(undocumented(graphql_schema)) - before == {"Document.title"}
    finally:
        field.description = saved


def test_the_documents_officials_and_chain_steps_say_what_they_are(graphql_schema):
    for name in ("Document", "Official", "ChainStep"):
        assert CHINESE.search(graphql_schema.type_map[name].description), name


def test_every_value_of_every_public_enum_has_a_chinese_label(graphql_schema):
    enums = {t.name: t for t in public_types(graphql_schema) if isinstance(t, GraphQLEnumType)}
    unlabelled = [f"{name}.{value}" for name, enum in enums.items() for value in enum.values
                  if value not in ENUM_LABELS.get(name, {}) or not CHINESE.search(ENUM_LABELS[name][value].label)]
    assert not unlabelled, "add these to schema/labels.py:\n" + "\n".join(unlabelled)
    stale = sorted(set(ENUM_LABELS) - set(enums)) + [f"{name}.{value}" for name, labels in ENUM_LABELS.items()
                                                    if name in enums for value in labels
                                                    if value not in enums[name].values]
    assert not stale, "labels of enums or values the schema no longer has:\n" + "\n".join(stale)


LABELS = """query($enums: [String!]) { enumLabels(enums: $enums) { enum value label description } }"""


async def test_an_app_gets_the_chinese_labels_of_the_enums_it_displays(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)
    labels = (await api.ok(LABELS, {"enums": ["DocumentState", "StepAction"]}, token=token))["enumLabels"]
    assert [(entry["enum"], entry["value"]) for entry in labels] == [
        ("DocumentState", "DRAFT"), ("DocumentState", "IN_PROGRESS"), ("DocumentState", "RETURNED"),
        ("DocumentState", "SIGNED"), ("DocumentState", "ISSUED"), *(("StepAction", value) for value in ENUM_LABELS["StepAction"])]
    by_value = {(entry["enum"], entry["value"]): entry for entry in labels}
    assert by_value["StepAction", "SIGN"]["label"] == "签发"
    assert by_value["DocumentState", "IN_PROGRESS"]["label"] == "办理中"
    assert all(entry["description"] for entry in labels)

    everything = (await api.ok(LABELS, token=token))["enumLabels"]
    assert {entry["enum"] for entry in everything} == set(ENUM_LABELS)


async def test_an_unknown_enum_name_is_refused_by_name_and_labels_need_a_sign_in(api, sessions):
    county = await build_county(sessions)
    token = await api.login(county.admin, PASSWORD)
    refused = await api.call(LABELS, {"enums": ["DocumentState", "DocumentStatus"]}, token=token)
    assert refused.error_codes == ["BAD_USER_INPUT"]
    assert refused.errors[0]["message"] == "No enum is named 'DocumentStatus'."

    anonymous = await api.call(LABELS, {"enums": ["DocumentState"]})
    assert anonymous.error_codes == ["UNAUTHENTICATED"]
