"""Hardening from day one: limits, error masking, no schema hints, CSRF, body size, transports.

In-process through the real ASGI app (httpx.ASGITransport); the WebSocket checks need real
sockets and use the live uvicorn server from tests/live_server.py.
"""

from __future__ import annotations

import contextlib
import json

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

import services.auth
from config import Settings
from server import create_app
from tests.api import Api
from tests.county import PASSWORD, build_county
from tests.live_server import live_server  # noqa: F401 - the fixture

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
LOGIN = 'mutation { login(username: "admin.yanjin", password: "guess") { __typename ... on MutationError { code } } }'


@contextlib.asynccontextmanager
async def client_for(settings: Settings, engine):
    """A client for an app built with other settings, on the same test database."""
    app = create_app(settings, engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
        yield client


async def post(client: httpx.AsyncClient, query: str, variables: dict | None = None, **kwargs) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)


def messages(reply: httpx.Response) -> list[str]:
    return [error["message"] for error in reply.json().get("errors") or []]


def partner_chain(levels: int) -> str:
    """`me { official { abPartner { … { name } } } }` with `levels` selection levels below `me`."""
    inner = "name"
    for _ in range(levels - 2):
        inner = f"abPartner {{ {inner} }}"
    return f"{{ me {{ official {{ {inner} }} }} }}"


@pytest.fixture
def login_calls(monkeypatch) -> list[str]:
    """Records every call that reaches the sign-in service (it then answers 'wrong password')."""
    calls: list[str] = []
    real = services.auth.login

    async def spy(session, **kwargs):
        calls.append(kwargs["username"])
        return await real(session, **kwargs)

    monkeypatch.setattr(services.auth, "login", spy)
    return calls


# ---------------------------------------------------------------- limits


async def test_a_query_nested_deeper_than_the_limit_is_refused(api, client, sessions, settings):
    county = await build_county(sessions)
    token = await api.login(county.account("EVM"), PASSWORD)
    assert settings.max_query_depth == 12

    # At the limit the query runs: EVM and VM1 are AB partners, so the chain alternates between them.
    at_limit = await api.ok(partner_chain(12), token=token)
    official, hops = at_limit["me"]["official"], 0
    while "abPartner" in official:
        official, hops = official["abPartner"], hops + 1
    assert (hops, official["name"]) == (10, "周常务")

    too_deep = await api.call(partner_chain(13), token=token)
    assert too_deep.data is None
    assert too_deep.errors[0]["message"] == "'anonymous' exceeds maximum operation depth of 12"
    # Nothing was resolved: no SQL beyond the bearer token's look-up that every request makes.
    token_only = await api.call("{ __typename }", token=token)
    assert too_deep.sql_statements == token_only.sql_statements


async def test_the_depth_limit_comes_from_the_settings(engine, settings, monkeypatch):
    monkeypatch.setenv("MAX_QUERY_DEPTH", "4")
    assert Settings.from_env().max_query_depth == 4
    async with client_for(settings.model_copy(update={"max_query_depth": 4}), engine) as client:
        # Anonymous: a query within the limit gets as far as "sign in first", a deeper one no further than validation.
        assert messages(await post(client, partner_chain(4))) == [
            "Sign in first: send 'Authorization: Bearer <token>'."
        ]
        assert messages(await post(client, partner_chain(5))) == ["'anonymous' exceeds maximum operation depth of 4"]


async def test_introspection_depth_is_not_counted(client):
    # The GraphiQL/codegen introspection query nests ~13 levels of ofType; it must keep working.
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }"
    reply = await post(client, query)
    assert reply.status_code == 200 and "errors" not in reply.json()


async def test_more_aliases_than_the_limit_are_refused(client, settings):
    assert settings.max_aliases == 30
    at_limit = "{ " + " ".join(f"a{i}: __typename" for i in range(30)) + " }"
    reply = await post(client, at_limit)
    assert "errors" not in reply.json() and len(reply.json()["data"]) == 30

    over = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    reply = await post(client, over)
    assert reply.json()["data"] is None
    assert messages(reply) == ["31 aliases found. Allowed: 30"]


