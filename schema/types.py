"""GraphQL object types for the county roster. Nested fields go through the request's DataLoaders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, ClassVar, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from domain import cover as cover_rules
from domain.accounts import ApiTokenScope
from domain.roster import AbsenceReason, AccountRole, DepartmentKind, Role, RuleSet, local_date
from schema.labels import labelled_enum
from schema.validation import row_id

RuleSetEnum = labelled_enum(RuleSet, name="RuleSet", description="The county's rule set: whose work rules its "
                                                                 "signing and deadline tables start from.")
DepartmentKindEnum = labelled_enum(DepartmentKind, name="DepartmentKind",
                                   description="What kind of unit a department is.")
RoleEnum = labelled_enum(Role, name="PositionRole",
                         description="A position an official holds (职务). The office director is the principal "
                                     "of the government office.")
AbsenceReasonEnum = labelled_enum(AbsenceReason, name="AbsenceReason", description="Why an official is away (外出事由).")
AccountRoleEnum = labelled_enum(AccountRole, name="AccountRole", description="What an account may do.")
CoverReasonEnum = labelled_enum(cover_rules.CoverReason, name="CoverReason",
                                description="The rule that passes an official's duties to a candidate.")
HopOutcomeEnum = labelled_enum(cover_rules.HopOutcome, name="HopOutcome",
                               description="Whether a candidate in the line of cover acts or is away too.")

OnDate = Annotated[
    dt.date | None,
    strawberry.argument(description="The day to look at (Asia/Shanghai); today when omitted."),
]
CountyArg = Annotated[
    relay.GlobalID | None,
    strawberry.argument(description="The county; your own when omitted (a system administrator names one)."),
]


def day_or_today(on: dt.date | None) -> dt.date:
    return on if on is not None else local_date(models.utcnow())


NodeT = TypeVar("NodeT")


class CountyNode:
    """Relay ``node(id:)`` lookup for roster rows: batched, and blind to counties the caller may not read."""

    model: ClassVar[type]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [row_id(i) for i in node_ids]
        rows = await info.context.loaders.rows(cls.model).load_many([i for i in ids if i is not None])
        found = {row.id: row for row in rows if row is not None and info.context.can_read(cls.county_of(row))}
        return [cls.from_row(found[i]) if i in found else None for i in ids]

    @classmethod
    def county_of(cls, row) -> int:
        return row.county_id


@strawberry.type(description="Where a page sits in the whole list, with the cursors to fetch the next or previous "
                             "page.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow the last one on this page.")
    has_previous_page: bool = strawberry.field(description="Items come before the first one on this page.")
    start_cursor: str | None = strawberry.field(description="The first item's cursor; null on an empty page.")
    end_cursor: str | None = strawberry.field(description="The last item's cursor, to pass as `after` for the next "
                                                          "page; null on an empty page.")


@strawberry.type(description="One item of a page, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this item; pass it as `after` to start the next "
                                               "page behind it.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="One page of a list (Relay cursor connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items on this page, in the list's order, each with"
                                                            " its cursor.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow or precede, and the cursors to "
                                                       "fetch them.")
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The page's items without their cursors: the same as edges' nodes, in order.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="Items matching the filter, on all pages (one more SQL statement).")
    async def total_count(self) -> int:
        return await self.count_total()


@strawberry.type(description="A county (县) using the service: a tenant with its own roster, tables and calendar.")
class County(CountyNode, relay.Node):
    model: ClassVar[type] = models.County
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Short unique code of the county, e.g. for the command line.")
    name: str = strawberry.field(description="The county's name.")
    rule_set: RuleSetEnum = strawberry.field(description="Whose work rules the county's signing and deadline tables"
                                                         " were copied from.")

    @classmethod
    def county_of(cls, row: models.County) -> int:
        return row.id

    @classmethod
    def from_row(cls, row: models.County) -> County:
        return cls(id=row.id, code=row.code, name=row.name, rule_set=row.rule_set)


@strawberry.type(description="A department 部门 of the county: a working department, the government office, a "
                             "township, a sub-district or a development zone.")
class Department(CountyNode, relay.Node):
    model: ClassVar[type] = models.Department
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The department's name, unique in its county.")
    kind: DepartmentKindEnum = strawberry.field(description="What kind of unit it is; the government office and the"
                                                            " justice bureau have roles on the chain.")
    county_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Department) -> Department:
        return cls(id=row.id, name=row.name, kind=row.kind, county_id=row.county_id)

    @strawberry.field(description="The county it belongs to.")
    async def county(self, info: Info) -> County:
        return County.from_row(await info.context.loaders.county.load(self.county_id))

    @strawberry.field(description="The principal (主要负责人) on the day.")
    async def principal(self, info: Info, on: OnDate = None) -> Official | None:
        holders = await info.context.loaders.holders_in_department.load((self.id, day_or_today(on)))
        for holding in holders:
            if holding.role == Role.DEPARTMENT_PRINCIPAL:
                return Official.from_row(await info.context.loaders.official.load(holding.official_id))
        return None

    @strawberry.field(description="Deputies in the order they stand in for the principal.")
    async def deputies(self, info: Info, on: OnDate = None) -> list[Official]:
        holders = await info.context.loaders.holders_in_department.load((self.id, day_or_today(on)))
        ids = [h.official_id for h in holders if h.role == Role.DEPARTMENT_DEPUTY]
        return [Official.from_row(row) for row in await info.context.loaders.official.load_many(ids)]

    @strawberry.field(description="The vice magistrate in charge (分管领导) on the day.")
    async def leader_in_charge(self, info: Info, on: OnDate = None) -> Official | None:
        official_id = await info.context.loaders.leader_in_charge.load((self.id, day_or_today(on)))
        if official_id is None:
            return None
        return Official.from_row(await info.context.loaders.official.load(official_id))


@strawberry.type(description="An official 公职人员 of the county: a leader or a department's principal or deputy. What "
                             "they hold is in positions, by date.")
class Official(CountyNode, relay.Node):
    model: ClassVar[type] = models.Official
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Staff code, stable across renames; roster files match on it.")
    name: str = strawberry.field(description="The official's name.")
    rank_order: int = strawberry.field(description="Place in the leaders' fixed order (排序), 1 first.")
    retired_on: dt.date | None = strawberry.field(description="First day no longer serving; null while serving.")
    county_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Official) -> Official:
        return cls(id=row.id, code=row.code, name=row.name, rank_order=row.rank_order,
                   retired_on=row.retired_on, county_id=row.county_id)

    @strawberry.field(description="The county the official serves.")
    async def county(self, info: Info) -> County:
        return County.from_row(await info.context.loaders.county.load(self.county_id))

    @strawberry.field(description="Positions held, oldest first. Ended ones only with includeEnded.")
    async def positions(self, info: Info, include_ended: Annotated[bool, strawberry.argument(
            description="Also positions not held on the day.")] = False, on: OnDate = None) -> list[Position]:
        day = day_or_today(on)
        rows = await info.context.loaders.positions_of_official.load(self.id)
        return [
            Position.from_row(row)
            for row in rows
            if include_ended or (row.effective_from <= day and (row.effective_to is None or row.effective_to > day))
        ]

    @strawberry.field(description="Departments in this vice magistrate's portfolio (分管) on the day.")
    async def portfolio(self, info: Info, on: OnDate = None) -> list[Department]:
        rows = await info.context.loaders.portfolio_of.load((self.id, day_or_today(on)))
        departments = await info.context.loaders.department.load_many([row.department_id for row in rows])
        return [Department.from_row(d) for d in departments]

    @strawberry.field(description="The AB partner (对应AB角) on the day.")
    async def ab_partner(self, info: Info, on: OnDate = None) -> Official | None:
        pair = await info.context.loaders.ab_partner.load((self.id, day_or_today(on)))
        if pair is None:
            return None
        partner_id = pair.official_b_id if pair.official_a_id == self.id else pair.official_a_id
        return Official.from_row(await info.context.loaders.official.load(partner_id))



async def official_by_id(info: Info, official_id: int | None) -> Official | None:
    """An official named by id on another row, through the request's loader; None for none."""
    if official_id is None:
        return None
    return Official.from_row(await info.context.loaders.official.load(official_id))

