"""Subscribe messages end to end against the loopback fake WeChat: every event queues exactly one
message in its own transaction, the dispatcher sends it once with the right template, page and
rendered values, and WeChat's answers are handled as docs/domain.md "Notifications" says."""
from __future__ import annotations

import ast
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from backend.entrypoints.jobs import run_job
from backend.domain.message_templates import (
    CITIZEN_TEMPLATE_KEYS, TEMPLATE_KEYS, TemplatesInvalid, load_templates,
    render, render_value,
)
from backend.errors import Forbidden
from backend.infrastructure.wechat import WeChat
from backend.models import AuditLog, Booking, Notification, Slot, Staff, SubscriptionQuota
from backend.services import notifications
from backend.services.catalog import import_catalog
from backend.services.slots import generate_slots
from backend.services.scope import SYSTEM
from backend.uow import unit_of_work
from tests.conftest import TZ
from tests.fake_wechat import SUBSCRIBE_SEND
from tests.helpers import assert_error, bearer

TEMPLATES = {key: f"tmpl-{key}" for key in TEMPLATE_KEYS}


@pytest.fixture
def wechat(app, fake_wechat):
    """The app sends through the real adapter to the fake WeChat, every template configured."""
    adapter = WeChat(fake_wechat.appid, fake_wechat.secret, base_url=fake_wechat.url,
                     timeout=1.0)
    app.extensions["banban.wechat"] = adapter
    app.extensions["banban.templates"] = load_templates(TEMPLATES, demo=False)
    yield fake_wechat
    adapter.close()


@pytest.fixture
def hall(session, example_catalog, clock):
    import_catalog(session, SYSTEM, example_catalog)
    generate_slots(session, clock.now(), 14)
    session.commit()


def slot_at(session, day: date, start: str = "09:00") -> Slot:
    return session.scalar(select(Slot).where(Slot.date == day,
                                             Slot.start_time == time.fromisoformat(start)))


def grant(session, clock, openid: str, *keys: str, times: int = 1) -> None:
    templates = load_templates(TEMPLATES, demo=False)
    for _ in range(times):
        notifications.accept_subscriptions(session, openid, list(keys), templates,
                                           TEMPLATE_KEYS, clock.now(), cap=10)
    session.commit()


def dispatch() -> str:
    return run_job("dispatch-notifications")


def messages(session, event: str | None = None) -> list[Notification]:
    session.rollback()   # what other connections committed
    query = select(Notification).order_by(Notification.id)
    if event:
        query = query.where(Notification.event == event)
    return list(session.scalars(query))


def sent_bodies(fake, template_key: str | None = None) -> list[dict]:
    return [b for b in fake.delivered
            if template_key is None or b["template_id"] == TEMPLATES[template_key]]


TUESDAY = date(2026, 12, 1)


# -- booking confirmed ------------------------------------------------------------------------

def test_a_booking_is_confirmed_once_with_its_template_page_and_values(
        session, hall, clock, wechat, make_citizen, make_booking):
    citizen = make_citizen("o-citizen-1")
    grant(session, clock, citizen.openid, "booking_confirmed")
    booking = make_booking(slot_at(session, TUESDAY), citizen)
    assert messages(session) == []           # the booking path writes only its own row

    assert "已发送 1" in dispatch()
    assert "已发送 0" in dispatch()          # run twice: nothing twice

    [body] = wechat.delivered
    assert body["touser"] == "o-citizen-1"
    assert body["template_id"] == "tmpl-booking_confirmed"
    assert body["page"] == f"pages/bookings/detail?code={booking.code}"
    assert body["data"] == {"thing1": {"value": "城乡居民基本养老保险参保登记"},
                            "thing2": {"value": "博山区政务服务中心"},
                            "time3": {"value": "2026年12月1日 09:00"},
                            "character_string4": {"value": booking.code}}
    [message] = messages(session)
    assert (message.status, message.errcode, message.attempts) == ("sent", None, 1)
    assert session.get(SubscriptionQuota, ("o-citizen-1", "booking_confirmed")).quota == 0
    assert session.get(Booking, booking.id).confirmation_queued is True


