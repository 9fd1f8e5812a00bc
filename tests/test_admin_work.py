"""The admin portal for daily work: cases and their actions, the floor's bookings, the rota with
its confirmation, the holiday notice, staff and the registry, the catalogue file; every change
through the staff API's services, refusals shown in Chinese with nothing saved."""
from __future__ import annotations

import io
import json
import re
from datetime import time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from backend.fields import PER_PAGE
from backend.models import (
    AgentRegistration, AuditLog, Booking, Case, CalendarNotice, Place, RotaEntry, Slot, Staff,
)
from backend.services import cases
from backend.services.cases import Applicant
from backend.services.slots import generate_slots
from backend.services.staff import create_staff, set_password
from backend.services.scope import SYSTEM

PASSWORD = "Hq7#vLm2pX9w-Tz"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def hall(session, demo, clock):
    """The demo, with known passwords, a manager of another town (城东), and slots."""
    for username in ("manager", "agent1", "agent3", "admin", "inspector"):
        set_password(session, SYSTEM,
                     session.scalar(select(Staff).where(Staff.username == username)), PASSWORD)
    create_staff(session, SYSTEM, username="manager-cd", password=PASSWORD, role="place_manager",
                 name="城东经理", place_codes=["BS-CD"], now=clock.now())
    generate_slots(session, clock.now(), 14)
    session.commit()


@pytest.fixture
def sign_in(client, hall):
    def sign_in(username: str):
        client.post("/admin/logout")
        response = client.post("/admin/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, text(response)
        return client
    return sign_in


@pytest.fixture
def make_case(session, clock, make_citizen):
    def make(place: str = "BS-HALL", help_type: str = "proxy", item: str = "SB-001", **kw) -> Case:
        case = cases.create_case(
            session, make_citizen(), item_code=item, place_code=place, help_type=help_type,
            applicant=Applicant(name=kw.get("name", "王大爷"), phone=kw.get("phone")),
            material_codes=["SFZ", "HKB"],
            booking_code=None, special_group=None, now=clock.now(), number_prefix="BS")
        session.commit()
        return case
    return make


def act(client, case: Case, name: str, view: str = "case", **data):
    return client.post(f"/admin/{view}/act/{name}/?id={case.id}", data=data)


def status(session, case_id: int) -> str:
    session.expire_all()
    return session.get(Case, case_id).status


# --- cases -------------------------------------------------------------------------------------

def test_a_case_from_assignment_to_return(session, sign_in, make_case, clock):
    case = make_case()
    manager = sign_in("manager")
    listing = text(manager.get("/admin/case/"))
    assert case.number in listing and "王大爷" in listing and "时限状态" in listing
    page = text(manager.get(f"/admin/case/details/?id={case.id}"))
    # Only agents registered at the case's place are offered.
    assert "李帮办（agent1）" in page and "赵帮办" not in page
    assert act(manager, case, "assign", agent="agent1").status_code == 302
    assert session.get(Case, case.id).agent.username == "agent1"

    agent = sign_in("agent1")
    assert case.number in text(agent.get("/admin/my-cases/"))
    act(agent, case, "check", "my-cases", missing="JMYBCB", note_JMYBCB="社区开具")
    assert status(session, case.id) == "materials_incomplete"
    assert "一次性告知" in text(agent.get(f"/admin/my-cases/details/?id={case.id}"))
    cases.supplement(session, session.get(Case, case.id), session.get(Case, case.id).citizen,
                     ["JMYBCB"], clock.now())
    session.commit()
    act(agent, case, "check", "my-cases")
    assert status(session, case.id) == "accepted"
    act(agent, case, "handover", "my-cases", take_SFZ="1", original_SFZ="1", copies_SFZ="1",
        take_HKB="1", copies_HKB="1", citizen_confirmed="1")
    assert status(session, case.id) == "handed_over"
    act(agent, case, "agreement", "my-cases")
    assert status(session, case.id) == "in_progress"
    act(agent, case, "progress", "my-cases", note="已提交人社局")
    act(agent, case, "complete", "my-cases", note="已办结")
    assert status(session, case.id) == "completed"
    act(agent, case, "return", "my-cases", take_SFZ="1", original_SFZ="1", copies_SFZ="1")
    assert status(session, case.id) == "returned"
    story = text(agent.get(f"/admin/my-cases/details/?id={case.id}"))
    for words in ("材料交接", "原件退还", "已提交人社局", "纸质"):
        assert words in story
    # Every step is audited as the agent.
    agent_id = session.scalar(select(Staff.id).where(Staff.username == "agent1"))
    assert session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.staff_id == agent_id, AuditLog.entity == "service_case")) >= 6


