"""Roster files: what `qianfa roster import` reads and `qianfa roster export` writes.

Import matches officials by staff ``code`` and departments by ``name``, so applying a file twice changes
nothing the second time. It adds and updates; it never ends a position, portfolio or AB pair the file
leaves out (do that through the API). Export writes the current roster: serving officials, positions not
yet ended, portfolios and AB pairs in force, absences not yet over. Importing an export into an empty
county therefore reproduces the roster.

YAML
----
Every section is optional::

    departments:                  # kind: a DepartmentKind value
      - {name: 县政府办公室, kind: government_office}
      - {name: 财政局, kind: working}
    officials:
      - code: MAG                 # staff code, unique in the county
        name: 李明远
        rank_order: 1             # 排序, 1 first
        positions:                # role: a Role value; department only for department roles
          - {role: magistrate, from: 2024-01-01}
      - code: FIN2
        name: 孙立新
        rank_order: 12
        positions:
          - {role: department_deputy, department: 财政局, deputy_rank: 1, from: 2024-01-01}
    portfolios:                   # the vice magistrate's whole portfolio (分管) from that day
      - {official: EVM, from: 2024-01-01, departments: [县政府办公室, 财政局]}
    ab_pairs:                     # 对应AB角
      - {a: EVM, b: VM1, from: 2024-01-01}
    absences:                     # times with their UTC offset; acting and note are optional
      - {official: VM2, starts_at: "2026-11-23T08:00:00+08:00", ends_at: "2026-11-27T18:00:00+08:00",
         reason: business_trip, acting: VM3, note: 赴省厅汇报}

Positions are open-ended: an end date already scheduled is not carried by either format.

CSV
---
UTF-8 (a spreadsheet's BOM is fine), one row per official and position, with this header::

    code,name,rank_order,role,department,department_kind,deputy_rank,effective_from
    MAG,李明远,1,magistrate,,,,2024-01-01
    FIN2,孙立新,12,department_deputy,财政局,working,1,2024-01-01
    ,,,,交通运输局,working,,

An official with several positions has several rows that repeat code, name and rank_order. A row without
a role lists an official who holds nothing yet; a row without a code lists a department nobody works in
yet. ``department_kind`` is required wherever a department is named. CSV carries no portfolios, AB pairs
or absences: use YAML for those.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from domain.errors import DomainError, ErrorCode
from domain.roster import LOCAL_TZ, AbsenceReason, DepartmentKind, Role

CSV_COLUMNS = ("code", "name", "rank_order", "role", "department", "department_kind", "deputy_rank",
               "effective_from")

# Services name fields as the GraphQL API does; problems report them as the file names them.
YAML_FIELDS = {
    "rankOrder": "rank_order", "deputyRank": "deputy_rank", "effectiveFrom": "from", "officialId": "official",
    "departmentId": "department", "departmentIds": "departments", "officialAId": "a", "officialBId": "b",
    "actingOfficialId": "acting", "startsAt": "starts_at", "endsAt": "ends_at",
}
CSV_FIELDS = {**YAML_FIELDS, "effectiveFrom": "effective_from", "officialId": "code", "kind": "department_kind"}


@dataclass(frozen=True)
class Problem:
    """Why one entry of a roster file cannot be applied."""

    where: str
    field: str | None
    code: str
    message: str

    def __str__(self) -> str:
        at_field = f" {self.field}" if self.field else ""
        return f"{self.where}{at_field}: {self.code}: {self.message}"


# Entries keep ``where`` in the file they came from, to report problems; read from the database, they have none.


@dataclass(frozen=True)
class DepartmentEntry:
    name: str
    kind: DepartmentKind
    where: str = ""


@dataclass(frozen=True)
class OfficialEntry:
    code: str
    name: str
    rank_order: int
    where: str = ""


@dataclass(frozen=True)
class PositionEntry:
    official: str
    role: Role
    department: str | None
    deputy_rank: int | None
    effective_from: dt.date
    where: str = ""


@dataclass(frozen=True)
class PortfolioEntry:
    official: str
    departments: tuple[str, ...]
    effective_from: dt.date
    where: str = ""


@dataclass(frozen=True)
class AbPairEntry:
    a: str
    b: str
    effective_from: dt.date
    where: str = ""


@dataclass(frozen=True)
class AbsenceEntry:
    official: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: AbsenceReason
    acting: str | None
    note: str
    where: str = ""


@dataclass
class RosterFile:
    departments: list[DepartmentEntry] = field(default_factory=list)
    officials: list[OfficialEntry] = field(default_factory=list)
    positions: list[PositionEntry] = field(default_factory=list)
    portfolios: list[PortfolioEntry] = field(default_factory=list)
    ab_pairs: list[AbPairEntry] = field(default_factory=list)
    absences: list[AbsenceEntry] = field(default_factory=list)
    # What could not be read, and the keys of those entries: checks that need them are skipped
    # rather than reported again.
    problems: list[Problem] = field(default_factory=list)
    unreadable_departments: set[str] = field(default_factory=set)
    unreadable_officials: set[str] = field(default_factory=set)
    field_names: Mapping[str, str] = field(default_factory=lambda: YAML_FIELDS)

    def problem_from(self, where: str, error: DomainError) -> Problem:
        """A service's DomainError as a problem with this file's field names."""
        field_name = self.field_names.get(error.field, error.field) if error.field else None
        return Problem(where, field_name, error.code.value, error.message)


# ---------------------------------------------------------------- reading


_Choice = TypeVar("_Choice", bound=enum.Enum)


class _Fields:
    """Reads one entry's fields, collecting every problem instead of stopping at the first."""

    def __init__(self, where: str, raw, known: Iterable[str], problems: list[Problem]) -> None:
        self.where = where
        self.problems = problems
        self.ok = True
        if not isinstance(raw, Mapping):
            self.problem(None, "Expected a mapping of fields.")
            raw = {}
        self.raw = raw
        for key in raw:
            if key not in known:
                self.problem(str(key), f"Unknown field {key!r}.")

    def problem(self, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(self.where, field_name, ErrorCode.INVALID.value, message))
        self.ok = False

    def _value(self, key: str, required: bool):
        value = self.raw.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if required:
                self.problem(key, "Required.")
            return None
        return value

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            # YAML reads 007 as the number 7: a code or name that looks like a number must be quoted.
            self.problem(key, f"Expected text, not {value!r}; quote it.")
            return None
        return value

    def integer(self, key: str, *, required: bool = True) -> int | None:
        value = self._value(key, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        self.problem(key, f"Expected a whole number, not {value!r}.")
        return None

    def day(self, key: str) -> dt.date | None:
        value = self._value(key, True)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(key, f"Expected a date like 2024-01-01, not {value!r}.")
            return None

    def moment(self, key: str) -> dt.datetime | None:
        value = self._value(key, True)
        if value is None:
            return None
        try:
            moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.problem(key, f"Expected a time with its UTC offset like 2026-11-23T08:00:00+08:00, not {value!r}.")
            return None
        return moment

    def choice(self, key: str, choices: type[_Choice], *, required: bool = True) -> _Choice | None:
        value = self._value(key, required)
        if value is None:
            return None
        try:
            return choices(value)
        except ValueError:
            allowed = ", ".join(member.value for member in choices)
            self.problem(key, f"{value!r} is not one of: {allowed}.")
            return None

    def names(self, key: str) -> tuple[str, ...] | None:
        value = self._value(key, True)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.problem(key, "Expected a list of names.")
            return None
        return tuple(item.strip() for item in value)


def read_roster_file(path: Path) -> RosterFile:
    """Parse a roster file, choosing the format by its extension."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        roster = RosterFile()
        roster.problems.append(Problem(path.name, None, ErrorCode.INVALID.value,
                                       "Roster files end in .yaml, .yml or .csv."))
        return roster
    text = path.read_text(encoding="utf-8-sig")
    return parse_csv(text) if suffix == ".csv" else parse_yaml(text)


class _TextDatesLoader(yaml.SafeLoader):
    """Leaves dates and times as text: PyYAML fails the whole file on one like 2024-02-30, not the entry."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str):
    return yaml.load(text, Loader=_TextDatesLoader)


def parse_yaml(text: str) -> RosterFile:
    try:
        document = load_yaml(text)
    except yaml.YAMLError as error:
        roster = RosterFile()
        roster.problems.append(Problem("file", None, ErrorCode.INVALID.value, f"Not valid YAML: {error}"))
        return roster
    return parse_document(document or {})


_SECTIONS = ("departments", "officials", "portfolios", "ab_pairs", "absences")


def parse_document(document) -> RosterFile:
    """A roster from YAML data already loaded (``seed-demo`` adds to the demo file before importing)."""
    roster = RosterFile()
    if not isinstance(document, Mapping):
        roster.problems.append(Problem("file", None, ErrorCode.INVALID.value, "Expected sections by name."))
        return roster
    sections = {}
    for key, value in document.items():
        if key not in _SECTIONS:
            roster.problems.append(Problem("file", str(key), ErrorCode.INVALID.value,
                                           f"Unknown section {key!r}; sections are {', '.join(_SECTIONS)}."))
        elif value is not None and not isinstance(value, list):
            roster.problems.append(Problem("file", key, ErrorCode.INVALID.value, "Expected a list."))
        else:
            sections[key] = value or []
    _read_departments(roster, sections.get("departments", []))
    _read_officials(roster, sections.get("officials", []))
    _read_portfolios(roster, sections.get("portfolios", []))
    _read_ab_pairs(roster, sections.get("ab_pairs", []))
    _read_absences(roster, sections.get("absences", []))
    return roster


def _duplicate(roster: RosterFile, where: str, field_name: str, key: str, first_at: dict[str, str]) -> bool:
    if key in first_at:
        roster.problems.append(Problem(where, field_name, ErrorCode.DUPLICATE.value,
                                       f"{key!r} is listed twice (first at {first_at[key]})."))
        return True
    first_at[key] = where
    return False


def _read_departments(roster: RosterFile, items: list) -> None:
    first_at: dict[str, str] = {}
    for number, raw in enumerate(items, 1):
        name = raw.get("name") if isinstance(raw, Mapping) else None
        where = f"department {number}" + (f" ({name})" if name else "")
        fields = _Fields(where, raw, ("name", "kind"), roster.problems)
        name, kind = fields.text("name"), fields.choice("kind", DepartmentKind)
        if name and _duplicate(roster, where, "name", name, first_at):
            continue
        if fields.ok:
            roster.departments.append(DepartmentEntry(name, kind, where))
        elif name:
            roster.unreadable_departments.add(name)


def _read_officials(roster: RosterFile, items: list) -> None:
    first_at: dict[str, str] = {}
    for number, raw in enumerate(items, 1):
        code = raw.get("code") if isinstance(raw, Mapping) else None
        where = f"official {number}" + (f" ({code})" if code else "")
        fields = _Fields(where, raw, ("code", "name", "rank_order", "positions"), roster.problems)
        code, name, rank_order = fields.text("code"), fields.text("name"), fields.integer("rank_order")
        if code and _duplicate(roster, where, "code", code, first_at):
            continue
        if fields.ok:
            roster.officials.append(OfficialEntry(code, name, rank_order, where))
        elif code:
            roster.unreadable_officials.add(code)
        positions = fields.raw.get("positions") or []
        if not isinstance(positions, list):
            roster.problems.append(Problem(where, "positions", ErrorCode.INVALID.value, "Expected a list."))
            continue
        for position_number, raw_position in enumerate(positions, 1):
            position_where = f"{where}, position {position_number}"
            position = _Fields(position_where, raw_position, ("role", "department", "deputy_rank", "from"),
                               roster.problems)
            role = position.choice("role", Role)
            department = position.text("department", required=False)
            deputy_rank = position.integer("deputy_rank", required=False)
            effective_from = position.day("from")
            if position.ok and code:
                roster.positions.append(
                    PositionEntry(code, role, department, deputy_rank, effective_from, position_where)
                )


def _read_portfolios(roster: RosterFile, items: list) -> None:
    first_at: dict[str, str] = {}
    for number, raw in enumerate(items, 1):
        official = raw.get("official") if isinstance(raw, Mapping) else None
        where = f"portfolio {number}" + (f" ({official})" if official else "")
        fields = _Fields(where, raw, ("official", "from", "departments"), roster.problems)
        official, effective_from = fields.text("official"), fields.day("from")
        departments = fields.names("departments")
        # Each entry is a whole portfolio: two for one official would undo each other.
        if official and _duplicate(roster, where, "official", official, first_at):
            continue
        if fields.ok:
            roster.portfolios.append(PortfolioEntry(official, departments, effective_from, where))


def _read_ab_pairs(roster: RosterFile, items: list) -> None:
    for number, raw in enumerate(items, 1):
        where = f"AB pair {number}"
        fields = _Fields(where, raw, ("a", "b", "from"), roster.problems)
        a, b, effective_from = fields.text("a"), fields.text("b"), fields.day("from")
        if fields.ok:
            roster.ab_pairs.append(AbPairEntry(a, b, effective_from, f"{where} ({a}, {b})"))


def _read_absences(roster: RosterFile, items: list) -> None:
    for number, raw in enumerate(items, 1):
        official = raw.get("official") if isinstance(raw, Mapping) else None
        where = f"absence {number}" + (f" ({official})" if official else "")
        fields = _Fields(where, raw, ("official", "starts_at", "ends_at", "reason", "acting", "note"),
                         roster.problems)
        entry = (fields.text("official"), fields.moment("starts_at"), fields.moment("ends_at"),
                 fields.choice("reason", AbsenceReason), fields.text("acting", required=False),
                 fields.text("note", required=False) or "")
        if fields.ok:
            roster.absences.append(AbsenceEntry(*entry, where=where))


def parse_csv(text: str) -> RosterFile:
    roster = RosterFile(field_names=CSV_FIELDS)
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in CSV_COLUMNS if column not in header]
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if missing or unknown:
        message = "The header must be: " + ",".join(CSV_COLUMNS) + "."
        for column in missing + unknown:
            roster.problems.append(Problem("row 1", column, ErrorCode.INVALID.value,
                                           f"{'Missing' if column in missing else 'Unknown'} column. {message}"))
        return roster
    reader.fieldnames = header
    departments: dict[str, tuple[DepartmentKind, str]] = {}
    officials: dict[str, tuple[str, int, str]] = {}
    for row in reader:
        where = f"row {reader.line_num}"
        fields = _Fields(where, {key: value for key, value in row.items() if key is not None}, CSV_COLUMNS,
                         roster.problems)
        if None in row:
            fields.problem(None, f"More values than the {len(CSV_COLUMNS)} columns.")
        code, department = fields.text("code", required=False), fields.text("department", required=False)
        if code is None and department is None:
            fields.problem("code", "A row names an official, a department or both.")
            continue
        official = (fields.text("name"), fields.integer("rank_order")) if code else None
        kind = fields.choice("department_kind", DepartmentKind) if department else None
        role = fields.choice("role", Role, required=False)
        if role is not None and code is None:
            fields.problem("code", "A position needs the official's code.")
        position = (fields.integer("deputy_rank", required=False), fields.day("effective_from")) if role else None
        if department and fields.ok and department in departments and departments[department][0] != kind:
            fields.problem("department_kind", f"{department} is {departments[department][0].value} "
                                               f"at {departments[department][1]}.")
        if code and fields.ok and code in officials and officials[code][:2] != official:
            fields.problem("name", f"{code} is {officials[code][0]}, rank {officials[code][1]} "
                                    f"at {officials[code][2]}; repeat the same name and rank_order.")
        if not fields.ok:
            roster.unreadable_officials.update(filter(None, [code]))
            roster.unreadable_departments.update(filter(None, [department]))
            continue
        if department and department not in departments:
            departments[department] = (kind, where)
            roster.departments.append(DepartmentEntry(department, kind, where))
        if code and code not in officials:
            officials[code] = (*official, where)
            roster.officials.append(OfficialEntry(code, *official, where=where))
        if role:
            roster.positions.append(PositionEntry(code, role, department, *position, where=where))
    roster.unreadable_officials -= officials.keys()
    roster.unreadable_departments -= departments.keys()
    return roster