def test_without_quota_nothing_is_sent_and_the_reason_is_recorded(
        session, hall, clock, wechat, make_citizen, make_booking):
    make_booking(slot_at(session, TUESDAY), make_citizen("o-no-quota"))
    dispatch()
    assert wechat.calls(SUBSCRIBE_SEND) == []
    [message] = messages(session)
    assert message.status == "no_subscription"
    assert message.status_label == "未发送：无订阅"


def test_quota_is_counted_per_template_and_citizen(session, hall, clock, wechat, make_citizen,
                                                   make_booking):
    first, second = make_citizen("o-first"), make_citizen("o-second")
    grant(session, clock, "o-first", "booking_confirmed")
    grant(session, clock, "o-second", "booking_reminder")      # another template
    make_booking(slot_at(session, TUESDAY), first)
    make_booking(slot_at(session, TUESDAY, "09:30"), first)   # quota 1: only one is sent
    make_booking(slot_at(session, TUESDAY), second)
    dispatch()
    assert [b["touser"] for b in wechat.delivered] == ["o-first"]
    statuses = sorted((m.citizen_id, m.status) for m in messages(session))
    assert statuses == sorted([(first.id, "sent"), (first.id, "no_subscription"),
                               (second.id, "no_subscription")])


def test_a_rolled_back_booking_queues_nothing(session, hall, clock, wechat, make_citizen):
    from backend.services.booking import BookingRules, book
    citizen = make_citizen("o-rollback")
    with pytest.raises(RuntimeError):
        with unit_of_work(session):
            book(session, citizen.id, slot_at(session, TUESDAY).id, "SB-001", None, None,
                 clock.now(), BookingRules())
            raise RuntimeError("the request failed after the booking")
    dispatch()
    assert messages(session) == [] and wechat.delivered == []


# -- subscriptions API ------------------------------------------------------------------------

def test_subscriptions_through_the_api(client, session, wechat):
    # Demo login is gone once WeChat is configured: the citizen logs in through the fake.
    wechat.register_login("login-1", "o-api", "sk")
    token = client.post("/api/v1/auth/wechat-login", json={"code": "login-1"}).get_json()["token"]
    headers = bearer(token)

    found = client.get("/api/v1/subscriptions", headers=headers).get_json()
    assert found["templates"] == {key: TEMPLATES[key] for key in CITIZEN_TEMPLATE_KEYS}
    assert found["quota"] == {key: 0 for key in CITIZEN_TEMPLATE_KEYS}
    assert found["long_term"] == []

    answer = client.post("/api/v1/subscriptions", headers=headers,
                         json={"accepted": ["booking_confirmed", "booking_reminder"]})
    assert answer.status_code == 200
    answer = client.post("/api/v1/subscriptions", headers=headers,
                         json={"accepted": ["booking_reminder"]}).get_json()
    assert answer["quota"]["booking_confirmed"] == 1
    assert answer["quota"]["booking_reminder"] == 2

    refused = client.post("/api/v1/subscriptions", headers=headers,
                          json={"accepted": ["booking_reminder", "case_assigned", "nope"]})
    assert_error(refused, 422, "invalid_input")
    again = client.get("/api/v1/subscriptions", headers=headers).get_json()
    assert again["quota"]["booking_reminder"] == 2          # nothing recorded


