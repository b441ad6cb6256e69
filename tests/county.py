"""A small county built through the services, for scenarios to act on.

Yanjin-style line-up: magistrate, executive VM, three VMs in two AB pairs, the government office
with a director and two deputies, and a few departments with principals and deputies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from strawberry.relay import to_base64

from db.models import Account
from domain.roster import AccountRole, DepartmentKind, Role, RuleSet
from services import auth, roster, tenancy
from services.audit import Actor

TERM_START = dt.date(2024, 1, 1)
PASSWORD = "correct horse battery"
SYSTEM = Actor(account_id=None, request_id="test-setup")


@dataclass
class County:
    id: int
    code: str
    officials: dict[str, int] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    ab_pairs: dict[str, int] = field(default_factory=dict)

    @property
    def gid(self) -> str:
        return to_base64("County", self.id)

    def official(self, code: str) -> str:
        return to_base64("Official", self.officials[code])

    def department(self, name: str) -> str:
        return to_base64("Department", self.departments[name])

    def position(self, key: str) -> str:
        return to_base64("Position", self.positions[key])

    @property
    def admin(self) -> str:
        return f"admin.{self.code}"

    def account(self, official_code: str) -> str:
        return f"{official_code.lower()}.{self.code}"


OFFICIALS = [
    # code, name, rank, role, department
    ("MAG", "林县长", 1, Role.MAGISTRATE, None),
    ("EVM", "周常务", 2, Role.EXECUTIVE_VICE_MAGISTRATE, None),
    ("VM1", "吴副县长", 3, Role.VICE_MAGISTRATE, None),
    ("VM2", "郑副县长", 4, Role.VICE_MAGISTRATE, None),
    ("VM3", "王副县长", 5, Role.VICE_MAGISTRATE, None),
    ("DIR", "冯主任", 6, Role.DEPARTMENT_PRINCIPAL, "县政府办公室"),
    ("DDIR1", "陈副主任", 7, Role.DEPARTMENT_DEPUTY, "县政府办公室"),
    ("DDIR2", "褚副主任", 8, Role.DEPARTMENT_DEPUTY, "县政府办公室"),
    ("FIN", "卫局长", 9, Role.DEPARTMENT_PRINCIPAL, "财政局"),
    ("FIN2", "蒋副局长", 10, Role.DEPARTMENT_DEPUTY, "财政局"),
    ("JUS", "沈局长", 11, Role.DEPARTMENT_PRINCIPAL, "司法局"),
    ("EDU", "韩局长", 12, Role.DEPARTMENT_PRINCIPAL, "教育局"),
    ("TWN", "杨镇长", 13, Role.DEPARTMENT_PRINCIPAL, "城关镇"),
]
DEPARTMENTS = [
    ("县政府办公室", DepartmentKind.GOVERNMENT_OFFICE),
    ("司法局", DepartmentKind.JUSTICE),
    ("财政局", DepartmentKind.WORKING),
    ("教育局", DepartmentKind.WORKING),
    ("交通运输局", DepartmentKind.WORKING),
    ("城关镇", DepartmentKind.TOWNSHIP),
]
PORTFOLIOS = {"EVM": ["财政局"], "VM1": ["教育局"], "VM2": ["交通运输局", "城关镇"], "VM3": ["司法局"]}
AB_PAIRS = [("EVM", "VM1"), ("VM2", "VM3")]


async def build_county(sessions, *, code: str = "yanjin", rule_set: RuleSet = RuleSet.YANJIN_2023) -> County:
    async with sessions() as session, session.begin():
        row = await tenancy.create_county(session, code=code, name=f"{code} county", rule_set=rule_set, actor=SYSTEM)
        county = County(id=row.id, code=code)
        for name, kind in DEPARTMENTS:
            department = await roster.create_department(session, county_id=county.id, name=name, kind=kind,
                                                        actor=SYSTEM)
            county.departments[name] = department.id
        for official_code, name, rank, role, department in OFFICIALS:
            official = await roster.add_official(session, county_id=county.id, code=official_code, name=name,
                                                 rank_order=rank, actor=SYSTEM)
            county.officials[official_code] = official.id
            position = await roster.appoint(
                session, official_id=official.id, role=role, effective_from=TERM_START, actor=SYSTEM,
                department_id=county.departments[department] if department else None,
            )
            county.positions[official_code] = position.id
        for official_code, names in PORTFOLIOS.items():
            await roster.set_portfolio(session, official_id=county.officials[official_code],
                                       department_ids=[county.departments[n] for n in names],
                                       effective_from=TERM_START, actor=SYSTEM)
        for a, b in AB_PAIRS:
            pair = await roster.pair_ab_partners(session, official_a_id=county.officials[a],
                                                 official_b_id=county.officials[b], effective_from=TERM_START,
                                                 actor=SYSTEM)
            county.ab_pairs[f"{a}-{b}"] = pair.id
        admin = await auth.create_account(session, username=county.admin, password=PASSWORD,
                                          role=AccountRole.COUNTY_ADMIN, county_id=county.id, actor=SYSTEM)
        # Argon2 is slow on purpose; every official's sign-in shares the admin's hash of the same password.
        session.add_all(
            Account(username=county.account(code), password_hash=admin.password_hash, role=AccountRole.OFFICIAL,
                    county_id=county.id, official_id=official_id)
            for code, official_id in county.officials.items()
        )
    return county


async def create_system_admin(sessions, username: str = "root") -> str:
    async with sessions() as session, session.begin():
        await auth.create_account(session, username=username, password=PASSWORD, role=AccountRole.SYSTEM_ADMIN,
                                  county_id=None, actor=SYSTEM)
    return username


async def submit_notices(sessions, county: County, count: int) -> None:
    """``count`` notices from the education bureau, submitted: each waits for the office director's review."""
    from domain.documents import Direction, Genre, Issuer
    from services import documents
    from services.signing_rules import SigningTables

    tables = SigningTables()
    async with sessions() as session, session.begin():
        for n in range(count):
            fields = documents.DraftFields(title=f"通知{n}", issuer=Issuer.COUNTY_GOVERNMENT, genre=Genre.NOTICE,
                                           direction=Direction.DOWNWARD, lead_department_id=county.departments["教育局"])
            draft = await documents.create_draft(session, drafted_by_id=county.officials["EDU"], fields=fields,
                                                 actor=SYSTEM)
            await documents.submit(session, document_id=draft.id, official_id=county.officials["EDU"],
                                   tables=tables, actor=SYSTEM)
