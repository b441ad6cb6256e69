"""Emergency decisions (临机处置): taken when no meeting could be called, reported to the body afterwards.

"来不及召开会议而又必须及时处理的紧急或突发性重大事件,由分管副县长…协调处理后,及时向县长报告" (000 §7);
"来不及集体议事及会议表决的,党组成员可临机处置,事后应及时向领导集体报告" (002 细则 §17). The report is an
item on the body's next meeting; the decision stays REPORT_DUE until that meeting takes it up.
"""

from __future__ import annotations

import enum

EMERGENCY_ARTICLES = "000 §7; 002 细则 §17"


class EmergencyState(str, enum.Enum):
    REPORT_DUE = "report_due"  # its report item waits on the body's next meeting
    REPORTED = "reported"  # the meeting took the report up
    OVERDUE = "overdue"  # a meeting closed without taking it up; the report is carried to the next one


def report_title(matter: str) -> str:
    """The report item's title, as the agenda and the minutes show it."""
    return f"关于临机处置“{matter}”情况的报告"