def test_a_one_time_templates_quota_stops_at_its_cap(client, session, wechat):
    """Each accept adds one, up to SUBSCRIPTION_QUOTA_MAX (10): posting the same keys again and
    again cannot build a quota WeChat would refuse (43101) message after message."""
    wechat.register_login("login-cap", "o-cap", "sk")
    headers = bearer(client.post("/api/v1/auth/wechat-login",
                                 json={"code": "login-cap"}).get_json()["token"])
    for _ in range(25):
        answer = client.post("/api/v1/subscriptions", headers=headers,
                             json={"accepted": ["booking_confirmed", "booking_reminder"]})
        assert answer.status_code == 200
    quota = answer.get_json()["quota"]
    assert (quota["booking_confirmed"], quota["booking_reminder"]) == (10, 10)
    assert client.get("/api/v1/subscriptions", headers=headers).get_json()["quota"] == quota

    # One post counts what one wx.requestSubscribeMessage can grant: one per template.
    answer = client.post("/api/v1/subscriptions", headers=headers, json={
        "accepted": ["case_accepted"] * 5 + ["case_progress", "case_accepted"]}).get_json()
    assert (answer["quota"]["case_accepted"], answer["quota"]["case_progress"]) == (1, 1)

    # A quota above the cap (written before there was one) comes down to it at the next accept.
    session.execute(sa.update(SubscriptionQuota).where(
        SubscriptionQuota.openid == "o-cap", SubscriptionQuota.template_key == "case_accepted")
        .values(quota=50))
    session.commit()
    answer = client.post("/api/v1/subscriptions", headers=headers,
                         json={"accepted": ["case_accepted"]}).get_json()
    assert answer["quota"]["case_accepted"] == 10


def test_a_staff_members_quota_stops_at_the_cap_too(client, session, wechat):
    from backend.services.staff import create_staff
    create_staff(session, SYSTEM, username="manager1", password="Lk8#pz-Qm2vT-wq",
                 role="district_admin", name="区管理员", now=datetime(2026, 11, 30, tzinfo=TZ))
    session.commit()
    token = client.post("/api/v1/staff/login", json={
        "username": "manager1", "password": "Lk8#pz-Qm2vT-wq"}).get_json()["token"]
    for n in range(12):  # a wx.login code is good once
        wechat.register_login(f"staff-cap-{n}", "o-staff-cap", "sk")
        answer = client.post("/api/v1/staff/wechat-bind", headers=bearer(token), json={
            "code": f"staff-cap-{n}", "accepted": ["case_escalated", "case_escalated"]})
        assert answer.status_code == 200
    assert answer.get_json()["quota"]["case_escalated"] == 10


def test_a_long_term_template_needs_no_quota(app, session, hall, clock, wechat, make_citizen,
                                             make_booking):
    app.extensions["banban.templates"] = load_templates(
        {**TEMPLATES, "booking_confirmed": {"id": "tmpl-long", "long_term": True,
                                            "fields": {"thing9": "item"}, "page": ""}},
        demo=False)
    make_booking(slot_at(session, TUESDAY), make_citizen("o-long"))
    dispatch()
    [body] = wechat.delivered
    assert body["template_id"] == "tmpl-long"
    assert body["data"] == {"thing9": {"value": "城乡居民基本养老保险参保登记"}}
    assert "page" not in body


# -- WeChat's answers -------------------------------------------------------------------------

@pytest.fixture
def one_message(session, hall, clock, wechat, make_citizen, make_booking):
    citizen = make_citizen("o-answers")
    grant(session, clock, citizen.openid, "booking_confirmed")
    make_booking(slot_at(session, TUESDAY), citizen)
    return citizen


def test_43101_consumes_the_quota_and_is_not_retried(session, clock, wechat, one_message):
    wechat.queue_error(SUBSCRIBE_SEND, 43101)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.errcode) == ("refused", 43101)
    assert session.get(SubscriptionQuota, ("o-answers", "booking_confirmed")).quota == 0
    clock.advance(hours=2)
    dispatch()
    assert len(wechat.calls(SUBSCRIBE_SEND)) == 1


@pytest.mark.parametrize("errcode", [47003, 40003, 40037, 41030])
def test_a_bad_request_fails_for_good_and_keeps_the_quota(session, clock, wechat, one_message,
                                                          errcode):
    wechat.queue_error(SUBSCRIBE_SEND, errcode)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.errcode) == ("failed", errcode)
    assert message.errmsg
    assert session.get(SubscriptionQuota, ("o-answers", "booking_confirmed")).quota == 1
    clock.advance(hours=2)
    dispatch()
    assert len(wechat.calls(SUBSCRIBE_SEND)) == 1
    admin = Staff(username="admin", name="管理员", password_hash="x", role="district_admin",
                  created_at=clock.now())
    session.add(admin)
    session.commit()
    listed, total = notifications.undelivered_messages(session, admin)
    assert total == 1 and listed[0].errcode == errcode


