"""Sign-in: argon2 passwords, short-lived signed bearer tokens, long-lived API tokens."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import locked_row
from db.models import Account, ApiToken, County, Official, utcnow
from domain.accounts import DEFAULT_API_TOKEN_DAYS, ApiTokenScope, api_token_days_problem, password_problem
from domain.errors import DomainError, ErrorCode
from domain.roster import AccountRole, local_date
from services import audit
from services.sign_in_throttle import SignInThrottle

API_TOKEN_PREFIX = "qf_"
JWT_ALGORITHM = "HS256"
# Account ids are BIGINT: a token naming anything else names no account.
_MAX_ACCOUNT_ID = 2**63 - 1
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so timing does not reveal which usernames exist."""
    return _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class Principal:
    """The signed-in account a request acts as."""

    account_id: int
    username: str
    role: AccountRole
    county_id: int | None
    official_id: int | None
    # The county's roster version when this request signed in (cached cover lookups check it).
    roster_version: int | None = None
    # False when signed in with a read-only API token: every mutation is refused.
    may_write: bool = True


class TokenExpired(Exception):
    """The bearer token is genuine but its time is up: the client should sign in again (or get a new token)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.username, account.role, account.county_id, account.official_id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_sign_in(at: dt.datetime):
    """Enabled accounts, and an official's only until the day he retires (checked on every request, so a
    retirement dated ahead takes effect that day with nothing to run)."""
    return Account.active.is_(True) & or_(Official.retired_on.is_(None), Official.retired_on > local_date(at))


def _account_id(sub: object) -> int | None:
    """The account id a token's subject names; None for anything but a decimal id in BIGINT's range."""
    if not (isinstance(sub, str) and 0 < len(sub) <= 19 and sub.isascii() and sub.isdigit()):
        return None
    account_id = int(sub)
    return account_id if 0 < account_id <= _MAX_ACCOUNT_ID else None


async def login(session: AsyncSession, *, username: str, password: str, secret_key: str,
                lifetime: dt.timedelta) -> tuple[str, dt.datetime, Principal]:
    found = (await session.execute(
        select(Account, _may_sign_in(utcnow()).label("may_sign_in"))
        .outerjoin(Official, Official.id == Account.official_id).where(Account.username == username)
    )).one_or_none()
    account = found.Account if found else None
    try:
        _hasher.verify(account.password_hash if account and account.password_hash else _dummy_hash(), password)
        # Disabled and retired accounts get the same answer as a wrong password: it confirms no password.
        verified = account is not None and account.password_hash is not None and bool(found.may_sign_in)
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified:
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password.", field="password")
    expires_at = utcnow() + lifetime
    token = jwt.encode(
        {"sub": str(account.id), "exp": expires_at, "iat": utcnow(), "typ": "access"},
        secret_key,
        algorithm=JWT_ALGORITHM,
    )
    return token, expires_at, _principal(account)


class TooManyAttempts(DomainError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(ErrorCode.TOO_MANY_ATTEMPTS,
                         f"Too many failed sign-ins; try again in {retry_after_seconds} seconds.", field="password")
        self.retry_after_seconds = retry_after_seconds


async def sign_in(sessions: async_sessionmaker[AsyncSession], *, throttle: SignInThrottle, username: str,
                  password: str, address: str | None, secret_key: str,
                  lifetime: dt.timedelta) -> tuple[str, dt.datetime, Principal]:
    """``login`` behind the throttle: refused outright while the username or the address has used up its
    failed sign-ins (the right password too), and every failure counted, each in a transaction of its own."""
    refusal = await throttle.refusal(username=username, address=address)
    if refusal is not None:
        raise TooManyAttempts(refusal.retry_after_seconds)
    try:
        async with sessions() as session:
            return await login(session, username=username, password=password, secret_key=secret_key,
                               lifetime=lifetime)
    except DomainError as error:
        if error.code == ErrorCode.INVALID_CREDENTIALS:
            await throttle.failed(username=username, address=address)
        raise


async def authenticate(session: AsyncSession, *, bearer: str, secret_key: str) -> Principal | None:
    """The principal behind a bearer token, or None when it is unknown, revoked, malformed, or its account is
    disabled or its official retired. Raises TokenExpired when it is genuine but expired."""
    now = utcnow()
    with_version = (select(Account, County.roster_version).outerjoin(County, County.id == Account.county_id)
                    .outerjoin(Official, Official.id == Account.official_id).where(_may_sign_in(now)))
    if not bearer.startswith(API_TOKEN_PREFIX):
        try:
            claims = jwt.decode(bearer, secret_key, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]})
        except jwt.ExpiredSignatureError:
            # PyJWT checks the signature before the expiry: this token is one we signed.
            raise TokenExpired from None
        except jwt.PyJWTError:
            return None
        account_id = _account_id(claims["sub"])
        if claims.get("typ") != "access" or account_id is None:
            return None
        found = (await session.execute(with_version.where(Account.id == account_id))).one_or_none()
        if found is None:
            return None
        account, roster_version = found
        return Principal(account.id, account.username, account.role, account.county_id, account.official_id,
                         roster_version)
    stmt = with_version.add_columns(ApiToken.expires_at, ApiToken.scope).join(
        ApiToken, ApiToken.account_id == Account.id).where(
        ApiToken.token_digest == _digest(bearer), ApiToken.revoked_at.is_(None))
    found = (await session.execute(stmt)).one_or_none()
    if found is None:
        return None
    account, roster_version, expires_at, scope = found
    if expires_at is not None and expires_at <= now:
        raise TokenExpired
    return Principal(account.id, account.username, account.role, account.county_id, account.official_id,
                     roster_version, may_write=scope == ApiTokenScope.READ_WRITE)


async def create_api_token(session: AsyncSession, *, account_id: int, name: str, actor: audit.Actor,
                           expires_in_days: int = DEFAULT_API_TOKEN_DAYS,
                           scope: ApiTokenScope = ApiTokenScope.READ_WRITE) -> tuple[str, ApiToken]:
    """Returns the token in clear exactly once; only its digest is kept."""
    account = await session.get(Account, account_id)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account.", field="accountId")
    if not name.strip():
        raise DomainError(ErrorCode.INVALID, "Give the token a name that says what uses it.", field="name")
    if (problem := api_token_days_problem(expires_in_days)) is not None:
        raise DomainError(ErrorCode.INVALID, problem, field="expiresInDays")
    await audit.lock_trail(session, county_id=account.county_id)
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(account_id=account.id, name=name.strip(), token_digest=_digest(token), prefix=token[:10],
                   expires_at=utcnow() + dt.timedelta(days=expires_in_days), scope=scope)
    session.add(row)
    await session.flush()
    await audit.record(session, county_id=account.county_id, actor=actor, action="api_token.create",
                       entity="api_token", entity_id=row.id,
                       after={"account_id": account.id, "name": row.name, "prefix": row.prefix,
                              "expires_at": row.expires_at.isoformat(), "scope": scope.value})
    return token, row


async def revoke_api_token(session: AsyncSession, *, token_id: int, actor: audit.Actor) -> ApiToken:
    row = await session.get(ApiToken, token_id)
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such API token.", field="id")
    if row.revoked_at is not None:
        raise DomainError(ErrorCode.ALREADY_ENDED, "This token is already revoked.", field="id")
    account = await session.get(Account, row.account_id)
    row.revoked_at = utcnow()
    await audit.record(session, county_id=account.county_id, actor=actor, action="api_token.revoke",
                       entity="api_token", entity_id=row.id, before={"revoked_at": None},
                       after={"revoked_at": row.revoked_at.isoformat()})
    return row



async def create_account(session: AsyncSession, *, username: str, password: str, role: AccountRole,
                         county_id: int | None, actor: audit.Actor, official_id: int | None = None) -> Account:
    username = username.strip()
    if not username:
        raise DomainError(ErrorCode.INVALID, "A username is required.", field="username")
    if (problem := password_problem(password)) is not None:
        raise DomainError(ErrorCode.WEAK_PASSWORD, problem, field="password")
    if (role == AccountRole.SYSTEM_ADMIN) != (county_id is None):
        raise DomainError(ErrorCode.INVALID, "System administrators have no county; everyone else has one.",
                          field="countyId")
    if (role == AccountRole.OFFICIAL) != (official_id is not None):
        raise DomainError(ErrorCode.INVALID, "An official's account names the official; no other account does.",
                          field="officialId")
    # The trail's lock first, before the insert, as every writer takes its locks (services.audit.lock_trail).
    await audit.lock_trail(session, county_id=county_id)
    if (await session.execute(select(Account.id).where(Account.username == username))).first():
        raise DomainError(ErrorCode.DUPLICATE, f"The username “{username}” is taken.", field="username")
    if official_id is not None:
        official = await session.get(Official, official_id)
        if official is None or official.county_id != county_id:
            raise DomainError(ErrorCode.NOT_FOUND, "No such official.", field="officialId")
    account = Account(username=username, password_hash=hash_password(password), role=role, county_id=county_id,
                      official_id=official_id)
    session.add(account)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="account.create", entity="account",
                       entity_id=account.id,
                       after={"username": username, "role": role.value, "official_id": official_id})
    return account


async def set_account_enabled(session: AsyncSession, *, account_id: int, enabled: bool,
                              actor: audit.Actor) -> Account:
    """Disable an account (it signs in to nothing, its bearer and API tokens are refused) or enable it again."""
    found = (await session.execute(select(Account.county_id).where(Account.id == account_id))).first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account.", field="id")
    if account_id == actor.account_id and not enabled:
        # Nobody locks themselves out; another administrator can.
        raise DomainError(ErrorCode.INVALID, "You cannot disable the account you are signed in with.", field="id")
    if found.county_id is not None:
        await locked_row(session, County, found.county_id)  # the county first, as every writer locks
    account = await locked_row(session, Account, account_id)
    if account.active == enabled:
        raise DomainError(ErrorCode.WRONG_STATE,
                          f"The account is already {'enabled' if enabled else 'disabled'}.", field="id")
    account.active = enabled
    await session.flush()
    await audit.record(session, county_id=account.county_id, actor=actor,
                       action="account.enable" if enabled else "account.disable", entity="account",
                       entity_id=account.id, before={"active": not enabled}, after={"active": enabled})
    return account


async def reset_password(session: AsyncSession, *, account_id: int, new_password: str,
                         actor: audit.Actor) -> Account:
    """An administrator sets a new password. Bearer tokens already issued stay valid until they expire (they
    last ``ACCESS_TOKEN_MINUTES``); disable the account to cut them off at once."""
    if (problem := password_problem(new_password)) is not None:
        raise DomainError(ErrorCode.WEAK_PASSWORD, problem, field="newPassword")
    account = await _locked_account(session, account_id, field="accountId")
    account.password_hash = hash_password(new_password)
    await session.flush()
    # The hash stays out of the trail: it records that the password changed, and who changed it.
    await audit.record(session, county_id=account.county_id, actor=actor, action="account.reset_password",
                       entity="account", entity_id=account.id)
    return account


async def change_password(session: AsyncSession, *, account_id: int, current_password: str, new_password: str,
                          actor: audit.Actor) -> Account:
    """One changes one's own password, proving the current one first."""
    account = await _locked_account(session, account_id, field="currentPassword")
    try:
        _hasher.verify(account.password_hash or _dummy_hash(), current_password)
        verified = account.password_hash is not None
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified:
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "The current password is wrong.", field="currentPassword")
    if (problem := password_problem(new_password)) is not None:
        raise DomainError(ErrorCode.WEAK_PASSWORD, problem, field="newPassword")
    if new_password == current_password:
        raise DomainError(ErrorCode.INVALID, "Choose a new password, not the current one.", field="newPassword")
    account.password_hash = hash_password(new_password)
    await session.flush()
    await audit.record(session, county_id=account.county_id, actor=actor, action="account.change_password",
                       entity="account", entity_id=account.id)
    return account


async def _locked_account(session: AsyncSession, account_id: int, *, field: str) -> Account:
    found = (await session.execute(select(Account.county_id).where(Account.id == account_id))).first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account.", field=field)
    if found.county_id is not None:
        await locked_row(session, County, found.county_id)  # the county first, as every writer locks
    return await locked_row(session, Account, account_id)
