"""ORM models. Every row belongs to exactly one county (tenant); nothing crosses counties."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal


from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain.documents import (
    Action,
    AssignmentState,
    ChainRole,
    Classification,
    Direction,
    DocumentState,
    Genre,
    Issuer,
    Meeting as DocumentMeeting,
    Route,
    StepState,
)
from domain.accounts import ApiTokenScope
from domain.document_plans import PlanException
from domain.meetings import (
    AttendanceStatus,
    AttendeeKind,
    BodyKind,
    ItemState,
    MeetingState,
    Outcome,
    VoteChoice,
    VoteRoute,
)
from domain.meetings_agenda import ItemKind, MaterialKind
from domain.meetings_emergency import EmergencyState
from domain.meetings_recusal import RecusalReason, RelationKind
from domain.meetings_decisions import DecisionOutcome, DecisionState
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
    # Bumped by every roster change, read with the sign-in: cached cover lookups check it (services.cover).
    roster_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


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
    # Null: never expires (tokens created before expiry existed).
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    scope: Mapped[ApiTokenScope] = mapped_column(_enum(ApiTokenScope, "api_token_scope"),
                                                 default=ApiTokenScope.READ_WRITE,
                                                 server_default=ApiTokenScope.READ_WRITE.value)


class SignInCounter(Base):
    """Failed sign-ins in the current window of one throttle key (services.sign_in_throttle).

    In the database, not in a process's memory, so every server process counts the same attempts.
    """

    __tablename__ = "sign_in_counters"

    # limits' key for the rule and a digest of the username or client address: bounded, never the input.
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, the unit limits' storages work in.
    window_ends: Mapped[float] = mapped_column(Float, index=True)


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


# ---------------------------------------------------------------- documents and approval chains


class Document(Base):
    """An official document (公文) and where it stands."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_county_state", "county_id", "state"),
                      # A number is never given twice (services.issuing).
                      UniqueConstraint("county_id", "issue_number", name="uq_document_issue_number"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[Issuer] = mapped_column(_enum(Issuer, "document_issuer"))
    genre: Mapped[Genre] = mapped_column(_enum(Genre, "document_genre"))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "document_direction"))
    meeting: Mapped[DocumentMeeting] = mapped_column(_enum(DocumentMeeting, "document_meeting"),
                                                   default=DocumentMeeting.NONE)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # Copied out of ``flags`` so the inbox can filter on it with an index on both engines.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    classification: Mapped[Classification] = mapped_column(_enum(Classification, "document_classification"),
                                                           default=Classification.NONE)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    # Requests carry exactly one matter (一文一事); reports carry none (000 §44).
    requested_matters: Mapped[list] = mapped_column(JSON, default=list)
    # Set when the sender addressed a leader personally instead of the office (000 §44).
    addressed_to_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    leader_assigned: Mapped[bool] = mapped_column(Boolean, default=False)
    departmental_matter: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_chair_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    # For documents going to the standing meeting: review deadlines count back from it (003 §61).
    standing_meeting_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    state: Mapped[DocumentState] = mapped_column(_enum(DocumentState, "document_state"), default=DocumentState.DRAFT)
    # Each submission builds a new chain; earlier rounds stay as history.
    round: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Minutes record one meeting, and a meeting has one minutes document (services.meetings_minutes).
    minutes_of_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True, unique=True)
    # The meeting decision the document executes (its MEETING_DECIDED flag follows from it), and the
    # catalogue matter and amount that say whether one is needed (002 细则 §2).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_decisions.id"), index=True, nullable=True)
    matter_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    amount_wan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    # Issuing 印发 (services.issuing): the 发文字号, its year (for lists), the date on the document, when and
    # by whom it was recorded.
    issue_number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    issue_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    # The clock to issuing, started at signing from the deadline table's issue rows (001 §22).
    issue_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    issue_deadline: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # The yearly document plan (003 §62): the entry the document is planned as, or the exception recorded for
    # it, by whom and when; neither: unplanned, where the county has an approved plan for the year.
    plan_entry_id: Mapped[int | None] = mapped_column(ForeignKey("document_plan_entries.id"), nullable=True,
                                                      index=True)
    plan_exception: Mapped[PlanException | None] = mapped_column(_enum(PlanException, "document_plan_exception"),
                                                                 nullable=True)
    plan_exception_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    plan_exception_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    plan_exception_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DocumentCoSponsor(Base):
    __tablename__ = "document_co_sponsors"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)