@strawberry.type(description="A position 职务 an official holds or held, from one day to another.")
class Position(CountyNode, relay.Node):
    model: ClassVar[type] = models.Position
    id: relay.NodeID[int]
    role: RoleEnum = strawberry.field(description="The office held.")
    deputy_rank: int | None = strawberry.field(description="For a deputy: the place in the order deputies stand in "
                                                           "for the principal, 1 first; null otherwise.")
    effective_from: dt.date = strawberry.field(description="First day held.")
    effective_to: dt.date | None = strawberry.field(description="First day no longer held; null while open.")
    official_id: strawberry.Private[int]
    department_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Position) -> Position:
        return cls(id=row.id, role=row.role, deputy_rank=row.deputy_rank, effective_from=row.effective_from,
                   effective_to=row.effective_to, official_id=row.official_id, department_id=row.department_id)

    @strawberry.field(description="Who holds it.")
    async def official(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.official_id))

    @strawberry.field(description="The department, for a principal or deputy; null for the magistrate and vice "
                                  "magistrates.")
    async def department(self, info: Info) -> Department | None:
        if self.department_id is None:
            return None
        return Department.from_row(await info.context.loaders.department.load(self.department_id))


@strawberry.type(description="Two vice magistrates who act for each other when one is away (AB角), from one day to "
                             "another.")
