"""Account mutations: disable and enable sign-ins (county administrators for their county, system
administrators for any account)."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from resolvers.context import Context
from resolvers.lookup import find
from resolvers.mutations import _mutate
from schema import accounts as a
from schema.types import Account
from services import auth


def account_of(row: models.Account) -> Account:
    return Account(id=relay.GlobalID("Account", str(row.id)), username=row.username, role=row.role,
                   county_id=row.county_id, official_id=row.official_id, active=row.active)


async def _set_enabled(info: Info, input: a.AccountInput, enabled: bool) -> a.AccountResult:
    ctx: Context = info.context

    async def change(session: AsyncSession):
        account = await find(session, ctx, models.Account, input.id, "id")
        ctx.require(account.county_id, "account", "manage", field="id")
        row = await auth.set_account_enabled(session, account_id=account.id, enabled=enabled, actor=ctx.actor)
        return a.AccountPayload(account=account_of(row))

    return await _mutate(ctx, change)


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Disable an account: from now on it signs in to nothing and its bearer and "
                                     "API tokens are refused. County administrators, for their county's accounts; "
                                     "system administrators, for any. Audited.")
    async def disable_account(self, info: Info, input: a.AccountInput) -> a.AccountResult:
        return await _set_enabled(info, input, False)

    @strawberry.mutation(description="Enable a disabled account again; its unrevoked API tokens work again. Audited.")
    async def enable_account(self, info: Info, input: a.AccountInput) -> a.AccountResult:
        return await _set_enabled(info, input, True)
