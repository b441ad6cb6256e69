"""Errors a caller can act on: a machine-readable code and the input field at fault."""

from __future__ import annotations

import enum


class ErrorCode(str, enum.Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    DUPLICATE = "duplicate"
    RETIRED = "retired"
    NOT_A_VICE_MAGISTRATE = "not_a_vice_magistrate"
    ALREADY_PAIRED = "already_paired"
    POSITION_OCCUPIED = "position_occupied"
    MAGISTRATE_REQUIRED = "magistrate_required"
    PERIOD_INVALID = "period_invalid"
    ABSENCE_OVERLAP = "absence_overlap"
    ACTING_FOR_SELF = "acting_for_self"
    COVER_CYCLE = "cover_cycle"
    DEPARTMENT_ALREADY_IN_PORTFOLIO = "department_already_in_portfolio"
    ALREADY_ENDED = "already_ended"
    INVALID_CREDENTIALS = "invalid_credentials"
    SUBMISSION_RULE = "submission_rule"
    UNROUTABLE = "unroutable"
    WRONG_STATE = "wrong_state"
    NOT_YOUR_TURN = "not_your_turn"
    NOT_ALLOWED_BY_TABLE = "not_allowed_by_table"
    OPINION_REQUIRED = "opinion_required"
    # Meetings
    QUORUM_NOT_MET = "quorum_not_met"
    NOT_A_MEMBER = "not_a_member"
    NOT_PRESENT = "not_present"
    ALREADY_VOTED = "already_voted"
    DECISION_MODE = "decision_mode"
    NOT_CLOSE = "not_close"
    NOTICE_TOO_LATE = "notice_too_late"
    RECUSED = "recused"
    OUTCOME_BOUND_BY_VOTE = "outcome_bound_by_vote"
    DECISION_NOT_AUTHORISING = "decision_not_authorising"
    DERIVED_FLAG = "derived_flag"
    CALENDAR_UNKNOWN = "calendar_unknown"
    # The agenda pipeline
    NOT_ENTITLED = "not_entitled"
    WRONG_BODY = "wrong_body"
    MATERIALS_MISSING = "materials_missing"
    LEGALITY_REVIEW_TOO_LATE = "legality_review_too_late"
    NOT_ON_NOTICE = "not_on_notice"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    TOO_LONG = "too_long"
    # Supervision
    RESULT_NOT_REPORTED = "result_not_reported"
    # Issuing
    ALREADY_ISSUED = "already_issued"
    NO_SERIES = "no_series"
    # Incoming requests
    UNCLEAR_OPINION = "unclear_opinion"
    # Disclosure
    EXEMPTION_APPROVER = "exemption_approver"
    # Ids and accounts
    WRONG_ID_TYPE = "wrong_id_type"
    WEAK_PASSWORD = "weak_password"


class TopLevelCode(str, enum.Enum):
    """``extensions.code`` of a top-level GraphQL error (or of an HTTP error answer): refusals of the request
    or of a query field as a whole, as opposed to a mutation's ``MutationError.code``. Stable: clients
    branch on them; README.md, "Errors", says when each happens and what a client should do."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    BAD_REQUEST = "BAD_REQUEST"
    UNROUTABLE = "UNROUTABLE"
    CALENDAR_UNKNOWN = "CALENDAR_UNKNOWN"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_IDEMPOTENCY_KEY = "BAD_IDEMPOTENCY_KEY"
    IDEMPOTENCY_IN_PROGRESS = "IDEMPOTENCY_IN_PROGRESS"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


def words(value: enum.Enum) -> str:
    """An enum value as words in a message, not as code: PENDING_REVIEW is "pending review"."""
    return str(value.value).replace("_", " ")


class DomainError(Exception):
    """Raised by services; resolvers turn it into a typed GraphQL error, nothing is written."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