def test_a_failed_message_is_retried_once_by_a_manager_and_then_sent(session, clock, wechat,
                                                                       one_message):
    wechat.queue_error(SUBSCRIBE_SEND, 47003)
    dispatch()
    [message] = messages(session)
    assert message.status == "failed"
    agent = Staff(username="agent9", name="帮办", password_hash="x", role="agent",
                  created_at=clock.now())
    admin = Staff(username="admin", name="管理员", password_hash="x", role="district_admin",
                  created_at=clock.now())
    session.add_all([agent, admin])
    session.commit()

    with pytest.raises(Forbidden):
        notifications.retry_failed(session, agent, [message.id], clock.now())
    with unit_of_work(actor=admin.id):
        assert notifications.retry_failed(session, admin, [message.id, 10**6], clock.now()) == [
            message.id]
    with unit_of_work(actor=admin.id):  # no longer failed: nothing to do
        assert notifications.retry_failed(session, admin, [message.id], clock.now()) == []
    audited = session.scalars(select(AuditLog).where(AuditLog.entity == "notification")).all()
    # Named by what the message is about: the booking confirmed, by its code.
    code = session.scalar(select(Booking.code))
    assert [(a.staff_id, a.entity_key, a.place_id) for a in audited] == [
        (admin.id, code, message.place_id)]

    dispatch()
    [message] = messages(session)
    assert (message.status, message.errcode, message.attempts) == ("sent", None, 1)
    assert len(wechat.calls(SUBSCRIBE_SEND)) == 2


def test_45009_is_retried_with_backoff_then_fails(app, session, clock, wechat, one_message):
    app.config["NOTIFY_MAX_ATTEMPTS"] = 3
    wechat.queue_error(SUBSCRIBE_SEND, 45009, times=None)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.errcode, message.attempts) == ("pending", 45009, 1)
    assert message.due_at == clock.now() + timedelta(seconds=30)
    dispatch()                                   # not due yet: nothing sent
    assert len(wechat.calls(SUBSCRIBE_SEND)) == 1

    clock.advance(seconds=30)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.due_at == clock.now() + timedelta(seconds=60)   # twice as long

    clock.advance(seconds=60)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.attempts, message.errcode) == ("failed", 3, 45009)
    assert session.get(SubscriptionQuota, ("o-answers", "booking_confirmed")).quota == 1

    wechat.clear_queue()
    clock.advance(hours=2)
    dispatch()
    assert len(wechat.calls(SUBSCRIBE_SEND)) == 3


def test_a_token_refused_forever_is_retried_within_bounds(session, clock, wechat, one_message):
    wechat.queue_error(SUBSCRIBE_SEND, 40001, times=None)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.errcode) == ("pending", 40001)
    # The adapter's bounded refresh: one send and two refreshed retries, then the outbox's
    # backoff takes over.
    assert len(wechat.calls(SUBSCRIBE_SEND)) == 3
    wechat.clear_queue()
    clock.advance(seconds=30)
    dispatch()
    assert messages(session)[0].status == "sent"
    assert len(wechat.delivered) == 1


def test_a_timeout_is_retried(app, session, clock, wechat, one_message):
    app.extensions["banban.wechat"].close()
    app.extensions["banban.wechat"] = WeChat(wechat.appid, wechat.secret, base_url=wechat.url,
                                             timeout=0.2)
    app.extensions["banban.wechat"].send_subscribe_message("o", "t", {"thing1": "x"})  # token
    wechat.set_delay(1.0, path=SUBSCRIBE_SEND)
    dispatch()
    [message] = messages(session)
    assert (message.status, message.errcode) == ("pending", -1)
    assert message.errmsg.startswith("timeout")
    app.extensions["banban.wechat"].close()


# -- rendering --------------------------------------------------------------------------------