def test_a_refused_action_shows_the_service_message_and_saves_nothing(session, sign_in,
                                                                     make_case):
    case = make_case()
    client = sign_in("manager")
    before = session.scalar(select(func.count()).select_from(AuditLog))
    response = act(client, case, "reject", reason="   ")
    assert response.status_code == 302
    assert "请填写不予受理的理由" in text(client.get(response.location))
    # Handover needs the citizen's confirmation, the service says; nothing is written.
    act(client, case, "check")
    response = act(client, case, "handover", take_SFZ="1", copies_SFZ="1")
    assert "材料交接须经申请人当面确认" in text(client.get(response.location))
    assert status(session, case.id) == "accepted"
    assert not session.get(Case, case.id).receipts
    assert session.scalar(select(func.count()).select_from(AuditLog)) > before  # the accept only


def test_a_domain_error_under_admin_is_a_page_not_json(sign_in):
    client = sign_in("manager")
    response = client.get("/admin/bookings/?date=2026-13-45")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "日期格式应为 YYYY-MM-DD" in text(response) and "未保存任何更改" in text(response)


def test_filters_find_the_red_cases(session, sign_in, make_case, clock):
    red, fresh = make_case(name="超期甲"), make_case(name="新件乙")
    client = sign_in("manager")
    act(client, red, "check")
    clock.at += timedelta(days=30)
    # The deadline filter: its index among the view's filters is 1, option "red".
    listing = text(client.get("/admin/case/?flt1_1=red"))
    assert "超期甲" in listing and "新件乙" not in listing
    assert "红灯超期" in listing
    assert "新件乙" in text(client.get("/admin/case/?search=新件"))


def test_the_case_list_pages_as_the_staff_api_does(session, sign_in, make_case, clock):
    """PER_PAGE cases a page, newest first, under the exact total; the next page holds the
    rest."""
    made = []
    for _ in range(PER_PAGE + 1):
        made.append(make_case())
        clock.at += timedelta(minutes=1)
    client = sign_in("manager")
    first, second = text(client.get("/admin/case/")), text(client.get("/admin/case/?page=1"))
    assert f"共 {PER_PAGE + 1} 条" in first and f"共 {PER_PAGE + 1} 条" in second
    on_first = [case.number for case in made if case.number in first]
    on_second = [case.number for case in made if case.number in second]
    assert len(on_first) == PER_PAGE and on_second == [made[0].number]
    assert first.index(made[-1].number) < first.index(made[-2].number)


def list_row(page: str, number: str) -> str:
    """The inner HTML of the list row showing case `number`."""
    return re.search(rf"<tr>((?:(?!</tr>).)*{number}(?:(?!</tr>).)*)</tr>", page, re.S).group(1)


def row_cells(page: str, number: str) -> list[tuple[str, str]]:
    """The (column, inner HTML) of each column cell of the list row showing case `number`."""
    return re.findall(r'<td class="col-(\w+)">(.*?)</td>', list_row(page, number), re.S)


def test_the_case_list_shows_every_column_and_action_a_manager_needs(session, sign_in,
                                                                     make_case, clock):
    """Each row of the list template writes out its cells: the same columns as the header
    (CaseView.column_list), each as a manager reads it, the row's checkbox for assigning many
    and its link to the case page; an agent's own list has no checkbox."""
    from admin.cases import CaseView
    case = make_case(phone="13800138000")
    manager = sign_in("manager")
    act(manager, case, "assign", agent="agent1")
    act(manager, case, "check")
    clock.at += timedelta(days=30)
    session.expire_all()
    case = session.get(Case, case.id)
    page = text(manager.get("/admin/case/"))
    header = re.findall(r'<th class="column-header col-([\w-]+)"', page)
    cells = dict(row_cells(page, case.number))
    assert header == [column for column, _ in row_cells(page, case.number)] == CaseView.column_list
    created = case.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert {column: cells[column] for column in ("number", "applicant_name", "item", "place",
                                                 "help_type", "status", "due_date", "agent",
                                                 "created_at")} == {
        "number": case.number, "applicant_name": "王大爷", "item": case.item.name,
        "place": case.place.name, "help_type": "代办", "status": "已受理",
        "due_date": str(case.due_date), "agent": Staff.label(case.agent.name, "agent1"),
        "created_at": created}
    assert 'deadline-red">红灯超期</span>' in cells["deadline"]
    assert "13800138000" not in page  # the applicant's phone is not on the list
    row = list_row(page, case.number)
    assert f'name="rowid" class="action-checkbox" value="{case.id}"' in row
    assert re.search(rf'href="/admin/case/details/\?url=[^"]*&amp;id={case.id}"', row)
    assert manager.get(re.search(r'href="(/admin/case/details/[^"]*)"', row).group(1).replace(
        "&amp;", "&")).status_code == 200
    assert "表中没有任何记录" in text(manager.get("/admin/case/?search=无此人"))

    agent = sign_in("agent1")
    own = text(agent.get("/admin/my-cases/"))
    assert dict(row_cells(own, case.number)) == cells
    assert 'name="rowid"' not in own and "/admin/my-cases/details/" in own


