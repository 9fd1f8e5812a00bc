"""The admin portal: sign-in, role and place scoping, read-only catalogue, calendar banner."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask_login import login_user
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash
from wtforms.validators import ValidationError

from admin.auth import StaffUser
from admin.base import ScopedModelView
from admin.floor import ScheduleRuleView
from backend.extensions import db
from backend.models import (
    Department, Material, Place, RotaEntry, ScheduleRule, ServiceItem, Staff, Station,
)
from backend.services.calendar import import_calendar
from backend.services.catalog import import_catalog
from backend.services.staff import create_staff
from backend.services.scope import SYSTEM
from tests.conftest import make_test_app
from tests.factories import trained

PASSWORD = "Hq7#vLm2pX9w-Tz"
ROLES = ["agent", "place_manager", "district_admin", "inspector"]
LOGIN_FAILED = "用户名或密码错误"
WARNING_2027 = "2027年的节假日调休安排尚未录入"
NOTICE_2027 = {"year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知",
               "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
               "workdays": []}
# A second place, so that place scoping has something to hide.
OTHER_PLACE = {
    "places": [{"code": "BS-CD", "name": "城东街道便民服务中心", "level": "town", "parent": None,
                "address": "博山区城东街道", "phone": "0533-4200000"}],
    "departments": [], "stations": [{"place": "BS-CD", "department": "RSJ"}], "items": [],
    "schedules": [{"place": "BS-CD", "kind": "weekend", "weekdays": [6],
                   "start": "14:00", "end": "17:30", "slot_minutes": 30, "capacity": 2}],
    "rota": [],
}


@pytest.fixture
def catalog(session, example_catalog):
    import_catalog(session, SYSTEM, example_catalog)
    import_catalog(session, SYSTEM, OTHER_PLACE)
    session.commit()


@pytest.fixture
def make_staff(session, clock, catalog):
    def make(role: str, username: str | None = None, places: tuple[str, ...] = ("BS-HALL",),
             **kw) -> Staff:
        kw.setdefault("name", {"agent": "李帮办", "place_manager": "张经理",
                               "district_admin": "管理办", "inspector": "督查员"}[role])
        kw.setdefault("department_code", "RSJ" if role == "agent" else None)
        kw.setdefault("training", trained(clock.now()))
        with_places = role in ("agent", "place_manager")
        staff = create_staff(session, SYSTEM, username=username or role.replace("_", "-"),
                             password=PASSWORD, role=role,
                             place_codes=list(places) if with_places else [], now=clock.now(), **kw)
        session.commit()
        return staff
    return make


def login(client, username: str, password: str = PASSWORD, next: str | None = None):
    url = "/admin/login" + (f"?next={quote(next, safe='')}" if next else "")
    return client.post(url, data={"username": username, "password": password})


@pytest.fixture
def signed_in(client, make_staff):
    """Sign in as a new staff member of `role` (at BS-HALL when the role has places)."""
    def sign_in(role: str, **kw) -> Staff:
        staff = make_staff(role, **kw)
        assert login(client, staff.username).status_code == 302
        return staff
    return sign_in


def page(response) -> str:
    return response.get_data(as_text=True)


def ids(session, model) -> list[int]:
    return list(session.scalars(select(model.id).order_by(model.id)))


def rule_at(session, place_code: str) -> ScheduleRule:
    return session.scalar(select(ScheduleRule).join(Place).where(Place.code == place_code))


# --- sign-in -------------------------------------------------------------------------------

def test_login_page_is_chinese(client):
    response = client.get("/admin/login")
    assert response.status_code == 200
    text = page(response)
    for words in ("帮办代办管理后台", "工作人员登录", "用户名", "密码", "登录"):
        assert words in text


@pytest.mark.parametrize("username, password", [
    ("agent", "wrong-password-123"),   # known user, wrong password
    ("nobody", PASSWORD),              # unknown user
    ("", ""),                          # nothing typed
])
def test_wrong_credentials_are_refused_with_one_message(client, make_staff, username, password):
    make_staff("agent")
    response = login(client, username, password)
    assert response.status_code == 200
    text = page(response)
    if username:
        assert LOGIN_FAILED in text
    else:
        assert "请输入用户名" in text and "请输入密码" in text
    # Nothing says which of the two was wrong.
    assert "用户名不存在" not in text and "密码错误" not in text.replace(LOGIN_FAILED, "")
    assert client.get("/admin/place/").status_code == 302


def test_wrong_passwords_lock_the_account_here_and_in_the_api_alike(client, clock, make_staff):
    make_staff("agent")
    for _ in range(4):
        assert LOGIN_FAILED in page(login(client, "agent", "wrong-password-123"))
    # The fifth comes through the API: the account has one count.
    assert client.post("/api/v1/staff/login", json={
        "username": "agent", "password": "wrong-password-123"}).status_code == 401
    response = login(client, "agent")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) == 15 * 60
    assert "登录失败次数过多，已暂时锁定，请于09:15后再试" in page(response)
    assert client.get("/admin/place/").status_code == 302
    clock.at += timedelta(minutes=15)
    assert login(client, "agent").status_code == 302


def test_district_admins_see_a_locked_account(client, signed_in, make_staff):
    agent = make_staff("agent")
    for _ in range(5):
        client.post("/api/v1/staff/login", json={"username": "agent", "password": "wrong-pw-123"})
    signed_in("district_admin")
    text = page(client.get(f"/admin/staff/details/?id={agent.id}"))
    assert "登录锁定至" in text and "2026-11-30 09:15" in text


def test_inactive_staff_cannot_sign_in(client, session, make_staff):
    staff = make_staff("agent")
    staff.active = False
    session.commit()
    response = login(client, "agent")
    assert response.status_code == 200 and LOGIN_FAILED in page(response)


def test_login_redirects_home_and_sets_a_safe_cookie(client, make_staff):
    make_staff("agent")
    response = login(client, "agent")
    assert response.status_code == 302
    # An agent lands on its own cases (我的办件).
    assert response.location == "/admin/my-cases/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = client.get("/admin/")
    assert home.status_code == 200
    assert "您好，李帮办！" in page(home) and "帮办代办员" in page(home)
    # Signed in already: the login page sends you on.
    assert client.get("/admin/login").location == "/admin/"


def test_login_follows_a_local_next(client, make_staff):
    make_staff("agent")
    response = login(client, "agent", next="/admin/place/?search=博山")
    assert response.location == "/admin/place/?search=" + quote("博山")


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example", "//evil.example/admin/", "/\\evil.example",
    "https:/evil.example/admin/", "javascript:alert(1)", "/api/v1/places", "/administrator",
    "admin/place/", "/admin/\r\nLocation: https://evil.example/",
])
def test_login_ignores_an_unsafe_next(client, make_staff, target):
    make_staff("agent")
    response = login(client, "agent", next=target)
    assert response.status_code == 302
    assert response.location == "/admin/"


@pytest.mark.parametrize("url", [
    "/admin/", "/admin/place/", "/admin/place/details/?id=1", "/admin/item/", "/admin/staff/",
    "/admin/schedule/", "/admin/rota/", "/admin/place/new/",
])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/admin/login"
    assert parse_qs(location.query)["next"] == [url]


def test_anonymous_redirect_round_trip(client, make_staff):
    make_staff("agent")
    to_login = client.get("/admin/item/?search=SB")
    assert to_login.location.startswith("/admin/login?next=")
    response = client.post(to_login.location, data={"username": "agent", "password": PASSWORD})
    assert response.location == "/admin/item/?search=SB"


def test_logout(client, signed_in):
    signed_in("agent")
    # A plain GET only asks for confirmation.
    confirm = client.get("/admin/logout")
    assert confirm.status_code == 200 and "确定要退出登录吗" in page(confirm)
    assert client.get("/admin/place/").status_code == 200
    response = client.post("/admin/logout")
    assert response.status_code == 302 and response.location == "/admin/login"
    assert "您已退出登录" in page(client.get("/admin/login"))
    assert client.get("/admin/place/").location.startswith("/admin/login")


def test_a_password_change_or_deactivation_ends_the_session(make_app, session, make_staff):
    # An app of its own: requests to `client` share the test's app context, and so Flask-Login's
    # per-context cache of the user.
    client = make_app(WTF_CSRF_ENABLED=False).test_client()
    staff = make_staff("agent")
    assert login(client, "agent").status_code == 302
    assert client.get("/admin/place/").status_code == 200
    staff.password_hash = generate_password_hash("another-Passw0rd!", "pbkdf2:sha256:1000")
    session.commit()
    assert client.get("/admin/place/").location.startswith("/admin/login")

    assert login(client, "agent", "another-Passw0rd!").status_code == 302
    staff.active = False
    session.commit()
    assert client.get("/admin/place/").location.startswith("/admin/login")


@pytest.fixture
def make_app(database_url, clock):
    """Another app on the test database, for settings the `app` fixture does not have."""
    made = []

    def make(**config):
        other = make_test_app(database_url, **{"CLOCK": clock, "SECRET_KEY": "other-secret",
                                               "WTF_CSRF_ENABLED": True, **config})
        made.append(other)
        return other
    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_login_form_refuses_a_post_without_csrf_token(make_app, make_staff):
    make_staff("agent")
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = login(client, "agent")
    assert response.status_code == 200
    assert "页面已过期" in page(response)
    assert client.get("/admin/place/").status_code == 302

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page(client.get("/admin/login"))).group(1)
    response = client.post("/admin/login", data={"username": "agent", "password": PASSWORD,
                                                  "csrf_token": token})
    assert response.location == "/admin/my-cases/"
    # Signing out needs the token too.
    assert client.post("/admin/logout").status_code == 200
    assert client.get("/admin/place/").status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page(client.get("/admin/"))).group(1)
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/place/").status_code == 302


# --- the catalogue -----------------------------------------------------------------------------

# view URL, model, what its list shows for the example catalogue
CATALOGUE_VIEWS = [
    ("place", Place, ["博山区政务服务中心", "区政务服务中心", "博山区中心路1号", "0533-4100000",
                      "编码", "级别", "上级场所"]),
    ("department", Department, ["RSJ", "区人力资源和社会保障局", "名称"]),
    ("station", Station, ["博山区政务服务中心", "区人力资源和社会保障局", "场所", "部门"]),
    ("item", ServiceItem, ["SB-001", "城乡居民基本养老保险参保登记", "社会保险", "免费", "帮办、代办",
                           "牵头部门", "承诺时限（工作日）"]),
    ("material", Material, ["居民身份证", "城乡居民基本养老保险参保登记", "所属事项", "份数"]),
    ("schedule", ScheduleRule, ["博山区政务服务中心", "正常", "周一、周二、周三、周四、周五", "09:00",
                                "12:00", "每段可约人数"]),
    ("rota", RotaEntry, ["2026-12-05", "博山区政务服务中心", "李帮办（agent-on-duty）", "值班人员"]),
]


@pytest.fixture
def rota(session, make_staff):
    make_staff("agent", username="agent-on-duty")
    import_catalog(session, SYSTEM, {"rota": [{"place": "BS-HALL", "date": "2026-12-05",
                                       "agent": "agent-on-duty"}]})
    session.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, model, shown", CATALOGUE_VIEWS, ids=[v[0] for v in CATALOGUE_VIEWS])
def test_catalogue_views_render_for_every_role(client, session, signed_in, rota, role, url, model,
                                               shown):
    signed_in(role)
    response = client.get(f"/admin/{url}/")
    assert response.status_code == 200
    text = page(response)
    for words in shown:
        assert words in text
    assert "服务目录" in text
    # Flask-Admin's own strings come in Chinese ("List", "View Record"); the list's total is
    # under the table, beside the pager.
    assert ">列表<" in text and 'title="查看记录"' in text
    rows = text.count('title="查看记录"')  # one details link a row; every row fits one page
    assert f'<div class="list-total text-muted">共 {rows} 条</div>' in text
    assert ">List<" not in text and "View Record" not in text

    first = ids(session, model)[0]
    details = client.get(f"/admin/{url}/details/?id={first}")
    assert details.status_code == 200
    assert ">详情</a>" in page(details) and ">Details<" not in page(details)
    for words in shown[:2]:
        assert words in page(details)


def test_item_details_show_materials_places_and_fee(client, session, signed_in):
    signed_in("agent")
    item_id = ids(session, ServiceItem)[0]
    text = page(client.get(f"/admin/item/details/?id={item_id}"))
    assert "居民身份证" in text and "服务场所" in text and "免费" in text


def test_place_filter_offers_chinese_levels(client, signed_in):
    signed_in("inspector")
    text = page(client.get("/admin/place/"))
    assert "添加筛选器" in text and 'type="submit">搜索</button>' in text
    assert 'placeholder="编码, 名称, 地址"' in text
    # No place has this level: it is there as a filter option.
    assert "部门专业分大厅" in text


@pytest.mark.parametrize("role", ["agent", "place_manager"])
@pytest.mark.parametrize("url, model", [("schedule", ScheduleRule), ("rota", RotaEntry)])
def test_place_owned_rows_are_scoped_to_own_places(client, session, signed_in, make_staff, role,
                                                   url, model):
    make_staff("agent", username="agent-cd", places=("BS-CD",))
    import_catalog(session, SYSTEM, {"rota": [{"place": "BS-CD", "date": "2026-12-05", "agent": "agent-cd"}]})
    session.commit()
    signed_in(role)
    listing = page(client.get(f"/admin/{url}/"))
    assert "城东街道便民服务中心" not in listing

    foreign = session.scalar(select(model.id).join(Place).where(Place.code == "BS-CD"))
    response = client.get(f"/admin/{url}/details/?id={foreign}")
    # Editing the URL opens nothing: the record "does not exist" for this user.
    assert response.status_code == 302
    followed = page(client.get(response.location))
    assert "记录不存在" in followed
    assert "城东街道便民服务中心" not in followed


@pytest.mark.parametrize("role", ["district_admin", "inspector"])
def test_district_roles_see_every_place(client, session, signed_in, role):
    signed_in(role)
    assert "城东街道便民服务中心" in page(client.get("/admin/schedule/"))
    foreign = rule_at(session, "BS-CD")
    assert client.get(f"/admin/schedule/details/?id={foreign.id}").status_code == 200


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "99999999999999999999", "-1", ""])
def test_bad_ids_in_the_url_find_nothing(client, signed_in, bad_id):
    signed_in("district_admin")
    response = client.get(f"/admin/place/details/?id={bad_id}")
    assert response.status_code == 302


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


# Places, departments, stations and items (with their materials) are edited by district admins
# (tests/test_admin_work.py, tests/test_admin_catalog.py); the rest change by importing a
# catalogue file, or (schedules, rota) through their own pages.
EDITABLE = ("place", "department", "station", "item")
READ_ONLY_VIEWS = [v for v in CATALOGUE_VIEWS if v[0] not in EDITABLE]


@pytest.mark.parametrize("url, model, _", READ_ONLY_VIEWS, ids=[v[0] for v in READ_ONLY_VIEWS])
def test_catalogue_cannot_be_changed(client, session, signed_in, rota, url, model, _):
    signed_in("district_admin")
    before = _count(session, model)
    first = ids(session, model)[0]
    attempts = [
        ("get", f"/admin/{url}/new/", {}),
        ("post", f"/admin/{url}/new/", {"code": "NEW", "name": "新建"}),
        ("get", f"/admin/{url}/edit/?id={first}", {}),
        ("post", f"/admin/{url}/edit/?id={first}", {"code": "CHANGED", "name": "已修改"}),
        ("post", f"/admin/{url}/delete/", {"id": str(first)}),
        ("post", f"/admin/{url}/action/", {"action": "delete", "rowid": str(first)}),
        ("post", f"/admin/{url}/ajax/update/", {"list_form_pk": str(first), "name": "已修改"}),
    ]
    for method, target, data in attempts:
        response = getattr(client, method)(target, data=data)
        assert response.status_code in (302, 404), (method, target)
    assert _count(session, model) == before
    listing = page(client.get(f"/admin/{url}/"))
    assert "已修改" not in listing and "CHANGED" not in listing
    # Nothing on the page offers to change anything.
    for link in ("/new/", "/edit/", "/delete/"):
        assert f"/admin/{url}{link}" not in listing


@pytest.mark.parametrize("url, model, _", [v for v in CATALOGUE_VIEWS if v[0] in EDITABLE],
                         ids=EDITABLE)
def test_editable_catalogue_offers_only_its_own_changes(client, session, signed_in, rota, url,
                                                        model, _):
    """Stations are added and deleted, never edited; items and places are never deleted; no row
    changes in bulk or in the list."""
    signed_in("district_admin")
    before = _count(session, model)
    first = ids(session, model)[0]
    attempts = [
        ("post", f"/admin/{url}/action/", {"action": "delete", "rowid": str(first)}),
        ("post", f"/admin/{url}/ajax/update/", {"list_form_pk": str(first), "name": "已修改"}),
    ]
    if url == "station":
        attempts.append(("post", f"/admin/{url}/edit/?id={first}", {"place": "2"}))
    else:
        attempts.append(("post", f"/admin/{url}/delete/", {"id": str(first)}))
    for method, target, data in attempts:
        response = getattr(client, method)(target, data=data)
        assert response.status_code in (302, 404), (method, target)
    assert _count(session, model) == before
    assert "已修改" not in page(client.get(f"/admin/{url}/"))


# --- staff accounts -------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["agent", "place_manager", "inspector"])
def test_staff_view_is_for_district_admins_only(client, session, signed_in, role):
    staff = signed_in(role)
    for target in ("/admin/staff/", f"/admin/staff/details/?id={staff.id}"):
        response = client.get(target)
        assert response.status_code == 403
        assert "无权访问" in page(response)
    assert "工作人员" not in page(client.get("/admin/"))


def test_staff_view_never_shows_the_password_hash(client, session, signed_in, make_staff):
    admin = signed_in("district_admin")
    agent = make_staff("agent")
    pages = [client.get("/admin/staff/"), client.get(f"/admin/staff/details/?id={agent.id}"),
             client.get(f"/admin/staff/details/?id={admin.id}"),
             client.get("/admin/staff/?search=pbkdf2")]
    for response in pages:
        assert response.status_code == 200
        text = page(response)
        for hash_ in (admin.password_hash, agent.password_hash):
            assert hash_ not in text and hash_.split("$")[-1] not in text
        assert "pbkdf2" not in text.replace("search=pbkdf2", "").replace('value="pbkdf2"', "")
    listing = page(pages[0])
    assert "agent" in listing and "帮办代办员" in listing and "区政务服务管理办" in listing
    assert "2026-11-30 09:00" in listing  # created_at, in Boshan time on both databases
    # Searching the hash finds no one.
    assert "/admin/staff/details/" not in page(pages[3])
    assert client.get("/admin/staff/export/csv/").status_code == 302


# --- the menu bar ---------------------------------------------------------------------------

def _menu(html: str) -> tuple[list[str], list[str]]:
    """The menu bar's links and the active ones, as the page shows them."""
    bar = html[html.index('id="admin-navbar-collapse"'):html.index("</nav>")]
    links = re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"', bar)
    active = re.findall(r'<a class="dropdown-item active[^"]*" href="([^"]+)"', bar)
    active += re.findall(r'<li class="active">\s*<a class="nav-link[^"]*" href="([^"]+)"', bar)
    return links, active


