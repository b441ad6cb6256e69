"""CPU per request, in one process: the load driver's inbox and detail queries through the real ASGI app.

No HTTP server and no competing clients: requests run one after another through ``httpx.ASGITransport``,
so the time per request is the app's own work (GraphQL execution, SQL, JSON), the figure that bounds
throughput on two cores. ``--pyinstrument FILE`` writes an HTML profile of the timed requests.

    .venv/bin/python -m bench.profile                       # inbox, 300 requests
    .venv/bin/python -m bench.profile --scenario detail --pyinstrument bench/out/detail.html
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

import httpx

from bench.generate import DEFAULT_URL, OUT_DIR, asyncpg_url, sqlalchemy_url
from bench.load import DETAIL, INBOX, LOGIN, make_plan, run_on_uvloop
from config import Settings
from server import create_app, tune_garbage_collector


async def main_async(args) -> None:
    database = asyncpg_url(args.database_url).rsplit("/", 1)[1].split("?")[0]
    generated = json.loads((OUT_DIR / f"accounts-{database}.json").read_text())
    plan = await make_plan(args.database_url, generated["accounts"], users=40, signers=0, seed=1)
    settings = Settings(database_url=sqlalchemy_url(args.database_url), secret_key="bench-profile-secret-key-32-bytes-long")
    app = create_app(settings)
    tune_garbage_collector()  # as each server process does (server.app_from_env)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        tokens = {}
        readers = {u["username"] for u in plan.inbox_users}
        for username in sorted(readers):
            reply = await client.post("/graphql", json={"query": LOGIN, "variables": {
                "username": username, "password": generated["password"]}})
            tokens[username] = reply.json()["data"]["login"]["token"]
        if args.scenario == "inbox":
            requests = [({"query": INBOX}, tokens[u["username"]]) for u in plan.inbox_users]
        else:
            requests = [({"query": DETAIL, "variables": {"id": document}}, tokens[reader])
                        for reader, document in plan.details[:200]]

        async def one(i: int) -> int:
            body, token = requests[i % len(requests)]
            reply = await client.post("/graphql", json=body, headers={"authorization": f"Bearer {token}"})
            answer = reply.json()
            if reply.status_code != 200 or answer.get("errors"):
                raise SystemExit(f"request failed: {reply.status_code} {str(answer)[:300]}")
            return int(reply.headers["x-sql-statements"])

        async def run(count: int) -> tuple[list[float], list[int]]:
            """CPU per request: each batch of ``--concurrency`` requests at once, its CPU shared out."""
            cpu, statements = [], []
            for start in range(0, count, args.concurrency):
                batch = range(start, min(count, start + args.concurrency))
                started = time.process_time()
                statements += await asyncio.gather(*(one(i) for i in batch))
                cpu += [(time.process_time() - started) * 1000 / len(batch)] * len(batch)
            return cpu, statements

        await run(min(50, args.requests))  # warm the caches (parser, validation, statements)
        profiler = None
        if args.pyinstrument:
            from pyinstrument import Profiler
            profiler = Profiler(async_mode="enabled", interval=0.0005)
            profiler.start()
        cpu, statements = await run(args.requests)
        if profiler is not None:
            profiler.stop()
            args.pyinstrument.write_text(profiler.output_html() if args.pyinstrument.suffix == ".html"
                                          else profiler.output_text(unicode=True, show_all=False))
    cpu.sort()
    print(f"{args.scenario}: {args.requests} requests, {args.concurrency} at a time, CPU per request (this process, server and client): "
          f"median {statistics.median(cpu):.2f} ms, p90 {cpu[int(len(cpu) * 0.9)]:.2f} ms, "
          f"mean {statistics.fmean(cpu):.2f} ms; SQL statements per request {min(statements)}–{max(statements)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scenario", choices=["inbox", "detail"], default="inbox")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight at once")
    parser.add_argument("--pyinstrument", type=Path, default=None,
                        help="write a profile of the timed requests here (HTML if FILE ends in .html, else text)")
    run_on_uvloop(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
