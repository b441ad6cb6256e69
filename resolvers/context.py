"""Per-request context: who is asking, their database session, their DataLoaders."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from functools import cached_property

from graphql import ExecutionResult, GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry import relay
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from config import Settings
from db.engine import ReadSession
from domain.errors import DomainError, ErrorCode, TopLevelCode
from domain.roster import AccountRole
from policies import AccessControl
from resolvers.loaders import Loaders
from schema.validation import row_id
from services.audit import Actor
from services.auth import Principal
from services.cover import RosterCache
from services.sign_in_throttle import SignInThrottle
from services.signing_rules import SigningTables


SIGN_IN_EXPIRED = "Your sign-in has expired; sign in again."
READ_ONLY_TOKEN = "This API token may only read."


def public_error(code: TopLevelCode, message: str) -> GraphQLError:
    """A top-level error meant for the caller: never masked. Its code is one of the documented set."""
    return GraphQLError(message, extensions={"code": TopLevelCode(code).value})


@dataclass
class Context:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    access: AccessControl
    tables: SigningTables
    rosters: RosterCache
    principal: Principal | None
    request_id: str
    request: object = None
    response: object = None
    _session: ReadSession | None = field(default=None, repr=False)
    # The request's bearer token was genuine but expired: "sign in again", not "sign in".
    token_expired: bool = False
    _after_commit: list[Callable[[], None]] = field(default_factory=list, repr=False)

    # -- sessions

    async def session(self) -> ReadSession:
        """The request's read session, shared by all loaders (closed when the operation ends)."""
        if self._session is None:
            self._session = ReadSession(self.read_sessions())
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One transaction per mutation: committed on success, rolled back on any error."""
        # Give the read connection (the sign-in check's) back first: a request never holds two, so
        # a burst of mutations cannot take every pooled connection and then wait for one more.
        await self.close()
        self._after_commit.clear()
        async with self.sessions() as session, session.begin():
            yield session
        for callback in self._after_commit:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run once the current mutation's transaction has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    def tables_changed(self, county_id: int) -> None:
        # This process at once; other processes hear it from PostgreSQL (services.signing_rules).
        self.tables.forget(county_id)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.session)

    @cached_property
    def sign_in_throttle(self) -> SignInThrottle:
        return SignInThrottle(self.sessions, self.read_sessions,
                              per_account=self.settings.sign_in_failures_per_account,
                              per_address=self.settings.sign_in_failures_per_address,
                              window_seconds=self.settings.sign_in_window_seconds)

    @property
    def client_address(self) -> str | None:
        """The caller's address as the server saw it (behind a proxy, uvicorn's --proxy-headers sets it)."""
        client = getattr(self.request, "client", None)
        return client.host if client is not None else None

    # -- who is asking

    def require_principal(self) -> Principal:
        if self.principal is None:
            if self.token_expired:
                raise public_error(TopLevelCode.TOKEN_EXPIRED, SIGN_IN_EXPIRED)
            raise public_error(TopLevelCode.UNAUTHENTICATED, "Sign in first: send 'Authorization: Bearer <token>'.")
        return self.principal

    @property
    def actor(self) -> Actor:
        return Actor(account_id=self.principal.account_id if self.principal else None, request_id=self.request_id)

    def allows(self, county_id: int | None, obj: str, act: str) -> bool:
        principal = self.require_principal()
        return self.access.allows(role=principal.role.value, home_county_id=principal.county_id,
                                  target_county_id=county_id, obj=obj, act=act)

    def can_read(self, county_id: int) -> bool:
        return self.principal is not None and self.allows(county_id, "roster", "read")

    def readable_county(self, county_id: int | None) -> int:
        """The county a read is about: the one asked for, or the caller's own."""
        principal = self.require_principal()
        if county_id is None:
            if principal.county_id is None:
                raise public_error(TopLevelCode.BAD_REQUEST, "Name a county: this account belongs to none.")
            county_id = principal.county_id
        if not self.allows(county_id, "roster", "read"):
            raise public_error(TopLevelCode.FORBIDDEN, "This account may not read that county's records.")
        return county_id

    def require(self, county_id: int | None, obj: str, act: str, field: str | None = None) -> None:
        """Refuse with a typed error unless the caller may ``act`` on ``obj`` in the county.

        Only for records the caller may see (resolvers.lookup.find): refusing another county's with
        FORBIDDEN would tell that they exist.
        """
        if not self.allows(county_id, obj, act):
            raise DomainError(ErrorCode.FORBIDDEN, "This account may not do that here.", field=field)

    @property
    def is_system_admin(self) -> bool:
        return self.principal is not None and self.principal.role == AccountRole.SYSTEM_ADMIN


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "AEIOU" else f"a {noun}"


def decode_id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    """The database id inside a global id, refusing ids of another type (WRONG_ID_TYPE, naming both types).

    A number no id can have (0, negative, past 2^63-1) decodes to NO_ROW, so it answers like a missing id.
    """
    if global_id.type_name != type_name:
        raise DomainError(ErrorCode.WRONG_ID_TYPE,
                          f"Expected {_a(type_name)} id; this is {_a(global_id.type_name)} id.", field=field)
    number = row_id(global_id.node_id)
    if number is None:
        raise DomainError(ErrorCode.INVALID, f"This is not {_a(type_name)} id this API issued.", field=field)
    return number


class ReadOnlyTokens(SchemaExtension):
    """A read-only API token runs no mutation: the whole operation is refused before anything runs."""

    def on_execute(self):
        context = self.execution_context
        principal = getattr(context.context, "principal", None)
        if (context.operation_type == OperationType.MUTATION and principal is not None
                and not principal.may_write):
            context.result = ExecutionResult(None, [public_error(TopLevelCode.FORBIDDEN, READ_ONLY_TOKEN)])
        yield
