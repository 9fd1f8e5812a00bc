"""Building what tests need through the services, so that every row is one the product could
have written. The fixtures in conftest.py (`make_staff`, `make_case`) wrap these."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Case, Citizen, ServiceItem, Staff
from backend.services import cases
from backend.services.staff import create_staff
from backend.services.training import Training
from backend.services.scope import SYSTEM

STAFF_PASSWORD = "Lantern-harbour-47-quartz"
APPLICANT = cases.Applicant(name="张三", phone="13800138000")
# The statuses a case passes through on its way to `completed`, by help type.
ROUTES = {"assist": ["submitted", "accepted", "in_progress", "completed"],
          "proxy": ["submitted", "accepted", "handed_over", "in_progress", "completed"]}


# `create-user`'s options for a training record current on the tests' clock (2026-11-30).
TRAINING_OPTIONS = ("--training-course", "帮办代办业务培训", "--trained-on", "2026-11-02",
                    "--training-hours", "8", "--training-provider", "博山区政务服务管理办公室")


def trained(now: datetime) -> Training:
    """A training record current on `now`'s day (an agent's registration needs one)."""
    return Training(course="帮办代办业务与服务规范用语培训", trained_on=now.date(), hours="8",
                    provider="博山区政务服务管理办公室", certificate_number="BS-PX-0001")


def new_staff(session: Session, now: datetime, username: str, role: str = "agent",
              places=("BS-HALL",), department: str | None = "RSJ", name: str | None = None,
              password: str = STAFF_PASSWORD) -> Staff:
    """A staff account as `create-user` makes it (an agent registered at its department's
    station in each place); flushed, not committed."""
    return create_staff(session, SYSTEM, username=username, password=password, role=role, name=name,
                        place_codes=list(places), department_code=department, now=now,
                        training=trained(now))


def new_case(session: Session, now: datetime, citizen: Citizen, status: str = "submitted",
             help_type: str = "proxy", *, item: str = "SB-001", place: str = "BS-HALL",
             agent: str | None = None, handed_over: tuple[str, ...] | None = None) -> Case:
    """A case with every material of the item declared, assigned to `agent` when given (by a
    district admin, who must exist), moved by the services to `status` along its help type's
    route (a proxy case hands over `handed_over`, by default the item's first material); flushed,
    not committed."""
    item_row = session.scalar(select(ServiceItem).where(ServiceItem.code == item))
    case = cases.create_case(
        session, citizen, item_code=item, place_code=place, help_type=help_type,
        applicant=APPLICANT, material_codes=[m.code for m in item_row.materials],
        booking_code=None, special_group=None, now=now, number_prefix="BS")
    if agent is not None and (case.agent is None or case.agent.username != agent):
        admin = session.scalar(select(Staff).where(Staff.role == "district_admin").limit(1))
        cases.assign(session, case, admin, agent, now)
    route = ROUTES[help_type]
    for step in route[1:route.index(status) + 1]:
        worker = case.agent
        if step == "accepted":
            cases.check_materials(session, case, [], worker, now)
        elif step == "handed_over":
            codes = handed_over or (case.item.materials[0].code,)
            lines = [{"material": m.code, "copies": m.copies, "original": m.original}
                     for m in case.item.materials if m.code in codes]
            cases.handover(session, case, worker, lines, True, now)
        elif step == "in_progress" and help_type == "proxy":
            cases.sign_agreement(session, case, citizen, now)
        elif step == "in_progress":
            cases.start(session, case, worker, now)
        elif step == "completed":
            cases.complete(session, case, worker, "已办结", now)
    assert case.status == status, (case.status, status)
    session.flush()
    return case
