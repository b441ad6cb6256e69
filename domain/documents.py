"""Official documents (公文): the attributes that decide routing (docs/DOMAIN.md §3), as plain values.

These are the *words* the signing-authority tables are written in; which words lead to which
steps and signers is data, in policies/signing/<rule set>.csv, never here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Issuer(str, enum.Enum):
    """In whose name (名义) the document goes out."""

    COUNTY_GOVERNMENT = "county_government"
    GOVERNMENT_OFFICE = "government_office"
    DEPARTMENT = "department"
    JOINT_PARTY_GOVERNMENT = "joint_party_government"
    JOINT_OFFICES = "joint_offices"


class Genre(str, enum.Enum):
    """文种."""

    REQUEST = "request"
    REPORT = "report"
    NOTICE = "notice"
    DECISION = "decision"
    ORDER = "order"
    BILL = "bill"
    LETTER = "letter"
    MINUTES = "minutes"
    REPLY = "reply"
    CONTRACT = "contract"


class Direction(str, enum.Enum):
    UPWARD_CITY = "upward_city"
    UPWARD_PARTY_COMMITTEE = "upward_party_committee"
    UPWARD_NPC = "upward_npc"
    UPWARD_CPPCC = "upward_cppcc"
    DOWNWARD = "downward"
    NON_SUBORDINATE = "non_subordinate"
    # A department's or township's request or report to the county government: the office's incoming flow.
    TO_COUNTY_GOVERNMENT = "to_county_government"


class Meeting(str, enum.Enum):
    """For minutes: which meeting they record."""

    NONE = "none"
    PLENARY = "plenary"
    STANDING = "standing"
    MAGISTRATE_OFFICE = "magistrate_office"
    TOPICAL = "topical"
    PARTY_GROUP = "party_group"


class Flag(str, enum.Enum):
    NORMATIVE = "normative"
    PERSONNEL = "personnel"
    SANCTION = "sanction"
    VEHICLES = "vehicles"
    FISCAL_FUNDS = "fiscal_funds"
    MAJOR = "major"
    URGENT = "urgent"
    MEETING_DECIDED = "meeting_decided"  # derived: a linked decision that authorises
    UNDECIDED_COLLECTIVE = "undecided_collective"  # derived: the catalogue needs a decision the link lacks
    CHAIRED_BY_VM = "chaired_by_vm"
    UNPLANNED = "unplanned"  # derived: outside the county's approved yearly document plan, no exception recorded


# Flags that follow from the document's decision and catalogue matter (services.meetings_decisions), never input.
DERIVED_FLAGS = frozenset({Flag.MEETING_DECIDED, Flag.UNDECIDED_COLLECTIVE, Flag.UNPLANNED})


class Classification(str, enum.Enum):
    NONE = "none"
    SECRET = "secret"  # 秘密
    CONFIDENTIAL = "confidential"  # 机密
    TOP_SECRET = "top_secret"  # 绝密


class Span(str, enum.Enum):
    """How many vice magistrates' portfolios the document touches (跨分管)."""

    NONE = "none"
    SINGLE = "single"
    MULTI = "multi"


class Action(str, enum.Enum):
    """A step kind on the approval chain, in the order a chain runs."""

    OFFICE_REVIEW = "office_review"
    LEGAL_REVIEW = "legal_review"
    CO_SIGN = "co_sign"
    CO_REVIEW = "co_review"
    REVIEW = "review"
    SIGN = "sign"
    URGENT_SIGN = "urgent_sign"
    COUNTERSIGN = "countersign"
    # The one-by-one approval (一事一报) of a document outside the yearly plan.
    UNPLANNED_APPROVAL = "unplanned_approval"
    # After signing: numbering and issuing (印发).
    ISSUE = "issue"
    # The county government's handling of a request sent up to it: 签收, 拟办, 批示, 转请.
    REGISTER = "register"
    PROPOSE_HANDLING = "propose_handling"
    INSTRUCT = "instruct"
    PASS_ON = "pass_on"


