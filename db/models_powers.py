"""The power catalogue (domain/powers.py): powers, their versions and the reviews of each version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.powers import HolderKind, PowerState, ReviewOffice, RiskLevel
from domain.roster import Role


class Power(Base):
    """A power of the county held by one holder; one code held by two holders is an overlap, flagged, not refused."""

    __tablename__ = "powers"
    __table_args__ = (Index("ix_powers_county_code", "county_id", "code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    code: Mapped[str] = mapped_column(String(60))
    holder_kind: Mapped[HolderKind] = mapped_column(_enum(HolderKind, "power_holder_kind"))
    holder_body_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_bodies.id"), nullable=True)
    holder_role: Mapped[Role | None] = mapped_column(_enum(Role, "power_holder_role"), nullable=True)
    holder_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PowerVersion(Base):
    """One version of a power's catalogue entry and where it stands."""

    __tablename__ = "power_versions"
    __table_args__ = (UniqueConstraint("power_id", "number", name="uq_power_version_number"),
                      Index("ix_power_versions_county_state", "county_id", "state"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    power_id: Mapped[int] = mapped_column(ForeignKey("powers.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[PowerState] = mapped_column(_enum(PowerState, "power_state"))
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text)
    output: Mapped[str] = mapped_column(Text)
    time_limit_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee: Mapped[str] = mapped_column(String(300))
    fee_basis: Mapped[str] = mapped_column(Text)
    responsible_post: Mapped[str] = mapped_column(String(200))
    complaint_channel: Mapped[str] = mapped_column(String(300))
    drafted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_by_decision_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_decisions.id"), nullable=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ended_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class PowerReview(Base):
    """A review office's opinion on a version under review, as the government office received it in writing."""

    __tablename__ = "power_reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("power_versions.id"), index=True)
    office: Mapped[ReviewOffice] = mapped_column(_enum(ReviewOffice, "power_review_office"))
    # The county's justice bureau for the legal review; the establishment office is a Party body outside the roster.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    agreed: Mapped[bool] = mapped_column(Boolean)
    opinion: Mapped[str] = mapped_column(Text)
    recorded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PowerStep(Base):
    """A step of a version's flowchart (004 二), in its order; ``next`` holds the ways on as [{to, label}]."""

    __tablename__ = "power_steps"
    __table_args__ = (UniqueConstraint("version_id", "position", name="uq_power_step_position"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("power_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    conditions: Mapped[str] = mapped_column(Text)
    time_limit_days: Mapped[int] = mapped_column(Integer)
    requirements: Mapped[str] = mapped_column(Text)
    next: Mapped[list] = mapped_column(JSON, default=list)


class PowerRiskPoint(Base):
    """A corruption risk point (廉政风险点, 004 三) of a version, on the power or on one step of its flowchart;
    ``controls`` holds [{kind, description}]."""

    __tablename__ = "power_risk_points"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("power_versions.id"), index=True)
    step_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    category: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    level: Mapped[RiskLevel | None] = mapped_column(_enum(RiskLevel, "power_risk_level"), nullable=True)
    harm: Mapped[str] = mapped_column(Text)
    controls: Mapped[list] = mapped_column(JSON, default=list)
    owner: Mapped[str] = mapped_column(String(200))
    review_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
