"""Every rule of every county table, through the API on both engines: the predicted signer of a draft.

The same scenarios as tests/test_signing_tables.py, but each county's table is the one loaded from
the database and the roles are people in a real roster.
"""

from __future__ import annotations

import pytest

from domain.documents import ChainRole, Flag, Span
from tests.county import build_county
from tests.test_documents import PREDICT, Desk
from tests.test_meetings_signing_gate import decision_of
from tests.test_signing_tables import SIGNERS

# Who holds each office in tests/county.py when 教育局 (VM1's portfolio) leads.
HOLDER = {ChainRole.MAGISTRATE: "MAG", ChainRole.EXECUTIVE_VM: "EVM", ChainRole.VM_IN_CHARGE: "VM1",
          ChainRole.OFFICE_DIRECTOR: "DIR", ChainRole.UNIT_PRINCIPAL: "EDU"}


def _draft_fields(facts, county) -> dict:
    fields = {"issuer": facts.issuer.name, "genre": facts.genre.name, "direction": facts.direction.name,
              "meeting": facts.meeting.name, "flags": sorted(f.name for f in facts.flags)}
    if facts.span != Span.NONE:
        fields["leadDepartmentId"] = county.department("教育局")
    if Flag.CHAIRED_BY_VM in facts.flags:
        fields["meetingChairId"] = county.official("VM1")
    if facts.span == Span.MULTI:
        fields["coSponsorIds"] = [county.department("城关镇")]  # VM2's portfolio
    return fields


@pytest.mark.parametrize(("rule_set", "scenario", "facts", "signers", "rule"), SIGNERS,
                         ids=[f"{s[0].value}: {s[1]}" for s in SIGNERS])
async def test_the_county_table_names_the_signer(api, sessions, rule_set, scenario, facts, signers, rule):
    county = await build_county(sessions, code=rule_set.value.split("-")[0], rule_set=rule_set)
    desk = Desk(api, county)
    fields = _draft_fields(facts, county)
    if Flag.MEETING_DECIDED in facts.flags:
        # The flag follows from the standing meeting's decision the document executes, never from input.
        fields["flags"].remove("MEETING_DECIDED")
        fields["decisionId"] = await decision_of(api, sessions, county, present=["MAG", "EVM", "VM1", "VM2"])
    document = await desk.draft("EDU", title=scenario, **fields)
    data = await api.ok(PREDICT, {"id": document}, token=await desk.token("EDU"))
    sign = data["node"]["predictedChain"][-1]
    assert sign["action"] == "SIGN" and sign["alternatives"] is True
    assert [a["official"]["code"] for a in sign["assignees"]] == sorted(
        (HOLDER[role] for role in signers), key=["MAG", "EVM", "VM1", "DIR", "EDU"].index)
    assert rule in [r["rule"] for r in sign["rules"]]
