"""`qianfa`: the administrator's command line.

Each command opens its own engine on DATABASE_URL and runs in one transaction through the same
services as the GraphQL API, so validation and the audit trail are identical. Expected failures are
printed to stderr with exit code 1; a bad setting (DATABASE_URL, …) with exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import os
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
import yaml
from rich.cells import cell_len
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cli import demo, roster_formats
from cli.roster_formats import load_yaml, read_roster_file, to_csv, to_yaml
from cli.roster_sync import export_roster, import_roster
from config import Settings, SettingsError
from db.engine import create_engine, session_factory
from db.models import Account, ApiToken, County, Official, utcnow
from domain.accounts import DEFAULT_API_TOKEN_DAYS, MAX_API_TOKEN_DAYS, ApiTokenScope
from domain.calendar import CalendarUnknown
from domain.errors import DomainError, ErrorCode
from domain.roster import LOCAL_TZ, AccountRole, RuleSet
from services import audit, auth, calendar, tenancy
from services.audit import Actor

app = typer.Typer(help="Administer qianfa: database schema, demo county, roster files, API tokens, accounts.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
roster_app = typer.Typer(help="Roster files: import and export (`qianfa roster formats` describes them).",
                         no_args_is_help=True)
token_app = typer.Typer(help="Long-lived API tokens for admin scripts.", no_args_is_help=True)
county_app = typer.Typer(help="Counties (tenants).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
account_app = typer.Typer(help="Sign-in accounts.", no_args_is_help=True)
calendar_app = typer.Typer(help="The working-day calendar: holidays and 调休 workdays.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(roster_app, name="roster")
app.add_typer(token_app, name="token")
app.add_typer(account_app, name="account")
app.add_typer(county_app, name="county")
app.add_typer(audit_app, name="audit")
app.add_typer(calendar_app, name="calendar")

_Result = TypeVar("_Result")


class RosterFormat(str, enum.Enum):
    YAML = "yaml"
    CSV = "csv"


# ---------------------------------------------------------------- plumbing


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _run(command: str, work: Callable[[AsyncEngine, Actor], Awaitable[_Result]]) -> _Result:
    """Run a command's database work on its own engine; expected failures become a message and exit 1."""
    try:
        url = Settings.from_env().database_url
    except SettingsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None

    async def main() -> _Result:
        engine = create_engine(url)
        try:
            return await work(engine, Actor(account_id=None, request_id=f"cli:{command}"))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except DomainError as error:
        field = f", {error.field}" if error.field else ""
        _fail(f"{error.message} ({error.code.value}{field})")
    except DBAPIError as error:
        # A missing table, a missing database: the driver's own words are the useful part.
        _fail(f"database: {error.orig}")
    except OSError as error:
        # The database server cannot be reached.
        _fail(f"database: {error}")


@contextlib.asynccontextmanager
async def _transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with session_factory(engine)() as session, session.begin():
        yield session


async def _county(session: AsyncSession, code: str) -> County:
    county = (await session.execute(select(County).where(County.code == code))).scalar_one_or_none()
    if county is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No county with code {code!r}.", field="county")
    return county


async def _account(session: AsyncSession, username: str) -> Account:
    account = (await session.execute(select(Account).where(Account.username == username))).scalar_one_or_none()
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No account named {username!r}.", field="username")
    return account


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns aligned on a terminal: a Chinese character takes two cells (rich knows the widths)."""
    widths = [max(cell_len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    return "\n".join("  ".join(str(cell) + " " * (width - cell_len(str(cell))) for cell, width in zip(row, widths))
                     .rstrip() for row in [headers, *rows])


# ---------------------------------------------------------------- db, demo


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (safe to repeat)."""
    # Alembic takes a noticeable part of a second to import and only this command needs it.
    from db import migrate

    async def work(engine: AsyncEngine, _actor: Actor) -> str:
        await migrate.upgrade(engine)
        return engine.url.render_as_string(hide_password=True)

    typer.echo(f"The database at {_run('db upgrade', work)} has the latest schema.")


