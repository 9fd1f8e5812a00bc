"""The admin portal in a real browser (Playwright driving Debian's chromium, docs/testing.md):
a manager finds the red cases and assigns an agent; the agent checks materials and issues a
one-time notice, later records the handover and completes; a manager takes a Saturday off the
rota and confirms the cancellations; the district admin enters a year's 调休 notice. A
full-page screenshot of every page visited is kept under the folder the run prints."""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.serving import make_server

from backend.extensions import db
from backend.models import (
    Booking, Case, Department, Place, RotaEntry, ServiceItem, Slot, Staff, Station,
)
from backend.services import cases
from backend.services.cases import Applicant
from backend.services.catalog import add_station
from backend.services.slots import generate_slots
from backend.services.staff import set_password
from backend.services.scope import SYSTEM
from tests.conftest import make_test_app

PASSWORD = "Hq7#vLm2pX9w-Tz"
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "admin-screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"没有找到 {CHROMIUM}：请安装 Debian 的 chromium（.ci/run 会安装）")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip():
        pytest.fail("没有中文字体：截图会显示方框。请安装 fonts-wqy-microhei（.ci/run 会安装）")
    return {"executable_path": CHROMIUM, "args": [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"locale": "zh-CN"}


@pytest.fixture(scope="session")
def shots_folder():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    print(f"\n管理后台截图 (admin screenshots): {SHOTS}")
    return SHOTS


@pytest.fixture
def portal(app, database_url, demo, session, clock, make_citizen):
    """The demo served on loopback by an app with CSRF on, and a red case at BS-HALL."""
    for username in ("manager", "agent1", "admin"):
        set_password(session, SYSTEM,
                     session.scalar(select(Staff).where(Staff.username == username)), PASSWORD)
    generate_slots(session, clock.now(), 14)
    case = cases.create_case(session, make_citizen(), item_code="SB-001", place_code="BS-HALL",
                             help_type="proxy", applicant=Applicant(name="超期的王大爷"),
                             material_codes=["SFZ", "HKB"], booking_code=None,
                             special_group=None, now=clock.now() - timedelta(days=40),
                             number_prefix="BS")
    manager = session.scalar(select(Staff).where(Staff.username == "manager"))
    cases.check_materials(session, case, [], manager, clock.now() - timedelta(days=40))
    session.commit()
    served = make_test_app(database_url, WTF_CSRF_ENABLED=True, SECRET_KEY="browser-secret")
    server = make_server("127.0.0.1", 0, served, threaded=True)
    # Request threads the server waits for on close: a request the browser left in flight must
    # give its connection back before the pool is closed (else it is collected still open).
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()
    with served.app_context():
        db.engine.dispose()


class Visit:
    def __init__(self, page, base, folder, name):
        self.page, self.base, self.folder, self.name, self.n = page, base, folder, name, 0
        page.set_default_timeout(10_000)

    def shot(self, label: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(self.folder / f"{self.name}-{self.n:02d}-{label}.png"),
                             full_page=True)

    def go(self, path: str, label: str) -> None:
        self.page.goto(self.base + path)
        self.shot(label)

    def sign_in(self, username: str) -> None:
        self.page.goto(self.base + "/admin/logout")
        if self.page.get_by_role("button", name="退出登录").count():
            self.page.locator("form.my-0, form").get_by_role("button", name="退出登录").last.click()
        self.go("/admin/login", "login")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.shot(f"signed-in-{username}")


def test_a_hall_runs_a_case_from_red_to_done(page, portal, shots_folder, session):
    visit = Visit(page, portal, shots_folder, "case")
    visit.sign_in("manager")
    visit.go("/admin/case/", "cases")
    page.get_by_role("link", name="添加筛选器").click()
    page.get_by_role("link", name="时限状态").click()
    page.locator("select.filter-val").last.select_option("red", force=True)
    page.get_by_role("button", name="应用").click()
    visit.shot("red-cases")
    assert page.get_by_text("超期的王大爷").count() == 1
    page.locator("a[title='查看记录']").first.click()
    visit.shot("case-details")
    page.locator("form[data-action=assign] select").select_option("agent1")
    page.locator("form[data-action=assign] button").click()
    visit.shot("assigned")
    assert "已指派帮办代办员" in page.content()
    assert "李帮办" in page.locator(".case-agent").inner_text()

    visit.sign_in("agent1")
    assert "/admin/my-cases/" in page.url
    number = session.scalar(select(Case.number))
    page.get_by_role("link", name=number).count() or None
    page.locator("a[title='查看记录']").first.click()
    visit.shot("agent-case")
    handover = page.locator("form[data-action=handover]")
    handover.locator("input[name=citizen_confirmed]").check()
    handover.get_by_role("button", name="登记材料交接").click()
    visit.shot("handed-over")
    page.locator("form[data-action=agreement] button").click()
    visit.shot("agreement")
    page.locator("form[data-action=complete] button").click()
    visit.shot("completed")
    assert page.locator(".case-status").inner_text() == "已办结"


def test_an_agent_issues_a_one_time_notice(page, portal, shots_folder, session, make_citizen,
                                           clock):
    case = cases.create_case(session, make_citizen(), item_code="SB-001", place_code="BS-HALL",
                             help_type="assist", applicant=Applicant(name="补材料的李女士"),
                             material_codes=["SFZ"], booking_code=None, special_group=None,
                             now=clock.now(), number_prefix="BS")
    session.commit()
    visit = Visit(page, portal, shots_folder, "notice")
    visit.sign_in("agent1")
    visit.go(f"/admin/my-cases/details/?id={case.id}", "case")
    check = page.locator("form[data-action=check]")
    check.locator("input[value=HKB]").check()
    check.locator("input[name=note_HKB]").fill("到户籍派出所复印")
    check.get_by_role("button", name="提交审查结果").click()
    visit.shot("notice-issued")
    assert page.locator(".case-notice").count() == 1
    assert page.locator(".case-status").inner_text() == "材料不全，待补正"


def test_a_manager_takes_a_saturday_off_the_rota(page, portal, shots_folder, session,
                                                 make_booking):
    entry = session.scalar(select(RotaEntry).join(Place).where(Place.code == "BS-HALL")
                           .order_by(RotaEntry.date))
    while entry.date.isoweekday() != 6:
        entry = session.scalar(select(RotaEntry).join(Place).where(
            Place.code == "BS-HALL", RotaEntry.date > entry.date).order_by(RotaEntry.date))
    slot = session.scalar(select(Slot).where(Slot.place_id == entry.place_id,
                                             Slot.date == entry.date, Slot.kind == "weekend"))
    booking = make_booking(slot)
    visit = Visit(page, portal, shots_folder, "rota")
    visit.sign_in("manager")
    visit.go(f"/admin/rota/remove/?id={entry.id}", "remove")
    page.get_by_role("button", name="取消该值班").click()
    visit.shot("confirm")
    assert page.locator(".cancel-count").inner_text() == "1"
    page.get_by_role("button", name="确认并取消这些预约").click()
    visit.shot("done")
    session.expire_all()
    assert session.get(Booking, booking.id).status == "cancelled"


def test_the_district_admin_enters_next_years_notice(page, portal, shots_folder):
    visit = Visit(page, portal, shots_folder, "calendar")
    visit.sign_in("admin")
    visit.go("/admin/calendar/", "form")
    assert page.locator(".calendar-warning").count() >= 1
    page.get_by_label("年份").fill("2027")
    page.get_by_label("通知标题").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.locator("#holidays").fill("元旦,2027-01-01,2027-01-03\n春节,2027-02-05,2027-02-13")
    page.locator("#workdays").fill("2027-02-20,春节")
    page.get_by_role("button", name="录入").click()
    visit.shot("entered")
    assert page.locator(".calendar-warning").count() == 0
    assert "2027年：国务院办公厅" in page.locator(".calendar-notices").inner_text()


def test_the_district_admin_adds_a_material_to_an_item(page, portal, shots_folder, session):
    item_id = session.scalar(select(ServiceItem.id).where(ServiceItem.code == "JS-001"))
    visit = Visit(page, portal, shots_folder, "item")
    visit.sign_in("admin")
    visit.go(f"/admin/item/edit/?id={item_id}", "edit")
    page.get_by_role("button", name="添加 材料").click()
    # The new row (the JS names its fields materials-4-*; its labels keep the template's ids).
    new = page.locator(".inline-field-list .inline-field").last
    for name, value in (("code", "DWZM"), ("name", "单位出具的证明"), ("copies", "1"),
                        ("how_to_obtain", "所在单位人事部门开具")):
        new.locator(f"[name$='-{name}']").fill(value)
    visit.shot("material-added")
    page.get_by_role("button", name="保存", exact=True).click()
    visit.shot("saved")
    assert page.locator(".alert-success").count() == 1
    visit.go(f"/admin/item/details/?id={item_id}", "details")
    assert "单位出具的证明" in page.locator("table").inner_text()
    visit.go("/api/v1/items/JS-001", "api")
    materials = [m["name"] for m in json.loads(page.locator("body").inner_text())["materials"]]
    assert materials[-1] == "单位出具的证明" and len(materials) == 5


def _charts_drawn(page) -> list[str]:
    """The names of the page's charts that the browser decoded and drew (an image with a size,
    not an empty box)."""
    return page.eval_on_selector_all(
        "img.chart", "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0 "
                     "&& i.getBoundingClientRect().height > 50).map(i => i.dataset.chart)")


def test_the_district_reads_the_dashboard_and_downloads_the_report(page, portal, shots_folder):
    visit = Visit(page, portal, shots_folder, "oversight")
    visit.sign_in("admin")
    visit.go("/admin/", "dashboard")
    assert "今日预约（含5+X时段）" in page.content()
    assert "sessions" in _charts_drawn(page) and "cases" in _charts_drawn(page)
    assert page.locator(".compliance-count").count() == 1
    visit.go("/admin/report/?start=2026-10-01&end=2026-11-30&kind=place", "report")
    assert "报告期：2026-10-01 至 2026-11-30" in page.locator(".report-period").inner_text()
    assert "cases" in _charts_drawn(page)
    assert page.locator(".report-definitions dt").count() >= 10
    with page.expect_download() as download_info:
        page.locator("a.report-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith("2026-10-01_2026-11-30.xlsx")
    saved = shots_folder / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    assert {"汇总", "服务场所", "部门", "帮办代办员", "指标说明"} <= set(workbook.sheetnames)
    assert workbook["服务场所"]["A1"].value == "排名"


def test_a_delete_asks_first(page, portal, shots_folder, session):
    """Flask-Admin's delete button asks through an onclick attribute, which the CSP refuses:
    the portal's own script asks instead, and "cancel" keeps the record."""
    stationed = set(session.execute(select(Station.place_id, Station.department_id)).all())
    place, department = next((p, d) for p in session.scalars(select(Place).order_by(Place.code))
                             for d in session.scalars(select(Department).order_by(Department.code))
                             if (p.id, d.id) not in stationed)
    station_id = add_station(session, SYSTEM, place.code, department.code).id
    session.commit()
    asked: list[str] = []
    visit = Visit(page, portal, shots_folder, "delete")
    visit.sign_in("admin")
    # The new station alone (a list shows 20 rows a page): both of its names searched for.
    visit.go(f"/admin/station/?search={quote(place.name + ' ' + department.name)}", "stations")
    delete = page.locator(f"form:has(input[name=id][value='{station_id}']) button")

    def answer(accept: bool):
        def on_dialog(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return on_dialog
    page.once("dialog", answer(False))
    delete.click()
    visit.shot("kept")
    session.expire_all()
    assert asked and session.get(Station, station_id) is not None
    page.once("dialog", answer(True))
    delete.click()
    visit.shot("deleted")
    assert len(asked) == 2 and "删除" in asked[0]
    session.expire_all()
    assert session.get(Station, station_id) is None


def test_a_manager_assigns_cases_chosen_in_the_list(page, portal, shots_folder, session):
    """The list's bulk action (选中的 → 指派帮办代办员) runs from the portal's own script."""
    visit = Visit(page, portal, shots_folder, "bulk")
    visit.sign_in("manager")
    visit.go("/admin/case/", "cases")
    page.locator("input.action-checkbox").first.check()
    page.get_by_role("button", name="选中的").click()
    page.get_by_role("link", name="指派帮办代办员").click()
    page.wait_for_url("**/admin/case/assign/**")
    visit.shot("assign")
    assert "指派帮办代办员（1 个办件）" in page.content()
    page.locator("select#agent").select_option("agent1")
    page.get_by_role("button", name="指派", exact=True).click()
    visit.shot("assigned")
    session.expire_all()
    assert session.scalar(select(Staff.username).join(Case, Case.agent_id == Staff.id)) == "agent1"


def test_the_api_docs_page_works_under_its_policy(page, portal, shots_folder):
    """The docs page's Content-Security-Policy refuses every script but our own files: Swagger
    UI still draws every operation and runs "try it out", and the browser refuses nothing."""
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    visit = Visit(page, portal, shots_folder, "api-docs")
    answer = page.goto(portal + "/api/v1/docs")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 40
    visit.shot("operations")

    page.locator(".opblock-summary-path", has_text="/places").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table .response-col_status", has_text="200").wait_for()
    visit.shot("try-it-out")
    assert refused == []


def test_an_agent_takes_a_walk_in_elders_proxy_case_at_the_window(page, portal, shots_folder,
                                                                   session):
    elder_id = "370304194803124212"  # born 1948 in 博山区, whose code dates from 1983
    visit = Visit(page, portal, shots_folder, "window")
    visit.sign_in("agent1")
    visit.go("/admin/window/", "window")
    page.locator("#item").select_option("SB-001")
    page.locator("#help_type").select_option("proxy")
    page.get_by_role("button", name="下一步").click()
    visit.shot("form")
    page.get_by_label("申请人姓名").fill("王秀英")
    # A wrong last digit is said as it is typed; the right one shows the birth date.
    page.get_by_label("身份证号码").fill(elder_id[:-1] + "0")
    page.get_by_text("身份证号码有误").wait_for()
    page.get_by_label("身份证号码").fill(elder_id)
    page.get_by_text("出生日期 1948-03-12").wait_for()
    assert "在本场所没有办件和预约记录" in page.locator("#person-history").inner_text()
    visit.shot("id-checked")
    page.get_by_label("手机号码（可选）").fill("13905330001")
    page.get_by_label("特殊群体（可选）").fill("老年人")
    for code in ("SFZ", "HKB", "JMYBCB"):
        page.locator(f"#seen_{code}").check()
    assert page.locator("#handover").is_checked() and page.locator("#paper_agreement").is_checked()
    page.get_by_role("button", name="受理").click()
    visit.shot("taken")
    assert "已受理：办件编号" in page.content()
    assert page.locator(".case-status").inner_text() == "办理中"
    assert page.locator(".case-channel").inner_text() == "窗口受理"
    number = session.scalar(select(Case.number).where(Case.channel == "window"))
    assert number in page.content()
    # The next time this person comes, the window sees the case as the number is typed.
    visit.go("/admin/window/?place=BS-HALL&item=SB-001&help_type=assist", "next-visit")
    page.get_by_label("身份证号码").fill(elder_id)
    page.locator("table.person-cases").get_by_text(number).wait_for()
    visit.shot("history-shown")


def test_an_agent_books_a_seat_for_a_caller_and_reads_out_the_code(page, portal, shots_folder,
                                                                   session):
    visit = Visit(page, portal, shots_folder, "staff-booking")
    visit.sign_in("agent1")
    visit.go("/admin/staff-booking/?place=BS-HALL&date=2026-12-01", "slots")
    first = page.locator("table.booking-slots input[name=slot]").first
    first.check()
    page.locator("#item").select_option("SB-001")
    page.get_by_label("需要帮办").check()
    page.get_by_label("预约人姓名").fill("李桂兰")
    page.get_by_label("身份证号码").fill("370304195208012261")
    page.get_by_text("出生日期 1952-08-01；特殊群体").wait_for()
    page.get_by_label("手机号码（可选）").fill("13905330002")
    visit.shot("filled")
    page.get_by_role("button", name="预约", exact=True).click()
    visit.shot("slip")
    code, seat = session.execute(select(Booking.code, Booking.seat).where(
        Booking.person_name == "李桂兰")).one()
    assert page.locator(".booking-code").inner_text() == code
    assert seat == "reserved"  # 74 years old: the seat kept for special groups
    assert "139****0002" in page.content()
    # The floor's list of the day has the caller, to check in on arrival.
    visit.go("/admin/bookings/?date=2026-12-01", "day")
    assert page.locator(f"tr[data-code='{code}']").get_by_text("李桂兰").count() == 1


def test_a_window_calls_and_the_hall_screen_shows_it(page, portal, shots_folder, session):
    """The call screen, open full screen on the hall's television, shows a call within two
    seconds of the window's key press, without reloading."""
    import time as wall
    from backend.models import Window
    desk = session.scalar(select(Window).join(Place, Place.id == Window.place_id).where(
        Place.code == "BS-HALL", Window.code == "2"))
    screen = page.context.new_page()
    screen.set_default_timeout(10_000)
    screen.goto(portal + "/screen/BS-HALL")
    screen.get_by_role("button", name="全屏").click()
    assert screen.evaluate("document.fullscreenElement !== null")
    screen.screenshot(path=str(shots_folder / "screen-01-before.png"))

    visit = Visit(page, portal, shots_folder, "calling")
    visit.sign_in("agent1")
    visit.go(f"/admin/calling/?window={desk.id}", "window")
    page.get_by_role("button", name="开窗（开始叫号）").click()
    page.locator("#item").select_option("SB-001")
    page.get_by_role("button", name="出号").click()
    page.get_by_text("已出号 A001").wait_for()
    visit.shot("ticket-issued")
    loaded = screen.evaluate("performance.timeOrigin")
    page.wait_for_load_state("load")
    pressed = wall.monotonic()
    page.keyboard.press("n")  # the window's key for 叫下一位
    page.get_by_text("请 A001 号到2号窗口办理").wait_for()
    screen.locator("#latest-number").get_by_text("A001").wait_for(timeout=2000)
    assert wall.monotonic() - pressed < 2.5
    assert screen.locator("#latest-window").inner_text() == "2号窗口"
    assert screen.evaluate("performance.timeOrigin") == loaded  # not reloaded
    visit.shot("called")
    screen.screenshot(path=str(shots_folder / "screen-02-called.png"))
    # Serving and done from the keyboard too.
    page.wait_for_load_state("load")
    page.keyboard.press("s")
    page.get_by_text("A001 开始办理").wait_for()
    page.wait_for_load_state("load")  # the keys are bound once the page's scripts ran
    page.keyboard.press("d")
    page.get_by_text("A001 已办结").wait_for()
    visit.shot("done")
    screen.close()


def test_a_village_case_is_forwarded_to_the_town_and_assigned_there(
        page, portal, shots_folder, session, make_staff, make_citizen, clock):
    """The village agent forwards a case to its town; the town's manager assigns it there."""
    make_staff("cun1", places=("BS-CD-V01",), department=None, name="孙村代办", password=PASSWORD)
    make_staff("cdmgr", role="place_manager", places=("BS-CD",), department=None,
               name="城东经理", password=PASSWORD)
    admin = session.scalar(select(Staff).where(Staff.username == "admin"))
    case = cases.create_case(session, make_citizen(), item_code="SB-001", place_code="BS-CD-V01",
                             help_type="assist", applicant=Applicant(name="村里的赵大娘"),
                             material_codes=["SFZ", "HKB"], booking_code=None,
                             special_group=None, now=clock.now(), number_prefix="BS")
    cases.assign(session, case, admin, "cun1", clock.now())
    session.commit()

    visit = Visit(page, portal, shots_folder, "village")
    visit.sign_in("cun1")
    visit.go(f"/admin/my-cases/details/?id={case.id}", "village-case")
    forward = page.locator("form[data-action=forward]")
    forward.locator("select[name=place]").select_option("BS-CD")
    forward.locator("input[name=reason]").fill("需镇级部门现场核验")
    forward.get_by_role("button", name="转办").click()
    visit.shot("forwarded")
    assert "已转办" in page.content()

    visit.sign_in("cdmgr")
    visit.go(f"/admin/case/details/?id={case.id}", "town-case")
    assert "孙村代办" in page.locator(".case-contact").inner_text()
    assert "转至城东街道便民服务中心，原因：需镇级部门现场核验" in page.locator(".case-timeline").inner_text()
    page.locator("form[data-action=assign] select").select_option("agent4")
    page.locator("form[data-action=assign] button").click()
    visit.shot("assigned-at-town")
    assert "刘代办" in page.locator(".case-agent").inner_text()


def test_a_manager_records_a_coordination_meeting(page, portal, shots_folder, session,
                                                  make_case, clock):
    """The hall's manager records a meeting whose decision resolves an escalation; the decision
    past due then shows on the district admin's dashboard."""
    case = make_case("accepted", "assist", place="BS-HALL", agent="agent1")
    escalation = cases.escalate(session, case, case.agent, "部门系统数据不同步", clock.now())
    session.commit()

    visit = Visit(page, portal, shots_folder, "meeting")
    visit.sign_in("manager")
    visit.go("/admin/meeting/", "meetings")
    page.get_by_role("link", name="记录协调会议").click()
    visit.shot("record-form")
    page.locator("#held_on").fill((clock.now().date() - timedelta(days=3)).isoformat())
    page.get_by_label("会议议题").fill("社保系统数据同步协调")
    page.locator("#attendees").select_option(["agent1", "manager"])
    page.locator("#departments").select_option(["RSJ"])
    page.locator(f"input[name=escalations][value='{escalation.id}']").check()
    page.get_by_label("其他难点堵点（不限于某一办件，每行一项）").fill("周末窗口人手不足")
    page.locator("input[name=decision_text_0]").fill("人社局当日同步数据")
    page.locator("select[name=decision_owner_0]").select_option("agent1")
    page.locator("input[name=decision_due_0]").fill(
        (clock.now().date() - timedelta(days=1)).isoformat())
    page.locator("select[name=decision_escalation_0]").select_option(str(escalation.id))
    page.get_by_role("button", name="保存", exact=True).click()
    visit.shot("recorded")
    assert "协调会议已记录" in page.content()
    assert "周末窗口人手不足" in page.locator(".meeting-blockers").inner_text()
    assert "逾期未落实" in page.locator(".meeting-decisions").inner_text()
    session.expire_all()
    assert session.get(type(escalation), escalation.id).resolved_at is not None

    visit.sign_in("admin")
    visit.go("/admin/", "dashboard")
    assert "人社局当日同步数据" in page.locator(".dashboard-decisions").inner_text()
