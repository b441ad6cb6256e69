"""Proactive disclosure (domain/disclosure.py): the county's limits, the records and the sweeper's reminders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.disclosure import DisclosureSource, DisclosureState, Exemption


class DisclosureLimit(Base):
    """The county's limit for publishing one kind of item, in working days, with its article (no row, no clock)."""

    __tablename__ = "disclosure_limits"
    __table_args__ = (UniqueConstraint("county_id", "source", name="uq_disclosure_limit"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    source: Mapped[DisclosureSource] = mapped_column(_enum(DisclosureSource, "disclosure_limit_source"))
    working_days: Mapped[int] = mapped_column(Integer)
    article: Mapped[str] = mapped_column(String(120))


class Disclosure(Base):
    """One item to be published proactively, and whether it was (when, where) or was exempted (why, by whom)."""

    __tablename__ = "disclosures"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_disclosure_source"),
        Index("ix_disclosures_county_state", "county_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    source: Mapped[DisclosureSource] = mapped_column(_enum(DisclosureSource, "disclosure_source"))
    source_id: Mapped[int] = mapped_column(BigId)  # the document, decision or proposal
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[DisclosureState] = mapped_column(_enum(DisclosureState, "disclosure_state"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_article: Mapped[str | None] = mapped_column(String(120), nullable=True)
    due_problem: Mapped[str | None] = mapped_column(Text, nullable=True)  # why there is no due time
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    published_where: Mapped[str | None] = mapped_column(String(300), nullable=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    exemption: Mapped[Exemption | None] = mapped_column(_enum(Exemption, "disclosure_exemption"), nullable=True)
    exemption_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    exemption_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    exemption_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # published or exempted


class DisclosureReminder(Base):
    """The sweeper's reminder that a record ran past its due time: at most one per record."""

    __tablename__ = "disclosure_reminders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    disclosure_id: Mapped[int] = mapped_column(ForeignKey("disclosures.id"), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
