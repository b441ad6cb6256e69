"""The county's own rules and records: its signing table (editable at run time) and its audit trail."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db import models
from domain.documents import Action
from policies.signing import COLUMNS
from domain.errors import TopLevelCode
from resolvers.context import Context, decode_id, public_error
from resolvers.lookup import find
from resolvers.mutations import _mutate, _writable_county
from schema.documents import ActionEnum
from schema.mutations import MutationError
from schema.types import CountyArg
from schema.validation import row_id
from services import audit, signing_rules


def _pattern_over(enum_name: str):
    """A signing-table column: a pattern over one enum's values, as policies/signing_model.conf matches them."""
    return strawberry.field(description=f"A pattern over the {enum_name} values in lower case: '*' any, 'a|b' one "
                                        "of, '!a' any but a.")


@strawberry.type(name="SigningRule",
                 description="One row of the county's signing-authority table (see policies/signing_model.conf).")
class SigningRuleRow(relay.Node):
    id: relay.NodeID[int]
    priority: int = strawberry.field(description="Rows are tried from the lowest priority up; the first that "
                                                 "matches decides.")
    issuer: str = _pattern_over("Issuer")
    genre: str = _pattern_over("Genre")
    direction: str = _pattern_over("Direction")
    meeting: str = _pattern_over("MeetingKind")
    flag: str = strawberry.field(description="A flag the document must have ('!f': must not have), in lower case; "
                                             "'*' any.")
    span: str = strawberry.field(description="A pattern over how many portfolios the document touches: none, "
                                             "single, multi.")
    route: str = _pattern_over("ActionRoute")
    action: ActionEnum = strawberry.field(description="The step the row allows or denies.")
    role: str = _pattern_over("ChainRole")
    effect: str = strawberry.field(description="allow or deny.")
    rule: str = strawberry.field(description="The row's rule code, e.g. Y-31-legal.")
    article: str = strawberry.field(description="The seed article the row comes from.")

    @classmethod
    def from_row(cls, row: models.SigningRule) -> SigningRuleRow:
        values = dict(zip(COLUMNS, row.values, strict=True))
        return cls(id=row.id, priority=row.priority, effect=values.pop("eft"), action=Action(values.pop("action")),
                   **{k: v for k, v in values.items() if k != "priority"})

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        """Rows of counties you may read; None for another county's, as for a missing one."""
        ids = [row_id(i) for i in node_ids]
        rows = await info.context.loaders.rows(models.SigningRule).load_many([i for i in ids if i is not None])
        found = {row.id: row for row in rows if row is not None and info.context.can_read(row.county_id)}
        return [cls.from_row(found[i]) if i in found else None for i in ids]


@strawberry.type(description="The result of recomputing a hash-chained audit trail.")
class AuditChainCheck:
    intact: bool = strawberry.field(description="Every event's hash and link are right.")
    events: int = strawberry.field(description="How many events were checked.")
    first_broken_seq: int | None = strawberry.field(description="The first event whose hash or link is wrong.")
    problem: str | None = strawberry.field(description="What is wrong at the first broken event; null when intact.")


