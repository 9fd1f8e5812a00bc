"""The admin's permission matrix: every URL that reads or changes something × role × own or
other place. A refused request changes nothing (the database is compared before and after)."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from backend.models import (
    AgentRegistration, Announcement, AuditLog, Booking, Bulletin, Case, CoordinationMeeting,
    Decision, InspectionVisit, KeyProject, WorkingStandard,
    Department, Escalation, Material, Notification,
    Place, Relative, Review, RotaEntry, ScheduleRule, ServiceItem, Slot, SpecialGroupConfirmation,
    Staff, Station, Ticket, Window,
)
from backend.models import RegistrationProposal, FloorQuestion, Suggestion, TrainingRecord
from backend.models import Consultation, FaqEntry, ServiceLanguageAck
from backend.services import cases, consultation, special_groups
from backend.services.training import publish_service_language
from backend.services.cases import Applicant
from backend.services.booking import BookingRules
from backend.services.person_booking import Person, book_for_person
from backend.services.meetings import DecisionIn, record_meeting
from backend.services.projects import create_project
from backend.services.standards import Thresholds, record_visit, set_standard
from backend.services.relatives import add_relative
from backend.services.slots import generate_slots
from backend.services.staff import set_password
from backend.services.scope import SYSTEM

PASSWORD = "Hq7#vLm2pX9w-Tz"
# role → username (anonymous: nobody signed in)
USERS = {"agent": "agent1", "place_manager": "manager", "district_admin": "admin",
         "inspector": "inspector", "guide": "guide1", "anonymous": None}
OK, LOGIN, DENIED = "ok", "login", "denied"


@pytest.fixture
def world(session, demo, clock, make_citizen):
    """Cases, a rota entry, a rule and a registration at the manager's place (own) and at
    BS-CD (other)."""
    for username in ("manager", "agent1", "admin", "inspector", "agent3", "guide1"):
        set_password(session, SYSTEM,
                     session.scalar(select(Staff).where(Staff.username == username)), PASSWORD)
    generate_slots(session, clock.now(), 14)
    agent1 = session.scalar(select(Staff).where(Staff.username == "agent1"))
    admin = session.scalar(select(Staff).where(Staff.username == "admin"))
    rows = {}
    manager = session.scalar(select(Staff).where(Staff.username == "manager"))
    publish_service_language(session, SYSTEM, "服务规范用语", "您好，请问办理什么业务？", clock.now())
    for key, place in (("own", "BS-HALL"), ("other", "BS-CD")):
        case = cases.create_case(session, make_citizen(), item_code="SB-001", place_code=place,
                                 help_type="proxy", applicant=Applicant(name="申请人"),
                                 material_codes=["SFZ"], booking_code=None, special_group=None,
                                 now=clock.now(), number_prefix="BS")
        place_id = session.scalar(select(Place.id).where(Place.code == place))
        document = cases.issue(session, case, "acceptance", clock.now())
        review = Review(case_id=case.id, score=1, comment="等太久", created_at=clock.now())
        escalation = Escalation(case_id=case.id, raised_by_id=agent1.id, raised_at=clock.now(),
                                note="群众投诉")
        message = Notification(dedupe_key=f"test:{key}", event="case_overdue", subject=case.number,
                               staff_id=agent1.id, place_id=place_id, payload='{"number": "x"}',
                               status="failed", attempts=3, due_at=clock.now(), errcode=40001,
                               errmsg="invalid credential", created_at=clock.now())
        announcement = Announcement(place_id=place_id, title=f"公告{key}", body="节假日安排",
                                    starts_on=clock.now().date(), ends_on=clock.now().date(),
                                    created_by_id=agent1.id, created_at=clock.now())
        session.add_all([review, escalation, message, announcement])
        session.flush()
        slot = session.scalar(select(Slot).where(Slot.place_id == place_id)
                              .order_by(Slot.date.desc()).limit(1))
        booking = book_for_person(session, admin, Person("李桂兰", "370304195208012261"), slot.id,
                                  "SB-001", None, None, clock.now(), BookingRules())
        special = special_groups.confirm(
            session, admin, session.get(Place, place_id), "赵六",
            {"own": "370304199001011235", "other": "370304196612015557"}[key], "disability",
            "残疾人证", clock.now())
        asked = consultation.ask(session, make_citizen(), "SB-001", place, "需要什么材料？",
                                 clock.now())
        answered = consultation.ask(session, make_citizen(), "SB-001", place, "在哪个窗口？",
                                    clock.now())
        closable = consultation.ask(session, make_citizen(), "SB-001", place, "重复的问题",
                                    clock.now())
        consultation.answer(session, admin, answered.id, "二楼人社窗口", clock.now())
        faq = consultation.publish(session, admin, answered.id, None, None, clock.now())
        # A registration proposed by a manager, waiting for the district office: agent1 at
        # the hall's MZJ station, agent4 at BS-CD's (agent3, BS-CD's other agent, is the one
        # the matrix deactivates).
        proposal = RegistrationProposal(
            staff=agent1 if key == "own" else session.scalar(select(Staff).where(
                Staff.username == "agent4")),
            station=session.scalar(select(Station).where(
                Station.place_id == place_id, Station.department.has(code="MZJ"))),
            place_id=place_id, status="pending", proposed_by=manager, proposed_at=clock.now())
        session.add(proposal)
        session.flush()
        meeting = record_meeting(
            session, admin, place_code=place, held_on=clock.now().date(), topic=f"协调会{key}",
            attendees=[], departments=["RSJ"], blockers=["系统不互通"], escalation_ids=[],
            decisions_in=[DecisionIn("开放接口", "admin", clock.now().date())], note=None,
            now=clock.now(), today=clock.now().date())
        visit = record_visit(session, admin, visited_on=clock.now().date(), place_code=place,
                             department_code=None, inspectors=["inspector"], findings="台账不全",
                             followup_due=None, now=clock.now(), today=clock.now().date())
        project = create_project(session, admin, name=f"项目{key}", enterprise_name="博山陶瓷有限公司",
                                 uscc="91370304MA3C5K8Q0Q", description=None, place_code=place,
                                 steward="agent1" if key == "own" else "agent3", members=[],
                                 now=clock.now())
        rows[key] = {"announcement": announcement, "consultation": asked, "closable": closable,
            "answered": answered, "faq": faq, "proposal": proposal, "meeting": meeting,
            "visit": visit, "project": project, "decision": meeting.decisions[0],
            "slip": SimpleNamespace(id=booking.code),
            "special": special,
            "review": review, "escalation": escalation, "message": message,
            "case": case, "document": document,
            "rota": session.scalar(select(RotaEntry).where(RotaEntry.place_id == place_id)),
            "rule": session.scalar(select(ScheduleRule).where(ScheduleRule.place_id == place_id)),
            "registration": session.scalar(select(AgentRegistration).where(
                AgentRegistration.station.has(place_id=place_id))),
            "desk": session.scalar(select(Window).where(Window.place_id == place_id,
                                                        Window.code == "1")),
        }
    # The catalogue belongs to no place: the same rows for "own" and "other". A station no one
    # uses (its registrations removed) may be deleted.
    unused = session.scalar(select(Station).where(
        Station.place_id == session.scalar(select(Place.id).where(Place.code == "BS-TAX-HALL"))))
    session.execute(AgentRegistration.__table__.delete().where(
        AgentRegistration.station_id == unused.id))
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == "JS-001"))
    # A 亲友代办 request waiting for a window: it belongs to no place.
    relative = add_relative(session, make_citizen(), "张德全", WALK_IN["id_number"], "父亲", None,
                            clock.now())
    set_standard(session, admin, clock.now().date().replace(day=1), clock.now().date(),
                 Thresholds(min_on_time_rate=0.9), clock.now())
    bulletin = Bulletin(number="博政管通〔2026〕9号", kind="criticism", title="通报",
                        period_start=clock.now().date(), period_end=clock.now().date(),
                        published_by=admin, published_at=clock.now())
    session.add(bulletin)
    session.flush()
    for objs in rows.values():
        objs.update(station=unused, item=item, relative=relative, bulletin=bulletin)
    session.commit()
    return {key: {name: obj.id for name, obj in objs.items()} for key, objs in rows.items()}


def catalogue_bodies(session) -> dict:
    """The catalogue forms as a district admin fills them (the CSRF token is added later)."""
    def id_of(model, code):
        return str(session.scalar(select(model.id).where(model.code == code)))
    item = {"name": "新事项", "category": "测试", "commitment_days": "3", "fee": "",
            "department": id_of(Department, "RSJ"), "help_types": ["assist"],
            "places": [id_of(Place, "BS-HALL")], "materials-0-code": "SQB",
            "materials-0-name": "申请表", "materials-0-required": "y"}
    hall_slot = session.scalar(select(Slot.id).join(Place, Place.id == Slot.place_id).where(
        Place.code == "BS-HALL").order_by(Slot.date.desc(), Slot.start_time).limit(1))
    return {"/staff-booking/?": {"slot": str(hall_slot), "item": "SB-001", "name": "王秀英",
                                 "id_number": WALK_IN["id_number"]},
            "/station/new/": {"place": id_of(Place, "BS-CD"),
                              "department": id_of(Department, "SCJGJ")},
            "/item/new/": {**item, "code": "NEW-001"}, "/item/edit/": item}


def snapshot(session) -> tuple:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (
        AuditLog, Case, RotaEntry, ScheduleRule, AgentRegistration, Booking, Staff, Place,
        Station, ServiceItem, Material)) + (
        tuple(session.scalars(select(ServiceItem.name).order_by(ServiceItem.id))),
        tuple(session.scalars(select(Case.status).order_by(Case.id))),
        tuple(session.scalars(select(Booking.status).order_by(Booking.id))),
        tuple(session.scalars(select(Relative.status).order_by(Relative.id))),
        tuple(session.scalars(select(SpecialGroupConfirmation.ended_at)
                              .order_by(SpecialGroupConfirmation.id))),
        tuple(session.scalars(select(Case.agent_id).order_by(Case.id))),
        tuple(session.scalars(select(Notification.status).order_by(Notification.id))),
        tuple(session.scalars(select(Announcement.title).order_by(Announcement.id))),
        tuple(session.scalars(select(Announcement.ended_at).order_by(Announcement.id))),
        tuple(session.scalars(select(Ticket.status).order_by(Ticket.id))),
        tuple(session.execute(select(Window.code, Window.is_open, Window.staff_id)
                              .order_by(Window.id))),
        tuple(session.scalar(select(func.count()).select_from(m)) for m in (
            FloorQuestion, Suggestion, TrainingRecord, ServiceLanguageAck, FaqEntry)),
        tuple(session.scalars(select(Consultation.status).order_by(Consultation.id))),
        tuple(session.scalars(select(FaqEntry.question).order_by(FaqEntry.id))),
        tuple(session.scalars(select(RegistrationProposal.status)
                              .order_by(RegistrationProposal.id))),
        tuple(session.scalars(select(Suggestion.status).order_by(Suggestion.id))),
        session.scalar(select(func.count()).select_from(CoordinationMeeting)),
        tuple(session.scalars(select(Decision.done_at).order_by(Decision.id))),
        tuple(session.scalars(select(WorkingStandard.min_satisfaction))),
        session.scalar(select(func.count()).select_from(InspectionVisit)),
        session.scalar(select(func.count()).select_from(Bulletin)),
        session.scalar(select(func.count()).select_from(KeyProject)),
        tuple(session.scalars(select(Case.project_id).order_by(Case.id))))


# (method, url template, {role: expected for "own", role: expected for "other"}).
# "own"/"other" fill {id} with the row of the manager's place or of BS-CD.
CASE_ROLES = {"agent": DENIED, "place_manager": OK, "district_admin": OK, "inspector": OK}
ACT = {"agent": DENIED, "place_manager": OK, "district_admin": OK, "inspector": DENIED}
MANAGE = {"agent": DENIED, "place_manager": OK, "district_admin": OK, "inspector": DENIED}
DISTRICT = {"agent": DENIED, "place_manager": DENIED, "district_admin": OK, "inspector": DENIED}
REPORTS = {"agent": DENIED, "place_manager": OK, "district_admin": OK, "inspector": OK}
AUDITORS = {"agent": DENIED, "place_manager": DENIED, "district_admin": OK, "inspector": OK}
EVERYONE = {"agent": OK, "place_manager": OK, "district_admin": OK, "inspector": OK}
# Pages every staff member opens, hall guides included.
ALL_STAFF = {**EVERYONE, "guide": OK}
ACTING_STAFF = {**ALL_STAFF, "inspector": DENIED}
ANSWERERS = {"agent": OK, "place_manager": OK, "district_admin": OK}
FLOOR_LOG = {"agent": OK, "place_manager": OK, "district_admin": OK, "guide": OK}
WINDOW = {"agent": OK, "place_manager": OK, "district_admin": OK, "inspector": DENIED}
# A walk-in applicant's case, taken at the hall (agent1's and the manager's place).
WALK_IN = {"name": "王秀英", "id_number": "370304194803124212", "seen_SFZ": "1", "seen_HKB": "1",
           "seen_JMYBCB": "1"}

URLS = [
    ("get", "/admin/", "case", ALL_STAFF, False),
    ("get", "/admin/case/", "case", CASE_ROLES, False),
    ("get", "/admin/case/details/?id={id}", "case", CASE_ROLES, True),
    ("get", "/admin/case/document/{id}.pdf", "document", CASE_ROLES, True),
    ("get", "/admin/case/export/csv/", "case", CASE_ROLES, False),
    # No ajax lookups are offered (they would query around the scope): 404 for everyone.
    ("get", "/admin/case/ajax/lookup/?name=agent&query=a", "case", {}, False),
    ("post", "/admin/case/act/assign/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/check/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/reject/?id={id}", "case", ACT, True),
    ("post", "/admin/case/assign/?ids={id}", "case", ACT, True),
    ("post", "/admin/case/edit/?id={id}", "case", {}, True),
    ("post", "/admin/case/delete/", "case", {}, True),
    ("get", "/admin/my-cases/", "case", {"agent": OK}, False),
    ("get", "/admin/reassign/", "case", CASE_ROLES, False),
    ("get", "/admin/visits/?date=2026-12-02", "case", EVERYONE, False),
    ("get", "/admin/originals/", "case", EVERYONE, False),
    ("post", "/admin/case/act/visit-decline/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/suspend/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/resume/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/extend/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/terminate/?id={id}", "case", ACT, True),
    ("post", "/admin/case/act/renew/?id={id}", "case", ACT, True),
    ("get", "/admin/bookings/", "case", ALL_STAFF, False),
    ("post", "/admin/case/act/forward/?id={id}", "case", ACT, True),
    ("get", "/admin/window/?place=BS-HALL&item=SB-001&help_type=assist", "case", WINDOW, False),
    ("post", "/admin/window/?place=BS-HALL&item=SB-001&help_type=assist", "case", WINDOW, False),
    ("post", "/admin/window/person", "case", WINDOW, False),
    ("post", "/admin/window/relative/{id}/confirm", "relative", WINDOW, False),
    ("get", "/admin/staff-booking/?place=BS-HALL", "case", WINDOW, False),
    ("post", "/admin/staff-booking/?place=BS-HALL", "case", WINDOW, False),
    ("get", "/admin/staff-booking/slip/{id}", "slip", WINDOW, True),
    ("post", "/admin/staff-booking/cancel/{id}", "slip", WINDOW, True),
    ("get", "/admin/special-groups/", "case", WINDOW, False),
    ("post", "/admin/special-groups/", "case", WINDOW, False),
    ("post", "/admin/special-groups/end/{id}", "special", WINDOW, True),
    ("get", "/admin/calling/", "case", WINDOW, False),
    ("get", "/admin/calling/?window={id}", "desk", WINDOW, False),
    ("post", "/admin/calling/{id}/walk-in", "desk", WINDOW, True),
    ("post", "/admin/calling/{id}/open", "desk", WINDOW, True),
    ("post", "/admin/calling/{id}/call", "desk", WINDOW, True),
    ("get", "/admin/queue-floor/", "case", REPORTS, False),
    ("post", "/admin/queue-floor/?place=BS-HALL", "case", MANAGE, False),
    ("get", "/admin/rota/", "rota", ALL_STAFF, False),
    ("get", "/admin/rota/details/?id={id}", "rota", ALL_STAFF, True),
    ("post", "/admin/rota/remove/?id={id}", "rota", MANAGE, True),
    ("post", "/admin/rota/add/", "rota", MANAGE, False),
    ("post", "/admin/schedule/change/?id={id}", "rule", MANAGE, True),
    ("get", "/admin/registration/", "registration", {**CASE_ROLES}, False),
    ("post", "/admin/registration/end/?id={id}", "registration", MANAGE, True),
    ("post", "/admin/registration/register/", "registration", MANAGE, False),
    ("get", "/admin/staff/", "case", DISTRICT, False),
    ("post", "/admin/staff/create/", "case", DISTRICT, False),
    ("post", "/admin/staff/account/deactivate/?id={staff}", "case", DISTRICT, False),
    ("get", "/admin/calendar/", "case", DISTRICT, False),
    ("post", "/admin/calendar/", "case", DISTRICT, False),
    ("get", "/admin/catalog-file/export", "case", DISTRICT, False),
    ("post", "/admin/place/edit/?id=1", "case", DISTRICT, False),
    ("get", "/admin/station/new/", "station", DISTRICT, False),
    ("post", "/admin/station/new/", "station", DISTRICT, False),
    ("post", "/admin/station/delete/?id={id}", "station", DISTRICT, False),
    ("post", "/admin/station/action/", "station", {}, False),
    ("get", "/admin/item/new/", "item", DISTRICT, False),
    ("post", "/admin/item/new/", "item", DISTRICT, False),
    ("get", "/admin/item/edit/?id={id}", "item", DISTRICT, False),
    ("post", "/admin/item/edit/?id={id}", "item", DISTRICT, False),
    ("post", "/admin/item/delete/", "item", {}, False),
    ("get", "/admin/report/?start=2026-11-01&end=2026-11-30", "case", REPORTS, False),
    ("get", "/admin/compliance/", "case", REPORTS, False),
    ("get", "/admin/report/xlsx?start=2026-11-01&end=2026-11-30", "case", REPORTS, False),
    ("get", "/admin/bad-review/?flt0_0=open", "case", REPORTS, False),
    ("get", "/admin/bad-review/details/?id={id}", "review", REPORTS, True),
    ("get", "/admin/escalation/?flt0_0=open", "case", REPORTS, False),
    ("get", "/admin/escalation/details/?id={id}", "escalation", REPORTS, True),
    ("get", "/admin/outbox/?flt0_0=failed", "case", REPORTS, False),
    ("get", "/admin/outbox/details/?id={id}", "message", REPORTS, True),
    ("post", "/admin/outbox/action/?id={id}", "message", ACT, True),
    ("post", "/admin/outbox/edit/?id={id}", "message", {}, True),
    ("get", "/admin/inbox/", "case", ALL_STAFF, False),
    ("get", "/admin/audit-log/?flt0_0=update", "case", AUDITORS, False),
    ("post", "/admin/audit-log/delete/", "case", {}, False),
    ("get", "/admin/announcement/", "case", REPORTS, False),
    ("get", "/admin/announcement/publish/", "case", MANAGE, False),
    ("post", "/admin/announcement/publish/", "case", MANAGE, False),
    ("get", "/admin/announcement/change/?id={id}", "announcement", MANAGE, True),
    ("post", "/admin/announcement/change/?id={id}", "announcement", MANAGE, True),
    ("post", "/admin/announcement/end/?id={id}", "announcement", MANAGE, True),
    ("get", "/admin/consultations/", "case", EVERYONE, False),
    ("post", "/admin/consultations/{id}/answer", "consultation", ANSWERERS, True),
    ("post", "/admin/consultations/{id}/close", "closable", MANAGE, True),
    ("post", "/admin/consultations/{id}/publish", "answered", MANAGE, True),
    ("get", "/admin/faq/", "case", REPORTS, False),
    ("post", "/admin/faq/{id}/edit", "faq", MANAGE, True),
    ("post", "/admin/faq/{id}/withdraw", "faq", MANAGE, True),
    ("get", "/admin/floor-log/", "case", FLOOR_LOG, False),
    ("post", "/admin/floor-log/", "case", FLOOR_LOG, False),
    ("get", "/admin/training/", "case", ALL_STAFF, False),
    ("post", "/admin/training/record", "case", MANAGE, False),
    ("post", "/admin/training/acknowledge", "case", ACTING_STAFF, False),
    ("post", "/admin/training/publish", "case", DISTRICT, False),
    ("get", "/admin/proposals/", "case", REPORTS, False),
    ("post", "/admin/proposals/{id}/decide", "proposal", DISTRICT, True),
    ("get", "/admin/suggestions/", "case", ALL_STAFF, False),
    ("post", "/admin/suggestions/submit", "case", ACTING_STAFF, False),
    ("get", "/admin/meeting/", "case", ALL_STAFF, False),
    ("get", "/admin/meeting/details/?id={id}", "meeting", ALL_STAFF, True),
    ("get", "/admin/meeting/record/", "case", MANAGE, False),
    ("post", "/admin/meeting/record/", "case", MANAGE, False),
    ("post", "/admin/meeting/decision/done/?id={id}", "decision", ACT, True),
    ("post", "/admin/meeting/edit/?id={id}", "meeting", {}, True),
    ("post", "/admin/meeting/delete/", "meeting", {}, True),
    ("get", "/admin/standard/", "case", REPORTS, False),
    ("get", "/admin/standard/set/", "case", DISTRICT, False),
    ("post", "/admin/standard/set/", "case", DISTRICT, False),
    ("get", "/admin/inspection/?start=2026-11-01&end=2026-11-30", "case", REPORTS, False),
    ("get", "/admin/inspection-visit/", "case", REPORTS, False),
    ("get", "/admin/inspection-visit/details/?id={id}", "visit", REPORTS, True),
    ("get", "/admin/inspection-visit/record/", "case", AUDITORS, False),
    ("post", "/admin/inspection-visit/record/", "case", AUDITORS, False),
    ("get", "/admin/bulletin/", "case", ALL_STAFF, False),
    ("get", "/admin/bulletin/details/?id={id}", "bulletin", ALL_STAFF, False),
    ("get", "/admin/bulletin/pdf?id={id}", "bulletin", ALL_STAFF, False),
    ("get", "/admin/bulletin/xlsx?id={id}", "bulletin", ALL_STAFF, False),
    ("post", "/admin/bulletin/publish/", "case", DISTRICT, False),
    ("post", "/admin/bulletin/delete/", "bulletin", {}, False),
    ("get", "/admin/project/", "case", ALL_STAFF, False),
    ("get", "/admin/project/details/?id={id}", "project", ALL_STAFF, True),
    ("get", "/admin/project/create/", "case", MANAGE, False),
    ("post", "/admin/project/create/", "case", MANAGE, False),
    ("post", "/admin/project/add-case/?id={id}", "project", ACT, True),
    ("post", "/admin/project/delete/", "project", {}, True),
]
# The catalogue changes that must take effect, audited, when permitted.
CHANGES = ("/walk-in", "/open", "/queue-floor/", "/consultations/", "/faq/", "/floor-log/",
           "/training/", "/proposals/", "/suggestions/submit", "/window/?", "/relative/",
           "/special-groups/", "/staff-booking/?", "/staff-booking/cancel/",
           "/announcement/publish/", "/announcement/change/", "/announcement/end/",
           "/outbox/action/", "/station/new/", "/station/delete/", "/item/new/", "/item/edit/",
           "/meeting/record/", "/decision/done/", "/standard/set/", "/inspection-visit/record/",
           "/project/create/")
BODIES = {
    "/walk-in": {"item": "SB-001"},
    "/queue-floor/": {"code": "9", "name": "9号窗口", "queues": ["A"]},
    "/consultations/": {"answer": "带身份证原件", "note": "重复提问",
                        "question": "改写的问题", "decision": "approve"},
    "/faq/": {"question": "改写后的问题", "answer": "改写后的答复"},
    "/floor-log/": {"place": "BS-HALL", "item": "SB-001", "kind": "materials",
                    "outcome": "referred"},
    "/training/record": {"username": "agent1", "course": "服务礼仪", "trained_on": "2026-11-20",
                         "hours": "4", "provider": "区政务服务管理办"},
    "/training/publish": {"title": "服务规范用语", "body": "第二版"},
    "/proposals/": {"decision": "approve"},
    "/suggestions/submit": {"title": "增设引导标识", "body": "二楼入口处增设指引"},
    "/window/?": WALK_IN, "/window/person": {"id_number": WALK_IN["id_number"]},
    "/window/relative/": {"note": "身份证原件、签字的授权委托书"},
    "/special-groups/": {"place": "BS-HALL", "name": "钱七", "id_number": "370304196603013218",
                         "kind": "military", "document": "退役军人证"},
    "/act/visit-decline/": {"reason": "不在辖区"},
    "/act/suspend/": {"kind": "inspection", "reason": "送检", "expected_days": "3"},
    "/act/extend/": {"days": "3", "reason": "会商"},
    "/act/terminate/": {"reason": "材料不实"}, "/act/renew/": {"valid_until": "2027-01-31"},
    "/meeting/record/": {"place": "BS-HALL", "held_on": "2026-11-30", "topic": "延时服务协调",
                         "blockers": "周末人手不足", "decision_text_0": "增派周末值班",
                         "decision_owner_0": "manager", "decision_due_0": "2026-12-15"},
    "/decision/done/": {"note": "已落实"},
    "/project/create/": {"name": "园区扩建", "enterprise_name": "博山陶瓷有限公司",
                         "uscc": "91370304MA3C5K8Q0Q", "place": "BS-HALL", "steward": "agent1"},
    "/standard/set/": {"start": "2026-11-01", "end": "2026-11-30", "min_satisfaction": "4.5"},
    "/inspection-visit/record/": {"visited_on": "2026-11-30", "place": "BS-HALL",
                                  "inspectors": "inspector", "findings": "一次性告知书未留存"},
    "/bulletin/publish/": {"start": "2026-11-01", "end": "2026-11-30", "kind": "criticism",
                           "title": "通报", "units": "place:BS-CD"},
    "/act/assign/": {"agent": "agent1"}, "/act/reject/": {"reason": "不符合条件"},
    "/assign/": {"agent": "agent1"}, "/rota/add/": {"place": "1", "date": "2026-12-20",
                                                    "agent": "agent1"},
    "/staff/create/": {"username": "newone", "role": "inspector", "password": PASSWORD},
    "/calendar/": {"year": "2027", "title": "通知", "holidays": "元旦,2027-01-01,2027-01-03"},
    "/schedule/change/": {"delete": "1", "confirm": "1"},
    "/announcement/": {"title": "春节安排", "body": "春节期间暂停办理", "place": "BS-HALL",
                       "starts_on": "2026-12-01", "ends_on": "2026-12-31"}, "/rota/remove/": {"confirm": "1"},
}


def _body(url: str, extra: dict) -> dict:
    return next((body for key, body in {**BODIES, **extra}.items() if key in url), {})


def _secure_form_token(client, url: str) -> str | None:
    """The CSRF token of a Flask-Admin form page, for the roles that may open it."""
    if "/action/?id=" in url:  # an action is posted from its list
        form = url.split("action/")[0]
    elif "/new/" not in url and "/edit/" not in url and "/delete/" not in url:
        return None
    else:
        form = url.replace("/delete/?id=", "/?id=") if "/delete/" in url else url
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get(form).get_data(as_text=True))
    return found.group(1) if found else None


def _expected(role: str, owned: bool, where: str, table: dict) -> str:
    if role == "anonymous":
        return LOGIN
    outcome = table.get(role, DENIED)
    if outcome == OK and owned and where == "other" and role in ("agent", "place_manager",
                                                                  "guide"):
        return DENIED  # a row of another town: not found, whatever the URL says
    return outcome


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", list(USERS))
def test_admin_permission_matrix(client, session, world, role, where):
    if USERS[role]:
        assert client.post("/admin/login", data={"username": USERS[role],
                                                 "password": PASSWORD}).status_code == 302
    staff_id = session.scalar(select(Staff.id).where(Staff.username == "agent3"))
    bodies = catalogue_bodies(session)
    for method, template, kind, table, owned in URLS:
        url = template.format(id=world[where][kind], staff=staff_id)
        expected = _expected(role, owned, where, table)
        body = _body(url, bodies)
        if method == "post" and (token := _secure_form_token(client, url)):
            body = {**body, "csrf_token": token}
        if "/delete/?id=" in url:  # Flask-Admin reads a deletion's id from the form
            url, body = url.split("?")[0], {**body, "id": url.split("=")[1]}
        if "/action/?id=" in url:  # and an action's from the form, the rows chosen as `rowid`
            url, body = url.split("?")[0], {**body, "action": "retry", "rowid": url.split("=")[1]}
        before = snapshot(session)
        audits = _audit_count(session)
        response = getattr(client, method)(url, data=body)
        after = snapshot(session)
        got = response.status_code
        location = response.headers.get("Location", "")
        context = (role, where, method, url, got, location)
        if expected == LOGIN:
            assert got == 302 and "/admin/login" in location, context
        elif expected == DENIED:
            # 403 (role), 404 (out of scope), or Flask-Admin's redirect to the list for a
            # record it cannot find / a disabled edit; never a change.
            assert got in (302, 403, 404, 405), context
            assert "/admin/login" not in location, context
            if got == 302 and method == "get":
                assert "/details/" not in location, context
        else:
            assert got in (200, 302), context
            if method == "post" and any(change in url for change in CHANGES):
                assert after != before and _audit_count(session) > audits, context
        if expected != OK:
            assert after == before, context


def _audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditLog))


def test_a_permitted_change_is_audited_as_its_author(client, session, world):
    client.post("/admin/login", data={"username": "manager", "password": PASSWORD})
    client.post(f"/admin/case/act/reject/?id={world['own']['case']}", data={"reason": "不符合"})
    manager = session.scalar(select(Staff.id).where(Staff.username == "manager"))
    rows = session.scalars(select(AuditLog).where(AuditLog.entity == "service_case")).all()
    assert any(r.staff_id == manager and '"rejected"' in r.changes for r in rows)
