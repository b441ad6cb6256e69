"""Duties (domain/duties.py): one task of one subject waiting for one official."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, BigId, UTCDateTime, _enum, utcnow
from domain.documents import Route
from domain.duties import SubjectKind


class Duty(Base):
    __tablename__ = "duties"
    __table_args__ = (
        # "What waits for me": open duties by official, on both engines.
        Index("ix_duties_open_by_official", "official_id", "created_at",
              postgresql_where=text("settled_at IS NULL"), sqlite_where=text("settled_at IS NULL")),
        # A subject's open duties (services.duties.open_on), and at most one open duty of a task per official.
        Index("uq_duties_open_task", "subject_kind", "subject_id", "task", "official_id", unique=True,
              postgresql_where=text("settled_at IS NULL"), sqlite_where=text("settled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))  # whose duty it is, by office
    subject_kind: Mapped[SubjectKind] = mapped_column(_enum(SubjectKind, "duty_subject_kind"))
    subject_id: Mapped[int] = mapped_column(BigId)
    task: Mapped[str] = mapped_column(String(40))  # the subject system's task code
    title: Mapped[str] = mapped_column(String(300))  # what to do, in words, for the inbox line
    article: Mapped[str] = mapped_column(String(120))  # the rule that puts the duty on this person
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    settled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Who settled it and how: in person, or covering for the official (their route), or someone else
    # of the same desk settling the subject (route None: the duty lapsed as not needed).
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    settled_route: Mapped[Route | None] = mapped_column(_enum(Route, "duty_settled_route"), nullable=True)
