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
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Account, ApiToken, County, Official, utcnow
from domain.errors import DomainError, ErrorCode
from domain.roster import AccountRole
from services import audit

API_TOKEN_PREFIX = "qf_"
JWT_ALGORITHM = "HS256"
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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.username, account.role, account.county_id, account.official_id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def login(session: AsyncSession, *, username: str, password: str, secret_key: str,
                lifetime: dt.timedelta) -> tuple[str, dt.datetime, Principal]:
    account = (await session.execute(select(Account).where(Account.username == username))).scalar_one_or_none()
    try:
        _hasher.verify(account.password_hash if account and account.password_hash else _dummy_hash(), password)
        verified = account is not None and account.password_hash is not None and account.active
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


async def authenticate(session: AsyncSession, *, bearer: str, secret_key: str) -> Principal | None:
    """The principal behind a bearer token, or None when it is unknown, expired or revoked."""
    with_version = select(Account, County.roster_version).outerjoin(County, County.id == Account.county_id)
    if bearer.startswith(API_TOKEN_PREFIX):
        stmt = with_version.join(ApiToken, ApiToken.account_id == Account.id).where(
            ApiToken.token_digest == _digest(bearer), ApiToken.revoked_at.is_(None))
    else:
        try:
            claims = jwt.decode(bearer, secret_key, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]})
        except jwt.PyJWTError:
            return None
        if claims.get("typ") != "access":
            return None
        stmt = with_version.where(Account.id == int(claims["sub"]))
    found = (await session.execute(stmt)).one_or_none()
    if found is None or not found.Account.active:
        return None
    account, roster_version = found
    return Principal(account.id, account.username, account.role, account.county_id, account.official_id,
                     roster_version)


async def create_api_token(session: AsyncSession, *, account_id: int, name: str,
                           actor: audit.Actor) -> tuple[str, ApiToken]:
    """Returns the token in clear exactly once; only its digest is kept."""
    account = await session.get(Account, account_id)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account.", field="accountId")
    if not name.strip():
        raise DomainError(ErrorCode.INVALID, "Give the token a name that says what uses it.", field="name")
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(account_id=account.id, name=name.strip(), token_digest=_digest(token), prefix=token[:10])
    session.add(row)
    await session.flush()
    await audit.record(session, county_id=account.county_id, actor=actor, action="api_token.create",
                       entity="api_token", entity_id=row.id,
                       after={"account_id": account.id, "name": row.name, "prefix": row.prefix})
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
    if len(password) < 8:
        raise DomainError(ErrorCode.INVALID, "Passwords have at least 8 characters.", field="password")
    if (role == AccountRole.SYSTEM_ADMIN) != (county_id is None):
        raise DomainError(ErrorCode.INVALID, "System administrators have no county; everyone else has one.",
                          field="countyId")
    if (await session.execute(select(Account.id).where(Account.username == username))).first():
        raise DomainError(ErrorCode.DUPLICATE, f"Username {username!r} is taken.", field="username")
    if official_id is not None:
        official = await session.get(Official, official_id)
        if official is None or official.county_id != county_id:
            raise DomainError(ErrorCode.CROSS_COUNTY, "That official is not of this county.", field="officialId")
    account = Account(username=username, password_hash=hash_password(password), role=role, county_id=county_id,
                      official_id=official_id)
    session.add(account)
    await session.flush()
    await audit.record(session, county_id=county_id, actor=actor, action="account.create", entity="account",
                       entity_id=account.id,
                       after={"username": username, "role": role.value, "official_id": official_id})
    return account
