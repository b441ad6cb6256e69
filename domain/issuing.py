"""Numbering and issuing (印发): the 发文字号 a signed document takes, and its distribution list.

A number is 「prefix〔year〕N号」, as on the seeds' own headers (延政〔2023〕73号, 001; 卢政发〔2018〕37号, 003);
which prefix a document takes is county data (policies/issuing/<rule set>.csv, copied per county), and N runs
without gaps per prefix and year. A request names exactly one main recipient (002 局规则 §36); a document sent up
to the county government has its addressee, the county government, as that one (001 §28).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from domain.documents import Genre, Issuer
from domain.errors import DomainError, ErrorCode

ANY_GENRE = "*"
MAX_PREFIX = 40
MAX_ORGAN = 200
# How a department or township names its own county government as the main recipient (主送: 县人民政府：).
COUNTY_GOVERNMENT = "县人民政府"


def issue_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


class DistributionKind(str, enum.Enum):
    MAIN = "main"  # 主送
    COPY = "copy"  # 抄送


@dataclass(frozen=True)
class Recipient:
    """A department of the county, or an organ outside it named in words (e.g. 市人民政府)."""

    kind: DistributionKind
    department_id: int | None = None
    organ: str | None = None


@dataclass(frozen=True)
class SeriesRow:
    id: int
    issuer: Issuer
    genre: str  # a Genre value, or ANY_GENRE
    department_id: int | None  # a department's own series; None for every other issuer
    prefix: str


def series_for(rows: Sequence[SeriesRow], *, issuer: Issuer, genre: Genre,
               department_id: int | None) -> SeriesRow | None:
    """The series a document is numbered in: its issuer's row for its genre, else for any genre.

    A department's documents take the department's own row (the lead department's: it issues them).
    """
    wanted = department_id if issuer == Issuer.DEPARTMENT else None
    candidates = [row for row in rows if row.issuer == issuer and row.department_id == wanted
                  and row.genre in (genre.value, ANY_GENRE)]
    return min(candidates, key=lambda row: (row.genre == ANY_GENRE, row.id), default=None)


def checked_prefix(prefix: str) -> str:
    text = prefix.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, "A series needs its prefix, e.g. 延政.", field="prefix")
    if len(text) > MAX_PREFIX:
        raise DomainError(ErrorCode.TOO_LONG, f"A prefix is at most {MAX_PREFIX} characters.", field="prefix")
    if any(c in text for c in "〔〕[]()（）") or text[-1].isdigit():
        raise DomainError(ErrorCode.INVALID, "The prefix is the part before 〔year〕, e.g. 延政 of 延政〔2023〕73号.",
                          field="prefix")
    return text


def checked_distribution(recipients: Sequence[Recipient], genre: Genre) -> list[Recipient]:
    """The list trimmed and checked: each entry a department or an organ, none twice, a main recipient."""
    cleaned: list[Recipient] = []
    seen: set[tuple] = set()
    for recipient in recipients:
        organ = (recipient.organ or "").strip() or None
        if (recipient.department_id is None) == (organ is None):
            raise DomainError(ErrorCode.INVALID, "Each recipient is a department of the county or an organ named in "
                              "words, not both.", field="distribution")
        if organ is not None and len(organ) > MAX_ORGAN:
            raise DomainError(ErrorCode.TOO_LONG, f"An organ's name is at most {MAX_ORGAN} characters.",
                              field="distribution")
        key = (recipient.department_id, organ)
        if key in seen:
            raise DomainError(ErrorCode.DUPLICATE, "A recipient is listed once.", field="distribution")
        seen.add(key)
        cleaned.append(Recipient(kind=recipient.kind, department_id=recipient.department_id, organ=organ))
    main = [r for r in cleaned if r.kind == DistributionKind.MAIN]
    if not main:
        raise DomainError(ErrorCode.INVALID, "Name the main recipients (主送).", field="distribution")
    if genre == Genre.REQUEST and len(main) != 1:
        raise DomainError(ErrorCode.INVALID, "A request has one main recipient (明确一个主送机关, 002 局规则 §36).",
                          field="distribution")
    return cleaned


def county_government_names(county_name: str) -> frozenset[str]:
    """The words that name the county government as a recipient: 县人民政府, 县政府, or with the county's name."""
    county = county_name.strip()
    return frozenset({COUNTY_GOVERNMENT, "县政府", f"{county}人民政府", f"{county}政府"})


def with_the_county_government_as_main(recipients: Sequence[Recipient], *, names: frozenset[str],
                                       article: str) -> list[Recipient]:
    """A document addressed to the county government has it as its one main recipient: the issuer does not type it
    again (filled in when the list names no main recipient) and cannot contradict it (another main recipient, a
    second one, or the county government among the copies is refused)."""
    def is_county_government(recipient: Recipient) -> bool:
        return recipient.department_id is None and (recipient.organ or "").strip() in names

    main = [r for r in recipients if r.kind == DistributionKind.MAIN]
    copied = [r for r in recipients if r.kind == DistributionKind.COPY and is_county_government(r)]
    if not main and not copied:
        return [Recipient(kind=DistributionKind.MAIN, organ=COUNTY_GOVERNMENT), *recipients]
    if len(main) == 1 and is_county_government(main[0]) and not copied:
        return list(recipients)
    raise DomainError(ErrorCode.SUBMISSION_RULE, f"The document is addressed to the county government, and that is "
                      f"its one main recipient (明确一个主送机关, {article}; 002 局规则 §36): leave 主送 out and it is "
                      f"filled in as {COUNTY_GOVERNMENT}, and list others as copies (抄送).", field="distribution")
