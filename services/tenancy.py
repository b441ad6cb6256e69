"""Counties (tenants) and the per-county write lock that makes concurrent changes safe."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import locked_row
from db.models import County
from domain.errors import DomainError, ErrorCode
from domain.roster import RuleSet
from services import audit, meetings, meetings_matters, signing_rules

# A county's code goes into command lines, file names and URLs: ASCII, no spaces, one spelling
# (lowercase), e.g. ``lulong`` or ``qingxi-2``. The longest is the column's (a longer one is TOO_LONG).
_CODE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
MIN_CODE_LENGTH = 2


async def lock_county(session: AsyncSession, county_id: int) -> County:
    """Serialise writers of one county for the rest of the transaction."""
    county = await locked_row(session, County, county_id)
    if county is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such county.", field="countyId")
    return county


async def create_county(session: AsyncSession, *, code: str, name: str, rule_set: RuleSet,
                        actor: audit.Actor) -> County:
    code, name = code.strip(), name.strip()
    if not code:
        raise DomainError(ErrorCode.INVALID, "A county needs a code.", field="code")
    if len(code) < MIN_CODE_LENGTH or not _CODE.fullmatch(code):
        limit = County.__table__.c.code.type.length
        raise DomainError(ErrorCode.INVALID, f"A county code is {MIN_CODE_LENGTH} to {limit} lowercase letters, "
                          "digits and hyphens, starting and ending with a letter or digit, e.g. lulong.",
                          field="code")
    if not name:
        raise DomainError(ErrorCode.INVALID, "A county needs a name.", field="name")
    if (await session.execute(select(County.id).where(County.code == code))).first():
        raise DomainError(ErrorCode.DUPLICATE, f"The county code “{code}” is taken.", field="code")
    county = County(code=code, name=name, rule_set=rule_set)
    session.add(county)
    await session.flush()
    await signing_rules.install_rule_set(session, county_id=county.id, rule_set=rule_set)
    await meetings.install_bodies(session, county_id=county.id, rule_set=rule_set)
    await meetings_matters.install_matters(session, county_id=county.id, rule_set=rule_set)
    # Imported here: services.issuing acts on documents, whose services import this module.
    from services import issuing

    await issuing.install_series(session, county_id=county.id, rule_set=rule_set)
    # Imported here: services.supervision reaches services.calendar, which imports this module.
    from services import supervision

    await supervision.install_rules(session, county_id=county.id, rule_set=rule_set)
    # Imported here: services.proposals acts on documents, whose services import this module.
    from services import proposals

    await proposals.install_time_limits(session, county_id=county.id, rule_set=rule_set)
    # Imported here: services.incoming_requests acts on documents, whose services import this module.
    from services import incoming_requests

    await incoming_requests.install_rules(session, county_id=county.id, rule_set=rule_set)
    # Imported here: services.disclosure acts on documents, whose services import this module.
    from services import disclosure

    await disclosure.install_limits(session, county_id=county.id, rule_set=rule_set)
    await audit.record(session, county_id=county.id, actor=actor, action="county.create", entity="county",
                       entity_id=county.id, after={"code": code, "name": name, "rule_set": rule_set.value})
    return county