# ---------------------------------------------------------------- writing


def to_yaml(roster: RosterFile) -> str:
    positions: dict[str, list[dict]] = {}
    for position in roster.positions:
        entry = {"role": position.role.value}
        if position.department is not None:
            entry["department"] = position.department
        if position.deputy_rank is not None:
            entry["deputy_rank"] = position.deputy_rank
        entry["from"] = position.effective_from
        positions.setdefault(position.official, []).append(entry)
    officials = []
    for official in roster.officials:
        entry = {"code": official.code, "name": official.name, "rank_order": official.rank_order}
        if official.code in positions:
            entry["positions"] = positions[official.code]
        officials.append(entry)
    absences = []
    for absence in roster.absences:
        entry = {"official": absence.official, "starts_at": absence.starts_at.astimezone(LOCAL_TZ).isoformat(),
                 "ends_at": absence.ends_at.astimezone(LOCAL_TZ).isoformat(), "reason": absence.reason.value}
        if absence.acting is not None:
            entry["acting"] = absence.acting
        if absence.note:
            entry["note"] = absence.note
        absences.append(entry)
    document = {
        "departments": [{"name": d.name, "kind": d.kind.value} for d in roster.departments],
        "officials": officials,
        "portfolios": [{"official": p.official, "from": p.effective_from, "departments": list(p.departments)}
                       for p in roster.portfolios],
        "ab_pairs": [{"a": p.a, "b": p.b, "from": p.effective_from} for p in roster.ab_pairs],
        "absences": absences,
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120)


def to_csv(roster: RosterFile) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    kinds = {department.name: department.kind.value for department in roster.departments}
    staffed = {position.department for position in roster.positions}
    for department in roster.departments:
        if department.name not in staffed:
            writer.writerow(["", "", "", "", department.name, department.kind.value, "", ""])
    positions: dict[str, list[PositionEntry]] = {}
    for position in roster.positions:
        positions.setdefault(position.official, []).append(position)
    for official in roster.officials:
        person = [official.code, official.name, official.rank_order]
        if official.code not in positions:
            writer.writerow([*person, "", "", "", "", ""])
        for position in positions.get(official.code, []):
            writer.writerow([*person, position.role.value, position.department or "",
                             kinds.get(position.department, ""), position.deputy_rank or "",
                             position.effective_from.isoformat()])
    return out.getvalue()