def test_values_are_rendered_within_wechat_limits():
    long_name = "城乡居民基本养老保险参保登记及待遇资格认证和关系转移接续"
    assert render_value("thing1", long_name) == long_name[:19] + "…"
    assert len(render_value("thing1", long_name)) == 20
    assert render_value("name2", "欧阳娜娜娜娜娜娜娜娜娜娜") == "欧阳娜娜娜娜娜娜娜娜"
    assert render_value("phrase3", "材料不全待补正") == "材料不全待"
    assert render_value("character_string4", "BS-20261130-0001 号") == "BS-20261130-0001"
    assert render_value("character_string4", "A" * 40) == "A" * 32
    assert render_value("thing5", "第一行\n第二行\t\x07结束") == "第一行 第二行 结束"
    assert render_value("time6", "2026-12-05T09:00:00+08:00") == "2026年12月5日 09:00"
    assert render_value("date7", "2026-12-25") == "2026年12月25日"
    assert render_value("thing8", "") == "-"


def test_the_short_form_takes_the_default_fields_and_page():
    spec = load_templates({"case_accepted": "abc"}, demo=False)["case_accepted"]
    data, page = render(spec, {"case_number": "BS-20261130-0001", "item": "企业开办",
                               "due_date": "2026-12-07"})
    assert data == {"character_string1": "BS-20261130-0001", "thing2": "企业开办",
                    "date3": "2026年12月7日"}
    assert page == "pages/cases/detail?number=BS-20261130-0001"


@pytest.mark.parametrize("raw", [
    {"unknown_key": "x"}, {"booking_confirmed": ""}, {"booking_confirmed": {"fields": {}}},
    {"booking_confirmed": {"id": "x", "fields": {"bad key": "item"}}},
    {"booking_confirmed": {"id": "x", "long_term": "yes"}}, ["booking_confirmed"],
])
def test_a_bad_template_setting_is_refused(raw):
    with pytest.raises(TemplatesInvalid):
        load_templates(raw, demo=False)


def test_a_bad_template_setting_stops_the_start_up(monkeypatch, tmp_path):
    from backend import create_app
    from backend.config import ConfigError
    monkeypatch.setenv("WECHAT_APPID", "wx1")
    monkeypatch.setenv("WECHAT_SECRET", "s")
    monkeypatch.setenv("WECHAT_TEMPLATES", json.dumps({"no_such_key": "t"}))
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TESTING": True})
    assert refused.value.variable == "WECHAT_TEMPLATES"


def test_demo_mode_logs_the_messages(session, hall, clock, make_citizen, make_booking, caplog):
    caplog.set_level("INFO", logger="backend.infrastructure.wechat")
    citizen = make_citizen("o-demo")
    grant(session, clock, citizen.openid, "booking_confirmed")
    make_booking(slot_at(session, TUESDAY), citizen)
    dispatch()
    assert messages(session)[0].status == "sent"
    assert "[演示模式] 订阅消息 → o-demo 模板 demo-booking_confirmed" in caplog.text


# -- reminders --------------------------------------------------------------------------------

def reminders(session) -> list[tuple[str, str]]:
    return [(m.subject, m.status) for m in messages(session, "booking_reminder")]


def test_the_evening_reminder_goes_out_from_18_00_for_the_next_day(
        session, hall, clock, wechat, make_citizen, make_booking):
    citizen = make_citizen("o-remind")
    grant(session, clock, citizen.openid, "booking_reminder", times=3)
    tuesday = make_booking(slot_at(session, TUESDAY, "10:00"), citizen)
    wednesday = make_booking(slot_at(session, TUESDAY + timedelta(days=1)), citizen)

    clock.at = datetime(2026, 11, 30, 17, 59, tzinfo=TZ)
    run_job("send-reminders")
    assert reminders(session) == []
    clock.at = datetime(2026, 11, 30, 18, 0, tzinfo=TZ)
    run_job("send-reminders")
    run_job("send-reminders")                    # run twice: queued once
    assert reminders(session) == [(f"booking:{tuesday.code}:evening", "pending")]
    dispatch()
    [body] = sent_bodies(wechat, "booking_reminder")
    assert body["data"]["time3"]["value"] == "2026年12月1日 10:00"
    assert body["data"]["thing4"]["value"] == "您明天有预约，请携带相关材料按时到场"

    # Across midnight: Tuesday's bookings are today's now, Wednesday's get theirs at 18:00.
    clock.at = datetime(2026, 12, 1, 0, 5, tzinfo=TZ)
    run_job("send-reminders")
    assert len(reminders(session)) == 1
    # An hour before the slot: the second reminder.
    clock.at = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    run_job("send-reminders")
    assert reminders(session)[-1] == (f"booking:{tuesday.code}:soon", "pending")
    clock.at = datetime(2026, 12, 1, 18, 0, tzinfo=TZ)
    run_job("send-reminders")
    assert f"booking:{wednesday.code}:evening" in [s for s, _ in reminders(session)]


