"""The inbox's cover lookup is cached per server process; it must never show a stale roster.

Scenarios: the office director goes away, comes back early, or his booked absence begins while his
first deputy keeps reading the inbox; and a change made through another server process.
"""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from db import models
from domain.roster import AbsenceReason
from server import create_app
from services import roster
from tests.api import Api
from tests.county import PASSWORD, SYSTEM, build_county, submit_notices

INBOX = "{ inbox { edges { node { route onBehalfOf { code } } } } }"
RECORD_ABSENCE = """mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) {
  __typename ... on AbsencePayload { absence { id } } ... on MutationError { code field message } } }"""
CANCEL_ABSENCE = """mutation($id: ID!) { cancelAbsence(input: {absenceId: $id}) {
  __typename ... on AbsencePayload { absence { cancelledAt } } ... on MutationError { code field message } } }"""


@pytest.fixture
async def office(sessions):
    """Three notices waiting for the office director's review."""
    county = await build_county(sessions)
    await submit_notices(sessions, county, 3)
    return county


async def inbox_read(api: Api, token: str) -> tuple[list[tuple[str, str | None]], int]:
    """The inbox's (route, on behalf of) pairs, and the SQL statements the request took."""
    response = await api.call(INBOX, token=token)
    assert not response.errors, response.errors
    routes = [(edge["node"]["route"], (edge["node"]["onBehalfOf"] or {}).get("code"))
              for edge in response.data["inbox"]["edges"]]
    return routes, response.sql_statements


async def routes_in_inbox(api: Api, token: str) -> list[tuple[str, str | None]]:
    routes, _ = await inbox_read(api, token)
    return routes


async def record_absence(api: Api, admin_token: str, county, code: str, starts_at: dt.datetime) -> str:
    data = await api.ok(RECORD_ABSENCE, {"input": {
        "officialId": county.official(code), "startsAt": starts_at.isoformat(),
        "endsAt": (starts_at + dt.timedelta(days=2)).isoformat(), "reason": "STUDY"}}, token=admin_token)
    assert data["recordAbsence"]["__typename"] == "AbsencePayload", data
    return data["recordAbsence"]["absence"]["id"]


DIRECTORS_ITEMS = [("DEPUTY", "DIR")] * 3


async def test_the_director_goes_away_and_comes_back_early_while_his_deputy_reads_the_inbox(api, office):
    deputy = await api.login(office.account("DDIR1"), PASSWORD)
    admin = await api.login(office.admin, PASSWORD)
    assert await routes_in_inbox(api, deputy) == []  # the roster is now cached: nobody away

    absence = await record_absence(api, admin, office, "DIR", dt.datetime.now(dt.timezone.utc))
    routes, reading_the_roster = await inbox_read(api, deputy)
    assert routes == DIRECTORS_ITEMS
    routes, from_the_cache = await inbox_read(api, deputy)
    assert routes == DIRECTORS_ITEMS
    assert from_the_cache == reading_the_roster - 2  # absences, then positions and AB pairs

    cancelled = await api.ok(CANCEL_ABSENCE, {"id": absence}, token=admin)
    assert cancelled["cancelAbsence"]["__typename"] == "AbsencePayload"
    assert await routes_in_inbox(api, deputy) == []


async def test_a_booked_absence_takes_effect_when_it_begins(api, sessions, office, monkeypatch):
    deputy = await api.login(office.account("DDIR1"), PASSWORD)
    begins = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=office.officials["DIR"], starts_at=begins,
                                    ends_at=begins + dt.timedelta(days=1), reason=AbsenceReason.STUDY, actor=SYSTEM)
    assert await routes_in_inbox(api, deputy) == []  # cached until the absence begins

    monkeypatch.setattr(models, "utcnow", lambda: begins + dt.timedelta(minutes=1))
    assert await routes_in_inbox(api, deputy) == DIRECTORS_ITEMS

    monkeypatch.setattr(models, "utcnow", lambda: begins + dt.timedelta(days=1, minutes=1))
    assert await routes_in_inbox(api, deputy) == []  # and ends when it ends


async def test_a_change_made_through_another_server_process_shows_at_once(api, office, settings, engine):
    other_process = create_app(settings, engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other_process),
                                 base_url="http://other.qianfa.test") as other_client:
        other = Api(other_client)
        deputy = await api.login(office.account("DDIR1"), PASSWORD)
        assert await routes_in_inbox(api, deputy) == []
        assert await routes_in_inbox(other, deputy) == []  # both processes have the roster cached

        admin = await other.login(office.admin, PASSWORD)
        await record_absence(other, admin, office, "DIR", dt.datetime.now(dt.timezone.utc))
        assert await routes_in_inbox(api, deputy) == DIRECTORS_ITEMS
