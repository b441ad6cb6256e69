"""What a document must satisfy before it enters the flow (docs/DOMAIN.md §3.1), with each county's article."""

from __future__ import annotations

from dataclasses import dataclass

from domain.documents import Classification, Genre, Issuer
from domain.errors import DomainError, ErrorCode
from domain.roster import RuleSet

# The article each county's work rules give for each submission rule.
ARTICLES = {
    RuleSet.GENERIC_2022: {"one_matter": "000 §44", "no_requests_in_reports": "000 §44",
                           "not_to_a_leader": "000 §44", "departmental_matter": "000 §49"},
    RuleSet.YANJIN_2023: {"one_matter": "001 §28", "no_requests_in_reports": "001 §28",
                          "not_to_a_leader": "001 §28", "departmental_matter": "001 §34"},
    # Lulong's §54 binds submissions to the national regulation, which has both content rules.
    RuleSet.LULONG_2018: {"one_matter": "003 §54", "no_requests_in_reports": "003 §54",
                          "not_to_a_leader": "003 §54", "departmental_matter": "003 §60"},
}


@dataclass(frozen=True)
class Submission:
    issuer: Issuer
    genre: Genre
    classification: Classification
    requested_matters: tuple[str, ...]
    addressed_to_leader: bool
    leader_assigned: bool
    departmental_matter: bool


def check_submission(submission: Submission, rule_set: RuleSet) -> None:
    articles = ARTICLES[rule_set]
    if submission.genre == Genre.REQUEST and len(submission.requested_matters) != 1:
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A request carries exactly one matter (一文一事, {articles['one_matter']}); "
                          f"this one carries {len(submission.requested_matters)}.", field="requestedMatters")
    if submission.genre == Genre.REPORT and submission.requested_matters:
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A report must not carry requests (报告中不得夹带请示事项, "
                          f"{articles['no_requests_in_reports']}); send them as a separate request.",
                          field="requestedMatters")
    if (submission.addressed_to_leader and not submission.leader_assigned
            and submission.classification != Classification.TOP_SECRET):
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"Documents go to the government office, not to a leader personally "
                          f"({articles['not_to_a_leader']}), unless the leader assigned the matter "
                          f"or it is top secret.", field="addressedToId")
    if submission.departmental_matter and submission.issuer in (Issuer.COUNTY_GOVERNMENT, Issuer.GOVERNMENT_OFFICE):
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A purely departmental matter is issued by the department itself, not in the "
                          f"county government's name ({articles['departmental_matter']}).", field="issuer")
