"""Inputs and payloads of the account operations: creating accounts, disabling and enabling them, passwords."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from domain.accounts import MIN_PASSWORD_LENGTH
from schema.mutations import MutationError
from schema.types import Account, AccountRoleEnum


@strawberry.input(description="The account to disable or enable.")
class AccountInput:
    id: relay.GlobalID = strawberry.field(description="The account's id.")


@strawberry.input(description="A new sign-in.")
class CreateAccountInput:
    username: str = strawberry.field(description="The name it signs in with; unique across the service.")
    password: str = strawberry.field(
        description=f"Its first password, at least {MIN_PASSWORD_LENGTH} characters (WEAK_PASSWORD otherwise).")
    role: AccountRoleEnum = strawberry.field(
        description="OFFICIAL (needs officialId), COUNTY_ADMIN, or SYSTEM_ADMIN (system administrators only).")
    county_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The county it belongs to: your own when omitted; none for a system "
                                  "administrator.")
    official_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For an OFFICIAL account: the official of that county it signs in as.")


@strawberry.input(description="An administrator sets an account's password.")
class ResetPasswordInput:
    account_id: relay.GlobalID = strawberry.field(description="The account whose password is set.")
    new_password: str = strawberry.field(
        description=f"The new password, at least {MIN_PASSWORD_LENGTH} characters.")


@strawberry.input(description="The signed-in account changes its own password.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password it has now (INVALID_CREDENTIALS if wrong).")
    new_password: str = strawberry.field(
        description=f"The new password, at least {MIN_PASSWORD_LENGTH} characters, not the current one.")


@strawberry.input(description="Which accounts the list holds.")
class AccountFilter:
    role: AccountRoleEnum | None = strawberry.field(default=None, description="Only accounts with this role.")
    active: bool | None = strawberry.field(
        default=None, description="true: only enabled accounts; false: only disabled ones; omitted: both.")


@strawberry.type(description="The account as it now stands.")
class AccountPayload:
    account: Account = strawberry.field(description="The account, after the change.")


AccountResult = Annotated[AccountPayload | MutationError, strawberry.union(
    "AccountResult", description="The account as it now stands, or why nothing changed.")]