def test_the_case_list_total_is_exact_under_every_filter(session, sign_in, make_case, clock):
    """共 N 条 counts exactly the rows each filter, search and sort lists, within the scope (the
    filters as the list numbers them: 0 status, 1 deadline state, 2 help type, 3 agent, 4 item,
    5 place, 6 application date)."""
    from admin.cases import CaseView
    red = make_case(name="超期甲")
    assisted = make_case(name="帮办乙", help_type="assist")
    assigned = make_case(name="指派丙")
    elsewhere = make_case(place="BS-CD", name="城东丁")
    manager = sign_in("manager")
    act(manager, red, "check")
    act(manager, assigned, "assign", agent="agent2")  # the others have the agent on duty
    clock.at += timedelta(days=30)
    agent2 = session.scalar(select(Staff.id).where(Staff.username == "agent2"))
    item = session.scalar(select(Case.item_id).where(Case.id == red.id))
    town = session.scalar(select(Place.id).where(Place.code == "BS-CD"))
    before = f"{clock.now() - timedelta(days=60):%Y-%m-%d} to {clock.now() - timedelta(days=40):%Y-%m-%d}"
    around = f"{clock.now() - timedelta(days=31):%Y-%m-%d} to {clock.now():%Y-%m-%d}"
    ours = {red, assisted, assigned}
    expected = {
        "": ours,
        "?flt0_0=submitted": {assisted, assigned},
        "?flt0_0=accepted&flt1_1=red": {red},
        "?flt0_0=submitted&flt1_1=red": set(),
        "?flt0_1=normal": {assisted, assigned},
        "?flt0_2=assist": {assisted},
        f"?flt0_3={agent2}": {assigned},
        f"?flt0_4={item}": ours,
        f"?flt0_5={town}": set(),  # another place's cases stay out of scope
        f"?flt0_6={around}": ours,
        f"?flt0_6={before}": set(),
        "?search=帮办乙": {assisted},
        "?flt0_0=submitted&sort=7&desc=1": {assisted, assigned},
        # A key that is no key is refused (the list says so) and the list left unfiltered.
        "?flt0_3=abc": ours,
        f"?flt0_3={2**31}": ours,
    }
    for query, shown in expected.items():
        page = text(manager.get(f"/admin/case/{query}"))
        assert f"共 {len(shown)} 条" in page, query
        assert {c.number for c in ours | {elsewhere} if c.number in page} == {
            c.number for c in shown}, query

    # Every sort the header offers, each way, lists the same rows.
    sorts = set(re.findall(r'<th class="column-header[^"]*">\s*<a href="([^"]+)"',
                           text(manager.get("/admin/case/?flt0_0=submitted"))))
    assert len(sorts) == len(CaseView.column_sortable_list)
    for url in sorts:
        for way in ("", "&desc=1"):
            page = text(manager.get(unescape(url) + way))
            assert "共 2 条" in page and assisted.number in page and assigned.number in page

    admin = sign_in("admin")  # every place
    assert "共 4 条" in text(admin.get("/admin/case/"))
    page = text(admin.get(f"/admin/case/?flt0_5={town}"))
    assert "共 1 条" in page and elsewhere.number in page