def test_a_monday_reminder_is_sent_on_sunday_evening_across_a_holiday(
        session, hall, clock, make_citizen, make_booking):
    from backend.services.calendar import import_calendar
    # A holiday weekend before a working Monday (the overrides win over the library).
    import_calendar(session, SYSTEM, {"year": 2026, "title": "测试通知",
                              "holidays": [{"name": "测试假期", "start": "2026-12-05",
                                            "end": "2026-12-06"}], "workdays": []},
                    clock.now())
    session.commit()
    monday = date(2026, 12, 7)
    booking = make_booking(slot_at(session, monday), make_citizen("o-monday"))
    clock.at = datetime(2026, 12, 6, 18, 0, tzinfo=TZ)       # Sunday, a holiday
    run_job("send-reminders")
    assert reminders(session) == [(f"booking:{booking.code}:evening", "pending")]
    [message] = messages(session, "booking_reminder")
    assert json.loads(message.payload)["slot_time"] == "2026-12-07T09:00:00+08:00"


def test_a_cancelled_booking_gets_no_reminder(session, hall, clock, make_citizen, make_booking):
    from backend.services.booking import BookingRules, cancel
    booking = make_booking(slot_at(session, TUESDAY), make_citizen())
    cancel(session, booking, clock.now(), BookingRules())
    session.commit()
    clock.at = datetime(2026, 11, 30, 18, 0, tzinfo=TZ)
    run_job("send-reminders")
    assert reminders(session) == []


# -- the hall cancels -------------------------------------------------------------------------

def test_a_hall_cancellation_tells_the_citizen_why(session, hall, clock, example_catalog,
                                                   make_citizen, make_booking):
    booking = make_booking(slot_at(session, TUESDAY), make_citizen("o-hall"))
    example_catalog["schedules"][0]["weekdays"] = [1, 3, 4, 5]     # no Tuesdays any more
    with unit_of_work(session):
        import_catalog(session, SYSTEM, example_catalog)
        generate_slots(session, clock.now(), 14)
    [message] = messages(session, "booking_cancelled")
    payload = json.loads(message.payload)
    assert message.subject == f"booking:{booking.code}"
    assert payload["reason"] == "服务时段调整，该时段不再开放"
    with unit_of_work(session):
        generate_slots(session, clock.now(), 14)
    assert len(messages(session, "booking_cancelled")) == 1


# -- cases ------------------------------------------------------------------------------------

@pytest.fixture
def staff_login(client, demo):
    passwords = {username: password for username, _, password in demo.passwords}

    def login(username):
        answer = client.post("/api/v1/staff/login",
                             json={"username": username, "password": passwords[username]})
        return bearer(answer.get_json()["token"])
    return login