def test_each_role_sees_its_own_menu_and_the_page_it_is_on(client, catalog, make_staff):
    """The menu bar is drawn once per role and page (admin.base.navigation) and kept: each
    role still sees exactly the pages it may open, whoever asked first, with the page it is on
    marked."""
    usernames = {role: make_staff(role).username for role in ROLES}
    menus = {}
    for _ in range(2):  # drawn, then from the cache
        for role, username in usernames.items():
            assert login(client, username).status_code == 302
            links, _ = _menu(page(client.get("/admin/")))
            assert menus.setdefault(role, links) == links, role
            for link in links:
                response = client.get(link)
                assert response.status_code == 200, (role, link)
                assert _menu(page(response)) == (links, [link]), (role, link)
            assert client.post("/admin/logout").status_code == 302
            assert any(link.startswith("/admin/staff/") for link in links) == (
                role == "district_admin"), role
    assert len({tuple(links) for links in menus.values()}) == len(ROLES)


# --- the calendar banner ------------------------------------------------------------------

def test_calendar_banner_until_the_notice_is_entered(client, session, clock, signed_in):
    signed_in("agent")
    for target in ("/admin/", "/admin/place/", "/admin/logout"):
        text = page(client.get(target))
        assert WARNING_2027 in text and "alert-warning" in text
    import_calendar(session, SYSTEM, NOTICE_2027, clock.now())
    session.commit()
    for target in ("/admin/", "/admin/place/"):
        assert WARNING_2027 not in page(client.get(target))


