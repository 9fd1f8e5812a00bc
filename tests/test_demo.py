"""The demo's history (`seed-demo` on an empty database, backend/services/demo/history.py): what it
holds, that it was made by the rules (who did what, when, through which service), that the same
seed makes the same history, and that the admin shows real figures to every demo role, in a
real browser (docs/testing.md).

The history is made once per database for the module, a few weeks long (the command's sizes are
90 days; the invariants do not depend on the length), ending on a Monday at 09:00 after the
National Day holiday so that every 5+X kind has had its sessions.

Every page the walk visits is kept under test-artifacts/demo-walk/. `make screenshots` walks the
default demo with `DEMO_SCREENSHOTS=docs/screenshots`, which also saves the README's pictures of
the main pages (the first screen, 1366 px wide); nothing else writes into docs/."""
from __future__ import annotations

import gc
import os
import re
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from werkzeug.serving import make_server

from backend.clock import FixedClock
from backend.extensions import db
from backend.infrastructure.personal_data import clean_id_number, clean_phone, decrypt
from backend.infrastructure.wechat import demo_openid
from backend.models import (
    CASE_STATUSES, SLOT_KINDS, AuditLog, Booking, Case, CaseEvent, Citizen, DepartmentTask,
    CaseDocument, Escalation, Extension, MissingMaterialNotice, Notification, Place, Receipt,
    Review, Slot, Staff, Suspension,
)
from backend.services import cases as case_service
from backend.services import scope
from backend.services.booking import FloorFilter, list_floor_bookings
from backend.services.compliance import compliance_gaps
from backend.services.dashboard import dashboard
from backend.services.demo import HISTORY_SIZES, HistorySize, seed_history
from backend.services.reports import inspection_report
from tests.conftest import make_test_app
from tests.helpers import bearer
from tests.test_admin_browser import (  # noqa: F401  (the browser's fixtures)
    browser_context_args, browser_type_launch_args,
)

TZ = ZoneInfo("Asia/Shanghai")
END = datetime(2026, 10, 19, 9, 0, tzinfo=TZ)  # a Monday morning after National Day
SEED = 7
# `make screenshots` walks the demo as `make run` makes it (DEMO_SIZE=default, 90 days).
SIZE = (HISTORY_SIZES[os.environ["DEMO_SIZE"]] if os.environ.get("DEMO_SIZE") else
        HistorySize(days=30, citizens=30, bookings_per_day=6, online_cases_per_day=1.0,
                    booking_case_share=0.25))
ROLES = {"admin": "district_admin", "inspector": "inspector", "manager": "place_manager",
         "agent1": "agent", "agent2": "agent", "agent3": "agent", "agent4": "agent"}
ROOT = Path(__file__).resolve().parent.parent
WALK_SHOTS = ROOT / "test-artifacts" / "demo-walk"