def test_each_case_event_queues_one_message_to_the_applicant(client, session, demo, clock,
                                                             staff_login):
    citizen = bearer(client.post("/api/v1/auth/wechat-login",
                                 json={"code": "case-citizen"}).get_json()["token"])
    materials = [m["code"] for m in client.get("/api/v1/items/QYKB-001").get_json()["materials"]]
    number = client.post("/api/v1/cases", headers=citizen, json={
        "item": "QYKB-001", "place": "BS-HALL", "help_type": "assist",
        "applicant": {"name": "张三"}, "materials": materials[1:]}).get_json()["number"]
    agent = staff_login("agent2")
    staff = f"/api/v1/staff/cases/{number}"

    client.post(f"{staff}/check", headers=agent,
                json={"missing": [{"material": materials[0]}]})
    client.post(f"/api/v1/cases/{number}/supplement", headers=citizen,
                json={"materials": [materials[0]]})
    accepted = client.post(f"{staff}/check", headers=agent, json={"missing": []}).get_json()
    client.post(f"{staff}/start", headers=agent)
    client.post(f"{staff}/progress", headers=agent, json={"note": "已提交市场监管局"})
    tasks = client.get(staff, headers=agent).get_json()["tasks"]
    for task in tasks:
        client.post(f"{staff}/progress", headers=agent,
                    json={"task": task["department"]["code"], "done": True})
    assert client.post(f"{staff}/complete", headers=agent,
                       json={"note": "营业执照已发放"}).status_code == 200
    client.post(f"/api/v1/cases/{number}/review", headers=citizen, json={"score": 1})
    assert client.post(f"{staff}/review-followup", headers=staff_login("manager"),
                       json={"callback": "已回访", "fix": "缩短等候"}).status_code == 200

    to_citizen = [(m.event, json.loads(m.payload)) for m in messages(session) if m.citizen_id]
    assert [event for event, _ in to_citizen] == [
        "materials_incomplete", "case_accepted", "case_progress", "case_progress",
        *["case_progress"] * len(tasks), "case_completed", "review_invite", "review_followup"]
    payloads = dict(to_citizen)
    material_name = client.get("/api/v1/items/QYKB-001").get_json()["materials"][0]["name"]
    assert payloads["materials_incomplete"]["materials"] == material_name
    assert payloads["case_accepted"]["due_date"] == accepted["due_date"]
    assert to_citizen[3][1]["note"] == "已提交市场监管局"
    assert payloads["case_completed"]["status"] == "已办结"
    assert payloads["review_followup"]["result"] == "整改：缩短等候"
    assert all(p["case_number"] == number for _, p in to_citizen)


def test_a_case_message_is_rendered_for_the_citizen(client, session, demo, clock, wechat,
                                                    staff_login):
    wechat.register_login("login-case", "o-case", "sk")
    citizen = bearer(client.post("/api/v1/auth/wechat-login",
                                 json={"code": "login-case"}).get_json()["token"])
    client.post("/api/v1/subscriptions", headers=citizen, json={"accepted": ["case_accepted"]})
    materials = [m["code"] for m in client.get("/api/v1/items/QYKB-001").get_json()["materials"]]
    number = client.post("/api/v1/cases", headers=citizen, json={
        "item": "QYKB-001", "place": "BS-HALL", "help_type": "assist",
        "applicant": {"name": "张三"}, "materials": materials}).get_json()["number"]
    due = client.post(f"/api/v1/staff/cases/{number}/check", headers=staff_login("agent2"),
                      json={"missing": []}).get_json()["due_date"]
    dispatch()
    [body] = sent_bodies(wechat, "case_accepted")
    year, month, day = (int(x) for x in due.split("-"))
    assert body["data"]["character_string1"]["value"] == number
    assert body["data"]["date3"]["value"] == f"{year}年{month}月{day}日"
    assert body["page"] == f"pages/cases/detail?number={number}"


# -- staff ------------------------------------------------------------------------------------

def test_staff_bind_their_wechat_and_receive_assignments(client, session, demo, clock, wechat,
                                                         staff_login):
    manager = staff_login("manager")
    wechat.register_login("staff-code", "o-agent2", "sk")
    agent = staff_login("agent2")
    bound = client.post("/api/v1/staff/wechat-bind", headers=agent,
                        json={"code": "staff-code", "accepted": ["case_assigned"]})
    assert bound.status_code == 200, bound.get_json()
    assert bound.get_json()["linked"] is True
    assert bound.get_json()["quota"]["case_assigned"] == 1
    refused = client.post("/api/v1/staff/wechat-bind", headers=agent,
                          json={"code": "x", "accepted": ["booking_confirmed"]})
    assert refused.status_code in (401, 422)

    from backend.models import Case
    from backend.services import cases
    with unit_of_work(session):
        case = _make_case(session, demo, clock)
    with unit_of_work(session):
        cases.assign(session, session.get(Case, case.id),
                     session.scalar(select(Staff).where(Staff.username == "manager")),
                     "agent2", clock.now())
    dispatch()
    assigned = [m for m in messages(session, "case_assigned")]
    agent2 = session.scalar(select(Staff).where(Staff.username == "agent2"))
    mine = [m for m in assigned if m.staff_id == agent2.id]
    # Given the case at creation (the lead department's agent), then assigned it again: one
    # accept, one message; the second waits in the inbox.
    assert [m.status for m in mine] == ["sent", "no_subscription"]
    assert notifications.staff_inbox(session, agent2)[1] == 1
    [body] = sent_bodies(wechat, "case_assigned")
    assert body["touser"] == "o-agent2"
    assert manager   # signed in before the bind: unaffected


