"""Province-scale benchmark data, written straight into PostgreSQL with COPY.

    .venv/bin/python -m bench.generate --fresh                       # 100 counties × 5,000 documents
    .venv/bin/python -m bench.generate --fresh --scale quick         # 4 counties × 2,500 (make bench)
    .venv/bin/python -m bench.generate --counties 50                 # add 50 more counties

Each county gets what the services would have built: its rule set's signing table (``signing_rules``
from ``policies.signing.read_table_file``), 40 departments, about 60 officials with their positions,
the vice magistrates' portfolios and AB pairs, absences (some under way now, so cover routes show in
the inboxes), sign-in accounts for a sample of officials, and documents in every state — drafts,
documents in progress at every step (parallel steps half done), documents returned to the drafter,
resubmitted ones (a second round beside the first) and signed ones — with their chain steps, step
assignments, document events and the county's hash-chained audit trail (``services.audit.event_hash``).

Chains are planned with the app's own code (``domain.chains.plan_chain``/``staff_chain`` over the
county's ``SigningTable``, staffed by ``services.documents.holders_for``), due times with the
rule set's deadline table and the working calendar, as ``services.deadlines.start_clock`` does.
Active steps are dated so that none is overdue when generated: the server's deadline sweeper,
which runs at start-up, finds nothing to do (it starts finding lapses a working day or two later —
regenerate, or expect reminders to be written when the server starts).

Rows are made in worker processes (``--jobs``), one county per transaction; ids come from
per-county blocks above the tables' current maxima (gaps are harmless) and the sequences are moved
past them at the end. Foreign keys are not checked during COPY (``session_replication_role =
replica``): the rows are consistent by construction, and ``--verify`` re-checks the references
and the audit chains of a sample of counties with the app's own ``services.audit.verify_chain``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import asyncpg

from db import models
from domain.calendar import CalendarUnknown, WorkingCalendar
from domain.chains import NoSigningRule, UnstaffedRole, plan_chain, staff_chain
from domain.deadlines import CountedFrom, deadline_for
from domain.documents import (
    Action,
    AssignmentState,
    Classification,
    Direction,
    DocumentState,
    Flag,
    Genre,
    Issuer,
    Meeting,
    Route,
    StepState,
)
from domain.errors import DomainError
from domain.roster import LOCAL_TZ, AbsenceReason, AccountRole, DepartmentKind, Role, RuleSet, local_date
from domain.submission import Submission, check_submission
from policies.deadlines import deadline_rules
from policies.signing import SigningTable, read_table_file
from services.audit import GENESIS, _canonical, event_hash
from services.calendar import unknown_year
from services.documents import VERDICTS, OfficeHolders, Verdict, holders_for, facts_of

UTC = dt.timezone.utc
HERE = Path(__file__).parent
OUT_DIR = HERE / "out"
PASSWORD = "qianfa-bench-2026"
REQUEST_ID = "bench-generate"
TERM_START = dt.date(2024, 1, 1)
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/qianfa_bench"

SCALES = {
    # name: (counties, documents per county)
    "quick": (4, 2_500),
    "default": (100, 5_000),
    "province": (3_000, 500),
    "full": (3_000, 5_000),
}

# ---------------------------------------------------------------- tables and their columns

# Insert order (parents first); each table's columns exactly as the models define them.
TABLES = [
    models.County, models.SigningRule, models.Department, models.Official, models.Position,
    models.PortfolioAssignment, models.AbPair, models.Absence, models.Account, models.Document,
    models.DocumentCoSponsor, models.ChainStep, models.StepAssignment, models.DocumentEvent, models.AuditEvent,
]
COLUMNS = {m.__tablename__: tuple(c.key for c in m.__table__.columns) for m in TABLES}
# The tuples built below follow these orders; a changed model fails here rather than loading garbage.
EXPECTED = {
    "counties": ("id", "code", "name", "rule_set", "created_at", "roster_version"),
    "signing_rules": ("id", "county_id", "priority", "values"),
    "departments": ("id", "county_id", "name", "kind", "created_at"),
    "officials": ("id", "county_id", "code", "name", "rank_order", "retired_on", "created_at"),
    "positions": ("id", "county_id", "official_id", "role", "department_id", "deputy_rank", "effective_from",
                  "effective_to"),
    "portfolio_assignments": ("id", "county_id", "official_id", "department_id", "effective_from", "effective_to"),
    "ab_pairs": ("id", "county_id", "official_a_id", "official_b_id", "effective_from", "effective_to"),
    "absences": ("id", "county_id", "official_id", "starts_at", "ends_at", "reason", "note", "acting_official_id",
                 "cancelled_at"),
    "accounts": ("id", "username", "password_hash", "county_id", "official_id", "role", "active", "created_at"),
    "documents": ("id", "county_id", "title", "body", "issuer", "genre", "direction", "meeting", "flags", "urgent",
                  "classification", "lead_department_id", "requested_matters", "addressed_to_id", "leader_assigned",
                  "departmental_matter", "meeting_chair_id", "standing_meeting_on", "attachments", "drafted_by_id",
                  "state", "round", "created_at", "submitted_at", "signed_at"),
    "document_co_sponsors": ("document_id", "department_id"),
    "chain_steps": ("id", "county_id", "document_id", "round", "position", "action", "alternatives", "rules", "state",
                    "activated_at", "completed_at", "due_at", "deadline"),
    "step_assignments": ("id", "county_id", "step_id", "document_id", "role", "assignee_id", "state", "acted_by_id",
                         "route", "opinion", "acted_at"),
    "document_events": ("id", "county_id", "document_id", "step_id", "assignment_id", "kind", "actor_id",
                        "on_behalf_of_id", "route", "opinion", "at", "undone"),
    "audit_events": ("id", "county_id", "seq", "at", "actor_account_id", "action", "entity", "entity_id", "before",
                     "after", "request_id", "prev_hash", "hash"),
}


def check_columns() -> None:
    for table, expected in EXPECTED.items():
        if set(COLUMNS[table]) != set(expected):
            raise SystemExit(f"bench/generate.py is out of date with db/models.py: {table} has "
                             f"{sorted(COLUMNS[table])}, the generator writes {sorted(expected)}")


SEQUENCED = [t for t in EXPECTED if t != "document_co_sponsors"]


def id_strides(documents: int) -> dict[str, int]:
    """How many ids each county may use per table (upper bounds; checked while generating)."""
    return {"counties": 1, "signing_rules": 64, "departments": 48, "officials": 64, "positions": 64,
            "portfolio_assignments": 48, "ab_pairs": 4, "absences": 16, "accounts": 32,
            "documents": documents, "chain_steps": documents * 14, "step_assignments": documents * 40,
            "document_events": documents * 40, "audit_events": documents * 14 + 512}


# ---------------------------------------------------------------- a county's roster

DEPARTMENTS = [
    ("县政府办公室", DepartmentKind.GOVERNMENT_OFFICE), ("司法局", DepartmentKind.JUSTICE),
    ("审计局", DepartmentKind.AUDIT), ("发展和改革局", DepartmentKind.WORKING), ("教育局", DepartmentKind.WORKING),
    ("科学技术局", DepartmentKind.WORKING), ("工业和信息化局", DepartmentKind.WORKING),
    ("公安局", DepartmentKind.WORKING), ("民政局", DepartmentKind.WORKING), ("财政局", DepartmentKind.WORKING),
    ("人力资源和社会保障局", DepartmentKind.WORKING), ("自然资源局", DepartmentKind.WORKING),
    ("生态环境分局", DepartmentKind.WORKING), ("住房和城乡建设局", DepartmentKind.WORKING),
    ("交通运输局", DepartmentKind.WORKING), ("水利局", DepartmentKind.WORKING), ("农业农村局", DepartmentKind.WORKING),
    ("商务局", DepartmentKind.WORKING), ("文化和旅游局", DepartmentKind.WORKING),
    ("卫生健康局", DepartmentKind.WORKING), ("退役军人事务局", DepartmentKind.WORKING),
    ("应急管理局", DepartmentKind.WORKING), ("市场监督管理局", DepartmentKind.WORKING),
    ("统计局", DepartmentKind.WORKING), ("医疗保障局", DepartmentKind.WORKING), ("林业局", DepartmentKind.WORKING),
    ("乡村振兴局", DepartmentKind.WORKING), ("信访局", DepartmentKind.WORKING), ("行政审批局", DepartmentKind.WORKING),
    ("城市管理局", DepartmentKind.WORKING), ("国有资产服务中心", DepartmentKind.WORKING),
    ("融媒体中心", DepartmentKind.WORKING), ("城关镇", DepartmentKind.TOWNSHIP), ("石桥镇", DepartmentKind.TOWNSHIP),
    ("白水乡", DepartmentKind.TOWNSHIP), ("青山镇", DepartmentKind.TOWNSHIP), ("河西乡", DepartmentKind.TOWNSHIP),
    ("东城街道", DepartmentKind.SUBDISTRICT), ("经济开发区管委会", DepartmentKind.DEVELOPMENT_ZONE),
    ("县监察室", DepartmentKind.SUPERVISION),
]
assert len(DEPARTMENTS) == 40
LEADERS = [("MAG", Role.MAGISTRATE), ("EVM", Role.EXECUTIVE_VICE_MAGISTRATE)] + [
    (f"VM{i}", Role.VICE_MAGISTRATE) for i in range(1, 6)]
VMS = ["EVM", "VM1", "VM2", "VM3", "VM4", "VM5"]
AB_PAIRS = [("EVM", "VM1"), ("VM2", "VM3"), ("VM4", "VM5")]
# Departments (by index) with deputies besides the office's two: 60 officials in all.
DEPUTY_DEPARTMENTS = [3, 4, 7, 9, 10, 11, 13, 14, 16, 19, 22]
# Who gets a sign-in: the leaders, the office, the legal office and a few principals.
ACCOUNT_CODES = ["MAG", "EVM", "VM1", "VM2", "VM3", "VM4", "VM5", "DIR", "DDIR1", "JUS",
                 "P03", "P04", "P07", "P09", "P13", "P14", "P16"]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤"
            "庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢骆岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文博海涛志强雪梅晓东丽华建军红梅海燕宏伟立新玉兰春生永红晓明志刚德明"


@dataclass
class Roster:
    official: dict[str, int] = field(default_factory=dict)  # code -> id
    department: list[int] = field(default_factory=list)  # index -> id
    kind: dict[int, DepartmentKind] = field(default_factory=dict)
    principal: dict[int, int] = field(default_factory=dict)  # department id -> official id
    deputies: dict[int, list[int]] = field(default_factory=dict)
    in_charge: dict[int, int] = field(default_factory=dict)  # department id -> VM id
    rank: dict[int, int] = field(default_factory=dict)
    role: dict[int, Role] = field(default_factory=dict)
    partner: dict[int, int] = field(default_factory=dict)
    account: dict[int, int] = field(default_factory=dict)  # official id -> account id

    def holders(self) -> OfficeHolders:
        by_role: dict[Role, list[int]] = defaultdict(list)
        for official_id in sorted(self.role, key=lambda o: (self.rank[o], o)):
            by_role[self.role[official_id]].append(official_id)
        return OfficeHolders(by_role=dict(by_role), principal_of=dict(self.principal), department_kind=dict(self.kind),
                             leader_in_charge=dict(self.in_charge), rank_of=dict(self.rank))


# ---------------------------------------------------------------- documents

TOPICS = ["春季学期开学工作", "校园食品安全专项检查", "应急物资储备库建设", "部分道路限速标准调整", "农村公路养护资金安排",
          "县城污水处理厂扩建", "安全生产工作", "森林防火工作", "秋粮收购", "城乡居民医保征缴", "高标准农田建设",
          "老旧小区改造", "营商环境优化", "河长制工作", "防汛抗旱准备", "乡村振兴重点帮扶", "冬季供暖保障",
          "义务教育学校布局调整", "重点项目建设推进", "政务服务事项清单", "耕地保护专项整治", "消防安全隐患排查",
          "民生实事项目", "财政预算执行", "国有资产清查", "招商引资激励", "文明城市创建", "人口普查后续工作",
          "退役军人服务保障", "住房公积金缴存"]
GENRE_NAMES = {Genre.REQUEST: "请示", Genre.REPORT: "报告", Genre.NOTICE: "通知", Genre.DECISION: "决定",
               Genre.ORDER: "命令", Genre.BILL: "议案", Genre.LETTER: "函", Genre.MINUTES: "纪要", Genre.REPLY: "批复",
               Genre.CONTRACT: "合同"}
APPROVALS = ["同意", "拟同意", "同意，请领导签发", "已阅，同意", "同意，按程序办理", "会签同意", "原则同意，请抓紧落实"]
DISSENTS = ["建议修改第三条表述后再报", "资金来源不明确，建议补充说明", "与现行规定不一致，请法制部门再审",
            "建议暂缓，待调研后再议"]
RETURNS = ["请补充项目可行性研究报告", "请按公文格式重新排版", "请先征求相关部门意见", "数据需核实后再报"]
SIGNATURES = ["签发", "同意签发", "同意，签发"]
BODY = ("为贯彻落实上级部署，结合我县实际，现就有关事项通知如下：一、提高认识，加强领导；二、明确任务，压实责任；"
        "三、强化督查，确保实效。各单位要高度重视，认真组织实施，并于规定时间内报送工作进展情况。")


def choose(rng: random.Random, weighted: list[tuple[object, float]]):
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


@dataclass
class Clock:
    """Deadlines as services.deadlines.start_clock sets them (a new county has no calendar entries)."""

    rule_set: RuleSet
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    _due: dict = field(default_factory=dict)

    def start(self, *, action: Action, genre: Genre, flags: frozenset[Flag], activated: dt.datetime,
              submitted: dt.datetime, meeting_on: dt.date | None) -> tuple[dt.datetime | None, dict | None]:
        rule = deadline_for(deadline_rules(self.rule_set), action=action, genre=genre, flags=flags)
        if rule is None:
            return None, None
        deadline = {"working_days": rule.working_days, "counted_from": rule.counted_from.value,
                    "second_lapse": rule.second_lapse.value, "article": rule.article}
        due = None
        try:
            if rule.counted_from == CountedFrom.ACTIVATION:
                due = self._after(activated, rule.working_days)
            elif rule.counted_from == CountedFrom.SUBMISSION:
                due = self._after(submitted, rule.working_days)
            elif meeting_on is not None:
                review_by = self.calendar.working_days_before(meeting_on, rule.working_days)
                due = self.calendar.due_after(dt.datetime.combine(review_by, dt.time(12), LOCAL_TZ), 0)
            else:
                deadline["problem"] = "No standing meeting date: the limit counts back from it."
        except CalendarUnknown as unknown:
            deadline["problem"] = unknown_year(unknown).message
        return due, deadline

    def _after(self, at: dt.datetime, days: int) -> dt.datetime:
        key = (local_date(at), days)
        if key not in self._due:
            self._due[key] = self.calendar.due_after(at, days)
        return self._due[key]


class Ids:
    def __init__(self, bases: dict[str, int], strides: dict[str, int]) -> None:
        self._next = dict(bases)
        self._limit = {t: bases[t] + strides[t] for t in bases}

    def take(self, table: str) -> int:
        value = self._next[table]
        if value >= self._limit[table]:
            raise RuntimeError(f"{table}: the county used more ids than its block holds; raise its stride")
        self._next[table] = value + 1
        return value


def _ts(at: dt.datetime) -> dt.datetime:
    return at.replace(microsecond=0)


_PLANS: dict[RuleSet, dict] = {}


class CountyBuilder:
    """One county's rows, in the shape the services would have written them."""

    def __init__(self, *, index: int, code: str, rule_set: RuleSet, ids: Ids, now: dt.datetime, documents: int,
                 seed: int, password_hash: str, table: SigningTable) -> None:
        self.index, self.code, self.rule_set, self.ids, self.now = index, code, rule_set, ids, now
        self.document_count = documents
        self.rng = random.Random(seed * 1_000_003 + index)
        self.password_hash = password_hash
        self.table = table
        self.clock = Clock(rule_set)
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.audit: list[tuple] = []  # (at, order, actor_account_id, action, entity, entity_id, before, after)
        self.roster = Roster()
        self.county_id = ids.take("counties")
        self.created = _ts(now - dt.timedelta(days=400))
        self.accounts: list[dict] = []
        self.stats: dict[str, int] = defaultdict(int)
        # Plans by document facts, shared by the counties of a rule set (their tables are the same).
        self._plans = _PLANS.setdefault(rule_set, {})

    # -- audit trail

    def record(self, at: dt.datetime, action: str, entity: str, entity_id: int | None, *,
               actor_official: int | None = None, before: dict | None = None, after: dict | None = None) -> None:
        self.audit.append((_ts(at), len(self.audit), self.roster.account.get(actor_official), action, entity, entity_id,
                           before, after))

    def finish_audit(self) -> None:
        """Sequence and hash-chain the county's trail, oldest first, as services.audit.record does."""
        prev = GENESIS
        for seq, (at, _order, actor, action, entity, entity_id, before, after) in enumerate(sorted(self.audit), 1):
            before_text = _canonical(before) if before is not None else None
            after_text = _canonical(after) if after is not None else None
            before_rt = json.loads(before_text) if before_text is not None else None
            after_rt = json.loads(after_text) if after_text is not None else None
            digest = event_hash(prev_hash=prev, county_id=self.county_id, seq=seq, at=at, actor_account_id=actor,
                                action=action, entity=entity, entity_id=entity_id, before=before_rt,
                                after=after_rt, request_id=REQUEST_ID)
            self.rows["audit_events"].append((self.ids.take("audit_events"), self.county_id, seq, at, actor, action,
                                              entity, entity_id, before_text, after_text, REQUEST_ID, prev, digest))
            prev = digest

    @staticmethod
    def as_record(table: str, row: tuple) -> dict:
        """What services.audit.as_record gives for the row (all its columns, by name)."""
        return dict(zip(EXPECTED[table], row, strict=True))

    def add(self, table: str, row: tuple) -> tuple:
        self.rows[table].append(row)
        return row

    # -- roster

    def build_roster(self) -> None:
        rng, r, cid = self.rng, self.roster, self.county_id
        name = f"基准{self.index:04d}县"
        self.add("counties", (cid, self.code, name, self.rule_set.value, self.created, 0))
        for row in read_table_file(self.rule_set):
            self.add("signing_rules", (self.ids.take("signing_rules"), cid, int(row[0]), json.dumps(row)))
        self.record(self.created, "county.create", "county", cid,
                    after={"code": self.code, "name": name, "rule_set": self.rule_set.value})
        at = self.created + dt.timedelta(minutes=5)
        for department_name, kind in DEPARTMENTS:
            row = self.add("departments", (self.ids.take("departments"), cid, department_name, kind.value, at))
            r.department.append(row[0])
            r.kind[row[0]] = kind
            self.record(at, "department.create", "department", row[0], after=self.as_record("departments", row))

        people: list[tuple[str, Role, int | None, int | None]] = [(c, role, None, None) for c, role in LEADERS]
        people += [("DIR", Role.DEPARTMENT_PRINCIPAL, 0, None), ("DDIR1", Role.DEPARTMENT_DEPUTY, 0, 1),
                   ("DDIR2", Role.DEPARTMENT_DEPUTY, 0, 2), ("JUS", Role.DEPARTMENT_PRINCIPAL, 1, None)]
        people += [(f"P{i:02d}", Role.DEPARTMENT_PRINCIPAL, i, None) for i in range(2, 40)]
        people += [(f"D{i:02d}", Role.DEPARTMENT_DEPUTY, i, 1) for i in DEPUTY_DEPARTMENTS]
        assert len(people) == 60
        used_names = set()
        for rank, (official_code, role, department_index, deputy_rank) in enumerate(people, 1):
            while True:
                person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                if person not in used_names:
                    used_names.add(person)
                    break
            at = self.created + dt.timedelta(minutes=10, seconds=rank)
            row = self.add("officials", (self.ids.take("officials"), cid, official_code, person, rank, None, at))
            official_id = row[0]
            r.official[official_code] = official_id
            r.rank[official_id] = rank
            r.role[official_id] = role
            self.record(at, "official.add", "official", official_id, after=self.as_record("officials", row))
            department_id = r.department[department_index] if department_index is not None else None
            starts = dt.date(2024, 6, 1) if official_code == "VM5" else TERM_START
            position = self.add("positions", (self.ids.take("positions"), cid, official_id, role.value, department_id,
                                              deputy_rank, starts, None))
            self.record(at + dt.timedelta(seconds=1), "position.appoint", "position", position[0],
                        after=self.as_record("positions", position))
            if role == Role.DEPARTMENT_PRINCIPAL:
                r.principal[department_id] = official_id
            elif role == Role.DEPARTMENT_DEPUTY:
                r.deputies.setdefault(department_id, []).append(official_id)

        at = self.created + dt.timedelta(minutes=20)
        # Every department but the office is in one vice magistrate's portfolio.
        portfolio_departments = r.department[1:]
        rng.shuffle(portfolio_departments)
        for i, department_id in enumerate(portfolio_departments):
            vm = r.official[VMS[i % len(VMS)]]
            starts = dt.date(2024, 6, 1) if VMS[i % len(VMS)] == "VM5" else TERM_START
            row = self.add("portfolio_assignments", (self.ids.take("portfolio_assignments"), cid, vm, department_id,
                                                     starts, None))
            r.in_charge[department_id] = vm
            self.record(at, "portfolio.assign", "portfolio_assignment", row[0],
                        after=self.as_record("portfolio_assignments", row))
        for a, b in AB_PAIRS:
            starts = dt.date(2024, 6, 1) if "VM5" in (a, b) else TERM_START
            row = self.add("ab_pairs", (self.ids.take("ab_pairs"), cid, r.official[a], r.official[b], starts, None))
            r.partner[r.official[a]], r.partner[r.official[b]] = r.official[b], r.official[a]
            self.record(at, "ab_pair.create", "ab_pair", row[0], after=self.as_record("ab_pairs", row))

        at = self.created + dt.timedelta(minutes=30)
        admin = self.add("accounts", (self.ids.take("accounts"), f"admin.{self.code}", self.password_hash, cid, None,
                                      AccountRole.COUNTY_ADMIN.value, True, at))
        self.record(at, "account.create", "account", admin[0],
                    after={"username": admin[1], "role": AccountRole.COUNTY_ADMIN.value, "official_id": None})
        self.accounts.append({"username": admin[1], "county": self.code, "county_id": cid, "official": None,
                              "official_id": None, "role": AccountRole.COUNTY_ADMIN.value})
        for official_code in ACCOUNT_CODES:
            official_id = r.official[official_code]
            username = f"{official_code.lower()}.{self.code}"
            row = self.add("accounts", (self.ids.take("accounts"), username, self.password_hash, cid, official_id,
                                        AccountRole.OFFICIAL.value, True, at))
            r.account[official_id] = row[0]
            self.record(at, "account.create", "account", row[0],
                        after={"username": username, "role": AccountRole.OFFICIAL.value, "official_id": official_id})
            self.accounts.append({"username": username, "county": self.code, "county_id": cid,
                                  "official": official_code, "official_id": official_id,
                                  "role": AccountRole.OFFICIAL.value})
        self.build_absences()

    def build_absences(self) -> None:
        """Past trips and leaves, and a few under way now: cover routes show in today's inboxes."""
        r, rng, now = self.roster, self.rng, self.now
        away_now = [(r.official[rng.choice(["VM2", "VM3", "VM4", "VM5"])], AbsenceReason.BUSINESS_TRIP, None)]
        if self.index % 3 == 0:
            away_now.append((r.official["MAG"], AbsenceReason.STUDY, None))  # the executive VM presides
        department = r.department[rng.choice(DEPUTY_DEPARTMENTS)]
        away_now.append((r.principal[department], AbsenceReason.LEAVE, r.deputies[department][0]))
        notes = {AbsenceReason.BUSINESS_TRIP: "赴市里参加工作会议", AbsenceReason.STUDY: "参加省委党校学习",
                 AbsenceReason.LEAVE: "年休假", AbsenceReason.OTHER: "外出调研"}
        absences = []
        for official_id, reason, acting in away_now:
            starts = _ts(now - dt.timedelta(hours=rng.uniform(6, 48)))
            absences.append((official_id, starts, starts + dt.timedelta(days=rng.uniform(8, 14)), reason, acting))
        for _ in range(5):  # ended ones
            official_id = r.official[rng.choice(list(r.official))]
            starts = _ts(now - dt.timedelta(days=rng.uniform(20, 380)))
            absences.append((official_id, starts, starts + dt.timedelta(days=rng.uniform(1, 6)),
                             rng.choice([AbsenceReason.BUSINESS_TRIP, AbsenceReason.LEAVE, AbsenceReason.OTHER]),
                             None))
        seen: dict[int, list[tuple]] = defaultdict(list)
        for official_id, starts, ends, reason, acting in absences:
            if any(s < ends and starts < e for s, e in seen[official_id]):
                continue  # the service refuses overlapping absences of one official
            seen[official_id].append((starts, ends))
            row = self.add("absences", (self.ids.take("absences"), self.county_id, official_id, starts, ends,
                                        reason.value, notes[reason], acting, None))
            self.record(starts - dt.timedelta(hours=2), "absence.record", "absence", row[0],
                        after=self.as_record("absences", row))

    # -- documents

    def draft_fields(self) -> SimpleNamespace | None:
        """A random draft the county's table can route and the submission rules accept, else None."""
        rng, r = self.rng, self.roster
        issuer = choose(rng, [(Issuer.COUNTY_GOVERNMENT, 45), (Issuer.GOVERNMENT_OFFICE, 22),
                              (Issuer.DEPARTMENT, 28), (Issuer.JOINT_PARTY_GOVERNMENT, 4), (Issuer.JOINT_OFFICES, 1)])
        if issuer == Issuer.DEPARTMENT:
            genre = choose(rng, [(Genre.REQUEST, 50), (Genre.REPORT, 40), (Genre.NOTICE, 5), (Genre.LETTER, 5)])
            direction = Direction.UPWARD_CITY if rng.random() < 0.1 else Direction.DOWNWARD
        else:
            genre = choose(rng, [(Genre.NOTICE, 40), (Genre.DECISION, 6), (Genre.REQUEST, 10), (Genre.REPORT, 8),
                                 (Genre.LETTER, 10), (Genre.MINUTES, 6), (Genre.REPLY, 12), (Genre.CONTRACT, 4),
                                 (Genre.ORDER, 2), (Genre.BILL, 2)])
            if genre in (Genre.REQUEST, Genre.REPORT):
                direction = choose(rng, [(Direction.UPWARD_CITY, 70), (Direction.UPWARD_PARTY_COMMITTEE, 15),
                                         (Direction.UPWARD_NPC, 10), (Direction.UPWARD_CPPCC, 5)])
            elif genre == Genre.LETTER:
                direction = Direction.NON_SUBORDINATE
            else:
                direction = Direction.DOWNWARD
        meeting = Meeting.NONE
        flags: set[Flag] = set()
        if genre == Genre.MINUTES:
            meeting = choose(rng, [(Meeting.STANDING, 40), (Meeting.MAGISTRATE_OFFICE, 30), (Meeting.TOPICAL, 30)])
            if meeting == Meeting.MAGISTRATE_OFFICE and rng.random() < 0.5:
                flags.add(Flag.CHAIRED_BY_VM)
        for flag, p in ((Flag.URGENT, 0.08), (Flag.NORMATIVE, 0.05), (Flag.PERSONNEL, 0.03), (Flag.MAJOR, 0.05),
                        (Flag.FISCAL_FUNDS, 0.04), (Flag.MEETING_DECIDED, 0.04), (Flag.VEHICLES, 0.01)):
            if rng.random() < p:
                flags.add(flag)
        lead = r.department[rng.randrange(3, 40)] if rng.random() < 0.93 else r.department[rng.randrange(1, 3)]
        co_sponsors: list[int] = []
        if rng.random() < 0.25:
            co_sponsors = sorted(set(rng.sample([d for d in r.department[1:] if d != lead], rng.choice((1, 1, 2)))))
        if issuer == Issuer.DEPARTMENT:
            drafters = [r.principal[lead], *r.deputies.get(lead, [])]
        else:
            drafters = [*r.deputies.get(lead, []), r.principal[lead], r.official["DDIR1"], r.official["DDIR2"]]
        chair = r.official[rng.choice(VMS)] if Flag.CHAIRED_BY_VM in flags else None
        topic = rng.choice(TOPICS)
        title = f"关于{topic}的{GENRE_NAMES[genre]}"
        if Flag.URGENT in flags:
            title = title.replace("的", "的紧急", 1)
        document = SimpleNamespace(
            title=title, body=BODY, issuer=issuer, genre=genre, direction=direction, meeting=meeting,
            flags=sorted(f.value for f in flags), urgent=Flag.URGENT in flags,
            classification=Classification.SECRET if rng.random() < 0.03 else Classification.NONE,
            lead_department_id=lead, co_sponsors=co_sponsors,
            requested_matters=[f"申请{topic}经费补助"] if genre == Genre.REQUEST else [],
            addressed_to_id=None, leader_assigned=False, departmental_matter=False, meeting_chair_id=chair,
            standing_meeting_on=None,
            attachments=[{"name": f"附件{i + 1}.pdf", "media_type": "application/pdf",
                          "size_bytes": rng.randrange(20_000, 2_000_000), "sha256": "%064x" % rng.getrandbits(256)}
                         for i in range(rng.choice((0, 0, 1, 2)))],
            drafted_by_id=rng.choice(drafters),
        )
        try:
            check_submission(Submission(issuer=issuer, genre=genre, classification=document.classification,
                                        requested_matters=tuple(document.requested_matters), addressed_to_leader=False,
                                        leader_assigned=False, departmental_matter=False,
                                        direction=document.direction), self.rule_set)
            offices = self.offices
            facts = facts_of(document, co_sponsors, offices)
            key = facts
            if key not in self._plans:
                try:
                    self._plans[key] = plan_chain(facts, self.table.decide)
                except NoSigningRule:
                    self._plans[key] = None
            plan = self._plans[key]
            if plan is None:
                return None
            document.facts = facts
            document.staffed = staff_chain(plan, holders_for(document, co_sponsors, offices))
        except (DomainError, UnstaffedRole):
            return None
        return document

    def build_documents(self) -> None:
        self.offices = self.roster.holders()
        made = 0
        while made < self.document_count:
            fields = self.draft_fields()
            if fields is None:
                self.stats["drafts resampled (unroutable)"] += 1
                continue
            state = choose(self.rng, [("draft", 10), ("returned", 5), ("in_progress", 45), ("signed", 40)])
            self.document(fields, state)
            self.stats[f"documents {state}"] += 1
            made += 1

    def _doc_row(self, d: SimpleNamespace) -> tuple:
        return (d.id, self.county_id, d.title, d.body, d.issuer.value, d.genre.value, d.direction.value,
                d.meeting.value, d.flags, d.urgent, d.classification.value, d.lead_department_id, d.requested_matters,
                d.addressed_to_id, d.leader_assigned, d.departmental_matter, d.meeting_chair_id,
                d.standing_meeting_on, d.attachments, d.drafted_by_id, d.state.value, d.round, d.created_at,
                d.submitted_at, d.signed_at)

    def _doc_record(self, d: SimpleNamespace) -> dict:
        return self.as_record("documents", self._doc_row(d))

    def document(self, d: SimpleNamespace, state: str) -> None:
        """Draft, and (unless it stays a draft) submit and act on it, dated as things would have happened."""
        rng, now = self.rng, self.now
        d.id = self.ids.take("documents")
        d.state, d.round, d.submitted_at, d.signed_at = DocumentState.DRAFT, 0, None, None
        chain_length = len(d.staffed)
        resubmitted = state in ("in_progress", "signed") and rng.random() < 0.06
        rounds: list[dict] = []  # keyword arguments of _round, in order
        if state == "draft":
            d.created_at = now - dt.timedelta(days=rng.uniform(0, 30))
        elif state == "in_progress":
            # Dated back from now: the active step started within the last day, so nothing is overdue yet.
            active = rng.randrange(chain_length)
            for shrink in (1.0, 0.5, 0.25, 0.1, 0.02):
                durations = [rng.uniform(1, 20) * shrink for _ in range(active)]
                activated_last = now - dt.timedelta(hours=rng.uniform(0.1, 20) * shrink)
                submitted = activated_last - dt.timedelta(hours=sum(durations))
                due, _ = self.clock.start(action=d.staffed[active].plan.action, genre=d.genre, flags=d.facts.flags,
                                          activated=activated_last, submitted=submitted,
                                          meeting_on=d.standing_meeting_on)
                if due is None or due > now + dt.timedelta(hours=6):
                    break
            if resubmitted:
                first = submitted - dt.timedelta(days=rng.uniform(1, 10))
                rounds.append(dict(submitted=first, returned_at=rng.randrange(chain_length), hours=None,
                                   until=submitted - dt.timedelta(hours=1)))
                d.created_at = first - dt.timedelta(hours=rng.uniform(1, 120))
            else:
                d.created_at = submitted - dt.timedelta(hours=rng.uniform(1, 120))
            rounds.append(dict(submitted=submitted, active=active, hours=durations))
        elif state == "signed":
            d.created_at = now - dt.timedelta(days=rng.uniform(20, 360))
            submitted = d.created_at + dt.timedelta(hours=rng.uniform(1, 72))
            if resubmitted:
                resubmit = submitted + dt.timedelta(days=rng.uniform(1, 5))
                rounds.append(dict(submitted=submitted, returned_at=rng.randrange(chain_length), hours=None,
                                   until=resubmit - dt.timedelta(hours=1)))
                submitted = resubmit
            rounds.append(dict(submitted=submitted, active=None, hours=[rng.uniform(1, 40) for _ in d.staffed]))
        else:  # returned to the drafter
            d.created_at = now - dt.timedelta(days=rng.uniform(4, 60))
            submitted = d.created_at + dt.timedelta(hours=rng.uniform(1, 48))
            rounds.append(dict(submitted=submitted, returned_at=rng.randrange(chain_length), hours=None,
                               until=submitted + dt.timedelta(days=rng.uniform(0.2, 2))))
        self.record(d.created_at, "document.draft", "document", d.id, actor_official=d.drafted_by_id,
                    after=self._doc_record(d))
        for kwargs in rounds:
            self._round(d, **kwargs)
        self._emit_document(d)

    def _emit_document(self, d: SimpleNamespace) -> None:
        self.add("documents", self._doc_row(d))
        for department_id in d.co_sponsors:
            self.add("document_co_sponsors", (d.id, department_id))

    def _event(self, d, kind: str, at: dt.datetime, *, actor: int | None, step: int | None = None,
               assignment: int | None = None, on_behalf_of: int | None = None, route: Route | None = None,
               opinion: str | None = None) -> list:
        row = [self.ids.take("document_events"), self.county_id, d.id, step, assignment, kind, actor, on_behalf_of,
               route.value if route else None, opinion, at, False]
        self.rows["document_events"].append(row)
        return row

    def _round(self, d: SimpleNamespace, *, submitted: dt.datetime, hours: list[float] | None,
               active: int | None = None, returned_at: int | None = None, until: dt.datetime | None = None) -> None:
        """One submission of the document and what happened to its chain (services.documents.submit/act/…).

        ``active``: the position (0-based) now waiting, None when the chain ran to its signature;
        ``returned_at``: the position where it was returned to the drafter, before ``until``.
        """
        rng = self.rng
        before = self._doc_record(d)
        d.round += 1
        d.state, d.submitted_at = DocumentState.IN_PROGRESS, submitted
        stop = returned_at if returned_at is not None else active
        if hours is None:  # spread the steps before the return over the time available
            span = (until - submitted).total_seconds() / 3600
            hours = [span * rng.uniform(0.05, 0.9) / max(1, stop) for _ in range(len(d.staffed))]
        steps = []
        at = submitted
        for position, staffed in enumerate(d.staffed, 1):
            step_id = self.ids.take("chain_steps")
            rules = [{"rule": x.rule, "article": x.article, "priority": x.priority} for x in staffed.plan.rules]
            steps.append({"id": step_id, "position": position, "plan": staffed.plan, "assignees": staffed.assignees,
                          "rules": rules, "state": StepState.WAITING, "activated": None, "completed": None,
                          "due": None, "deadline": None, "assignments": []})
        # Assignment ids in the order submit() adds them: step by step.
        for step in steps:
            for role, official_id in step["assignees"]:
                step["assignments"].append({"id": self.ids.take("step_assignments"), "role": role,
                                            "assignee": official_id, "state": AssignmentState.WAITING,
                                            "acted_by": None, "route": None, "opinion": None, "acted_at": None})
        round_events = []
        round_events.append(self._event(d, "submitted", submitted, actor=d.drafted_by_id))
        self.record(submitted, "document.submit", "document", d.id, actor_official=d.drafted_by_id, before=before,
                    after=self._doc_record(d))
        for index, step in enumerate(steps):
            step["state"], step["activated"] = StepState.ACTIVE, at
            step["due"], step["deadline"] = self.clock.start(
                action=step["plan"].action, genre=d.genre, flags=d.facts.flags, activated=at, submitted=submitted,
                meeting_on=d.standing_meeting_on)
            if index == stop:
                # Waiting here; a parallel step may be partly done already.
                if not step["plan"].alternatives and len(step["assignments"]) > 1 and rng.random() < 0.5:
                    done = rng.randrange(1, len(step["assignments"]))
                    for assignment in step["assignments"][:done]:
                        at = at + dt.timedelta(minutes=rng.uniform(1, 30))
                        round_events += self._act(d, step, assignment, at)
                break
            at = at + dt.timedelta(hours=hours[index])
            if step["plan"].alternatives:
                signer = rng.choice(step["assignments"])
                round_events += self._act(d, step, signer, at)
                for other in step["assignments"]:
                    if other is not signer:
                        other["state"] = AssignmentState.NOT_NEEDED
            else:
                for assignment in step["assignments"]:
                    round_events += self._act(d, step, assignment, at)
            step["state"], step["completed"] = StepState.DONE, at
            if step["plan"].action == Action.SIGN:
                d.state, d.signed_at = DocumentState.SIGNED, at
                round_events.append(self._event(d, "issued", at, actor=None, step=step["id"]))
        if returned_at is not None:
            # return_document(to_position=None): the chain stays as it stood, its events undone.
            step = steps[returned_at]
            returner = step["assignments"][0]["assignee"]
            for assignment in step["assignments"]:
                if assignment["state"] == AssignmentState.WAITING:
                    returner = assignment["assignee"]
                    break
            at = min(until, at + dt.timedelta(hours=rng.uniform(0.5, 24)))
            for event in round_events:
                if event[3] is not None:
                    event[11] = True
            reason = rng.choice(RETURNS)
            self._event(d, "returned", at, actor=returner, step=step["id"], route=Route.DIRECT, opinion=reason)
            d.state = DocumentState.RETURNED
            self.record(at, "document.return", "document", d.id, actor_official=returner,
                        after={"to_step": None, "reason": reason, "by": returner})
        for step in steps:
            self.add("chain_steps", (step["id"], self.county_id, d.id, d.round, step["position"],
                                     step["plan"].action.value, step["plan"].alternatives, json.dumps(step["rules"]),
                                     step["state"].value, step["activated"], step["completed"], step["due"],
                                     json.dumps(step["deadline"], ensure_ascii=False) if step["deadline"] else None))
            for a in step["assignments"]:
                self.add("step_assignments", (a["id"], self.county_id, step["id"], d.id, a["role"].value,
                                              a["assignee"], a["state"].value, a["acted_by"],
                                              a["route"].value if a["route"] else None, a["opinion"], a["acted_at"]))
        self.stats["chain steps"] += len(steps)

    def _act(self, d, step: dict, assignment: dict, at: dt.datetime) -> list:
        """services.documents.act for one assignment: in person, or now and then by the AB partner."""
        rng = self.rng
        action = step["plan"].action
        if action == Action.SIGN:
            verdict = Verdict.SIGN
        elif Verdict.DISSENT in VERDICTS[action] and rng.random() < 0.08:
            verdict = Verdict.DISSENT
        else:
            verdict = Verdict.APPROVE
        actor, route, on_behalf = assignment["assignee"], Route.DIRECT, None
        partner = self.roster.partner.get(assignment["assignee"])
        if partner is not None and rng.random() < 0.05 and self.table.decide(
                d.facts, Route.AB_PARTNER, action, assignment["role"]).allowed:
            actor, route, on_behalf = partner, Route.AB_PARTNER, assignment["assignee"]
        opinion = {Verdict.SIGN: SIGNATURES, Verdict.DISSENT: DISSENTS, Verdict.APPROVE: APPROVALS}[verdict]
        text = rng.choice(opinion)
        state = {Verdict.APPROVE: AssignmentState.APPROVED, Verdict.DISSENT: AssignmentState.DISSENTED,
                 Verdict.SIGN: AssignmentState.SIGNED}[verdict]
        assignment.update(state=state, acted_by=actor, route=route, opinion=text, acted_at=at)
        event = self._event(d, state.value, at, actor=actor, step=step["id"], assignment=assignment["id"],
                            on_behalf_of=on_behalf, route=route, opinion=text)
        self.record(at, f"document.{verdict.value}", "step_assignment", assignment["id"], actor_official=actor,
                    after={"document_id": d.id, "step": action.value, "acted_by": actor,
                           "on_behalf_of": assignment["assignee"], "route": route.value, "opinion": text})
        return [event]

    def build(self) -> dict[str, list[tuple]]:
        self.build_roster()
        self.build_documents()
        self.finish_audit()
        self.rows["document_events"] = [tuple(row) for row in self.rows["document_events"]]
        # JSON columns go to asyncpg as text.
        self.rows["documents"] = [row[:8] + (json.dumps(row[8]),) + row[9:12]
                                  + (json.dumps(row[12], ensure_ascii=False),) + row[13:18] + (json.dumps(row[18]),)
                                  + row[19:] for row in self.rows["documents"]]
        return self.rows


