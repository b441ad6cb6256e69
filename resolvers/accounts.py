"""Accounts through GraphQL, so admin scripts need no shell on the server: list, create, disable and enable
(county administrators for their county, system administrators for any), reset a password (administrators),
change one's own password (everyone)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.errors import DomainError, ErrorCode, TopLevelCode
from domain.roster import AccountRole
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find
from resolvers.mutations import _mutate
from resolvers.pagination import After, Before, Last, PageSize, paginate
from schema import accounts as a
from schema.types import Account, Connection
from services import auth


async def _set_enabled(info: Info, input: a.AccountInput, enabled: bool) -> a.AccountResult:
    ctx: Context = info.context

    async def change(session: AsyncSession):
        account = await find(session, ctx, models.Account, input.id, "id")
        ctx.require(account.county_id, "account", "manage", field="id")
        row = await auth.set_account_enabled(session, account_id=account.id, enabled=enabled, actor=ctx.actor)
        return a.AccountPayload(account=Account.from_row(row))

    return await _mutate(ctx, change)


async def _managed(session: AsyncSession, ctx: Context, global_id: relay.GlobalID, field: str) -> models.Account:
    """The account an id names, once the caller may manage it; another county's answers like a missing one."""
    account = await find(session, ctx, models.Account, global_id, field)
    ctx.require(account.county_id, "account", "manage", field=field)
    return account


def _input(what: str):
    return strawberry.argument(description=what)


@strawberry.type
class AccountQueries:
    @strawberry.field(description="Accounts, by username: a county's (your own county when countyId is omitted), "
                                  "or every account for a system administrator who names no county. "
                                  "Administrators only (FORBIDDEN otherwise).")
    async def accounts(self, info: Info,
                       county_id: Annotated[relay.GlobalID | None, _input("The county whose accounts to list.")] = None,
                       filter: Annotated[a.AccountFilter | None, _input("Only accounts of this role or state.")] = None,
                       first: PageSize = None, after: After = None,
                       last: Last = None, before: Before = None) -> Connection[Account]:
        ctx: Context = info.context
        ctx.require_principal()
        stmt = select(models.Account)
        if county_id is not None or not ctx.is_system_admin:
            try:
                requested = decode_id(county_id, "County", "countyId") if county_id is not None else None
            except DomainError as error:
                raise public_error(TopLevelCode.BAD_USER_INPUT, error.message) from None
            county = ctx.readable_county(requested)
            if not ctx.allows(county, "account", "manage"):
                raise public_error(TopLevelCode.FORBIDDEN, "Only administrators list accounts.")
            stmt = stmt.where(models.Account.county_id == county)
        if filter is not None:
            if filter.role is not None:
                stmt = stmt.where(models.Account.role == filter.role)
            if filter.active is not None:
                stmt = stmt.where(models.Account.active.is_(filter.active))
        return await paginate(await ctx.session(), stmt, order=[models.Account.username, models.Account.id],
                              first=first, after=after, last=last, before=before, to_node=Account.from_row)


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Create a sign-in. County administrators, in their county (OFFICIAL or "
                                     "COUNTY_ADMIN); system administrators, anywhere and of any role. An OFFICIAL "
                                     "account names its official. Audited.")
    async def create_account(self, info: Info, input: Annotated[a.CreateAccountInput, _input("The new account.")]
                             ) -> a.AccountResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            principal = ctx.require_principal()
            if input.role == AccountRole.SYSTEM_ADMIN:
                if input.county_id is not None:
                    raise DomainError(ErrorCode.INVALID, "A system administrator belongs to no county.",
                                      field="countyId")
                county_id = None
            elif input.county_id is not None:
                county_id = (await find(session, ctx, models.County, input.county_id, "countyId")).id
            elif principal.county_id is not None:
                county_id = principal.county_id
            else:
                raise DomainError(ErrorCode.INVALID, "Name the county the account belongs to.", field="countyId")
            ctx.require(county_id, "account", "manage", field="countyId" if county_id is not None else "role")
            official_id = None
            if input.official_id is not None:
                official_id = (await find(session, ctx, models.Official, input.official_id, "officialId",
                                          county_id=county_id)).id
            row = await auth.create_account(session, username=input.username, password=input.password,
                                            role=input.role, county_id=county_id,
                                            official_id=official_id, actor=ctx.actor)
            return a.AccountPayload(account=Account.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Disable an account: from now on it signs in to nothing and its bearer and "
                                     "API tokens are refused. County administrators, for their county's accounts; "
                                     "system administrators, for any. Audited.")
    async def disable_account(self, info: Info, input: Annotated[a.AccountInput, _input("The account.")]
                              ) -> a.AccountResult:
        return await _set_enabled(info, input, False)

    @strawberry.mutation(description="Enable a disabled account again; its unrevoked API tokens work again. Audited.")
    async def enable_account(self, info: Info, input: Annotated[a.AccountInput, _input("The account.")]
                             ) -> a.AccountResult:
        return await _set_enabled(info, input, True)

    @strawberry.mutation(description="Set an account's password (administrators, as for disableAccount). Bearer "
                                     "tokens it already has stay valid until they expire; disable the account to "
                                     "cut them off at once. Audited.")
    async def reset_password(self, info: Info,
                             input: Annotated[a.ResetPasswordInput, _input("The account and its new password.")]
                             ) -> a.AccountResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            account = await _managed(session, ctx, input.account_id, "accountId")
            row = await auth.reset_password(session, account_id=account.id, new_password=input.new_password,
                                            actor=ctx.actor)
            return a.AccountPayload(account=Account.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Change your own password, giving the current one. Audited.")
    async def change_password(self, info: Info,
                              input: Annotated[a.ChangePasswordInput, _input("The current and the new password.")]
                              ) -> a.AccountResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            row = await auth.change_password(session, account_id=ctx.require_principal().account_id,
                                             current_password=input.current_password,
                                             new_password=input.new_password, actor=ctx.actor)
            return a.AccountPayload(account=Account.from_row(row))

        return await _mutate(ctx, change)