def _empty(restart_identity: bool = True) -> None:
    tables = list(db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            restart = " RESTART IDENTITY" if restart_identity else ""
            conn.execute(sa.text(f"TRUNCATE {names}{restart} CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


def fingerprint(session) -> dict:
    """What the same seed must make again: every case with its number, status and agent, and
    the counts of bookings, messages, reviews and audit rows by kind."""
    def rows(statement):
        return sorted(tuple(row) for row in session.execute(statement))
    result = {
        "cases": rows(select(Case.number, Case.status, Case.help_type, Staff.username,
                             Case.due_date).outerjoin(Staff, Staff.id == Case.agent_id)),
        "bookings": rows(select(Booking.status, Slot.kind, Booking.cancelled_by, func.count())
                         .join(Slot, Slot.id == Booking.slot_id)
                         .group_by(Booking.status, Slot.kind, Booking.cancelled_by)),
        "messages": rows(select(Notification.event, Notification.status, func.count())
                         .group_by(Notification.event, Notification.status)),
        "reviews": rows(select(Case.number, Review.score, Review.followup_closed_at.is_(None))
                        .join(Case, Case.id == Review.case_id)),
        "audit": rows(select(AuditLog.entity, AuditLog.action, AuditLog.staff_id.is_(None),
                             func.count()).group_by(AuditLog.entity, AuditLog.action,
                                                    AuditLog.staff_id.is_(None))),
        "citizens": session.scalar(select(func.count(Citizen.id))),
    }
    session.rollback()
    return result


class World:
    def __init__(self, app, result, clock):
        self.app, self.result, self.clock = app, result, clock
        self.passwords = {username: password for username, _, password in result.demo.passwords}
        self.first = fingerprint(db.session)

    @property
    def session(self):
        return db.session

    def staff(self, username: str) -> Staff:
        return self.session.scalar(select(Staff).where(Staff.username == username))

    def count(self, *conditions, of=Case) -> int:
        return self.session.scalar(select(func.count()).select_from(of).where(*conditions))


@pytest.fixture(scope="module")
def world(database_url):
    clock = FixedClock(END)
    app = make_test_app(database_url, CLOCK=clock)
    with app.app_context():
        result = seed_history(db.session, END, seed=SEED, size=SIZE)
        yield World(app, result, clock)
        db.session.remove()
        _empty()
        db.engine.dispose()


# What the history holds ----------------------------------------------------------------------

def test_cases_of_both_help_types_in_every_status_some_amber_some_red(world):
    assert all(world.result.cases[status] for status in CASE_STATUSES), world.result.cases
    for help_type in ("assist", "proxy"):
        assert world.count(Case.help_type == help_type) >= 5
    assert world.result.amber and world.result.red
    warned = {row for row in world.session.scalars(
        select(Notification.subject).where(Notification.event == "deadline_warning"))}
    assert any(s.endswith(":red") for s in warned) and any(s.endswith(":amber") for s in warned)


def test_cases_went_through_every_step_of_their_lifecycle(world):
    count, session = world.count, world.session
    assert count(CaseEvent.action == "assign", of=CaseEvent)
    assert count(of=MissingMaterialNotice) >= 2
    assert count(MissingMaterialNotice.violates_one_time_rule.is_(True), of=MissingMaterialNotice)
    assert count(CaseEvent.action == "supplement", of=CaseEvent)
    assert count(Receipt.kind == "handover", of=Receipt) and count(Receipt.kind == "return",
                                                                    of=Receipt)
    for method in ("paper", "online"):
        assert count(Case.agreement_method == method)
    assert count(DepartmentTask.done.is_(True), of=DepartmentTask)
    assert count(CaseEvent.action == "progress", of=CaseEvent)
    assert count(Escalation.resolved_at.is_(None), of=Escalation)
    assert count(Escalation.resolved_at.is_not(None), of=Escalation)
    bad = Review.score <= 2
    assert count(bad, Review.followup_closed_at.is_not(None), of=Review)
    assert count(bad, Review.followup_closed_at.is_(None), of=Review)
    assert count(Review.score >= 4, of=Review)
    assert session.scalar(select(func.count(Case.id)).where(Case.booking_id.is_not(None)))


def test_bookings_of_every_5x_kind_checked_in_missed_and_cancelled_by_both(world):
    assert all(world.result.bookings_by_kind[kind] for kind in SLOT_KINDS), \
        world.result.bookings_by_kind
    assert set(world.result.bookings) == {"booked", "checked_in", "no_show", "cancelled"}
    assert world.count(Booking.cancelled_by == "citizen", of=Booking)
    hall = world.session.scalars(select(Booking.cancel_reason)
                                 .where(Booking.cancelled_by == "hall")).all()
    assert hall and all(hall)
    # The floor checked people in within the check-in window, as the service allows.
    for booking in world.session.scalars(select(Booking).where(Booking.status == "checked_in")):
        slot = booking.slot
        opened = datetime.combine(slot.date, slot.start_time, TZ).timestamp() - 3600
        closed = datetime.combine(slot.date, slot.end_time, TZ).timestamp() + 1800
        assert opened <= booking.checked_in_at.timestamp() < closed
        assert booking.checked_in_by is not None


def test_todays_floor_has_bookings_to_check_in_where_demo_staff_work(world):
    for code in ("BS-HALL", "BS-CD"):
        place = world.session.scalar(select(Place.id).where(Place.code == code))
        waiting = world.count(Booking.place_id == place, Booking.status == "booked",
                              Booking.slot.has(Slot.date == END.date()), of=Booking)
        assert waiting >= 1, code


def test_messages_were_sent_refused_failed_and_kept_without_quota_or_link(world):
    messages = world.result.messages
    for status in ("sent", "refused", "failed", "no_subscription", "unlinked"):
        assert messages.get(status), messages
    assert "sending" not in messages
    events = set(world.session.scalars(select(Notification.event).distinct()))
    assert {"booking_confirmed", "booking_reminder", "booking_cancelled", "case_accepted",
            "case_completed", "review_invite", "case_assigned", "deadline_warning"} <= events


# Made by the rules ---------------------------------------------------------------------------

def test_citizens_are_made_as_the_wechat_login_makes_them_with_their_data_encrypted(world):
    citizens = world.session.scalars(select(Citizen)).all()
    openids = {demo_openid(f"boshan-{n}") for n in range(SIZE.citizens)}
    assert citizens and {c.openid for c in citizens} <= openids
    named = [c for c in citizens if c.id_number_encrypted is not None]
    assert named
    for citizen in named:
        number = decrypt(citizen.id_number_encrypted)
        assert number.encode() not in citizen.id_number_encrypted
        assert clean_id_number(number, END.date()) == number
    for citizen in citizens:
        if citizen.phone_encrypted is not None:
            assert clean_phone(decrypt(citizen.phone_encrypted))


def test_each_change_is_audited_as_whoever_made_it_and_when(world):
    session = world.session
    start = datetime.combine(world.result.start, datetime.min.time(), TZ)
    first, last = session.execute(select(func.min(AuditLog.at), func.max(AuditLog.at))).one()
    assert start <= first and last <= END
    # A check-in is the staff member's; a no-show mark and the slots are the system's; a
    # citizen's own booking or cancellation is not a staff change.
    checked = {b.code: b.checked_in_by_id for b in session.scalars(
        select(Booking).where(Booking.status == "checked_in"))}
    audited = dict(session.execute(select(AuditLog.entity_key, AuditLog.staff_id).where(
        AuditLog.entity == "booking", AuditLog.changes.contains('"checked_in"'))).all())
    assert audited == checked
    assert session.scalar(select(func.count()).where(
        AuditLog.entity == "booking", AuditLog.changes.contains('"no_show"'),
        AuditLog.staff_id.is_not(None))) == 0
    assert world.count(AuditLog.entity == "booking", AuditLog.action == "create", of=AuditLog) == 0
    citizen_cancels = world.count(Booking.cancelled_by == "citizen", of=Booking)
    assert citizen_cancels and world.count(
        AuditLog.entity == "booking", AuditLog.changes.contains('"citizen"'), of=AuditLog) == 0
    assert world.count(AuditLog.entity == "slot", AuditLog.action == "create",
                       AuditLog.staff_id.is_not(None), of=AuditLog) == 0
    # The slots a runner withdrew by taking an agent off the rota are the runner's.
    withdrawn_by = set(session.scalars(select(Staff.role).join(
        AuditLog, AuditLog.staff_id == Staff.id).where(AuditLog.entity == "slot")))
    assert withdrawn_by and withdrawn_by <= scope.PLACE_RUNNERS


def test_every_case_history_runs_forward_and_ends_in_its_status(world):
    for case in world.session.scalars(select(Case)):
        moments = [event.at for event in case.events]
        assert moments == sorted(moments) and moments[-1] <= END, case.number
        assert case.events[0].action == "submit" and case.events[0].at == case.created_at
        assert case.events[-1].to_status == case.status, case.number
        assert (case.finished_at is not None) == (case.status in ("completed", "returned",
                                                                   "withdrawn", "rejected",
                                                                   "terminated"))


def test_the_legal_clock_and_the_commission_happened_through_the_services(world):
    """Issue 24's part of the history: a deemed acceptance, special procedures over and under
    way, an extension, a terminated commission whose originals went back, and the papers."""
    count = world.count
    assert count(Case.deemed_accepted.is_(True))
    assert count(CaseEvent.action == "deem_accept", CaseEvent.staff_id.is_(None), of=CaseEvent)
    assert count(Suspension.ended_on.is_not(None), of=Suspension)
    assert count(Suspension.ended_on.is_(None), of=Suspension)
    assert count(Case.suspended_since.is_not(None))
    assert count(of=Extension)
    terminated = world.session.scalars(select(Case).where(Case.status == "terminated")).all()
    assert terminated and any(r.kind == "return" for c in terminated for r in c.receipts)
    kinds = set(world.session.scalars(select(CaseDocument.kind).distinct()))
    assert {"notice", "acceptance", "handover", "commission", "suspension", "termination",
            "return", "completion"} <= kinds


def test_consultations_the_floor_training_and_suggestions_are_in_the_demo(world):
    from backend.models import (
        Consultation, FaqEntry, FloorQuestion, RegistrationProposal, ServiceLanguageAck,
        Suggestion,
    )
    statuses = dict(world.session.execute(select(Consultation.status, func.count())
                                          .group_by(Consultation.status)).all())
    assert statuses == {"answered": 5, "open": 2}
    # The one open since before yesterday warned the hall's manager this morning.
    warned = world.count(Consultation.overdue_warned_at.isnot(None), of=Consultation)
    assert warned == 1
    assert world.count(Notification.event == "consultation_overdue", of=Notification) == 1
    assert world.count(FaqEntry.withdrawn_at.is_(None), of=FaqEntry) == 2
    assert world.count(of=FloorQuestion) == 18
    assert world.count(Suggestion.status == "answered", of=Suggestion) == 1
    assert world.count(RegistrationProposal.status == "pending", of=RegistrationProposal) == 1
    assert world.count(of=ServiceLanguageAck) == 4
    gaps = compliance_gaps(world.session, world.staff("admin"), END.date())
    # agent4, and the village agent cun1, registered after the service language was published.
    assert [g.username for g in gaps.not_acknowledged] == ["agent4", "cun1"]
    assert gaps.untrained == []
    world.session.rollback()


def test_the_same_seed_makes_the_same_history(world):
    db.session.remove()
    _empty()
    world.clock.at = END
    # Made again with no cyclic garbage collected: what the session still holds loaded must not
    # change what is written (it once split a case's change into two audit rows, or not).
    gc.disable()
    try:
        again = seed_history(db.session, END, seed=SEED, size=SIZE)
    finally:
        gc.enable()
    assert fingerprint(db.session) == world.first
    # What follows signs in with the accounts made now.
    world.result = again
    world.passwords = {username: password for username, _, password in again.demo.passwords}


# Real figures for every demo role --------------------------------------------------------------

@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_role_sees_real_figures_in_the_services(world, username):
    staff = world.staff(username)
    assert staff.role == ROLES[username]
    session, today = world.session, END.date()
    board = dashboard(session, staff, today, calendar_horizon_days=90)
    assert sum(s.booked for s in board.sessions) > 0
    assert sum(board.cases_by_status.values()) > 0
    found, total = case_service.list_staff_cases(session, staff, case_service.CaseFilter(), today)
    assert total > 0 and found
    _, bookings = list_floor_bookings(session, staff, FloorFilter(day=today))
    assert bookings > 0
    if staff.role in scope.OVERSEERS:
        report = inspection_report(session, staff, today.replace(day=1), today, today=today,
                                   min_cases=3, timezone="Asia/Shanghai")
        assert report.total.bookings > 0 and report.total.cases > 0
        assert report.total.completed > 0


def test_a_demo_citizen_signs_in_and_reads_their_bookings_and_cases(world):
    client = world.app.test_client()
    citizen = world.session.scalar(
        select(Citizen).join(Case, Case.citizen_id == Citizen.id)
        .where(Citizen.id.in_(select(Booking.citizen_id))).order_by(Citizen.id).limit(1))
    index = next(n for n in range(SIZE.citizens) if demo_openid(f"boshan-{n}") == citizen.openid)
    answer = client.post("/api/v1/auth/wechat-login", json={"code": f"boshan-{index}"})
    assert answer.status_code == 200
    headers = bearer(answer.get_json()["token"])
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["name"] == citizen.name
    if citizen.id_number_encrypted is not None:  # shown masked
        assert me["id_number"].count("*") == len(me["id_number"]) - 7
    mine = client.get("/api/v1/cases", headers=headers).get_json()
    assert mine["total"] > 0
    details = [client.get(f"/api/v1/cases/{case['number']}", headers=headers).get_json()
               for case in mine["items"]]
    assert all(detail["timeline"][0]["action"] == "submit" for detail in details)
    # Their cases have moved on (a case of the showcase may have just been submitted).
    assert any(len(detail["timeline"]) > 1 for detail in details)
    assert client.get("/api/v1/bookings", headers=headers).get_json()["total"] > 0


# The walk: every demo role in the admin, in a real browser ------------------------------------

@pytest.fixture(scope="module")
def portal(world, database_url):
    served = make_test_app(database_url, CLOCK=FixedClock(END), WTF_CSRF_ENABLED=True,
                           SECRET_KEY="demo-walk-secret")
    server = make_server("127.0.0.1", 0, served, threaded=True)
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()
    with served.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def shots():
    docs = os.environ.get("DEMO_SCREENSHOTS")
    # Each page's picture replaces the last run's (under pytest-xdist two workers may walk at
    # once: nothing is removed).
    WALK_SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\n演示巡查截图 (demo walk screenshots): {WALK_SHOTS}")
    return WALK_SHOTS, (ROOT / docs) if docs else None


# Which page of the walk becomes which README picture, and as whom.
DOC_SHOTS = {("manager", "dashboard"): "dashboard.png", ("manager", "case"): "case.png",
             ("manager", "floor"): "floor.png", ("inspector", "report"): "report.png"}
NUMBER = re.compile(r"\d+")


def _eventful_case(world) -> int:
    """The hall's proxy case with the most steps in its history."""
    steps = func.count(CaseEvent.id)
    return world.session.scalar(
        select(Case.id).join(CaseEvent, CaseEvent.case_id == Case.id)
        .join(Place, Place.id == Case.place_id)
        .where(Place.code == "BS-HALL", Case.help_type == "proxy")
        .group_by(Case.id).order_by(steps.desc(), Case.id).limit(1))


def _numbers(texts) -> list[int]:
    return [int(n) for text in texts for n in NUMBER.findall(text.replace(",", ""))]


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_demo_role_walks_the_admin_and_reads_real_figures(world, portal, shots, browser,
                                                                username):
    folder, docs = shots
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(folder / f"{username}-{name}.png"), full_page=True)
        picture = DOC_SHOTS.get((username, name))
        if docs is not None and picture:
            docs.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(docs / picture))  # the first screen, 1366 px wide

    page.goto(portal + "/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(world.passwords[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/admin/.*"))

    page.goto(portal + "/admin/")
    shot("dashboard")
    booked = _numbers(page.locator(".dashboard-sessions td:nth-child(4)").all_inner_texts())
    assert sum(booked[0::2]) > 0, booked  # 已约 of 已约 / 可约
    assert "cases" in page.eval_on_selector_all(
        "img.chart", "imgs => imgs.filter(i => i.naturalWidth > 0).map(i => i.dataset.chart)")

    agent = ROLES[username] == "agent"
    page.goto(portal + ("/admin/my-cases/" if agent else "/admin/case/"))
    shot("cases")
    total = _numbers([page.locator(".list-total").inner_text()])
    assert total and total[0] > 0
    page.locator("a[title='查看记录']").first.click()
    assert page.locator(".case-status").inner_text().strip()
    if not agent:  # the case with the longest history the list holds, for the picture
        page.goto(portal + f"/admin/case/details/?id={_eventful_case(world)}")
    shot("case")

    page.goto(portal + "/admin/bookings/")
    shot("floor")
    assert page.locator(".booking-list tr[data-code]").count() > 0
    booked = _numbers(page.locator(".booking-sessions td:nth-child(4)").all_inner_texts())
    assert sum(booked[0::2]) > 0, booked

    answer = page.goto(portal + "/admin/report/")
    shot("report")
    if agent:  # a report ranks colleagues: agents read their own load on the dashboard
        assert answer.status == 403
    else:
        assert answer.status == 200
        assert any(_numbers(page.locator("table td").all_inner_texts()))
    context.close()