# ---------------------------------------------------------------- loading


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1) if url.startswith("postgresql://") else url


@dataclass(frozen=True)
class Job:
    url: str
    counties: list[tuple[int, int, str, str]]  # (run ordinal, county index, code, rule set)
    bases: dict[str, int]
    strides: dict[str, int]
    documents: int
    seed: int
    now: dt.datetime
    password_hash: str


def run_job(job: Job) -> tuple[list[dict], dict[str, int], dict[str, float]]:
    return asyncio.run(_run_job(job))


async def _run_job(job: Job):
    connection = await asyncpg.connect(asyncpg_url(job.url))
    await connection.execute("SET session_replication_role = replica")
    tables = {rule_set: SigningTable(read_table_file(rule_set)) for rule_set in RuleSet}
    accounts, stats, timing = [], defaultdict(int), defaultdict(float)
    try:
        for ordinal, index, code, rule_set in job.counties:
            started = time.perf_counter()
            ids = Ids({t: job.bases[t] + ordinal * job.strides[t] for t in job.bases}, job.strides)
            builder = CountyBuilder(index=index, code=code, rule_set=RuleSet(rule_set), ids=ids, now=job.now,
                                    documents=job.documents, seed=job.seed, password_hash=job.password_hash,
                                    table=tables[RuleSet(rule_set)])
            rows = builder.build()
            built = time.perf_counter()
            async with connection.transaction():
                for table in EXPECTED:
                    if rows.get(table):
                        await connection.copy_records_to_table(table, records=rows[table], columns=EXPECTED[table])
                        stats[f"rows {table}"] += len(rows[table])
            timing["build s"] += built - started
            timing["copy s"] += time.perf_counter() - built
            accounts += builder.accounts
            for key, value in builder.stats.items():
                stats[key] += value
            print(f"  county {code} ({rule_set}): built {built - started:.1f} s, "
                  f"copied {time.perf_counter() - built:.1f} s", flush=True)
    finally:
        await connection.close()
    return accounts, dict(stats), dict(timing)


