"""Requests sent up to the county government (domain/incoming_requests.py), and the addressees of documents sent up
(domain/submission.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.documents import ChainRole, Route
from domain.incoming_requests import EventKind, RequestState
from domain.submission import Addressee


class DocumentAddressee(Base):
    """A main addressee (主送机关) the drafter of a document sent up named."""

    __tablename__ = "document_addressees"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    addressee: Mapped[Addressee] = mapped_column(_enum(Addressee, "document_addressee"), primary_key=True)


class IncomingRequestRules(Base):
    """A county's settings for its incoming flow, copied from its rule set's policy file when it is created."""

    __tablename__ = "incoming_request_rules"

    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), primary_key=True)
    number_prefix: Mapped[str] = mapped_column(String(40))
    number_article: Mapped[str] = mapped_column(String(120))
    # From receipt to the leader's instruction, in working days; none where the county's rules set none.
    handling_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    handling_exempt_flags: Mapped[list] = mapped_column(JSON, default=list)
    handling_article: Mapped[str | None] = mapped_column(String(120), nullable=True)


class IncomingRequest(Base):
    """A department's or township's issued request or report, in the government office's hands (收文)."""

    __tablename__ = "incoming_requests"
    __table_args__ = (
        # The incoming register: one gapless series per county and year (收〔2026〕N号).
        UniqueConstraint("county_id", "year", "seq", name="uq_incoming_request_number"),
        Index("ix_incoming_requests_county_state", "county_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    sending_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    state: Mapped[RequestState] = mapped_column(_enum(RequestState, "incoming_request_state"))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The handling limit (000 §51): its working days and article, or why no due time could be counted.
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    deadline: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    registered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The leader the sender addressed personally; the request entered the office's flow all the same (000 §44).
    addressed_to_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    proposal: Mapped[str | None] = mapped_column(Text, nullable=True)
    proposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Whom it is with (or goes to, once proposed), in which role of the signing table, by which row.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    leader_role: Mapped[ChainRole | None] = mapped_column(_enum(ChainRole, "incoming_request_leader_role"),
                                                          nullable=True)
    routing_rule: Mapped[str | None] = mapped_column(String(60), nullable=True)
    routing_article: Mapped[str | None] = mapped_column(String(120), nullable=True)
    presented_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The instruction (批示): a clear opinion, the leader's name and the full date (000 §48; 003 §57).
    instruction: Mapped[str | None] = mapped_column(Text, nullable=True)
    instructed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    instructed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    instructed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reply_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True, unique=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IncomingRequestEvent(Base):
    """A request's history: who did what, for whom, by which route, and to which leader it went."""

    __tablename__ = "incoming_request_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    request_id: Mapped[int] = mapped_column(ForeignKey("incoming_requests.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "incoming_request_event_kind"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "incoming_request_event_route"), nullable=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IncomingRequestReminder(Base):
    """The office's one reminder on a request whose handling ran past its limit; one per request, whatever the
    processes sweeping."""

    __tablename__ = "incoming_request_reminders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("incoming_requests.id"), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
