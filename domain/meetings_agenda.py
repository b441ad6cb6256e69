"""The agenda pipeline (议题) and the collective-matter catalogue (三重一大): the rules that need no database.

An item is proposed to a body, coordinated by the VM in charge, checked for completeness by the office,
accepted by the body's chair, scheduled on a meeting and listed on its notice before the meeting may take
it up (000 §42; 003 §45; 002 三重一大 二(一)–(三), 细则 §6(一)(三)). Which matters must go to a body, and
with which materials, is each county's data (policies/meetings_matters/<rule set>.csv).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Protocol

from domain.meetings import ItemState


class ItemKind(str, enum.Enum):
    DECISION = "decision"
    BRIEFING = "briefing"  # 通报
    REPORT = "report"  # an emergency decision reported to the body (000 §7; 细则 §17)
    LAW_STUDY = "law_study"  # 学法 (001 §10; 003 §42)
    PERSONNEL = "personnel"


class MaterialKind(str, enum.Enum):
    """The materials an item goes to the office with (002 三重一大 二(三); 001 §29; 003 §25)."""

    REQUEST = "request"  # 请示
    DRAFT_AND_EXPLANATION = "draft_and_explanation"  # 草案及起草说明
    OPTIONS = "options"  # 两个以上备选方案 (三重一大 二(一))
    LEGAL_BASIS = "legal_basis"  # 法律依据和政策依据
    OPINION_SUMMARY = "opinion_summary"  # 征求意见汇总
    EXPERT_OPINION = "expert_opinion"  # 专家论证意见
    RISK_ASSESSMENT = "risk_assessment"  # 风险评估报告
    LEGALITY_OPINION = "legality_opinion"  # 合法性审查意见 (003 §25, §61)
    CONSULTATION_REPLY = "consultation_reply"  # 征求意见的书面反馈 (三重一大 二(二))


class ConsultationState(str, enum.Enum):
    AWAITING = "awaiting"
    REPLIED = "replied"
    DEEMED_CONSENT = "deemed_consent"  # 未按时反馈意见视为同意 (三重一大 二(二))


class Matter(Protocol):
    threshold_wan: int | None


def needs_collective_decision(matter: Matter, amount_wan: int | None) -> bool:
    """True when the matter must go to its body: always, or at and above its threshold in 万元."""
    if matter.threshold_wan is None:
        return True
    return amount_wan is not None and amount_wan >= matter.threshold_wan


def missing_materials(required: Iterable[MaterialKind], present: Iterable[MaterialKind]) -> list[MaterialKind]:
    """The required kinds not among the item's materials, in the catalogue's order."""
    have = set(present)
    return [kind for kind in required if kind not in have]


def consultation_state(*, reply: str | None, reply_by: dt.date, today: dt.date) -> ConsultationState:
    """A consulted unit's answer: its reply, or deemed consent once the reply-by day has passed without one."""
    if reply:
        return ConsultationState.REPLIED
    return ConsultationState.DEEMED_CONSENT if today > reply_by else ConsultationState.AWAITING


# Each step of the pipeline and the states it starts from. Withdrawal ends an item before any notice lists it.
STEP_FROM = {
    "coordinate": (ItemState.PROPOSED,),
    "check": (ItemState.COORDINATED,),
    "accept": (ItemState.CHECKED,),
    "schedule": (ItemState.ACCEPTED,),
    "withdraw": (ItemState.PROPOSED, ItemState.COORDINATED, ItemState.CHECKED, ItemState.ACCEPTED,
                 ItemState.SCHEDULED),
}