async def fresh_database(url: str, force: bool) -> None:
    """Drop and recreate the benchmark database, then run the app's migrations (db.migrate.upgrade)."""
    params = asyncpg_url(url)
    database = params.rsplit("/", 1)[1].split("?")[0]
    if "bench" not in database and not force:
        raise SystemExit(f"--fresh drops {database!r}; only databases named *bench* are dropped without --force")
    admin = await asyncpg.connect(params.rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()
    await migrate(url)


async def migrate(url: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from db.migrate import upgrade

    engine = create_async_engine(sqlalchemy_url(url))
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def current_state(url: str) -> tuple[dict[str, int], int]:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        bases = {t: await connection.fetchval(f"SELECT coalesce(max(id), 0) + 1 FROM {t}") for t in SEQUENCED}
        existing = await connection.fetchval("SELECT count(*) FROM counties WHERE code LIKE 'bx%'")
    finally:
        await connection.close()
    return bases, existing


async def finish(url: str, analyze: bool) -> None:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        for table in SEQUENCED:
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")
        if analyze:
            await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


async def verify(url: str, sample: int, seed: int) -> list[str]:
    """References and audit chains of a sample of counties, the latter with services.audit.verify_chain."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from db.engine import session_factory
    from services.audit import verify_chain

    problems = []
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        checks = {
            "assignments without their step": (
                "SELECT count(*) FROM step_assignments a LEFT JOIN chain_steps s ON s.id = a.step_id "
                "WHERE s.id IS NULL OR s.document_id <> a.document_id"),
            "steps without their document": "SELECT count(*) FROM chain_steps s LEFT JOIN documents d "
                                            "ON d.id = s.document_id WHERE d.id IS NULL OR d.county_id <> s.county_id",
            "assignees of another county": "SELECT count(*) FROM step_assignments a JOIN officials o "
                                           "ON o.id = a.assignee_id WHERE o.county_id <> a.county_id",
            "events without their document": "SELECT count(*) FROM document_events e LEFT JOIN documents d "
                                             "ON d.id = e.document_id WHERE d.id IS NULL",
            "in-progress documents with no active step": (
                "SELECT count(*) FROM documents d WHERE d.state = 'in_progress' AND NOT EXISTS (SELECT 1 FROM "
                "chain_steps s WHERE s.document_id = d.id AND s.round = d.round AND s.state = 'active')"),
            "active steps waiting for nobody": (
                "SELECT count(*) FROM chain_steps s JOIN documents d ON d.id = s.document_id AND d.round = s.round "
                "WHERE d.state = 'in_progress' AND s.state = 'active' AND NOT EXISTS (SELECT 1 FROM step_assignments a "
                "WHERE a.step_id = s.id AND a.state = 'waiting')"),
            "signed documents with an unsigned chain": (
                "SELECT count(*) FROM documents d WHERE d.state = 'signed' AND EXISTS (SELECT 1 FROM chain_steps s "
                "WHERE s.document_id = d.id AND s.round = d.round AND s.state <> 'done')"),
            "active steps already overdue": (
                "SELECT count(*) FROM chain_steps s JOIN documents d ON d.id = s.document_id AND d.round = s.round "
                "WHERE d.state IN ('in_progress', 'signed') AND s.state = 'active' AND s.due_at < now()"),
        }
        for name, sql in checks.items():
            count = await connection.fetchval(sql)
            print(f"  check: {name}: {count}")
            if count:
                problems.append(f"{name}: {count}")
        county_ids = [r["id"] for r in await connection.fetch("SELECT id FROM counties ORDER BY id")]
    finally:
        await connection.close()
    engine = create_async_engine(sqlalchemy_url(url))
    sessions = session_factory(engine)
    try:
        for county_id in random.Random(seed).sample(county_ids, min(sample, len(county_ids))):
            async with sessions() as session:
                check = await verify_chain(session, county_id=county_id)
            print(f"  audit chain of county {county_id}: {check.events} events, "
                  f"{'intact' if check.intact else f'BROKEN at {check.first_broken_seq}: {check.problem}'}")
            if not check.intact:
                problems.append(f"county {county_id}: audit chain broken at {check.first_broken_seq}")
    finally:
        await engine.dispose()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", choices=sorted(SCALES), default=None,
                        help="preset sizes: " + ", ".join(f"{k}={c}×{d}" for k, (c, d) in SCALES.items()))
    parser.add_argument("--counties", type=int, default=None, help="counties to add (default 100, at most 3,000)")
    parser.add_argument("--documents-per-county", type=int, default=None, help="default 5,000")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database, run the migrations")
    parser.add_argument("--force", action="store_true", help="allow --fresh on a database not named *bench*")
    parser.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", type=int, default=3, metavar="N",
                        help="afterwards, check references and N counties' audit chains (0: skip)")
    parser.add_argument("--no-analyze", action="store_true", help="skip VACUUM ANALYZE at the end")
    parser.add_argument("--accounts-file", type=Path, default=None,
                        help="where the sign-ins go (default bench/out/accounts-<database>.json)")
    args = parser.parse_args()
    check_columns()
    counties, documents = SCALES[args.scale or "default"]
    counties = args.counties if args.counties is not None else counties
    documents = args.documents_per_county if args.documents_per_county is not None else documents
    if not 1 <= counties <= 3_000:
        parser.error("--counties is between 1 and 3,000")
    if documents < 1:
        parser.error("--documents-per-county is at least 1")
    url = args.database_url
    database = asyncpg_url(url).rsplit("/", 1)[1].split("?")[0]
    started = time.perf_counter()
    if args.fresh:
        asyncio.run(fresh_database(url, args.force))
    else:
        asyncio.run(migrate(url))
    bases, existing = asyncio.run(current_state(url))
    if existing + counties > 3_000:
        parser.error(f"the database has {existing} benchmark counties; at most 3,000 in all")
    rule_sets = list(RuleSet)
    specs = [(ordinal, existing + ordinal, f"bx{existing + ordinal:04d}", rule_sets[(existing + ordinal) % 3].value)
             for ordinal in range(counties)]
    from services.auth import hash_password

    password_hash = hash_password(PASSWORD)  # argon2 once; every sign-in shares it
    now = dt.datetime.now(UTC)
    strides = id_strides(documents)
    jobs = max(1, min(args.jobs, counties))
    print(f"generating {counties} counties × {documents} documents into {database} with {jobs} worker(s)", flush=True)
    accounts, stats, timing = [], defaultdict(int), defaultdict(float)
    work = [Job(url, specs[w::jobs], bases, strides, documents, args.seed, now, password_hash) for w in range(jobs)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for job_accounts, job_stats, job_timing in pool.map(run_job, work):
            accounts += job_accounts
            for key, value in job_stats.items():
                stats[key] += value
            for key, value in job_timing.items():
                timing[key] += value
    loaded = time.perf_counter()
    asyncio.run(finish(url, analyze=not args.no_analyze))
    finished = time.perf_counter()
    accounts.sort(key=lambda a: (a["county_id"], a["username"]))
    accounts_file = args.accounts_file or OUT_DIR / f"accounts-{database}.json"
    accounts_file.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(accounts_file.read_text()) if accounts_file.exists() and not args.fresh else {}
    everyone = {a["username"]: a for a in previous.get("accounts", [])}
    everyone.update((a["username"], a) for a in accounts)
    accounts_file.write_text(json.dumps({"database": database, "password": PASSWORD,
                                         "generated_at": now.isoformat(), "accounts": list(everyone.values())},
                                        ensure_ascii=False, indent=1))
    print(f"\nloaded in {loaded - started:.0f} s (workers: build {timing['build s']:.0f} s, COPY "
          f"{timing['copy s']:.0f} s), VACUUM ANALYZE {finished - loaded:.0f} s")
    for key in sorted(stats):
        print(f"  {key}: {stats[key]:,}")
    print(f"sign-ins: {len(accounts)} accounts, password {PASSWORD!r}, e.g. "
          + ", ".join(a["username"] for a in accounts[:4]) + f"; all in {accounts_file}")
    if args.verify:
        problems = asyncio.run(verify(url, args.verify, args.seed))
        if problems:
            raise SystemExit("verification failed: " + "; ".join(problems))
        print("verified")


if __name__ == "__main__":
    main()
