"""The county's own rules and records: its signing table (editable at run time) and its audit trail."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from policies.signing import COLUMNS
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find
from resolvers.mutations import _mutate, _writable_county
from schema.mutations import MutationError
from services import audit, signing_rules


@strawberry.type(description="One row of the county's signing-authority table (see policies/signing_model.conf).")
class SigningRuleRow:
    id: relay.GlobalID
    priority: int
    issuer: str
    genre: str
    direction: str
    meeting: str
    flag: str
    span: str
    route: str
    action: str
    role: str
    effect: str
    rule: str
    article: str = strawberry.field(description="The seed article the row comes from.")

    @classmethod
    def from_row(cls, row: models.SigningRule) -> SigningRuleRow:
        values = dict(zip(COLUMNS, row.values, strict=True))
        return cls(id=relay.GlobalID("SigningRule", str(row.id)), priority=row.priority, effect=values.pop("eft"),
                   **{k: v for k, v in values.items() if k != "priority"})


@strawberry.type
class AuditChainCheck:
    intact: bool
    events: int
    first_broken_seq: int | None = strawberry.field(description="The first event whose hash or link is wrong.")
    problem: str | None


@strawberry.input(description="A table row; patterns are '*', 'a|b' or '!a'. Lower priority is tried first.")
class SigningRuleInput:
    priority: int
    action: str
    role: str
    effect: str
    rule: str
    article: str
    issuer: str = "*"
    genre: str = "*"
    direction: str = "*"
    meeting: str = "*"
    flag: str = "*"
    span: str = "*"
    route: str = "*"
    county_id: relay.GlobalID | None = None


@strawberry.input
class RemoveSigningRuleInput:
    id: relay.GlobalID


@strawberry.type
class SigningRulePayload:
    signing_rule: SigningRuleRow


SigningRuleResult = Annotated[SigningRulePayload | MutationError, strawberry.union("SigningRuleResult")]


@strawberry.type
class GovernanceQueries:
    @strawberry.field(description="The county's signing-authority table, in the order rows are tried.")
    async def signing_rules(self, info: Info, county_id: relay.GlobalID | None = None) -> list[SigningRuleRow]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        rows = await signing_rules.rows_of(await ctx.session(), county_id=county)
        return [SigningRuleRow.from_row(row) for row in rows]

    @strawberry.field(description="Recompute the county's hash-chained audit trail (administrators), "
                                  "or with system: true the system-level trail (the system administrator).")
    async def verify_audit_chain(
        self, info: Info, county_id: relay.GlobalID | None = None,
        system: Annotated[bool, strawberry.argument(
            description="Verify the system-level trail (counties, system accounts and their tokens) instead "
                        "of a county's.")] = False,
    ) -> AuditChainCheck:
        ctx: Context = info.context
        ctx.require_principal()
        if system:
            if county_id is not None:
                raise public_error("BAD_REQUEST", "Verify a county's trail or the system trail, not both.")
            if not ctx.is_system_admin:
                raise public_error("FORBIDDEN", "Only the system administrator verifies the system trail.")
            county = None
        else:
            county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
            if not ctx.allows(county, "audit", "read"):
                raise public_error("FORBIDDEN", "Only administrators verify the audit trail.")
        check = await audit.verify_chain(await ctx.session(), county_id=county)
        return AuditChainCheck(intact=check.intact, events=check.events, first_broken_seq=check.first_broken_seq,
                               problem=check.problem)


@strawberry.type
class GovernanceMutations:
    @strawberry.mutation(description="Add a row to your county's signing table; in force within a second.")
    async def add_signing_rule(self, info: Info, input: SigningRuleInput) -> SigningRuleResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "signing_rules")
            values = [str(input.priority), input.issuer, input.genre, input.direction, input.meeting, input.flag,
                      input.span, input.route, input.action, input.role, input.effect, input.rule, input.article]
            row = await signing_rules.add_rule(session, county_id=county_id, values=values, actor=ctx.actor)
            ctx.after_commit(lambda: ctx.tables_changed(county_id))
            return SigningRulePayload(signing_rule=SigningRuleRow.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation
    async def remove_signing_rule(self, info: Info, input: RemoveSigningRuleInput) -> SigningRuleResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            row = await find(session, ctx, models.SigningRule, input.id, "id")
            ctx.require(row.county_id, "signing_rules", "write", field="id")
            removed = await signing_rules.remove_rule(session, rule_id=row.id, actor=ctx.actor)
            ctx.after_commit(lambda: ctx.tables_changed(removed.county_id))
            return SigningRulePayload(signing_rule=SigningRuleRow.from_row(removed))

        return await _mutate(ctx, change)
