"""What a document must satisfy before it enters the flow (docs/DOMAIN.md §3.1), with each county's article."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from domain.documents import Classification, Direction, Genre, Issuer
from domain.errors import DomainError, ErrorCode, words
from domain.roster import RuleSet

# The article each county's work rules give for each submission rule. Generic's §43 binds documents to the
# rules of correspondence (行文规则), which forbid addressing several organs and skipping a level.
ARTICLES = {
    RuleSet.GENERIC_2022: {"one_matter": "000 §44", "no_requests_in_reports": "000 §44",
                           "not_to_a_leader": "000 §44", "departmental_matter": "000 §49",
                           "one_addressee": "000 §43", "no_skipping": "000 §43", "re_enters": "000 §44",
                           "sent_up_by": "000 §44"},
    # Yanjin and lulong say only "一般不得" of a document addressed to a leader; 000 §44's re-entry into the
    # office's flow is our reading for them (docs/DOMAIN.md §3.5).
    RuleSet.YANJIN_2023: {"one_matter": "001 §28", "no_requests_in_reports": "001 §28",
                          "not_to_a_leader": "001 §28", "departmental_matter": "001 §34",
                          "one_addressee": "001 §28", "no_skipping": "001 §28", "re_enters": "001 §28 §31",
                          "sent_up_by": "001 §28"},
    # Lulong's §54 binds submissions to the national regulation, which has both content rules and forbids
    # skipping a level.
    RuleSet.LULONG_2018: {"one_matter": "003 §54", "no_requests_in_reports": "003 §54",
                          "not_to_a_leader": "003 §54", "departmental_matter": "003 §60",
                          "one_addressee": "003 §54", "no_skipping": "003 §54", "re_enters": "003 §54 §56",
                          "sent_up_by": "003 §54"},
}


class Addressee(str, enum.Enum):
    """A main addressee (主送机关) of a request or report a department or township sends up."""

    COUNTY_GOVERNMENT = "county_government"  # 县人民政府, the senders' own superior
    COUNTY_PARTY_COMMITTEE = "county_party_committee"  # 县委
    LINE_DEPARTMENT = "line_department"  # the sender's superior department in its own line (上级业务主管部门)
    CITY_GOVERNMENT = "city_government"  # 市人民政府: above the county government
    PROVINCE_GOVERNMENT = "province_government"  # 省人民政府


# Addressing these from a department or township skips the county government (越级行文).
ABOVE_THE_COUNTY = frozenset({Addressee.CITY_GOVERNMENT, Addressee.PROVINCE_GOVERNMENT})


@dataclass(frozen=True)
class Submission:
    issuer: Issuer
    genre: Genre
    classification: Classification
    requested_matters: tuple[str, ...]
    addressed_to_leader: bool
    leader_assigned: bool
    departmental_matter: bool
    direction: Direction
    addressees: tuple[Addressee, ...] = ()

    @property
    def sent_up(self) -> bool:
        """A department's or township's request or report to a superior organ (报送公文)."""
        return self.issuer == Issuer.DEPARTMENT and self.genre in (Genre.REQUEST, Genre.REPORT)


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
    if submission.direction == Direction.TO_COUNTY_GOVERNMENT and not submission.sent_up:
        # Only what the county government's incoming flow takes goes there: issued, it could go nowhere.
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"Departments and townships send their requests and reports up to the county government "
                          f"(报送县政府的公文, {articles['sent_up_by']}); this is a {words(submission.genre)} in the "
                          f"{words(submission.issuer)}'s name: choose another direction.", field="direction")
    if submission.sent_up:
        _check_addressees(submission, articles)
    # Sent to the county government, it enters the office's flow at receipt and is recorded there as addressed
    # to the leader (000 §44): not refused.
    if (submission.addressed_to_leader and not submission.leader_assigned
            and submission.classification != Classification.TOP_SECRET
            and submission.direction != Direction.TO_COUNTY_GOVERNMENT):
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"Documents go to the government office, not to a leader personally "
                          f"({articles['not_to_a_leader']}), unless the leader assigned the matter "
                          f"or it is top secret.", field="addressedToId")
    if submission.departmental_matter and submission.issuer in (Issuer.COUNTY_GOVERNMENT, Issuer.GOVERNMENT_OFFICE):
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A purely departmental matter is issued by the department itself, not in the "
                          f"county government's name ({articles['departmental_matter']}).", field="issuer")


def addressees_of(submission: Submission) -> tuple[Addressee, ...]:
    """As given; a request or report to the county government names it when the drafter names none."""
    if submission.addressees:
        return tuple(dict.fromkeys(submission.addressees))
    return (Addressee.COUNTY_GOVERNMENT,) if submission.direction == Direction.TO_COUNTY_GOVERNMENT else ()


def _check_addressees(submission: Submission, articles: dict[str, str]) -> None:
    addressees = addressees_of(submission)
    if len(addressees) > 1:
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A document sent up has one main addressee (不得多头报文, {articles['one_addressee']}); "
                          f"this one names {len(addressees)}: send it to one and copy (抄送) the others.",
                          field="addressees")
    if ABOVE_THE_COUNTY & set(addressees):
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A department or township sends its requests and reports to the county government, not "
                          f"over its head (不得越级行文, {articles['no_skipping']}).", field="addressees")
    if submission.direction == Direction.TO_COUNTY_GOVERNMENT and addressees != (Addressee.COUNTY_GOVERNMENT,):
        raise DomainError(ErrorCode.SUBMISSION_RULE,
                          f"A document to the county government is addressed to it ({articles['one_addressee']}).",
                          field="addressees")
