"""Training behind every registration (seed 三(一), 二(二)1): training records per staff member,
the district's service language (服务规范用语) in versions that staff acknowledge, and the rule
that a registration (登记备案) needs a current training record.

A record is current from its day of training for TRAINING_VALID_DAYS days. Records are entered
by the district office, or by a place manager for the staff of their places; the service
language is published by the district office and acknowledged by each staff member who serves
the public (`scope.TRAINED_STAFF`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ..errors import Forbidden, InvalidInput, NotFound
from ..infrastructure.audit import SYSTEM
from ..models import ServiceLanguage, ServiceLanguageAck, Staff, TrainingRecord
from . import scope
from .scope import Actor

RECORDS_ONLY = "只有场所管理员（本场所人员）或区政务服务管理办可以登记培训记录"


@dataclass(frozen=True)
class Training:
    """A course as entered: what, when, how long, by whom, and the certificate's number."""
    course: str
    trained_on: date
    hours: Decimal | float | str
    provider: str
    certificate_number: str | None = None


def valid_days() -> int:
    return current_app.config["TRAINING_VALID_DAYS"]


def current_since(today: date) -> date:
    """The earliest day of training still current today."""
    return today - timedelta(days=valid_days() - 1)


def has_current_training(staff_id, today: date):
    """SQL condition (or, with a value, the test of one account): the staff member holds a
    training record current today."""
    return exists().where(TrainingRecord.staff_id == staff_id,
                          TrainingRecord.trained_on >= current_since(today),
                          TrainingRecord.trained_on <= today)


def is_trained(session: Session, staff: Staff, today: date) -> bool:
    return bool(session.scalar(select(has_current_training(staff.id, today))))


def check_training(training: Training, today: date) -> dict[str, list[str]]:
    """The problems of a record as entered (empty when it can be written)."""
    problems: dict[str, list[str]] = {}
    if not 1 <= len((training.course or "").strip()) <= 100:
        problems["course"] = ["培训课程应为1至100个字符"]
    if not 1 <= len((training.provider or "").strip()) <= 100:
        problems["provider"] = ["培训机构应为1至100个字符"]
    if training.certificate_number is not None and len(training.certificate_number) > 50:
        problems["certificate_number"] = ["证书编号最多50个字符"]
    if not isinstance(training.trained_on, date):
        problems["trained_on"] = ["培训日期有误"]
    elif training.trained_on > today:
        problems["trained_on"] = ["培训日期不能晚于今天"]
    try:
        hours = Decimal(str(training.hours))
        if not (Decimal("0") < hours <= Decimal("1000")) or hours != hours.quantize(
                Decimal("0.1")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems["hours"] = ["学时应为大于0、至多一位小数的数"]
    return problems


def add_record(session: Session, staff: Staff, training: Training, recorded_by: Actor,
               now: datetime) -> TrainingRecord:
    """Write a record already checked (`check_training`)."""
    record = TrainingRecord(
        staff=staff, course=training.course.strip(), trained_on=training.trained_on,
        hours=Decimal(str(training.hours)), provider=training.provider.strip(),
        certificate_number=(training.certificate_number or "").strip() or None,
        recorded_by_id=None if recorded_by == SYSTEM else recorded_by.id, recorded_at=now)
    session.add(record)
    session.flush()
    return record


def record_training(session: Session, actor: Actor, staff: Staff, training: Training,
                    now: datetime) -> TrainingRecord:
    """A training record for a staff member: the district office's or the system's for anyone,
    a place manager's for those who work at the places they run."""
    if actor != SYSTEM and actor.role not in scope.DISTRICT_ADMINS:
        if actor.role not in scope.PLACE_RUNNERS or not (staff.place_ids & actor.place_ids):
            raise Forbidden(RECORDS_ONLY)
    problems = check_training(training, now.date())
    if problems:
        raise InvalidInput("培训记录有误", problems)
    return add_record(session, staff, training, actor, now)


# The service language (服务规范用语) -------------------------------------------------------------

def current_service_language(session: Session) -> ServiceLanguage | None:
    return session.scalar(select(ServiceLanguage).order_by(ServiceLanguage.version.desc())
                          .limit(1))


def publish_service_language(session: Session, actor: Actor, title: str, body: str,
                             now: datetime) -> ServiceLanguage:
    """A new version of the service language, which every trained role is then to
    acknowledge; the district office's."""
    scope.require_role(actor, scope.DISTRICT_ADMINS, "只有区政务服务管理办可以发布服务规范用语")
    problems: dict[str, list[str]] = {}
    if not 1 <= len((title or "").strip()) <= 100:
        problems["title"] = ["标题应为1至100个字符"]
    if not (body or "").strip():
        problems["body"] = ["正文不能为空"]
    if problems:
        raise InvalidInput("服务规范用语有误", problems)
    version = (session.scalar(select(func.max(ServiceLanguage.version))) or 0) + 1
    document = ServiceLanguage(version=version, title=title.strip(), body=body.strip(),
                               published_by_id=None if actor == SYSTEM else actor.id,
                               published_at=now)
    session.add(document)
    session.flush()
    return document


def acknowledge_service_language(session: Session, staff: Staff,
                                 now: datetime) -> ServiceLanguageAck:
    """The staff member read and acknowledges the current version (twice is once)."""
    scope.require_role(staff, scope.STAFF_ROLES - scope.READ_ONLY_ROLES,
                       f"{staff.role_label}无须确认服务规范用语")
    document = current_service_language(session)
    if document is None:
        raise NotFound("尚未发布服务规范用语")
    ack = session.scalar(select(ServiceLanguageAck).where(
        ServiceLanguageAck.staff_id == staff.id,
        ServiceLanguageAck.service_language_id == document.id))
    if ack is None:
        ack = ServiceLanguageAck(staff=staff, service_language=document, acknowledged_at=now)
        session.add(ack)
        session.flush()
    return ack


def has_acknowledged(session: Session, staff: Staff) -> bool:
    document = current_service_language(session)
    return document is None or bool(session.scalar(select(ServiceLanguageAck.id).where(
        ServiceLanguageAck.staff_id == staff.id,
        ServiceLanguageAck.service_language_id == document.id)))