async def test_a_document_over_the_token_limit_is_refused(client, engine, settings):
    # "{", n × "__typename" and "}": n + 2 tokens. Refused while parsing, before any other work.
    assert settings.max_tokens == 3000
    over = "{" + " __typename" * 2999 + " }"
    reply = await post(client, over)
    assert reply.json()["data"] is None
    assert messages(reply) == ["Syntax Error: Document contains more than 3000 tokens. Parsing aborted."]

    async with client_for(settings.model_copy(update={"max_tokens": 20}), engine) as small:
        assert (await post(small, "{" + " __typename" * 18 + " }")).json() == {"data": {"__typename": "Query"}}
        assert messages(await post(small, "{" + " __typename" * 19 + " }")) == [
            "Syntax Error: Document contains more than 20 tokens. Parsing aborted."
        ]


async def test_a_repeated_query_is_validated_once(client):
    # The limits must not defeat the validation cache (they did when built per request: a new rule class
    # each time, so a new cache key). Strawberry keeps one LRU per maxsize; schema/__init__.py uses 256.
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(256)
    query = "{ __typename repeatedQueryProbe: __typename }"
    await post(client, query)
    before = cache.cache_info()
    for _ in range(3):
        await post(client, query)
    after = cache.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)


# ---------------------------------------------------------------- error masking


async def test_an_unexpected_failure_is_masked_but_a_sign_in_error_is_not(api, client, monkeypatch):
    # A bug (or the database falling over) inside a service surfaces as a plain exception; its text may
    # carry SQL, paths or personal data. The sign-in service is the one resolver an anonymous caller
    # reaches, so it stands in for "any service" here.
    async def broken_login(session, **_kwargs):
        raise RuntimeError("connection to 10.0.0.5 lost while reading accounts.password_hash")

    monkeypatch.setattr(services.auth, "login", broken_login)
    reply = await post(client, LOGIN)
    assert reply.status_code == 200
    body = reply.json()
    assert body["data"] is None
    assert body["errors"] == [{"message": "Unexpected error.", "locations": [{"line": 1, "column": 12}],
                               "path": ["login"], "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]
    assert "password_hash" not in reply.text and "RuntimeError" not in reply.text

    # An error raised on purpose keeps its message and code.
    anonymous = await api.call("{ me { username } }")
    assert anonymous.errors[0]["message"] == "Sign in first: send 'Authorization: Bearer <token>'."
    assert anonymous.error_codes == ["UNAUTHENTICATED"]


async def test_a_typed_mutation_error_is_an_answer_not_a_masked_failure(api, sessions):
    await build_county(sessions)
    reply = await api.call(LOGIN)
    assert reply.errors is None
    assert reply.data == {"login": {"__typename": "MutationError", "code": "INVALID_CREDENTIALS"}}


# ---------------------------------------------------------------- no schema hints


@pytest.mark.parametrize(
    ("query", "variables", "hint"),
    [
        ("{ mee { username } }", None, "Did you mean 'me'?"),
        ("{ counties(frist: 1) { totalCount } }", None, "Did you mean 'first'"),
        ('{ node(id: "x") { ... on Officia { id } } }', None, "Did you mean 'Official'?"),
        ("query($f: DepartmentFilter) { departments(filter: $f) { totalCount } }",
         {"f": {"nameContain": "局"}}, "Did you mean 'nameContains'?"),
        ("query($f: DepartmentFilter) { departments(filter: $f) { totalCount } }",
         {"f": {"kind": "WORKIN"}}, "Did you mean the enum value 'WORKING'?"),
    ],
    ids=["field", "argument", "type", "input-field", "enum-value"],
)
async def test_field_suggestions_only_in_debug(client, engine, settings, query, variables, hint):
    quiet = await post(client, query, variables)
    assert messages(quiet) and not any("Did you mean" in m for m in messages(quiet)), messages(quiet)

    async with client_for(settings.model_copy(update={"debug": True}), engine) as debug_client:
        loud = await post(debug_client, query, variables)
    assert any(hint in m for m in messages(loud)), messages(loud)
    # Same error, only the hint differs.
    assert [m.split(" Did you mean")[0] for m in messages(loud)] == messages(quiet)


# ---------------------------------------------------------------- introspection


async def test_introspection_is_on_by_default_and_anonymous(client):
    reply = await post(client, "{ __schema { queryType { name } } __typename }")
    assert reply.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}, "__typename": "Query"}}


