"""Inputs, payloads and typed errors of the mutations.

Every mutation returns a union of its payload and a typed error with a machine-readable code and
the input field at fault; when the error comes back, nothing was written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from domain.errors import ErrorCode
from schema.types import (
    AbPair,
    Absence,
    AbsenceReasonEnum,
    Account,
    County,
    Department,
    DepartmentKindEnum,
    Entrustment,
    Official,
    Position,
    RoleEnum,
    RuleSetEnum,
)

ErrorCodeEnum = strawberry.enum(ErrorCode, name="ErrorCode", description="Why a mutation changed nothing.")


@strawberry.type(description="The mutation changed nothing; `field` names the input at fault, if one is.")
class MutationError:
    code: ErrorCodeEnum
    field: str | None
    message: str
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="TOO_MANY_ATTEMPTS: how many seconds until it may be tried again.")


# ---------------------------------------------------------------- payloads


@strawberry.type
class LoginSuccess:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'.")
    expires_at: dt.datetime
    account: Account


@strawberry.type
class CountyPayload:
    county: County


@strawberry.type
class OfficialPayload:
    official: Official


@strawberry.type
class PositionPayload:
    position: Position


@strawberry.type
class DepartmentPayload:
    department: Department


@strawberry.type
class PortfolioPayload:
    official: Official
    departments: list[Department]


@strawberry.type
class AbPairPayload:
    ab_pair: AbPair


@strawberry.type
class AbsencePayload:
    absence: Absence


@strawberry.type
class EntrustmentPayload:
    entrustment: Entrustment


@strawberry.type
class ApiTokenInfo:
    id: relay.GlobalID
    name: str
    prefix: str = strawberry.field(description="The token's first characters, to recognise it in lists.")
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@strawberry.type
class ApiTokenCreated:
    token: str = strawberry.field(description="Shown this once; only a digest is stored.")
    api_token: ApiTokenInfo


@strawberry.type
class ApiTokenPayload:
    api_token: ApiTokenInfo


def _result(payload: type, name: str):
    return Annotated[payload | MutationError, strawberry.union(name)]


LoginResult = _result(LoginSuccess, "LoginResult")
CountyResult = _result(CountyPayload, "CountyResult")
OfficialResult = _result(OfficialPayload, "OfficialResult")
PositionResult = _result(PositionPayload, "PositionResult")
DepartmentResult = _result(DepartmentPayload, "DepartmentResult")
PortfolioResult = _result(PortfolioPayload, "PortfolioResult")
AbPairResult = _result(AbPairPayload, "AbPairResult")
AbsenceResult = _result(AbsencePayload, "AbsenceResult")
EntrustmentResult = _result(EntrustmentPayload, "EntrustmentResult")
ApiTokenCreatedResult = _result(ApiTokenCreated, "ApiTokenCreatedResult")
ApiTokenResult = _result(ApiTokenPayload, "ApiTokenResult")


# ---------------------------------------------------------------- inputs


@strawberry.input
class CreateCountyInput:
    code: str
    name: str
    rule_set: RuleSetEnum


@strawberry.input
class AddOfficialInput:
    code: str
    name: str
    rank_order: int
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input
class UpdateOfficialInput:
    id: relay.GlobalID
    code: str | None = None
    name: str | None = None
    rank_order: int | None = None


@strawberry.input
class RetireOfficialInput:
    id: relay.GlobalID
    retired_on: dt.date = strawberry.field(description="First day no longer serving; all positions end then.")


@strawberry.input
class AppointInput:
    official_id: relay.GlobalID
    role: RoleEnum
    effective_from: dt.date
    department_id: relay.GlobalID | None = None
    deputy_rank: int | None = strawberry.field(default=None, description="Deputies only; next free rank if omitted.")
    replace_incumbent: bool = strawberry.field(
        default=False, description="Succeed the holder of a sole position, whose term ends that day."
    )


@strawberry.input
class RemoveFromPositionInput:
    position_id: relay.GlobalID
    effective_to: dt.date = strawberry.field(description="First day no longer held.")


@strawberry.input
class CreateDepartmentInput:
    name: str
    kind: DepartmentKindEnum
    county_id: relay.GlobalID | None = None


@strawberry.input
class RenameDepartmentInput:
    id: relay.GlobalID
    name: str


@strawberry.input
class SetDepartmentPrincipalInput:
    department_id: relay.GlobalID
    official_id: relay.GlobalID
    effective_from: dt.date


@strawberry.input
class SetPortfolioInput:
    official_id: relay.GlobalID
    department_ids: list[relay.GlobalID] = strawberry.field(description="The whole portfolio from that day.")
    effective_from: dt.date


@strawberry.input
class PairAbPartnersInput:
    official_a_id: relay.GlobalID
    official_b_id: relay.GlobalID
    effective_from: dt.date


@strawberry.input
class EndAbPairInput:
    pair_id: relay.GlobalID
    effective_to: dt.date


@strawberry.input
class RecordAbsenceInput:
    official_id: relay.GlobalID
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: AbsenceReasonEnum
    note: str = ""
    acting_official_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The acting person named in the report; the rules decide when omitted."
    )


@strawberry.input
class CancelAbsenceInput:
    absence_id: relay.GlobalID


@strawberry.input
class RecordEntrustmentInput:
    entrusted_id: relay.GlobalID
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str = ""


@strawberry.input
class CancelEntrustmentInput:
    entrustment_id: relay.GlobalID


@strawberry.input
class CreateApiTokenInput:
    name: str = strawberry.field(description="What uses the token, e.g. 'nightly roster sync'.")
    account_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The account the token acts as; your own when omitted."
    )


@strawberry.input
class RevokeApiTokenInput:
    id: relay.GlobalID
