"""Helpers for the incoming-request scenarios: a township's request sent up through the services, and the
mutations by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from strawberry.relay import to_base64

from db.models_incoming import IncomingRequest
from domain.documents import Classification, Direction, Flag, Genre, Issuer
from domain.issuing import DistributionKind, Recipient
from policies.issuing import SeriesSpec
from services import documents, issuing
from services.signing_rules import SigningTables
from tests.county import SYSTEM, County
from tests.test_roster_admin import refused_writing_nothing

CST = dt.timezone(dt.timedelta(hours=8))
TOWNSHIP = "城关镇"

REQUEST = ("id state number receivedAt registeredAt dueAt overdue proposal presentedAt leaderRole instruction "
           "instructedOn closedAt limit { workingDays article problem } routingRule { rule article } "
           "sendingUnit { name } addressedTo { code } leader { code } instructedBy { code } "
           "document { id title issueNumber } reply { id title genre state issuer } "
           "history { kind note route actor { code } onBehalfOf { code } leader { code } } "
           "supervisionItems { number sourceKind instruction }")
_PAYLOAD = {"IncomingRequestPayload": f"request {{ {REQUEST} }}",
            "DraftReplyPayload": f"request {{ {REQUEST} }} reply {{ id title genre state issuer flags }}",
            "IncomingRequestRulesPayload": "rules { numberPrefix numberArticle handlingWorkingDays "
                                           "handlingExemptFlags handlingArticle }"}
_MUTATIONS = {
    "registerIncomingRequest": ("IncomingRequestInput", "IncomingRequestPayload"),
    "proposeIncomingRequestHandling": ("ProposeHandlingInput", "IncomingRequestPayload"),
    "presentIncomingRequest": ("IncomingRequestInput", "IncomingRequestPayload"),
    "passOnIncomingRequest": ("PassOnInput", "IncomingRequestPayload"),
    "instructIncomingRequest": ("InstructInput", "IncomingRequestPayload"),
    "draftIncomingRequestReply": ("DraftReplyInput", "DraftReplyPayload"),
    "linkIncomingRequestReply": ("LinkReplyInput", "IncomingRequestPayload"),
    "closeIncomingRequest": ("IncomingRequestInput", "IncomingRequestPayload"),
    "updateIncomingRequestRules": ("UpdateIncomingRequestRulesInput", "IncomingRequestRulesPayload"),
}


async def mutate(api, token: str, mutation: str, /, **input) -> dict:
    input_type, payload = _MUTATIONS[mutation]
    query = (f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
             f"... on MutationError {{ code field message }} ... on {payload} {{ {_PAYLOAD[payload]} }} }} }}")
    return (await api.ok(query, {"input": input}, token=token))[mutation]


async def succeed(api, token: str, mutation: str, /, **input) -> dict:
    result = await mutate(api, token, mutation, **input)
    assert result["__typename"] != "MutationError", result
    return result


async def refused(api, sessions, token: str, mutation: str, /, *, expect: tuple[str, str | None], **input) -> dict:
    """A mutation that must be refused with ``expect`` (code, field) and write nothing anywhere."""
    return await refused_writing_nothing(sessions, lambda: mutate(api, token, mutation, **input), expect)


async def request_node(api, token: str, request_id: str) -> dict | None:
    return (await api.ok(f"query($id: ID!) {{ node(id: $id) {{ ... on IncomingRequest {{ {REQUEST} }} }} }}",
                         {"id": request_id}, token=token))["node"]


def township_request(title: str = "关于城关镇老旧供水管网改造资金的请示", **fields) -> documents.DraftFields:
    values = {"issuer": Issuer.DEPARTMENT, "genre": Genre.REQUEST, "direction": Direction.TO_COUNTY_GOVERNMENT,
              "requested_matters": ["申请改造资金120万元"], **fields}
    return documents.DraftFields(title=title, lead_department_id=None, **values)


async def signed(sessions, county: County, fields: documents.DraftFields, *, at: dt.datetime,
                 unit: str = TOWNSHIP, principal: str = "TWN") -> int:
    """The unit's principal drafts, submits and signs ``fields`` at ``at``: the document's id."""
    tables = SigningTables()
    fields.lead_department_id = county.departments[unit]
    async with sessions() as session, session.begin():
        draft = await documents.create_draft(session, drafted_by_id=county.officials[principal], fields=fields,
                                             actor=SYSTEM)
        await documents.submit(session, document_id=draft.id, official_id=county.officials[principal], tables=tables,
                               actor=SYSTEM, at=at)
        await documents.act(session, document_id=draft.id, official_id=county.officials[principal],
                            verdict=documents.Verdict.SIGN, tables=tables, actor=SYSTEM, at=at)
        return draft.id


async def own_series(session, county: County, unit: str = TOWNSHIP) -> None:
    """The unit's own 发文字号 series (城关政〔2026〕N号), added once."""
    department_id = county.departments[unit]
    if not [s for s in await issuing.series_of(session, county_id=county.id) if s.department_id == department_id]:
        await issuing.add_series(session, county_id=county.id, department_id=department_id, actor=SYSTEM,
                                 spec=SeriesSpec(issuer=Issuer.DEPARTMENT, genre="*", prefix=f"{unit[:2]}政",
                                                 article="001 §28"))


async def sent_up(sessions, county: County, title: str = "关于城关镇老旧供水管网改造资金的请示", *,
                  at: dt.datetime, flags: Sequence[Flag] = (), genre: Genre = Genre.REQUEST,
                  addressed_to: str | None = None, classification: Classification = Classification.NONE,
                  unit: str = TOWNSHIP, principal: str = "TWN") -> str:
    """The township's request, signed and issued with its number at ``at``: it reaches the office. Its global id."""
    fields = township_request(title, flags=list(flags), genre=genre, classification=classification,
                              requested_matters=["申请改造资金120万元"] if genre == Genre.REQUEST else [],
                              addressed_to_id=county.officials[addressed_to] if addressed_to else None)
    document_id = await signed(sessions, county, fields, at=at, unit=unit, principal=principal)
    async with sessions() as session, session.begin():
        await own_series(session, county, unit)
        await issuing.issue(session, document_id=document_id, official_id=county.officials[principal],
                            distribution=[Recipient(kind=DistributionKind.MAIN, organ="县人民政府")],
                            tables=SigningTables(), actor=SYSTEM, at=at)
        request = await session.scalar(select(IncomingRequest).where(IncomingRequest.document_id == document_id))
        return to_base64("IncomingRequest", request.id)