def test_the_demo_has_a_forwarded_village_case_a_meeting_a_bulletin_and_a_key_project(world):
    from backend.models import Bulletin, CoordinationMeeting, KeyProject, WorkingStandard
    session, governance = world.session, world.result.governance
    case = session.scalar(select(Case).where(Case.number == governance.forwarded))
    assert (case.place.code, case.contact_agent.username, case.agent.username) == (
        "BS-CD", "cun1", "agent4")
    assert "forward" in [e.action for e in case.events]
    [registration] = world.staff("cun1").registrations
    assert (registration.place.code, registration.station_id) == ("BS-CD-V01", None)
    meeting = session.get(CoordinationMeeting, governance.meeting)
    assert meeting.decisions and any(d.due_on < END.date() for d in meeting.decisions)
    board = dashboard(session, world.staff("admin"), END.date(), calendar_horizon_days=90)
    assert [d.text for d in board.overdue_decisions] == ["税务窗口周末增派一名帮办员"]
    assert session.scalar(select(func.count()).select_from(WorkingStandard)) == 1
    if governance.bulletin is not None:
        bulletin = session.scalar(select(Bulletin).where(Bulletin.number == governance.bulletin))
        assert bulletin.entries
    project = session.scalar(select(KeyProject).where(KeyProject.code == governance.project))
    assert (project.steward.username, len(session.scalars(select(Case).where(
        Case.project_id == project.id)).all())) == ("agent2", 2)
