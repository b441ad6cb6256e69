"""Who acts for whom (docs/DOMAIN.md §2), asked through GraphQL at a given instant."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.roster import AbsenceReason
from services import roster
from tests.county import PASSWORD, SYSTEM, build_county

CST = dt.timezone(dt.timedelta(hours=8))
MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CST)

WHO_ACTS = """
query($id: ID!, $at: DateTime!) {
  whoActsFor(officialId: $id, at: $at) {
    actingForSomeone
    target { code }
    actor { code name }
    hops { reason outcome basis onBehalfOf { code } candidate { code } }
  }
}"""


@pytest.fixture
async def county(sessions):
    return await build_county(sessions)


async def away(sessions, county, code, *, acting=None, start=MONDAY_10AM - dt.timedelta(hours=2), days=3):
    async with sessions() as session, session.begin():
        await roster.record_absence(session, official_id=county.officials[code], starts_at=start,
                                    ends_at=start + dt.timedelta(days=days), reason=AbsenceReason.BUSINESS_TRIP,
                                    acting_official_id=county.officials[acting] if acting else None, actor=SYSTEM)


async def ask(api, county, code, at=MONDAY_10AM):
    token = await api.login(county.account("DIR"), PASSWORD)
    data = await api.ok(WHO_ACTS, {"id": county.official(code), "at": at.isoformat()}, token=token)
    return data["whoActsFor"]


async def test_a_leader_at_their_desk_acts_for_themself(api, county):
    answer = await ask(api, county, "VM2")
    assert answer["actor"]["code"] == "VM2"
    assert answer["actingForSomeone"] is False
    assert answer["hops"] == []


async def test_the_magistrate_is_away_so_the_executive_vice_magistrate_presides(api, sessions, county):
    await away(sessions, county, "MAG")
    answer = await ask(api, county, "MAG")
    assert answer["actor"]["code"] == "EVM"
    assert [(h["reason"], h["outcome"]) for h in answer["hops"]] == [("PRESIDING_FOR_MAGISTRATE", "ACTS")]
    assert "000 §6" in answer["hops"][0]["basis"]


async def test_magistrate_and_executive_vm_both_away_so_the_entrusted_vm_presides(api, sessions, county):
    await away(sessions, county, "MAG")
    await away(sessions, county, "EVM")
    async with sessions() as session, session.begin():
        await roster.record_entrustment(session, entrusted_id=county.officials["VM3"],
                                        starts_at=MONDAY_10AM - dt.timedelta(days=1),
                                        ends_at=MONDAY_10AM + dt.timedelta(days=5), actor=SYSTEM)
    answer = await ask(api, county, "MAG")
    assert answer["actor"]["code"] == "VM3"
    assert [(h["candidate"]["code"], h["reason"], h["outcome"]) for h in answer["hops"]] == [
        ("EVM", "PRESIDING_FOR_MAGISTRATE", "ABSENT"),
        ("VM3", "ENTRUSTED_BY_MAGISTRATE", "ACTS"),
    ]


async def test_magistrate_and_executive_vm_away_with_nobody_entrusted_leaves_no_one(api, sessions, county):
    await away(sessions, county, "MAG")
    await away(sessions, county, "EVM")
    answer = await ask(api, county, "MAG")
    assert answer["actor"] is None
    assert answer["hops"][-1]["outcome"] == "ABSENT"


async def test_a_vice_magistrate_is_away_so_the_ab_partner_acts(api, sessions, county):
    await away(sessions, county, "VM2")
    answer = await ask(api, county, "VM2")
    assert answer["actor"]["code"] == "VM3"
    assert answer["hops"][0]["reason"] == "AB_PARTNER"


async def test_vm_and_ab_partner_both_away_so_the_work_goes_to_the_magistrate(api, sessions, county):
    await away(sessions, county, "VM2")
    await away(sessions, county, "VM3")
    answer = await ask(api, county, "VM2")
    assert answer["actor"]["code"] == "MAG"
    assert [h["reason"] for h in answer["hops"]] == ["AB_PARTNER", "ESCALATED_TO_MAGISTRATE"]


async def test_the_absence_report_names_who_acts(api, sessions, county):
    await away(sessions, county, "VM2", acting="VM1")
    answer = await ask(api, county, "VM2")
    assert answer["actor"]["code"] == "VM1"
    assert answer["hops"][0]["reason"] == "NAMED_IN_ABSENCE_REPORT"


async def test_a_department_principal_is_away_so_the_first_deputy_acts(api, sessions, county):
    await away(sessions, county, "DIR")
    answer = await ask(api, county, "DIR")
    assert answer["actor"]["code"] == "DDIR1"
    assert answer["hops"][0]["reason"] == "DESIGNATED_DEPUTY"


async def test_principal_and_first_deputy_away_so_the_next_deputy_by_rank_acts(api, sessions, county):
    await away(sessions, county, "DIR")
    await away(sessions, county, "DDIR1")
    answer = await ask(api, county, "DIR")
    assert answer["actor"]["code"] == "DDIR2"
    assert [(h["candidate"]["code"], h["outcome"]) for h in answer["hops"]] == [("DDIR1", "ABSENT"),
                                                                                ("DDIR2", "ACTS")]


async def test_cover_ends_when_the_absence_ends(api, sessions, county):
    await away(sessions, county, "MAG", days=1)
    answer = await ask(api, county, "MAG", at=MONDAY_10AM + dt.timedelta(days=2))
    assert answer["actor"]["code"] == "MAG"


async def test_a_cancelled_absence_no_longer_hands_over_the_work(api, sessions, county):
    await away(sessions, county, "MAG")
    async with sessions() as session, session.begin():
        from sqlalchemy import select

        from db.models import Absence

        absence = (await session.execute(select(Absence))).scalar_one()
        await roster.cancel_absence(session, absence_id=absence.id, actor=SYSTEM)
    answer = await ask(api, county, "MAG")
    assert answer["actor"]["code"] == "MAG"


async def test_who_acts_needs_a_signed_in_caller(api, county):
    response = await api.call(WHO_ACTS, {"id": county.official("MAG"), "at": MONDAY_10AM.isoformat()})
    assert response.error_codes == ["UNAUTHENTICATED"]
    assert response.data is None


async def test_another_countys_official_is_not_found(api, sessions, county):
    other = await build_county(sessions, code="lulong")
    token = await api.login(county.account("DIR"), PASSWORD)
    response = await api.call(WHO_ACTS, {"id": other.official("MAG"), "at": MONDAY_10AM.isoformat()}, token=token)
    assert response.error_codes == ["NOT_FOUND"]
