"""The operation log (操作日志) reads as the district's inspectors speak: who (a name and role, or
系统), what (the record's Chinese name and public identifier), where, each field by its label and
old → new as a person reads it; personal data stays ***; the system's own changes are left out
unless asked for; filters by who, kind of record, place and date. No word of English reaches the
page: every field of every audited table has a label."""
from __future__ import annotations

import json
import re
from datetime import time, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.infrastructure.audit import NOT_AUDITED, SYSTEM, act_as
from backend.models import (
    AuditLog, Booking, Case, Department, Material, Place, RotaEntry, ScheduleRule, ServiceItem,
    Slot, Staff,
)
from backend.services import booking as booking_service
from backend.services import cases
from backend.services.audit_log import SYSTEM_ACTOR, log_entries
from backend.services.cases import Applicant
from backend.services.catalog.edits import remove_rota_entry
from backend.services.labels import RECORDS, field_label
from backend.services.slots import change_and_regenerate, generate_slots
from backend.services.staff import set_password
from tests.page_text import english_words, visible_text

PASSWORD = "Hq7#vLm2pX9w-Tz"
PHONE, ID_NUMBER = "13912345678", "11010519491231002X"


def identifiers(session) -> set[str]:
    found = set()
    for column in (Staff.username, Place.code, Department.code, ServiceItem.code, Material.code,
                   Booking.code, Case.number):
        found |= set(session.scalars(select(column)))
    return found


def compact(text: str) -> str:
    """Text without its white space, to find phrases the markup spreads over several nodes."""
    return re.sub(r"\s+", "", text)


def the_log(html: str) -> str:
    """The page's log table (its header, entries and filters' chosen values aside)."""
    return html.split('class="table table-striped table-bordered table-hover model-list audit-log"',
                      1)[1].split("</table>", 1)[0]


@pytest.fixture
def logged(session, demo, clock, client, make_citizen, make_booking):
    """Changes of several kinds, as staff and the system make them: the system generates the
    slots and takes in two cases (one with a phone and ID number), each given to agent1 by default;
    the manager gives one to agent2, cancels a
    booking for the hall (a Core statement) and takes an agent off the rota; the agent issues a
    one-time notice; the admin creates an account (with its password) through the admin."""
    staff = {s.username: s for s in session.scalars(select(Staff))}
    for member in staff.values():
        set_password(session, SYSTEM, member, PASSWORD)
    now = clock.now()

    act_as(session, SYSTEM)
    generate_slots(session, now, 14)
    proxy = cases.create_case(
        session, make_citizen(), item_code="SB-001", place_code="BS-HALL", help_type="proxy",
        applicant=Applicant(name="王秀英", phone=PHONE, id_number=ID_NUMBER),
        material_codes=["SFZ"], booking_code=None, special_group=None, now=now,
        number_prefix="BS")
    assist = cases.create_case(
        session, make_citizen(), item_code="SB-001", place_code="BS-HALL", help_type="assist",
        applicant=Applicant(name="赵建国"), material_codes=["SFZ"], booking_code=None,
        special_group=None, now=now, number_prefix="BS")
    session.commit()
    act_as(session, None)
    slot = session.scalar(select(Slot).join(Place).where(
        Place.code == "BS-HALL", Slot.date == now.date() + timedelta(days=1),
        Slot.kind == "regular").order_by(Slot.start_time))
    booking = make_booking(slot)

    act_as(session, staff["manager"].id)
    cases.assign(session, proxy, staff["manager"], "agent2", now)
    booking_service.cancel_by_hall(session, booking, "大厅临时停电", now)
    entry = session.scalar(select(RotaEntry).join(Place).where(
        Place.code == "BS-HALL", RotaEntry.date > now.date()).order_by(RotaEntry.date))
    change_and_regenerate(session, staff["manager"],
                          lambda s: remove_rota_entry(s, staff["manager"], entry, now.date()),
                          now, 14, {entry.place_id})
    session.commit()
    act_as(session, staff["agent1"].id)
    cases.check_materials(session, assist, [("HKB", "到户籍派出所开具")], staff["agent1"], now)
    session.commit()
    act_as(session, None)

    client.post("/admin/login", data={"username": "admin", "password": PASSWORD})
    created = client.post("/admin/staff/create/", data={
        "username": "newagent", "name": "孙新", "role": "inspector", "password": PASSWORD})
    assert created.status_code == 302
    return {"staff": staff, "proxy": proxy, "assist": assist, "booking": booking, "entry": entry}