class AbPair(CountyNode, relay.Node):
    model: ClassVar[type] = models.AbPair
    id: relay.NodeID[int]
    effective_from: dt.date = strawberry.field(description="First day of the pairing.")
    effective_to: dt.date | None = strawberry.field(description="First day no longer paired; null while in force.")
    official_a_id: strawberry.Private[int]
    official_b_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.AbPair) -> AbPair:
        return cls(id=row.id, effective_from=row.effective_from, effective_to=row.effective_to,
                   official_a_id=row.official_a_id, official_b_id=row.official_b_id)

    @strawberry.field(description="The two partners.")
    async def officials(self, info: Info) -> list[Official]:
        rows = await info.context.loaders.official.load_many([self.official_a_id, self.official_b_id])
        return [Official.from_row(row) for row in rows]


@strawberry.type(description="A reported absence 外出报备 of an official: a trip, leave, study or a visit abroad.")
class Absence(CountyNode, relay.Node):
    model: ClassVar[type] = models.Absence
    id: relay.NodeID[int]
    starts_at: dt.datetime = strawberry.field(description="When it starts.")
    ends_at: dt.datetime = strawberry.field(description="When it ends (exclusive).")
    reason: AbsenceReasonEnum = strawberry.field(description="Why the official is away.")
    note: str = strawberry.field(description="Free text from the report; may be empty.")
    cancelled_at: dt.datetime | None = strawberry.field(description="When it was cancelled; null while it stands. A"
                                                                    " cancelled absence moves no one's duties.")
    official_id: strawberry.Private[int]
    acting_official_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Absence) -> Absence:
        return cls(id=row.id, starts_at=row.starts_at, ends_at=row.ends_at, reason=row.reason, note=row.note,
                   cancelled_at=row.cancelled_at, official_id=row.official_id,
                   acting_official_id=row.acting_official_id)

    @strawberry.field(description="Who is away.")
    async def official(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.official_id))

    @strawberry.field(description="The acting person named in the absence report, if any.")
    async def acting_official(self, info: Info) -> Official | None:
        if self.acting_official_id is None:
            return None
        return Official.from_row(await info.context.loaders.official.load(self.acting_official_id))


@strawberry.type(description="The magistrate entrusts 委托 a vice magistrate to preside while both he and the "
                             "executive vice magistrate are away.")
class Entrustment(CountyNode, relay.Node):
    model: ClassVar[type] = models.Entrustment
    id: relay.NodeID[int]
    starts_at: dt.datetime = strawberry.field(description="When it starts.")
    ends_at: dt.datetime = strawberry.field(description="When it ends (exclusive).")
    note: str = strawberry.field(description="Free text; may be empty.")
    cancelled_at: dt.datetime | None = strawberry.field(description="When it was cancelled; null while it stands.")
    entrusting_id: strawberry.Private[int]
    entrusted_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Entrustment) -> Entrustment:
        return cls(id=row.id, starts_at=row.starts_at, ends_at=row.ends_at, note=row.note,
                   cancelled_at=row.cancelled_at, entrusting_id=row.entrusting_id, entrusted_id=row.entrusted_id)

    @strawberry.field(description="The magistrate who entrusted.")
    async def entrusting(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.entrusting_id))

    @strawberry.field(description="The vice magistrate entrusted to preside.")
    async def entrusted(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.entrusted_id))


@strawberry.type(description="One step in deciding who acts: a candidate in the line of cover and what happened.")
class CoverHop:
    reason: CoverReasonEnum = strawberry.field(description="The rule that made this person the candidate.")
    outcome: HopOutcomeEnum = strawberry.field(description="Whether the candidate acts or is away too.")
    basis: str = strawberry.field(description="The rule, with the seed article it comes from.")
    on_behalf_of_id: strawberry.Private[int]
    candidate_id: strawberry.Private[int]

    @strawberry.field(description="Whose duties are being passed on.")
    async def on_behalf_of(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.on_behalf_of_id))

    @strawberry.field(description="The person considered.")
    async def candidate(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.candidate_id))


