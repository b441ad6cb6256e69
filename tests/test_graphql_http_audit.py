"""GraphQL over HTTP conformance: graphql-http's own server audit, run against a live uvicorn.

Needs Node and `npm ci` (the Makefile's `make test` does it). Without node_modules the test is
skipped locally and fails under CI=true, like the PostgreSQL tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live_server import live_server  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "tests" / "js" / "audit.mjs"
IN_CI = os.environ.get("CI", "").lower() == "true"
SUMMARY = re.compile(r"^audit: (\d+) audits, (\d+) ok, (\d+) warn, (\d+) notice, (\d+) error$", re.MULTILINE)


def _node() -> str:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not (ROOT / "node_modules" / "graphql-http").is_dir():
        missing = "node_modules/graphql-http is missing: run `npm ci`"
    if missing:
        if IN_CI:
            pytest.fail(missing + " (CI=true: the audit must run)", pytrace=False)
        pytest.skip(missing)
    return node


def run_audit(url: str) -> tuple[subprocess.CompletedProcess, dict[str, int]]:
    done = subprocess.run([_node(), str(AUDIT), url], cwd=ROOT, capture_output=True, text=True, timeout=60)
    match = SUMMARY.search(done.stdout)
    assert match, f"no summary line from the audit:\n{done.stdout}\n{done.stderr}"
    total, ok, warn, notice, error = map(int, match.groups())
    return done, {"total": total, "ok": ok, "warn": warn, "notice": notice, "error": error}


def test_the_server_passes_the_graphql_over_http_audit(live_server):
    done, counts = run_audit(live_server.graphql_url)
    print(done.stdout)  # every audit and its reason, shown by pytest -rP or on failure
    assert done.returncode == 0 and counts["error"] == 0, done.stdout + done.stderr
    # The audit really ran (graphql-http 1.23 has ~60 audits) and nothing was waved through as a warning.
    assert counts["total"] >= 50
    assert counts["ok"] == counts["total"], done.stdout


def test_the_audit_script_fails_on_a_server_that_does_not_speak_graphql(live_server):
    # /healthz answers JSON but is no GraphQL endpoint: the MUST audits fail, so the script exits 1.
    done, counts = run_audit(live_server.url("/healthz"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert counts["error"] > 0
