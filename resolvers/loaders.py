"""Per-request DataLoaders: one SQL statement per batch, whatever the page size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from db.engine import ReadSession
from db.models import (
    AbPair,
    AgendaItem,
    AgendaItemMaterial,
    ChainStep,
    County,
    Department,
    Document,
    DocumentCoSponsor,
    DocumentEvent,
    MeetingAttendance,
    MeetingRecusal,
    MinutesReminder,
    MeetingVote,
    Official,
    PortfolioAssignment,
    Position,
    StepAssignment,
    WrittenOpinion,
)
from db.models_issuing import DocumentPlanEntry, DocumentRecipient
from db.models_incoming import DocumentAddressee
from db.periods import held_on
from domain.calendar import WorkingCalendar
from domain.roster import Role
from domain.submission import Addressee

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")
SessionGetter = Callable[[], Awaitable[ReadSession]]


def _by_dates(keys: Sequence[tuple[int, dt.date]]) -> dict[dt.date, list[int]]:
    grouped: dict[dt.date, list[int]] = defaultdict(list)
    for key_id, on in keys:
        grouped[on].append(key_id)
    return grouped


class Loaders:
    def __init__(self, session: SessionGetter) -> None:
        self._session = session
        self._rows: dict[type, DataLoader] = {}
        self._children_of: dict[tuple[type, str], DataLoader] = {}
        self.county = self.rows(County)
        self.department = self.rows(Department)
        self.official = self.rows(Official)
        self.positions_of_official = DataLoader(self._load_positions_of_official)
        self.holders_in_department = DataLoader(self._load_holders_in_department)
        self.portfolio_of = DataLoader(self._load_portfolio_of)
        self.leader_in_charge = DataLoader(self._load_leader_in_charge)
        self.ab_partner = DataLoader(self._load_ab_partner)
        self.steps_of_document = DataLoader(self._load_steps_of_document)
        self.assignments_of_step = DataLoader(self._load_assignments_of_step)
        self.events_of_document = DataLoader(self._children(DocumentEvent, DocumentEvent.document_id))
        self.co_sponsors_of_document = DataLoader(self._load_co_sponsors)
        self.addressees_of_document = DataLoader(self._load_addressees)
        self.attendance_of_meeting = DataLoader(self._children(MeetingAttendance, MeetingAttendance.meeting_id))
        self.items_of_meeting = DataLoader(self._children(AgendaItem, AgendaItem.meeting_id))
        self.votes_of_item = DataLoader(self._children(MeetingVote, MeetingVote.item_id))
        self.opinions_of_item = DataLoader(self._children(WrittenOpinion, WrittenOpinion.item_id))
        self.recusals_of_item = DataLoader(self._children(MeetingRecusal, MeetingRecusal.item_id))
        self.minutes_of_meeting = DataLoader(self._children(Document, Document.minutes_of_meeting_id))
        self.minutes_reminders_of_meeting = DataLoader(self._children(MinutesReminder, MinutesReminder.meeting_id))
        self.materials_of_item = DataLoader(self._children(AgendaItemMaterial, AgendaItemMaterial.item_id))
        self.documents_of_decision = DataLoader(self._load_documents_of_decision)
        self.calendar_of_county = DataLoader(self._load_calendars)
        self.recipients_of_document = DataLoader(self._children(DocumentRecipient, DocumentRecipient.document_id))
        self.entries_of_plan = DataLoader(self._children(DocumentPlanEntry, DocumentPlanEntry.plan_id))

    def rows(self, model) -> DataLoader:
        """Rows of ``model`` by primary key (None where missing)."""
        if model not in self._rows:

            async def load(ids: list[int]):
                session = await self._session()
                found = {row.id: row for row in (await session.execute(select(model).where(model.id.in_(ids)))).scalars()}
                return [found.get(i) for i in ids]

            self._rows[model] = DataLoader(load)
        return self._rows[model]

    def children(self, model, parent_column) -> DataLoader:
        """Rows of ``model`` by ``parent_column``, in id order: one loader per request and column."""
        key = (model, parent_column.key)
        if key not in self._children_of:
            self._children_of[key] = DataLoader(self._children(model, parent_column))
        return self._children_of[key]

    def _children(self, model, parent_column):
        """Rows of ``model`` grouped by ``parent_column``, in primary key (id) order."""

        async def load(parent_ids: list[int]) -> list[list]:
            session = await self._session()
            rows = (await session.execute(select(model).where(parent_column.in_(parent_ids))
                                          .order_by(*model.__table__.primary_key.columns))).scalars()
            return _group(rows, parent_ids, lambda row: getattr(row, parent_column.key))

        return load

    def prime(self, model, rows) -> None:
        """Rows already read (e.g. joined into a page query) need no second statement."""
        loader = self.rows(model)
        for row in rows:
            loader.prime(row.id, row)

    async def _load_assignments_of_step(self, step_ids: list[int]) -> list[list[StepAssignment]]:
        """Each step's assignments with their assignees, in one statement."""
        session = await self._session()
        rows = (await session.execute(
            select(StepAssignment, Official).join(Official, Official.id == StepAssignment.assignee_id)
            .where(StepAssignment.step_id.in_(step_ids)).order_by(StepAssignment.id))).all()
        self.prime(Official, (official for _, official in rows))
        return _group((assignment for assignment, _ in rows), step_ids, lambda a: a.step_id)

    async def _load_steps_of_document(self, keys: list[tuple[int, int]]) -> list[list[ChainStep]]:
        """Each document's steps in the given round, in chain order."""
        session = await self._session()
        rows = (await session.execute(
            select(ChainStep).where(ChainStep.document_id.in_([document_id for document_id, _ in keys]))
            .order_by(ChainStep.position))).scalars()
        return _group(rows, keys, lambda step: (step.document_id, step.round))

    async def _load_co_sponsors(self, document_ids: list[int]) -> list[list[int]]:
        session = await self._session()
        rows = await session.execute(
            select(DocumentCoSponsor.document_id, DocumentCoSponsor.department_id)
            .where(DocumentCoSponsor.document_id.in_(document_ids)).order_by(DocumentCoSponsor.department_id))
        grouped: dict[int, list[int]] = defaultdict(list)
        for document_id, department_id in rows:
            grouped[document_id].append(department_id)
        return [grouped.get(i, []) for i in document_ids]

    async def _load_addressees(self, document_ids: list[int]) -> list[list[Addressee]]:
        session = await self._session()
        rows = await session.execute(
            select(DocumentAddressee.document_id, DocumentAddressee.addressee)
            .where(DocumentAddressee.document_id.in_(document_ids)).order_by(DocumentAddressee.addressee))
        grouped: dict[int, list[Addressee]] = defaultdict(list)
        for document_id, addressee in rows:
            grouped[document_id].append(addressee)
        return [grouped.get(i, []) for i in document_ids]

    async def _load_documents_of_decision(self, decision_ids: list[int]) -> list[list[int]]:
        """The ids of the documents executing each decision, oldest first."""
        session = await self._session()
        rows = await session.execute(select(Document.decision_id, Document.id)
                                     .where(Document.decision_id.in_(decision_ids)).order_by(Document.id))
        grouped: dict[int, list[int]] = defaultdict(list)
        for decision_id, document_id in rows:
            grouped[decision_id].append(document_id)
        return [grouped.get(i, []) for i in decision_ids]

    async def _load_calendars(self, county_ids: list[int]) -> list[WorkingCalendar]:
        # Imported here: services.calendar → tenancy → meetings → … → documents → deadlines → calendar.
        from services.calendar import calendar_for

        session = await self._session()
        return [await calendar_for(session, county_id=county_id) for county_id in county_ids]

    async def _load_positions_of_official(self, official_ids: list[int]) -> list[list[Position]]:
        """All holdings, ended ones included, oldest first."""
        session = await self._session()
        rows = (
            await session.execute(
                select(Position)
                .where(Position.official_id.in_(official_ids))
                .order_by(Position.effective_from, Position.id)
            )
        ).scalars()
        return _group(rows, official_ids, lambda p: p.official_id)

    async def _load_holders_in_department(self, keys: list[tuple[int, dt.date]]) -> list[list[Position]]:
        """Principal and deputies of each department on a day, principal first, deputies by rank."""
        session = await self._session()
        result: dict[tuple[int, dt.date], list[Position]] = defaultdict(list)
        for on, department_ids in _by_dates(keys).items():
            rows = (
                await session.execute(
                    select(Position)
                    .where(Position.department_id.in_(department_ids), held_on(Position, on))
                    .order_by(Position.role, Position.deputy_rank, Position.id)
                )
            ).scalars()
            for row in rows:
                result[(row.department_id, on)].append(row)
        for holders in result.values():
            holders.sort(key=lambda p: (p.role != Role.DEPARTMENT_PRINCIPAL, p.deputy_rank or 0, p.id))
        return [result.get(key, []) for key in keys]

    async def _load_portfolio_of(self, keys: list[tuple[int, dt.date]]) -> list[list[PortfolioAssignment]]:
        session = await self._session()
        result: dict[tuple[int, dt.date], list[PortfolioAssignment]] = defaultdict(list)
        for on, official_ids in _by_dates(keys).items():
            rows = (
                await session.execute(
                    select(PortfolioAssignment)
                    .where(PortfolioAssignment.official_id.in_(official_ids), held_on(PortfolioAssignment, on))
                    .order_by(PortfolioAssignment.id)
                )
            ).scalars()
            for row in rows:
                result[(row.official_id, on)].append(row)
        return [result.get(key, []) for key in keys]

    async def _load_leader_in_charge(self, keys: list[tuple[int, dt.date]]) -> list[int | None]:
        session = await self._session()
        result: dict[tuple[int, dt.date], int] = {}
        for on, department_ids in _by_dates(keys).items():
            rows = await session.execute(
                select(PortfolioAssignment.department_id, PortfolioAssignment.official_id).where(
                    PortfolioAssignment.department_id.in_(department_ids), held_on(PortfolioAssignment, on)
                )
            )
            for department_id, official_id in rows:
                result[(department_id, on)] = official_id
        return [result.get(key) for key in keys]

    async def _load_ab_partner(self, keys: list[tuple[int, dt.date]]) -> list[AbPair | None]:
        session = await self._session()
        result: dict[tuple[int, dt.date], AbPair] = {}
        for on, official_ids in _by_dates(keys).items():
            rows = (
                await session.execute(
                    select(AbPair).where(
                        (AbPair.official_a_id.in_(official_ids) | AbPair.official_b_id.in_(official_ids)),
                        held_on(AbPair, on),
                    )
                )
            ).scalars()
            for pair in rows:
                result[(pair.official_a_id, on)] = pair
                result[(pair.official_b_id, on)] = pair
        return [result.get(key) for key in keys]


def now_or_later(loader: DataLoader[K, V], key: K, convert: Callable[[V], R]) -> R | Awaitable[R]:
    """``convert`` of the loaded value at once when this request has already read it, else an awaitable.

    A field that returns a plain value is completed without a coroutine, a task and their scheduling,
    which cost more than the rest of the field; most nested fields find their rows primed by the
    query above them (the inbox reads its page with steps, documents and officials in one statement).
    """
    future = loader.cache_map.get(key)
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return convert(future.result())
    return _convert_when_loaded(loader, key, convert)


async def _convert_when_loaded(loader: DataLoader[K, V], key: K, convert: Callable[[V], R]) -> R:
    return convert(await loader.load(key))


def _group(rows: Iterable, keys: list[K], key_of: Callable) -> list[list]:
    grouped: dict[K, list] = defaultdict(list)
    for row in rows:
        grouped[key_of(row)].append(row)
    return [grouped.get(key, []) for key in keys]