@strawberry.type(description="Who acts for an official at an instant, and the chain of reasons.")
class CoverResolution:
    at: dt.datetime = strawberry.field(description="The instant asked about.")
    hops: list[CoverHop] = strawberry.field(description="The line of cover followed, in order; empty when the "
                                                        "official is present.")
    target_id: strawberry.Private[int]
    actor_id: strawberry.Private[int | None]

    @classmethod
    def from_cover(cls, cover: cover_rules.Cover, at: dt.datetime) -> CoverResolution:
        hops = [
            CoverHop(reason=h.reason, outcome=h.outcome, basis=h.basis, on_behalf_of_id=h.on_behalf_of,
                     candidate_id=h.candidate)
            for h in cover.hops
        ]
        return cls(at=at, hops=hops, target_id=cover.target, actor_id=cover.actor)

    @strawberry.field(description="The official asked about.")
    async def target(self, info: Info) -> Official:
        return Official.from_row(await info.context.loaders.official.load(self.target_id))

    @strawberry.field(description="Who acts; null when everyone in the line of cover is away.")
    async def actor(self, info: Info) -> Official | None:
        if self.actor_id is None:
            return None
        return Official.from_row(await info.context.loaders.official.load(self.actor_id))

    @strawberry.field(description="True when someone other than the official acts.")
    def acting_for_someone(self) -> bool:
        return self.actor_id is not None and self.actor_id != self.target_id


@strawberry.type(description="A sign-in 账号: an official's own, or a county or system administrator's.")
class Account(relay.Node):
    id: relay.NodeID[int]
    username: str = strawberry.field(description="The name it signs in with.")
    role: AccountRoleEnum = strawberry.field(description="What the account may do.")
    county_id: strawberry.Private[int | None]
    official_id: strawberry.Private[int | None]
    active: bool = strawberry.field(default=True, description="False while disabled: it signs in to nothing "
                                                              "and its tokens are refused.")

    @classmethod
    def from_row(cls, row: models.Account) -> Account:
        return cls(id=row.id, username=row.username, role=row.role, county_id=row.county_id,
                   official_id=row.official_id, active=row.active)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """Your own account, or those you manage; None for any other, as for a missing one."""
        ctx = info.context
        me = ctx.require_principal().account_id
        ids = [row_id(i) for i in node_ids]
        rows = await ctx.loaders.rows(models.Account).load_many([i for i in ids if i is not None])
        found = {row.id: row for row in rows
                 if row is not None and (row.id == me or ctx.allows(row.county_id, "account", "manage"))}
        return [cls.from_row(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The county it belongs to; null for a system administrator.")
    async def county(self, info: Info) -> County | None:
        if self.county_id is None:
            return None
        return County.from_row(await info.context.loaders.county.load(self.county_id))

    @strawberry.field(description="The official this sign-in belongs to, if any.")
    async def official(self, info: Info) -> Official | None:
        if self.official_id is None:
            return None
        return Official.from_row(await info.context.loaders.official.load(self.official_id))


labelled_enum(ApiTokenScope, name="ApiTokenScope", description="What a request signed in with an API token may do.")


@strawberry.type(description="An API token 接口令牌 for admin scripts, without its secret.")
class ApiToken(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What uses the token.")
    prefix: str = strawberry.field(description="The token's first characters, to recognise it in lists.")
    created_at: dt.datetime = strawberry.field(description="When it was created.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked; null while it works.")
    expires_at: dt.datetime | None = strawberry.field(
        description="From then on it is refused with TOKEN_EXPIRED; null: never (tokens made before expiry "
                    "existed).")
    scope: ApiTokenScope = strawberry.field(description="READ: mutations are refused with FORBIDDEN.")
    account_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.ApiToken) -> ApiToken:
        return cls(id=row.id, name=row.name, prefix=row.prefix, created_at=row.created_at,
                   revoked_at=row.revoked_at, expires_at=row.expires_at, scope=row.scope, account_id=row.account_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """Your own account's tokens, or those of accounts whose tokens you manage; None for any other."""
        ctx = info.context
        me = ctx.require_principal().account_id
        ids = [row_id(i) for i in node_ids]
        tokens = [t for t in await ctx.loaders.rows(models.ApiToken).load_many([i for i in ids if i is not None])
                  if t is not None]
        owners = {a.id: a for a in await ctx.loaders.rows(models.Account).load_many([t.account_id for t in tokens])}
        found = {t.id: t for t in tokens
                 if t.account_id == me or ctx.allows(owners[t.account_id].county_id, "token", "manage")}
        return [cls.from_row(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The account the token signs in as.")
    async def account(self, info: Info) -> Account:
        return Account.from_row(await info.context.loaders.rows(models.Account).load(self.account_id))
