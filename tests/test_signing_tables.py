"""Each county's signing-authority table, rule by rule: who may sign, who may not, and why.

These ask the tables directly (no database): the same decisions gate the sign mutation and
build the approval chain.
"""

from __future__ import annotations

import pytest

from domain.chains import NoSigningRule, plan_chain
from domain.documents import (
    Action,
    ChainRole,
    Direction,
    DocumentFacts,
    Flag,
    Genre,
    Issuer,
    Meeting,
    Route,
    Span,
)
from domain.roster import RuleSet
from policies.signing import InvalidRow, SigningTable, read_table_file, validate_row

TABLES = {rule_set: SigningTable(read_table_file(rule_set)) for rule_set in RuleSet}
G, Y, L = RuleSet.GENERIC_2022, RuleSet.YANJIN_2023, RuleSet.LULONG_2018
CG, OFFICE, DEPT, JOINT = (Issuer.COUNTY_GOVERNMENT, Issuer.GOVERNMENT_OFFICE, Issuer.DEPARTMENT,
                           Issuer.JOINT_PARTY_GOVERNMENT)
MAG, EVM, VMIC, DIR, UNIT = (ChainRole.MAGISTRATE, ChainRole.EXECUTIVE_VM, ChainRole.VM_IN_CHARGE,
                             ChainRole.OFFICE_DIRECTOR, ChainRole.UNIT_PRINCIPAL)


def doc(issuer=CG, genre=Genre.NOTICE, direction=Direction.DOWNWARD, meeting=Meeting.NONE, flags=(),
        span=Span.SINGLE) -> DocumentFacts:
    return DocumentFacts(issuer, genre, direction, meeting, frozenset(flags), span)


