"""Inputs and payloads of the account mutations (disabling and enabling sign-ins)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from schema.mutations import MutationError
from schema.types import Account


@strawberry.input(description="The account to disable or enable.")
class AccountInput:
    id: relay.GlobalID = strawberry.field(description="The account's id.")


@strawberry.type(description="The account as it now stands.")
class AccountPayload:
    account: Account


AccountResult = Annotated[AccountPayload | MutationError, strawberry.union("AccountResult")]
