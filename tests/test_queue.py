"""The hall's queue (取号叫号): tickets from the three channels, the calling order, a window's
actions, the waiting time, ticket_soon, the day's end, and the race between windows."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.errors import InvalidInput, InvalidState
from backend.extensions import db
from backend.infrastructure.audit import SYSTEM
from backend.models import Notification, Queue, Slot, Staff, Ticket, TicketSequence, Window
from backend.services.booking import BookingRules, check_in
from backend.services.catalog import export_catalog, import_catalog
from backend.services.queue import calling, tickets, waiting
from backend.services.slots import generate_slots
from tests.conftest import TZ
from tests.factories import STAFF_PASSWORD
from tests.helpers import assert_error, bearer, run_together
from tests.test_window import id_number

ELDER = id_number("19480312", "421")
YOUNG = id_number("19900615", "233")
AGE = 60


@pytest.fixture(autouse=True)
def no_pace_limit(app):
    app.config["BOOKING_RATE_LIMIT"] = "1000 per minute"


QUEUES = [{"place": "BS-HALL", "code": "A", "name": "社保医保", "items": ["SB-001"],
           "green_channel": True, "service_minutes": 6},
          {"place": "BS-HALL", "code": "B", "name": "综合受理", "items": ["SB-001"],
           "service_minutes": 10}]


@pytest.fixture
def hall(session, example_catalog, clock, make_staff):
    """The example hall with queues A (green channel) and B, and windows 1 and 2 serving A
    (1 also B), both open; agent9 works there."""
    example_catalog["queues"] = QUEUES
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()
    agent = make_staff("agent9")
    a, b = (session.scalar(select(Queue).where(Queue.code == code)) for code in "AB")
    place_id = a.place_id
    session.add_all([Window(place_id=place_id, code="1", name="1号窗口", is_open=True,
                            queues=[a, b]),
                     Window(place_id=place_id, code="2", name="2号窗口", is_open=True,
                            queues=[a])])
    session.commit()
    return agent


def window(session, code: str) -> Window:
    return session.scalar(select(Window).where(Window.code == code))


def citizen(client, code: str, number: str | None = None, name: str = "张三") -> dict:
    headers = bearer(client.post("/api/v1/auth/wechat-login",
                                 json={"code": code}).get_json()["token"])
    if number:
        assert client.patch("/api/v1/me", json={"name": name, "id_number": number},
                            headers=headers).status_code == 200
    return headers


def take(client, headers, **more):
    return client.post("/api/v1/tickets", headers=headers,
                       json={"place": "BS-HALL", "item": "SB-001", **more})


def walk_in(session, agent, clock, **kw) -> Ticket:
    place = session.get(Window, window(session, "1").id).place
    ticket = tickets.walk_in(session, session.merge(agent), place, "SB-001", kw.get("name"),
                             kw.get("id_number"), kw.get("special_group"), clock.now(), AGE)
    session.commit()
    return ticket


def call(session, agent, code: str, clock) -> Ticket | None:
    ticket = calling.call_next(session, session.merge(agent), window(session, code).id,
                               clock.now())
    session.commit()
    return ticket


# Tickets ------------------------------------------------------------------------------------------

def test_the_catalogue_file_carries_queues_and_exports_them_back(session, hall, example_catalog,
                                                                 clock):
    exported = export_catalog(session, clock.now().date())
    assert exported["queues"] == [{**q, "green_channel": q.get("green_channel", False)}
                                  for q in QUEUES]
    assert not import_catalog(session, SYSTEM, exported).changed
    example_catalog["queues"] = [{"place": "BS-HALL", "code": "a1", "name": "x",
                                  "items": ["NOPE"]}]
    with pytest.raises(InvalidInput) as refused:
        import_catalog(session, SYSTEM, example_catalog)
    paths = {p["path"] for p in refused.value.details["problems"]}
    assert paths == {"$.queues[0].code"}
    example_catalog["queues"] = [{"place": "BS-HALL", "code": "C", "name": "x",
                                  "items": ["NOPE"]}]
    with pytest.raises(InvalidInput) as refused:
        import_catalog(session, SYSTEM, example_catalog)
    assert {p["path"] for p in refused.value.details["problems"]} == {"$.queues[0].items[0]"}


def test_an_online_ticket_numbers_waits_and_answers_the_fixed_names(client, session, hall):
    me = citizen(client, "c1", YOUNG)
    answer = take(client, me)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    body = answer.get_json()
    assert {"number", "place", "queue", "item", "status", "ahead", "estimated_wait_minutes",
            "window", "called_at", "created_at"} <= set(body)
    assert body["number"] == "A001" and body["status"] == "waiting"
    assert body["place"]["code"] == "BS-HALL" and body["queue"]["code"] == "A"
    assert body["ahead"] == 0 and body["estimated_wait_minutes"] == 0
    # One waiting ticket per person and place, by ID number: a second account holding the
    # same number is refused too.
    assert_error(take(client, me), 409, "duplicate_ticket")
    assert_error(take(client, citizen(client, "c1b", YOUNG)), 409, "duplicate_ticket")
    other = take(client, citizen(client, "c2", id_number("19910101", "111"))).get_json()
    assert other["number"] == "A002" and other["ahead"] == 1
    # The queue's standard time (6 min) ÷ 2 open windows, times the one ahead.
    assert other["estimated_wait_minutes"] == 3
    mine = client.get("/api/v1/tickets", headers=me).get_json()
    assert mine["total"] == 1 and mine["items"][0]["number"] == "A001"
    state = client.get("/api/v1/places/BS-HALL/queue").get_json()
    assert state["open"] is True and state["windows_open"] == 2
    assert state["queues"][0] == {"code": "A", "name": "社保医保", "waiting": 2,
                                  "estimated_wait_minutes": 6}
    assert state["queues"][1]["waiting"] == 0
    cancelled = client.post("/api/v1/tickets/A001/cancel", headers=me)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert_error(client.post("/api/v1/tickets/A001/cancel", headers=me), 409, "invalid_state")
    assert_error(client.post("/api/v1/tickets/A002/cancel", headers=me), 404, "not_found")
    # Given up, the person may take a new one.
    assert take(client, me).get_json()["number"] == "A003"


def test_a_ticket_needs_an_open_place_a_known_item_and_place(client, session, hall):
    me = citizen(client, "c1", YOUNG)
    assert_error(client.post("/api/v1/tickets", headers=me,
                             json={"place": "NOPE", "item": "SB-001"}), 404, "not_found")
    assert_error(client.post("/api/v1/tickets", headers=me,
                             json={"place": "BS-HALL", "item": "NOPE"}), 422, "invalid_input")
    assert_error(client.post("/api/v1/tickets", headers=me, json={"place": "BS-HALL"}),
                 422, "invalid_input")
    for w in session.scalars(select(Window)):
        w.is_open = False
    session.commit()
    assert_error(take(client, me), 409, "invalid_state")
    state = client.get("/api/v1/places/BS-HALL/queue").get_json()
    assert state["open"] is False and state["queues"][0]["estimated_wait_minutes"] is None
    assert_error(client.get("/api/v1/places/NOPE/queue"), 404, "not_found")


def test_numbers_start_afresh_each_day(client, session, hall, clock):
    assert take(client, citizen(client, "c1", YOUNG)).get_json()["number"] == "A001"
    clock.advance(days=1)
    assert take(client, citizen(client, "c2", ELDER)).get_json()["number"] == "A001"
    assert session.scalar(select(func.count()).select_from(TicketSequence)) == 2


# Calling ------------------------------------------------------------------------------------------

def test_the_order_green_channel_then_begun_bookings_then_first_come(client, session, hall,
                                                                     clock, make_booking):
    first = walk_in(session, hall, clock, name="甲")                      # A001
    elder = walk_in(session, hall, clock, id_number=ELDER)               # A002, green by age
    marked = walk_in(session, hall, clock, special_group="残疾人")         # A003, green as seen
    slot = session.scalar(select(Slot).where(Slot.date == date(2026, 11, 30),
                                             Slot.start_time == time(9, 30)))
    clock.at = datetime(2026, 11, 30, 8, 55, tzinfo=TZ)
    booking = make_booking(slot)
    clock.at = datetime(2026, 11, 30, 9, 5, tzinfo=TZ)
    check_in(session, session.merge(hall), booking.code, clock.now(), BookingRules())
    session.commit()
    booked = session.get(Ticket, booking.ticket.id)                      # A004, slot at 09:30
    assert (elder.green, marked.green, first.green, booked.channel) == (True, True, False,
                                                                        "booking")
    assert [call(session, hall, "1", clock).number] == ["A002"]
    calling.serve(session, session.merge(hall), elder.id, clock.now())
    clock.advance(minutes=4)
    calling.finish(session, session.merge(hall), elder.id, clock.now())
    session.commit()
    # The booking's slot has not begun: the walk-in who came first goes before it.
    assert call(session, hall, "2", clock).number == "A003"
    assert call(session, hall, "1", clock).number == "A001"
    # My booking's ticket shows on GET /bookings.
    assert booking.code and booked.number == "A004"


def test_a_booking_whose_slot_began_goes_before_walk_ins(session, hall, clock, make_booking):
    slot = session.scalar(select(Slot).where(Slot.date == date(2026, 11, 30),
                                             Slot.start_time == time(9, 30)))
    clock.at = datetime(2026, 11, 30, 8, 55, tzinfo=TZ)
    booking = make_booking(slot)
    clock.at = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    walk_in(session, hall, clock)                                         # A001
    check_in(session, session.merge(hall), booking.code, clock.now(), BookingRules())
    session.commit()                                                     # A002
    clock.at = datetime(2026, 11, 30, 9, 31, tzinfo=TZ)
    assert call(session, hall, "1", clock).number == "A002"


def test_recall_three_times_then_missed_put_back_once_at_the_end(session, hall, clock):
    agent = session.merge(hall)
    first = walk_in(session, hall, clock)
    walk_in(session, hall, clock)
    assert call(session, hall, "1", clock).id == first.id
    with pytest.raises(InvalidState):
        calling.miss(session, agent, first.id, clock.now())
    session.rollback()
    with pytest.raises(InvalidState):   # the window holds a ticket: no next call yet
        calling.call_next(session, agent, window(session, "1").id, clock.now())
    session.rollback()
    for _ in range(2):
        calling.recall(session, agent, first.id, clock.now())
    session.commit()
    assert session.get(Ticket, first.id).call_count == 3
    with pytest.raises(InvalidState):
        calling.recall(session, agent, first.id, clock.now())
    session.rollback()
    calling.miss(session, agent, first.id, clock.now())
    session.commit()
    assert session.get(Ticket, first.id).status == "missed"
    clock.advance(minutes=1)
    walk_in(session, hall, clock)                                         # A003
    clock.advance(minutes=1)
    calling.put_back(session, agent, first.id, clock.now())
    session.commit()
    # Back at the end: after A002 and A003.
    assert [call(session, hall, c, clock).number for c in "12"] == ["A002", "A003"]
    for t in session.scalars(select(Ticket).where(Ticket.status == "called")):
        calling.serve(session, agent, t.id, clock.now())
        calling.finish(session, agent, t.id, clock.now())
    session.commit()
    again = call(session, hall, "1", clock)
    assert again.id == first.id
    for _ in range(2):
        calling.recall(session, agent, first.id, clock.now())
    calling.miss(session, agent, first.id, clock.now())
    with pytest.raises(InvalidState):
        calling.put_back(session, agent, first.id, clock.now())


def test_transfer_keeps_the_number(session, hall, clock):
    agent = session.merge(hall)
    ticket = walk_in(session, hall, clock)
    call(session, hall, "2", clock)
    calling.transfer(session, agent, ticket.id, "B", clock.now())
    session.commit()
    moved = session.get(Ticket, ticket.id)
    assert (moved.number, moved.queue.code, moved.status) == ("A001", "B", "waiting")
    # Window 2 does not serve B; window 1 does.
    assert call(session, hall, "2", clock) is None
    assert call(session, hall, "1", clock).number == "A001"
    with pytest.raises(InvalidInput):
        calling.transfer(session, agent, ticket.id, "Z", clock.now())


def test_a_closed_window_calls_nobody_and_staff_elsewhere_see_no_window(session, hall, clock,
                                                                        make_staff):
    walk_in(session, hall, clock)
    w = window(session, "1")
    calling.set_open(session, session.merge(hall), w, False)
    session.commit()
    with pytest.raises(InvalidState):
        calling.call_next(session, session.merge(hall), w.id, clock.now())
    session.rollback()
    stranger = make_staff("inspector9", role="inspector", places=(), department=None)
    with pytest.raises(Exception):
        calling.call_next(session, session.merge(stranger), w.id, clock.now())


# The waiting time ----------------------------------------------------------------------------------

def test_the_estimate_learns_from_todays_served_tickets(client, session, hall, clock):
    agent = session.merge(hall)
    served = [walk_in(session, hall, clock) for _ in range(2)]
    for code, ticket, minutes in (("1", served[0], 2), ("2", served[1], 4)):
        assert call(session, hall, code, clock).id == ticket.id
        calling.serve(session, agent, ticket.id, clock.now())
        clock.advance(minutes=minutes)
        calling.finish(session, agent, ticket.id, clock.now())
        session.commit()
    for _ in range(4):
        walk_in(session, hall, clock)
    # Mean of 2 and 4 minutes = 3; 4 waiting, 2 windows: 6 minutes.
    state = client.get("/api/v1/places/BS-HALL/queue").get_json()
    assert state["queues"][0]["waiting"] == 4
    assert state["queues"][0]["estimated_wait_minutes"] == 6
    assert waiting.estimate_minutes(4, 3.0, 0) is None


def test_ticket_soon_goes_once_when_three_are_ahead(client, session, hall, clock):
    for _ in range(4):
        walk_in(session, hall, clock)
    me = citizen(client, "c1", YOUNG)
    assert take(client, me).get_json()["ahead"] == 4                      # A005
    call(session, hall, "1", clock)
    soon = session.scalars(select(Notification).where(Notification.event == "ticket_soon")).all()
    assert len(soon) == 1 and '"ticket_number": "A005"' in soon[0].payload
    calling.serve(session, session.merge(hall), session.scalar(
        select(Ticket.id).where(Ticket.status == "called")), clock.now())
    session.commit()
    call(session, hall, "2", clock)
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.event == "ticket_soon")) == 1


def test_the_day_end_closes_unserved_tickets_once(session, hall, clock, cli):
    agent = session.merge(hall)
    waiting_one, called_one, serving_one = (walk_in(session, hall, clock) for _ in range(3))
    call(session, hall, "1", clock)
    call(session, hall, "2", clock)
    calling.serve(session, agent, called_one.id, clock.now())
    session.commit()
    clock.at = datetime(2026, 12, 1, 0, 5, tzinfo=TZ)
    result = cli("jobs", "run", "close-tickets")
    assert result.exit_code == 0 and "3" in result.output, result.output
    session.expire_all()
    statuses = Counter(t.status for t in session.scalars(select(Ticket)))
    assert statuses == {"cancelled": 2, "done": 1}
    from backend.models import AuditLog
    closings = session.scalars(select(AuditLog).where(AuditLog.entity == "ticket",
                                                      AuditLog.changes.contains("closed_at_day_end")))
    assert len(list(closings)) == 3
    assert "0" in cli("jobs", "run", "close-tickets").output


# Under concurrency -----------------------------------------------------------------------------------

def test_windows_calling_at_once_never_get_one_ticket(app, session, hall, clock):
    """Eight windows call at the same instant, over and over, until nobody waits: every ticket
    is called once, none twice, none left behind."""
    agent_id = hall.id
    a = session.scalar(select(Queue).where(Queue.code == "A"))
    place_id = a.place_id
    more = [Window(place_id=place_id, code=str(n), name=f"{n}号窗口", is_open=True, queues=[a])
            for n in range(3, 9)]
    session.add_all(more)
    session.commit()
    for _ in range(40):
        walk_in(session, hall, clock)
    window_ids = [w.id for w in session.scalars(select(Window).order_by(Window.id))]
    now = clock.now()
    called: list[str] = []

    def one_window(window_id: int):
        def run():
            got = []
            with app.app_context():
                while True:
                    with Session(db.engine) as s:
                        staff = s.get(Staff, agent_id)
                        try:
                            ticket = calling.call_next(s, staff, window_id, now)
                            if ticket is None:
                                s.rollback()
                                return got
                            got.append(ticket.number)
                            calling.serve(s, staff, ticket.id, now)
                            calling.finish(s, staff, ticket.id, now)
                            s.commit()
                        except Exception:
                            s.rollback()
                            raise
        return run

    for got in run_together([one_window(w) for w in window_ids]):
        called += got
    assert len(called) == 40
    assert len(set(called)) == 40
    assert session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.status == "done")) == 40


def test_tickets_taken_at_once_get_distinct_numbers(app, client, session, hall):
    people = [citizen(client, f"p{i}", id_number("19900101", "%03d" % (100 + i)))
              for i in range(10)]
    answers = run_together([lambda h=h: take(client, h) for h in people])
    assert all(a.status_code == 201 for a in answers), [a.get_data(as_text=True) for a in answers]
    numbers = sorted(a.get_json()["number"] for a in answers)
    assert numbers == [f"A{n:03d}" for n in range(1, 11)]


def test_one_person_taking_twice_at_once_gets_one_ticket(app, client, session, hall):
    me = citizen(client, "c1", YOUNG)
    answers = run_together([lambda: take(client, me) for _ in range(4)])
    assert Counter(a.status_code for a in answers) == {201: 1, 409: 3}


# The admin: the window's page, the floor, the call screen ----------------------------------------

def admin(client, username: str = "agent9"):
    answer = client.post("/admin/login", data={"username": username,
                                               "password": STAFF_PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


def test_a_window_works_its_day_from_its_page(client, session, hall, clock):
    desk = window(session, "2")
    admin(client)
    page = client.get(f"/admin/calling/?window={desk.id}").get_data(as_text=True)
    assert "叫下一位 [N]" in page and 'data-key="n"' in page
    client.post(f"/admin/calling/{desk.id}/close")
    assert not session.get(Window, desk.id).is_open or session.refresh(desk) is None
    session.expire_all()
    assert session.get(Window, desk.id).is_open is False
    client.post(f"/admin/calling/{desk.id}/open")
    answer = client.post(f"/admin/calling/{desk.id}/walk-in",
                         data={"item": "SB-001", "id_number": ELDER}, follow_redirects=True)
    assert "已出号 A001" in answer.get_data(as_text=True) and "绿色通道" in answer.get_data(
        as_text=True)
    answer = client.post(f"/admin/calling/{desk.id}/call", follow_redirects=True)
    assert "请 A001 号到2号窗口办理" in answer.get_data(as_text=True)
    ticket = session.scalar(select(Ticket))
    for action, status in (("recall", "called"), ("serve", "serving"), ("finish", "done")):
        client.post(f"/admin/calling/{desk.id}/{action}", data={"ticket": ticket.id})
        session.expire_all()
        assert session.get(Ticket, ticket.id).status == status
    # A refusal is shown in Chinese and changes nothing.
    answer = client.post(f"/admin/calling/{desk.id}/serve", data={"ticket": ticket.id},
                         follow_redirects=True)
    assert "该号已办结，不能开始办理" in answer.get_data(as_text=True)
    # Who opened the window sits at it; the calls were audited.
    session.expire_all()
    assert session.get(Window, desk.id).staff_id == hall.id


def test_a_window_of_another_place_is_not_found(client, session, hall, make_staff):
    import_catalog(session, SYSTEM, {
        "places": [{"code": "BS-CD", "name": "城东街道便民服务中心", "level": "town"}],
        "stations": [{"place": "BS-CD", "department": "RSJ"}]})
    session.commit()
    stranger = make_staff("agent-cd", places=("BS-CD",))
    desk = window(session, "1")
    admin(client, "agent-cd")
    answer = client.post(f"/admin/calling/{desk.id}/call", follow_redirects=True)
    assert "未找到该窗口" in answer.get_data(as_text=True)
    assert session.get(Window, desk.id).staff_id is None and stranger.id


def test_managers_keep_the_windows_and_see_the_floor(client, session, hall, make_staff, clock):
    make_staff("boss", role="place_manager", department=None)
    walk_in(session, hall, clock)
    call(session, hall, "1", clock)
    admin(client, "boss")
    page = client.get("/admin/queue-floor/").get_data(as_text=True)
    assert "A001（已叫号）" in page and 'data-refresh-seconds="5"' in page
    answer = client.post("/admin/queue-floor/?place=BS-HALL",
                         data={"code": "3", "name": "3号窗口", "queues": ["B"]},
                         follow_redirects=True)
    assert "窗口已保存" in answer.get_data(as_text=True)
    added = window(session, "3")
    assert [q.code for q in added.queues] == ["B"] and added.is_open is False
    answer = client.post("/admin/queue-floor/?place=BS-HALL",
                         data={"code": "3", "name": "3号窗口", "queues": ["Z"]},
                         follow_redirects=True)
    assert "本场所没有队列 Z" in answer.get_data(as_text=True)


def test_an_agent_calls_at_a_window_but_keeps_no_windows(client, session, hall):
    admin(client, "agent9")
    assert client.get("/admin/queue-floor/").status_code == 403
    assert client.post("/admin/queue-floor/?place=BS-HALL", data={
        "code": "9", "name": "9号窗口", "queues": ["A"]}).status_code == 403
    assert session.scalar(select(func.count()).select_from(Window)) == 2


def test_the_call_screen_is_public_shows_calls_and_loads_only_its_own(client, session, hall,
                                                                      clock):
    walk_in(session, hall, clock, name="不上屏的姓名", id_number=YOUNG)
    call(session, hall, "2", clock)
    page = client.get("/screen/BS-HALL")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "<script src=\"/" in html and "<style" not in html and " style=" not in html
    assert "http://" not in html and "https://" not in html
    assert "A001" in html and "2号窗口" in html and "不上屏的姓名" not in html
    state = client.get("/screen/BS-HALL/state.json").get_json()
    assert state["calls"][0]["number"] == "A001" and state["calls"][0]["window"] == "2号窗口"
    assert [q["code"] for q in state["queues"]] == ["A", "B"]
    assert client.get("/screen/NOPE").status_code == 404


# Reports ------------------------------------------------------------------------------------------

def test_the_inspection_report_counts_channels_waits_and_service_times(client, session, hall,
                                                                      clock, make_staff,
                                                                      make_booking):
    from io import BytesIO

    from openpyxl import load_workbook

    from backend.services.report_export import report_xlsx
    from backend.services.reports import inspection_report

    boss = make_staff("boss", role="place_manager", department=None)
    agent = session.merge(hall)
    slot = session.scalar(select(Slot).where(Slot.date == date(2026, 11, 30),
                                             Slot.start_time == time(9, 30)))
    clock.at = datetime(2026, 11, 30, 8, 55, tzinfo=TZ)
    booking = make_booking(slot)
    clock.at = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    check_in(session, agent, booking.code, clock.now(), BookingRules())   # A001, booking
    session.commit()
    take(client, citizen(client, "c1", YOUNG))                           # A002, online
    walk_in(session, hall, clock)                                        # A003, on site
    for code, wait, service in (("1", 2, 6), ("2", 4, 10)):
        clock.advance(minutes=wait)
        called = call(session, hall, code, clock)
        calling.serve(session, agent, called.id, clock.now())
        clock.advance(minutes=service)
        calling.finish(session, agent, called.id, clock.now())
        session.commit()
    report = inspection_report(session, session.merge(boss), date(2026, 11, 1),
                               date(2026, 11, 30), today=date(2026, 11, 30), min_cases=1,
                               timezone="Asia/Shanghai")
    (place,) = report.queue["place"]
    assert (place.tickets, place.booking, place.online, place.on_site, place.done) == (
        3, 1, 1, 1, 2)
    # A001 waited 2 minutes, A002 12 (2 + 6 + 4); service 6 and 10 minutes.
    assert (place.average_wait_minutes, place.average_service_minutes) == (7.0, 8.0)
    assert [(q.code, q.tickets) for q in report.queue["queue"]] == [("BS-HALL/A", 3)]
    assert [(w.name, w.done) for w in report.queue["window"]] == [
        ("博山区政务服务中心 1号窗口", 1), ("博山区政务服务中心 2号窗口", 1)]
    assert [(d.code, d.tickets) for d in report.queue["day"]] == [("2026-11-30", 3)]
    workbook = load_workbook(BytesIO(report_xlsx(report)[0]))
    rows = [[c for c in row if c is not None]
            for row in workbook["取号叫号"].iter_rows(values_only=True)]
    assert ["博山区政务服务中心", 3, 1, 1, 1, 2, 0, 0, 7, 8] in rows
    # The page shows the same.
    admin(client, "boss")
    page = client.get("/admin/report/?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    assert "取号叫号" in page and "按窗口" in page and "博山区政务服务中心 2号窗口" in page


def test_a_checked_in_booking_shows_its_ticket_and_a_relative_gets_one_for_them(
        client, session, hall, clock):
    from tests.test_relatives import FATHER
    slot = session.scalar(select(Slot).where(Slot.date == date(2026, 11, 30),
                                             Slot.start_time == time(9, 30)))
    clock.at = datetime(2026, 11, 30, 8, 55, tzinfo=TZ)
    me = citizen(client, "c1", YOUNG)
    booked = client.post("/api/v1/bookings", headers=me, json={"slot": slot.id, "item": "SB-001"})
    assert booked.status_code == 201, booked.get_data(as_text=True)
    code = booked.get_json()["code"]
    assert client.get("/api/v1/bookings", headers=me).get_json()["items"][0]["ticket"] is None
    clock.at = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    desk = bearer(client.post("/api/v1/staff/login", json={
        "username": "agent9", "password": STAFF_PASSWORD}).get_json()["token"])
    checked = client.post(f"/api/v1/staff/bookings/{code}/check-in", headers=desk).get_json()
    assert checked["ticket"] == {"number": "A001", "status": "waiting"}
    assert client.get("/api/v1/bookings", headers=me).get_json()["items"][0]["ticket"] == {
        "number": "A001", "status": "waiting"}
    mine = client.get("/api/v1/tickets", headers=me).get_json()["items"]
    assert [(t["number"], t["channel"]) for t in mine] == [("A001", "booking")]
    # The booking's ticket is my waiting one here, whatever channel: no second one online.
    assert_error(take(client, me), 409, "duplicate_ticket")
    # For a confirmed relative: the relative's ticket, counted by the relative's number.
    relative = client.post("/api/v1/me/relatives", headers=me,
                           json={**FATHER, "relation": "父亲"}).get_json()["id"]
    assert_error(take(client, me, **{"for": relative}), 422, "invalid_input")  # pending
    father = citizen(client, "dad", FATHER["id_number"], FATHER["name"])
    request_id = client.get("/api/v1/me/authorisations", headers=father).get_json()["items"][0]["id"]
    client.post(f"/api/v1/me/authorisations/{request_id}/accept", headers=father)
    his = take(client, me, **{"for": relative})
    assert his.status_code == 201, his.get_data(as_text=True)
    assert his.get_json()["for"]["name"].startswith(FATHER["name"][0])
    assert his.get_json()["green_channel"] is True  # born 1948
    assert_error(take(client, father), 409, "duplicate_ticket")


def test_the_demo_hall_has_windows_and_a_day_of_tickets_once(app, session, clock):
    from backend.services.demo import seed_demo
    from backend.services.demo.queue_day import seed_queue_day
    clock.at = datetime(2026, 11, 30, 11, 0, tzinfo=TZ)
    seed_demo(session, clock.now(), rota_days=7)
    session.commit()
    hall_tickets = Counter(session.scalars(select(Ticket.status)))
    assert hall_tickets["done"] > 10 and sum(hall_tickets.values()) > 30
    assert session.scalar(select(func.count()).select_from(Window)) == 5
    assert seed_queue_day(session, clock.now()) == 0  # once a day