# rule set, scenario, document, who may sign, the rule that decides
SIGNERS = [
    (G, "a request to the city government", doc(genre=Genre.REQUEST, direction=Direction.UPWARD_CITY), {MAG}, "G-47-1-1"),
    (G, "a request to the county party committee", doc(genre=Genre.REQUEST, direction=Direction.UPWARD_PARTY_COMMITTEE), {MAG}, "G-47-1-2"),
    (G, "a bill to the NPC standing committee", doc(genre=Genre.BILL, direction=Direction.UPWARD_NPC), {MAG}, "G-47-1-2"),
    (G, "a joint party-government policy sent down", doc(issuer=JOINT, flags=[Flag.MAJOR]), {MAG}, "G-47-1-3"),
    (G, "an appointment notice", doc(flags=[Flag.PERSONNEL]), {MAG}, "G-47-1-4"),
    (G, "an administrative sanction", doc(genre=Genre.DECISION, flags=[Flag.SANCTION]), {MAG}, "G-47-1-4"),
    (G, "an office notice on official vehicles", doc(issuer=OFFICE, flags=[Flag.VEHICLES]), {MAG}, "G-47-1-5"),
    (G, "an office notice on fiscal project funds", doc(issuer=OFFICE, flags=[Flag.FISCAL_FUNDS]), {MAG}, "G-47-1-5"),
    (G, "an office notice on another major matter", doc(issuer=OFFICE, flags=[Flag.MAJOR]), {MAG}, "G-47-1-6"),
    (G, "standing meeting minutes", doc(genre=Genre.MINUTES, meeting=Meeting.STANDING), {MAG}, "G-42-minutes"),
    (G, "a contract in the government's name", doc(genre=Genre.CONTRACT), {MAG, VMIC}, "G-46-contract"),
    (G, "a notice within one VM's portfolio", doc(), {VMIC}, "G-47-2-1"),
    (G, "a notice spanning portfolios", doc(span=Span.MULTI), {MAG, EVM}, "G-47-2-1-cross"),
    (G, "an office notice within one portfolio", doc(issuer=OFFICE), {VMIC}, "G-47-2-2"),
    (G, "a department's request to the county", doc(issuer=DEPT, genre=Genre.REQUEST), {UNIT}, "G-44-unit"),
    (Y, "a normative document", doc(flags=[Flag.NORMATIVE]), {MAG}, "Y-32-normative"),
    (Y, "a decision", doc(genre=Genre.DECISION), {MAG}, "Y-32-decision"),
    (Y, "an order", doc(genre=Genre.ORDER), {MAG}, "Y-32-decision"),
    (Y, "a report to the NPC standing committee", doc(genre=Genre.REPORT, direction=Direction.UPWARD_NPC), {MAG}, "Y-32-upward"),
    (Y, "a request to the city government", doc(genre=Genre.REQUEST, direction=Direction.UPWARD_CITY), {MAG}, "Y-32-upward"),
    (Y, "a matter for the party standing committee", doc(genre=Genre.REQUEST, direction=Direction.UPWARD_PARTY_COMMITTEE), {MAG}, "Y-32-upward"),
    (Y, "a major-policy letter to a non-subordinate organ", doc(genre=Genre.LETTER, direction=Direction.NON_SUBORDINATE, flags=[Flag.MAJOR]), {MAG}, "Y-32-letter"),
    (Y, "a personnel document", doc(flags=[Flag.PERSONNEL]), {MAG}, "Y-32-personnel"),
    (Y, "a comprehensive document", doc(flags=[Flag.MAJOR]), {MAG, EVM}, "Y-33-global"),
    (Y, "a notice spanning portfolios", doc(span=Span.MULTI), {MAG, EVM}, "Y-33-cross"),
    (Y, "a notice within one portfolio", doc(), {VMIC}, "Y-33-division"),
    (Y, "an office notice", doc(issuer=OFFICE), {DIR, MAG, VMIC}, "Y-33-office"),
    (Y, "plenary meeting minutes", doc(genre=Genre.MINUTES, meeting=Meeting.PLENARY), {MAG}, "Y-22-minutes"),
    (Y, "minutes of a magistrate's office meeting chaired by a VM", doc(genre=Genre.MINUTES, meeting=Meeting.MAGISTRATE_OFFICE, flags=[Flag.CHAIRED_BY_VM]), {MAG}, "Y-22-chaired"),
    (Y, "a department's report to the county", doc(issuer=DEPT, genre=Genre.REPORT), {UNIT}, "Y-28-unit"),
    (L, "a report to the city government", doc(genre=Genre.REPORT, direction=Direction.UPWARD_CITY), {MAG}, "L-59-city"),
    (L, "an order", doc(genre=Genre.ORDER), {MAG}, "L-59-order"),
    (L, "a bill to the NPC", doc(genre=Genre.BILL, direction=Direction.UPWARD_NPC), {MAG}, "L-59-bill"),
    (L, "a personnel document", doc(flags=[Flag.PERSONNEL]), {MAG}, "L-59-personnel"),
    (L, "an important policy document", doc(flags=[Flag.MAJOR]), {MAG}, "L-60-major"),
    (L, "a notice within one portfolio", doc(), {VMIC}, "L-60-portfolio"),
    (L, "a notice touching other VMs' portfolios", doc(span=Span.MULTI), {MAG}, "L-60-cross"),
    (L, "a notice already decided at a meeting", doc(flags=[Flag.MEETING_DECIDED], span=Span.MULTI), {DIR}, "L-60-decided"),
    (L, "a joint party-government document", doc(issuer=JOINT), {MAG}, "L-60-joint"),
    (L, "an office document within its remit", doc(issuer=OFFICE, span=Span.NONE), {DIR, MAG, VMIC}, "L-60-office"),
    (L, "standing meeting minutes", doc(genre=Genre.MINUTES, meeting=Meeting.STANDING), {MAG}, "L-46-minutes"),
    (L, "topical meeting minutes", doc(genre=Genre.MINUTES, meeting=Meeting.TOPICAL), {VMIC}, "L-46-topical"),
    (L, "a department's request to the county", doc(issuer=DEPT, genre=Genre.REQUEST), {UNIT}, "L-54-unit"),
]


@pytest.mark.parametrize(("rule_set", "scenario", "facts", "signers", "rule"), SIGNERS,
                         ids=[f"{s[0].value}: {s[1]}" for s in SIGNERS])
def test_who_may_sign_and_who_may_not(rule_set, scenario, facts, signers, rule):
    table = TABLES[rule_set]
    for role in ChainRole:
        decision = table.decide(facts, Route.DIRECT, Action.SIGN, role)
        assert decision.allowed == (role in signers), f"{role.value} on {scenario}"
        if role in signers:
            assert decision.rule.rule == rule
            assert decision.rule.article[:3] in {"000", "001", "003"}


def roles_of(chain, action):
    return [step.roles for step in chain if step.action == action]


def test_generic_the_vm_in_charge_reviews_before_the_magistrate_signs_a_city_request():
    chain = plan_chain(doc(genre=Genre.REQUEST, direction=Direction.UPWARD_CITY), TABLES[G].decide)
    assert [s.action for s in chain] == [Action.OFFICE_REVIEW, Action.CO_SIGN, Action.REVIEW, Action.SIGN]
    assert roles_of(chain, Action.REVIEW) == [(VMIC,)]


