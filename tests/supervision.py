"""GraphQL helpers for the supervision scenarios: one mutation by name, a refusal that must write nothing, the
county's data set as its administrator enters it, and the working calendar's years entered."""

from __future__ import annotations

import datetime as dt

from services import calendar as calendars
from tests.county import SYSTEM, County
from tests.test_roster_admin import refused_writing_nothing

ITEM = ("id number sourceKind sourceId instruction instructedOn state deadlineClass workingDays dueOn "
        "remindBeforeDays escalateAfterDays waitingReason overdue acceptedRoute closedLate "
        "instructedBy { code } leadDepartment { name } coDepartments { name } responsibleOfficial { code } "
        "vmInCharge { code } openedBy { code } acceptedBy { code } acceptedOnBehalfOf { code } closedBy { code } "
        "entries { kind text route official { code } onBehalfOf { code } } "
        "lapses { kind dueOn officials { code } }")
RULES = "prefix prefixArticle deadlineClasses { code name workingDays remindBeforeDays escalateAfterDays default article }"

_PAYLOAD = {"SupervisionItemPayload": f"item {{ {ITEM} }}", "SupervisionRulesPayload": f"rules {{ {RULES} }}"}
_MUTATIONS = {
    "openSupervisionItem": ("OpenSupervisionItemInput", "SupervisionItemPayload"),
    "openSupervisionItemFromInstruction": ("OpenSupervisionItemFromInstructionInput", "SupervisionItemPayload"),
    "assignSupervisionItem": ("AssignSupervisionItemInput", "SupervisionItemPayload"),
    "acceptSupervisionItem": ("SupervisionItemInput", "SupervisionItemPayload"),
    "reportSupervisionProgress": ("SupervisionTextInput", "SupervisionItemPayload"),
    "reportSupervisionResult": ("SupervisionTextInput", "SupervisionItemPayload"),
    "closeSupervisionItem": ("SupervisionTextInput", "SupervisionItemPayload"),
    "reopenSupervisionItem": ("SupervisionTextInput", "SupervisionItemPayload"),
    "putSupervisionDeadlineClass": ("PutSupervisionDeadlineClassInput", "SupervisionRulesPayload"),
    "setSupervisionPrefix": ("SetSupervisionPrefixInput", "SupervisionRulesPayload"),
}


def _jsonable(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    input_type, payload = _MUTATIONS[mutation]
    query = (f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} ... on {payload} {{ {_PAYLOAD[payload]} }} }} }}")
    return (await api.ok(query, {"input": _jsonable(input)}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] != "MutationError", result
    return result.get("item") or result["rules"]


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    """A mutation that must be refused with ``expect`` (code, field) and write nothing anywhere."""
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


async def item(api, token: str, item_id: str) -> dict:
    return (await api.ok(f"query($id: ID!) {{ node(id: $id) {{ ... on SupervisionItem {{ {ITEM} }} }} }}",
                         {"id": item_id}, token=token))["node"]


async def enter_numbers(api, admin: str, *, working_days: int | None = 10, remind_before: int | None = 0,
                        escalate_after: int | None = 3) -> dict:
    """The county administrator enters the county's own numbers for its default class, in place of the rule set's
    documented defaults (None: a number the county leaves unset)."""
    return await succeed(api, admin, "putSupervisionDeadlineClass", code="general", name="一般督办事项",
                         workingDays=working_days, remindBeforeDays=remind_before, escalateAfterDays=escalate_after,
                         default=True, article="县政府督查工作规定（本县）")


async def known_years(sessions, county: County, *years: int) -> None:
    """Enter the years the package does not know (a plain year: New Year's first weekday off), so that deadlines
    counted from today do not depend on the package's release."""
    async with sessions() as session, session.begin():
        calendar = await calendars.calendar_for(session, county_id=county.id)
        for year in years:
            if not calendar.knows(year):
                new_year = next(day for day in (dt.date(year, 1, d) for d in range(1, 8)) if day.weekday() < 5)
                await calendars.enter_year(session, county_id=county.id, year=year, holidays=[(new_year, "元旦")],
                                           workdays=[], source="国务院办公厅通知（测试）", actor=SYSTEM)
