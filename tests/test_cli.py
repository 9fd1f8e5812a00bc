"""The command line (docs/api.md "Command line"), run through Flask's CLI runner."""
from __future__ import annotations

import copy
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import (
    AgentRegistration, Booking, CalendarNotice, CalendarOverride, Case, Citizen, Department, Place,
    RotaEntry, ScheduleRule, ServiceItem, Staff,
)
from backend.domain.schedules import ROTA_KINDS, serves
from backend.services.calendar import load_calendar
from backend.services.demo import HISTORY_SIZES, HistorySize
from backend.services.catalog import import_catalog
from backend.services.staff import verify_password
from backend.services.scope import SYSTEM
from tests.factories import TRAINING_OPTIONS

STRONG_PASSWORD = "Lk8#pz-Qm2vT-wq"
SEED_CATEGORIES = {"人口计生", "劳动就业", "创业创新咨询", "社会保险", "福利救助", "低保办理"}
NOTICE_2027 = {
    "year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
    "workdays": [{"date": "2027-02-20", "name": "春节"}],
}
UNCONFIRMED_2027 = "2027年的节假日调休安排尚未录入"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, read afresh, in primary-key order."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def catalog_in_db(session, example_catalog):
    import_catalog(session, SYSTEM, example_catalog)
    session.commit()


# catalog-import ---------------------------------------------------------------------------------

def test_catalog_import_of_the_api_example(cli, write_json, example_catalog):
    result = cli("catalog-import", write_json(example_catalog))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "新增：场所 1，部门 1，部门站所 1，事项 1，材料 1，排班规则 1")
    assert (count(Place), count(Department), count(ServiceItem), count(ScheduleRule)) == (
        1, 1, 1, 1)


def test_catalog_import_twice_changes_nothing(cli, write_json, example_catalog):
    path = write_json(example_catalog)
    cli("catalog-import", path)
    before = snapshot()

    result = cli("catalog-import", path)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "无变化"
    assert snapshot() == before


def test_catalog_import_of_a_broken_file_lists_every_problem(cli, write_json, example_catalog):
    example_catalog["items"][0]["department"] = "NOPE"
    example_catalog["items"][0]["places"] = ["BS-HALL", "ELSEWHERE"]
    example_catalog["stations"].append({"place": "BS-HALL", "department": "GHOST"})
    before = snapshot()

    result = cli("catalog-import", write_json(example_catalog))

    assert result.exit_code == 1
    assert "文件有误" in result.stderr
    for line in ("$.items[0].department: 未知的部门 NOPE",
                 "$.items[0].places[1]: 未知的场所 ELSEWHERE",
                 "$.stations[1].department: 未知的部门 GHOST"):
        assert line in result.stderr
    assert "共 3 处问题，未写入任何内容。" in result.stderr
    assert result.stdout == ""
    assert snapshot() == before


def test_catalog_import_of_a_broken_update_keeps_the_old_catalogue(cli, write_json,
                                                                   example_catalog,
                                                                   catalog_in_db):
    before = snapshot()
    example_catalog["items"][0]["name"] = "新名称"
    example_catalog["schedules"][0]["capacity"] = 0

    result = cli("catalog-import", write_json(example_catalog))

    assert result.exit_code == 1
    assert "$.schedules[0].capacity" in result.stderr
    assert snapshot() == before


def test_catalog_import_of_invalid_json(cli, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"places": [', encoding="utf-8")

    result = cli("catalog-import", str(path))

    assert result.exit_code != 0
    assert "不是有效的 JSON" in result.output and str(path) in result.output
    assert "Traceback" not in result.output
    assert count(Place) == 0


def test_catalog_import_of_a_missing_file(cli, tmp_path):
    path = tmp_path / "nowhere.json"
    result = cli("catalog-import", str(path))

    assert result.exit_code != 0
    assert "无法读取文件" in result.output and str(path) in result.output
    assert not isinstance(result.exception, (OSError, ValueError))


def test_catalog_import_of_a_non_object(cli, write_json):
    result = cli("catalog-import", write_json([1, 2, 3]))
    assert result.exit_code == 1
    assert "$: 目录文件应为 JSON 对象" in result.stderr


# create-user ------------------------------------------------------------------------------------

@pytest.fixture
def create_user(cli, catalog_in_db):
    def run(username="wangfang", *options: str, password: str = STRONG_PASSWORD,
            input: str | None = None):
        options = options or ("--role", "agent", "--name", "王芳", "--place", "BS-HALL",
                              "--department", "RSJ")
        if "agent" in options:
            options = (*options, *TRAINING_OPTIONS)
        return cli("create-user", username, *options,
                   input=input if input is not None else password + "\n")
    return run


def staff_named(username: str) -> Staff | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Staff).where(Staff.username == username))