def test_calendar_banner_follows_the_clock(client, clock, signed_in):
    signed_in("inspector")
    clock.at = clock.at.replace(month=6)  # 2026-06-30: 2027 is beyond the 90-day horizon
    assert WARNING_2027 not in page(client.get("/admin/"))


def test_anonymous_login_page_has_no_banner(client, catalog):
    assert WARNING_2027 not in page(client.get("/admin/login"))


# --- the scoped base view, with forms ---------------------------------------------------------

class EditableScheduleView(ScheduleRuleView):
    """An editable place-owned view, to check what the base class guards when forms exist."""
    can_edit = True
    can_create = True
    # Not `kind`: Flask-Admin builds its enum select with tuple choices, which WTForms 3.3
    # deprecates (a third-party warning).
    form_columns = ["place", "slot_minutes", "capacity"]


@pytest.fixture
def editable(make_app):
    app = make_app(WTF_CSRF_ENABLED=False)
    app.extensions["admin"][0].add_view(EditableScheduleView(
        ScheduleRule, name="可编辑规则", endpoint="test_schedule_edit", url="schedule-edit"))
    return app.test_client()


def _secure_form_token(text: str) -> str:
    return re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)


def test_scoped_forms_cannot_reach_another_place(editable, session, make_staff):
    manager = make_staff("place_manager")
    assert login(editable, "place-manager").status_code == 302
    own, foreign = rule_at(session, "BS-HALL"), rule_at(session, "BS-CD")
    own_id, foreign_id = own.id, foreign.id
    cd = session.scalar(select(Place.id).where(Place.code == "BS-CD"))

    # Another place's rule cannot be opened for editing.
    response = editable.get(f"/admin/schedule-edit/edit/?id={foreign_id}")
    assert response.status_code == 302

    # The place choices offer only the manager's own place.
    form = page(editable.get(f"/admin/schedule-edit/edit/?id={own_id}"))
    assert "博山区政务服务中心" in form and "城东街道便民服务中心" not in form
    token = _secure_form_token(form)

    # Posting another place's id anyway is refused; nothing changes.
    editable.post(f"/admin/schedule-edit/edit/?id={own_id}",
                  data={"csrf_token": token, "place": str(cd), "kind": "regular",
                        "slot_minutes": "30", "capacity": "4"})
    session.expire_all()
    assert rule_at(session, "BS-HALL").id == own_id
    assert session.get(ScheduleRule, own_id).place.code == "BS-HALL"

    # Without the SecureForm token, nothing is saved either.
    editable.post(f"/admin/schedule-edit/edit/?id={own_id}",
                  data={"place": str(own.place_id), "kind": "regular", "slot_minutes": "30",
                        "capacity": "9"})
    session.expire_all()
    assert session.get(ScheduleRule, own_id).capacity == 4

    # Past the choices, the base view itself refuses a row moved out of scope on save.
    app = editable.application
    view = next(v for v in app.extensions["admin"][0]._views if isinstance(v, EditableScheduleView))
    with app.test_request_context():
        login_user(StaffUser(db.session.get(Staff, manager.id)))
        rule = db.session.get(ScheduleRule, own_id)
        rule.place_id = cd
        with pytest.raises(ValidationError, match="无权在该场所保存此记录"):
            view.on_model_change(None, rule, False)
        db.session.rollback()

    # With the token, within scope, the change is saved.
    editable.post(f"/admin/schedule-edit/edit/?id={own_id}",
                  data={"csrf_token": token, "place": str(own.place_id), "kind": "regular",
                        "slot_minutes": "30", "capacity": "6"})
    session.expire_all()
    assert session.get(ScheduleRule, own_id).capacity == 6


