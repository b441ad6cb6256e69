"""The record an id names, if the caller may see it.

Every mutation finds the records its ids name here. A missing record, another county's, and one hidden
from the caller (a classified document off their chain) all answer alike — NOT_FOUND, with the type's
one message — so no answer tells a caller that something exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from db import (
    models, models_disclosure, models_incoming, models_issuing, models_powers, models_proposals, models_supervision,
)
from domain.errors import DomainError, ErrorCode
from resolvers.context import Context, decode_id
from services import circulation, documents, incoming_requests

Row = TypeVar("Row")

_NOUN = {
    models.County: "county",
    models.Official: "official",
    models.Department: "department",
    models.Position: "position",
    models.AbPair: "AB pair",
    models.Absence: "absence",
    models.Entrustment: "entrustment",
    models.Account: "account",
    models.ApiToken: "API token",
    models.SigningRule: "signing rule",
    models.Document: "document",
    models.StepAssignment: "assignment",
    models.Circulation: "circulation",
    models.MeetingBody: "meeting body",
    models.Meeting: "meeting",
    models.AgendaItem: "agenda item",
    models.AgendaItemMaterial: "agenda material",
    models_incoming.IncomingRequest: "incoming request",
    models.CollectiveMatter: "collective matter",
    models.MeetingDecision: "meeting decision",
    models_issuing.IssueSeries: "issue series",
    models_issuing.DocumentPlan: "document plan",
    models_issuing.DocumentPlanEntry: "document plan entry",
    models_supervision.SupervisionItem: "supervision item",
    models_proposals.Proposal: "proposal",
    models_powers.Power: "power",
    models_disclosure.Disclosure: "disclosure record",
}


def not_found(model: type, field: str) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, f"No such {_NOUN[model]}.", field=field)


async def find(session: AsyncSession, ctx: Context, model: type[Row], global_id: relay.GlobalID, field: str, *,
               county_id: int | None = None) -> Row:
    """The row ``global_id`` names, if the caller may see it and, given ``county_id``, it is that county's."""
    row = await session.get(model, decode_id(global_id, model.__name__, field))
    if row is None:
        raise not_found(model, field)
    county = await _county_of(session, row)
    if (county_id is not None and county != county_id) or not await _may_see(session, ctx, row, county):
        raise not_found(model, field)
    return row


async def find_ids(session: AsyncSession, ctx: Context, model: type, global_ids: Sequence[relay.GlobalID],
                   field: str, *, county_id: int) -> list[int]:
    """The ids of the county's rows ``global_ids`` name (see ``find``)."""
    return [(await find(session, ctx, model, global_id, field, county_id=county_id)).id for global_id in global_ids]


async def find_optional(session: AsyncSession, ctx: Context, model: type, global_id: relay.GlobalID | None,
                        field: str, *, county_id: int) -> int | None:
    if global_id is None:
        return None
    return (await find(session, ctx, model, global_id, field, county_id=county_id)).id


async def _county_of(session: AsyncSession, row) -> int | None:
    if isinstance(row, models.County):
        return row.id
    if isinstance(row, models.ApiToken):
        return (await session.get(models.Account, row.account_id)).county_id
    return row.county_id


async def _may_see(session: AsyncSession, ctx: Context, row, county_id: int | None) -> bool:
    if not ctx.allows(county_id, "roster", "read"):
        return False
    official_id, now = ctx.require_principal().official_id, models.utcnow()
    if isinstance(row, models.StepAssignment):
        row = await session.get(models.Document, row.document_id)
    if isinstance(row, models.Document):
        return await documents.can_see(session, document=row, official_id=official_id, at=now)
    if isinstance(row, models.Circulation):
        return await circulation.can_see(session, circulation=row, official_id=official_id, at=now)
    if isinstance(row, models_incoming.IncomingRequest):
        return await incoming_requests.can_see(session, request=row, official_id=official_id, at=now)
    return True