def test_create_user_stores_only_a_hash(create_user):
    result = create_user()

    assert result.exit_code == 0, result.output
    assert "已创建账号 wangfang（帮办代办员）" in result.stdout
    staff = staff_named("wangfang")
    assert (staff.role, staff.name, [p.code for p in staff.places], staff.active) == (
        "agent", "王芳", ["BS-HALL"], True)
    assert staff.password_hash != STRONG_PASSWORD
    assert verify_password(staff, STRONG_PASSWORD) is True
    assert verify_password(staff, STRONG_PASSWORD + "x") is False
    assert STRONG_PASSWORD not in repr(snapshot())
    assert STRONG_PASSWORD not in result.output


def test_create_user_reads_only_the_first_line_of_stdin(create_user):
    result = create_user(input=STRONG_PASSWORD + "\r\nsomething else\n")

    assert result.exit_code == 0, result.output
    staff = staff_named("wangfang")
    assert verify_password(staff, STRONG_PASSWORD) is True
    assert verify_password(staff, STRONG_PASSWORD + "\r\nsomething else") is False


def test_create_user_with_department_and_no_place(create_user, session):
    result = create_user("district1", "--role", "district_admin", "--department", "RSJ")

    assert result.exit_code == 0, result.output
    staff = staff_named("district1")
    assert (staff.role, staff.name, staff.department.code, staff.places) == (
        "district_admin", "district1", "RSJ", [])


@pytest.mark.parametrize("password, reason", [
    ("Kq8#vX2p", "密码太短"),                     # 8 characters
    ("", "密码太短"),                             # empty first line
    ("password123456", "密码太弱"),                # common
    ("wangfang2026", "密码太弱"),                  # the username and a year
    ("Wangfang-19880512", "密码太弱"),             # the username and a birthday
], ids=["short", "empty", "common", "username-and-year", "username-and-birthday"])
def test_create_user_refuses_a_weak_password(create_user, password, reason):
    result = create_user(password=password)

    assert result.exit_code == 1
    assert reason in result.stderr
    assert count(Staff) == 0


@pytest.mark.parametrize("options, field, message", [
    (("--role", "agent", "--place", "NOPE"), "place", "未知的场所 NOPE"),
    (("--role", "agent", "--place", "BS-HALL", "--department", "NOPE"), "department",
     "未知的部门 NOPE"),
    (("--role", "agent"), "place", "至少需要一个场所"),
    (("--role", "place_manager"), "place", "至少需要一个场所"),
    (("--role", "agent", "--name", "名" * 51, "--place", "BS-HALL"), "name", "1至50个字符"),
], ids=["unknown-place", "unknown-department", "agent-without-place",
        "manager-without-place", "long-name"])
def test_create_user_refuses_bad_options(create_user, options, field, message):
    result = create_user("wangfang", *options)

    assert result.exit_code == 1
    assert f"  {field}: " in result.stderr and message in result.stderr
    assert count(Staff) == 0


def test_create_user_refuses_a_taken_username(create_user):
    assert create_user().exit_code == 0
    first_hash = staff_named("wangfang").password_hash

    result = create_user(password="Another-Str0ng-Phrase")

    assert result.exit_code == 1
    assert "用户名 wangfang 已存在" in result.stderr
    assert count(Staff) == 1
    assert staff_named("wangfang").password_hash == first_hash


@pytest.mark.parametrize("username", ["1abc", "ab", "王芳", "with space"])
def test_create_user_refuses_a_bad_username(create_user, username):
    result = create_user(username)
    assert result.exit_code == 1
    assert "username" in result.stderr
    assert count(Staff) == 0


def test_create_user_refuses_an_unknown_role(create_user):
    result = create_user("wangfang", "--role", "superuser", "--place", "BS-HALL")
    assert result.exit_code != 0
    assert count(Staff) == 0


# seed-demo --------------------------------------------------------------------------------------

PASSWORD_LINE = re.compile(r"^\s+(\S+)\s+\S+\s+密码：(\S+)$", re.MULTILINE)


