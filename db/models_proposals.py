"""Proposals (domain/proposals.py): NPC bills and suggestions and CPPCC proposals, their handling and time limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.documents import Route
from domain.proposals import ContactWay, EventKind, LimitStep, ProposalKind, ProposalState, ReplyOutcome


class ProposalTimeLimit(Base):
    """The county's time limit for one step, in working days, with its article (county data; no row, no clock)."""

    __tablename__ = "proposal_time_limits"
    __table_args__ = (UniqueConstraint("county_id", "step", name="uq_proposal_time_limit"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    step: Mapped[LimitStep] = mapped_column(_enum(LimitStep, "proposal_limit_step"))
    working_days: Mapped[int] = mapped_column(Integer)
    article: Mapped[str] = mapped_column(String(120))


class Proposal(Base):
    """A bill, suggestion or proposal from the two sessions, and where its handling stands."""

    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("county_id", "kind", "session", "number", name="uq_proposal_number"),
        Index("ix_proposals_county_state", "county_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    kind: Mapped[ProposalKind] = mapped_column(_enum(ProposalKind, "proposal_kind"))
    session: Mapped[str] = mapped_column(String(100))  # 县十八届人大三次会议
    number: Mapped[int] = mapped_column(Integer)  # its number in the session's series of its kind
    proposers: Mapped[str] = mapped_column(String(300))  # the deputies or members, as the session lists them
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(100))
    state: Mapped[ProposalState] = mapped_column(_enum(ProposalState, "proposal_state"))
    received_on: Mapped[dt.date] = mapped_column(Date)
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The lead unit's principal who answers for it (000 §56(一)), and the handler they named.
    responsible_principal_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome: Mapped[ReplyOutcome | None] = mapped_column(_enum(ReplyOutcome, "proposal_outcome"), nullable=True)
    explanation: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The reply letter, routed by the signing table; its signature makes the proposal REPLIED.
    reply_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True, unique=True)
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    published_where: Mapped[str | None] = mapped_column(String(300), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # An important one put before a magistrate's office or topical meeting (000 §56(三)).
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), nullable=True)
    # The clock of the step under way: its due time, the article of its limit, or why there is no due time.
    due_step: Mapped[LimitStep | None] = mapped_column(_enum(LimitStep, "proposal_due_step"), nullable=True)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_article: Mapped[str | None] = mapped_column(String(120), nullable=True)
    due_problem: Mapped[str | None] = mapped_column(Text, nullable=True)


class ProposalCoUnit(Base):
    """A co-unit (协办单位) a proposal is assigned to beside its lead unit (000 §56(五))."""

    __tablename__ = "proposal_co_units"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)


class ProposalContact(Base):
    """A contact with the proposer (001 §14): when, how, with whom, what was said."""

    __tablename__ = "proposal_contacts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    contacted_on: Mapped[dt.date] = mapped_column(Date)
    way: Mapped[ContactWay] = mapped_column(_enum(ContactWay, "proposal_contact_way"))
    person: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "proposal_contact_route"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProposalEvent(Base):
    """The proposal's history: who did what, for whom, by which route."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "proposal_event_kind"))
    # Null when the system acted (the reply's signature) or an account without an official did.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "proposal_event_route"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProposalReminder(Base):
    """The sweeper's reminder that a step ran past its limit: at most one per proposal and step."""

    __tablename__ = "proposal_reminders"
    __table_args__ = (UniqueConstraint("proposal_id", "step", name="uq_proposal_reminder"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    step: Mapped[LimitStep] = mapped_column(_enum(LimitStep, "proposal_reminder_step"))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
