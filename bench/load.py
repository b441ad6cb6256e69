"""Load driver: the app (several uvicorn workers) and PostGraphile side by side, over one database.

    .venv/bin/python -m bench.load                                   # 1, 8, 32, 64 clients, 10 s each
    .venv/bin/python -m bench.load --duration 3 --warmup 1           # the quick run of `make bench`

Starts both servers on loopback, signs in a sample of the generated officials (bench.generate) with
the ``login`` mutation, and then, at each concurrency (closed loop: every client sends its next request
when the last one is answered), runs in turn:

- ``inbox``: the app's ``inbox(first: 20)`` — 20 waiting items with their documents, chain steps, the
  steps' assignments and the officials, for officials with at least 20 items;
- ``inbox/postgraphile``: the same page from PostGraphile v4 (``bench/package.json``), run by its CLI
  over the same tables with no authorisation, through a SQL function with the app's inbox filter
  (``services.inbox.waiting``) installed in a schema of its own (``postgraphile_bench``);
- ``detail``: ``node(id:)`` on a document with its chain, assignments and history;
- ``sign``: ``signDocument`` on documents whose active step waits for the signer's signature (each
  document signed once; the documents are shared out between the concurrency levels beforehand);
- ``mixed`` (not in the default list; ``--scenarios mixed``): a busy county's traffic — of every five
  requests, one ``createDraft`` (the inbox users, a few per county, drafting at once in their counties),
  one ``signDocument`` (a draft instead once the level's share of documents is used up), two inbox
  pages and one document detail.

Every request is checked (HTTP 200, no GraphQL errors, a full page, a signature recorded). Reported
per scenario and concurrency: throughput, p50/p95/p99/max latency, errors, and for the app the SQL
statements per request from its own ``X-SQL-Statements`` header. Results are printed as a Markdown
table and saved as JSON under bench/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import contextlib
import datetime as dt
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore tries `import sniffio` for every request; absent, each try walks sys.path (a third of the
    # driver's CPU). Recorded as missing, the import fails at once and httpcore falls back to asyncio.
    sys.modules["sniffio"] = None
import httpx

from bench.generate import DEFAULT_URL, OUT_DIR, asyncpg_url, sqlalchemy_url

HERE = Path(__file__).parent
ROOT = HERE.parent
PG_SCHEMA = "postgraphile_bench"

INBOX = """query Inbox {
  inbox(first: 20) {
    edges { cursor node {
      route onBehalfOf { id name }
      assignment { id role state assignee { id name } }
      document { id title urgent state genre }
      step { id position action state dueAt assignments { id role state assignee { id name } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

PG_INBOX = """query Inbox($official: BigInt!) {
  inbox(officialId: $official, first: 20) {
    edges { cursor node {
      id role state officialByAssigneeId { id name }
      documentByDocumentId { id title urgent state genre }
      chainStepByStepId { id position action state dueAt
        stepAssignmentsByStepId { nodes { id role state officialByAssigneeId { id name } } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

DETAIL = """query Detail($id: ID!) {
  node(id: $id) { ... on Document {
    id title state urgent genre issuer createdAt submittedAt signedAt
    draftedBy { id name } leadDepartment { id name }
    chain { id position action state alternatives parallel dueAt rules { rule article }
      assignments { id role state route opinion actedAt assignee { id name } actedBy { id name } } }
    history { kind at route opinion undone actor { id name } onBehalfOf { id name } }
  } }
}"""

SIGN = """mutation Sign($id: ID!) {
  signDocument(input: {documentId: $id}) {
    __typename
    ... on AssignmentPayload { assignment { state actedAt } document { state signedAt } }
    ... on MutationError { code message }
  }
}"""

DRAFT = """mutation Draft($d: DraftInput!) {
  createDraft(input: $d) {
    __typename ... on DocumentPayload { document { id state } } ... on MutationError { code message }
  }
}"""

LOGIN = """mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    __typename ... on LoginSuccess { token } ... on MutationError { code message }
  }
}"""

# The app's inbox filter (services.inbox.waiting), for PostGraphile to expose as a custom query.
PG_FUNCTION = f"""
CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA};
CREATE OR REPLACE FUNCTION {PG_SCHEMA}.inbox(official_id bigint) RETURNS SETOF public.step_assignments AS $$
  SELECT a.* FROM public.step_assignments a
  JOIN public.chain_steps s ON s.id = a.step_id
  JOIN public.documents d ON d.id = a.document_id
  WHERE a.county_id = (SELECT o.county_id FROM public.officials o WHERE o.id = official_id)
    AND a.assignee_id = official_id AND a.state = 'waiting' AND s.state = 'active' AND s.round = d.round
    AND d.state IN ('in_progress', 'signed')
  ORDER BY a.id
$$ LANGUAGE sql STABLE;
"""


def busy_cores(seconds: float = 2.0) -> float:
    """How many cores the machine keeps busy over a short while (before our servers start: someone else's)."""
    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    try:
        busy0, total0 = sample()
        time.sleep(seconds)
        busy1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (os.cpu_count() or 1) * (busy1 - busy0) / max(1, total1 - total0)


def gid(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the servers


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_app(url: str, port: int, workers: int, log: Path) -> Server:
    env = {**os.environ, "DATABASE_URL": sqlalchemy_url(url), "SWEEP_SECONDS": "86400", "HOST": "127.0.0.1",
           "PORT": str(port)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "server:app_from_env", "--workers", str(workers),
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    return Server("app", process, f"http://127.0.0.1:{port}", log)


def start_postgraphile(url: str, port: int, workers: int, log: Path) -> Server:
    binary = HERE / "node_modules" / ".bin" / "postgraphile"
    if not binary.exists():
        raise SystemExit("PostGraphile is not installed: run `npm ci --prefix bench`")
    command = [str(binary), "--connection", asyncpg_url(url), "--schema", f"public,{PG_SCHEMA}",
               "--host", "127.0.0.1", "--port", str(port), "--disable-query-log", "--max-pool-size", "10"]
    if workers > 1:
        command += ["--cluster-workers", str(workers)]
    process = subprocess.Popen(command, cwd=HERE, stdout=log.open("w"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    return Server("postgraphile", process, f"http://127.0.0.1:{port}", log)


async def wait_ready(server: Server, probe, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise SystemExit(f"{server.name} exited: see {server.log}")
            with contextlib.suppress(httpx.HTTPError):
                if await probe(client):
                    return
            await asyncio.sleep(0.3)
    raise SystemExit(f"{server.name} did not start within {timeout:.0f} s: see {server.log}")


# ---------------------------------------------------------------- what to ask for


@dataclass
class Plan:
    inbox_users: list[dict]  # account + official id, each with ≥ 20 waiting items
    details: list[tuple[str, str]]  # (username, document gid)
    signs: list[tuple[str, str]]  # (username, document gid)
    overdue: int
    counties: int
    documents: int


async def make_plan(url: str, accounts: list[dict], *, users: int, signers: int, seed: int) -> Plan:
    rng = random.Random(seed)
    by_official = {a["official_id"]: a for a in accounts if a.get("official_id")}
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        await connection.execute(PG_FUNCTION)
        waiting = await connection.fetch("""
            SELECT a.assignee_id, count(*) AS items FROM step_assignments a
            JOIN chain_steps s ON s.id = a.step_id JOIN documents d ON d.id = a.document_id
            WHERE a.state = 'waiting' AND s.state = 'active' AND s.round = d.round
              AND d.state IN ('in_progress', 'signed') AND a.assignee_id = ANY($1::bigint[])
            GROUP BY a.assignee_id HAVING count(*) >= 20""", list(by_official))
        candidates = [dict(by_official[r["assignee_id"]], items=r["items"]) for r in waiting]
        rng.shuffle(candidates)
        inbox_users = candidates[:users]
        counties = sorted({u["county_id"] for u in inbox_users})
        detail_rows = await connection.fetch("""
            SELECT id, county_id FROM documents TABLESAMPLE SYSTEM (5) REPEATABLE (1)
            WHERE county_id = ANY($1::bigint[]) AND classification = 'none' AND state <> 'draft' LIMIT 5000""",
                                             counties)
        if len(detail_rows) < 100:
            detail_rows = await connection.fetch("""
                SELECT id, county_id FROM documents WHERE county_id = ANY($1::bigint[])
                AND classification = 'none' AND state <> 'draft' ORDER BY random() LIMIT 5000""", counties)
        reader = {}
        for user in inbox_users:
            reader.setdefault(user["county_id"], []).append(user["username"])
        details = [(rng.choice(reader[r["county_id"]]), gid("Document", r["id"])) for r in detail_rows]
        rng.shuffle(details)
        # Signers: a bounded number of accounts (each is signed in with argon2), those with the most waiting.
        sign_rows = await connection.fetch("""
            SELECT DISTINCT ON (d.id) d.id AS document_id, a.assignee_id
            FROM documents d
            JOIN chain_steps s ON s.document_id = d.id AND s.round = d.round AND s.state = 'active'
                 AND s.action = 'sign'
            JOIN step_assignments a ON a.step_id = s.id AND a.state = 'waiting'
            WHERE d.state = 'in_progress' AND a.assignee_id = ANY($1::bigint[])
            ORDER BY d.id, a.id""", list(by_official))
        # Not the inbox users: their pages must stay full while others sign.
        readers = {u["official_id"] for u in inbox_users}
        per_signer = collections.Counter(r["assignee_id"] for r in sign_rows if r["assignee_id"] not in readers)
        chosen = {official for official, _ in per_signer.most_common(signers)}
        signs = [(by_official[r["assignee_id"]]["username"], gid("Document", r["document_id"]))
                 for r in sign_rows if r["assignee_id"] in chosen]
        rng.shuffle(signs)
        overdue = await connection.fetchval("""
            SELECT count(*) FROM step_assignments a JOIN chain_steps s ON s.id = a.step_id
            JOIN documents d ON d.id = a.document_id
            WHERE a.state = 'waiting' AND s.state = 'active' AND s.round = d.round
              AND d.state IN ('in_progress', 'signed') AND s.due_at < now()
              AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.assignment_id = a.id)""")
        total_counties = await connection.fetchval("SELECT count(*) FROM counties")
        total_documents = await connection.fetchval("SELECT count(*) FROM documents")
    finally:
        await connection.close()
    return Plan(inbox_users, details, signs, overdue, total_counties, total_documents)


async def sign_in(base: str, usernames: set[str], password: str) -> dict[str, str]:
    tokens: dict[str, str] = {}
    gate = asyncio.Semaphore(4)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def one(username: str) -> None:
            async with gate:
                reply = await client.post("/graphql", json={"query": LOGIN, "variables": {
                    "username": username, "password": password}})
                result = reply.json()["data"]["login"]
                if result["__typename"] != "LoginSuccess":
                    raise SystemExit(f"cannot sign in as {username}: {result}")
                tokens[username] = result["token"]

        await asyncio.gather(*(one(u) for u in sorted(usernames)))
    return tokens


# ---------------------------------------------------------------- measuring


@dataclass
class Phase:
    scenario: str
    clients: int
    requests: int = 0
    errors: collections.Counter = field(default_factory=collections.Counter)
    latencies_ms: list[float] = field(default_factory=list)
    sql: list[int] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    seconds: float = 0.0
    driver_cpu: float = 0.0
    ran_out: bool = False
    connections: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)

        def pct(q: float) -> float | None:
            return round(lat[min(len(lat) - 1, int(q * len(lat)))], 1) if lat else None

        return {
            "scenario": self.scenario, "clients": self.clients, "requests": self.requests,
            "ok": len(lat), "errors": dict(self.errors),
            "rps": round(len(lat) / self.seconds, 1) if self.seconds else None,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": round(lat[-1], 1) if lat else None,
            "sql_per_request": ({"min": min(self.sql), "median": statistics.median(self.sql), "max": max(self.sql)}
                                if self.sql else None),
            "items_per_page": ({"min": min(self.items), "max": max(self.items)} if self.items else None),
            "seconds": round(self.seconds, 2), "driver_cpu_pct": round(100 * self.driver_cpu / self.seconds, 0)
            if self.seconds else None,
            "ran_out_of_documents": self.ran_out,
            "connections_per_server_process": self.connections,
        }


class Scenario:
    """Builds request i and judges its answer: (ok, error kind, items)."""

    name = ""
    path = "/graphql"

    def request(self, i: int) -> tuple[bytes, dict] | None:
        """The JSON body (encoded once, up front where possible) and the headers of request i."""
        raise NotImplementedError

    def judge(self, body: dict) -> tuple[bool, str | None, int | None]:
        raise NotImplementedError


JSON_HEADERS = {"content-type": "application/json"}


def _body(query: str, variables: dict | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


def _graphql_error(body: dict) -> str | None:
    if body.get("errors"):
        error = body["errors"][0]
        return f"graphql: {error.get('extensions', {}).get('code') or error.get('message', '')[:60]}"
    return None


class AppInbox(Scenario):
    name = "inbox"

    def __init__(self, users: list[dict], tokens: dict[str, str]) -> None:
        self.body = _body(INBOX)
        self.headers = [{**JSON_HEADERS, "authorization": f"Bearer {tokens[u['username']]}"} for u in users]

    def request(self, i):
        return self.body, self.headers[i % len(self.headers)]

    def judge(self, body):
        if (error := _graphql_error(body)) is not None:
            return False, error, None
        edges = body["data"]["inbox"]["edges"]
        return (len(edges) == 20, None if len(edges) == 20 else "short page", len(edges))


class PgInbox(Scenario):
    name = "inbox/postgraphile"

    def __init__(self, users: list[dict]) -> None:
        self.bodies = [_body(PG_INBOX, {"official": str(u["official_id"])}) for u in users]

    def request(self, i):
        return self.bodies[i % len(self.bodies)], JSON_HEADERS

    def judge(self, body):
        if (error := _graphql_error(body)) is not None:
            return False, error, None
        edges = body["data"]["inbox"]["edges"]
        return (len(edges) == 20, None if len(edges) == 20 else "short page", len(edges))


class Detail(Scenario):
    name = "detail"

    def __init__(self, details: list[tuple[str, str]], tokens: dict[str, str]) -> None:
        self.details = [(_body(DETAIL, {"id": d}), {**JSON_HEADERS, "authorization": f"Bearer {tokens[u]}"})
                        for u, d in details]

    def request(self, i):
        return self.details[i % len(self.details)]

    def judge(self, body):
        if (error := _graphql_error(body)) is not None:
            return False, error, None
        node = body["data"]["node"]
        if node is None:
            return False, "not found", None
        return True, None, len(node["chain"])


class Sign(Scenario):
    name = "sign"

    def __init__(self, signs: list[tuple[str, str]], tokens: dict[str, str]) -> None:
        self.queue = collections.deque(
            (_body(SIGN, {"id": d}), {**JSON_HEADERS, "authorization": f"Bearer {tokens[u]}"}) for u, d in signs)

    def request(self, i):
        return self.queue.popleft() if self.queue else None

    def judge(self, body):
        if (error := _graphql_error(body)) is not None:
            return False, error, None
        result = body["data"]["signDocument"]
        if result["__typename"] != "AssignmentPayload":
            return False, f"mutation error: {result.get('code')}", None
        ok = result["assignment"]["state"] == "SIGNED" and result["document"]["state"] == "SIGNED"
        return ok, None if ok else "not signed", None


class Mixed(Scenario):
    """Drafts, signatures and reads interleaved, as in a county office at its busiest."""

    name = "mixed"

    def __init__(self, users: list[dict], details: list[tuple[str, str]], signs: list[tuple[str, str]],
                 tokens: dict[str, str]) -> None:
        self.inbox = AppInbox(users, tokens)
        self.detail = Detail(details, tokens)
        self.sign = Sign(signs, tokens)
        self.drafts = [({**JSON_HEADERS, "authorization": f"Bearer {tokens[u['username']]}"}) for u in users]

    def _draft(self, i: int):
        body = _body(DRAFT, {"d": {"title": f"关于做好第{i}号事项的通知", "issuer": "COUNTY_GOVERNMENT",
                                   "genre": "NOTICE", "direction": "DOWNWARD"}})
        return body, self.drafts[i % len(self.drafts)]

    def request(self, i):
        kind = i % 5
        if kind == 0:
            return self._draft(i)
        if kind == 1:
            return self.sign.request(i) or self._draft(i)
        if kind == 4:
            return self.detail.request(i)
        return self.inbox.request(i)

    def judge(self, body):
        data = body.get("data") or {}
        if "createDraft" in data and not body.get("errors"):
            result = data["createDraft"]
            ok = result["__typename"] == "DocumentPayload"
            return ok, None if ok else f"mutation error: {result.get('code')}", None
        if "signDocument" in data:
            return self.sign.judge(body)
        if "node" in data:
            return self.detail.judge(body)
        if "inbox" in data:
            # Signatures move items on: a page may come back short, which is not an error here.
            if (error := _graphql_error(body)) is not None:
                return False, error, None
            return True, None, len(data["inbox"]["edges"])
        return False, _graphql_error(body) or "bad answer", None


async def database_connections(url: str, database: str) -> int:
    """Connections to the bench database other than this one (the app's pools and listeners)."""
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", database)
    finally:
        await connection.close()


def connections_by_process(port: int) -> dict[str, int]:
    """Which server process holds each of the driver's connections (``ss``), e.g. {"pid 123": 20, ...}."""
    try:
        out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True,
                             text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    counts = collections.Counter(part.split(",")[0] for line in out.splitlines()
                                 for part in line.split("pid=")[1:2])
    return {f"pid {pid}": n for pid, n in sorted(counts.items())}


async def run_phase(base: str, scenario: Scenario, clients: int, *, seconds: float, warmup: float,
                    max_requests: int, ramp_ms: float = 25.0) -> Phase:
    """Warm up (clients join one by one, ``ramp_ms`` apart), then measure on the same connections."""
    phase = Phase(scenario.name, clients)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    counter = 0
    recording = False
    deadline = 0.0
    last_done = 0.0

    async def worker(client: httpx.AsyncClient, delay: float) -> None:
        nonlocal counter, last_done
        await asyncio.sleep(delay)
        while time.perf_counter() < deadline and counter < max_requests:
            request = scenario.request(counter)
            if request is None:
                phase.ran_out = True
                return
            counter += 1
            payload, headers = request
            sent = time.perf_counter()
            record = recording
            try:
                reply = await client.post(scenario.path, content=payload, headers=headers)
            except httpx.HTTPError as error:
                if record:
                    phase.requests += 1
                    phase.errors[f"transport: {type(error).__name__}"] += 1
                continue
            elapsed = (time.perf_counter() - sent) * 1000
            if not record:
                continue
            last_done = time.perf_counter()
            phase.requests += 1
            if reply.status_code != 200:
                phase.errors[f"HTTP {reply.status_code}"] += 1
                continue
            ok, error, items = scenario.judge(reply.json())
            if items is not None:
                phase.items.append(items)
            if not ok:
                phase.errors[error or "bad answer"] += 1
                continue
            phase.latencies_ms.append(elapsed)
            if "x-sql-statements" in reply.headers:
                phase.sql.append(int(reply.headers["x-sql-statements"]))

    # One client (one keep-alive connection) per simulated user: httpx's shared pool costs more CPU
    # per request the more connections it holds.
    async with contextlib.AsyncExitStack() as stack:
        pool = [await stack.enter_async_context(
                    httpx.AsyncClient(base_url=base, limits=limits, timeout=60, verify=False))
                for _ in range(clients)]
        # Warm-up: the clients join gradually, so the server's workers share the connections out.
        ramp = [i * ramp_ms / 1000 for i in range(clients)]
        if warmup > 0:
            deadline = time.perf_counter() + max(warmup, ramp[-1] + 0.2)
            await asyncio.gather(*(worker(c, delay) for c, delay in zip(pool, ramp)))
            counter = 0
            ramp = [0.0] * clients
        phase.connections = connections_by_process(httpx.URL(base).port)
        recording = True
        started = time.perf_counter()
        cpu_started = time.process_time()
        deadline = started + seconds
        last_done = started
        await asyncio.gather(*(worker(c, delay) for c, delay in zip(pool, ramp)))
        phase.seconds = (last_done if phase.ran_out else time.perf_counter()) - started
        phase.driver_cpu = time.process_time() - cpu_started
        if not phase.connections:
            phase.connections = connections_by_process(httpx.URL(base).port)
    return phase


def table(results: list[dict], ratios: dict[int, float]) -> str:
    lines = ["| scenario | clients | req/s | p50 ms | p95 ms | p99 ms | max ms | SQL/request | errors | driver CPU | "
             "connections per server process |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        sql = r["sql_per_request"]
        sql_text = "—" if sql is None else (f"{sql['median']:g}" if sql["min"] == sql["max"]
                                            else f"{sql['median']:g} ({sql['min']}–{sql['max']})")
        errors = sum(r["errors"].values())
        error_text = "0" if not errors else f"{errors} ({', '.join(f'{k}: {v}' for k, v in r['errors'].items())})"
        lines.append(f"| {r['scenario']}{' (ran out)' if r['ran_out_of_documents'] else ''} | {r['clients']} | "
                     f"{r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {sql_text} | "
                     f"{error_text} | {r['driver_cpu_pct']:.0f}% | "
                     f"{'/'.join(str(n) for n in r['connections_per_server_process'].values()) or '—'} |")
    if ratios:
        lines.append("")
        lines.append("inbox throughput, app ÷ PostGraphile: "
                     + ", ".join(f"{c} clients {ratio:.2f}×" for c, ratio in ratios.items()))
    return "\n".join(lines)


async def main_async(args) -> None:
    url = args.database_url
    database = asyncpg_url(url).rsplit("/", 1)[1].split("?")[0]
    accounts_file = args.accounts_file or OUT_DIR / f"accounts-{database}.json"
    if not accounts_file.exists():
        raise SystemExit(f"{accounts_file} is missing: run `python -m bench.generate` first")
    generated = json.loads(accounts_file.read_text())
    plan = await make_plan(url, generated["accounts"], users=args.users, signers=args.signers, seed=args.seed)
    if not plan.inbox_users:
        raise SystemExit("no signed-in official has 20 items waiting: generate more documents")
    print(f"database {database}: {plan.counties} counties, {plan.documents:,} documents; inbox users "
          f"{len(plan.inbox_users)} (items waiting {min(u['items'] for u in plan.inbox_users)}–"
          f"{max(u['items'] for u in plan.inbox_users)}), detail documents {len(plan.details)}, documents "
          f"waiting for a signature {len(plan.signs)}", flush=True)
    if plan.overdue:
        print(f"WARNING: {plan.overdue} waiting assignments are past due and unreminded: the sweeper will write "
              "reminders when the server starts. Regenerate (bench.generate --fresh) for clean figures.", flush=True)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    others = busy_cores()
    if others > 0.25:
        print(f"WARNING: other processes keep {others:.1f} of {os.cpu_count()} cores busy: the figures will be "
              "lower than on a quiet machine", flush=True)
    app_port, pg_port = args.port or free_port(), args.pg_port or free_port()
    servers = []
    try:
        app = start_app(url, app_port, args.app_workers, OUT_DIR / "app-server.log")
        servers.append(app)
        scenarios_wanted = set(args.scenarios.split(","))
        pg = None
        if "postgraphile" in scenarios_wanted:
            pg = start_postgraphile(url, pg_port, args.pg_workers, OUT_DIR / "postgraphile-server.log")
            servers.append(pg)

        async def app_up(client):
            return (await client.get(f"{app.url}/healthz")).status_code == 200

        await wait_ready(app, app_up)
        if pg is not None:
            async def pg_up(client):
                reply = await client.post(f"{pg.url}/graphql", json={"query": "{ __typename }"})
                return reply.status_code == 200

            await wait_ready(pg, pg_up)
        # Every worker up (each answers /healthz); sign-ins spread over them by the kernel.
        usernames = {u["username"] for u in plan.inbox_users} | {u for u, _ in plan.signs}
        started = time.perf_counter()
        tokens = await sign_in(app.url, usernames, generated["password"])
        print(f"signed in {len(tokens)} accounts through the login mutation in "
              f"{time.perf_counter() - started:.1f} s", flush=True)

        levels = [int(c) for c in args.concurrency.split(",")]
        scenarios: list[tuple[str, Scenario]] = []
        if "inbox" in scenarios_wanted:
            scenarios.append((app.url, AppInbox(plan.inbox_users, tokens)))
        if pg is not None:
            scenarios.append((pg.url, PgInbox(plan.inbox_users)))
        if "detail" in scenarios_wanted:
            scenarios.append((app.url, Detail(plan.details, tokens)))
        sign_share = len(plan.signs) // len(levels)
        if "mixed" in scenarios_wanted and "sign" in scenarios_wanted:
            raise SystemExit("mixed and sign share the documents waiting for a signature: run them separately")
        results = []
        deadline = time.monotonic() + args.time_limit
        for clients in levels:
            for base, scenario in scenarios:
                if time.monotonic() > deadline:
                    print("time limit reached; stopping", flush=True)
                    break
                phase = await run_phase(base, scenario, clients, seconds=args.duration, warmup=args.warmup,
                                        max_requests=args.max_requests)
                results.append(phase.summary())
                print(table([results[-1]], {}).splitlines()[-1], flush=True)
            if "mixed" in scenarios_wanted and time.monotonic() <= deadline:
                share = plan.signs[:sign_share]
                del plan.signs[:sign_share]
                # No warm-up: drafts and signatures change the data being measured.
                phase = await run_phase(app.url, Mixed(plan.inbox_users, plan.details, share, tokens), clients,
                                        seconds=args.duration, warmup=0, max_requests=args.max_requests)
                results.append(phase.summary())
                # The app's pools keep what they opened: this is the most the phase held at once.
                results[-1]["database_connections"] = await database_connections(url, database)
                print(table([results[-1]], {}).splitlines()[-1], flush=True)
            if "sign" in scenarios_wanted and time.monotonic() <= deadline:
                share = plan.signs[:sign_share]
                del plan.signs[:sign_share]
                # No warm-up (every signature uses up a document), but the clients still join gradually.
                phase = await run_phase(app.url, Sign(share, tokens), clients, seconds=args.duration, warmup=0,
                                        max_requests=args.max_requests)
                results.append(phase.summary())
                print(table([results[-1]], {}).splitlines()[-1], flush=True)
    finally:
        for server in servers:
            server.stop()

    rps = {(r["scenario"], r["clients"]): r["rps"] for r in results}
    ratios = {c: rps[("inbox", c)] / rps[("inbox/postgraphile", c)] for c in levels
              if rps.get(("inbox", c)) and rps.get(("inbox/postgraphile", c))}
    now = dt.datetime.now(dt.timezone.utc)
    machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
               f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    report = {"at": now.isoformat(), "machine": machine, "commit": commit, "busy_cores_before": round(others, 2),
              "database": database, "counties": plan.counties,
              "documents": plan.documents, "app_workers": args.app_workers, "postgraphile_workers": args.pg_workers,
              "duration_s": args.duration, "warmup_s": args.warmup, "results": results,
              "inbox_ratio_app_over_postgraphile": ratios}
    out = OUT_DIR / f"load-{database}-{now:%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\n{machine} ({others:.1f} cores busy with other work at the start); commit {commit}; "
          f"{plan.counties} counties, {plan.documents:,} documents; app {args.app_workers} uvicorn "
          f"workers, PostGraphile {args.pg_workers} workers; {args.duration} s per phase after {args.warmup} s "
          f"warm-up; {now:%Y-%m-%d %H:%M} UTC\n")
    print(table(results, ratios))
    print(f"\nsaved {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--accounts-file", type=Path, default=None)
    parser.add_argument("--concurrency", default="1,8,32,64")
    parser.add_argument("--scenarios", default="inbox,postgraphile,detail,sign")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per phase")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds unrecorded before each phase")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per phase")
    parser.add_argument("--time-limit", type=float, default=540.0, help="seconds for all phases together")
    parser.add_argument("--users", type=int, default=40, help="officials whose inboxes are read")
    parser.add_argument("--signers", type=int, default=60, help="accounts that sign (each signs in once)")
    parser.add_argument("--app-workers", type=int, default=2)
    parser.add_argument("--pg-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--pg-port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    run_on_uvloop(main_async(parser.parse_args()))


def run_on_uvloop(main_coroutine) -> None:
    """Run on uvloop when installed, as uvicorn serves (uvicorn[standard])."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main_coroutine)


if __name__ == "__main__":
    main()