async def test_introspection_can_be_switched_off(engine, settings, monkeypatch):
    monkeypatch.setenv("INTROSPECTION", "false")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    switched_off = Settings.from_env()
    assert switched_off.introspection is False
    async with client_for(switched_off.model_copy(update={"secret_key": settings.secret_key}), engine) as client:
        reply = await post(client, "{ __schema { queryType { name } } }")
        assert reply.json()["data"] is None
        assert messages(reply)[0] == ("GraphQL introspection has been disabled, but the requested query contained "
                                      "the field '__schema'.")
        reply = await post(client, '{ __type(name: "Official") { name } }')
        assert reply.json()["data"] is None
        # __typename is no introspection: clients (and the GraphQL-over-HTTP audit) rely on it.
        assert (await post(client, "{ __typename }")).json() == {"data": {"__typename": "Query"}}


def test_a_misspelt_switch_is_an_error_not_a_silent_default(monkeypatch):
    monkeypatch.setenv("INTROSPECTION", "flase")
    with pytest.raises(ValueError, match="INTROSPECTION"):
        Settings.from_env()


# ---------------------------------------------------------------- methods, media types, CSRF


async def test_a_query_over_get_is_answered(client):
    reply = await client.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": "application/json"})
    assert reply.status_code == 200 and reply.json() == {"data": {"__typename": "Query"}}


async def test_a_mutation_over_get_is_refused(client, login_calls):
    reply = await client.get("/graphql", params={"query": LOGIN}, headers={"accept": "application/json"})
    assert reply.status_code == 405
    assert reply.headers["allow"] == "POST"
    assert login_calls == []


async def test_a_form_post_is_refused_as_csrf(client, login_calls):
    # What a hostile page can submit cross-site with no CORS preflight: an HTML form.
    reply = await client.post("/graphql", data={"query": LOGIN})
    assert reply.status_code == 415
    assert login_calls == []


async def test_a_text_plain_post_is_refused_as_csrf(client, login_calls):
    # fetch(…, {mode: "no-cors", body: JSON}) sends text/plain: a "simple" request, no preflight.
    reply = await client.post("/graphql", content=json.dumps({"query": LOGIN}),
                              headers={"content-type": "text/plain;charset=UTF-8"})
    assert reply.status_code == 415
    assert login_calls == []


async def test_a_post_without_a_content_type_is_refused(client, login_calls):
    reply = await client.post("/graphql", content=json.dumps({"query": LOGIN}))
    assert reply.status_code == 415
    assert login_calls == []


async def test_a_multipart_upload_is_refused(client, login_calls):
    operations = json.dumps({"query": LOGIN, "variables": {"file": None}})
    reply = await client.post("/graphql", data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
                              files={"0": ("a.txt", b"hello", "text/plain")})
    assert reply.status_code == 415
    assert login_calls == []


async def test_json_with_a_charset_is_accepted(client, login_calls):
    reply = await client.post("/graphql", content=json.dumps({"query": LOGIN}).encode(),
                              headers={"content-type": "application/json; charset=utf-8"})
    assert reply.status_code == 200
    assert login_calls == ["admin.yanjin"]


