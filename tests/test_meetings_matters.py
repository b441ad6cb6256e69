"""The collective-matter catalogue (三重一大 事项目录) is county data: each rule set's seed names the matters that
must go to a body, with the article on every row; the county's administrator edits the copy."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select, text

from db.engine import create_engine, session_factory
from db.migrate import upgrade
from db.models import AuditEvent
from domain.meetings import BodyKind
from domain.meetings_agenda import MaterialKind, needs_collective_decision
from domain.roster import RuleSet
from policies.meetings_matters import InvalidMatter, MatterSpec, read_matters
from services import meetings_matters
from tests.county import PASSWORD, build_county
from tests.meetings import MATTER, refused, succeed


@dataclass
class Row:
    threshold_wan: int | None


def test_a_matter_without_a_threshold_always_needs_the_body_and_one_with_from_its_amount_on():
    assert needs_collective_decision(Row(None), None) and needs_collective_decision(Row(None), 3)
    assert not needs_collective_decision(Row(100), 99) and not needs_collective_decision(Row(100), None)
    assert needs_collective_decision(Row(100), 100) and needs_collective_decision(Row(100), 250)


def test_every_shipped_matter_names_its_article_and_the_four_kinds_of_三重一大_are_in_every_rule_set():
    for rule_set in RuleSet:
        specs = {spec.code: spec for spec in read_matters(rule_set)}
        assert all(spec.article for spec in specs.values()), rule_set
        assert {"major_decision", "important_appointment", "major_project", "large_sum"} <= set(specs), rule_set
        assert specs["important_appointment"].personnel and not specs["major_project"].personnel


def test_lulong_sends_a_normative_document_to_legality_review_ten_working_days_ahead_the_others_set_no_limit():
    lulong = {spec.code: spec for spec in read_matters(RuleSet.LULONG_2018)}
    assert (lulong["normative_document"].legality_review_lead_days, lulong["normative_document"].article) == (
        10, "003 §24; 003 §61")
    assert lulong["major_decision"].body_kind == BodyKind.PARTY_GROUP
    for rule_set in (RuleSet.GENERIC_2022, RuleSet.YANJIN_2023):
        assert all(spec.legality_review_lead_days is None for spec in read_matters(rule_set))


def test_a_lead_time_without_the_legality_opinion_among_the_materials_is_no_rule():
    spec = MatterSpec(code="normative_document", name="规范性文件", body_kind=BodyKind.STANDING, personnel=False,
                      threshold_wan=None, required_materials=(MaterialKind.REQUEST,), legality_review_lead_days=10,
                      article="003 §61")
    with pytest.raises(InvalidMatter) as refused_spec:
        spec.checked()
    assert refused_spec.value.column == "legality_review_lead_days"


async def _catalogue(api, token: str) -> dict[str, dict]:
    data = await api.ok(f"{{ collectiveMatters {{ {MATTER} }} }}", token=token)
    return {row["code"]: row for row in data["collectiveMatters"]}


async def test_yanjin_gets_the_eleven_tasks_of_its_standing_meeting_each_with_its_article(api, sessions):
    yanjin = await build_county(sessions)
    found = await _catalogue(api, await api.login(yanjin.account("DIR"), PASSWORD))

    assert list(found) == [spec.code for spec in read_matters(RuleSet.YANJIN_2023)]
    assert {row["bodyKind"] for row in found.values()} == {"STANDING"}
    appointment = found["important_appointment"]
    assert (appointment["personnel"], appointment["article"]) == (True, "001 §20(十)")
    assert found["large_sum"]["thresholdWan"] == 50
    assert found["normative_document"]["requiredMaterials"] == [
        "REQUEST", "DRAFT_AND_EXPLANATION", "LEGAL_BASIS", "OPINION_SUMMARY", "LEGALITY_OPINION"]


async def test_the_administrator_changes_a_threshold_and_the_change_is_audited(api, sessions):
    yanjin = await build_county(sessions)
    admin = await api.login(yanjin.admin, PASSWORD)
    project = (await _catalogue(api, admin))["major_project"]
    row = {k: v for k, v in project.items() if k != "id"} | {"thresholdWan": 300}

    changed = await succeed(api, admin, "updateCollectiveMatter", id=project["id"], matter=row)

    assert changed["matter"]["thresholdWan"] == 300
    async with sessions() as session:
        assert (await meetings_matters.matter(session, county_id=yanjin.id, code="major_project")).threshold_wan == 300
        event = (await session.execute(select(AuditEvent)
                                       .where(AuditEvent.action == "collective_matter.update"))).scalar_one()
    assert (event.before["threshold_wan"], event.after["threshold_wan"]) == (100, 300)


async def test_a_county_adds_a_matter_for_its_party_group_and_an_official_may_not(api, sessions):
    yanjin = await build_county(sessions)
    admin = await api.login(yanjin.admin, PASSWORD)
    matter = {"code": "state_assets", "name": "重要国有资产配置和处置", "bodyKind": "PARTY_GROUP",
              "article": "002 三重一大 一(一)5", "thresholdWan": 20, "requiredMaterials": ["REQUEST", "OPTIONS"]}
    for code in ("MAG", "DIR"):
        await refused(api, sessions, await api.login(yanjin.account(code), PASSWORD), "addCollectiveMatter",
                      expect=("FORBIDDEN", "countyId"), matter=matter)

    added = (await succeed(api, admin, "addCollectiveMatter", matter=matter))["matter"]

    assert (added["bodyKind"], added["thresholdWan"], added["requiredMaterials"]) == (
        "PARTY_GROUP", 20, ["REQUEST", "OPTIONS"])
    await refused(api, sessions, admin, "addCollectiveMatter", expect=("DUPLICATE", "code"), matter=matter)
    async with sessions() as session:
        assert (await session.execute(select(AuditEvent).where(AuditEvent.action == "collective_matter.add"))
                ).scalar_one().after["code"] == "state_assets"


async def test_an_official_may_not_edit_the_catalogue(api, sessions):
    yanjin = await build_county(sessions)
    project = (await _catalogue(api, await api.login(yanjin.admin, PASSWORD)))["major_project"]
    row = {k: v for k, v in project.items() if k != "id"} | {"thresholdWan": 1}
    await refused(api, sessions, await api.login(yanjin.account("MAG"), PASSWORD), "updateCollectiveMatter",
                  expect=("FORBIDDEN", "id"), id=project["id"], matter=row)


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "Major Project"}, "code"),
    ({"name": " "}, "name"),
    ({"article": ""}, "article"),
    ({"thresholdWan": 0}, "thresholdWan"),
    ({"legalityReviewLeadDays": 10}, "legalityReviewLeadDays"),
    ({"code": "large_sum"}, "code"),
])
async def test_a_matter_that_breaks_a_rule_is_refused_by_field_and_nothing_changes(api, sessions, change, field):
    yanjin = await build_county(sessions)
    admin = await api.login(yanjin.admin, PASSWORD)
    project = (await _catalogue(api, admin))["major_project"]
    row = {k: v for k, v in project.items() if k != "id"} | change
    code = "DUPLICATE" if change.get("code") == "large_sum" else "INVALID"
    await refused(api, sessions, admin, "updateCollectiveMatter", expect=(code, field), id=project["id"], matter=row)


async def test_a_county_made_before_the_catalogue_existed_gets_it_and_its_listed_items_in_the_migration(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0007")
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO counties (code, name, rule_set, created_at, roster_version) "
                                          "VALUES ('lulong', '卢龙县', 'lulong-2018', '2026-01-01', 0)"))
            await connection.execute(text("INSERT INTO officials (county_id, code, name, rank_order, created_at) "
                                          "VALUES (1, 'MAG', '林县长', 1, '2026-01-01')"))
            await connection.execute(text("INSERT INTO meeting_bodies (county_id, kind, name, rules) "
                                          "VALUES (1, 'standing', '县政府常务会议', '{}')"))
            for n, notice in ((1, "'2026-03-03 01:00:00'"), (2, "NULL")):
                await connection.execute(text(
                    "INSERT INTO meetings (county_id, body_id, year, seq, scheduled_at, place, chair_id, state, "
                    f"notice_sent_at) VALUES (1, 1, 2026, {n}, '2026-03-10 01:00:00', '会议室', 1, "
                    f"'{'notice_sent' if n == 1 else 'planned'}', {notice})"))
                await connection.execute(text("INSERT INTO agenda_items (county_id, meeting_id, title, is_personnel, "
                                              f"state) VALUES (1, {n}, '议题{n}', {n - 1}, 'listed')"))
        await upgrade(engine, "0008")
        async with session_factory(engine)() as session:
            found = await meetings_matters.matters_of(session, county_id=1)
            # Raw rows: later revisions add columns the model already has.
            items = (await session.execute(text("SELECT body_id, state, kind, noticed_at IS NOT NULL FROM agenda_items "
                                                "ORDER BY id"))).all()
        assert [m.code for m in found] == [spec.code for spec in read_matters(RuleSet.LULONG_2018)]
        assert [tuple(i) for i in items] == [(1, "noticed", "decision", 1), (1, "scheduled", "personnel", 0)]
    finally:
        await engine.dispose()