@app.command("seed-demo")
def seed_demo_command(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Seed only if no county exists yet.")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the demo county and seed it afresh "
                                                       "(its business trip and documents dated from today).")] = False,
) -> None:
    """Create the demo county (db/demo_county.yaml), then tell how to sign in and what it shows now."""
    if if_empty and reset:
        _fail("Give --if-empty or --reset, not both.")

    async def work(engine: AsyncEngine, actor: Actor) -> tuple[demo.Seeded | None, demo.DemoStory | None]:
        seeded = None
        async with _transaction(engine) as session:
            county = await demo.demo_county(session)
            if reset and county is not None:
                await demo.remove_demo_county(session, county=county, actor=actor)
                county = None
            any_county = (await session.execute(select(County.id).limit(1))).first()
            if county is None and not (if_empty and any_county):
                seeded = await demo.seed_demo(session, actor=actor)
                county = seeded.county
        if county is None:
            return None, None
        async with session_factory(engine)() as session:
            return seeded, await demo.describe_demo(session, county=county, at=utcnow())

    seeded, story = _run("seed-demo", work)
    if story is None:
        typer.echo("Counties exist already and none is the demo county: nothing was seeded.")
        return
    county = story.county
    if seeded is not None:
        typer.echo(f"Seeded the demo county {county.name} ({county.code}, rule set {county.rule_set.value}) "
                   f"with {seeded.changes} roster changes.")
    else:
        typer.echo(f"The demo county {county.name} ({county.code}) is there already "
                   "(`qianfa seed-demo --reset` seeds it afresh).")
    typer.echo(f"Sign in with the password {story.password} (as seeded) as:")
    typer.echo(textwrap.indent(_table(["USERNAME", "ROLE", "OFFICIAL"],
                                      [[s.username, s.role.value, s.official or ""] for s in story.sign_ins]),
                               "  "))
    typer.echo("Away now:" if story.away else
               "Nobody is away now (the demo's business trip is over: `qianfa seed-demo --reset` starts a new one).")
    for line in story.away:
        typer.echo(f"  {line}")
    typer.echo("Documents:")
    for line in story.documents:
        typer.echo(f"  {line}")
    typer.echo("Meetings:")
    for line in story.meetings:
        typer.echo(f"  {line}")
    typer.echo("Issuing (印发, 发文字号):")
    for line in story.issuing:
        typer.echo(f"  {line}")
    typer.echo("Requests sent up to the county government (收文):")
    for line in story.incoming_requests:
        typer.echo(f"  {line}")
    typer.echo("Supervision (督查):")
    for line in story.supervision:
        typer.echo(f"  {line}")
    typer.echo("NPC suggestions and CPPCC proposals (建议提案):")
    for line in story.proposals:
        typer.echo(f"  {line}")


# ---------------------------------------------------------------- roster


@roster_app.command("formats")
def roster_formats_help() -> None:
    """Describe the YAML and CSV roster formats."""
    typer.echo(roster_formats.__doc__)


@roster_app.command("import")
def roster_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A .yaml, .yml or .csv roster.")],
    county: Annotated[str, typer.Option("--county", help="The county's code.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the changes, then write nothing.")] = False,
) -> None:
    """Apply a roster file to a county: all of it, or nothing if any entry is wrong."""
    try:
        roster_file = read_roster_file(file)
    except UnicodeDecodeError:
        _fail(f"{file} is not UTF-8 text.")

    async def work(engine: AsyncEngine, actor: Actor):
        async with session_factory(engine)() as session:
            county_id = (await _county(session, county)).id
            result = await import_roster(session, county_id=county_id, roster_file=roster_file, actor=actor)
            if result.problems or dry_run:
                await session.rollback()
            else:
                await session.commit()
            return result

    result = _run("roster import", work)
    if result.problems:
        typer.echo(f"{file.name}: {len(result.problems)} problem(s), nothing was imported:", err=True)
        for problem in result.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1)
    if not result.changes:
        typer.echo(f"No changes: {county} already matches {file.name}.")
        return
    if dry_run:
        typer.echo(f"Dry run: importing {file.name} would make {len(result.changes)} change(s) to {county}; "
                   "nothing was written.")
    else:
        typer.echo(f"Imported {file.name} into {county}: {len(result.changes)} change(s).")
    for change in result.changes:
        typer.echo(f"  {change}")