@pytest.fixture
def seeded(cli):
    """`seed-demo` run once, without the history (tests/test_demo.py has it); returns its
    result."""
    result = cli("seed-demo", "--no-history")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def query(statement):
    return db.session.scalars(statement).all()


def test_seed_demo_prints_passwords_that_work(seeded):
    printed = dict(PASSWORD_LINE.findall(seeded.stdout))

    assert len(printed) == count(Staff) >= 4
    for username, password in printed.items():
        assert verify_password(staff_named(username), password) is True
    assert "演示目录：新增：" in seeded.stdout


def test_seed_demo_has_one_account_per_role(seeded):
    roles = set(query(sa.select(Staff.role)))
    assert roles == {"agent", "place_manager", "district_admin", "inspector", "guide"}


def test_seed_demo_catalogue_covers_the_seed_categories(seeded):
    items = query(sa.select(ServiceItem))
    assert len(items) >= 20
    assert SEED_CATEGORIES <= {item.category for item in items}
    assert any(item.category == "企业开办" and len(item.departments_involved) >= 3
               for item in items)
    assert any(item.category == "建设项目" for item in items)
    assert all(item.materials and item.places for item in items)


def test_seed_demo_places_and_departments(seeded):
    assert count(Department) >= 8
    places = query(sa.select(Place))
    towns_with_villages = {p.parent.code for p in places
                           if p.level == "village" and p.parent.level == "town"}
    assert len(towns_with_villages) >= 3
    assert sum(p.level == "department_hall" for p in places) >= 2
    assert sum(p.level == "district" for p in places) == 1


def test_seed_demo_rota_only_where_off_hours_sessions_run(seeded):
    calendar = load_calendar(db.session)
    entries = query(sa.select(RotaEntry))
    assert entries
    for entry in entries:
        rules = query(sa.select(ScheduleRule).where(ScheduleRule.place_id == entry.place_id,
                                                    ScheduleRule.kind.in_(ROTA_KINDS)))
        assert any(serves(rule, calendar.day(entry.date)) for rule in rules), entry.date
        assert entry.place in entry.staff.places
        assert entry.staff.role == "agent"


def test_seed_demo_rota_covers_the_booking_window(seeded, clock, app):
    last = max(query(sa.select(RotaEntry.date)))
    window_end = clock.now().date() + timedelta(days=app.config["BOOKING_WINDOW_DAYS"])
    assert last >= window_end


def test_seed_demo_registers_every_agent_at_one_of_its_places(seeded):
    agents = query(sa.select(Staff).where(Staff.role == "agent"))
    assert agents
    for agent in agents:
        registrations = query(sa.select(AgentRegistration).where(
            AgentRegistration.staff_id == agent.id))
        assert registrations, agent.username
        assert all(r.station.place in agent.places for r in registrations)


def test_seed_demo_a_second_time_creates_nothing(seeded, cli):
    before = snapshot()

    result = cli("seed-demo")

    assert result.exit_code == 0, result.output
    assert snapshot() == before
    assert "密码：" not in result.output
    assert PASSWORD_LINE.search(result.output) is None
    assert "工作人员账号已存在，未重新生成密码。" in result.stdout
    assert "演示目录：无变化" in result.stdout
    assert "轮班：无变化" in result.stdout


def test_seed_demo_keeps_the_passwords_of_existing_accounts(seeded, cli):
    printed = dict(PASSWORD_LINE.findall(seeded.stdout))
    cli("seed-demo")
    for username, password in printed.items():
        assert verify_password(staff_named(username), password) is True


@pytest.fixture
def history_size(monkeypatch):
    """`--size small` as a few weeks of a quiet district: the command's wiring, not the size."""
    monkeypatch.setitem(HISTORY_SIZES, "small", HistorySize(
        days=21, citizens=12, bookings_per_day=4, online_cases_per_day=0.5, booking_case_share=0.2))


