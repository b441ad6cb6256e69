"""Each rule set's 发文字号 series, as data: policies/issuing/<rule set>.csv, the article beside each row.

A new county gets a copy of its rule set's rows (services.issuing.install_series); its administrator edits
the copy and adds each department's own series, and every edit passes the same checks as the shipped rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from domain.documents import Genre, Issuer
from domain.issuing import ANY_GENRE, checked_prefix
from domain.roster import RuleSet
from policies import POLICY_DIR

COLUMNS = ("issuer", "genre", "prefix", "article")


@dataclass(frozen=True)
class SeriesSpec:
    issuer: Issuer
    genre: str  # a Genre value, or "*"
    prefix: str
    article: str


def checked_genre(genre: str) -> str:
    """The genre column: one genre's value, or * for any; a typo fails loudly rather than never matching."""
    text = genre.strip()
    return text if text == ANY_GENRE else Genre(text).value


def parse_row(values: list[str]) -> SeriesSpec:
    row = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
    if not row["article"]:
        raise ValueError(f"A series row cites its article: {values!r}")
    return SeriesSpec(issuer=Issuer(row["issuer"]), genre=checked_genre(row["genre"]),
                      prefix=checked_prefix(row["prefix"]), article=row["article"])


@cache
def read_series(rule_set: RuleSet) -> tuple[SeriesSpec, ...]:
    with (POLICY_DIR / "issuing" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        return tuple(parse_row(line) for line in csv.reader(handle, skipinitialspace=True)
                     if line and not line[0].lstrip().startswith("#"))