@roster_app.command("export")
def roster_export(
    county: Annotated[str, typer.Option("--county", help="The county's code.")],
    format: Annotated[RosterFormat | None, typer.Option("--format", help="Default: by --output's extension, "
                                                                         "else yaml.")] = None,
    output: Annotated[Path | None, typer.Option("--output", dir_okay=False, help="Default: stdout.")] = None,
) -> None:
    """Write a county's current roster in the format `roster import` reads."""
    chosen = format or (RosterFormat.CSV if output and output.suffix.lower() == ".csv" else RosterFormat.YAML)

    async def work(engine: AsyncEngine, _actor: Actor):
        async with _transaction(engine) as session:
            return await export_roster(session, county_id=(await _county(session, county)).id)

    roster_file = _run("roster export", work)
    text = to_csv(roster_file) if chosen == RosterFormat.CSV else to_yaml(roster_file)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror}")
    typer.echo(f"Wrote the roster of {county} ({len(roster_file.officials)} officials, "
               f"{len(roster_file.departments)} departments) to {output}.")


# ---------------------------------------------------------------- tokens


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Option("--username", help="The account the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="What uses it, e.g. 'nightly roster sync'.")],
    expires_in_days: Annotated[int, typer.Option(
        "--expires-in-days", help=f"How many days it works, 1 to {MAX_API_TOKEN_DAYS}.")] = DEFAULT_API_TOKEN_DAYS,
    scope: Annotated[ApiTokenScope, typer.Option(
        "--scope", help="read: its mutations are refused; read_write: it acts as the account does.")
    ] = ApiTokenScope.READ_WRITE,
) -> None:
    """Create an API token. It is printed once, alone on stdout; only its digest is stored."""
    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            account = await _account(session, username)
            return await auth.create_api_token(session, account_id=account.id, name=name, actor=actor,
                                               expires_in_days=expires_in_days, scope=scope)

    token, row = _run("token create", work)
    expiry = row.expires_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    typer.echo(f"API token {row.id} ({row.name}, {row.scope.value}, until {expiry}) for {username}; "
               "it is shown only this once:", err=True)
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(metavar="ID", help="From `qianfa token list`.")]) -> None:
    """Revoke an API token: requests using it are refused from now on."""
    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            return await auth.revoke_api_token(session, token_id=token_id, actor=actor)

    row = _run("token revoke", work)
    typer.echo(f"Revoked API token {row.id} ({row.name}, {row.prefix}…).")


@token_app.command("list")
def token_list(
    username: Annotated[str | None, typer.Option("--username", help="Only this account's tokens.")] = None,
) -> None:
    """List API tokens (never the tokens themselves)."""
    async def work(engine: AsyncEngine, _actor: Actor):
        async with _transaction(engine) as session:
            query = select(ApiToken, Account.username).join(Account, Account.id == ApiToken.account_id)
            if username is not None:
                query = query.where(ApiToken.account_id == (await _account(session, username)).id)
            return (await session.execute(query.order_by(ApiToken.id))).all()

    rows = _run("token list", work)
    if not rows:
        typer.echo("No API tokens.")
        return

    def local(moment) -> str:
        return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if moment else "-"

    typer.echo(_table(["ID", "ACCOUNT", "NAME", "PREFIX", "SCOPE", "CREATED", "EXPIRES", "REVOKED"],
                      [[str(token.id), owner, token.name, token.prefix, token.scope.value, local(token.created_at),
                        local(token.expires_at), local(token.revoked_at)] for token, owner in rows]))


# ---------------------------------------------------------------- counties and the audit trail


@county_app.command("create")
def county_create(
    code: Annotated[str, typer.Option("--code", help="Short code, e.g. lulong.")],
    name: Annotated[str, typer.Option("--name")],
    rule_set: Annotated[RuleSet, typer.Option("--rule-set", help="The county's signing rules.")],
) -> None:
    """Create a county with its rule set's signing table."""

    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            return await tenancy.create_county(session, code=code, name=name, rule_set=rule_set, actor=actor)

    county = _run("county create", work)
    typer.echo(f"Created county {county.code} ({county.name}) with the {county.rule_set.value} signing table.")


