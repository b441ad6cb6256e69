"""Recusal (回避) and the relation register: the rules that need no database.

A member recuses from an item that concerns them or a relative of theirs: "讨论与会人员本人及亲属的任用时,
本人应按有关规定回避" (002 人事 §23). Relatives are those of 002 人事 §18: "夫妻关系、直系血亲关系、三代以内
旁系血亲关系以及近姻亲关系". Whether a recused member still counts in the item's quorum base and 应到会 is
each body's data (``recused_leave_denominator``): the seeds are silent.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from domain.meetings import BodyRules

RECUSAL_ARTICLE = "002 人事 §23"


class RelationKind(str, enum.Enum):
    """A relative as 002 人事 §18 counts them."""

    SPOUSE = "spouse"  # 夫妻
    PARENT = "parent"  # 直系血亲
    CHILD = "child"  # 直系血亲
    SIBLING = "sibling"  # 三代以内旁系血亲
    SPOUSE_PARENT = "spouse_parent"  # 近姻亲
    OTHER_BLOOD = "other_blood"  # other lineal, or collateral within three generations
    OTHER_MARRIAGE = "other_marriage"  # other close relative by marriage


class RecusalReason(str, enum.Enum):
    DECLARED = "declared"  # by the member (002 人事 §23 "本人应…回避")
    RAISED_BY_OFFICE = "raised_by_office"
    RAISED_BY_INSPECTOR = "raised_by_inspector"  # the discipline inspector (纪检/监察)
    AUTOMATIC = "automatic"  # a person concerned, or related to one in the register


@dataclass(frozen=True)
class PersonConcerned:
    """Someone a personnel item is about: an official of the county, or a person named outside the roster."""

    name: str
    official_id: int | None = None


@dataclass(frozen=True)
class Relation:
    official_id: int
    kind: RelationKind
    relative_id: int | None
    relative_name: str | None


@dataclass(frozen=True)
class AutomaticRecusal:
    member_id: int
    concerning: str  # the person concerned, by name
    kind: RelationKind | None  # None: the member is the person concerned


def automatic_recusals(members: Iterable[int], persons: Iterable[PersonConcerned],
                       relations: Iterable[Relation]) -> list[AutomaticRecusal]:
    """Every member who is a person concerned or related to one in the register, once each, in member order.

    A relation between two officials binds both ways; one with a person outside the roster is matched by name.
    """
    persons, relations = list(persons), list(relations)
    found: dict[int, AutomaticRecusal] = {}
    for member in sorted(set(members)):
        for person in persons:
            if person.official_id == member:
                found[member] = AutomaticRecusal(member, person.name, None)
                break
            kind = _related(member, person, relations)
            if kind is not None:
                found[member] = AutomaticRecusal(member, person.name, kind)
                break
    return list(found.values())


def _related(member: int, person: PersonConcerned, relations: list[Relation]) -> RelationKind | None:
    for relation in relations:
        if person.official_id is not None:
            if {relation.official_id, relation.relative_id} == {member, person.official_id}:
                return relation.kind
        elif relation.official_id == member and relation.relative_id is None and \
                _same_name(relation.relative_name, person.name):
            return relation.kind
    return None


def _same_name(a: str | None, b: str) -> bool:
    return a is not None and "".join(a.split()) == "".join(b.split())


def item_base(members: Iterable[int], recused: Iterable[int], rules: BodyRules) -> set[int]:
    """The members an item's quorum and pass rule count (应到会): a recused member leaves it where the body says."""
    members = set(members)
    return members - set(recused) if rules.recused_leave_denominator else members