def test_every_model_view_is_scoped(app):
    views = [v for v in app.extensions["admin"][0]._views if hasattr(v, "model")]
    assert views and all(isinstance(v, ScopedModelView) for v in views)


def test_admin_requests_are_audited_as_the_signed_in_staff(client, session, example_catalog, clock):
    """The admin's views are read-only today; the hook that makes any admin change auditable is
    in place. (The test app shares one app context, so the request's session is this one.)"""
    from backend.models import AuditLog, Department
    from backend.services.catalog import import_catalog
    from backend.services.staff import create_staff
    import_catalog(session, SYSTEM, example_catalog)
    auditor = create_staff(session, SYSTEM, username="auditor1",
                           password="correct horse battery staple", role="district_admin",
                           name="审计", now=clock.now(), training=trained(clock.now()))
    session.commit()
    client.post("/admin/login", data={"username": "auditor1",
                                      "password": "correct horse battery staple"})
    assert client.get("/admin/").status_code == 200
    assert session.info.get("audit_actor") == auditor.id
    session.scalar(select(Department)).name = "区人社局"
    session.commit()
    [row] = session.scalars(select(AuditLog)).all()
    assert (row.staff_id, row.entity, row.action, row.entity_key) == (
        auditor.id, "department", "update", "RSJ")
    assert '"name": ["区人力资源和社会保障局", "区人社局"]' in row.changes