def test_seed_demo_builds_the_history_on_an_empty_database_once(cli, history_size):
    first = cli("seed-demo", "--size", "small", "--seed", "11")

    assert first.exit_code == 0, first.output
    assert re.search(r"^演示历史：2026-11-09 至 2026-11-30 09:00（21 天，规模 small，种子 11）$",
                     first.stdout, re.MULTILINE)
    assert re.search(r"^用时 \d+\.\d 秒。$", first.stdout, re.MULTILINE)
    assert len(PASSWORD_LINE.findall(first.stdout)) == count(Staff)
    assert count(Case) and count(Booking) and count(Citizen)
    before = snapshot()

    again = cli("seed-demo", "--size", "small", "--seed", "11")

    assert again.exit_code == 0, again.output
    assert "未生成演示历史（演示历史只在空数据库上生成）" in again.stdout
    assert "演示目录：无变化" in again.stdout and "轮班：无变化" in again.stdout
    assert PASSWORD_LINE.search(again.output) is None
    assert snapshot() == before


def test_seed_demo_without_history_loads_no_citizen_booking_or_case(seeded):
    assert count(Citizen) == count(Booking) == count(Case) == 0
    assert "演示历史" not in seeded.stdout


# calendar-import and calendar-status ------------------------------------------------------------

def test_calendar_status_warns_about_2027_until_its_notice_is_imported(cli, write_json):
    before = cli("calendar-status")
    assert before.exit_code == 0
    assert UNCONFIRMED_2027 in before.stderr

    imported = cli("calendar-import", write_json(NOTICE_2027))
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[0] == "节假日安排已录入：新增 4 天，更新 0 天，删除 0 天。"

    after = cli("calendar-status")
    assert after.exit_code == 0
    assert UNCONFIRMED_2027 not in after.output
    assert "未来各年的节假日安排均已确认。" in after.stdout


def test_calendar_import_stores_the_notice(cli, write_json):
    cli("calendar-import", write_json(NOTICE_2027))

    db.session.expire_all()
    overrides = query(sa.select(CalendarOverride).order_by(CalendarOverride.date))
    assert [(o.date.isoformat(), o.is_workday, o.name, o.notice_year) for o in overrides] == [
        ("2027-01-01", False, "元旦", 2027), ("2027-01-02", False, "元旦", 2027),
        ("2027-01-03", False, "元旦", 2027), ("2027-02-20", True, "春节", 2027)]
    [notice] = query(sa.select(CalendarNotice))
    assert (notice.year, notice.title) == (2027, NOTICE_2027["title"])


def test_calendar_import_twice_changes_nothing(cli, write_json):
    path = write_json(NOTICE_2027)
    cli("calendar-import", path)
    before = snapshot()

    result = cli("calendar-import", path)

    assert result.stdout.splitlines()[0] == "节假日安排已录入：新增 0 天，更新 0 天，删除 0 天。"
    assert snapshot() == before


def _notice(**changes) -> dict:
    notice = copy.deepcopy(NOTICE_2027)
    notice.update(changes)
    return notice


@pytest.mark.parametrize("notice, path", [
    (_notice(holidays=[{"name": "元旦", "start": "2027-01-03", "end": "2027-01-01"}]),
     "$.holidays[0].end"),
    (_notice(workdays=[{"date": "2027-01-04", "name": "元旦"}]),  # a Monday
     "$.workdays[0].date"),
    (_notice(holidays=[{"name": "国庆节", "start": "2028-10-01", "end": "2028-10-03"}]),
     "$.holidays[0]"),
    (_notice(workdays=[{"date": "2026-06-06", "name": "端午节"}]),  # a Saturday, but of 2026
     "$.workdays[0].date"),
    (_notice(year="2027"), "$.year"),
    (_notice(holidays=[{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03",
                        "note": "x"}]), "$.holidays[0].note"),
], ids=["end-before-start", "makeup-on-weekday", "holiday-outside-year",
        "workday-outside-year", "year-as-text", "unknown-key"])
def test_calendar_import_refuses_a_bad_notice(cli, write_json, notice, path):
    result = cli("calendar-import", write_json(notice))

    assert result.exit_code == 1
    assert f"  {path}: " in result.stderr
    assert "未写入任何内容" in result.stderr
    assert count(CalendarOverride) == count(CalendarNotice) == 0


def test_calendar_import_lists_every_date_problem(cli, write_json):
    notice = _notice(holidays=[{"name": "国庆节", "start": "2028-10-01", "end": "2028-10-01"}],
                     workdays=[{"date": "2027-01-04", "name": "元旦"}])

    result = cli("calendar-import", write_json(notice))

    assert result.exit_code == 1
    assert "  $.holidays[0]: " in result.stderr
    assert "  $.workdays[0].date: " in result.stderr
    assert "共 2 处问题" in result.stderr