async def test_graphql_response_json_is_spoken_when_asked_for(client):
    accept = {"accept": f"{GRAPHQL_RESPONSE_JSON}, application/json;q=0.9"}
    ok = await client.post("/graphql", json={"query": "{ __typename }"}, headers=accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)

    # Nothing executed: 400 and no data entry.
    broken = await client.post("/graphql", json={"query": "{ __typename "}, headers=accept)
    assert broken.status_code == 400 and "data" not in broken.json()
    assert broken.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)

    # A field error is still a 200 with data: the operation ran.
    ran = await client.post("/graphql", json={"query": "{ me { username } }"}, headers=accept)
    assert ran.status_code == 200 and ran.json()["data"] is None and ran.json()["errors"][0]["path"] == ["me"]

    # Legacy clients keep application/json and 200 for the same parse error.
    legacy = await client.post("/graphql", json={"query": "{ __typename "})
    assert legacy.status_code == 200 and legacy.json()["data"] is None
    assert legacy.headers["content-type"] == "application/json"


# ---------------------------------------------------------------- body size


async def test_a_body_over_the_limit_is_refused_with_413(engine, settings, login_calls):
    small = settings.model_copy(update={"max_body_bytes": 2_000})
    padding = " " * 2_000
    async with client_for(small, engine) as client:
        fits = await client.post("/graphql", content=json.dumps({"query": LOGIN}),
                                 headers={"content-type": "application/json"})
        assert fits.status_code == 200

        declared = await client.post("/graphql", content=json.dumps({"query": LOGIN + padding}),
                                     headers={"content-type": "application/json"})
        assert declared.status_code == 413
        assert declared.json() == {"errors": [{"message": "Request body over 2000 bytes.",
                                               "extensions": {"code": "REQUEST_TOO_LARGE"}}]}

        async def chunks():  # no Content-Length: the limit is enforced while reading
            body = json.dumps({"query": LOGIN + padding}).encode()
            for start in range(0, len(body), 500):
                yield body[start:start + 500]

        streamed = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
    assert login_calls == ["admin.yanjin"]  # only the request that fitted reached the resolver


async def test_the_default_body_limit_is_a_megabyte(client, settings):
    assert settings.max_body_bytes == 1_000_000
    reply = await client.post("/graphql", content=b"{" + b" " * 1_000_000 + b"}",
                              headers={"content-type": "application/json"})
    assert reply.status_code == 413


# ---------------------------------------------------------------- WebSockets (live server)


@pytest.mark.parametrize("offered", [["graphql-ws"], [], ["subscriptions-transport-ws"]],
                         ids=["legacy-graphql-ws", "no-subprotocol", "other"])
async def test_the_legacy_graphql_ws_subprotocol_is_refused(live_server, offered):
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(live_server.websocket_url, subprotocols=offered or None, open_timeout=5):
            pass
    assert refused.value.response.status_code == 403


async def test_graphql_transport_ws_is_accepted(live_server, sessions):
    county = await build_county(sessions)
    async with httpx.AsyncClient(base_url=live_server.base_url) as http:
        token = await Api(http).login(county.account("DIR"), PASSWORD)
    async with websockets.connect(live_server.websocket_url,
                                  subprotocols=["graphql-ws", "graphql-transport-ws"], open_timeout=5) as ws:
        assert ws.subprotocol == "graphql-transport-ws"
        assert ws.response.headers["x-request-id"]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        await ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }"}}))
        assert json.loads(await ws.recv()) == {"type": "next", "id": "1", "payload": {"data": {"__typename": "Query"}}}
        assert json.loads(await ws.recv()) == {"type": "complete", "id": "1"}


async def test_a_cross_site_websocket_is_refused(live_server):
    # A page on another origin could otherwise open a socket to us with the visitor's ambient credentials.
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(live_server.websocket_url, subprotocols=["graphql-transport-ws"],
                                      origin="https://evil.example", open_timeout=5):
            pass
    assert refused.value.response.status_code == 403
