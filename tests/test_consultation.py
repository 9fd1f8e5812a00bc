"""Consultation (咨询, docs/api.md "Consultation"): a citizen asks about an item at a place, the
place's agents of that item answer and the citizen is told; a question unanswered after one
statutory working day warns the place's managers once; a manager publishes an answer, edited, to
the item's public FAQ."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.conftest import TZ
from backend.entrypoints.jobs import run_job
from backend.models import AuditLog, Consultation, Notification, Staff
from backend.services.scope import SYSTEM
from backend.services.staff import set_password
from tests.helpers import assert_error, bearer, every_row

API = "/api/v1"
PASSWORD = "Hq7#vLm2pX9w-Tz"
QUESTION = {"item": "SB-001", "place": "BS-HALL", "question": "灵活就业人员参保需要带哪些材料？"}


@pytest.fixture
def world(session, demo):
    for username in ("agent1", "agent2", "agent4", "manager", "admin", "inspector"):
        set_password(session, SYSTEM, session.scalar(select(Staff).where(
            Staff.username == username)), PASSWORD)
    session.commit()


@pytest.fixture
def citizen(client, world):
    return bearer(client.post(f"{API}/auth/wechat-login", json={"code": "c1"}).get_json()["token"])


def staff(client, username: str) -> dict:
    return bearer(client.post(f"{API}/staff/login", json={
        "username": username, "password": PASSWORD}).get_json()["token"])


def ask(client, citizen, **more) -> dict:
    answer = client.post(f"{API}/consultations", headers=citizen, json={**QUESTION, **more})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()


def test_a_citizen_asks_and_reads_the_answer_with_the_names_the_contract_fixes(client, citizen,
                                                                              session):
    asked = ask(client, citizen)
    assert set(asked) >= {"id", "item", "place", "question", "status", "answer", "answered_by",
                          "answered_at", "created_at"}
    assert asked["status"] == "open" and asked["answer"] is None and asked["answered_by"] is None
    assert asked["item"]["code"] == "SB-001" and asked["place"]["code"] == "BS-HALL"

    agent = staff(client, "agent1")
    listed = client.get(f"{API}/staff/consultations?status=open", headers=agent).get_json()
    assert [c["id"] for c in listed["items"]] == [asked["id"]]
    assert listed["items"][0]["answer_due_on"] == "2026-12-01"
    answered = client.post(f"{API}/staff/consultations/{asked['id']}/answer", headers=agent,
                           json={"answer": "请携带居民身份证原件。"})
    assert answered.status_code == 200, answered.get_data(as_text=True)

    mine = client.get(f"{API}/consultations", headers=citizen).get_json()
    assert mine["total"] == 1
    assert mine["items"][0]["status"] == "answered"
    assert mine["items"][0]["answer"] == "请携带居民身份证原件。"
    assert mine["items"][0]["answered_by"] == {"name": "李帮办"}
    message = session.scalar(select(Notification).where(
        Notification.event == "consultation_answered"))
    assert message is not None and message.citizen_id is not None
    assert session.scalar(select(AuditLog).where(AuditLog.entity == "consultation",
                                                 AuditLog.action == "update")) is not None
    # Answered once: a second answer is refused.
    assert_error(client.post(f"{API}/staff/consultations/{asked['id']}/answer", headers=agent,
                             json={"answer": "再答一次"}), 409, "invalid_state")


def test_questions_are_checked_and_login_is_required(client, citizen, session):
    assert_error(client.post(f"{API}/consultations", json=QUESTION), 401, "unauthorized")
    assert_error(client.post(f"{API}/consultations", headers=citizen,
                             json={**QUESTION, "question": "问" * 501}), 422, "invalid_input")
    assert_error(client.post(f"{API}/consultations", headers=citizen,
                             json={**QUESTION, "question": "   "}), 422, "invalid_input")
    assert_error(client.post(f"{API}/consultations", headers=citizen,
                             json={**QUESTION, "item": "NOPE"}), 422, "invalid_input")
    assert_error(client.post(f"{API}/consultations", headers=citizen,
                             json={**QUESTION, "place": "BS-TAX-HALL"}), 422, "invalid_input")
    assert session.scalar(select(Consultation.id)) is None
    assert ask(client, citizen, question="问" * 500)["status"] == "open"


def test_only_the_items_agents_at_the_place_and_its_managers_answer(client, citizen, session):
    asked = ask(client, citizen)
    url = f"{API}/staff/consultations/{asked['id']}/answer"
    before = every_row(session)
    # agent2 is of another department, agent4 (same department) of another place: it does not exist for them.
    assert_error(client.post(url, headers=staff(client, "agent2"), json={"answer": "x"}),
                 404, "not_found")
    assert_error(client.post(url, headers=staff(client, "agent4"), json={"answer": "x"}),
                 404, "not_found")
    assert_error(client.post(url, headers=staff(client, "inspector"), json={"answer": "x"}),
                 403, "forbidden")
    assert every_row(session) == before
    assert client.post(url, headers=staff(client, "manager"),
                       json={"answer": "带身份证"}).status_code == 200


def test_an_unanswered_question_warns_the_managers_once_after_one_working_day(
        client, citizen, session, clock):
    # Friday 2026-12-04: due Monday 12-07; the warning goes out on Tuesday, once.
    clock.at = datetime(2026, 12, 4, 16, 0, tzinfo=TZ)
    asked = ask(client, citizen)
    assert session.get(Consultation, asked["id"]).answer_due_on == date(2026, 12, 7)
    for day, summary in ((5, "今天不是工作日，不发送咨询超时预警"),
                         (6, "今天不是工作日，不发送咨询超时预警"),
                         (7, "超时未答复咨询 0 条；排入预警 0 条")):
        clock.at = datetime(2026, 12, day, 8, 50, tzinfo=TZ)
        assert run_job("consultation-overdue") == summary
    clock.at = datetime(2026, 12, 8, 8, 50, tzinfo=TZ)
    assert run_job("consultation-overdue") == "超时未答复咨询 1 条；排入预警 1 条"
    assert run_job("consultation-overdue") == "超时未答复咨询 0 条；排入预警 0 条"
    session.expire_all()
    warned = session.scalars(select(Notification).where(
        Notification.event == "consultation_overdue")).all()
    assert [m.staff.username for m in warned] == ["manager"]


def test_a_manager_publishes_an_answer_edited_to_the_items_faq(client, citizen):
    asked = ask(client, citizen)
    agent, manager = staff(client, "agent1"), staff(client, "manager")
    publish = f"{API}/staff/consultations/{asked['id']}/publish"
    assert_error(client.post(publish, headers=manager, json={}), 409, "invalid_state")
    client.post(f"{API}/staff/consultations/{asked['id']}/answer", headers=agent,
                json={"answer": "身份证"})
    assert_error(client.post(publish, headers=agent, json={}), 403, "forbidden")
    published = client.post(publish, headers=manager, json={
        "question": "灵活就业人员参保带什么材料？", "answer": "居民身份证原件。"})
    assert published.status_code == 200, published.get_data(as_text=True)
    faq = client.get(f"{API}/items/SB-001/faq").get_json()
    assert faq["total"] == 1
    assert set(faq["items"][0]) == {"question", "answer", "updated_at"}
    assert faq["items"][0]["answer"] == "居民身份证原件。"
    assert client.get(f"{API}/items/SB-002/faq").get_json() == {"items": [], "total": 0}
    assert_error(client.get(f"{API}/items/NOPE/faq"), 404, "not_found")


def test_a_manager_closes_a_question_with_a_reason(client, citizen):
    asked = ask(client, citizen)
    close = f"{API}/staff/consultations/{asked['id']}/close"
    assert_error(client.post(close, headers=staff(client, "agent1"), json={"note": "重复"}),
                 403, "forbidden")
    closed = client.post(close, headers=staff(client, "manager"), json={"note": "重复提问"})
    assert closed.get_json()["status"] == "closed"
    assert client.get(f"{API}/consultations", headers=citizen).get_json()["items"][0][
        "status"] == "closed"


def test_the_inspection_report_counts_consultations_the_floor_and_training(
        client, citizen, session, clock):
    """Per place and item, the share answered within one working day; the floor's questions by
    kind; training coverage per place: on the page's dataclasses and in the XLSX."""
    from io import BytesIO

    from openpyxl import load_workbook

    from backend.services import consultation
    from backend.services.report_export import report_xlsx
    from backend.services.reports import inspection_report

    late, in_time, never = ask(client, citizen), ask(client, citizen), ask(client, citizen)
    agent = staff(client, "agent1")
    client.post(f"{API}/staff/consultations/{in_time['id']}/answer", headers=agent,
                json={"answer": "带身份证"})
    clock.at = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)   # after Tuesday, its due day
    agent = staff(client, "agent1")   # a staff token lasts a working day
    client.post(f"{API}/staff/consultations/{late['id']}/answer", headers=agent,
                json={"answer": "带户口簿"})
    guide = session.scalar(select(Staff).where(Staff.username == "guide1"))
    for kind, outcome in (("materials", "resolved"), ("materials", "referred"),
                          ("where", "resolved")):
        consultation.log_floor_question(session, guide, "BS-HALL", None, kind, outcome,
                                        clock.now())
    session.commit()
    admin = session.scalar(select(Staff).where(Staff.username == "admin"))
    report = inspection_report(session, admin, date(2026, 11, 30), date(2026, 12, 2),
                               today=date(2026, 12, 2), min_cases=1, timezone="Asia/Shanghai")
    service = report.service
    (row,) = service.consultations
    assert (row.place, row.asked, row.answered, row.answered_in_time) == (
        "博山区政务服务中心", 3, 2, 1)
    assert service.consultations_by_place[0].in_time_share == pytest.approx(1 / 3)
    assert [(f.kind, f.resolved, f.referred) for f in service.floor] == [
        ("材料要求", 1, 1), ("窗口位置", 1, 0)]
    hall = next(t for t in service.training if t.place == "博山区政务服务中心")
    assert (hall.staff, hall.trained) == (3, 3)   # agent1, agent2 and guide1
    workbook = load_workbook(BytesIO(report_xlsx(report)[0]))
    sheet = workbook["咨询答复"]
    assert [c.value for c in sheet[2]][:5] == ["博山区政务服务中心", "合计", 3, 2, 1]
    assert workbook["现场咨询"]["B2"].value == "材料要求"
    manager = session.scalar(select(Staff).where(Staff.username == "manager"))
    mine = inspection_report(session, manager, date(2026, 11, 30), date(2026, 12, 2),
                             today=date(2026, 12, 2), min_cases=1, timezone="Asia/Shanghai")
    assert {t.place for t in mine.service.training} == {"博山区政务服务中心"}
    assert never["status"] == "open"
