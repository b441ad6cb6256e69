"""Minutes (会议纪要): their number and their text, without a database.

"会议须形成…会议纪要,按独立序列实行年度编号…须记录每个议题的讨论、表决情况及最后决定" (002 细则 §6(七)).
A number is "<the body's minutes series>〔<year>〕<n>号", e.g. 常务会议纪要〔2026〕12号: n counts the body's
minutes signed in that year (China time), from 1, without gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


def minutes_number(series: str, year: int, seq: int) -> str:
    return f"{series}〔{year}〕{seq}号"


@dataclass(frozen=True)
class ItemRecord:
    """One item as the minutes record it; names already resolved, words already Chinese."""

    title: str
    state: str
    conclusion: str | None = None
    outcome: str | None = None
    votes: Sequence[tuple[str, str]] = ()  # (member, 赞成/反对/弃权)
    tally: str | None = None
    recusals: Sequence[str] = ()  # "name（reason）"
    written_opinions: Sequence[str] = ()  # "name（stance）：text"


@dataclass(frozen=True)
class MeetingRecord:
    title: str
    held: str
    place: str
    chair: str
    present: Sequence[str] = ()
    on_leave: Sequence[str] = ()
    absent: Sequence[str] = ()
    others: Sequence[str] = ()  # substitutes, AB partners, 列席
    items: Sequence[ItemRecord] = field(default_factory=tuple)


_NUMERALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    if n < 20:
        return "十" + _NUMERALS[n - 11]
    return str(n)


def _names(names: Sequence[str]) -> str:
    return "、".join(names) or "无"


def minutes_text(record: MeetingRecord) -> str:
    """The minutes' body: who met, then each item's discussion, votes by name, tally, decision, recusals and
    written opinions (002 细则 §6(七)); the office edits the draft before it goes for signature."""
    lines = [f"{record.title}纪要", "", f"时间：{record.held}", f"地点：{record.place}", f"主持：{record.chair}",
             f"出席：{_names(record.present)}", f"请假：{_names(record.on_leave)}", f"缺席：{_names(record.absent)}"]
    if record.others:
        lines.append(f"列席及代会：{_names(record.others)}")
    for n, item in enumerate(record.items, start=1):
        lines += ["", f"{_ordinal(n)}、{item.title}", f"审议情况：{item.state}"]
        if item.conclusion:
            lines.append(f"讨论结论：{item.conclusion}")
        if item.votes:
            lines.append("记名表决：" + "；".join(f"{name} {choice}" for name, choice in item.votes))
        if item.tally:
            lines.append(f"计票：{item.tally}")
        if item.outcome:
            lines.append(f"决定：{item.outcome}")
        if item.recusals:
            lines.append(f"回避：{_names(item.recusals)}")
        if item.written_opinions:
            lines.append("书面意见（不计入表决）：" + "；".join(item.written_opinions))
    return "\n".join(lines) + "\n"
