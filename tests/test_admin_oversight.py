"""The oversight pages: the dashboard as the home page, the inspection report and its XLSX file,
the registry's gaps, the lists (reviews, escalations, outbox, inbox, audit log), announcements.
The permission matrix for their URLs is in tests/test_admin_permissions.py."""
from __future__ import annotations

import base64
import json
import re
from datetime import date, timedelta
from html import unescape
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backend.models import Staff
from backend.services import cases
from backend.services.cases import Applicant
from backend.services.compliance import compliance_gaps
from backend.services.slots import generate_slots
from backend.services.staff import set_password
from backend.services.scope import SYSTEM

PASSWORD = "Hq7#vLm2pX9w-Tz"


@pytest.fixture
def signed(session, demo, clock, client, make_citizen):
    for staff in session.scalars(select(Staff)):
        set_password(session, SYSTEM, staff, PASSWORD)
    generate_slots(session, clock.now(), 14)
    for place in ("BS-HALL", "BS-CD"):
        cases.create_case(session, make_citizen(), item_code="SB-001", place_code=place,
                          help_type="proxy", applicant=Applicant(name="申请人"),
                          material_codes=["SFZ"], booking_code=None, special_group=None,
                          now=clock.now(), number_prefix="BS")
    session.commit()

    def sign_in(username: str):
        client.post("/admin/logout", data={})
        response = client.post("/admin/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        return client
    return sign_in


def charts(html: str) -> dict[str, str]:
    """The page's charts: name -> the SVG drawn."""
    return {name: base64.b64decode(data).decode("utf-8") for name, data in re.findall(
        r'<img class="chart[^"]*" data-chart="(\w+)" src="data:image/svg\+xml;base64,([^"]+)"',
        html)}


def test_the_home_page_is_the_dashboard_with_charts(signed):
    html = signed("admin").get("/admin/").get_data(as_text=True)
    assert "今日预约（含5+X时段）" in html and "办件状态" in html
    drawn = charts(html)
    assert {"sessions", "cases"} <= set(drawn)
    assert "<rect" in drawn["sessions"] and "今日预约" in drawn["sessions"]
    assert "登记备案缺口" in html  # the district admin's dashboard has the registry's gaps


@pytest.mark.parametrize("username", ["manager", "agent1", "inspector"])
def test_every_role_has_a_dashboard_of_its_own(signed, username):
    response = signed(username).get("/admin/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "未能送达的消息" in html
    assert ("compliance-count" in html) == (username == "inspector")


def test_the_dashboard_shows_only_the_managers_places(signed, session):
    html = signed("manager").get("/admin/").get_data(as_text=True)
    table = html.split("dashboard-sessions", 1)[1].split("</table>", 1)[0] \
        if "dashboard-sessions" in html else ""
    assert "城东" not in table


def test_the_report_page_shows_figures_rankings_definitions_and_charts(signed):
    html = signed("admin").get("/admin/report/?start=2026-11-01&end=2026-11-30&kind=place") \
        .get_data(as_text=True)
    assert "报告期：2026-11-01 至 2026-11-30" in html
    assert "样本不足" in html  # two cases: no unit reaches the minimum of 10
    for definition in ("按时办结率", "差评按期整改率", "排名"):
        assert f"<dt>{definition}</dt>" in html
    assert "<rect" in charts(html)["cases"]


def test_a_bad_period_is_refused_in_chinese_and_this_month_shown(signed):
    html = signed("admin").get("/admin/report/?start=2026-12-05&end=2026-11-01") \
        .get_data(as_text=True)
    assert "结束日期不能早于开始日期" in html
    assert "报告期：2026-11-01 至 2026-11-30" in html
    response = signed("admin").get("/admin/report/xlsx?start=nope")
    assert response.status_code == 422 and "日期格式" in response.get_data(as_text=True)


def test_the_xlsx_has_the_pages_figures_and_the_period_in_its_name(signed):
    client = signed("manager")
    html = client.get("/admin/report/?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    response = client.get("/admin/report/xlsx?start=2026-11-01&end=2026-11-30")
    assert response.status_code == 200
    disposition = unquote(response.headers["Content-Disposition"])
    assert "2026-11-01_2026-11-30.xlsx" in disposition
    workbook = load_workbook(BytesIO(response.data))
    assert workbook.sheetnames[0] == "汇总"
    sheet = workbook["服务场所"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["排名", "编码", "名称", "预约量"]
    page_total = re.search(r'report-total">.*?<td class="sticky unit">合计</td>(.*?)</tr>', html,
                           re.S).group(1)
    page_cases = re.findall(r'<td class="num">(.*?)</td>', page_total)[headers.index("办件量") - 3]
    summary = workbook["汇总"]
    header_row = next(r for r in summary.iter_rows(values_only=True) if "办件量" in r)
    total_row = next(r for r in summary.iter_rows(values_only=True) if r and r[0] == "合计")
    assert str(total_row[header_row.index("办件量")]) == page_cases == "1"  # the manager's place


def test_the_compliance_page_lists_the_registrys_gaps_in_scope(signed, session):
    html = signed("admin").get("/admin/compliance/").get_data(as_text=True)
    assert "登记备案缺口（共" in html and "未登记备案帮办代办员的站所" in html
    expected = compliance_gaps(session, session.scalar(select(Staff).where(
        Staff.username == "admin")), date(2026, 11, 30), 14)
    assert f"登记备案缺口（共 {expected.count} 项）" in html
    for gap in expected.stations_without_agent:
        assert f"<td>{gap.place_name}</td><td>{gap.department_name}</td>" in html
    assert signed("agent1").get("/admin/compliance/").status_code == 403


# --- the oversight lists ---------------------------------------------------------------------

def _case_at(session, place_code: str):
    from backend.models import Case, Place
    return session.scalar(select(Case).join(Place, Case.place_id == Place.id)
                          .where(Place.code == place_code))


@pytest.fixture
def listed(session, signed, clock):
    """At each place: a bad and a good review, an open escalation, a failed message to agent1."""
    from backend.models import Escalation, Notification, Review
    agent = session.scalar(select(Staff).where(Staff.username == "agent1"))
    rows = {}
    for place in ("BS-HALL", "BS-CD"):
        case = _case_at(session, place)
        session.add_all([
            Review(case_id=case.id, score=1, comment=f"差评{place}", created_at=clock.now()),
            Escalation(case_id=case.id, raised_by_id=agent.id, raised_at=clock.now(),
                       note=f"督办{place}"),
            Notification(dedupe_key=f"t:{place}", event="case_overdue", subject=f"case:{case.number}",
                         staff_id=agent.id, place_id=case.place_id,
                         payload='{"number": "%s"}' % case.number, status="failed", attempts=3,
                         due_at=clock.now(), errcode=40001, errmsg=f"凭证无效{place}",
                         created_at=clock.now())])
        rows[place] = case
    good = _case_at(session, "BS-HALL")
    session.flush()
    session.commit()
    return rows, good


def test_bad_reviews_and_escalations_are_listed_in_the_managers_scope(signed, listed):
    client = signed("manager")
    html = client.get("/admin/bad-review/?flt0_0=open").get_data(as_text=True)
    assert "差评BS-HALL" in html and "差评BS-CD" not in html and "待回访" in html
    assert "非常不满意" in html
    html = client.get("/admin/escalation/?flt0_0=open").get_data(as_text=True)
    assert "督办BS-HALL" in html and "督办BS-CD" not in html and "未处理" in html
    # Resolved only: none yet.
    assert "督办BS-HALL" not in client.get("/admin/escalation/?flt0_0=closed").get_data(
        as_text=True)


def test_the_outbox_shows_wechats_answer_and_a_retry_makes_a_failed_message_due(
        signed, listed, session, clock):
    from backend.models import AuditLog, Notification
    client = signed("admin")
    html = client.get("/admin/outbox/?flt0_0=failed").get_data(as_text=True)
    assert "40001" in html and "凭证无效BS-HALL" in html and "发送失败" in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    message = session.scalar(select(Notification).where(Notification.dedupe_key == "t:BS-HALL"))
    response = client.post("/admin/outbox/action/", data={"csrf_token": token, "action": "retry",
                                                          "rowid": str(message.id)})
    assert response.status_code == 302
    session.expire_all()
    assert (message.status, message.attempts, message.errcode) == ("pending", 0, None)
    audit = session.scalars(select(AuditLog).where(AuditLog.entity == "notification")).all()
    # Named by what the message is about (its subject names the case).
    assert [(a.entity_key, a.place_id) for a in audit] == [
        (message.subject.removeprefix("case:"), message.place_id)]
    # A second retry finds nothing failed and changes nothing.
    client.post("/admin/outbox/action/", data={"csrf_token": token, "action": "retry",
                                               "rowid": str(message.id)})
    assert session.scalar(select(func_count(AuditLog)).where(
        AuditLog.entity == "notification")) == 1


def func_count(model):
    from sqlalchemy import func
    return func.count(model.id)


def filter_index(page: str, label: str) -> int:
    """The index a list page gives its filter named `label` (its filters' data, for the
    filter menu's script)."""
    groups = json.loads(unescape(re.search(r'id="filter-groups-data"[^>]*>([^<]*)<', page)
                                 .group(1)))
    return groups[label][0]["index"]


@pytest.mark.parametrize("url, label, value, shown", [
    ("bad-review", "评价", "1", 2), ("bad-review", "评价", "2", 0),
    ("outbox", "微信错误码", "40001", 2), ("outbox", "微信错误码", "-1", 0)])
def test_an_integer_filter_compares_integers(signed, listed, url, label, value, shown):
    """评价 and 微信错误码 compare their integer columns with an integer (PostgreSQL compares no
    integer with text); the fixture's two bad reviews score 1 and its two failed messages have
    WeChat's 40001."""
    client = signed("admin")
    index = filter_index(client.get(f"/admin/{url}/").get_data(as_text=True), label)
    response = client.get(f"/admin/{url}/?flt0_{index}={value}")
    assert response.status_code == 200
    assert f"共 {shown} 条" in response.get_data(as_text=True)


@pytest.mark.parametrize("url, label", [("bad-review", "评价日期"), ("escalation", "提出日期"),
                                        ("outbox", "生成日期"), ("audit-log", "日期")])
def test_a_date_range_lists_the_rows_of_those_days(signed, listed, clock, url, label):
    """Each list's date range over an instant takes Boshan's days (Flask-Admin's own range
    compared the instant with bare dates, which the column refuses)."""
    client = signed("admin")
    client.post("/admin/staff/create/", data={"username": "newone", "role": "inspector",
                                              "password": PASSWORD})  # for the audit log
    page = client.get(f"/admin/{url}/").get_data(as_text=True)
    index = filter_index(page, label)
    total = int(re.search(r"共 (\d+) 条", page).group(1))
    today = clock.now().date()
    assert total > 0
    for first, last, shown in ((today, today, total), (today - timedelta(days=7), today, total),
                               (today - timedelta(days=1), today - timedelta(days=1), 0)):
        response = client.get(f"/admin/{url}/?flt0_{index}={first} to {last}")
        assert response.status_code == 200
        assert f"共 {shown} 条" in response.get_data(as_text=True)


def test_the_inbox_lists_a_staff_members_undelivered_messages(signed, listed):
    html = signed("agent1").get("/admin/inbox/").get_data(as_text=True)
    assert "我的消息" in html and "共 2 条" in html and "发送失败" in html
    html = signed("manager").get("/admin/inbox/").get_data(as_text=True)
    assert "没有未送达的消息" in html


def test_the_audit_log_is_filterable_and_hides_personal_data(signed, session):
    client = signed("admin")
    client.post("/admin/staff/create/", data={"username": "newone", "role": "inspector",
                                              "password": PASSWORD})
    html = client.get("/admin/audit-log/").get_data(as_text=True)
    assert "操作日志" in html and "***" in html and PASSWORD not in html
    assert "newone" in client.get("/admin/audit-log/?flt0_0=create").get_data(as_text=True)
    assert signed("manager").get("/admin/audit-log/").status_code == 403


def test_announcements_are_published_changed_and_ended_through_the_service(signed, session):
    from backend.models import Announcement, AuditLog
    form = {"title": "春节安排", "body": "春节期间暂停办理", "place": "BS-HALL",
            "starts_on": "2026-12-01", "ends_on": "2026-12-31"}
    manager = signed("manager")
    assert manager.post("/admin/announcement/publish/", data=form).status_code == 302
    # Another town's place, or the whole district: refused in Chinese, nothing saved.
    html = manager.post("/admin/announcement/publish/", data={**form, "place": "BS-CD"}
                        ).get_data(as_text=True)
    assert "只能为本人管理的场所发布公告" in html
    html = manager.post("/admin/announcement/publish/", data={**form, "place": ""}
                        ).get_data(as_text=True)
    assert "只有区政务服务管理办可以发布全区公告" in html
    html = manager.post("/admin/announcement/publish/", data={**form, "ends_on": "明天"}
                        ).get_data(as_text=True)
    assert "日期格式应为 YYYY-MM-DD" in html
    rows = session.scalars(select(Announcement)).all()
    assert [(a.title, a.place.code) for a in rows] == [("春节安排", "BS-HALL")]
    announcement = rows[0]
    assert manager.post(f"/admin/announcement/change/?id={announcement.id}",
                        data={**form, "title": "春节调休"}).status_code == 302
    assert "春节调休" in manager.get("/admin/announcement/").get_data(as_text=True)
    assert manager.post(f"/admin/announcement/end/?id={announcement.id}").status_code == 302
    session.expire_all()
    assert announcement.title == "春节调休" and announcement.ended_at is not None
    assert "已撤下" in manager.get("/admin/announcement/").get_data(as_text=True)
    assert session.scalars(select(AuditLog.action).where(AuditLog.entity == "announcement")
                           ).all() == ["create", "update", "update"]
    admin = signed("admin")
    assert admin.post("/admin/announcement/publish/", data={**form, "place": ""}
                      ).status_code == 302
    assert "全区" in admin.get("/admin/announcement/").get_data(as_text=True)