def _make_case(session, demo, clock):
    from backend.services import cases
    from backend.services.citizens import citizen_for_openid
    citizen = citizen_for_openid(session, "o-case-owner", None, clock.now())
    return cases.create_case(session, citizen, item_code="QYKB-001", place_code="BS-HALL",
                             help_type="assist", applicant=cases.Applicant(name="李四"),
                             material_codes=[], booking_code=None, special_group=None,
                             now=clock.now(), number_prefix="BS")


def test_staff_without_wechat_find_messages_in_their_inbox(client, session, demo, clock,
                                                           wechat, staff_login):
    with unit_of_work(session):
        case = _make_case(session, demo, clock)
    dispatch()
    agent = session.get(Staff, case.agent_id)
    inbox, total = notifications.staff_inbox(session, agent)
    assert total == 1 and inbox[0].event == "case_assigned"
    assert inbox[0].status == "unlinked"
    assert wechat.calls(SUBSCRIBE_SEND) == []


def test_escalations_reach_the_managers(client, session, demo, clock, staff_login):
    with unit_of_work(session):
        case = _make_case(session, demo, clock)
    agent = session.get(Staff, case.agent_id)
    from backend.services import cases
    with unit_of_work(session, actor=agent.id):
        cases.escalate(session, case, agent, "需要协调不动产登记中心", clock.now())
    escalated = messages(session, "case_escalated")
    roles = sorted(session.get(Staff, m.staff_id).role for m in escalated)
    assert roles and set(roles) <= {"place_manager", "district_admin"}
    assert "place_manager" in roles
    assert json.loads(escalated[0].payload)["note"] == "需要协调不动产登记中心"


def test_deadline_warnings_once_per_state_on_working_days(session, demo, clock, staff_login):
    from backend.services import cases
    with unit_of_work(session):
        case = _make_case(session, demo, clock)
        cases.check_materials(session, case, [], session.get(Staff, case.agent_id), clock.now())
    clock.at = datetime.combine(case.amber_on, time(8, 30), TZ)
    while clock.at.weekday() >= 5:
        clock.advance(days=1)
    run_job("deadline-warnings")
    run_job("deadline-warnings")
    warned = messages(session, "deadline_warning")
    recipients = {session.get(Staff, m.staff_id).role for m in warned}
    assert recipients == {"agent", "place_manager"}
    assert len(warned) == len({m.staff_id for m in warned})
    assert {json.loads(m.payload)["deadline_state"] for m in warned} == {"即将超期"}

    saturday = clock.at + timedelta(days=(5 - clock.at.weekday()) % 7 or 7)
    clock.at = datetime.combine(case.due_date + timedelta(days=1), time(8, 30), TZ)
    while clock.at.weekday() >= 5:
        clock.advance(days=1)
    run_job("deadline-warnings")
    red = [m for m in messages(session, "deadline_warning")
           if json.loads(m.payload)["deadline_state"] == "已超期"]
    assert len(red) == len(warned)
    clock.at = saturday.replace(hour=8, minute=30)
    assert "不是工作日" in run_job("deadline-warnings")



def test_the_notifications_package_does_not_import_the_cases():
    """The case services queue their messages here; the deadline warnings are handed the cases
    to warn about (`cases.amber_and_red_cases`), so this package imports no case module back,
    not even inside a function."""
    package = Path(notifications.__file__).parent
    imported = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                imported |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
    assert not [name for name in imported if "cases" in name.split(".")], imported