def test_the_application_date_filter_takes_boshans_days(sign_in, make_case, clock):
    """申请日期 is a range of Boshan's days: a case made at 07:30 in Boshan (23:30 UTC the day
    before) is of that day, and the range ends with its last day's end."""
    clock.at = clock.at.replace(hour=7, minute=30)
    early = make_case(name="早到甲")
    clock.at = clock.at.replace(hour=23, minute=59)
    late = make_case(name="晚到乙")
    client = sign_in("manager")
    for days, shown in {"2026-11-30 to 2026-11-30": {early, late},
                        "2026-11-29 to 2026-11-29": set(),
                        "2026-12-01 to 2026-12-02": set()}.items():
        page = text(client.get(f"/admin/case/?flt0_6={days}"))
        assert f"共 {len(shown)} 条" in page, days
        assert {c.number for c in (early, late) if c.number in page} == {
            c.number for c in shown}, days


def test_bulk_assignment_is_all_or_nothing(session, sign_in, make_case):
    first, second = make_case(), make_case()
    client = sign_in("manager")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      text(client.get("/admin/case/"))).group(1)
    response = client.post("/admin/case/action/", data={"action": "assign", "csrf_token": token,
                                                        "rowid": [str(first.id), str(second.id)]})
    assert response.status_code == 302
    page = text(client.get(response.location))
    assert "2 个办件" in page and "李帮办（agent1）" in page
    client.post(response.location, data={"agent": "agent1"})
    session.expire_all()
    assert {c.agent.username for c in session.scalars(select(Case))} == {"agent1"}


# --- the floor ---------------------------------------------------------------------------------

def test_bookings_of_the_day_and_check_in(session, sign_in, clock, make_booking):
    # Open for booking (from 09:30) and for check-in (from an hour before its start).
    slot = session.scalar(select(Slot).join(Place).where(
        Place.code == "BS-HALL", Slot.date == clock.now().date(), Slot.kind == "regular",
        Slot.start_time.between(time(9, 30), time(10, 0))).order_by(Slot.start_time))
    booking = make_booking(slot)
    client = sign_in("agent1")
    page = text(client.get("/admin/bookings/"))
    assert booking.code in page and "服务时段" in page and "1 / " in page
    response = client.post(f"/admin/bookings/check-in/{booking.code}")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Booking, booking.id).status == "checked_in"
    # Too early for a no-show: refused with the service's message.
    other = make_booking(slot)
    response = client.post(f"/admin/bookings/no-show/{other.code}")
    assert "不能标记未到" in text(client.get(response.location))
    assert session.get(Booking, other.id).status == "booked"


def _saturday_entry(session) -> RotaEntry:
    return session.scalar(select(RotaEntry).join(Place).where(Place.code == "BS-HALL")
                          .order_by(RotaEntry.date)
                          .where(func.strftime("%w", RotaEntry.date) == "6")
                          if session.get_bind().dialect.name == "sqlite" else
                          select(RotaEntry).join(Place).where(
                              Place.code == "BS-HALL",
                              func.extract("dow", RotaEntry.date) == 6).order_by(RotaEntry.date))


