"""An administrator's first hour: settings that fail in one line, logs a person or a collector can read,
and the command line that manages counties, accounts and the calendar without a shell on the database.

Each scenario was seen going wrong (issue 10, points 8 and 9): `DEBUG=maybe`, `PORT=abc` and a
`postgres://` URL ended in tracebacks; `qianfa` run from /tmp made an empty database there; WORKERS=4
on SQLite lost live events; `calendar enter-year` stopped at the first bad line of a file; `county
create` took any code; `account create --role official` made an official's account with no official.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from config import DEFAULT_DATABASE_URL, PROJECT_DIR, Settings, SettingsError
from db.models import Account, AuditEvent, CalendarDay, CalendarYear, County
from tests.county import PASSWORD, build_county, create_system_admin

ROOT = Path(__file__).resolve().parent.parent
# Every variable config.py reads, so a developer's shell cannot change what these runs see.
SETTING_NAMES = {name.upper() for name in Settings.model_fields} | {"SECRET_KEY_FILE"}
KEY = "a-secret-key-of-the-tests-for-start-up-0123456789"
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


def clean_environment(**settings: str) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in SETTING_NAMES}
    return {**environment, "SECRET_KEY": KEY, **settings}


def start(command: list[str], cwd: Path = ROOT, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=clean_environment(**settings), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)


SERVER = [sys.executable, "server.py"]
QIANFA = [str(Path(sys.executable).with_name("qianfa"))]


# ---------------------------------------------------------------- a bad setting: one line, exit 2

BAD_SETTINGS = [
    ({"DEBUG": "maybe"}, "error: DEBUG='maybe': expected true/false, 1/0, yes/no or on/off"),
    ({"PORT": "abc"}, "error: PORT='abc': expected a whole number"),
    ({"PORT": "-1"}, "error: PORT='-1': must be greater than zero"),
    ({"SWEEP_SECONDS": "soon"}, "error: SWEEP_SECONDS='soon': expected a number"),
    ({"LOG_FORMAT": "xml"}, "error: LOG_FORMAT='xml': expected 'auto', 'text' or 'json'"),
    # The password stays out of the message.
    ({"DATABASE_URL": "mysql://clerk:s3cret@db/qianfa"},
     "error: DATABASE_URL='mysql://clerk:***@db/qianfa': expected a postgresql://… or sqlite:///… URL"),
]


@pytest.mark.parametrize(("settings", "line"), BAD_SETTINGS, ids=[next(iter(s)) for s, _ in BAD_SETTINGS])
@pytest.mark.parametrize("program", ["server", "qianfa"])
def test_a_bad_setting_stops_the_server_and_every_command_with_one_line(program, settings, line):
    commands = [SERVER] if program == "server" else [QIANFA + ["county", "list"], QIANFA + ["account", "list"],
                                                      QIANFA + ["db", "upgrade"]]
    for command in commands:
        run = start(command, **settings)
        assert (run.returncode, run.stderr, run.stdout) == (2, line + "\n", ""), command


def test_two_bad_settings_are_named_on_the_same_line():
    run = start(SERVER, PORT="abc", DEBUG="maybe")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "error: PORT='abc': expected a whole number; DEBUG='maybe': expected true/false, 1/0, yes/no or on/off"]


def test_production_without_a_secret_key_is_one_line_too():
    run = start(SERVER, SECRET_KEY="", PRODUCTION="yes")
    assert (run.returncode, run.stderr) == (2, "error: SECRET_KEY is not set: refusing to start with PRODUCTION=true\n")


def test_several_workers_on_sqlite_are_refused_with_the_reason(tmp_path):
    run = start(SERVER, WORKERS="4", DATABASE_URL=f"sqlite:///{tmp_path / 'q.db'}")
    assert run.returncode == 2
    [line] = run.stderr.splitlines()
    assert line.startswith("error: WORKERS=4 needs PostgreSQL") and "live inbox events" in line
    assert not (tmp_path / "q.db").exists()


@pytest.mark.parametrize("word", ["true", "1", "yes", "on", "TRUE", " On "])
def test_a_flag_takes_the_usual_words_for_yes(monkeypatch, word):
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.setenv("DEBUG", word)
    assert Settings.from_env().debug is True


@pytest.mark.parametrize("word", ["false", "0", "no", "off"])
def test_a_flag_takes_the_usual_words_for_no(monkeypatch, word):
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.setenv("INTROSPECTION", word)
    assert Settings.from_env().introspection is False


def test_an_empty_variable_is_unset_and_settings_built_in_code_ignore_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.setenv("PORT", "")
    monkeypatch.setenv("MAX_TOKENS", "50")
    from_env = Settings.from_env()
    assert (from_env.port, from_env.max_tokens, from_env.sweep_seconds) == (8000, 50, 60.0)
    in_code = Settings(secret_key=KEY)
    assert (in_code.max_tokens, in_code.sweep_seconds) == (3000, 0.0)
    assert KEY not in repr(from_env) and KEY not in repr(in_code)
    # 0: no sweeper in this server (cron runs `qianfa sweep`); below 0 means nothing.
    monkeypatch.setenv("SWEEP_SECONDS", "0")
    assert Settings.from_env().sweep_seconds == 0
    monkeypatch.setenv("SWEEP_SECONDS", "-5")
    with pytest.raises(SettingsError, match=r"^SWEEP_SECONDS='-5': must be at least 0$"):
        Settings.from_env()


def test_a_bad_setting_is_a_settings_error_naming_it(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.setenv("ACCESS_TOKEN_MINUTES", "1.5")
    with pytest.raises(SettingsError, match=r"^ACCESS_TOKEN_MINUTES='1.5': expected a whole number$"):
        Settings.from_env()


# ---------------------------------------------------------------- database URLs


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://clerk:pw@db.example:5432/qianfa", "postgresql+asyncpg://clerk:pw@db.example:5432/qianfa"),
    ("postgresql://clerk@db/qianfa?ssl=require", "postgresql+asyncpg://clerk@db/qianfa?ssl=require"),
    ("postgresql+psycopg://clerk@db/qianfa", "postgresql+asyncpg://clerk@db/qianfa"),
    ("postgresql+asyncpg://clerk@db/qianfa", "postgresql+asyncpg://clerk@db/qianfa"),
    ("sqlite:///data/other.db", "sqlite+aiosqlite:///data/other.db"),
    ("sqlite+aiosqlite:////srv/qianfa.db", "sqlite+aiosqlite:////srv/qianfa.db"),
])
def test_database_urls_as_postgresql_prints_them_run_on_the_async_driver(monkeypatch, given, used):
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.setenv("DATABASE_URL", given)
    assert Settings.from_env().database_url == used
    assert Settings(database_url=given).database_url == used


def plain_url(database_url: str) -> str:
    """The test database's URL as an administrator would copy it: ``postgres://…`` or ``sqlite:///…``."""
    url = make_url(database_url)
    plain = url.set(drivername="postgres" if url.get_backend_name() == "postgresql" else "sqlite")
    return plain.render_as_string(hide_password=False)