def every_page(client, query: str) -> tuple[str, str]:
    """The first page of the log as asked, and the text of its entries on every page."""
    first = client.get(f"/admin/audit-log/?{query}").get_data(as_text=True)
    pages = [first] + [client.get(f"/admin/audit-log/?{query}&page={n}").get_data(as_text=True)
                       for n in range(1, (total(first) + 19) // 20)]
    return first, " ".join(visible_text(the_log(page)) for page in pages)


def test_a_log_page_speaks_chinese_for_every_kind_of_change(session, logged, client):
    html, log = every_page(client, "flt0_5=all")
    assert english_words(log, identifiers(session)) == []
    assert english_words(visible_text(html.split("<body", 1)[1]), identifiers(session)) == []
    for said in (
            "张经理（场所管理员）", "李帮办（帮办代办员）", "区政务服务管理办管理员（区政务服务管理办）",
            SYSTEM_ACTOR, f"办件 {logged['proxy'].number}", f"预约 {logged['booking'].code}",
            "帮办代办员：李帮办（帮办代办员） → 王代办（帮办代办员）",  # a foreign key by name
            "状态：已预约 → 已取消", "取消方：（空） → 大厅",       # statuses by their labels
            "取消原因：（空） → 大厅临时停电",
            "状态：已提交，待审查材料 → 材料不全，待补正",
            "一次性告知", "告知补正的材料", "办理环节：材料不全，一次性告知需补正的材料",
            "值班", "删除", "工作人员 newagent", "角色：督查人员", "密码：***",
            "预约时段 BS-HALL", "时段类型：正常",
            "博山区政务服务中心"):                                  # the place column
        assert compact(said) in compact(log), said
    # Instants in the halls' time, as the admin writes them elsewhere.
    assert compact("取消时间：（空） → 2026-11-30 09:00") in compact(log)


def test_personal_data_stays_hidden(session, logged, client):
    html, log = every_page(client, "flt0_5=system")
    for secret in (PHONE, ID_NUMBER, "王秀英", PASSWORD, "openid-"):
        assert secret not in log and secret not in html, secret
    for hidden in ("申请人电话：***", "申请人身份证号码：***", "申请人：***"):
        assert hidden in compact(log)


def test_the_systems_changes_are_left_out_unless_asked_for(session, logged, client):
    html = client.get("/admin/audit-log/").get_data(as_text=True)
    log = visible_text(the_log(html))
    assert SYSTEM_ACTOR not in log
    assert "不含系统自动完成的变更" in html and "一并显示系统操作" in html
    staff_made = session.scalar(select(db.func.count()).select_from(AuditLog)
                                .where(AuditLog.staff_id.is_not(None)))
    everything = session.scalar(select(db.func.count()).select_from(AuditLog))
    assert f"共 {staff_made} 条" in html and staff_made < everything
    link = re.search(r'<a href="([^"]+)">一并显示系统操作</a>', html).group(1)
    shown = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f"共 {everything} 条" in shown and "不含系统自动完成的变更" not in shown
    only = client.get("/admin/audit-log/?flt0_5=system").get_data(as_text=True)
    assert f"共 {everything - staff_made} 条" in only
    assert "张经理" not in visible_text(the_log(only))


def filter_index(html: str, label: str) -> int:
    groups = json.loads(unescape(re.search(r'id="filter-groups-data"[^>]*>([^<]*)<', html)
                                 .group(1)))
    return groups[label][0]["index"]


def total(html: str) -> int:
    return int(re.search(r"共 (\d+) 条", html).group(1))


def test_the_filters_choose_who_what_where_and_when(session, logged, client, clock):
    page = client.get("/admin/audit-log/").get_data(as_text=True)
    assert [filter_index(page, label) for label in ("操作", "操作人", "对象类型", "场所", "日期",
                                                    "操作来源")] == [0, 1, 2, 3, 4, 5]
    staff = logged["staff"]
    count = lambda **where: session.scalar(  # noqa: E731
        select(db.func.count()).select_from(AuditLog).filter_by(**where))

    by_agent = client.get(f"/admin/audit-log/?flt0_1={staff['agent1'].id}").get_data(as_text=True)
    assert total(by_agent) == count(staff_id=staff["agent1"].id) > 0
    assert "张经理" not in visible_text(the_log(by_agent))

    bookings = client.get("/admin/audit-log/?flt0_2=booking").get_data(as_text=True)
    assert total(bookings) == 1 and logged["booking"].code in bookings

    cd = session.scalar(select(Place).where(Place.code == "BS-CD"))
    hall = session.scalar(select(Place).where(Place.code == "BS-HALL"))
    assert total(client.get(f"/admin/audit-log/?flt0_3={cd.id}").get_data(as_text=True)) == 0
    at_hall = client.get(f"/admin/audit-log/?flt0_3={hall.id}&flt1_5=all").get_data(as_text=True)
    assert total(at_hall) == count(place_id=hall.id) > 0

    today = clock.now().date()
    assert total(client.get(f"/admin/audit-log/?flt0_4={today} to {today}")
                 .get_data(as_text=True)) == count() - count(staff_id=None)
    yesterday = today - timedelta(days=1)
    assert total(client.get(f"/admin/audit-log/?flt0_4={yesterday} to {yesterday}")
                 .get_data(as_text=True)) == 0

    searched = client.get(f"/admin/audit-log/?search={logged['assist'].number}"
                          ).get_data(as_text=True)
    assert total(searched) == count(entity_key=logged["assist"].number, staff_id=staff["agent1"].id)
    assert client.get("/admin/audit-log/?flt0_1=abc").status_code == 200  # refused, not a 500


def test_entries_name_records_by_their_public_identifier_and_place(session, logged):
    """Written as the change happens: a case's rows by the case's number, a slot by its place,
    day and time, a rota entry by its place and day; each with its place."""
    rows = session.scalars(select(AuditLog)).all()
    hall = session.scalar(select(Place.id).where(Place.code == "BS-HALL"))
    assist = logged["assist"].number
    keys = {(r.entity, r.entity_key, r.place_id) for r in rows}
    assert {("service_case", assist, hall), ("case_event", assist, hall),
            ("missing_material_notice", assist, hall), ("notice_line", assist, hall),
            ("booking", logged["booking"].code, hall),
            ("rota_entry", f"BS-HALL {logged['entry'].date}", hall),
            ("staff", "newagent", None)} <= keys
    slot_keys = [k for e, k, p in keys if e == "slot"]
    assert slot_keys and all(re.fullmatch(r"BS-[A-Z0-9-]+ \d{4}-\d\d-\d\d \d\d:\d\d", k)
                             for k in slot_keys)


def test_an_entry_written_otherwise_is_still_read_in_chinese(session, clock):
    """Old entries keyed by a row's number, a field since removed, weekdays that are no days,
    a value that is not JSON: read, never a failure."""
    session.add_all([
        AuditLog(at=clock.now(), staff_id=None, action="update", entity="slot", entity_key="17",
                 changes='{"gone_field": [1, 2], "start_time": ["09:00:00", "09:30:00"]}'),
        AuditLog(at=clock.now(), staff_id=None, action="update", entity="schedule_rule",
                 entity_key="3", changes='{"weekdays": ["1,2,3,4,5", "6,7"], "capacity": [1, 2]}'),
        AuditLog(at=clock.now(), staff_id=None, action="update", entity="schedule_rule",
                 entity_key="4", changes='{"weekdays": ["9", ","]}'),
        AuditLog(at=clock.now(), staff_id=None, action="update", entity="booking",
                 entity_key="X", changes="not json")])
    session.commit()
    entries = log_entries(session, session.scalars(select(AuditLog).order_by(AuditLog.id)).all(),
                          clock.now().tzinfo)
    assert entries[0].identifier == "编号 17"
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("已停用的字段", "1", "2"), ("开始时间", "09:00", "09:30")]
    assert [(c.old, c.new) for c in entries[1].changes] == [
        ("周一、周二、周三、周四、周五", "周六、周日"), ("1", "2")]
    assert [(c.old, c.new) for c in entries[2].changes] == [("9", ",")]
    assert entries[3].changes == []


def test_every_field_of_every_audited_record_has_a_label():
    tables = db.metadata.tables
    audited = [name for name in tables if name not in NOT_AUDITED | {
        "staff_place", "item_place", "item_department", "audit_log",
        # Association tables, as staff_place: the log records column changes of rows, and these
        # have no rows of their own (who attended, the members …).
        "meeting_attendee", "meeting_department", "inspection_inspector", "key_project_member",
    }] + ["notification"]
    missing = [f"{table}.{column.name}" for table in audited for column in tables[table].c
               if column.name != "id" and field_label(table, column.name) is None]
    assert missing == []
    assert set(audited) <= set(RECORDS)


def test_a_schedule_change_reads_its_times_and_days(session, demo, clock):
    rule = session.scalar(select(ScheduleRule).order_by(ScheduleRule.id))
    act_as(session, SYSTEM)
    rule.start_time, rule.weekdays = time(8, 30), "1,3"
    session.commit()
    act_as(session, None)
    [entry] = log_entries(session, session.scalars(select(AuditLog)).all(), clock.now().tzinfo)
    assert entry.record == "预约排班规则" and entry.identifier.startswith(rule.place.code + " 08:30-")
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["开始时间"][1] == "08:30" and changes["适用星期"][1] == "周一、周三"