@county_app.command("list")
def county_list() -> None:
    """List the counties: code, name, rule set, officials and accounts."""

    async def work(engine: AsyncEngine, _actor: Actor):
        async with _transaction(engine) as session:
            officials = select(func.count()).where(Official.county_id == County.id).scalar_subquery()
            accounts = select(func.count()).where(Account.county_id == County.id).scalar_subquery()
            return (await session.execute(
                select(County.code, County.name, County.rule_set, officials, accounts).order_by(County.code))).all()

    rows = _run("county list", work)
    if not rows:
        typer.echo("No counties yet: `qianfa county create` or `qianfa seed-demo` makes one.")
        return
    typer.echo(_table(["CODE", "NAME", "RULE SET", "OFFICIALS", "ACCOUNTS"],
                      [[code, name, rule_set.value, str(officials), str(accounts)]
                       for code, name, rule_set, officials, accounts in rows]))


@app.command("sweep")
def sweep_command(
    now: Annotated[str | None, typer.Option("--now", help="ISO time with offset; now when omitted.")] = None,
) -> None:
    """Run the deadline sweeper once: reminders and deemed no objection for lapsed steps."""
    from services import deadlines

    at = dt.datetime.fromisoformat(now) if now else None
    if at is not None and at.tzinfo is None:
        _fail("--now needs a UTC offset, e.g. 2026-10-10T09:00:00+08:00.")

    async def work(engine: AsyncEngine, _actor: Actor):
        return await deadlines.sweep(session_factory(engine), now=at)

    report = _run("sweep", work)
    if report.busy:
        typer.echo("Another process is sweeping; nothing done.")
    else:
        typer.echo(f"Sent {report.reminded} reminders; {report.deemed} assignments deemed no objection.")


@audit_app.command("verify")
def audit_verify(
    county: Annotated[str | None, typer.Option("--county", help="The county's code.")] = None,
    system: Annotated[bool, typer.Option(
        "--system", help="The system-level trail (counties, system accounts and their tokens).")] = False,
) -> None:
    """Recompute a county's audit chain, or the system-level one; exit 1 naming the first broken link."""
    if (county is None) == (not system):
        _fail("give --county CODE or --system (one of them).")
    trail = "the system" if system else county

    async def work(engine: AsyncEngine, _actor: Actor):
        async with _transaction(engine) as session:
            county_id = None if system else (await _county(session, county)).id
            return await audit.verify_chain(session, county_id=county_id)

    check = _run("audit verify", work)
    if not check.intact:
        _fail(f"the audit chain of {trail} is broken at event {check.first_broken_seq}: {check.problem} "
              f"({check.events} events read).")
    typer.echo(f"The audit chain of {trail} is intact: {check.events} events.")


# ---------------------------------------------------------------- accounts


