"""The power catalogue (职权目录): what each office of the county may decide, in versions, and how a version
goes public. Rules without a database.

Seed 004 一 asks a county to list its powers (职权), each with its holder, legal basis, conditions, procedure,
time limit, fee, responsible post and complaint channel, checked by the establishment office (编办) and the
legal office (司法局) before the government approves and publishes the catalogue; a changed power is a new
version of the catalogue entry, the old one stays on the record as amended.
"""

from __future__ import annotations

import enum


class HolderKind(str, enum.Enum):
    """Who holds a power: a meeting body (会议), a position's role (职位), or a department (部门)."""

    BODY = "body"
    POSITION_ROLE = "position_role"
    DEPARTMENT = "department"


class PowerState(str, enum.Enum):
    DRAFT = "draft"                # being written by the government office
    UNDER_REVIEW = "under_review"  # with the establishment office and the legal office (004 一)
    APPROVED = "approved"          # approved by the government, optionally by a meeting's decision
    PUBLISHED = "published"        # in force and public (004 一、五)
    AMENDED = "amended"            # replaced by a newer published version
    REVOKED = "revoked"            # the power no longer exists


_MOVES = {
    PowerState.DRAFT: {PowerState.UNDER_REVIEW},
    PowerState.UNDER_REVIEW: {PowerState.APPROVED, PowerState.DRAFT},
    PowerState.APPROVED: {PowerState.PUBLISHED},
    PowerState.PUBLISHED: {PowerState.AMENDED, PowerState.REVOKED},
}


def can_move(current: PowerState, target: PowerState) -> bool:
    return target in _MOVES.get(current, set())


class ReviewOffice(str, enum.Enum):
    """The two reviews a version needs before approval (004 一: 编办审核、法制审核)."""

    ESTABLISHMENT = "establishment"  # 机构编制部门: is the power within the holder's functions
    LEGAL = "legal"                  # 司法行政部门: does the legal basis hold


# Every field a version needs before it goes to review (004 一 职权目录要素), by its GraphQL name.
REQUIRED_FIELDS = ("name", "category", "legalBasis", "conditions", "output", "responsiblePost", "complaintChannel")


def review_problem(fields: dict[str, str], time_limit_days: int | None, fee: str, fee_basis: str
                   ) -> tuple[str, str] | None:
    """(field, why) when a version is not complete enough for review; None when it is."""
    for field in REQUIRED_FIELDS:
        if not fields.get(field, "").strip():
            return field, f"A catalogue entry states its {field} before review (004 一)."
    if time_limit_days is None or time_limit_days < 1:
        return "timeLimitDays", "A catalogue entry states its time limit in working days before review (004 一)."
    if fee.strip() and not fee_basis.strip():
        return "feeBasis", "A power that charges a fee states the fee's legal basis (004 一 收费依据)."
    return None


def reviews_missing(agreed: set[ReviewOffice]) -> list[ReviewOffice]:
    """The offices whose agreement a version under review still lacks."""
    return [office for office in ReviewOffice if office not in agreed]


def holder_problem(kind: HolderKind, *, body_id: int | None, role: str | None, department_id: int | None,
                   county_roles: frozenset) -> tuple[str, str] | None:
    """(field, why) when the holder given does not match its kind; None when it does."""
    given = {HolderKind.BODY: body_id, HolderKind.POSITION_ROLE: role, HolderKind.DEPARTMENT: department_id}
    field = {HolderKind.BODY: "holderBodyId", HolderKind.POSITION_ROLE: "holderRole",
             HolderKind.DEPARTMENT: "holderDepartmentId"}
    if given[kind] is None:
        return field[kind], f"A power held by a {kind.value.replace('_', ' ')} names it."
    for other, value in given.items():
        if other != kind and value is not None:
            return field[other], "A power has one holder: name only the one its holder kind says."
    if kind == HolderKind.POSITION_ROLE and role not in county_roles:
        return "holderRole", ("A position role holds a power county-wide (the magistrate, a vice magistrate); a "
                              "department's posts hold theirs through the department.")
    return None


class RiskLevel(str, enum.Enum):
    """How grave a risk point is (廉政风险等级, 004 三), by the harm it would do."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ControlKind(str, enum.Enum):
    """The kinds of control over a risk point (004 三(四))."""

    SEPARATION = "separation"    # 分权制衡：不相容岗位分离
    PROCEDURE = "procedure"      # 流程控制
    TECHNOLOGY = "technology"    # 科技防控：电子监察
    INSTITUTION = "institution"  # 制度约束


# Risk points may be rated and controlled while a version is being prepared, up to its publication.
RISK_EDITABLE_STATES = frozenset({PowerState.DRAFT, PowerState.UNDER_REVIEW, PowerState.APPROVED})


def risk_entry_problem(category: str, description: str, level: RiskLevel | None, harm: str, owner: str,
                       controls: list[tuple[ControlKind, str]]) -> tuple[str, str] | None:
    """(field, why) when a risk point cannot be kept as given; None when it can. Level and controls may wait."""
    for field, value in (("category", category), ("description", description), ("owner", owner)):
        if not value.strip():
            return field, f"A risk point states its {field} (004 三)."
    if level is not None and not harm.strip():
        return "harm", "A risk level is justified by the harm the risk would do (004 三)."
    for _, words in controls:
        if not words.strip():
            return "controls", "Each control says what it does (004 三(四))."
    return None


def publication_risk_problem(points: list[tuple[str, RiskLevel | None, int]]) -> str | None:
    """Why a version cannot be published for its risk points ((description, level, number of controls)); None when
    every one is rated and controlled (004 三)."""
    for description, level, controls in points:
        if level is None:
            return f"Risk point “{description}” has no level: rate it before publication (004 三)."
        if controls == 0:
            return f"Risk point “{description}” has no control: add one before publication (004 三(四))."
    return None
