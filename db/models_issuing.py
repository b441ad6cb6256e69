"""Tables of issuing (印发, 发文字号) and of the yearly document plan (003 §62)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.document_plans import PlanState
from domain.documents import Issuer, Route
from domain.issuing import DistributionKind


class IssueSeries(Base):
    """A county's 发文字号 series: which prefix an issuer's documents of a genre take (延政, 卢政发, 延交…).

    Copied from the rule set's policies/issuing table when the county is created; a department's own series
    is a row naming the department. Numbers run per prefix and year (IssueCounter).
    """

    __tablename__ = "issue_series"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    issuer: Mapped[Issuer] = mapped_column(_enum(Issuer, "issue_series_issuer"))
    genre: Mapped[str] = mapped_column(String(40))  # a genre value, or "*" for any
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    prefix: Mapped[str] = mapped_column(String(40))
    article: Mapped[str] = mapped_column(String(200))


class IssueCounter(Base):
    """The last number given in one prefix and year; read and raised under the county's lock, in the issuing
    transaction, so numbers are consecutive and a rolled-back issue leaves no gap."""

    __tablename__ = "issue_counters"
    __table_args__ = (UniqueConstraint("county_id", "prefix", "year", name="uq_issue_counter"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    prefix: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)


class DocumentRecipient(Base):
    """A line of an issued document's distribution list: 主送 or 抄送, a department or an outside organ."""

    __tablename__ = "document_recipients"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[DistributionKind] = mapped_column(_enum(DistributionKind, "distribution_kind"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    organ: Mapped[str | None] = mapped_column(String(200), nullable=True)
    position: Mapped[int] = mapped_column(Integer)


class IssueReminder(Base):
    """The office's one reminder that a signed document is late for issuing (001 §22)."""

    __tablename__ = "issue_reminders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class DocumentPlan(Base):
    """The county government's document plan for one year (年度发文计划, 003 §62)."""

    __tablename__ = "document_plans"
    __table_args__ = (UniqueConstraint("county_id", "year", name="uq_document_plan_year"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[PlanState] = mapped_column(_enum(PlanState, "document_plan_state"))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Who approved, for whom when covering, and by which route.
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    approved_for_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    approved_route: Mapped[Route | None] = mapped_column(_enum(Route, "document_plan_approved_route"),
                                                         nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The approver's reason when the plan went back to the office; cleared when it is submitted again.
    returned_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class DocumentPlanEntry(Base):
    """A document the plan foresees: its title, issuer, lead department and quarter."""

    __tablename__ = "document_plan_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("document_plans.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[Issuer] = mapped_column(_enum(Issuer, "document_plan_entry_issuer"))
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    quarter: Mapped[int] = mapped_column(Integer)
