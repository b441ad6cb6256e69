"""ORM models. Every row belongs to exactly one county (tenant); nothing crosses counties."""

from __future__ import annotations

import datetime as dt
import enum


from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain.roster import AbsenceReason, AccountRole, DepartmentKind, Role, RuleSet

# SQLite integer primary keys must be INTEGER (not BIGINT) to autoincrement.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on both engines (SQLite returns naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


def _enum(e: type[enum.Enum], name: str) -> Enum:
    # Store the enum *values* (stable, readable) as plain strings on both engines.
    return Enum(e, name=name, native_enum=False, length=40, values_callable=lambda x: [m.value for m in x])


class County(Base):
    __tablename__ = "counties"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    rule_set: Mapped[RuleSet] = mapped_column(_enum(RuleSet, "rule_set"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("county_id", "name", name="uq_department_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[DepartmentKind] = mapped_column(_enum(DepartmentKind, "department_kind"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Official(Base):
    __tablename__ = "officials"
    __table_args__ = (UniqueConstraint("county_id", "code", name="uq_official_code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    # A staff code stable across renames: what roster files and admin scripts match on.
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    rank_order: Mapped[int] = mapped_column(Integer)
    retired_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Position(Base):
    """One holding of a role over a period; history is kept, never overwritten.

    Held from ``effective_from`` (inclusive) until ``effective_to`` (exclusive, open when null).
    """

    __tablename__ = "positions"
    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="ck_position_period"),
        Index("ix_positions_county_role", "county_id", "role"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "position_role"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    # Order in which deputies stand in for the principal (1 first).
    deputy_rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class PortfolioAssignment(Base):
    """A vice magistrate in charge of (分管) a department over a period."""

    __tablename__ = "portfolio_assignments"
    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="ck_portfolio_period"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class AbPair(Base):
    """Two vice magistrates who stand in for each other (对应AB角) over a period."""

    __tablename__ = "ab_pairs"
    __table_args__ = (
        CheckConstraint("official_a_id <> official_b_id", name="ck_ab_pair_distinct"),
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="ck_ab_pair_period"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    official_a_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    official_b_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Absence(Base):
    """A reported trip, leave or study period (请销假), with the acting person if one was named."""

    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_absence_period"),
        CheckConstraint("acting_official_id IS NULL OR acting_official_id <> official_id", name="ck_absence_not_self"),
        Index("ix_absences_official_period", "official_id", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    reason: Mapped[AbsenceReason] = mapped_column(_enum(AbsenceReason, "absence_reason"))
    note: Mapped[str] = mapped_column(Text, default="")
    acting_official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Entrustment(Base):
    """The magistrate entrusts a vice magistrate to preside when he and the executive VM are both away."""

    __tablename__ = "entrustments"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_entrustment_period"),
        CheckConstraint("entrusted_id <> entrusting_id", name="ck_entrustment_not_self"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    entrusting_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    entrusted_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Account(Base):
    """A sign-in. County accounts belong to one county; system administrators to none."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"), nullable=True, index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    role: Mapped[AccountRole] = mapped_column(_enum(AccountRole, "account_role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiToken(Base):
    """A long-lived token for admin scripts. Only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEvent(Base):
    """Append-only record of every state change, hash-chained per county."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("county_id", "seq", name="uq_audit_seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Null county: system-level events (county creation, system accounts).
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"), nullable=True, index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
