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
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    TOO_LONG = "too_long"


class DomainError(Exception):
    """Raised by services; resolvers turn it into a typed GraphQL error, nothing is written."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