def test_removing_a_saturday_from_the_rota_asks_first(session, sign_in, make_booking):
    entry = _saturday_entry(session)
    slot = session.scalar(select(Slot).where(Slot.place_id == entry.place_id,
                                             Slot.date == entry.date, Slot.kind == "weekend"))
    booking = make_booking(slot)
    client = sign_in("manager")
    response = client.post(f"/admin/rota/remove/?id={entry.id}")
    page = text(response)
    assert response.status_code == 200 and "确认取消值班" in page
    assert re.search(r'class="cancel-count">1<', page)
    session.expire_all()
    assert session.get(RotaEntry, entry.id) is not None  # nothing changed yet
    assert session.get(Booking, booking.id).status == "booked"
    response = client.post(f"/admin/rota/remove/?id={entry.id}", data={"confirm": "1"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(RotaEntry, entry.id) is None
    cancelled = session.get(Booking, booking.id)
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", "hall")
    assert "值班安排调整" in cancelled.cancel_reason


def test_the_district_admin_enters_a_year_notice(session, sign_in):
    client = sign_in("admin")
    assert "2027年的节假日调休安排尚未录入" in text(client.get("/admin/calendar/"))
    response = client.post("/admin/calendar/", data={
        "year": "2027", "title": "国务院办公厅关于2027年部分节假日安排的通知",
        "holidays": "元旦,2027-01-01,2027-01-03\n春节,2027-02-05,2027-02-13",
        "workdays": "2027-02-20,春节"})
    assert response.status_code == 302
    page = text(client.get("/admin/calendar/"))
    assert "2027年的节假日调休安排尚未录入" not in page and "2027年：国务院办公厅" in page
    # A bad line is listed and nothing is entered.
    response = client.post("/admin/calendar/", data={"year": "2028", "title": "通知",
                                                     "holidays": "元旦,2028-01-01"})
    assert "放假安排第1行" in text(response)
    assert session.get(CalendarNotice, 2028) is None


# --- staff, registry, catalogue ----------------------------------------------------------------

def test_staff_accounts_and_the_registry(session, sign_in, make_case):
    client = sign_in("admin")
    response = client.post("/admin/staff/create/", data={
        "username": "agent9", "name": "钱帮办", "role": "agent", "places": ["BS-HALL"],
        "department": "RSJ", "password": "short", "training_course": "帮办代办业务培训",
        "trained_on": "2026-11-20", "training_hours": "8", "training_provider": "区政务服务管理办"})
    assert "密码太短" in text(response)
    assert session.scalar(select(Staff).where(Staff.username == "agent9")) is None
    untrained = client.post("/admin/staff/create/", data={
        "username": "agent9", "name": "钱帮办", "role": "agent", "places": ["BS-HALL"],
        "department": "RSJ", "password": PASSWORD})
    assert "培训记录" in text(untrained)
    assert session.scalar(select(Staff).where(Staff.username == "agent9")) is None
    client.post("/admin/staff/create/", data={
        "username": "agent9", "name": "钱帮办", "role": "agent", "places": ["BS-HALL"],
        "department": "RSJ", "password": PASSWORD, "training_course": "帮办代办业务培训",
        "trained_on": "2026-11-20", "training_hours": "8", "training_provider": "区政务服务管理办"})
    agent9 = session.scalar(select(Staff).where(Staff.username == "agent9"))
    assert agent9 is not None and agent9.registrations
    client.post(f"/admin/staff/account/deactivate/?id={agent9.id}")
    session.expire_all()
    assert not session.get(Staff, agent9.id).active

    case = make_case()
    manager = sign_in("manager")
    act(manager, case, "assign", agent="agent1")
    registration = session.scalar(select(AgentRegistration).join(Staff).where(
        Staff.username == "agent1"))
    response = manager.post(f"/admin/registration/end/?id={registration.id}")
    assert response.location == "/admin/reassign/"
    assert case.number in text(manager.get("/admin/reassign/"))
    session.expire_all()
    assert session.get(AgentRegistration, registration.id).ended_on is not None
    # The other town's manager cannot end a registration of this place.
    other = session.scalar(select(AgentRegistration).join(Staff).where(Staff.username == "agent2"))
    cd = sign_in("manager-cd")
    assert cd.post(f"/admin/registration/end/?id={other.id}").status_code == 404


def test_the_district_admin_changes_a_role_on_the_staff_page(session, sign_in, make_case):
    case = make_case()
    act(sign_in("manager"), case, "assign", agent="agent1")
    client = sign_in("admin")
    agent1 = session.scalar(select(Staff).where(Staff.username == "agent1"))
    admin = session.scalar(select(Staff).where(Staff.username == "admin"))
    assert "变更角色" in text(client.get(f"/admin/staff/details/?id={agent1.id}"))

    response = client.post(f"/admin/staff/account/role/?id={agent1.id}",
                           data={"role": "place_manager"}, follow_redirects=True)

    page = text(response)
    assert "角色已由帮办代办员改为场所管理员" in page and "待重新指派" in page
    session.expire_all()
    assert session.get(Staff, agent1.id).role == "place_manager"
    assert all(r.ended_on is not None for r in session.get(Staff, agent1.id).registrations)
    assert case.number in text(client.get("/admin/reassign/"))
    # Not one's own; the refusal is the service's, and nothing changes.
    response = client.post(f"/admin/staff/account/role/?id={admin.id}",
                           data={"role": "inspector"}, follow_redirects=True)
    assert "不能更改自己的角色" in text(response)
    session.expire_all()
    assert session.get(Staff, admin.id).role == "district_admin"


def test_catalogue_file_import_lists_every_problem_and_export_round_trips(session, sign_in):
    client = sign_in("admin")
    bad = {"places": [{"code": "X", "name": "", "level": "moon"}], "items": [{"code": "Y"}]}
    response = client.post("/admin/catalog-file/", data={
        "file": (io.BytesIO(json.dumps(bad).encode()), "bad.json")},
        content_type="multipart/form-data", follow_redirects=True)
    page = text(response)
    assert "文件有误，未导入任何内容" in page and "$.places[0].level" in page
    assert "$.items[0].name" in page
    assert session.scalar(select(Place).where(Place.code == "X")) is None
    exported = client.get("/admin/catalog-file/export")
    data = json.loads(exported.get_data())
    assert any(p["self_service_devices"] for p in data["places"])
    response = client.post("/admin/catalog-file/", data={
        "file": (io.BytesIO(json.dumps(data).encode()), "catalog.json")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "导入完成：无变化" in text(response)


def test_district_admin_edits_a_place_through_the_import_checks(session, sign_in):
    client = sign_in("admin")
    place = session.scalar(select(Place).where(Place.code == "BS-CD-V01"))
    form = text(client.get(f"/admin/place/edit/?id={place.id}"))
    assert "设有自助设备" in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post(f"/admin/place/edit/?id={place.id}", follow_redirects=True, data={
        "csrf_token": token, "name": place.name, "level": "district", "address": "", "phone": "", "latitude": "",
        "longitude": "", "self_service_devices": "y"})
    session.expire_all()
    # A village under a town cannot become a district hall: refused, nothing saved.
    assert "不能隶属于" in text(response)
    assert session.get(Place, place.id).level == "village"
    client.post(f"/admin/place/edit/?id={place.id}", data={
        "csrf_token": token, "name": place.name, "level": "village", "address": "", "phone": "", "latitude": "",
        "longitude": "", "self_service_devices": "y"})
    session.expire_all()
    assert session.get(Place, place.id).self_service_devices is True


def test_an_idle_session_ends(hall, database_url, clock):
    # An app of its own: the shared test app context would cache the signed-in user.
    from tests.conftest import make_test_app
    from backend.extensions import db
    other = make_test_app(database_url, SECRET_KEY="idle-secret")
    client = other.test_client()
    try:
        client.post("/admin/login", data={"username": "manager", "password": PASSWORD})
        clock.at += timedelta(minutes=29)
        assert client.get("/admin/case/").status_code == 200
        clock.at += timedelta(minutes=29)
        assert client.get("/admin/case/").status_code == 200  # each request counts as activity
        clock.at += timedelta(minutes=31)
        assert client.get("/admin/case/").location.startswith("/admin/login")
    finally:
        with other.app_context():
            db.engine.dispose()


def test_the_list_addresses_are_flask_admins(app):
    """A list's addresses (pager, sort headers, search, filters) are written as Flask-Admin's
    own _get_list_url writes them with url_for, for any page, sort, search, size and filter."""
    from flask_admin.contrib.sqla import ModelView
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "admin_case")
    for query in ("", "?page=3", "?sort=7&desc=1&flt0_0=in_progress&flt1_1=red",
                  "?search=王+大爷&page_size=50&x=a%26b", "?flt0_6=2026-11-01+to+2026-11-30&sort=0"):
        with app.test_request_context(f"/admin/case/{query}"):
            args = view._get_list_extra_args()
            for variant in (args, args.clone(page=None), args.clone(sort=5, sort_desc=1),
                            args.clone(page=0, search=None, filters=None)):
                assert view._get_list_url(variant) == ModelView._get_list_url(view, variant)
            page_url = view.page_urls(args)
            for number in (0, 1, 7):
                assert page_url(number) == ModelView._get_list_url(
                    view, args.clone(page=number or None)), (query, number)


def test_the_case_lists_pager_is_flask_admins(sign_in, make_case, monkeypatch):
    """The case list writes its pager itself (ScopedModelView.pager_links): the same links as
    Flask-Admin's pager macro, on the first, a middle and the last of many pages."""
    from flask import render_template_string
    from admin.cases import CaseView
    monkeypatch.setattr(CaseView, "page_size", 1)
    for n in range(12):
        make_case(name=f"申请人{n}")
    client = sign_in("manager")
    app = client.application

    def squeeze(html: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()
    for page in (0, 5, 11):
        html = text(client.get(f"/admin/case/?page={page}"))
        ours = html[html.index('<ul class="pagination">'):]
        ours = ours[:ours.index("</ul>") + 5]
        with app.test_request_context(f"/admin/case/?page={page}"):
            view = next(v for v in app.extensions["admin"][0]._views
                        if v.endpoint == "admin_case")
            page_url = view.page_urls(view._get_list_extra_args())
            theirs = render_template_string(
                "{% import 'admin/lib.html' as lib %}{{ lib.pager(page, 12, page_url) }}",
                page=page, page_url=page_url)
        assert squeeze(ours) == squeeze(theirs), page


def test_reads_its_page_did_not_wait_for_end_with_the_request(sign_in, make_case, monkeypatch):
    """A list's filters' options and its count are read beside the page, in turn on one
    connection (admin.reads); when the page fails before it asks for them, the request still
    waits for them before it ends."""
    from flask import g
    from admin import reads
    make_case()
    client = sign_in("manager")
    started, futures = [], []
    submit, read_beside = reads.READS.submit, reads.read_beside
    monkeypatch.setattr(reads.READS, "submit",
                        lambda *args: started.append(submit(*args)) or started[-1])
    monkeypatch.setattr(reads, "read_beside",
                        lambda *statements: futures.extend(read_beside(*statements)) or futures)

    def fail(statement, params=None):
        raise RuntimeError("the page fails after its reads started")
    monkeypatch.setattr("admin.cases.read", fail)
    with pytest.raises(RuntimeError):
        client.get("/admin/case/")
    assert len(started) == 1 and started[0].done() and started[0].exception() is None
    assert len(futures) == 2 and all(read.done() for read in futures)
    assert futures[1].result() == [(1,)]  # the count, read after the options
    assert "admin_list_total" not in g and "admin_reads" not in g


def test_a_read_beside_that_fails_fails_every_read_after_it(app, monkeypatch):
    """Reads beside a page share a connection: when one fails, those after it fail with it
    (nothing waits for them forever), and the request's end still waits for the task."""
    from sqlalchemy import literal_column, select
    from admin import reads
    with app.test_request_context():
        first, second = reads.read_beside(select(literal_column("no_such_column")),
                                           select(literal_column("1")))
        with pytest.raises(Exception):
            first.result(timeout=30)
        with pytest.raises(Exception):
            second.result(timeout=30)
        reads.finish_reads()


def test_the_case_list_reads_a_page_in_a_few_statements(hall, database_url, make_case):
    """A page costs the same few statements whatever it holds (bench/admin_cases.py times it):
    the signed-in staff member with their places and the calendar's notice years, the page with
    its items, places and agents, the filters' options, the count."""
    from sqlalchemy import event
    from backend.extensions import db
    from tests.conftest import make_test_app
    # An app of its own: each request gets its own app context and session, as in production
    # (the shared test app context would keep the signed-in user between requests).
    other = make_test_app(database_url, SECRET_KEY="statements-secret")
    manager = other.test_client()
    manager.post("/admin/login", data={"username": "manager", "password": PASSWORD})
    with other.app_context():
        engine = db.engine

    def statements_for_a_page() -> int:
        seen = []
        listen = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert manager.get("/admin/case/?flt0_0=submitted").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    try:
        make_case()
        few = statements_for_a_page()
        for _ in range(5):
            make_case(name="李四")
        assert statements_for_a_page() == few <= 5
    finally:
        engine.dispose()


def test_a_place_manager_registers_only_the_agents_of_their_places(session, sign_in):
    """The registration form lists, and the service registers, the agents a manager may
    register: those of the places they run (a district admin: every active agent)."""
    manager = sign_in("manager")  # runs BS-HALL
    assert agent_choices(manager) == {"agent1", "agent2"}
    # Nor by a forged form: another place's agent does not exist for them, nothing is written.
    registrations = session.scalar(select(func.count()).select_from(AgentRegistration))
    response = manager.post("/admin/registration/register/", data={
        "agent": "agent4", "places": ["BS-HALL"], "department": "RSJ"})
    assert "没有用户名为 agent4 的工作人员账号" in text(response)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AgentRegistration)) == registrations
    agent4 = session.scalar(select(Staff).where(Staff.username == "agent4"))
    assert [p.code for p in agent4.places] == ["BS-CD"]

    assert agent_choices(sign_in("admin")) == {"agent1", "agent2", "agent3", "agent4"}


def agent_choices(client) -> set[str]:
    page = text(client.get("/admin/registration/register/"))
    select = re.search(r'<select id="agent".*?</select>', page, re.S)[0]
    return set(re.findall(r'<option value="([^"]+)"', select))
