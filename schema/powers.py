"""GraphQL types of the power catalogue (职权目录): a power, its versions and their reviews."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models
from db import models_powers as mp
from domain import powers as p
from domain import powers_flowchart as pf
from schema.labels import labelled_enum
from schema.meetings import MeetingBody
from schema.meetings_decisions import MeetingDecision
from schema.mutations import MutationError
from schema.types import CountyNode, Department, RoleEnum
from services import powers

HolderKindEnum = labelled_enum(p.HolderKind, name="PowerHolderKind",
                               description="Who holds a power: a meeting body, a county position's role, or a "
                                           "department.")
PowerStateEnum = labelled_enum(p.PowerState, name="PowerState",
                               description="Where a version of a power's catalogue entry stands: draft → under review "
                                           "→ approved → published → amended (replaced by a newer version) or revoked.")
RiskLevelEnum = labelled_enum(p.RiskLevel, name="PowerRiskLevel",
                              description="How grave a risk point is (廉政风险等级, 004 三), by the harm it would do.")
ControlKindEnum = labelled_enum(p.ControlKind, name="RiskControlKind",
                                description="A kind of control over a risk point (004 三(四)).")
ReviewOfficeEnum = labelled_enum(p.ReviewOffice, name="PowerReviewOffice",
                                 description="The two reviews a version needs before approval (004 一): the "
                                             "establishment office's and the legal office's.")


@strawberry.type(description="A review office's written opinion on a version, as the government office recorded it.")
class PowerReview:
    office: ReviewOfficeEnum = strawberry.field(description="Which review.")
    reviewer: str = strawberry.field(description="Who reviewed: the office and its signatory.")
    agreed: bool = strawberry.field(description="The office agrees to the version as it stands.")
    opinion: str = strawberry.field(description="The opinion's words; why, when it does not agree.")
    recorded_at: dt.datetime = strawberry.field(description="When the government office recorded it.")
    department_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: mp.PowerReview) -> PowerReview:
        return cls(office=row.office, reviewer=row.reviewer, agreed=row.agreed, opinion=row.opinion,
                   recorded_at=row.recorded_at, department_id=row.department_id)

    @strawberry.field(description="The reviewing department: the justice bureau for the legal review; null for the "
                                  "establishment office, a Party body outside the county's roster.")
    async def department(self, info: Info) -> Department | None:
        if self.department_id is None:
            return None
        return Department.from_row(await info.context.loaders.department.load(self.department_id))


@strawberry.type(description="One version of a power's catalogue entry (004 一 职权目录要素) and where it stands.")
class PowerVersion:
    number: int = strawberry.field(description="1 for the first version, one more for each amendment.")
    state: PowerStateEnum = strawberry.field(description="Where it stands.")
    name: str = strawberry.field(description="The power's name (职权名称).")
    category: str = strawberry.field(description="Its category, e.g. 行政许可, 行政处罚, 其他行政权力.")
    legal_basis: str = strawberry.field(description="The laws and articles it rests on (设定依据).")
    conditions: str = strawberry.field(description="The conditions for exercising it (行使条件).")
    output: str = strawberry.field(description="What it produces (办理结果), e.g. a licence or a decision.")
    time_limit_days: int | None = strawberry.field(description="Its time limit in working days (承诺时限); null in a "
                                                               "draft that does not state one yet.")
    fee: str = strawberry.field(description="Its fee (收费标准); empty when free.")
    fee_basis: str = strawberry.field(description="The fee's legal basis (收费依据); empty when free.")
    responsible_post: str = strawberry.field(description="The post answerable for it (责任岗位).")
    complaint_channel: str = strawberry.field(description="Where to complain (监督投诉渠道).")
    drafted_at: dt.datetime = strawberry.field(description="When the version was opened.")
    submitted_at: dt.datetime | None = strawberry.field(description="When it last went to review; null before.")
    approved_at: dt.datetime | None = strawberry.field(description="When the government approved it; null before.")
    published_on: dt.date | None = strawberry.field(description="The day it came into force; null before.")
    ended_on: dt.date | None = strawberry.field(description="The day it was amended or revoked; null while in force "
                                                            "or before.")
    id_: strawberry.Private[int]
    approved_by_decision_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: mp.PowerVersion) -> PowerVersion:
        return cls(number=row.number, state=row.state, name=row.name, category=row.category,
                   legal_basis=row.legal_basis, conditions=row.conditions, output=row.output,
                   time_limit_days=row.time_limit_days, fee=row.fee, fee_basis=row.fee_basis,
                   responsible_post=row.responsible_post, complaint_channel=row.complaint_channel,
                   drafted_at=row.drafted_at, submitted_at=row.submitted_at, approved_at=row.approved_at,
                   published_on=row.published_on, ended_on=row.ended_on, id_=row.id,
                   approved_by_decision_id=row.approved_by_decision_id)

    @strawberry.field(description="The meeting decision that approved it; null when approved without one or before.")
    async def approved_by_decision(self, info: Info) -> MeetingDecision | None:
        if self.approved_by_decision_id is None:
            return None
        row = await info.context.loaders.rows(models.MeetingDecision).load(self.approved_by_decision_id)
        return MeetingDecision.from_row(row)

    @strawberry.field(description="The version's flowchart (流程图, 004 二) as the government office drew it: its "
                                  "steps in order and its Mermaid source; no steps until drawn.")
    async def flowchart(self, info: Info) -> PowerFlowchart:
        rows = await info.context.loaders.children(mp.PowerStep, mp.PowerStep.version_id).load(self.id_)
        drawn = [powers.drawn(row) for row in sorted(rows, key=lambda r: r.position)]
        return PowerFlowchart(steps=[PowerFlowchartStep.from_step(step) for step in drawn],
                              mermaid=pf.drawn_mermaid(drawn, self.name))

    @strawberry.field(description="The version's corruption risk points (廉政风险点, 004 三), published with it.")
    async def risk_points(self, info: Info) -> list[PowerRiskPoint]:
        rows = await info.context.loaders.children(mp.PowerRiskPoint, mp.PowerRiskPoint.version_id).load(self.id_)
        return [PowerRiskPoint.from_row(row) for row in rows]

    @strawberry.field(description="The review offices' opinions on this version, oldest first.")
    async def reviews(self, info: Info) -> list[PowerReview]:
        rows = await info.context.loaders.children(mp.PowerReview, mp.PowerReview.version_id).load(self.id_)
        return [PowerReview.from_row(r) for r in rows]


@strawberry.type(description="A power (职权) of the county held by one holder, with its catalogue entry's versions.")
class Power(CountyNode, relay.Node):
    model: ClassVar[type] = mp.Power
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Its catalogue code (职权编码).")
    holder_kind: HolderKindEnum = strawberry.field(description="What kind of holder holds it.")
    holder_role: RoleEnum | None = strawberry.field(description="The county position holding it; null unless the "
                                                               "holder is a position role.")
    created_at: dt.datetime = strawberry.field(description="When it entered the catalogue.")
    county_id: strawberry.Private[int]
    holder_body_id: strawberry.Private[int | None]
    holder_department_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: mp.Power) -> Power:
        return cls(id=row.id, code=row.code, holder_kind=row.holder_kind, holder_role=row.holder_role,
                   created_at=row.created_at, county_id=row.county_id, holder_body_id=row.holder_body_id,
                   holder_department_id=row.holder_department_id)

    async def _versions(self, info: Info) -> list[mp.PowerVersion]:
        return await info.context.loaders.children(mp.PowerVersion, mp.PowerVersion.power_id).load(self.id)

    @strawberry.field(description="The meeting body holding it; null unless the holder is a body.")
    async def holder_body(self, info: Info) -> MeetingBody | None:
        if self.holder_body_id is None:
            return None
        return MeetingBody.from_row(await info.context.loaders.rows(models.MeetingBody).load(self.holder_body_id))

    @strawberry.field(description="The department holding it; null unless the holder is a department.")
    async def holder_department(self, info: Info) -> Department | None:
        if self.holder_department_id is None:
            return None
        return Department.from_row(await info.context.loaders.department.load(self.holder_department_id))

    @strawberry.field(description="Its versions, oldest first.")
    async def versions(self, info: Info) -> list[PowerVersion]:
        return [PowerVersion.from_row(r) for r in await self._versions(info)]

    @strawberry.field(description="The newest version: the one being prepared, or else the last one published.")
    async def latest(self, info: Info) -> PowerVersion:
        return PowerVersion.from_row(max(await self._versions(info), key=lambda r: r.number))

    @strawberry.field(description="The version in force; null before the first publication and after revocation.")
    async def in_force(self, info: Info) -> PowerVersion | None:
        published = [r for r in await self._versions(info) if r.state == p.PowerState.PUBLISHED]
        return PowerVersion.from_row(published[0]) if published else None

    @strawberry.field(description="Other powers of the county with the same code and another holder: an overlap "
                                  "(职权交叉) for the government office to resolve.")
    async def overlaps(self, info: Info) -> list[Power]:
        rows = await info.context.loaders.children(mp.Power, mp.Power.code).load(self.code)
        return [Power.from_row(r) for r in rows if r.county_id == self.county_id and r.id != self.id]


# ---------------------------------------------------------------- inputs and payloads


@strawberry.input(description="What a catalogue entry says (004 一). Everything but the name may wait until the "
                              "version goes to review.")
class PowerFieldsInput:
    name: str = strawberry.field(description="The power's name.")
    category: str = strawberry.field(default="", description="Its category, e.g. 行政许可.")
    legal_basis: str = strawberry.field(default="", description="The laws and articles it rests on.")
    conditions: str = strawberry.field(default="", description="The conditions for exercising it.")
    output: str = strawberry.field(default="", description="What it produces.")
    time_limit_days: int | None = strawberry.field(default=None, description="Its time limit, 1 to 365 working days.")
    fee: str = strawberry.field(default="", description="Its fee; empty when free.")
    fee_basis: str = strawberry.field(default="", description="The fee's legal basis; required with a fee.")
    responsible_post: str = strawberry.field(default="", description="The post answerable for it.")
    complaint_channel: str = strawberry.field(default="", description="Where to complain.")


@strawberry.input(description="A new power and its first draft.")
class CreatePowerInput:
    code: str = strawberry.field(description="Its catalogue code.")
    holder_kind: HolderKindEnum = strawberry.field(description="What kind of holder holds it.")
    holder_body_id: relay.GlobalID | None = strawberry.field(default=None, description="The meeting body, for BODY.")
    holder_role: RoleEnum | None = strawberry.field(default=None, description="The county position (magistrate, "
                                                                              "vice magistrate), for POSITION_ROLE.")
    holder_department_id: relay.GlobalID | None = strawberry.field(default=None,
                                                                   description="The department, for DEPARTMENT.")
    fields: PowerFieldsInput = strawberry.field(description="What the entry says.")
    county_id: relay.GlobalID | None = strawberry.field(default=None, description="The county; yours when omitted.")


@strawberry.input(description="A power's draft rewritten.")
class EditPowerDraftInput:
    power_id: relay.GlobalID = strawberry.field(description="The power whose newest version is a draft.")
    fields: PowerFieldsInput = strawberry.field(description="What the entry now says.")


@strawberry.input(description="A power.")
class PowerInput:
    power_id: relay.GlobalID = strawberry.field(description="The power.")


@strawberry.input(description="A review office's written opinion on the version under review.")
class RecordPowerReviewInput:
    power_id: relay.GlobalID = strawberry.field(description="The power whose newest version is under review.")
    office: ReviewOfficeEnum = strawberry.field(description="Which review.")
    reviewer: str = strawberry.field(description="Who reviewed: the office and its signatory.")
    agreed: bool = strawberry.field(description="The office agrees; false sends the version back to draft.")
    opinion: str = strawberry.field(default="", description="The opinion; required when it does not agree.")
    department_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The reviewing department: the county justice bureau, required for LEGAL.")


@strawberry.input(description="The government's approval of the version under review.")
class ApprovePowerInput:
    power_id: relay.GlobalID = strawberry.field(description="The power whose newest version both reviews agreed to.")
    decision_id: relay.GlobalID | None = strawberry.field(default=None,
                                                          description="The meeting decision that approved it, if any.")


@strawberry.type(description="The power changed.")
class PowerPayload:
    power: Power = strawberry.field(description="The power.")


PowerResult = Annotated[PowerPayload | MutationError, strawberry.union(
    "PowerResult", description="PowerPayload when it worked; MutationError when it changed nothing.")]


# ---------------------------------------------------------------- the signing power's generated flowchart


@strawberry.type(description="Who may act on a flowchart step: one allowing row of the county's signing table.")
class FlowchartActor:
    role: str = strawberry.field(description="The office the row names (ChainRole values, | for alternatives).")
    conditions: str = strawberry.field(description="The documents the row applies to, e.g. issuer=county_government ∧ "
                                                   "flag=normative; empty when any.")
    rule: str = strawberry.field(description="The row's rule code.")
    article: str = strawberry.field(description="The article the row rests on.")


@strawberry.type(description="A way on from a flowchart step.")
class FlowchartEdge:
    to: str = strawberry.field(description="The next step's key, or `done` at the end.")
    label: str = strawberry.field(description="The branch: the rules that send a document that way, `otherwise`, "
                                              "or empty for the plain way on.")


@strawberry.type(description="A step of a flowchart (流程图, 004 二).")
class FlowchartStep:
    key: str = strawberry.field(description="The step's key, as the Mermaid source names its node.")
    action: str = strawberry.field(description="The chain action (StepAction values in lower case).")
    actors: list[FlowchartActor] = strawberry.field(description="Who may act on it, and for which documents.")
    conditions: str = strawberry.field(description="Which documents take the step; empty when all do.")
    time_limit_days: int | None = strawberry.field(description="Its time limit in working days from the deadline "
                                                               "table; null when the table sets none.")
    time_limit_article: str = strawberry.field(description="The limit's article and when it counts from; empty "
                                                           "without a limit.")
    next: list[FlowchartEdge] = strawberry.field(description="Where a document goes on, with branch labels.")

    @classmethod
    def from_step(cls, step: pf.Step) -> FlowchartStep:
        return cls(key=step.key, action=step.action.value,
                   actors=[FlowchartActor(role=a.role, conditions=a.conditions, rule=a.rule, article=a.article)
                           for a in step.actors],
                   conditions=step.conditions, time_limit_days=step.time_limit_days,
                   time_limit_article=step.time_limit_article,
                   next=[FlowchartEdge(to=e.to, label=e.label) for e in step.next])


@strawberry.type(description="The document-signing power's flowchart, generated from the county's live signing "
                             "table and its deadline table: it shows what routing enforces, and changes with the "
                             "table.")
class SigningFlowchart:
    steps: list[FlowchartStep] = strawberry.field(description="The steps in chain order.")
    mermaid: str = strawberry.field(description="The flowchart as Mermaid source (flowchart TD).")



# ---------------------------------------------------------------- a power's drawn flowchart


@strawberry.type(description="A step of a power's flowchart (004 二) as the government office drew it.")
class PowerFlowchartStep:
    key: str = strawberry.field(description="The step's key, as the Mermaid source names its node.")
    actor: str = strawberry.field(description="Who acts on it.")
    conditions: str = strawberry.field(description="When the step is taken; empty when always.")
    time_limit_days: int = strawberry.field(description="Its time limit in working days.")
    requirements: str = strawberry.field(description="What it needs: materials, checks.")
    next: list[FlowchartEdge] = strawberry.field(description="Where it goes on, with branch labels; empty: the end.")

    @classmethod
    def from_step(cls, step: pf.DrawnStep) -> PowerFlowchartStep:
        return cls(key=step.key, actor=step.actor, conditions=step.conditions, time_limit_days=step.time_limit_days,
                   requirements=step.requirements, next=[FlowchartEdge(to=e.to, label=e.label) for e in step.next])


@strawberry.type(description="A power version's flowchart: its steps in order and its Mermaid source.")
class PowerFlowchart:
    steps: list[PowerFlowchartStep] = strawberry.field(description="The steps in order.")
    mermaid: str = strawberry.field(description="The flowchart as Mermaid source (flowchart TD).")


@strawberry.input(description="A way on from a step.")
class FlowchartEdgeInput:
    to: str = strawberry.field(description="The next step's key, or `done` for the end.")
    label: str = strawberry.field(default="", description="The branch's label, e.g. 材料齐全; empty for the plain way.")


@strawberry.input(description="A step of a power's flowchart (004 二).")
class PowerStepInput:
    key: str = strawberry.field(description="Its key: lower-case letters, digits and _, starting with a letter.")
    actor: str = strawberry.field(description="Who acts on it, e.g. 财政局政府采购股.")
    time_limit_days: int | None = strawberry.field(default=None, description="Its time limit, 1 to 365 working "
                                                                              "days; required.")
    conditions: str = strawberry.field(default="", description="When the step is taken; empty when always.")
    requirements: str = strawberry.field(default="", description="What it needs.")
    next: list[FlowchartEdgeInput] = strawberry.field(default_factory=list,
                                                      description="Where it goes on; none: the end.")


@strawberry.input(description="A draft's flowchart, replacing the one it had.")
class DrawPowerFlowchartInput:
    power_id: relay.GlobalID = strawberry.field(description="The power whose newest version is a draft.")
    steps: list[PowerStepInput] = strawberry.field(description="The steps in order, 1 to 50.")



# ---------------------------------------------------------------- risk points


@strawberry.type(description="A control over a risk point (004 三(四)).")
class RiskControl:
    kind: ControlKindEnum = strawberry.field(description="Its kind.")
    description: str = strawberry.field(description="What it does.")


@strawberry.type(description="A corruption risk point (廉政风险点, 004 三) of a power version, on the power or on a step.")
class PowerRiskPoint:
    step_key: str | None = strawberry.field(description="The flowchart step it sits on; null: the power as a whole.")
    category: str = strawberry.field(description="Its category, e.g. 利益冲突, 自由裁量.")
    description: str = strawberry.field(description="What could go wrong.")
    level: RiskLevelEnum | None = strawberry.field(description="How grave; null until rated (no publication before).")
    harm: str = strawberry.field(description="The harm that justifies the level.")
    controls: list[RiskControl] = strawberry.field(description="Its controls; none yet blocks publication.")
    owner: str = strawberry.field(description="Who answers for the controls (责任人或岗位).")
    review_on: dt.date | None = strawberry.field(description="When it is to be reviewed next; null when not set.")

    @classmethod
    def from_row(cls, row: mp.PowerRiskPoint) -> PowerRiskPoint:
        return cls(step_key=row.step_key, category=row.category, description=row.description, level=row.level,
                   harm=row.harm, owner=row.owner, review_on=row.review_on,
                   controls=[RiskControl(kind=p.ControlKind(c["kind"]), description=c["description"])
                             for c in row.controls])


@strawberry.input(description="A control over a risk point.")
class RiskControlInput:
    kind: ControlKindEnum = strawberry.field(description="Its kind.")
    description: str = strawberry.field(description="What it does.")


@strawberry.input(description="A risk point of a power version (004 三). Level and controls may wait; publication "
                              "refuses a point without them.")
class RiskPointInput:
    category: str = strawberry.field(description="Its category.")
    description: str = strawberry.field(description="What could go wrong.")
    owner: str = strawberry.field(description="Who answers for the controls.")
    level: RiskLevelEnum | None = strawberry.field(default=None, description="How grave; needs the harm.")
    harm: str = strawberry.field(default="", description="The harm that justifies the level.")
    controls: list[RiskControlInput] = strawberry.field(default_factory=list, description="Its controls.")
    step_key: str | None = strawberry.field(default=None, description="The flowchart step it sits on; none: the power.")
    review_on: dt.date | None = strawberry.field(default=None, description="When it is to be reviewed next.")


@strawberry.input(description="The open version's risk points, replacing the ones it had.")
class SetPowerRiskPointsInput:
    power_id: relay.GlobalID = strawberry.field(description="The power whose newest version is being prepared.")
    risk_points: list[RiskPointInput] = strawberry.field(description="Its risk points; empty removes them all.")
