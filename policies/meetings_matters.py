"""Each rule set's collective-matter catalogue (三重一大 事项目录), as data: policies/meetings_matters/<rule set>.csv.

A row names a matter that must go to a body, the body's kind, its quorum class, the amount (万元) from which
it must, the materials the office checks for, and for normative documents how many working days before the
meeting the draft goes to legality review. A new county gets a copy (services.meetings_matters.install_matters);
its administrator edits the copy, and every edit passes the same checks as the shipped rows (``MatterSpec.checked``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import cache

from domain.meetings import BodyKind
from domain.meetings_agenda import MaterialKind
from domain.roster import RuleSet
from policies import POLICY_DIR

COLUMNS = ("code", "name", "body_kind", "personnel", "threshold_wan", "required_materials",
           "legality_review_lead_days", "article")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


class InvalidMatter(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class MatterSpec:
    code: str
    name: str
    body_kind: BodyKind
    personnel: bool
    threshold_wan: int | None
    required_materials: tuple[MaterialKind, ...]
    legality_review_lead_days: int | None
    article: str

    def checked(self) -> MatterSpec:
        """The spec with its text trimmed, or InvalidMatter naming the column at fault."""
        spec = replace(self, code=self.code.strip(), name=self.name.strip(), article=self.article.strip(),
                       required_materials=tuple(dict.fromkeys(self.required_materials)))
        if not _CODE.fullmatch(spec.code) or len(spec.code) > 60:
            raise InvalidMatter("code", "A matter's code is lowercase letters, digits and underscores, starting "
                                        "with a letter, e.g. major_project.")
        for column in ("name", "article"):
            if not getattr(spec, column):
                raise InvalidMatter(column, f"A collective matter needs its {column}.")
        if spec.threshold_wan is not None and spec.threshold_wan <= 0:
            raise InvalidMatter("threshold_wan", "A threshold is an amount in 万元 above 0, or none for always.")
        if spec.legality_review_lead_days is not None:
            if not 1 <= spec.legality_review_lead_days <= 60:
                raise InvalidMatter("legality_review_lead_days", "The legality review lead time is 1 to 60 working "
                                                                 "days, or none.")
            if MaterialKind.LEGALITY_OPINION not in spec.required_materials:
                raise InvalidMatter("legality_review_lead_days", "A legality review lead time needs the legality "
                                                                 "opinion among the required materials (003 §61).")
        return spec


def _optional_int(text: str) -> int | None:
    return None if text == "-" else int(text)


def parse_row(values: list[str]) -> MatterSpec:
    row = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
    if row["personnel"] not in ("yes", "no"):
        raise ValueError(f"“{row['personnel']}” is not yes or no.")
    return MatterSpec(
        code=row["code"], name=row["name"], body_kind=BodyKind(row["body_kind"]), personnel=row["personnel"] == "yes",
        threshold_wan=_optional_int(row["threshold_wan"]),
        required_materials=() if row["required_materials"] == "-" else tuple(
            MaterialKind(k.strip()) for k in row["required_materials"].split("|")),
        legality_review_lead_days=_optional_int(row["legality_review_lead_days"]), article=row["article"],
    ).checked()


@cache
def read_matters(rule_set: RuleSet) -> tuple[MatterSpec, ...]:
    """The rule set's shipped catalogue; a typo fails loudly at start rather than never matching."""
    with (POLICY_DIR / "meetings_matters" / f"{rule_set.value}.csv").open(encoding="utf-8") as handle:
        specs = tuple(parse_row(line) for line in csv.reader(handle, skipinitialspace=True)
                      if line and not line[0].lstrip().startswith("#"))
    codes = [spec.code for spec in specs]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{rule_set.value}: a matter code appears twice.")
    return specs


def stored_row(spec: MatterSpec) -> dict:
    """The spec as the columns of ``collective_matters`` (without id and county)."""
    return {"code": spec.code, "name": spec.name, "body_kind": spec.body_kind, "personnel": spec.personnel,
            "threshold_wan": spec.threshold_wan, "required_materials": [k.value for k in spec.required_materials],
            "legality_review_lead_days": spec.legality_review_lead_days, "article": spec.article}