async def test_the_command_line_works_with_a_postgres_url_as_copied_from_a_hosting_panel(qianfa, sessions,
                                                                                       database_url):
    await build_county(sessions, code="qingxi")
    listed = await qianfa("county", "list", env={"DATABASE_URL": plain_url(database_url)})
    assert listed.code == 0, listed.err
    assert listed.out.splitlines()[1].split()[:2] == ["qingxi", "qingxi"]


# ---------------------------------------------------------------- the default database and key files


def test_the_default_database_and_secret_key_are_beside_config_py_wherever_qianfa_starts(tmp_path):
    """The issue's run: `qianfa` from /tmp made an empty data/qianfa.db in /tmp. Run here on a copy of the
    project, so the default files it creates are the copy's, not this tree's."""
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "data")
    project.mkdir()
    shutil.copy(ROOT / "config.py", project / "config.py")
    for package in ("cli", "db", "domain", "services", "policies"):
        shutil.copytree(ROOT / package, project / package, ignore=ignore)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    run = start([sys.executable, "-m", "cli.main", "db", "upgrade"], cwd=elsewhere,
                PYTHONPATH=str(project), SECRET_KEY="")
    assert run.returncode == 0, run.stderr
    assert f"sqlite+aiosqlite:///{project / 'data' / 'qianfa.db'}" in run.stdout
    assert (project / "data" / "qianfa.db").stat().st_size > 0
    assert (project / "data" / "secret_key").read_text().strip()
    assert list(elsewhere.iterdir()) == []
    # This tree's own default, likewise.
    assert DEFAULT_DATABASE_URL == f"sqlite+aiosqlite:///{PROJECT_DIR / 'data' / 'qianfa.db'}"
    assert PROJECT_DIR == ROOT


# ---------------------------------------------------------------- logs


LOG_A_LINE = ("import logging, server; server.configure_logging(False, log_format={fmt!r}); "
              "logging.getLogger('qianfa.access').info('request', extra={{'request_id': 'r-1', 'status': 200}})")


def log_line(fmt: str, *, terminal: bool) -> str:
    """What one access line looks like on stderr, a real terminal (a pseudo-terminal) or a pipe."""
    command = [sys.executable, "-c", LOG_A_LINE.format(fmt=fmt)]
    if not terminal:
        return start(command).stderr
    controller, terminal_end = pty.openpty()
    try:
        process = subprocess.run(command, cwd=ROOT, env=clean_environment(), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=terminal_end, timeout=60)
        assert process.returncode == 0
        return os.read(controller, 65536).decode()
    finally:
        os.close(controller)
        os.close(terminal_end)


