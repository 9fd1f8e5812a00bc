"""办件: 帮办 and 代办 cases, their history, notices, receipts, tasks, reviews and escalations."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean, CheckConstraint, Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text,
    Time, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .booking import Booking
from .catalog import Department, Material, Place, ServiceItem
from .people import Citizen, Relative, Staff
from .project import KeyProject
from .types import ForPerson, UTCDateTime

CASE_STATUSES = {
    "submitted": "已提交，待审查材料",
    "materials_incomplete": "材料不全，待补正",
    "accepted": "已受理",
    "handed_over": "材料已交接",
    "in_progress": "办理中",
    "completed": "已办结",
    "returned": "原件已退还",
    "withdrawn": "已撤回",
    "rejected": "不予受理",
    # A 代办 commission ended before completion, by the applicant or the hall (终止).
    "terminated": "委托已终止",
}
# The groups of statuses, from the one list above.
FINISHED = ("completed", "returned")
CLOSED = (*FINISHED, "withdrawn", "rejected", "terminated")
# Ended without completion: the originals the hall holds are owed back from each of these.
ENDED = ("withdrawn", "rejected", "terminated")
OPEN = tuple(status for status in CASE_STATUSES if status not in CLOSED)
REVIEW_LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
# Where a case was applied for: in the mini-program, or at a window by staff for a walk-in
# applicant (who may have no account).
CHANNELS = {"online": "小程序申请", "window": "窗口受理"}
# A review at or below this score is a bad one (差评), to be followed up (整改).
BAD_REVIEW_MAX_SCORE = 2


class CaseSequence(db.Model):
    """The last case number given out on a day."""
    __tablename__ = "case_sequence"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Case(db.Model):
    __tablename__ = "service_case"
    __table_args__ = (
        CheckConstraint("help_type IN ('assist', 'proxy')", name="help_type_known"),
        CheckConstraint("channel IN ('online', 'window')", name="channel_known"),
        # An online case has its citizen; a window case may have none (a walk-in applicant).
        CheckConstraint("channel = 'window' OR citizen_id IS NOT NULL", name="online_has_citizen"),
        # The admin's case list: a place's cases of a status, newest first, and their count
        # by deadline state (bench/admin_cases.py).
        Index("ix_service_case_place_status_created", "place_id", "status", "created_at", "id"),
        Index("ix_service_case_place_status_due", "place_id", "status", "due_date", "amber_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    # The account that applied; null for a case taken at a window, which its applicant sees once
    # signed in with the same name and ID number (`applicant_id_number_key`).
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="online", server_default="online")
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"))
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # The village agent who forwarded the case to its town or the district hall: still the
    # applicant's contact, and still sees the case (cases/forwarding.py).
    contact_agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # The key project (重点项目) the case is grouped under, if any.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("key_project.id"), index=True)
    help_type: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(Enum(*CASE_STATUSES, name="case_status", native_enum=False,
                                             create_constraint=True, length=24), index=True)
    applicant_name: Mapped[str] = mapped_column(String(50))
    applicant_phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    applicant_id_number_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    applicant_id_number_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # 亲友代办: the relation under which the citizen applied for the applicant.
    relative_id: Mapped[int | None] = mapped_column(ForeignKey("relative.id"))
    enterprise_name: Mapped[str | None] = mapped_column(String(100))
    uscc: Mapped[str | None] = mapped_column(String(18))
    # e.g. 老年人、残疾人: people offered proxy service when coming in is hard.
    special_group: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # 收件: the day the application (or, after a one-time notice, the supplement) was received;
    # 行政许可法 §32 counts its 5 working days from here.
    received_on: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    # Accepted by law (§32): not checked within 5 working days of receipt, accepted from that day.
    deemed_accepted: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=text("false"))
    # The first day of the suspension under way (特别程序 or 中止), if any: the clock is paused
    # and the case is neither amber nor red meanwhile (`deadline_condition` reads it).
    suspended_since: Mapped[date | None] = mapped_column(Date)
    # Derived at acceptance from the statutory calendar: amber from `amber_on`, red after `due_date`.
    amber_on: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    # Set on completion (and on withdrawal); the reports select a period's completions by it.
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    agreement_version: Mapped[str | None] = mapped_column(String(20))
    agreement_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "online" (accepted in the mini-program, with the openid) or "paper" (recorded by staff).
    agreement_method: Mapped[str | None] = mapped_column(String(10))
    agreement_openid: Mapped[str | None] = mapped_column(String(64))
    agreement_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The 委托书 (代办 only), from the agreement's signature: what is agreed (the item and the
    # tasks) and until when; a lapsed one is renewed (续办) with a new validity.
    commission_scope: Mapped[str | None] = mapped_column(Text)
    commission_valid_until: Mapped[date | None] = mapped_column(Date)
    # 终止: who ended the commission (citizen or hall) and why.
    terminated_by: Mapped[str | None] = mapped_column(String(10))
    termination_reason: Mapped[str | None] = mapped_column(Text)

    citizen: Mapped[Citizen | None] = relationship()
    item: Mapped[ServiceItem] = relationship()
    place: Mapped[Place] = relationship()
    lead_department: Mapped[Department] = relationship()
    booking: Mapped[Booking | None] = relationship()
    relative: Mapped[Relative | None] = relationship()
    agent: Mapped[Staff | None] = relationship(foreign_keys=[agent_id])
    contact_agent: Mapped[Staff | None] = relationship(foreign_keys=[contact_agent_id])
    project: Mapped[KeyProject | None] = relationship()
    materials: Mapped[list[CaseMaterial]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMaterial.id")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id")
    notices: Mapped[list[MissingMaterialNotice]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MissingMaterialNotice.id")
    tasks: Mapped[list[DepartmentTask]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="DepartmentTask.id")
    receipts: Mapped[list[Receipt]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Receipt.id")
    review: Mapped[Review | None] = relationship(back_populates="case", uselist=False)
    escalations: Mapped[list[Escalation]] = relationship(
        back_populates="case", order_by="Escalation.id")
    visit: Mapped[HomeVisit | None] = relationship(back_populates="case", uselist=False,
                                                   cascade="all, delete-orphan")
    suspensions: Mapped[list[Suspension]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Suspension.id")
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Extension.id")
    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseDocument.id")

    @property
    def status_label(self) -> str:
        return CASE_STATUSES[self.status]

    @property
    def for_person(self) -> ForPerson | None:
        return ForPerson.of(self.applicant_name) if self.relative_id is not None else None

    @property
    def channel_label(self) -> str:
        return CHANNELS[self.channel]


class CaseMaterial(db.Model):
    """One material of the item, as far as this case goes: declared, received, returned."""
    __tablename__ = "case_material"
    __table_args__ = (UniqueConstraint("case_id", "material_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"))
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"))
    declared: Mapped[bool] = mapped_column(Boolean, default=False)
    received_copies: Mapped[int | None] = mapped_column(Integer)
    received_original: Mapped[bool | None] = mapped_column(Boolean)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="materials")
    material: Mapped[Material] = relationship()

    @property
    def state(self) -> str:
        if self.returned_at:
            return "returned"
        if self.received_at:
            return "received"
        return "declared" if self.declared else "missing"


class CaseEvent(db.Model):
    """One step in a case's history; the citizen's timeline is built from these."""
    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    # Who: a staff member, the citizen, or the system (neither set).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    by_citizen: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events")
    staff: Mapped[Staff | None] = relationship()


class MissingMaterialNotice(db.Model):
    """一次性告知: every missing material and how to obtain it, in one notice."""
    __tablename__ = "missing_material_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # Set when this notice names a material an earlier notice of the case did not.
    violates_one_time_rule: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship(back_populates="notices")
    staff: Mapped[Staff] = relationship()
    lines: Mapped[list[NoticeLine]] = relationship(cascade="all, delete-orphan",
                                                   order_by="NoticeLine.id")


class NoticeLine(db.Model):
    __tablename__ = "notice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("missing_material_notice.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"))
    note: Mapped[str | None] = mapped_column(Text)

    material: Mapped[Material] = relationship()


class Receipt(db.Model):
    """材料交接: the handover of materials to the agent, or their return after completion."""
    __tablename__ = "receipt"
    __table_args__ = (CheckConstraint("kind IN ('handover', 'return')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    citizen_confirmed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="receipts")
    staff: Mapped[Staff] = relationship()
    lines: Mapped[list[ReceiptLine]] = relationship(cascade="all, delete-orphan",
                                                    order_by="ReceiptLine.id")
    # A return receipt may also list the results handed over (证照, 批文), which the item does
    # not name as materials.
    results: Mapped[list[ReceiptResult]] = relationship(cascade="all, delete-orphan",
                                                        order_by="ReceiptResult.id")


class ReceiptResult(db.Model):
    """A result handed over with the originals (a licence, an approval): named as it is."""
    __tablename__ = "receipt_result"
    __table_args__ = (CheckConstraint("copies > 0", name="copies_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipt.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(100))
    copies: Mapped[int] = mapped_column(Integer, default=1)


class ReceiptLine(db.Model):
    __tablename__ = "receipt_line"
    __table_args__ = (CheckConstraint("copies > 0", name="copies_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipt.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"))
    copies: Mapped[int] = mapped_column(Integer)
    original: Mapped[bool] = mapped_column(Boolean)

    material: Mapped[Material] = relationship()


class DepartmentTask(db.Model):
    """牵头部门负责制: one task per department a multi-department matter involves."""
    __tablename__ = "department_task"
    __table_args__ = (UniqueConstraint("case_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="tasks")
    department: Mapped[Department] = relationship()


class Review(db.Model):
    """好差评. A score of 1 or 2 opens a follow-up (整改) the place manager must close."""
    __tablename__ = "review"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), unique=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    followup_due: Mapped[date | None] = mapped_column(Date, index=True)
    followup_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followup_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    followup_callback: Mapped[str | None] = mapped_column(Text)
    followup_fix: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="review")
    followup_by: Mapped[Staff | None] = relationship()

    @property
    def level(self) -> str:
        return REVIEW_LEVELS[self.score]

    @staticmethod
    def is_bad(score: int) -> bool:
        return score <= BAD_REVIEW_MAX_SCORE

    @property
    def needs_followup(self) -> bool:
        return self.is_bad(self.score)


class Escalation(db.Model):
    """难点堵点: a blocker an agent raises; the place manager resolves it."""
    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="escalations")
    raised_by: Mapped[Staff] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[Staff | None] = relationship(foreign_keys=[resolved_by_id])


class AuditLog(db.Model):
    """Every change made by staff: who, when, what, old → new."""
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # create, update, delete, read
    entity: Mapped[str] = mapped_column(String(50))
    # The record's public identifier: a case's number (also for the rows that belong to a
    # case), a booking's code, a place's code, a username ... (backend.infrastructure.audit).
    entity_key: Mapped[str] = mapped_column(String(100))
    # JSON: {"field": [old, new]}; personal data appears as "***".
    changes: Mapped[str] = mapped_column(Text)
    # The place the record belongs to, if any (for the log's place filter). No foreign key: the
    # log is history, and keeps its rows whatever becomes of the place.
    place_id: Mapped[int | None] = mapped_column(Integer, index=True)

    staff: Mapped[Staff | None] = relationship()


# 特别程序 (行政许可法 §45): our names and their Chinese.
SUSPENSION_KINDS = {
    "hearing": "听证", "tender": "招标", "auction": "拍卖", "inspection": "检验",
    "testing": "检测", "quarantine": "检疫", "appraisal": "鉴定", "expert_review": "专家评审",
    "survey": "现场勘查", "other": "其他",
}
# GB/T 39046-2020 (政务服务平台基础数据规范) exchanges a special procedure as 特别程序种类名称
# (free text: our Chinese name above) and 特别程序种类代码 (its table 7), whose code set A.7 has two
# values: 1 延长审批 (an extension) and 2 除延长审批之外的情况 (every suspension, whatever its kind).
GBT_39046_EXTENSION = "1"
GBT_39046_NOT_EXTENSION = "2"
# Why the clock stopped: a special procedure of the law, or the applicant (a 代办 commission
# suspended, 中止, e.g. while the applicant is away). Either way the time is not the hall's.
SUSPENSION_CAUSES = {"procedure": "特别程序", "applicant": "申请人原因（中止委托）"}


class Suspension(db.Model):
    """特别程序 or 中止: a stretch of time that does not count against the case's deadline. The
    clock stops on `started_on` and runs again the day after `ended_on`; the due date moves by
    the working days in between (`working_days`, counted when it ends)."""
    __tablename__ = "case_suspension"
    __table_args__ = (
        CheckConstraint("kind IN ('hearing', 'tender', 'auction', 'inspection', 'testing', "
                        "'quarantine', 'appraisal', 'expert_review', 'survey', 'other')",
                        name="kind_known"),
        CheckConstraint("cause IN ('procedure', 'applicant')", name="cause_known"),
        CheckConstraint(f"gbt_code = '{GBT_39046_NOT_EXTENSION}'", name="gbt_code_suspension"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(20))
    gbt_code: Mapped[str] = mapped_column(String(1), default=GBT_39046_NOT_EXTENSION)
    cause: Mapped[str] = mapped_column(String(10), default="procedure")
    reason: Mapped[str] = mapped_column(Text)
    expected_days: Mapped[int | None] = mapped_column(Integer)
    started_on: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    ended_on: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    working_days: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="suspensions")
    started_by: Mapped[Staff] = relationship(foreign_keys=[started_by_id])
    ended_by: Mapped[Staff | None] = relationship(foreign_keys=[ended_by_id])

    @property
    def kind_label(self) -> str:
        return SUSPENSION_KINDS[self.kind]

    @property
    def cause_label(self) -> str:
        return SUSPENSION_CAUSES[self.cause]


class Extension(db.Model):
    """延长 (行政许可法 §42): more working days, decided by a place manager before the due date,
    with the reason the applicant is told."""
    __tablename__ = "case_extension"
    __table_args__ = (
        CheckConstraint("days > 0", name="days_positive"),
        CheckConstraint(f"gbt_code = '{GBT_39046_EXTENSION}'", name="gbt_code_extension"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"),
                                         index=True)
    days: Mapped[int] = mapped_column(Integer)
    gbt_code: Mapped[str] = mapped_column(String(1), default=GBT_39046_EXTENSION)
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    due_before: Mapped[date] = mapped_column(Date)
    due_after: Mapped[date] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="extensions")
    decided_by: Mapped[Staff] = relationship()


# The papers a hall hands the applicant (docs/api.md "Documents"), by kind.
DOCUMENT_KINDS = {
    "notice": "一次性告知书", "acceptance": "受理凭证", "handover": "材料交接单",
    "commission": "委托书", "suspension": "特别程序告知书", "termination": "终止单",
    "return": "材料返还单", "completion": "办结单",
}


class CaseDocument(db.Model):
    """A paper issued to the applicant at a step of the case: what it is, when, and the record it
    prints (a notice, a receipt, a suspension; none for the case itself). Its PDF is drawn from
    the case's data whenever asked, the same bytes each time (cases/documents.py)."""
    __tablename__ = "case_document"
    __table_args__ = (
        CheckConstraint("kind IN ('notice', 'acceptance', 'handover', 'commission', "
                        "'suspension', 'termination', 'return', 'completion')",
                        name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(50))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The record printed: a notice's, a receipt's or a suspension's id (by kind); else null.
    ref_id: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    case: Mapped[Case] = relationship(back_populates="documents")
    staff: Mapped[Staff | None] = relationship()


VISIT_STATUSES = {"requested": "已申请上门", "scheduled": "已安排上门", "done": "已上门办理",
                  "declined": "不安排上门"}


class HomeVisit(db.Model):
    """上门代办: a 代办 applicant who cannot come asks for a home visit; the place manager
    schedules it (date, time, agent) or declines it with a reason; the agent records it (the
    materials received at home are the handover)."""
    __tablename__ = "home_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"),
                                         unique=True)
    status: Mapped[str] = mapped_column(Enum(*VISIT_STATUSES, name="visit_status",
                                             native_enum=False, create_constraint=True,
                                             length=10))
    address_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    reason: Mapped[str | None] = mapped_column(Text)
    # The applicant's preferred days, ISO dates separated by commas.
    preferred_dates: Mapped[str | None] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    date: Mapped[date | None] = mapped_column(Date, index=True)
    start: Mapped[time | None] = mapped_column(Time)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The decline's reason, or what the agent noted at the visit.
    note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="visit")
    agent: Mapped[Staff | None] = relationship(foreign_keys=[agent_id])

    @property
    def status_label(self) -> str:
        return VISIT_STATUSES[self.status]
