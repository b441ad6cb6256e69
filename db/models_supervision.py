"""Supervision (domain/supervision.py): numbered items, their reports, reminders and the county's deadline data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.documents import Route
from domain.supervision import EntryKind, ItemState, LapseKind, SourceKind


class SupervisionSeries(Base):
    """The county's item numbering: its prefix (督 in 督〔2026〕37号), copied from the rule set, editable."""

    __tablename__ = "supervision_series"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    article: Mapped[str] = mapped_column(String(120))


class SupervisionDeadlineClass(Base):
    """A deadline class (办理时限) of the county: working days to the result, when to remind and to escalate.

    The rule sets ship documented defaults (no seed sets a number); a null number is one the county left unset:
    the office gives each item its deadline, or no reminder or escalation is sent.
    """

    __tablename__ = "supervision_deadline_classes"
    __table_args__ = (UniqueConstraint("county_id", "code", name="uq_supervision_deadline_class"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    remind_before_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    escalate_after_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The class an item gets when its source names none.
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    article: Mapped[str] = mapped_column(String(120))


class SupervisionItem(Base):
    """A supervision item (督办事项), numbered per county and year without gaps."""

    __tablename__ = "supervision_items"
    __table_args__ = (
        UniqueConstraint("county_id", "year", "seq", name="uq_supervision_item_number"),
        Index("ix_supervision_items_source", "source_kind", "source_id"),
        Index("ix_supervision_items_county_state", "county_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60))  # as delivered, in the prefix of the day
    source_kind: Mapped[SourceKind] = mapped_column(_enum(SourceKind, "supervision_source_kind"))
    source_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    instruction: Mapped[str] = mapped_column(Text)
    instructed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True, index=True)
    instructed_on: Mapped[dt.date] = mapped_column(Date)
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    co_department_ids: Mapped[list] = mapped_column(JSON, default=list)
    responsible_official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    state: Mapped[ItemState] = mapped_column(_enum(ItemState, "supervision_item_state"))
    # The deadline: its class (if one was used), the working days counted from delivery or a fixed day; the
    # reminder and escalation numbers of the class, as they stood when the deadline was set.
    deadline_class: Mapped[str | None] = mapped_column(String(40), nullable=True)
    working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    remind_before_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    escalate_after_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Why the item waits for the office to deliver it (no deadline yet), in words.
    waiting_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    accepted_for_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    accepted_route: Mapped[Route | None] = mapped_column(_enum(Route, "supervision_accepted_route"), nullable=True)
    result_reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set at closing: whether the verified result came after the last day (003 §46's report counts it).
    closed_late: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)


class SupervisionEntry(Base):
    """A progress report, a result report, a reopening or a closing, in order: the item's record."""

    __tablename__ = "supervision_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind, "supervision_entry_kind"))
    text: Mapped[str] = mapped_column(Text)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    # Acting for someone else: on whose behalf, and by which cover route.
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "supervision_entry_route"), nullable=True)
    # A result carried by a signed document (a proposal's reply letter): that document.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SupervisionLapse(Base):
    """The sweeper's reminder or escalation of an overdue item: at most one of each per item and deadline."""

    __tablename__ = "supervision_lapses"
    __table_args__ = (UniqueConstraint("item_id", "kind", "due_on", name="uq_supervision_lapse"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id"), index=True)
    kind: Mapped[LapseKind] = mapped_column(_enum(LapseKind, "supervision_lapse_kind"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    # Whom it went to (the responsible person and the unit's principal; the VM in charge), in order.
    official_ids: Mapped[list] = mapped_column(JSON, default=list)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
