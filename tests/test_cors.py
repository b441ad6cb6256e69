"""A browser front-end on another origin (a Vite dev server on :5173, the county portal) calls the API.

Browsers ask first (an OPTIONS preflight) and hide the answer unless the server allows the page's
origin. The origins come from CORS_ORIGINS; none by default, so a hostile page still gets nothing.
It used to be 405 for every preflight: no front-end on another origin could call the API at all.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest

from config import Settings
from server import create_app
from tests.api import Api
from tests.browser import browser, offline_page  # noqa: F401  (browser: a fixture)
from tests.county import PASSWORD, build_county
from tests.live_server import running_server

VITE = "http://localhost:5173"
ME = "{ me { username } }"


def preflight(origin: str, headers: str = "authorization, content-type, idempotency-key, x-request-id") -> dict:
    return {"origin": origin, "access-control-request-method": "POST", "access-control-request-headers": headers}


@contextlib.asynccontextmanager
async def client_with(settings: Settings, engine, **changes):
    app = create_app(settings.model_copy(update=changes), engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qianfa.test") as client:
        yield client


async def test_by_default_no_other_origin_is_allowed_and_a_preflight_gets_no_grant(settings, engine):
    async with client_with(settings, engine) as client:
        reply = await client.options("/graphql", headers=preflight(VITE))
        posted = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": VITE})
    assert reply.status_code == 405
    assert "access-control-allow-origin" not in reply.headers
    # The request itself is served (a non-browser client has no origin to check), but a browser
    # hides the answer from the page: nothing grants the origin.
    assert posted.status_code == 200 and "access-control-allow-origin" not in posted.headers


async def test_an_allowed_origins_preflight_is_granted_the_apis_methods_and_headers(settings, engine):
    async with client_with(settings, engine, cors_origins=(VITE, "https://portal.qingxi.gov.cn")) as client:
        reply = await client.options("/graphql", headers=preflight(VITE))
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == VITE
    assert set(reply.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST", "OPTIONS"}
    granted = {header.strip().lower() for header in reply.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "x-request-id"} <= granted
    assert "access-control-allow-credentials" not in reply.headers  # bearer tokens, never cookies


async def test_an_origin_not_in_the_list_is_refused_even_when_others_are_allowed(settings, engine):
    async with client_with(settings, engine, cors_origins=(VITE,)) as client:
        reply = await client.options("/graphql", headers=preflight("http://localhost:5174"))
        posted = await client.post("/graphql", json={"query": "{ __typename }"},
                                   headers={"origin": "http://localhost:5174"})
    assert reply.status_code == 400 and "access-control-allow-origin" not in reply.headers
    assert "access-control-allow-origin" not in posted.headers


async def test_a_header_the_api_does_not_use_is_refused_in_a_preflight(settings, engine):
    async with client_with(settings, engine, cors_origins=(VITE,)) as client:
        reply = await client.options("/graphql", headers=preflight(VITE, headers="authorization, x-debug-as"))
    assert reply.status_code == 400


async def test_an_allowed_page_reads_the_answer_and_its_request_id(settings, engine):
    async with client_with(settings, engine, cors_origins=(VITE,)) as client:
        reply = await client.post("/graphql", json={"query": "{ __typename }"},
                                  headers={"origin": VITE, "x-request-id": "vite-42"})
    assert reply.status_code == 200 and reply.json() == {"data": {"__typename": "Query"}}
    assert reply.headers["access-control-allow-origin"] == VITE
    assert "x-request-id" in reply.headers["access-control-expose-headers"].lower()
    assert reply.headers["x-request-id"] == "vite-42"


def test_cors_origins_is_read_from_the_environment_comma_separated(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", " http://localhost:5173 , https://portal.qingxi.gov.cn/ ")
    assert Settings.from_env().cors_origins == ("http://localhost:5173", "https://portal.qingxi.gov.cn")
    monkeypatch.delenv("CORS_ORIGINS")
    assert Settings.from_env().cors_origins == ()


def test_a_cors_origin_with_a_path_or_no_scheme_is_refused_with_the_setting_named(monkeypatch):
    for bad in ("localhost:5173", "http://localhost:5173/app"):
        monkeypatch.setenv("CORS_ORIGINS", bad)
        with pytest.raises(ValueError, match="CORS_ORIGINS"):
            Settings.from_env()


# ---------------------------------------------------------------- in a real browser

FRONT_END = b"""<!doctype html><html><head><meta charset="utf-8"><title>front-end</title></head>
<body><p>A front-end on its own port.</p></body></html>"""


@contextlib.contextmanager
def front_end_page() -> Iterator[str]:
    """A tiny static site on a second loopback port: another origin than the API's."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(FRONT_END)))
            self.end_headers()
            self.wfile.write(FRONT_END)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, name="front-end", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# The page's own script: what a front-end does, with the person's token.
FETCH_ME = """async ([url, token, query]) => {
  try {
    const reply = await fetch(url, {method: "POST", body: JSON.stringify({query}),
      headers: {"content-type": "application/json", "authorization": `Bearer ${token}`, "x-request-id": "page-1"}});
    return {status: reply.status, body: await reply.json(), requestId: reply.headers.get("x-request-id")};
  } catch (error) {
    return {failed: String(error)};
  }
}"""


async def fetched_from_another_origin(browser, settings, token: str, allow: bool) -> dict:
    with front_end_page() as origin:
        served = settings.model_copy(update={"cors_origins": (origin,) if allow else ()})
        with running_server(served) as api:
            async with offline_page(browser) as offline:
                await offline.page.goto(origin)
                return await offline.page.evaluate(FETCH_ME, [api.graphql_url, token, ME])


async def directors_token(settings, engine, county) -> str:
    async with client_with(settings, engine) as client:
        return await Api(client).login(county.account("DIR"), PASSWORD)


async def test_in_a_browser_a_page_from_an_allowed_origin_calls_the_api_with_a_bearer_token(
        browser, settings, engine, sessions):
    county = await build_county(sessions)
    token = await directors_token(settings, engine, county)
    result = await fetched_from_another_origin(browser, settings, token, allow=True)
    assert result == {"status": 200, "body": {"data": {"me": {"username": county.account("DIR")}}},
                      "requestId": "page-1"}


async def test_in_a_browser_a_page_from_an_origin_not_allowed_cannot_read_the_api(
        browser, settings, engine, sessions):
    county = await build_county(sessions)
    token = await directors_token(settings, engine, county)
    result = await fetched_from_another_origin(browser, settings, token, allow=False)
    assert result == {"failed": "TypeError: Failed to fetch"}