@account_app.command("create")
def account_create(
    username: Annotated[str, typer.Option("--username")],
    role: Annotated[AccountRole, typer.Option("--role")],
    county: Annotated[str | None, typer.Option("--county", help="The county's code; not for system_admin.")] = None,
    official: Annotated[str | None, typer.Option("--official", help="The official's staff code.")] = None,
) -> None:
    """Create a sign-in. The password comes from QIANFA_PASSWORD, or is asked for.

    \b
    --role official        --county CODE --official STAFF_CODE (the official it signs in as)
    --role county_admin    --county CODE
    --role system_admin    neither
    """
    # Checked before the password is asked for: a wrong command line wastes no typing.
    if role == AccountRole.SYSTEM_ADMIN and (county is not None or official is not None):
        _fail("a system_admin account has no county and no official: drop --county and --official.")
    if role != AccountRole.SYSTEM_ADMIN and county is None:
        kind = "an official's" if role == AccountRole.OFFICIAL else f"a {role.value}"
        _fail(f"{kind} account belongs to a county: give --county CODE.")
    if role == AccountRole.OFFICIAL and official is None:
        _fail("an official's account signs in as an official: give --official STAFF_CODE.")
    if role != AccountRole.OFFICIAL and official is not None:
        _fail("only an official's account names an official: drop --official (or use --role official).")
    password = _password()

    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            county_id = (await _county(session, county)).id if county is not None else None
            official_id = None
            if official is not None:
                official_id = (
                    await session.execute(select(Official.id).where(Official.county_id == county_id,
                                                                    Official.code == official))
                ).scalar_one_or_none()
                if official_id is None:
                    raise DomainError(ErrorCode.NOT_FOUND, f"No official with staff code {official!r} in {county}.",
                                      field="official")
            return await auth.create_account(session, username=username, password=password, role=role,
                                             county_id=county_id, official_id=official_id, actor=actor)

    account = _run("account create", work)
    where = f", county {county}" if county else ""
    typer.echo(f"Created account {account.id} {account.username} ({account.role.value}{where}).")


def _password() -> str:
    return os.environ.get("QIANFA_PASSWORD") or typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@account_app.command("list")
def account_list(
    county: Annotated[str | None, typer.Option("--county", help="Only this county's accounts.")] = None,
) -> None:
    """List sign-in accounts: username, role, county, official and whether it may sign in."""

    async def work(engine: AsyncEngine, _actor: Actor):
        async with _transaction(engine) as session:
            query = (select(Account.username, Account.role, County.code, Official.code, Official.name, Account.active)
                     .outerjoin(County, County.id == Account.county_id)
                     .outerjoin(Official, Official.id == Account.official_id))
            if county is not None:
                query = query.where(Account.county_id == (await _county(session, county)).id)
            # System administrators (no county) first, then county by county.
            return (await session.execute(query.order_by(County.code.nulls_first(), Account.username))).all()

    rows = _run("account list", work)
    if not rows:
        typer.echo("No accounts" + (f" in {county}." if county else ": `qianfa account create` makes one."))
        return
    typer.echo(_table(["USERNAME", "ROLE", "COUNTY", "OFFICIAL", "ACTIVE"],
                      [[username, role.value, county_code or "-", f"{code} {name}" if code else "-",
                        "yes" if active else "no"]
                       for username, role, county_code, code, name, active in rows]))


@account_app.command("reset-password")
def account_reset_password(username: Annotated[str, typer.Argument(metavar="USERNAME")]) -> None:
    """Set a new password for an account (from QIANFA_PASSWORD, or asked for); audited.

    Only the password changes: bearer tokens already issued stay valid until they expire
    (ACCESS_TOKEN_MINUTES) and its API tokens keep working. `qianfa account disable` cuts them all
    off at once; `qianfa token revoke` one API token.
    """
    password = _password()

    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            account = await _account(session, username)
            return await auth.reset_password(session, account_id=account.id, new_password=password, actor=actor)

    account = _run("account reset-password", work)
    typer.echo(f"Set a new password for account {account.id} {account.username}.")


def _set_enabled(username: str, enabled: bool) -> None:
    verb = "enable" if enabled else "disable"

    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            account = await _account(session, username)
            return await auth.set_account_enabled(session, account_id=account.id, enabled=enabled, actor=actor)

    account = _run(f"account {verb}", work)
    typer.echo(f"{verb.capitalize()}d account {account.id} {account.username}.")


@account_app.command("disable")
def account_disable(username: Annotated[str, typer.Argument(metavar="USERNAME")]) -> None:
    """Disable a sign-in: it signs in to nothing and its bearer and API tokens are refused at once."""
    _set_enabled(username, False)


@account_app.command("enable")
def account_enable(username: Annotated[str, typer.Argument(metavar="USERNAME")]) -> None:
    """Enable a disabled sign-in again; its unrevoked API tokens work again."""
    _set_enabled(username, True)


# ---------------------------------------------------------------- the working calendar


