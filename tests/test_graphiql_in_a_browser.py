"""GraphiQL at /graphql in a real browser on a county intranet: no internet, only this server.

The page used to load React and GraphiQL from a CDN, so offline it stayed at "Loading..." with
"Cookies is not defined". Now every script and style it loads comes from the server itself
(server_assets/, vendored): headless Chromium, refused any host but this machine, renders the IDE,
and a person's query with a bearer token in the Headers pane returns their data, over HTTP and
over a graphql-transport-ws subscription.
"""

from __future__ import annotations

import json
import os
import time
from urllib.parse import urlsplit

import httpx
import pytest

from services import events
from tests.api import Api
from tests.browser import WAIT_MS, OfflinePage, browser, offline_page  # noqa: F401  (browser: a fixture)
from tests.county import build_county
from tests.live_server import running_server
from tests.test_documents import SUBMIT, Desk
from tests.test_inbox_subscriptions import PROBE, probe_for

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
RESULT = ".result-window .CodeMirror"
# Where a run of the suite leaves the screenshots, to look at: QIANFA_TEST_SCREENSHOTS=/some/dir.
SCREENSHOTS = os.environ.get("QIANFA_TEST_SCREENSHOTS")


@pytest.fixture(scope="module")
def served(settings, engine):
    """A live server on the test database, with its app in reach (to forget cached tables)."""
    with running_server(settings) as live:
        yield live, live.app


@pytest.fixture
async def desk(served, sessions):
    live, app = served
    county = await build_county(sessions)
    async with httpx.AsyncClient(base_url=live.base_url, timeout=WAIT_MS / 1000) as http:
        yield Desk(Api(http), county)
    # The next test's county may reuse this one's ids (SQLite).
    app.state.tables.forget_all()
    app.state.rosters.clear()


async def open_graphiql(offline: OfflinePage, url: str) -> dict[str, str]:
    """Open the IDE as a person would; the page's response headers."""
    response = await offline.page.goto(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    await offline.page.wait_for_selector(QUERY_EDITOR)
    return response.headers


async def type_into(offline: OfflinePage, editor: str, text: str) -> None:
    """Click into an editor, select what is there and type over it (as a paste: no auto-closed brackets)."""
    await offline.page.click(editor)
    await offline.page.keyboard.press("Control+A")
    await offline.page.keyboard.insert_text(text)


async def run_in_graphiql(offline: OfflinePage, query: str, headers: dict[str, str]) -> None:
    await type_into(offline, QUERY_EDITOR, query)
    await offline.page.click(".graphiql-editor-tools button[data-name='headers']")
    await type_into(offline, HEADERS_EDITOR, json.dumps(headers))
    await offline.page.click(".graphiql-execute-button")


async def result_once(offline: OfflinePage, condition: str) -> dict:
    """The result pane's JSON, once ``condition`` (JavaScript, on its text ``t``) holds."""
    await offline.page.wait_for_function(
        f"() => {{ const t = document.querySelector('{RESULT}').CodeMirror.getValue(); return {condition}; }}")
    return json.loads(await offline.page.evaluate(f"document.querySelector('{RESULT}').CodeMirror.getValue()"))


async def screenshot(offline: OfflinePage, tmp_path, name: str) -> None:
    folder = SCREENSHOTS or tmp_path
    await offline.page.screenshot(path=os.path.join(folder, f"{name}.png"))


def assert_only_this_server(offline: OfflinePage, live) -> None:
    assert offline.foreign_requests == []
    assert offline.requests and all(urlsplit(url).netloc == f"{live.host}:{live.port}" for url in offline.requests)
    assert all(urlsplit(url).netloc == f"{live.host}:{live.port}" for url in offline.websockets)
    assert offline.console_errors == []  # a script refused by the page's policy, say


async def test_the_ide_renders_offline_and_a_query_with_a_bearer_header_returns_the_persons_data(
        browser, served, desk, tmp_path):
    live, _app = served
    token = await desk.token("VM1")
    async with offline_page(browser) as offline:
        headers = await open_graphiql(offline, live.graphql_url)
        await run_in_graphiql(offline, "{ me { username } }", {"Authorization": f"Bearer {token}"})
        result = await result_once(offline, "t.includes('username')")
        await screenshot(offline, tmp_path, "graphiql-query")
        assert_only_this_server(offline, live)
        loaded = {urlsplit(url).path for url in offline.requests}
    assert result == {"data": {"me": {"username": desk.county.account("VM1")}}}
    # The page itself forbids anything but this server, should a future page ask for more.
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert {"/static/graphiql/graphiql.min.js", "/static/graphiql/react.production.min.js",
            "/static/graphiql/react-dom.production.min.js", "/static/graphiql/graphiql.min.css"} <= loaded


async def test_without_a_bearer_header_the_same_query_says_to_sign_in(browser, served, desk):
    live, _app = served
    async with offline_page(browser) as offline:
        await open_graphiql(offline, live.graphql_url)
        await run_in_graphiql(offline, "{ me { username } }", {})
        result = await result_once(offline, "t.includes('errors')")
        assert_only_this_server(offline, live)
    assert [error["extensions"]["code"] for error in result["errors"]] == ["UNAUTHENTICATED"]


async def test_the_director_subscribed_in_graphiql_sees_a_submission_reach_the_inbox(
        browser, served, desk, sessions, tmp_path):
    live, _app = served
    document = await desk.draft()
    subscription = "subscription { inboxEvents { kind note document { title } step { action } } }"
    async with offline_page(browser) as offline:
        await open_graphiql(offline, live.graphql_url)
        # The Headers pane's object goes to the server as the socket's connection_init payload.
        await run_in_graphiql(offline, subscription, {"Authorization": f"Bearer {await desk.token('DIR')}"})
        await until_listening(offline, sessions, desk, document)
        await desk.do("EDU", SUBMIT, id=document)
        event = await result_once(offline, "t.includes('NEW_ITEM')")
        await screenshot(offline, tmp_path, "graphiql-subscription")
        assert_only_this_server(offline, live)
        assert offline.websockets == [live.websocket_url]
    assert event == {"data": {"inboxEvents": {"kind": "NEW_ITEM", "note": "",
                                              "document": {"title": "关于加强校园安全管理的通知"},
                                              "step": {"action": "OFFICE_REVIEW"}}}}


async def until_listening(offline: OfflinePage, sessions, desk: Desk, document: str) -> None:
    """Publish probe events, committed, until one shows in the result pane: the subscription is live."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        async with sessions() as session, session.begin():
            await events.publish(session, probe_for(desk, "DIR", document))
        shown = await offline.page.evaluate(f"document.querySelector('{RESULT}').CodeMirror.getValue()")
        if PROBE in shown:
            return
        assert "errors" not in shown, shown
        assert time.monotonic() < deadline, f"the subscription never started: {shown!r}"
        await offline.page.wait_for_timeout(200)
