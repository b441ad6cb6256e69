"""Each county's signing-authority table: stored rows, the loaded enforcers, and admin edits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SigningRule
from domain.errors import DomainError, ErrorCode
from domain.roster import RuleSet
from policies.signing import COLUMNS, InvalidRow, SigningTable, read_table_file, validate_row
# Module import (not names): tenancy imports this module to install a new county's table.
from services import audit, tenancy


# Committed table changes are announced here; every server process drops its copy (server.py).
CHANNEL = "qianfa_signing_rules"


async def _announce(session: AsyncSession, county_id: int) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, :payload)"),
                              {"channel": CHANNEL, "payload": str(county_id)})


async def install_rule_set(session: AsyncSession, *, county_id: int, rule_set: RuleSet) -> None:
    """Give a new county its rule set's shipped table."""
    session.add_all(
        SigningRule(county_id=county_id, priority=int(row[0]), values=row) for row in read_table_file(rule_set)
    )
    await session.flush()


async def rows_of(session: AsyncSession, *, county_id: int) -> list[SigningRule]:
    result = await session.execute(
        select(SigningRule).where(SigningRule.county_id == county_id).order_by(SigningRule.priority, SigningRule.id)
    )
    return list(result.scalars())


class SigningTables:
    """The loaded tables, built on first use and dropped when a county's rows change.

    Counties whose rows are the same (most keep their rule set's table unchanged) share one
    SigningTable, its enforcers and its decision cache.
    """

    def __init__(self) -> None:
        self._tables: dict[int, SigningTable] = {}
        self._shared: dict[tuple, SigningTable] = {}

    async def table_for(self, session, county_id: int) -> SigningTable:
        table = self._tables.get(county_id)
        if table is None:
            table = self.share(SigningTable([row.values for row in await rows_of(session, county_id=county_id)]))
            self._tables[county_id] = table
        return table

    def share(self, table: SigningTable) -> SigningTable:
        """The already loaded table with the same rows, if there is one."""
        return self._shared.setdefault(table.content_key, table)

    def forget(self, county_id: int) -> None:
        self._tables.pop(county_id, None)

    def forget_all(self) -> None:
        self._tables.clear()
        self._shared.clear()

    @property
    def distinct(self) -> int:
        return len(self._shared)


async def add_rule(session: AsyncSession, *, county_id: int, values: Sequence[str], actor: audit.Actor) -> SigningRule:
    await tenancy.lock_county(session, county_id)
    try:
        cleaned = validate_row(values)
    except InvalidRow as error:
        raise DomainError(ErrorCode.INVALID, str(error), field=error.column) from None
    rule = SigningRule(county_id=county_id, priority=int(cleaned[0]), values=cleaned)
    session.add(rule)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="signing_rule.add", entity="signing_rule",
                       entity_id=rule.id, after=dict(zip(COLUMNS, cleaned, strict=True)))
    await _announce(session, county_id)
    return rule


async def remove_rule(session: AsyncSession, *, rule_id: int, actor: audit.Actor) -> SigningRule:
    rule = await session.get(SigningRule, rule_id)
    if rule is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such signing rule.", field="id")
    await tenancy.lock_county(session, rule.county_id)
    await session.execute(delete(SigningRule).where(SigningRule.id == rule.id))
    await audit.record(session, county_id=rule.county_id, actor=actor, action="signing_rule.remove",
                       entity="signing_rule", entity_id=rule.id, before=dict(zip(COLUMNS, rule.values, strict=True)))
    await _announce(session, rule.county_id)
    return rule

