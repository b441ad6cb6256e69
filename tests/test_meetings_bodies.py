"""Meeting bodies are county data: each rule set's seed names its bodies, the administrator edits them."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from db.engine import create_engine, session_factory
from db.migrate import upgrade
from db.models import AuditEvent
from domain.roster import RuleSet
from policies.meetings import read_bodies
from services import meetings
from tests.county import PASSWORD, build_county
from tests.meetings import PARTY_GROUP, bodies, refused, succeed


async def test_lulong_gets_the_party_group_and_the_standing_meeting_with_its_quorum(api, sessions):
    lulong = await build_county(sessions, code="lulong", rule_set=RuleSet.LULONG_2018)
    found = await bodies(api, await api.login(lulong.account("DIR"), PASSWORD))

    assert list(found) == ["县政府党组会议", "县政府全体会议", "县政府常务会议", "县长办公会议", "县政府专题会议"]
    party = found["县政府党组会议"]
    assert (party["decisionMode"], party["quorum"], party["personnelQuorum"], party["memberInChargeMustAttend"],
            party["passRule"]) == ("NAMED_VOTE", ">1/2", ">=2/3", True, ">1/2")
    standing = found["县政府常务会议"]
    assert (standing["decisionMode"], standing["quorum"], standing["article"]) == ("CHAIR_DECIDES", ">1/2", "003 §42")
    assert standing["abPartnerCountsTowardQuorum"] is False and standing["noticeLeadDays"] == 1


async def test_yanjin_has_the_three_meetings_of_its_rules_and_no_party_group(api, sessions):
    yanjin = await build_county(sessions)
    found = await bodies(api, await api.login(yanjin.admin, PASSWORD))
    assert {name: body["kind"] for name, body in found.items()} == {
        "县政府全体会议": "PLENARY", "县政府常务会议": "STANDING", "县长办公会议": "MAGISTRATE_OFFICE"}
    assert found["县长办公会议"]["entrustedChairRoles"] == ["EXECUTIVE_VICE_MAGISTRATE", "VICE_MAGISTRATE"]
    assert found["县政府常务会议"]["members"] == ["MAGISTRATE", "EXECUTIVE_VICE_MAGISTRATE", "VICE_MAGISTRATE",
                                           "OFFICE_DIRECTOR"]


def test_every_shipped_body_names_its_article():
    for rule_set in RuleSet:
        assert all(spec.article for spec in read_bodies(rule_set)), rule_set


async def test_the_administrator_sets_the_notice_lead_time_and_the_change_is_audited(api, sessions):
    yanjin = await build_county(sessions)
    admin = await api.login(yanjin.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]
    changed = {k: v for k, v in standing.items() if k not in ("id", "abPartnerCountsTowardQuorum")}
    changed |= {"noticeLeadDays": 2, "abPartnerCountsTowardQuorum": True}

    result = await succeed(api, admin, "updateMeetingBody", id=standing["id"], body=changed)

    assert result["meetingBody"]["noticeLeadDays"] == 2
    assert (await bodies(api, admin))["县政府常务会议"]["abPartnerCountsTowardQuorum"] is True
    async with sessions() as session:
        event = (await session.execute(select(AuditEvent)
                                       .where(AuditEvent.action == "meeting_body.update"))).scalar_one()
    assert (event.before["notice_lead_days"], event.after["notice_lead_days"]) == (1, 2)


@pytest.mark.parametrize(("change", "field"), [
    ({"quorum": "half"}, "quorum"),
    ({"passRule": "-"}, "passRule"),
    ({"chairRole": "OFFICE_DIRECTOR", "members": ["MAGISTRATE"]}, "chairRole"),
    ({"members": []}, "members"),
    ({"deferralMargin": -1}, "deferralMargin"),
    ({"name": "县长办公会议"}, "name"),
])
async def test_a_body_that_breaks_a_rule_is_refused_by_field_and_nothing_changes(api, sessions, change, field):
    yanjin = await build_county(sessions)
    admin = await api.login(yanjin.admin, PASSWORD)
    standing = (await bodies(api, admin))["县政府常务会议"]
    body = {k: v for k, v in standing.items() if k != "id"} | change
    code = "DUPLICATE" if field == "name" else "INVALID"
    await refused(api, sessions, admin, "updateMeetingBody", expect=(code, field), id=standing["id"], body=body)


async def test_a_county_adds_a_party_group_following_002_and_an_official_may_not(api, sessions):
    yanjin = await build_county(sessions)
    admin = await api.login(yanjin.admin, PASSWORD)
    await refused(api, sessions, await api.login(yanjin.account("MAG"), PASSWORD), "addMeetingBody",
                  expect=("FORBIDDEN", "countyId"), body=PARTY_GROUP)

    added = (await succeed(api, admin, "addMeetingBody", body=PARTY_GROUP))["meetingBody"]

    assert (added["kind"], added["personnelQuorum"], added["article"]) == ("PARTY_GROUP", ">=2/3", "002 细则 §5–§6")
    await refused(api, sessions, admin, "addMeetingBody", expect=("DUPLICATE", "name"), body=PARTY_GROUP)


async def test_a_county_made_before_meetings_existed_gets_its_bodies_in_the_migration(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0006")
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO counties (code, name, rule_set, created_at, roster_version) "
                                          "VALUES ('lulong', '卢龙县', 'lulong-2018', '2026-01-01', 0)"))
        await upgrade(engine)
        async with session_factory(engine)() as session:
            found = await meetings.bodies_of(session, county_id=1)
        assert [b.name for b in found] == [spec.name for spec in read_bodies(RuleSet.LULONG_2018)]
    finally:
        await engine.dispose()

