"""Incoming documents circulated to leaders for reading and instructions (docs/DOMAIN.md §3.3, 003 §53)."""

from __future__ import annotations

import pytest

from tests.county import build_county
from tests.test_documents import Desk

START = """mutation($title: String!, $readers: [ID!]!, $urgent: Boolean! = false, $readOnly: Boolean! = false) {
  startCirculation(input: {title: $title, source: "市政府办公室", readerIds: $readers, urgent: $urgent, readOnly: $readOnly}) {
    __typename ... on CirculationPayload { circulation { id parallel readers { position official { code } reachedAt } } }
    ... on MutationError { code field message } } }"""
READ = """mutation($id: ID!, $instruction: String) { markRead(input: {circulationId: $id, instruction: $instruction}) {
  __typename ... on CirculationPayload { circulation { readers { official { code } readAt instruction } relays { instruction from { code } to { code } } } }
  ... on MutationError { code field message } } }"""
QUEUE = "{ readingQueue { title } }"
RELAYED = "{ instructionsRelayedToMe { instruction from { code } } }"


@pytest.fixture
async def desk(api, sessions) -> Desk:
    return Desk(api, await build_county(sessions))


async def queue(desk: Desk, code: str) -> list[str]:
    return [c["title"] for c in await desk.do(code, QUEUE)]


async def test_an_incoming_document_goes_to_the_leaders_one_after_another_in_rank_order(desk):
    readers = [desk.county.official(c) for c in ("VM1", "MAG", "EVM")]
    started = await desk.do("DIR", START, title="市政府关于秋冬季安全生产的通知", readers=readers)
    circulation = started["circulation"]
    assert circulation["parallel"] is False
    assert [r["official"]["code"] for r in circulation["readers"]] == ["MAG", "EVM", "VM1"]
    assert await queue(desk, "MAG") == ["市政府关于秋冬季安全生产的通知"]
    assert await queue(desk, "EVM") == []

    early = await desk.do("EVM", READ, id=circulation["id"])
    assert early["code"] == "NOT_YOUR_TURN"
    await desk.do("MAG", READ, id=circulation["id"], instruction="请周常务牵头落实")
    assert await queue(desk, "MAG") == []
    assert await queue(desk, "EVM") == ["市政府关于秋冬季安全生产的通知"]


async def test_an_urgent_document_reaches_everyone_at_once(desk):
    readers = [desk.county.official(c) for c in ("MAG", "EVM", "VM1")]
    started = await desk.do("DIR", START, title="紧急防汛通知", readers=readers, urgent=True)
    assert started["circulation"]["parallel"] is True
    for code in ("MAG", "EVM", "VM1"):
        assert await queue(desk, code) == ["紧急防汛通知"]


async def test_the_magistrates_instruction_is_relayed_to_those_who_already_read(desk):
    readers = [desk.county.official(c) for c in ("MAG", "EVM", "VM1")]
    circulation = (await desk.do("DIR", START, title="阅知件", readers=readers, readOnly=True))["circulation"]
    await desk.do("VM1", READ, id=circulation["id"])
    after = await desk.do("MAG", READ, id=circulation["id"], instruction="各分管领导督促落实")
    assert after["circulation"]["relays"] == [{"instruction": "各分管领导督促落实", "from": {"code": "MAG"},
                                               "to": {"code": "VM1"}}]
    assert await desk.do("VM1", RELAYED) == [{"instruction": "各分管领导督促落实", "from": {"code": "MAG"}}]
    assert await desk.do("EVM", RELAYED) == []  # he has not read yet: he will see it when he does


async def test_only_the_government_office_circulates(desk):
    refused = await desk.do("VM1", START, title="x", readers=[desk.county.official("MAG")])
    assert (refused["__typename"], refused["code"]) == ("MutationError", "FORBIDDEN")


async def test_reading_twice_is_refused(desk):
    circulation = (await desk.do("DIR", START, title="件", readers=[desk.county.official("MAG")]))["circulation"]
    await desk.do("MAG", READ, id=circulation["id"])
    assert (await desk.do("MAG", READ, id=circulation["id"]))["code"] == "WRONG_STATE"