class ChainStep(Base):
    """One step of a document's approval chain, with the table rows that put it there."""

    __tablename__ = "chain_steps"
    __table_args__ = (UniqueConstraint("document_id", "round", "position", name="uq_chain_step_position"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    action: Mapped[Action] = mapped_column(_enum(Action, "step_action"))
    # Signing steps: any one assignee completes the step; other steps: every assignee acts.
    alternatives: Mapped[bool] = mapped_column(Boolean, default=False)
    rules: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[StepState] = mapped_column(_enum(StepState, "step_state"), default=StepState.WAITING)
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set when the step becomes active, from the rule set's deadline table and the working calendar.
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    deadline: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class StepAssignment(Base):
    """Who, by office, a step waits for — and, once done, who acted, for whom and by which route."""

    __tablename__ = "step_assignments"
    # The inbox: one official's (or the county's) waiting items in id order. Partial, so the index holds
    # only what is waiting, and keyed on id, so a page is read off it (bench: 8.3 ms → 0.2 ms a page).
    __table_args__ = (Index("ix_assignments_waiting", "county_id", "assignee_id", "id",
                            postgresql_where=text("state = 'waiting'"), sqlite_where=text("state = 'waiting'")),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    step_id: Mapped[int] = mapped_column(ForeignKey("chain_steps.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    role: Mapped[ChainRole] = mapped_column(_enum(ChainRole, "chain_role"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    state: Mapped[AssignmentState] = mapped_column(_enum(AssignmentState, "assignment_state"),
                                                   default=AssignmentState.WAITING)
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "action_route"), nullable=True)
    opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    acted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DocumentEvent(Base):
    """The document's own history, in the domain's words: who did what, for whom, by which route."""

    __tablename__ = "document_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("chain_steps.id"), nullable=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("step_assignments.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "event_route"), nullable=True)
    opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a later action undoes this one (a withdrawal or a return).
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class SigningRule(Base):
    """One row of a county's signing-authority table, as loaded into its Casbin enforcer."""

    __tablename__ = "signing_rules"
    __table_args__ = (Index("ix_signing_rules_county", "county_id", "priority"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    priority: Mapped[int] = mapped_column(Integer)
    values: Mapped[list] = mapped_column(JSON)


class IdempotentRequest(Base):
    """The first answer to a request sent with an Idempotency-Key, replayed to its retries."""

    __tablename__ = "idempotent_requests"
    __table_args__ = (UniqueConstraint("account_id", "key", name="uq_idempotency_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Reminder(Base):
    """The office's reminder for a lapsed assignment; at most one per lapse, whatever the processes."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("assignment_id", "lapse", name="uq_reminder_lapse"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("step_assignments.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    # 1: the deadline passed and the office reminds; 2: the reminder's deadline passed too.
    lapse: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CalendarDay(Base):
    """A county's entry in the working calendar: a public holiday, or a swapped workday (调休)."""

    __tablename__ = "calendar_days"
    __table_args__ = (UniqueConstraint("county_id", "day", name="uq_calendar_day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(100), default="")


class CalendarYear(Base):
    """A year whose holidays an administrator has entered in full (the package does not know it yet)."""

    __tablename__ = "calendar_years"
    __table_args__ = (UniqueConstraint("county_id", "year", name="uq_calendar_year"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")


class Circulation(Base):
    """An incoming document circulated to leaders for reading and instructions (阅批, 003 §53)."""

    __tablename__ = "circulations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(200))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    classification: Mapped[Classification] = mapped_column(_enum(Classification, "circulation_classification"),
                                                           default=Classification.NONE)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CirculationReader(Base):
    """A leader on a circulation, in rank order; an instruction, if they gave one."""

    __tablename__ = "circulation_readers"
    __table_args__ = (UniqueConstraint("circulation_id", "official_id", name="uq_circulation_reader"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    circulation_id: Mapped[int] = mapped_column(ForeignKey("circulations.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # Sequential circulations reach one reader at a time; parallel ones everyone at once.
    reached_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    instruction: Mapped[str | None] = mapped_column(Text, nullable=True)


class InstructionRelay(Base):
    """An earlier-ranked leader's instruction passed on to a leader who had already read."""

    __tablename__ = "instruction_relays"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    circulation_id: Mapped[int] = mapped_column(ForeignKey("circulations.id"), index=True)
    from_official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    to_official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    instruction: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MeetingBody(Base):
    """A county's meeting body (全体会议, 常务会议, 党组会议…), copied from its rule set's policies/meetings table."""

    __tablename__ = "meeting_bodies"
    __table_args__ = (UniqueConstraint("county_id", "name", name="uq_meeting_body_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    kind: Mapped[BodyKind] = mapped_column(_enum(BodyKind, "meeting_body_kind"))
    name: Mapped[str] = mapped_column(String(100))
    # The spec's other columns (policies.meetings.BodySpec), as the table file spells them.
    rules: Mapped[dict] = mapped_column(JSON)


class Meeting(Base):
    """One meeting of a body, numbered per body and year without gaps ("2026年第12次县政府常务会议")."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("body_id", "year", "seq", name="uq_meeting_number"),
                      UniqueConstraint("body_id", "minutes_year", "minutes_seq", name="uq_meeting_minutes_number"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("meeting_bodies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    scheduled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)  # the lists' order
    place: Mapped[str] = mapped_column(String(200))
    chair_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    entrusted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    ad_hoc_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    state: Mapped[MeetingState] = mapped_column(_enum(MeetingState, "meeting_state"))
    notice_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Its minutes' number in the body's yearly series, taken when they are signed (002 细则 §6(七)).
    minutes_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    minutes_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class MeetingAttendance(Base):
    """A person at a meeting: a member (listed when it is scheduled), a substitute, an AB partner or 列席."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "official_id", name="uq_meeting_attendee"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)  # "my meetings"
    kind: Mapped[AttendeeKind] = mapped_column(_enum(AttendeeKind, "attendee_kind"))
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus, "attendance_status"))
    # For a substitute or an AB partner: the absent member they attend for.
    for_official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    # For a member on leave: who granted it (001 §24 the magistrate; 003 §52 the chair).
    leave_granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)


class CollectiveMatter(Base):
    """A matter that must go to a body (三重一大 事项目录), copied from its rule set's policies/meetings_matters table."""

    __tablename__ = "collective_matters"
    __table_args__ = (UniqueConstraint("county_id", "code", name="uq_collective_matter_code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    body_kind: Mapped[BodyKind] = mapped_column(_enum(BodyKind, "collective_matter_body_kind"))
    personnel: Mapped[bool] = mapped_column(Boolean, default=False)
    # In 万元: the matter needs the body from this amount on; null = always.
    threshold_wan: Mapped[int | None] = mapped_column(Integer, nullable=True)
    required_materials: Mapped[list] = mapped_column(JSON)
    # A normative draft is SENT to legality review at least this many working days before the meeting (003 §61).
    legality_review_lead_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    article: Mapped[str] = mapped_column(String(200))


class AgendaItem(Base):
    """An item (议题): proposed to a body, coordinated, checked, accepted, scheduled on a meeting and noticed."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("meeting_bodies.id"), index=True)
    # Null until the office schedules the item on a meeting of its body.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True, nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind, "agenda_item_kind"), default=ItemKind.DECISION)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("collective_matters.id"), nullable=True)
    sponsor_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    coordinated_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    deferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), nullable=True)
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set while the item waits for the body's first meeting scheduled after this moment (a deferred item, a report).
    next_meeting_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # When the notice that lists it went out (002 细则 §6(三)).
    noticed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    is_personnel: Mapped[bool] = mapped_column(Boolean, default=False)
    member_in_charge_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    # Whom a personnel item is about: [{"official_id": id or null, "name": ...}] (002 人事 §23).
    persons_concerned: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[ItemState] = mapped_column(_enum(ItemState, "agenda_item_state"), index=True)
    # Computed when the item is decided (never typed); the chair's words in chair-decides bodies.
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "agenda_item_outcome"), nullable=True)
    conclusion: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MeetingVote(Base):
    """A member's named vote on an item (细则 §6(五)); one per member and item."""

    __tablename__ = "meeting_votes"
    __table_args__ = (UniqueConstraint("item_id", "official_id", name="uq_meeting_vote"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    choice: Mapped[VoteChoice] = mapped_column(_enum(VoteChoice, "vote_choice"))
    cast_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A show of hands the office recorded on the member's behalf: who recorded it (null: cast in person, or by
    # an administrator's account, which the audit trail names).
    route: Mapped[VoteRoute] = mapped_column(_enum(VoteRoute, "vote_route"), default=VoteRoute.IN_PERSON)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)


class AgendaItemMaterial(Base):
    """A material an item goes to the office with (002 三重一大 二(三)); metadata only, no file is stored."""

    __tablename__ = "agenda_item_materials"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    kind: Mapped[MaterialKind] = mapped_column(_enum(MaterialKind, "agenda_material_kind"))
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    file_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    file_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A legality opinion: the day the draft went to the legal office (003 §61).
    sent_for_review_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # A consultation (三重一大 二(二)): whom, when, by when; the reply, or deemed consent once reply_by passed.
    consulted_unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply_by: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    replied_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WrittenOpinion(Base):
    """An absent member's written view on an item: shown and used for deferral, never a vote (细则 §6(四)(五))."""

    __tablename__ = "written_opinions"
    __table_args__ = (UniqueConstraint("item_id", "official_id", name="uq_written_opinion"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    stance: Mapped[VoteChoice] = mapped_column(_enum(VoteChoice, "written_opinion_stance"))
    text: Mapped[str] = mapped_column(Text)


class MeetingDecision(Base):
    """A decision (决定事项) taken on a decided item, who carries it out by when, and where its execution stands."""

    __tablename__ = "meeting_decisions"
    __table_args__ = (Index("ix_meeting_decisions_county_state", "county_id", "state"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    # One decision per item: the record of what the chair declared on it.
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(_enum(DecisionOutcome, "meeting_decision_outcome"))
    state: Mapped[DecisionState] = mapped_column(_enum(DecisionState, "meeting_decision_state"))
    text: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text, default="")
    responsible_department_ids: Mapped[list] = mapped_column(JSON, default=list)
    responsible_person_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True)
    # A fixed day, or so many working days from the meeting's end (002 细则 §12); at most one of the two.
    deadline_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deadline_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    supervision: Mapped[str] = mapped_column(Text, default="")
    publishable: Mapped[bool] = mapped_column(Boolean, default=False)
    report_to_party_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    adopted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A major change before the body (三重一大 二(七)): the item placed for it, why, and the state to return to
    # when the body does not change the decision.
    change_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), nullable=True)
    change_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    state_before_change: Mapped[DecisionState | None] = mapped_column(
        _enum(DecisionState, "meeting_decision_state_before_change"), nullable=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_decisions.id"), nullable=True)
    suspension_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


# ---------------------------------------------------------------- recusal, minutes clocks, emergency decisions


class OfficialRelation(Base):
    """The relation register: an official's relative (002 人事 §18), another official or a person named outside
    the roster. Sensitive: only the roster's administrator and the discipline inspector read it."""

    __tablename__ = "official_relations"
    __table_args__ = (
        CheckConstraint("relative_id IS NOT NULL OR relative_name IS NOT NULL", name="ck_relation_relative"),
        CheckConstraint("relative_id IS NULL OR relative_id <> official_id", name="ck_relation_not_self"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    relative_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), nullable=True, index=True)
    relative_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kind: Mapped[RelationKind] = mapped_column(_enum(RelationKind, "relation_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MeetingRecusal(Base):
    """A member recused from an item (002 人事 §23): no vote, no counted written opinion."""

    __tablename__ = "meeting_recusals"
    __table_args__ = (UniqueConstraint("item_id", "official_id", name="uq_meeting_recusal"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    reason: Mapped[RecusalReason] = mapped_column(_enum(RecusalReason, "recusal_reason"))
    # Copied from the register when automatic, so the record stands if the register changes later.
    relation_kind: Mapped[RelationKind | None] = mapped_column(_enum(RelationKind, "recusal_relation_kind"),
                                                               nullable=True)
    concerning: Mapped[str | None] = mapped_column(String(100), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    raised_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MinutesReminder(Base):
    """The office's reminder that a meeting's minutes are late (003 §46); at most one per meeting and clock."""

    __tablename__ = "minutes_reminders"
    __table_args__ = (UniqueConstraint("meeting_id", "clock", name="uq_minutes_reminder"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    clock: Mapped[str] = mapped_column(String(20))  # "draft" or "sign"
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class EmergencyDecision(Base):
    """A decision taken without a meeting (临机处置, 000 §7; 002 细则 §17), to be reported to the body."""

    __tablename__ = "meeting_emergency_decisions"
    __table_args__ = (Index("ix_emergency_decisions_county_state", "county_id", "state"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("meeting_bodies.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    matter: Mapped[str] = mapped_column(String(300))
    reasons: Mapped[str] = mapped_column(Text)
    state: Mapped[EmergencyState] = mapped_column(_enum(EmergencyState, "emergency_decision_state"))
    # The report item on the body's next meeting; a carried report points at the newest one.
    report_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), nullable=True, index=True)
    recorded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


# Each later system keeps its tables in its own module; imported here so Base.metadata holds them all.
from db import (  # noqa: E402,F401
    models_disclosure, models_duties, models_incoming, models_issuing, models_powers, models_proposals, models_supervision,
)