def test_logs_are_readable_text_on_a_terminal_and_json_lines_otherwise():
    [piped] = log_line("auto", terminal=False).splitlines()
    fields = json.loads(piped)
    assert (fields["level"], fields["name"], fields["message"], fields["request_id"], fields["status"]) == \
        ("INFO", "qianfa.access", "request", "r-1", 200)
    assert OFFSET.search(fields["time"]), fields["time"]

    [on_terminal] = log_line("auto", terminal=True).splitlines()
    time, level, rest = on_terminal.split(maxsplit=2)
    assert OFFSET.search(time) and level == "INFO"
    assert rest == "qianfa.access: request  request_id=r-1 status=200"


def test_log_format_can_be_chosen_whatever_stderr_is():
    assert log_line("text", terminal=False).split()[1:4] == ["INFO", "qianfa.access:", "request"]
    assert json.loads(log_line("json", terminal=True))["message"] == "request"


# ---------------------------------------------------------------- calendar enter-year: every problem at once

BAD_CALENDAR = """\
year: 2027
source: 国务院办公厅关于2027年部分节假日安排的通知
holidays:
  - {day: 2027-01-01, name: 元旦}
  - {day: 2027-13-01, name: 春节}
  - {day: 2026-12-31, name: 元旦}
  - {day: 2027-01-01, name: 元旦}
  - {name: 清明}
workdays:
  - {day: 2027-02-01, name: 春节}
  - {day: 2027-02-20, name: " "}
"""


async def test_a_calendar_file_with_five_mistakes_lists_them_all_and_enters_nothing(qianfa, sessions, tmp_path):
    await build_county(sessions)
    file = tmp_path / "2027.yaml"
    file.write_text(BAD_CALENDAR, encoding="utf-8")

    refused = await qianfa("calendar", "enter-year", "--county", "yanjin", "--file", str(file))
    assert refused.code == 1
    assert refused.err.splitlines() == [
        "2027.yaml: 6 problem(s), nothing was entered:",
        "  holidays entry 2: '2027-13-01' is not a date (YYYY-MM-DD).",
        "  holidays entry 5 needs a day and a name.",
        "  2026-12-31 is not in 2027. (invalid, holidays)",
        "  2027-01-01 is listed twice. (invalid, holidays)",
        "  2027-02-20: Every holiday and workday needs a name, e.g. 春节. (invalid, workdays)",
        "  2027-02-01 is a Monday, a workday already: only weekend days are worked in exchange for a holiday "
        "(调休). (invalid, workdays)",
    ]
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CalendarYear)) == 0
        assert await session.scalar(select(func.count()).select_from(CalendarDay)) == 0


async def test_a_calendar_file_without_year_or_source_says_both(qianfa, sessions, tmp_path):
    await build_county(sessions)
    file = tmp_path / "2027.yaml"
    file.write_text("year: next\nholidays:\n  - {day: 2027-01-01, name: 元旦}\n", encoding="utf-8")
    refused = await qianfa("calendar", "enter-year", "--county", "yanjin", "--file", str(file))
    assert refused.code == 1
    assert refused.err.splitlines()[1:] == ["  year must be a number, e.g. 2027.",
                                            "  source must name the announcement the dates come from."]


# ---------------------------------------------------------------- county codes

COUNTY_CODE_RULE = ("A county code is 2 to 64 lowercase letters, digits and hyphens, starting and ending with a "
                    "letter or digit, e.g. lulong.")


@pytest.mark.parametrize("code", ["Lulong", "lu long", "l", "-lulong", "lulong-", "卢龙", "lu_long"])
async def test_a_county_code_that_is_not_lowercase_letters_digits_and_hyphens_is_refused(qianfa, sessions, code):
    refused = await qianfa("county", "create", "--code", code, "--name", "卢龙县", "--rule-set", "lulong-2018")
    assert (refused.code, refused.err) == (1, f"error: {COUNTY_CODE_RULE} (invalid, code)\n")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(County)) == 0


async def test_a_county_code_with_digits_and_a_hyphen_is_taken(qianfa, sessions):
    created = await qianfa("county", "create", "--code", "lulong-2", "--name", "卢龙县", "--rule-set", "lulong-2018")
    assert created.code == 0, created.err
    async with sessions() as session:
        assert await session.scalar(select(County.code)) == "lulong-2"


async def test_graphql_refuses_the_same_county_codes_with_a_typed_error(api, sessions):
    root = await create_system_admin(sessions)
    token = await api.login(root, PASSWORD)
    result = await api.ok("""mutation($input: CreateCountyInput!) {
        createCounty(input: $input) { __typename ... on MutationError { code field message } } }""",
                          {"input": {"code": "Lu Long", "name": "卢龙县", "ruleSet": "LULONG_2018"}}, token=token)
    assert result["createCounty"] == {"__typename": "MutationError", "code": "INVALID", "field": "code",
                                      "message": COUNTY_CODE_RULE}
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(County)) == 0