def _calendar_days(document: dict, key: str, problems: list[str]) -> list[tuple[dt.date, str]]:
    """The file's ``key`` entries that are a day and a name; what is wrong with the others goes to ``problems``."""
    entries = document.get(key) or []
    if not isinstance(entries, list):
        problems.append(f"{key} must be a list of {{day, name}}.")
        return []
    days = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "day" not in entry or not isinstance(entry.get("name"), str):
            problems.append(f"{key} entry {number} needs a day and a name.")
            continue
        try:
            days.append((dt.date.fromisoformat(str(entry.get("day"))), entry["name"]))
        except ValueError:
            problems.append(f"{key} entry {number}: {entry.get('day')!r} is not a date (YYYY-MM-DD).")
    return days


@calendar_app.command("enter-year")
def calendar_enter_year(
    county: Annotated[str, typer.Option("--county", help="The county's code.")],
    file: Annotated[Path, typer.Option("--file", exists=True, dir_okay=False, readable=True,
                                       help="A YAML file: year, source, holidays and workdays.")],
) -> None:
    """Enter a year's holidays and 调休 workdays, replacing the county's earlier entries for that year.

    \b
    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays:   # every day off, weekends of a holiday included
      - {day: 2027-01-01, name: 元旦}
    workdays:   # weekend days worked in exchange (调休)
      - {day: 2027-02-20, name: 春节}
    """
    try:
        document = load_yaml(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        _fail(f"{file} is not UTF-8 text.")
    except yaml.YAMLError as error:
        _fail(f"{file.name} is not valid YAML: {error}")
    if not isinstance(document, dict):
        _fail(f"{file.name} needs a year, a source, holidays and workdays (`qianfa calendar enter-year --help`).")
    # Every problem of the file at once (as `roster import` does), so it is corrected in one pass.
    problems: list[str] = []
    year, source = document.get("year"), document.get("source")
    if not isinstance(year, int):
        problems.append("year must be a number, e.g. 2027.")
    if not isinstance(source, str):
        problems.append("source must name the announcement the dates come from.")
    holidays = _calendar_days(document, "holidays", problems)
    workdays = _calendar_days(document, "workdays", problems)
    if isinstance(year, int) and isinstance(source, str):
        problems += [f"{problem.message} ({problem.code.value}, {problem.field})" for problem in
                     calendar.year_problems(year=year, holidays=holidays, workdays=workdays, source=source)]
    if problems:
        typer.echo(f"{file.name}: {len(problems)} problem(s), nothing was entered:", err=True)
        for problem in problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1)

    async def work(engine: AsyncEngine, actor: Actor):
        async with _transaction(engine) as session:
            county_id = (await _county(session, county)).id
            await calendar.enter_year(session, county_id=county_id, year=year, holidays=holidays,
                                      workdays=workdays, source=source, actor=actor)

    _run("calendar enter-year", work)
    typer.echo(f"Entered {year} for {county}: {len(holidays)} holiday(s), "
               f"{len(workdays)} workday(s).")


@calendar_app.command("show")
def calendar_show(
    county: Annotated[str, typer.Option("--county", help="The county's code.")],
    year: Annotated[int, typer.Option("--year")],
) -> None:
    """List a year's weekdays off and weekend days worked; exit 1 if nobody has entered the year."""

    async def work(engine: AsyncEngine, _actor: Actor):
        async with _transaction(engine) as session:
            return await calendar.calendar_for(session, county_id=(await _county(session, county)).id)

    working = _run("calendar show", work)
    try:
        days = working.special_days(year)
    except CalendarUnknown as error:
        _fail(calendar.unknown_year(error).message)
    where = f"entered by the county from {working.source_of(year)}" if working.entered(year) else "national calendar"
    typer.echo(f"{county} {year} ({where}):")
    if not days:
        typer.echo("  no weekdays off and no weekend days worked.")
        return
    typer.echo(textwrap.indent(_table(
        ["DAY", "WEEKDAY", "STATUS", "NAME", "SOURCE"],
        [[d.day.isoformat(), d.day.strftime("%a"), "workday" if d.workday else "holiday", d.name, d.source.value]
         for d in days]), "  "))


if __name__ == "__main__":
    app()