@strawberry.input(description="A table row; patterns are '*', 'a|b' or '!a'. Lower priority is tried first.")
class SigningRuleInput:
    priority: int = strawberry.field(description="Rows are tried from the lowest priority up; the first that "
                                                 "matches decides.")
    action: ActionEnum = strawberry.field(description="The step the row allows or denies, in lower case, e.g. sign.")
    role: str = strawberry.field(description="A pattern over the ChainRole values in lower case: '*' any, 'a|b' one"
                                             " of, '!a' any but a.")
    effect: str = strawberry.field(description="allow or deny.")
    rule: str = strawberry.field(description="The row's rule code, unique in the table.")
    article: str = strawberry.field(description="The article the row implements, e.g. 001 §32.")
    issuer: str = strawberry.field(default="*", description="A pattern over the Issuer values in lower case: '*' "
                                                            "any, 'a|b' one of, '!a' any but a.")
    genre: str = strawberry.field(default="*", description="A pattern over the Genre values in lower case: '*' any,"
                                                           " 'a|b' one of, '!a' any but a.")
    direction: str = strawberry.field(default="*", description="A pattern over the Direction values in lower case: "
                                                               "'*' any, 'a|b' one of, '!a' any but a.")
    meeting: str = strawberry.field(default="*", description="A pattern over the MeetingKind values in lower case: "
                                                             "'*' any, 'a|b' one of, '!a' any but a.")
    flag: str = strawberry.field(default="*", description="A flag the document must have ('!f': must not have), in "
                                                          "lower case; '*' any.")
    span: str = strawberry.field(default="*", description="A pattern over how many portfolios the document touches:"
                                                          " none, single, multi.")
    route: str = strawberry.field(default="*", description="A pattern over the ActionRoute values in lower case: "
                                                           "'*' any, 'a|b' one of, '!a' any but a.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="Your own county when omitted.")


@strawberry.input(description="A signing-table row to remove.")
class RemoveSigningRuleInput:
    id: relay.GlobalID = strawberry.field(description="The row.")


@strawberry.type(description="The signing-table row changed.")
class SigningRulePayload:
    signing_rule: SigningRuleRow = strawberry.field(description="The row.")


SigningRuleResult = Annotated[SigningRulePayload | MutationError, strawberry.union(
    "SigningRuleResult", description="SigningRulePayload when it worked; MutationError when it changed nothing.")]


@strawberry.type
class GovernanceQueries:
    @strawberry.field(description="The county's signing-authority table, in the order rows are tried.")
    async def signing_rules(self, info: Info, county_id: CountyArg = None) -> list[SigningRuleRow]:
        ctx: Context = info.context
        county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
        rows = await signing_rules.rows_of(await ctx.session(), county_id=county)
        return [SigningRuleRow.from_row(row) for row in rows]

    @strawberry.field(description="Recompute the county's hash-chained audit trail (administrators), "
                                  "or with system: true the system-level trail (the system administrator).")
    async def verify_audit_chain(
        self, info: Info, county_id: CountyArg = None,
        system: Annotated[bool, strawberry.argument(
            description="Verify the system-level trail (counties, system accounts and their tokens) instead "
                        "of a county's.")] = False,
    ) -> AuditChainCheck:
        ctx: Context = info.context
        ctx.require_principal()
        if system:
            if county_id is not None:
                raise public_error(TopLevelCode.BAD_REQUEST, "Verify a county's trail or the system trail, not both.")
            if not ctx.is_system_admin:
                raise public_error(TopLevelCode.FORBIDDEN, "Only the system administrator verifies the system trail.")
            county = None
        else:
            county = ctx.readable_county(decode_id(county_id, "County", "countyId") if county_id else None)
            if not ctx.allows(county, "audit", "read"):
                raise public_error(TopLevelCode.FORBIDDEN, "Only administrators verify the audit trail.")
        check = await audit.verify_chain(await ctx.session(), county_id=county)
        return AuditChainCheck(intact=check.intact, events=check.events, first_broken_seq=check.first_broken_seq,
                               problem=check.problem)


@strawberry.type
class GovernanceMutations:
    @strawberry.mutation(description="Add a row to your county's signing table; in force within a second.")
    async def add_signing_rule(self, info: Info, input: Annotated[
            SigningRuleInput, strawberry.argument(description="The row to add.")]) -> SigningRuleResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            county_id = await _writable_county(session, ctx, input.county_id, "signing_rules")
            values = [str(input.priority), input.issuer, input.genre, input.direction, input.meeting, input.flag,
                      input.span, input.route, input.action.value, input.role, input.effect, input.rule, input.article]
            row = await signing_rules.add_rule(session, county_id=county_id, values=values, actor=ctx.actor)
            ctx.after_commit(lambda: ctx.tables_changed(county_id))
            return SigningRulePayload(signing_rule=SigningRuleRow.from_row(row))

        return await _mutate(ctx, change)

    @strawberry.mutation(description="Remove a row from your county's signing table.")
    async def remove_signing_rule(self, info: Info, input: Annotated[
            RemoveSigningRuleInput, strawberry.argument(description="The row to remove.")]) -> SigningRuleResult:
        ctx: Context = info.context

        async def change(session: AsyncSession):
            row = await find(session, ctx, models.SigningRule, input.id, "id")
            ctx.require(row.county_id, "signing_rules", "write", field="id")
            removed = await signing_rules.remove_rule(session, rule_id=row.id, actor=ctx.actor)
            ctx.after_commit(lambda: ctx.tables_changed(removed.county_id))
            return SigningRulePayload(signing_rule=SigningRuleRow.from_row(removed))

        return await _mutate(ctx, change)
