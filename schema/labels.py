"""The Chinese label an app displays for each enum value, and what the value means in English.

One table, keyed by the GraphQL enum's name and the value's GraphQL name: it describes the values in
the schema (``labelled_enum``) and answers the ``enumLabels`` query. A value missing here fails
tests/test_schema_descriptions.py.
"""

from __future__ import annotations

import enum
from typing import NamedTuple, TypeVar

import strawberry


class Label(NamedTuple):
    label: str
    description: str


ENUM_LABELS: dict[str, dict[str, Label]] = {
    "RuleSet": {
        "GENERIC_2022": Label("县政府工作规则（2022）", "The county government work rules of 2022 (source 000)."),
        "YANJIN_2023": Label("延津县政府工作规则（2023）", "Yanjin county's work rules of 2023 (source 001)."),
        "LULONG_2018": Label("卢龙县政府工作规则（2018）", "Lulong county's work rules of 2018 (source 003)."),
    },
    "DepartmentKind": {
        "WORKING": Label("政府工作部门", "A working department of the county government."),
        "GOVERNMENT_OFFICE": Label("县政府办公室", "The county government office, which handles documents."),
        "JUSTICE": Label("司法局", "The justice bureau, which does the legality review."),
        "AUDIT": Label("审计局", "The audit bureau."),
        "SUPERVISION": Label("监察部门", "The supervision body."),
        "TOWNSHIP": Label("乡镇", "A township government."),
        "SUBDISTRICT": Label("街道办事处", "A sub-district office."),
        "DEVELOPMENT_ZONE": Label("开发区", "A development zone's administration."),
    },
    "PositionRole": {
        "MAGISTRATE": Label("县长", "The magistrate, head of the county government."),
        "EXECUTIVE_VICE_MAGISTRATE": Label("常务副县长", "The executive vice magistrate, one of the vice magistrates; "
                                                     "presides when the magistrate is away."),
        "VICE_MAGISTRATE": Label("副县长", "A vice magistrate, in charge of a portfolio of departments."),
        "DEPARTMENT_PRINCIPAL": Label("主要负责人", "The principal of a department (the director of the government "
                                                "office)."),
        "DEPARTMENT_DEPUTY": Label("副职", "A deputy of a department, ranked for standing in."),
    },
    "AbsenceReason": {
        "BUSINESS_TRIP": Label("出差", "A business trip."),
        "LEAVE": Label("请假", "Leave."),
        "STUDY": Label("学习", "Study or training."),
        "ABROAD": Label("出国（境）", "A visit abroad."),
        "OTHER": Label("其他", "Another reason, given in the note."),
    },
    "AccountRole": {
        "OFFICIAL": Label("公职人员", "An official's own sign-in: works the documents on the chain."),
        "COUNTY_ADMIN": Label("县级管理员", "Administers one county's roster, tables and calendar."),
        "SYSTEM_ADMIN": Label("系统管理员", "Administers every county and creates counties."),
    },
    "CoverReason": {
        "NAMED_IN_ABSENCE_REPORT": Label("报备指定代理人", "The absence report names this person as acting."),
        "PRESIDING_FOR_MAGISTRATE": Label("常务副县长主持工作", "The executive vice magistrate presides while the "
                                                         "magistrate is away."),
        "ENTRUSTED_BY_MAGISTRATE": Label("受县长委托主持工作", "The vice magistrate the magistrate entrusted presides "
                                                        "while both the magistrate and the executive vice "
                                                        "magistrate are away."),
        "AB_PARTNER": Label("AB角", "The AB partner acts for an absent vice magistrate."),
        "ESCALATED_TO_MAGISTRATE": Label("报县长", "The magistrate takes the work when a vice magistrate and the "
                                                 "AB partner are both away."),
        "DESIGNATED_DEPUTY": Label("副职代理", "The deputy first in rank order acts for the absent principal."),
        "ESCALATED_TO_PRINCIPAL": Label("报主要负责人", "A deputy's work returns to the department principal."),
    },
    "HopOutcome": {
        "ACTS": Label("履职", "This candidate is present and acts."),
        "ABSENT": Label("不在岗", "This candidate is away too; the line of cover goes on."),
    },
    "Issuer": {
        "COUNTY_GOVERNMENT": Label("县政府", "In the county government's name."),
        "GOVERNMENT_OFFICE": Label("县政府办公室", "In the county government office's name."),
        "DEPARTMENT": Label("部门", "In a department's own name."),
        "JOINT_PARTY_GOVERNMENT": Label("县委县政府联合", "Jointly by the county party committee and government."),
        "JOINT_OFFICES": Label("两办联合", "Jointly by the party committee's office and the government office."),
    },
    "Genre": {
        "REQUEST": Label("请示", "A request for approval; carries exactly one matter."),
        "REPORT": Label("报告", "A report; carries no requests."),
        "NOTICE": Label("通知", "A notice."),
        "DECISION": Label("决定", "A decision."),
        "ORDER": Label("命令", "An order."),
        "BILL": Label("议案", "A bill to the people's congress."),
        "LETTER": Label("函", "A letter, e.g. to a non-subordinate organ."),
        "MINUTES": Label("会议纪要", "Meeting minutes."),
        "REPLY": Label("批复", "A reply to a request."),
        "CONTRACT": Label("合同及法律文书", "A contract or legal instrument."),
    },
    "Direction": {
        "UPWARD_CITY": Label("报市", "Upward, to the city."),
        "UPWARD_PARTY_COMMITTEE": Label("报县委", "Upward, to the county party committee."),
        "UPWARD_NPC": Label("报县人大", "To the county people's congress."),
        "UPWARD_CPPCC": Label("报县政协", "To the county CPPCC."),
        "DOWNWARD": Label("下行", "Downward, to subordinate organs."),
        "NON_SUBORDINATE": Label("平行（不相隶属机关）", "To organs that are not subordinate."),
        "TO_COUNTY_GOVERNMENT": Label("报县政府", "A department's or township's request or report to the county "
                                      "government; the government office registers and handles it."),
    },
    "MeetingKind": {
        "NONE": Label("无", "Not minutes of a meeting."),
        "PLENARY": Label("县政府全体会议", "The county government's plenary meeting."),
        "STANDING": Label("县政府常务会议", "The county government's standing meeting."),
        "MAGISTRATE_OFFICE": Label("县长办公会议", "The magistrate's office meeting."),
        "TOPICAL": Label("专题会议", "A topical meeting."),
        "PARTY_GROUP": Label("党组会议", "The government's party group meeting."),
    },
    "DocumentFlag": {
        "NORMATIVE": Label("规范性文件", "A normative document: needs the legality review."),
        "PERSONNEL": Label("人事任免", "Personnel appointments or removals."),
        "SANCTION": Label("行政处分", "An administrative sanction."),
        "VEHICLES": Label("公务车辆编制", "Official vehicles."),
        "FISCAL_FUNDS": Label("财政性项目资金", "Fiscal project funds."),
        "MAJOR": Label("重大事项", "A major or county-wide matter."),
        "URGENT": Label("急件", "Urgent."),
        "MEETING_DECIDED": Label("会议已议定", "Executes a passed decision of a meeting that stands; follows from "
                                 "the linked decision, never set by hand."),
        "UNDECIDED_COLLECTIVE": Label("未经集体决策", "Its catalogue matter needs a collective decision and no standing "
                                      "passed decision of that matter's body is linked; follows from the link and the "
                                      "catalogue, never set by hand."),
        "CHAIRED_BY_VM": Label("副县长主持会议", "For minutes: the meeting was chaired by a vice magistrate."),
        "UNPLANNED": Label("计划外发文", "Issued in the county's or the office's name, outside the county's approved "
                           "yearly document plan and with no recorded exception; follows from the plan, never set "
                           "by hand."),
    },
    "Classification": {
        "NONE": Label("非密", "Not classified."),
        "SECRET": Label("秘密", "Secret: seen only by those on its chain and the government office."),
        "CONFIDENTIAL": Label("机密", "Confidential: seen only by those on its chain and the government office."),
        "TOP_SECRET": Label("绝密", "Top secret: seen only by those on its chain and the government office."),
    },
    "DocumentState": {
        "DRAFT": Label("草稿", "Being drafted; not yet submitted."),
        "IN_PROGRESS": Label("办理中", "Submitted; on its approval chain."),
        "RETURNED": Label("已退回", "Sent back to the drafter, who may edit and submit it again."),
        "SIGNED": Label("已签发", "Signed; the chain is done."),
        "ISSUED": Label("已印发", "Numbered in its issuer's series and issued to its distribution list."),
    },
    "StepState": {
        "WAITING": Label("未到达", "Earlier steps are not done yet."),
        "ACTIVE": Label("办理中", "Waiting for its assignees now."),
        "DONE": Label("已完成", "Completed."),
    },
    "AssignmentState": {
        "WAITING": Label("待办", "Not acted on yet."),
        "APPROVED": Label("已同意", "Approved (reviewed or co-signed)."),
        "DISSENTED": Label("有不同意见", "Co-signed or reviewed with a dissent."),
        "SIGNED": Label("已签发", "Signed."),
        "NOT_NEEDED": Label("无需办理", "Another assignee of the signing step signed."),
        "DEEMED_NO_OBJECTION": Label("视为无不同意见", "No reply after the reminder lapsed too; never a signature."),
    },
    "StepAction": {
        "OFFICE_REVIEW": Label("办公室审核", "The government office's review (核稿)."),
        "LEGAL_REVIEW": Label("合法性审查", "The legality review of a normative document."),
        "CO_SIGN": Label("会签", "Co-signature by the co-sponsoring departments."),
        "CO_REVIEW": Label("会审", "Review by each vice magistrate whose portfolio the document touches."),
        "REVIEW": Label("审核", "A leader's review before signing."),
        "SIGN": Label("签发", "Signing."),
        "URGENT_SIGN": Label("代签（急件）", "Signing on the signer's oral consent, the document being urgent."),
        "COUNTERSIGN": Label("补签", "The signer's countersignature after an urgent signing."),
        "UNPLANNED_APPROVAL": Label("一事一报", "The approval of a document outside the yearly document plan."),
        "ISSUE": Label("印发", "Numbering and issuing a signed document."),
        "REGISTER": Label("签收", "The government office registers a request sent up to the county government."),
        "PROPOSE_HANDLING": Label("拟办", "The government office proposes how a registered request is handled."),
        "INSTRUCT": Label("批示", "A leader's instruction on a request sent up to the county government."),
        "PASS_ON": Label("转请", "A leader passes a request on to another leader."),
    },
    "ChainRole": {
        "MAGISTRATE": Label("县长", "The magistrate."),
        "EXECUTIVE_VM": Label("常务副县长", "The executive vice magistrate."),
        "VM_IN_CHARGE": Label("分管副县长", "The vice magistrate in charge of the lead department."),
        "VMS_INVOLVED": Label("相关副县长", "Each vice magistrate whose portfolio the document touches."),
        "OFFICE_DIRECTOR": Label("办公室主任", "The director of the county government office."),
        "OFFICE_REVIEWER": Label("办公室核稿", "The government office's review, done by its director."),
        "OFFICE_STAFF": Label("办公室工作人员", "Anyone holding a post in the government office (issuing, 印发)."),
        "LEGAL_OFFICE": Label("司法局", "The justice bureau's principal (legality review)."),
        "CO_SPONSOR": Label("协办单位", "Each co-sponsoring department's principal."),
        "UNIT_PRINCIPAL": Label("单位主要负责人", "The lead department's principal."),
        "MEETING_CHAIR": Label("会议主持人", "Whoever chaired the meeting the minutes record."),
    },
    "ActionRoute": {
        "DIRECT": Label("本人", "In person."),
        "AB_PARTNER": Label("AB角代理", "As the AB partner."),
        "PRESIDING": Label("主持工作", "As the executive vice magistrate presiding."),
        "ENTRUSTED": Label("受托主持", "As the vice magistrate the magistrate entrusted."),
        "NAMED": Label("指定代理", "As the acting person named in the absence report."),
        "DEPUTY": Label("副职代理", "As the deputy designated by rank."),
        "ESCALATED": Label("上报代理", "As the superior the work escalates to."),
    },
    "ErrorCode": {
        "INVALID": Label("输入有误", "An input breaks a rule; the message says which."),
        "NOT_FOUND": Label("不存在", "No such record, or not yours to see."),
        "FORBIDDEN": Label("无权操作", "This account may not do this."),
        "DUPLICATE": Label("重复", "Already taken, e.g. a staff code or username."),
        "RETIRED": Label("已退休", "The official is retired on that day."),
        "NOT_A_VICE_MAGISTRATE": Label("非副县长", "Only a vice magistrate can be given this."),
        "ALREADY_PAIRED": Label("已有AB角", "The official already has an AB partner then."),
        "POSITION_OCCUPIED": Label("职位已有人", "Someone holds that sole position then."),
        "MAGISTRATE_REQUIRED": Label("须有县长", "The county has no magistrate for this."),
        "PERIOD_INVALID": Label("时段有误", "The period ends before it starts, or does not fit."),
        "ABSENCE_OVERLAP": Label("外出时间重叠", "Overlaps another absence of the same official."),
        "ACTING_FOR_SELF": Label("不能代理自己", "An official cannot be their own acting person."),
        "COVER_CYCLE": Label("代理循环", "The acting persons named would cover for each other in a circle."),
        "DEPARTMENT_ALREADY_IN_PORTFOLIO": Label("部门已有分管领导", "Another vice magistrate is in charge of the "
                                                                "department then."),
        "ALREADY_ENDED": Label("已结束", "Already ended, retired or revoked."),
        "INVALID_CREDENTIALS": Label("用户名或密码错误", "Wrong username or password, or a disabled account."),
        "SUBMISSION_RULE": Label("不符合报送规定", "Breaks a submission rule, e.g. one matter per request."),
        "UNROUTABLE": Label("无法确定流程", "No signing-table row or no office holder for a step."),
        "WRONG_STATE": Label("状态不允许", "Not possible in the document's current state."),
        "NOT_YOUR_TURN": Label("未轮到您", "Waits for someone else first."),
        "NOT_ALLOWED_BY_TABLE": Label("签发权限不允许", "The county's signing table does not allow it."),
        "OPINION_REQUIRED": Label("须填写意见", "Record a clear opinion, or the reasons of a dissent."),
        "QUORUM_NOT_MET": Label("到会人数不足", "Too few members present for the item; the message names the rule."),
        "NOT_A_MEMBER": Label("非会议组成人员", "Only the body's members may do this, e.g. vote."),
        "NOT_PRESENT": Label("未到会", "The member is not recorded present; an absent member gives a written "
                                      "opinion instead."),
        "ALREADY_VOTED": Label("已表决", "The member has voted on the item already."),
        "OUTCOME_BOUND_BY_VOTE": Label("表决结果有约束力", "The members voted: the decision follows the result "
                                       "(002 细则 §6(六)); the message names the outcomes allowed."),
        "DECISION_NOT_AUTHORISING": Label("决定事项不能作为依据", "Only a passed decision that stands (not suspended, "
                                          "superseded or under change) authorises documents."),
        "DERIVED_FLAG": Label("标记由关联决定事项生成", "The flag follows from the linked decision and the catalogue; link "
                              "the decision instead of setting it."),
        "DECISION_MODE": Label("议事方式不符", "The body decides the other way: by the chair's conclusion, or by a "
                                            "named vote."),
        "NOT_CLOSE": Label("表决意见不接近", "Only a close vote may be deferred to the next meeting."),
        "NOTICE_TOO_LATE": Label("会议通知未提前送达", "The notice went out later than the body's lead time in "
                                 "working days before the meeting (002 细则 §6(三)); the message names the day."),
        "RECUSED": Label("已回避", "The member has recused from the item (002 人事 §23): no vote, no counted "
                                   "written opinion."),
        "CALENDAR_UNKNOWN": Label("缺少节假日数据", "The working days run into a year nobody has entered in the "
                                  "county's calendar; an administrator enters it."),
        "NOT_ENTITLED": Label("无权办理此环节", "The roster does not give this person this step of the agenda "
                              "pipeline; the message names the rule."),
        "WRONG_BODY": Label("会议类别不符", "The item or matter belongs to another body; the message names the "
                                          "article."),
        "MATERIALS_MISSING": Label("材料不齐备", "Materials the item's matter requires are missing, or a "
                                   "consultation awaits its reply; the message names them and the article."),
        "LEGALITY_REVIEW_TOO_LATE": Label("合法性审查送审过晚", "The draft went to legality review later than the "
                                          "matter's lead time in working days before the meeting (003 §61)."),
        "NOT_ON_NOTICE": Label("未列入会议通知", "The item was not on a notice sent in time: no ad hoc motions "
                               "(002 细则 §6(三))."),
        "TOO_MANY_ATTEMPTS": Label("尝试次数过多", "Too many failed attempts; try again later."),
        "TOO_LONG": Label("内容过长", "A text is longer than allowed."),
        "ALREADY_ISSUED": Label("已印发", "The document was issued already: a 发文字号 is given once."),
        "NO_SERIES": Label("无发文字号序列", "The county has no 发文字号 series for the document's issuer and genre; "
                           "its administrator adds one."),
        "UNCLEAR_OPINION": Label("意见不明确", "The leader's instruction on a request only acknowledges it or puts it off; "
                                 "it needs a clear opinion (000 §48; 003 §57)."),
        "EXEMPTION_APPROVER": Label("豁免审批人不符", "An exemption from disclosure is approved by the office director "
                                    "or the magistrate, and not by the officer who asked for it (002 政务公开 §9)."),
        "RESULT_NOT_REPORTED": Label("未反馈办理结果", "The supervision office closes an item on the unit's "
                                     "reported result only (000 §48)."),
        "WRONG_ID_TYPE": Label("编号类型不符", "The id is of another type than the field expects; the message names "
                                         "both."),
        "WEAK_PASSWORD": Label("密码不合要求", "The password breaks the password policy (at least 12 characters)."),
    },
    "ApiTokenScope": {
        "READ": Label("只读", "May run queries and subscriptions; every mutation is refused."),
        "READ_WRITE": Label("读写", "May do whatever its account may."),
    },
    "CalendarDaySource": {
        "PACKAGE": Label("国家节假日", "From the national holiday calendar shipped with the service."),
        "COUNTY": Label("本县设置", "Entered by the county's administrator."),
    },
    "InboxScope": {
        "MINE": Label("我的待办", "Yours, and those of people you cover for now."),
        "COUNTY": Label("全县待办", "Everything waiting in the county (the government office)."),
    },
    "InboxEventKind": {
        "NEW_ITEM": Label("新待办", "Something new waits for you."),
        "RETURNED": Label("退回", "A document came back to you."),
        "WITHDRAWN": Label("撤回", "An item was taken back before you acted."),
        "REMINDER": Label("催办", "The office's reminder: the step is overdue."),
        "DEEMED_CONSENT": Label("视为同意", "No reply after the second lapse: deemed no objection."),
    },
    # Duties (schema/duties.py): office work outside a document's chain.
    "DutyScope": {
        "MINE": Label("我的待办", "Your own duties."),
        "COVERED": Label("代办", "Duties of the people you cover for right now."),
        "ALL_I_ACT_FOR": Label("全部待办", "Yours and those of the people you cover for right now."),
    },
    "DutySubjectKind": {
        "INCOMING_REQUEST": Label("收文", "A request or report a department or township sent up to the county "
                                  "government."),
        "SUPERVISION_ITEM": Label("督办事项", "A supervision item: an instruction or decision being followed up."),
        "PROPOSAL": Label("建议提案", "An NPC deputy's suggestion or a CPPCC proposal to be answered."),
        "DOCUMENT_PLAN": Label("年度发文计划", "The county's yearly document plan."),
        "DISCLOSURE": Label("主动公开", "An item the county is to publish proactively (000 §51)."),
    },
    "DutyEventKind": {
        "NEW_DUTY": Label("新待办", "A duty was put on you."),
        "REMINDER": Label("催办", "A reminder: the duty is due or overdue."),
        "ESCALATED": Label("逾期上报", "Overdue and reported up to the leader in charge (000 §36): news for that "
                           "leader, and for whoever holds the duty."),
        "SETTLED": Label("已办结", "The duty was settled, by you or for you, or is no longer needed."),
    },
    # Proactive disclosure (schema/disclosure.py).
    "DisclosureSource": {
        "DOCUMENT": Label("公文", "A non-classified document issued in the county government's or its office's name "
                          "(000 §51; 001 §16; 003 §29)."),
        "DECISION": Label("会议决定", "A meeting decision marked publishable (000 §24; 001 §22; 003 §28)."),
        "PROPOSAL_REPLY": Label("建议提案办理结果", "A proposal's result, published by the lead unit (001 §14; 003 §30)."),
    },
    "DisclosureState": {
        "PENDING": Label("待公开", "Waiting for publication by the disclosure officers."),
        "PUBLISHED": Label("已公开", "Published: when and where are on record."),
        "EXEMPTED": Label("不予公开", "Exempted on a ground of 002 政务公开 §9, with the reason and its approver."),
    },
    "DisclosureExemption": {
        "STATE_SECRET": Label("国家秘密", "It holds state secrets."),
        "COMMERCIAL_SECRET": Label("商业秘密", "It holds commercial secrets."),
        "PRIVACY": Label("个人隐私", "It holds personal privacy."),
        "SECURITY_STABILITY": Label("危及安全稳定", "Publishing it would endanger security or social stability."),
    },
    "DisclosureReportPeriod": {
        "MONTH": Label("月度", "A calendar month."),
        "HALF_YEAR": Label("半年", "January–June or July–December."),
        "YEAR": Label("年度", "A calendar year."),
    },
    # Proposals (schema/proposals.py): NPC bills and suggestions, CPPCC proposals.
    "ProposalKind": {
        "NPC_BILL": Label("人大代表议案", "A bill put forward by deputies to the county people's congress."),
        "NPC_SUGGESTION": Label("人大代表建议、批评和意见", "A deputy's suggestion, criticism or opinion."),
        "CPPCC_PROPOSAL": Label("政协委员提案", "A proposal by members of the county CPPCC."),
    },
    "ProposalState": {
        "RECEIVED": Label("已登记", "Registered by the government office, not yet assigned."),
        "ASSIGNED": Label("已交办", "Assigned to its lead unit and co-units (000 §56(五)); the lead unit's principal "
                          "is to accept it."),
        "ACCEPTED": Label("已签收", "The lead unit's principal answers for it and named the handler (000 §56(一))."),
        "IN_PROGRESS": Label("办理中", "The unit has been in touch with the proposer (001 §14)."),
        "REPLIED": Label("已答复", "The reply letter is signed (000 §56(二))."),
        "PUBLISHED": Label("已公开", "The result is published (001 §14; 003 §30)."),
        "CLOSED": Label("已办结", "Closed by the government office."),
    },
    "ProposalReplyOutcome": {
        "SOLVED": Label("已解决", "The matter was solved."),
        "PLANNED": Label("列入计划逐步解决", "It is taken into a plan and will be solved step by step."),
        "CANNOT_SOLVE": Label("确属不能解决", "It cannot be solved now; the reply says why, truthfully."),
    },
    "ProposalContactWay": {
        "VISIT": Label("登门走访", "A visit to the proposer."),
        "MEETING": Label("座谈面商", "A meeting or face-to-face consultation."),
        "PHONE": Label("电话沟通", "A telephone call."),
        "LETTER": Label("书面沟通", "In writing."),
        "INSPECTION": Label("邀请视察调研", "The proposer invited to inspect or look into the matter."),
    },
    "ProposalLimitStep": {
        "ASSIGN": Label("交办", "The office assigns it, counted from its receipt."),
        "ACCEPT": Label("签收", "The lead unit accepts it, counted from its assignment."),
        "REPLY": Label("答复", "The reply is signed, counted from its assignment."),
        "PUBLISH": Label("公开", "The result is published, counted from the reply's signature."),
    },
    "ProposalEventKind": {
        "REGISTERED": Label("登记", "The office registered it."),
        "ASSIGNED": Label("交办", "Assigned to its lead unit and co-units."),
        "ACCEPTED": Label("签收", "The lead unit accepted it and named the handler."),
        "REPLY_DRAFTED": Label("拟复", "The reply letter was drafted and submitted for signature."),
        "REPLIED": Label("答复", "The reply letter was signed."),
        "PUBLISHED": Label("公开", "The result was published."),
        "CLOSED": Label("办结", "The office closed it."),
        "PUT_ON_AGENDA": Label("提交会议", "Put before a magistrate's office or topical meeting (000 §56(三))."),
        "REMINDED": Label("催办", "The office's reminder: a step ran past its time limit."),
    },
    # Requests sent up to the county government (schema/incoming_requests.py).
    "Addressee": {
        "COUNTY_GOVERNMENT": Label("县人民政府", "The county government: a department's or township's own superior."),
        "COUNTY_PARTY_COMMITTEE": Label("县委", "The county party committee."),
        "LINE_DEPARTMENT": Label("上级业务主管部门", "The sender's superior department in its own line."),
        "CITY_GOVERNMENT": Label("市人民政府", "The city government: above the county government (越级 for a county "
                                            "department or township)."),
        "PROVINCE_GOVERNMENT": Label("省人民政府", "The province's government: above the county government."),
    },
    "IncomingRequestState": {
        "RECEIVED": Label("待签收", "Issued by the sending unit, waiting for the government office to sign it in."),
        "REGISTERED": Label("已签收", "Signed in with its incoming number; waiting for the office's proposal."),
        "HANDLING_PROPOSED": Label("已拟办", "The office proposed its handling; waiting to be presented to the leader."),
        "WITH_LEADER": Label("呈批中", "With a leader for instruction."),
        "INSTRUCTED": Label("已批示", "The leader gave a clear opinion; the office replies or forwards it."),
        "REPLIED": Label("已批复", "A reply (批复) is drafted and linked; it goes through its own chain."),
        "CLOSED": Label("已办结", "Handled to the end."),
    },
    "IncomingRequestEventKind": {
        "RECEIVED": Label("收文", "The issued request reached the government office."),
        "RE_ENTERED": Label("转入正常办理", "Addressed to a leader personally, it entered the office's flow all the "
                                      "same (000 §44)."),
        "REGISTERED": Label("签收", "Signed in with its incoming number."),
        "HANDLING_PROPOSED": Label("拟办", "The office proposed its handling and the leader to instruct."),
        "PRESENTED": Label("呈批", "Presented to the leader."),
        "PASSED_ON": Label("转请", "A leader passed it on to another leader."),
        "INSTRUCTED": Label("批示", "The leader's instruction."),
        "SUPERVISION_OPENED": Label("立项督办", "The instruction is followed up as a numbered supervision item."),
        "REPLY_DRAFTED": Label("起草批复", "A reply was drafted, linked to the request."),
        "REPLY_LINKED": Label("关联批复", "A reply drafted on its own was linked to the request."),
        "CLOSED": Label("办结", "Handled to the end."),
        "REMINDED": Label("催办", "The office's reminder: the handling ran past its limit."),
    },
    # Lists (schema/lists.py) and the document history's enums.
    "OrderDirection": {
        "ASC": Label("升序", "Smallest, earliest or first in the collation first."),
        "DESC": Label("降序", "Largest, latest or last in the collation first."),
    },
    "DocumentOrderField": {
        "CREATED_AT": Label("拟稿时间", "When the draft was started."),
        "TITLE": Label("标题", "The title, in the database's collation."),
    },
    "OfficialOrderField": {
        "RANK": Label("排序", "The leaders' fixed order, 1 first when ascending."),
        "NAME": Label("姓名", "The name, in the database's collation."),
    },
    "InboxOrderField": {
        "RECEIVED": Label("收到时间", "When the step reached its assignees."),
        "DUE_AT": Label("办理时限", "The step's due time; steps with no time limit come after every dated one "
                                "when ascending."),
    },
    "DistributionKind": {
        "MAIN": Label("主送", "A main recipient: the document is addressed to it."),
        "COPY": Label("抄送", "A copy recipient: it is informed."),
    },
    "DocumentPlanState": {
        "DRAFT": Label("起草中", "The government office drafts the plan and edits its entries."),
        "SUBMITTED": Label("待审批", "Sent for approval; the approver has a duty to approve it."),
        "APPROVED": Label("已批准", "In force for its year; its entries no longer change."),
    },
    "PlanException": {
        "PROVINCE_CITY_DOCUMENT": Label("省市文件要求", "A province or city document requires it (003 §62)."),
        "PRINCIPAL_LEADER_REQUEST": Label("县政府主要领导明确要求", "The principal leader explicitly asked for it "
                                                         "(003 §62)."),
    },
    "DocumentEventKind": {
        "SUBMITTED": Label("报送", "The drafter submitted the document into the flow."),
        "APPROVED": Label("同意", "An assignee approved their step."),
        "DISSENTED": Label("不同意见", "An assignee recorded a dissent, with reasons."),
        "SIGNED": Label("签发", "The signer signed."),
        "SIGNED_ON_ORAL_CONSENT": Label("口头同意签发", "Issued urgently on the signer's oral consent; they "
                                                  "countersign later."),
        "ISSUED": Label("印发", "The document was issued."),
        "RETURNED": Label("退回", "Sent back to an earlier step or to the drafter."),
        "WITHDRAWN": Label("撤回", "An action was taken back before the next person acted."),
        "REASSIGNED": Label("改派", "A waiting assignment moved to someone else."),
        "REMINDED": Label("催办", "The office reminded an assignee: the step is overdue."),
        "REMINDED_AGAIN": Label("再次催办", "Still overdue after the reminder: reminded again."),
        "DEEMED_NO_OBJECTION": Label("视为无不同意见", "No reply after the second lapse: deemed no objection, "
                                                   "never a signature."),
    },
    "DeadlineCountedFrom": {
        "ACTIVATION": Label("送达之日起", "From when the step reached the person."),
        "SUBMISSION": Label("报送之日起", "From when the document entered the flow."),
        "MEETING": Label("会前", "So many working days before the standing meeting."),
        "MEETING_END": Label("会议结束之日起", "From the end of the meeting that took the document's decision."),
    },
    "DeadlineSecondLapse": {
        "REMIND_AGAIN": Label("再次催办", "The office reminds again."),
        "DEEMED_NO_OBJECTION": Label("视为无不同意见", "Deemed no objection, recorded as such, never as a signature."),
    },
    "MeetingBodyKind": {
        "PLENARY": Label("县政府全体会议", "The plenary meeting of the county government."),
        "STANDING": Label("县政府常务会议", "The standing meeting of the county government."),
        "MAGISTRATE_OFFICE": Label("县长办公会议", "The magistrate's office meeting."),
        "TOPICAL": Label("专题会议", "A topical meeting, held by a vice magistrate."),
        "PARTY_GROUP": Label("党组会议", "The government party group's meeting, which votes by name (002)."),
    },
    "MeetingMemberRole": {
        "MAGISTRATE": Label("县长", "The magistrate."),
        "EXECUTIVE_VICE_MAGISTRATE": Label("常务副县长", "The executive vice magistrate."),
        "VICE_MAGISTRATE": Label("副县长", "Every vice magistrate, the executive one included."),
        "OFFICE_DIRECTOR": Label("县政府办公室主任", "The director of the government office."),
        "DEPARTMENT_PRINCIPAL": Label("部门主要负责人", "The principal of each government department (not townships)."),
    },
    "DecisionMode": {
        "CHAIR_DECIDES": Label("行政首长负责制", "The chair's conclusion is the decision (县长负责制)."),
        "NAMED_VOTE": Label("记名表决", "Members vote by name, item by item; the result is computed."),
    },
    "MeetingState": {
        "PLANNED": Label("已安排", "Scheduled; no notice sent yet."),
        "NOTICE_SENT": Label("已通知", "The notice has gone to the members."),
        "IN_SESSION": Label("进行中", "The meeting is sitting."),
        "CLOSED": Label("已结束", "The meeting has ended."),
        "MINUTES_SIGNED": Label("纪要已签发", "Its minutes are signed and numbered in the body's yearly series "
                                         "(002 细则 §6(七))."),
        "CANCELLED": Label("已取消", "Called off."),
    },
    "AttendeeKind": {
        "MEMBER": Label("组成人员", "A member of the body."),
        "SUBSTITUTE": Label("代会人员", "Sent for an absent member; never counts toward quorum."),
        "AB_PARTNER": Label("AB角", "The AB partner attending for an absent vice magistrate; counts toward quorum "
                                  "only where the body says so."),
        "ATTENDING": Label("列席人员", "Attends without a vote; never counts toward quorum."),
        "OBSERVER": Label("旁听人员", "Observes the meeting (003 §42; 004 二(五)5); never counts toward quorum."),
    },
    "AttendanceStatus": {
        "EXPECTED": Label("待登记", "Not recorded yet."),
        "PRESENT": Label("出席", "Present."),
        "ON_LEAVE": Label("请假", "On leave granted for the meeting."),
        "ABSENT": Label("缺席", "Absent."),
    },
    "AgendaItemState": {
        "PROPOSED": Label("已提出", "Proposed to a body; waits for the vice magistrate in charge."),
        "COORDINATED": Label("已协调", "Coordinated by the vice magistrate in charge; waits for the office's check."),
        "CHECKED": Label("已审核", "The office found its materials complete; waits for the chair's acceptance."),
        "ACCEPTED": Label("已确定上会", "The chair accepted it; waits for a meeting."),
        "SCHEDULED": Label("已列入会议", "On a meeting, not yet on a notice sent in time."),
        "NOTICED": Label("已通知", "Listed on a notice sent in time: the meeting may take it up."),
        "WITHDRAWN": Label("已撤回", "Taken back by its proposer."),
        "OPEN": Label("审议中", "Taken up: being discussed."),
        "VOTING": Label("表决中", "Put to a named vote."),
        "DECIDED": Label("已决定", "Decided: a computed vote result or the chair's conclusion."),
        "DEFERRED": Label("暂缓表决", "A close vote held over to the body's next meeting."),
    },
    "AgendaItemKind": {
        "DECISION": Label("决策事项", "A matter for the body to decide."),
        "BRIEFING": Label("通报事项", "A briefing the body hears."),
        "REPORT": Label("临机处置报告", "An emergency decision reported to the body (000 §7; 002 细则 §17)."),
        "LAW_STUDY": Label("学法", "Law study (001 §10; 003 §42)."),
        "PERSONNEL": Label("人事事项", "A personnel matter: the personnel quorum applies (002 细则 §5)."),
    },
    "AgendaMaterialKind": {
        "REQUEST": Label("请示", "The request for the body's decision."),
        "DRAFT_AND_EXPLANATION": Label("草案及起草说明", "The draft and its explanation."),
        "OPTIONS": Label("备选方案", "One of the options to choose from; two or more where required (002 三重一大 "
                                    "二(一))."),
        "LEGAL_BASIS": Label("法律政策依据", "The draft's legal and policy basis."),
        "OPINION_SUMMARY": Label("征求意见汇总", "The opinions gathered, summarised."),
        "EXPERT_OPINION": Label("专家论证意见", "The experts' opinion."),
        "RISK_ASSESSMENT": Label("风险评估报告", "The (stability) risk assessment."),
        "LEGALITY_OPINION": Label("合法性审查意见", "The legal office's legality opinion, with the day the draft was "
                                                   "sent (003 §25, §61)."),
        "CONSULTATION_REPLY": Label("征求意见反馈", "A consulted unit's written reply, or its deemed consent (002 三重一大 "
                                                  "二(二))."),
    },
    "ConsultationState": {
        "AWAITING": Label("待反馈", "The reply-by day has not passed and no reply came."),
        "REPLIED": Label("已反馈", "The unit replied in writing."),
        "DEEMED_CONSENT": Label("视为同意", "No reply by the reply-by day: deemed consent (未按时反馈意见视为同意)."),
    },
    "VoteChoice": {
        "FOR": Label("赞成", "For."),
        "AGAINST": Label("反对", "Against."),
        "ABSTAIN": Label("弃权", "Abstains."),
    },
    "VoteRoute": {
        "IN_PERSON": Label("本人表决", "Cast by the member."),
        "SHOW_OF_HANDS": Label("举手表决代录", "A show of hands the office recorded on the member's behalf."),
    },
    "MeetingOrderField": {
        "SCHEDULED_AT": Label("会议时间", "When the meeting is to start."),
    },
    "MeetingEventKind": {
        "NOTICE": Label("会议通知", "The meeting's notice went out to you."),
        "SUPPLEMENTARY_NOTICE": Label("补充通知", "A supplementary notice of the meeting went out to you."),
        "CANCELLED": Label("会议取消", "The meeting was called off."),
        "ITEM_AWAITS": Label("议题待办", "An agenda item waits for you to coordinate, check or accept it."),
    },
    "MeetingAction": {
        "SCHEDULE": Label("安排会议", "Schedule a meeting (the government office)."),
        "SEND_NOTICE": Label("发送会议通知", "Send the meeting's notice (the government office)."),
        "CANCEL_MEETING": Label("取消会议", "Call the meeting off (the government office)."),
        "RECORD_ATTENDANCE": Label("登记出席", "Record attendance (the government office)."),
        "ADD_ITEM": Label("列入议题", "List an item for the meeting (the government office)."),
        "OPEN_MEETING": Label("宣布开会", "Open the meeting (the chair)."),
        "CLOSE_MEETING": Label("宣布散会", "Close the meeting (the chair)."),
        "OPEN_ITEM": Label("审议议题", "Take an item up (the chair)."),
        "PUT_TO_VOTE": Label("付诸表决", "Put an item to a named vote (the chair)."),
        "CLOSE_VOTE": Label("宣布表决结果", "Declare the vote's result (the chair)."),
        "DEFER_ITEM": Label("暂缓表决", "Hold a close vote over (the chair)."),
        "RECORD_CONCLUSION": Label("作出结论", "Record the chair's conclusion (the chair)."),
        "CAST_VOTE": Label("表决", "Cast your own vote (a member)."),
        "RECORD_VOTE": Label("代录表决", "Record a member's show of hands (the government office)."),
        "GIVE_WRITTEN_OPINION": Label("提交书面意见", "Give your own written opinion (an absent member)."),
        "RECORD_WRITTEN_OPINION": Label("代录书面意见", "Record an absent member's written opinion (the government "
                                                   "office)."),
        "RECORD_DECISION": Label("记录决定事项", "Record or move the decision on a decided item (the government office "
                                           "or the chair)."),
        "DRAFT_MINUTES": Label("起草会议纪要", "Draft the minutes of a closed meeting (the government office)."),
        "LIST_PERSONS_CONCERNED": Label("登记涉及人员", "Say whom a personnel item is about (the government office)."),
        "RAISE_RECUSAL": Label("提出回避", "Raise a member's recusal (the government office; the discipline inspector "
                                       "too)."),
    },
    "AgendaItemOutcome": {
        "PASSED": Label("通过", "FOR was more than the pass share of the members who should attend."),
        "NOT_PASSED": Label("未通过", "FOR fell short of the pass share of the members who should attend."),
        "CHAIR_CONCLUDED": Label("主持人作出结论", "Concluded by the chair in a chair-decides body."),
    },
    "MeetingDecisionOutcome": {
        "PASSED": Label("通过", "Passed: the matter goes ahead and documents executing it may be signed."),
        "NOT_PASSED": Label("不予通过", "Not passed; recorded for the record, it authorises nothing."),
        "MODIFIED": Label("修改", "Passed with the changes the meeting made; it authorises like a pass."),
        "SHELVED": Label("搁置", "Shelved; it authorises nothing."),
        "REDISCUSS": Label("再次讨论", "To be discussed again; it authorises nothing."),
    },
    "MeetingDecisionState": {
        "ADOPTED": Label("已作出", "Recorded; its execution has not started."),
        "IN_EXECUTION": Label("执行中", "Being carried out by the responsible departments."),
        "CHANGE_PENDING": Label("变更待议", "A major change is before the body again (三重一大 二(七)); it authorises "
                                "nothing new until the body decides."),
        "DONE": Label("已办结", "Carried out."),
        "SUSPENDED": Label("暂缓执行", "Suspended (三重一大 二(八)); it authorises nothing."),
        "SUPERSEDED": Label("已被变更", "The body decided a change: the new decision replaces this one."),
    },
    "RelationKind": {
        "SPOUSE": Label("夫妻", "Husband or wife."),
        "PARENT": Label("父母", "A parent (直系血亲)."),
        "CHILD": Label("子女", "A child (直系血亲)."),
        "SIBLING": Label("兄弟姐妹", "A brother or sister (三代以内旁系血亲)."),
        "SPOUSE_PARENT": Label("配偶父母", "A parent of the spouse (近姻亲)."),
        "OTHER_BLOOD": Label("其他直系或三代以内旁系血亲", "Another lineal relative, or a collateral one within three "
                                                   "generations."),
        "OTHER_MARRIAGE": Label("其他近姻亲", "Another close relative by marriage."),
    },
    "RecusalReason": {
        "DECLARED": Label("本人申请回避", "The member declared it."),
        "RAISED_BY_OFFICE": Label("办公室提出", "Raised by the office."),
        "RAISED_BY_INSPECTOR": Label("纪检监察提出", "Raised by the discipline inspector."),
        "AUTOMATIC": Label("按亲属关系自动回避", "The member is a person concerned, or related to one in the "
                                          "relation register."),
    },
    "EmergencyDecisionState": {
        "REPORT_DUE": Label("待报告", "Its report waits on the body's next meeting."),
        "REPORTED": Label("已报告", "The body's meeting took the report up."),
        "OVERDUE": Label("逾期未报告", "A meeting closed without taking the report up; it is carried to the next."),
    },
    "SupervisionItemState": {
        "REGISTERED": Label("已登记", "Numbered by the supervision office; waits for it to be delivered with a "
                                      "deadline."),
        "ASSIGNED": Label("已送达", "Delivered to the lead unit (送达承办单位); its principal is to accept it."),
        "ACCEPTED": Label("已签收", "Accepted by the lead unit's principal (or their cover)."),
        "IN_PROGRESS": Label("办理中", "The unit has reported progress."),
        "RESULT_REPORTED": Label("已反馈", "The unit reported its result; the supervision office is to verify it."),
        "CLOSED": Label("已办结", "Verified and closed by the supervision office (督查室)."),
        "REOPENED": Label("退回重办", "The office found the result wanting and said why; the unit works on."),
    },
    "SupervisionSourceKind": {
        "MANUAL": Label("督查室登记", "Registered by hand: an instruction given otherwise, a higher authority's "
                                    "assignment."),
        "CIRCULATION_INSTRUCTION": Label("传阅件批示", "A leader's instruction on a circulated document (003 §53)."),
        "INCOMING_REQUEST": Label("请示件批示", "A leader's instruction on a request sent up (000 §48)."),
        "MEETING_DECISION": Label("会议决定事项", "A meeting decision with a responsible unit (003 §46; 002 细则 §12)."),
        "PROPOSAL": Label("建议提案", "An NPC deputy's suggestion or a CPPCC proposal."),
    },
    "SupervisionEntryKind": {
        "PROGRESS": Label("进展情况", "The unit's progress report."),
        "RESULT": Label("办理结果", "The unit's result report."),
        "REOPENED": Label("退回重办", "The supervision office reopened the item, with its reason."),
        "CLOSED": Label("核查办结", "The supervision office verified the result and closed the item."),
    },
    "SupervisionLapseKind": {
        "REMINDER": Label("催办", "To the responsible person and the lead unit's principal."),
        "ESCALATION": Label("报分管领导", "To the vice magistrate in charge of the lead unit (000 §36)."),
    },
    "SupervisionReportGrouping": {
        "UNIT": Label("按承办单位", "One row per lead unit."),
        "LEADER": Label("按批示领导", "One row per instructing leader (none: items without one)."),
    },
    # The power catalogue (schema/powers.py).
    "PowerHolderKind": {
        "BODY": Label("会议", "A meeting body, e.g. the standing meeting of the county government."),
        "POSITION_ROLE": Label("职位", "A county position: the magistrate or a vice magistrate."),
        "DEPARTMENT": Label("部门", "A department of the county government."),
    },
    "PowerState": {
        "DRAFT": Label("草拟", "Being written by the government office."),
        "UNDER_REVIEW": Label("审核中", "With the establishment office and the legal office (004 一)."),
        "APPROVED": Label("已批准", "Approved by the government, optionally by a meeting's decision."),
        "PUBLISHED": Label("已公布", "In force and public (004 一、五)."),
        "AMENDED": Label("已修订", "Replaced by a newer published version."),
        "REVOKED": Label("已取消", "The power no longer exists."),
    },
    "PowerReviewOffice": {
        "ESTABLISHMENT": Label("编办审核", "The establishment office: is the power within the holder's functions."),
        "LEGAL": Label("法制审核", "The justice bureau: does the legal basis hold."),
    },
    "PowerRiskLevel": {
        "HIGH": Label("高", "Grave harm: public funds, rights of many, or a crime."),
        "MEDIUM": Label("中", "Real harm that a control catches in time."),
        "LOW": Label("低", "Limited harm."),
    },
    "RiskControlKind": {
        "SEPARATION": Label("分权制衡", "Incompatible posts kept apart."),
        "PROCEDURE": Label("流程控制", "A step of the procedure checks it."),
        "TECHNOLOGY": Label("科技防控", "An electronic check or record."),
        "INSTITUTION": Label("制度约束", "A rule that binds it."),
    },
}

E = TypeVar("E", bound=enum.Enum)


def labelled_enum(cls: type[E], *, name: str, description: str) -> type[E]:
    """``strawberry.enum``, each value described from the table: English first, the label beside it."""
    strawberry.enum(cls, name=name, description=description)
    labels = ENUM_LABELS.get(name, {})
    for value in cls.__strawberry_definition__.values:
        if value.name in labels and not value.description:
            value.description = f"{labels[value.name].description} {labels[value.name].label}"
    return cls