# The order steps run in. URGENT_SIGN and COUNTERSIGN replace SIGN on the urgent route.
# The one-by-one approval comes after the office's strict check (从严把关) and before anyone else reviews
# a document the magistrate may still refuse (003 §62).
CHAIN_ORDER = (
    Action.OFFICE_REVIEW,
    Action.UNPLANNED_APPROVAL,
    Action.LEGAL_REVIEW,
    Action.CO_SIGN,
    Action.CO_REVIEW,
    Action.REVIEW,
    Action.SIGN,
)


class ChainRole(str, enum.Enum):
    """Who, by office, a table row names; resolved to people from the roster when routing."""

    MAGISTRATE = "magistrate"
    EXECUTIVE_VM = "executive_vm"
    VM_IN_CHARGE = "vm_in_charge"
    VMS_INVOLVED = "vms_involved"
    OFFICE_DIRECTOR = "office_director"
    OFFICE_REVIEWER = "office_reviewer"
    # Anyone holding a post in the government office (its director, deputies and staff): never a chain
    # step of its own, it names who may act for the office after signing (issuing, 印发).
    OFFICE_STAFF = "office_staff"
    LEGAL_OFFICE = "legal_office"
    CO_SPONSOR = "co_sponsor"
    UNIT_PRINCIPAL = "unit_principal"
    MEETING_CHAIR = "meeting_chair"


# Roles that are a group acting in parallel, each member once.
GROUP_ROLES = frozenset({ChainRole.VMS_INVOLVED, ChainRole.CO_SPONSOR})


class Route(str, enum.Enum):
    """How the acting official came to act: in person, or covering for someone (docs/DOMAIN.md §2)."""

    DIRECT = "direct"
    AB_PARTNER = "ab_partner"
    PRESIDING = "presiding"
    ENTRUSTED = "entrusted"
    NAMED = "named"
    DEPUTY = "deputy"
    ESCALATED = "escalated"

    @property
    def in_words(self) -> str:
        """The route as a sentence's end: "acting for 刘志强 {in_words}"."""
        return ROUTE_IN_WORDS[self]


ROUTE_IN_WORDS = {
    Route.DIRECT: "in person",
    Route.AB_PARTNER: "as the AB partner (AB角)",
    Route.PRESIDING: "as the executive vice magistrate presiding",
    Route.ENTRUSTED: "as the vice magistrate the magistrate entrusted",
    Route.NAMED: "as the acting person named in the absence report",
    Route.DEPUTY: "as the deputy designated by rank",
    Route.ESCALATED: "as the superior the work escalates to",
}


class DocumentState(str, enum.Enum):
    DRAFT = "draft"
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"
    SIGNED = "signed"
    ISSUED = "issued"


class StepState(str, enum.Enum):
    WAITING = "waiting"
    ACTIVE = "active"
    DONE = "done"


class AssignmentState(str, enum.Enum):
    WAITING = "waiting"
    APPROVED = "approved"
    DISSENTED = "dissented"
    SIGNED = "signed"
    # Another assignee of a signing step signed, so this one need not.
    NOT_NEEDED = "not_needed"
    # No reply after the reminder lapsed too: "视为无不同意见" — never a signature.
    DEEMED_NO_OBJECTION = "deemed_no_objection"


class EventKind(str, enum.Enum):
    """What a line of a document's history records."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    DISSENTED = "dissented"
    SIGNED = "signed"
    SIGNED_ON_ORAL_CONSENT = "signed_on_oral_consent"
    ISSUED = "issued"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    REASSIGNED = "reassigned"
    REMINDED = "reminded"
    REMINDED_AGAIN = "reminded_again"
    DEEMED_NO_OBJECTION = "deemed_no_objection"


@dataclass(frozen=True)
class DocumentFacts:
    """What the signing table sees of a document."""

    issuer: Issuer
    genre: Genre
    direction: Direction
    meeting: Meeting
    flags: frozenset[Flag]
    span: Span

    def flag_string(self) -> str:
        # Sorted so equal facts give equal cache keys.
        return ",".join(sorted(f.value for f in self.flags))