# ---------------------------------------------------------------- accounts


@pytest.mark.parametrize(("options", "message"), [
    (["--role", "official", "--county", "yanjin"],
     "error: an official's account signs in as an official: give --official STAFF_CODE.\n"),
    (["--role", "county_admin"], "error: a county_admin account belongs to a county: give --county CODE.\n"),
    (["--role", "official", "--official", "VM1"], "error: an official's account belongs to a county: give --county CODE.\n"),
    (["--role", "system_admin", "--county", "yanjin"],
     "error: a system_admin account has no county and no official: drop --county and --official.\n"),
    (["--role", "county_admin", "--county", "yanjin", "--official", "VM1"],
     "error: only an official's account names an official: drop --official (or use --role official).\n"),
])
async def test_account_create_checks_role_county_and_official_before_asking_for_a_password(
        qianfa, sessions, options, message):
    await build_county(sessions)
    async with sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Account))
    # No QIANFA_PASSWORD and no terminal: had it asked for the password, it would have said "Aborted".
    refused = await qianfa("account", "create", "--username", "new.one", *options)
    assert (refused.code, refused.err) == (1, message)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Account)) == before


async def test_an_administrator_lists_the_accounts_of_a_county_or_of_all(qianfa, sessions):
    county = await build_county(sessions)
    await build_county(sessions, code="lulong")
    root = await create_system_admin(sessions)
    disabled = await qianfa("account", "disable", county.account("VM2"))
    assert disabled.code == 0, disabled.err

    listed = await qianfa("account", "list", "--county", "yanjin")
    assert listed.code == 0, listed.err
    header, *rows = listed.out.splitlines()
    assert header.split() == ["USERNAME", "ROLE", "COUNTY", "OFFICIAL", "ACTIVE"]
    by_name = {row.split()[0]: row.split()[1:] for row in rows}
    assert len(by_name) == len(county.officials) + 1
    assert by_name[county.admin] == ["county_admin", "yanjin", "-", "yes"]
    assert by_name[county.account("VM1")] == ["official", "yanjin", "VM1", "吴副县长", "yes"]
    assert by_name[county.account("VM2")][-1] == "no"
    # The last column starts in the same terminal cell on every line although the official's names
    # before it are Chinese (two cells a character).
    assert len({cell_len(row[:row.rindex(" ") + 1]) for row in [header, *rows]}) == 1

    everyone = await qianfa("account", "list")
    names = [line.split()[0] for line in everyone.out.splitlines()[1:]]
    assert names[0] == root and len(names) == 1 + 2 * (len(county.officials) + 1)
    assert names.index(county.admin) > names.index("admin.lulong")

    unknown = await qianfa("account", "list", "--county", "nowhere")
    assert (unknown.code, unknown.err) == (1, "error: No county with code 'nowhere'. (not_found, county)\n")


async def test_an_administrator_resets_a_forgotten_password_and_the_trail_records_it(qianfa, api, sessions):
    county = await build_county(sessions)
    official = county.account("VM1")
    new_password = "a new passphrase for VM1"

    reset = await qianfa("account", "reset-password", official, env={"QIANFA_PASSWORD": new_password})
    assert reset.code == 0, reset.err
    assert "Set a new password for account" in reset.out and official in reset.out
    assert await api.login(official, new_password)
    old = await api.ok("""mutation($u: String!, $p: String!) {
        login(username: $u, password: $p) { __typename } }""", {"u": official, "p": PASSWORD})
    assert old["login"]["__typename"] == "MutationError"
    async with sessions() as session:
        event = (await session.execute(select(AuditEvent).where(AuditEvent.action == "account.reset_password")
                                       )).scalar_one()
    assert (event.county_id, event.request_id) == (county.id, "cli:account reset-password")


async def test_a_weak_new_password_or_an_unknown_account_changes_nothing(qianfa, api, sessions):
    county = await build_county(sessions)
    weak = await qianfa("account", "reset-password", county.admin, env={"QIANFA_PASSWORD": "short"})
    assert weak.code == 1 and "(weak_password, newPassword)" in weak.err, weak
    assert await api.login(county.admin, PASSWORD)

    unknown = await qianfa("account", "reset-password", "nobody", env={"QIANFA_PASSWORD": "long enough password"})
    assert (unknown.code, unknown.err) == (1, "error: No account named 'nobody'. (not_found, username)\n")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "account.reset_password")) == 0


def test_reset_password_says_it_leaves_tokens_alone():
    run = start(QIANFA + ["account", "reset-password", "--help"])
    assert run.returncode == 0 and "API tokens keep working" in " ".join(run.stdout.split())
