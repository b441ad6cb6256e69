"""Every GraphQL example in the README runs as written against the demo county.

Each ```graphql block opens with ``# as USERNAME`` (or ``# as nobody``); a ``# variables: {…}`` line
gives its variables, where ``<the id of TITLE>`` stands for the id of the demo document with that title.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from strawberry.relay import to_base64

from cli import demo
from db.models import Document
from tests.county import SYSTEM

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)
AS = re.compile(r"^# as (\S+?)(?::|\s|$)")
VARIABLES = re.compile(r"^# variables: (.*)$", re.M)
ID_OF = re.compile(r"<the id of (.+?)>")
PASSWORD = demo.demo_file()["demo"]["password"]


def readme_examples() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def errors_in(value) -> list[dict]:
    """Typed errors anywhere in an answer: objects with a ``code`` and a ``message``."""
    if isinstance(value, dict):
        found = [value] if {"code", "message"} <= value.keys() else []
        return found + [error for item in value.values() for error in errors_in(item)]
    if isinstance(value, list):
        return [error for item in value for error in errors_in(item)]
    return []


def test_the_readme_has_examples_and_each_says_whom_to_sign_in_as():
    examples = readme_examples()
    assert len(examples) >= 5
    for example in examples:
        assert AS.match(example), f"the example does not open with '# as …':\n{example}"


@pytest.mark.parametrize("index", range(len(readme_examples())))
async def test_a_readme_example_runs_as_written(index, api, sessions):
    example = readme_examples()[index]
    async with sessions() as session, session.begin():
        await demo.seed_demo(session, actor=SYSTEM)
    async with sessions() as session:
        ids = {title: to_base64("Document", document_id) for document_id, title in
               await session.execute(select(Document.id, Document.title))}

    username = AS.match(example).group(1)
    token = None if username == "nobody" else await api.login(username, PASSWORD)
    variables_line = VARIABLES.search(example)
    variables = {}
    if variables_line:
        variables = json.loads(ID_OF.sub(lambda match: ids[match.group(1)], variables_line.group(1)))

    answer = await api.call(example, variables, token=token)

    assert answer.status == 200 and not answer.errors, (example, answer)
    assert answer.data and all(value is not None for value in answer.data.values()), (example, answer.data)
    assert not errors_in(answer.data), (example, answer.data)
