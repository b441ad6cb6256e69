"""Inputs, payloads and typed errors of the mutations.

Every mutation returns a union of its payload and a typed error with a machine-readable code and
the input field at fault; when the error comes back, nothing was written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from domain.accounts import DEFAULT_API_TOKEN_DAYS, MAX_API_TOKEN_DAYS, ApiTokenScope
from domain.errors import ErrorCode
from schema.labels import labelled_enum
from schema.types import (
    AbPair,
    Absence,
    AbsenceReasonEnum,
    Account,
    ApiToken,
    County,
    Department,
    DepartmentKindEnum,
    Entrustment,
    Official,
    Position,
    RoleEnum,
    RuleSetEnum,
)

ErrorCodeEnum = labelled_enum(ErrorCode, name="ErrorCode", description="Why a mutation changed nothing.")


@strawberry.type(description="The mutation changed nothing; `field` names the input at fault, if one is.")
class MutationError:
    code: ErrorCodeEnum = strawberry.field(description="Machine-readable: what rule the input broke.")
    field: str | None = strawberry.field(description="The input field at fault (its GraphQL name, e.g. officialId);"
                                                     " null when no one field is.")
    message: str = strawberry.field(description="A sentence for the user.")
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="TOO_MANY_ATTEMPTS: how many seconds until it may be tried again.")


# ---------------------------------------------------------------- payloads


@strawberry.type(description="Signed in.")
class LoginSuccess:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'.")
    expires_at: dt.datetime = strawberry.field(description="When the token stops working; sign in again then.")
    account: Account = strawberry.field(description="The account signed in.")


@strawberry.type(description="The county after the change.")
class CountyPayload:
    county: County = strawberry.field(description="The county as it now stands.")


@strawberry.type(description="The official after the change.")
class OfficialPayload:
    official: Official = strawberry.field(description="The official as it now stands.")


@strawberry.type(description="The position after the change.")
class PositionPayload:
    position: Position = strawberry.field(description="The position as it now stands.")


@strawberry.type(description="The department after the change.")
class DepartmentPayload:
    department: Department = strawberry.field(description="The department as it now stands.")


@strawberry.type(description="A vice magistrate's portfolio after the change.")
class PortfolioPayload:
    official: Official = strawberry.field(description="The vice magistrate.")
    departments: list[Department] = strawberry.field(description="The departments in the portfolio from that day.")


@strawberry.type(description="The AB pair after the change.")
class AbPairPayload:
    ab_pair: AbPair = strawberry.field(description="The AB pair as it now stands.")


@strawberry.type(description="The absence after the change.")
class AbsencePayload:
    absence: Absence = strawberry.field(description="The absence as it now stands.")


@strawberry.type(description="The entrustment after the change.")
class EntrustmentPayload:
    entrustment: Entrustment = strawberry.field(description="The entrustment as it now stands.")


@strawberry.type(description="A new API token, with its secret shown this once.")
class ApiTokenCreated:
    token: str = strawberry.field(description="Shown this once; only a digest is stored.")
    api_token: ApiToken = strawberry.field(description="The token's record.")


@strawberry.type(description="The API token after the change.")
class ApiTokenPayload:
    api_token: ApiToken = strawberry.field(description="The token's record as it now stands.")


def _result(payload: type, name: str):
    return Annotated[payload | MutationError, strawberry.union(
        name, description=f"{payload.__name__} when it worked; MutationError when it changed nothing.")]


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


@strawberry.input(description="A new county.")
class CreateCountyInput:
    code: str = strawberry.field(description="Short unique code, e.g. for the command line.")
    name: str = strawberry.field(description="The county's name.")
    rule_set: RuleSetEnum = strawberry.field(description="Whose work rules to copy the signing and deadline tables "
                                                         "from.")


@strawberry.input(description="A new official.")
class AddOfficialInput:
    code: str = strawberry.field(description="Staff code, unique in the county.")
    name: str = strawberry.field(description="The official's name.")
    rank_order: int = strawberry.field(description="Place in the leaders' fixed order (排序), 1 first.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="Changes to an official; omitted fields stay as they are.")
class UpdateOfficialInput:
    id: relay.GlobalID = strawberry.field(description="The official.")
    code: str | None = strawberry.field(default=None, description="New staff code.")
    name: str | None = strawberry.field(default=None, description="New name.")
    rank_order: int | None = strawberry.field(default=None, description="New place in the leaders' fixed order (排序).")


@strawberry.input(description="An official to retire.")
class RetireOfficialInput:
    id: relay.GlobalID = strawberry.field(description="The official.")
    retired_on: dt.date = strawberry.field(description="First day no longer serving; all positions end then.")


@strawberry.input(description="An appointment to a position.")
class AppointInput:
    official_id: relay.GlobalID = strawberry.field(description="Who is appointed.")
    role: RoleEnum = strawberry.field(description="The position.")
    effective_from: dt.date = strawberry.field(description="First day held.")
    department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The department, for a principal or deputy.")
    deputy_rank: int | None = strawberry.field(default=None, description="Deputies only; next free rank if omitted.")
    replace_incumbent: bool = strawberry.field(
        default=False, description="Succeed the holder of a sole position, whose term ends that day."
    )


@strawberry.input(description="A position to end.")
class RemoveFromPositionInput:
    position_id: relay.GlobalID = strawberry.field(description="The position.")
    effective_to: dt.date = strawberry.field(description="First day no longer held.")


@strawberry.input(description="A new department.")
class CreateDepartmentInput:
    name: str = strawberry.field(description="Its name, unique in the county.")
    kind: DepartmentKindEnum = strawberry.field(description="What kind of unit it is.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="A department's new name.")
class RenameDepartmentInput:
    id: relay.GlobalID = strawberry.field(description="The department.")
    name: str = strawberry.field(description="The new name, unique in the county.")


@strawberry.input(description="A department's new principal.")
class SetDepartmentPrincipalInput:
    department_id: relay.GlobalID = strawberry.field(description="The department.")
    official_id: relay.GlobalID = strawberry.field(description="The new principal.")
    effective_from: dt.date = strawberry.field(description="First day as principal.")


@strawberry.input(description="A vice magistrate's whole portfolio (分管) from a day.")
class SetPortfolioInput:
    official_id: relay.GlobalID = strawberry.field(description="The vice magistrate.")
    department_ids: list[relay.GlobalID] = strawberry.field(description="The whole portfolio from that day.")
    effective_from: dt.date = strawberry.field(description="First day of the new portfolio.")


@strawberry.input(description="Two vice magistrates to pair as AB partners (AB角).")
class PairAbPartnersInput:
    official_a_id: relay.GlobalID = strawberry.field(description="One partner.")
    official_b_id: relay.GlobalID = strawberry.field(description="The other partner.")
    effective_from: dt.date = strawberry.field(description="First day of the pairing.")


@strawberry.input(description="An AB pair to end.")
class EndAbPairInput:
    pair_id: relay.GlobalID = strawberry.field(description="The pair.")
    effective_to: dt.date = strawberry.field(description="First day no longer paired.")


@strawberry.input(description="A reported absence (外出报备).")
class RecordAbsenceInput:
    official_id: relay.GlobalID = strawberry.field(description="Who is away.")
    starts_at: dt.datetime = strawberry.field(description="When it starts, with its UTC offset.")
    ends_at: dt.datetime = strawberry.field(description="When it ends (exclusive), with its UTC offset.")
    reason: AbsenceReasonEnum = strawberry.field(description="Why the official is away.")
    note: str = strawberry.field(default="", description="Free text from the report.")
    acting_official_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The acting person named in the report; the rules decide when omitted."
    )


@strawberry.input(description="An absence to cancel.")
class CancelAbsenceInput:
    absence_id: relay.GlobalID = strawberry.field(description="The absence.")


@strawberry.input(description="The magistrate's entrustment (委托) of a vice magistrate to preside.")
class RecordEntrustmentInput:
    entrusted_id: relay.GlobalID = strawberry.field(description="The vice magistrate entrusted.")
    starts_at: dt.datetime = strawberry.field(description="When it starts, with its UTC offset.")
    ends_at: dt.datetime = strawberry.field(description="When it ends (exclusive), with its UTC offset.")
    note: str = strawberry.field(default="", description="Free text.")


@strawberry.input(description="An entrustment to cancel.")
class CancelEntrustmentInput:
    entrustment_id: relay.GlobalID = strawberry.field(description="The entrustment.")


@strawberry.input(description="A new API token.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What uses the token, e.g. 'nightly roster sync'.")
    account_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The account the token acts as; your own when omitted."
    )
    expires_in_days: int = strawberry.field(
        default=DEFAULT_API_TOKEN_DAYS,
        description=f"How many days it works, 1 to {MAX_API_TOKEN_DAYS}; then it is refused with TOKEN_EXPIRED.")
    scope: ApiTokenScope = strawberry.field(
        default=ApiTokenScope.READ_WRITE,
        description="READ for a script that only reads (its mutations are refused with FORBIDDEN); READ_WRITE "
                    "to act as the account does.")


@strawberry.input(description="An API token to revoke.")
class RevokeApiTokenInput:
    id: relay.GlobalID = strawberry.field(description="The token (ApiToken.id).")