def test_generic_a_normative_document_passes_legal_review_and_the_vms_written_consent():
    chain = plan_chain(doc(flags=[Flag.NORMATIVE], span=Span.MULTI), TABLES[G].decide)
    actions = [s.action for s in chain]
    assert actions.index(Action.LEGAL_REVIEW) < actions.index(Action.SIGN)
    assert roles_of(chain, Action.LEGAL_REVIEW) == [(ChainRole.LEGAL_OFFICE,)]
    assert roles_of(chain, Action.CO_REVIEW) == [(ChainRole.VMS_INVOLVED,)]
    assert next(s for s in chain if s.action == Action.CO_REVIEW).parallel


def test_generic_urgent_documents_may_go_on_the_magistrates_oral_consent_and_be_countersigned():
    urgent = doc(flags=[Flag.URGENT, Flag.MAJOR])
    assert TABLES[G].decide(urgent, Route.DIRECT, Action.URGENT_SIGN, VMIC).allowed
    assert TABLES[G].decide(urgent, Route.DIRECT, Action.COUNTERSIGN, MAG).allowed
    assert not TABLES[G].decide(doc(flags=[Flag.MAJOR]), Route.DIRECT, Action.URGENT_SIGN, VMIC).allowed
    assert not TABLES[Y].decide(urgent, Route.DIRECT, Action.URGENT_SIGN, VMIC).allowed


def test_yanjin_an_ab_partner_signs_urgent_documents_only():
    table = TABLES[Y]
    urgent, ordinary = doc(flags=[Flag.URGENT]), doc()
    assert table.decide(urgent, Route.AB_PARTNER, Action.SIGN, VMIC).allowed
    refused = table.decide(ordinary, Route.AB_PARTNER, Action.SIGN, VMIC)
    assert not refused.allowed and refused.rule.rule == "Y-5-ab" and refused.rule.article == "001 §5"
    # generic-2022 has no such restriction: the AB partner "代管其工作" (000 §6).
    assert TABLES[G].decide(ordinary, Route.AB_PARTNER, Action.SIGN, VMIC).allowed


def test_lulong_a_cross_portfolio_notice_is_cosigned_by_every_vm_involved_then_signed_by_the_magistrate():
    chain = plan_chain(doc(span=Span.MULTI), TABLES[L].decide)
    assert roles_of(chain, Action.CO_REVIEW) == [(ChainRole.VMS_INVOLVED,)]
    assert roles_of(chain, Action.SIGN) == [(MAG,)]


def test_lulong_minutes_are_reviewed_by_the_leader_concerned_and_the_office_director_together():
    chain = plan_chain(doc(genre=Genre.MINUTES, meeting=Meeting.STANDING), TABLES[L].decide)
    [review] = [s for s in chain if s.action == Action.REVIEW]
    assert set(review.roles) == {VMIC, DIR} and review.parallel


def test_a_document_no_row_covers_cannot_be_routed():
    with pytest.raises(NoSigningRule):
        plan_chain(doc(issuer=DEPT, genre=Genre.NOTICE), TABLES[Y].decide)


@pytest.mark.parametrize(("row", "column"), [
    (["10", "county_government", "*", "*", "*", "*", "*", "*", "sign", "mayor", "allow", "X", "000 §1"], "role"),
    (["10", "county_government", "poem", "*", "*", "*", "*", "*", "sign", "magistrate", "allow", "X", "000 §1"], "genre"),
    (["ten", "county_government", "*", "*", "*", "*", "*", "*", "sign", "magistrate", "allow", "X", "000 §1"], "priority"),
    (["10", "county_government", "*", "*", "*", "*", "*", "*", "sign", "magistrate", "maybe", "X", "000 §1"], "eft"),
    (["10", "county_government", "*", "*", "*", "*", "*", "*", "sign", "magistrate", "allow", "X", ""], "article"),
    (["10", "county_government", "*"], "row"),
])
def test_a_row_naming_an_unknown_role_or_value_is_refused(row, column):
    with pytest.raises(InvalidRow) as refused:
        validate_row(row)
    assert refused.value.column == column


def test_the_matcher_is_compiled_once_and_only_comparisons_and_the_registered_functions_are_accepted():
    from policies.signing import _CompiledMatcher, one_of

    functions = {"oneOf": one_of}
    matcher = _CompiledMatcher("r_action == p_action and oneOf(r_role, p_role)", functions)
    assert matcher.eval({"r_action": "sign", "p_action": "sign", "r_role": "magistrate",
                         "p_role": "magistrate|executive_vice_magistrate"}) is True
    assert matcher.eval({"r_action": "sign", "p_action": "sign", "r_role": "office_director",
                         "p_role": "!office_director"}) is False
    for hostile in ("__import__('os').system('true')", "r_action.__class__", "open('x')",
                    "[x for x in r_action]", "oneOf(r_role, p_role) or eval(p_rule)"):
        with pytest.raises(ValueError):
            _CompiledMatcher(hostile, functions)
