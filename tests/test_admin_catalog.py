"""Catalogue editing in the admin: district admins station departments at places and remove
unused stations, create service items and edit them with their materials (added, changed,
reordered, removed); every save is one catalogue file entry through the import's own checks,
all or nothing, every problem on the page."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from backend.fields import PER_PAGE
from backend.models import (
    AgentRegistration, AuditLog, Department, Material, Place, ServiceItem, Staff, Station,
)
from backend.services import cases
from backend.services.cases import Applicant
from backend.services.staff import set_password
from backend.services.scope import SYSTEM

PASSWORD = "Hq7#vLm2pX9w-Tz"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def admin(client, session, demo):
    for username in ("admin", "manager"):
        set_password(session, SYSTEM,
                     session.scalar(select(Staff).where(Staff.username == username)), PASSWORD)
    session.commit()
    assert client.post("/admin/login", data={"username": "admin",
                                             "password": PASSWORD}).status_code == 302
    return client


def token(client, url: str) -> str:
    page = text(client.get(url))
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def place_id(session, code: str) -> int:
    return session.scalar(select(Place.id).where(Place.code == code))


def department_id(session, code: str) -> int:
    return session.scalar(select(Department.id).where(Department.code == code))


def station(session, place: str, department: str) -> Station | None:
    session.expire_all()
    return session.scalar(select(Station).where(
        Station.place_id == place_id(session, place),
        Station.department_id == department_id(session, department)))


def item_form(session, csrf: str, materials: list[dict], **fields) -> dict:
    """The item form as a browser posts it: materials as inline rows (`id` for existing ones)."""
    data = {"csrf_token": csrf, "name": "新办事项", "category": "测试", "commitment_days": "5",
            "fee": "", "department": str(department_id(session, "RSJ")),
            "help_types": ["assist", "proxy"], "places": [str(place_id(session, "BS-HALL"))],
            "departments_involved": []}
    data.update(fields)
    for i, m in enumerate(materials):
        for key, value in m.items():
            if key in ("original", "required"):
                if value:
                    data[f"materials-{i}-{key}"] = "y"
            elif key == "delete":
                data[f"del-materials-{i}"] = "on"
            else:
                data[f"materials-{i}-{key}"] = str(value)
    return data


def materials(session, code: str) -> list[tuple]:
    session.expire_all()
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == code))
    return [(m.code, m.name, m.copies, m.original, m.required, m.how_to_obtain)
            for m in item.materials]


def audited(session, entity: str, key: str) -> bool:
    admin_id = session.scalar(select(Staff.id).where(Staff.username == "admin"))
    return session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == entity, AuditLog.entity_key == key,
        AuditLog.staff_id == admin_id)) > 0


# --- stations ----------------------------------------------------------------------------------

def test_a_form_that_does_not_validate_says_so_in_chinese(admin, session):
    """Flask-Admin's "Failed to create record." is missing from its compiled Chinese catalogue:
    the portal's own catalogue (admin/translations) has it."""
    stations = session.scalar(select(func.count()).select_from(Station))
    csrf = token(admin, "/admin/station/new/")
    page = text(admin.post("/admin/station/new/", data={"csrf_token": csrf, "place": "",
                                                        "department": ""}))
    assert "创建记录失败。" in page and "Failed to create record." not in page
    assert session.scalar(select(func.count()).select_from(Station)) == stations


def test_a_delete_button_asks_without_an_inline_handler(admin, session):
    """The CSP refuses inline handlers: a row's delete button carries its question as data, for
    the portal's own script (the browser test answers it)."""
    page = text(admin.get("/admin/station/"))
    stations = session.scalar(select(func.count()).select_from(Station))
    # Every row of the first page (the list pages as the API does, PER_PAGE rows).
    assert stations > PER_PAGE and f"共 {stations} 条" in page
    assert page.count('data-confirm="确定要删除这条记录吗？"') == PER_PAGE
    assert "safeConfirm" not in page


def test_the_portals_catalogue_is_compiled_from_its_source():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po
    from admin import TRANSLATIONS
    folder = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES"
    with open(folder / "admin.po", "rb") as po, open(folder / "admin.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert {m.id: m.string for m in source if m.id} == {m.id: m.string for m in compiled if m.id}


def test_district_admin_stations_a_department_and_removes_it(admin, session):
    assert station(session, "BS-CD", "SCJGJ") is None
    csrf = token(admin, "/admin/station/new/")
    data = {"csrf_token": csrf, "place": str(place_id(session, "BS-CD")),
            "department": str(department_id(session, "SCJGJ"))}
    response = admin.post("/admin/station/new/", data=data, follow_redirects=True)
    assert response.status_code == 200
    created = station(session, "BS-CD", "SCJGJ")
    assert created is not None
    assert session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == "station", AuditLog.action == "create")) == 1

    # The same pair again: refused with the reason, nothing added.
    page = text(admin.post("/admin/station/new/", data=data, follow_redirects=True))
    assert "该部门已在该场所设有站所" in page
    assert session.scalar(select(func.count()).select_from(Station).where(
        Station.place_id == place_id(session, "BS-CD"))) == 5

    page = text(admin.post("/admin/station/delete/", data={"csrf_token": csrf, "id": created.id},
                           follow_redirects=True))
    assert "该部门站所仍在使用" not in page
    assert station(session, "BS-CD", "SCJGJ") is None
    assert session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == "station", AuditLog.action == "delete")) == 1


def test_a_station_in_use_is_not_deleted(admin, session, clock, make_citizen):
    csrf = token(admin, "/admin/station/")
    # A current registration (agent1 at the district hall's 人社 station).
    hall = station(session, "BS-HALL", "RSJ")
    registrations = session.scalar(select(func.count()).select_from(AgentRegistration))
    page = text(admin.post("/admin/station/delete/", data={"csrf_token": csrf, "id": hall.id},
                           follow_redirects=True))
    assert "该部门站所仍在使用，不能删除" in page and "请先结束其登记" in page
    assert station(session, "BS-HALL", "RSJ") is not None
    assert session.scalar(select(func.count()).select_from(AgentRegistration)) == registrations

    # Only ended registrations: the registry's history keeps it.
    for registration in session.scalars(select(AgentRegistration).where(
            AgentRegistration.station_id == hall.id)):
        registration.ended_on = clock.now().date()
    session.commit()
    page = text(admin.post("/admin/station/delete/", data={"csrf_token": csrf, "id": hall.id},
                           follow_redirects=True))
    assert "已结束的登记备案记录" in page
    assert station(session, "BS-HALL", "RSJ") is not None

    # No registration at all, but an open case its department leads there.
    new = station(session, "BS-CD-V01", "MZJ")
    session.execute(AgentRegistration.__table__.delete().where(
        AgentRegistration.station_id == new.id))
    cases.create_case(session, make_citizen(), item_code="FL-001", place_code="BS-CD-V01",
                      help_type="assist", applicant=Applicant(name="申请人"), material_codes=[],
                      booking_code=None, special_group=None, now=clock.now(), number_prefix="BS")
    session.commit()
    page = text(admin.post("/admin/station/delete/", data={"csrf_token": csrf, "id": new.id},
                           follow_redirects=True))
    assert "未办结的办件" in page
    assert station(session, "BS-CD-V01", "MZJ") is not None


def test_bulk_station_deletion_is_not_offered(admin):
    page = text(admin.get("/admin/station/"))
    assert "/admin/station/delete/" in page  # one row at a time
    assert 'value="delete"' not in page  # not the list's bulk action


# --- items and their materials -----------------------------------------------------------------

def test_district_admin_creates_an_item_with_materials(admin, session, client):
    csrf = token(admin, "/admin/item/new/")
    data = item_form(session, csrf, [
        {"code": "SQB", "name": "申请表", "copies": 2, "original": True, "required": True,
         "how_to_obtain": "窗口领取", "position": 2},
        {"code": "SFZ", "name": "居民身份证", "copies": "", "original": False, "required": True,
         "position": 1},
    ], code="NEW-001", fee="工本费10元", help_types=["proxy"],
        departments_involved=[str(department_id(session, "MZJ"))])
    response = admin.post("/admin/item/new/", data=data, follow_redirects=True)
    assert response.status_code == 200, text(response)
    # Ordered by 顺序; copies left blank take the file's default.
    assert materials(session, "NEW-001") == [
        ("SFZ", "居民身份证", 1, False, True, None), ("SQB", "申请表", 2, True, True, "窗口领取")]
    api = client.get("/api/v1/items/NEW-001").get_json()
    assert api["fee"] == "工本费10元" and api["help_types"] == ["proxy"]
    assert [m["code"] for m in api["materials"]] == ["SFZ", "SQB"]
    assert audited(session, "service_item", "NEW-001")


def test_creating_an_item_lists_every_problem_and_saves_nothing(admin, session):
    items = session.scalar(select(func.count()).select_from(ServiceItem))
    csrf = token(admin, "/admin/item/new/")
    data = item_form(session, csrf, [], code="SB-001", commitment_days="0", help_types=[],
                     places=[])
    page = text(admin.post("/admin/item/new/", data=data, follow_redirects=True))
    assert "未保存，请修改以下问题" in page and "事项编码 SB-001 已存在" in page
    assert "至少提供一种服务方式" in page and "至少指定一个服务场所" in page
    assert "承诺时限（工作日）: 应在1至365之间" in page  # named as the form names the field
    # Problems between entries (a material code twice, an unknown department), all at once.
    data = item_form(session, csrf, [
        {"code": "A", "name": "材料甲", "original": True, "required": True},
        {"code": "A", "name": "材料乙", "original": True, "required": True},
    ], code="NEW-002", department="", departments_involved=[str(department_id(session, "RSJ"))])
    page = text(admin.post("/admin/item/new/", data=data, follow_redirects=True))
    assert "材料“材料乙”·编码: 材料编码 A 在本事项中重复" in page
    assert "牵头部门: 未知的部门" in page
    assert session.scalar(select(ServiceItem.name).where(ServiceItem.code == "SB-001")) != "新办事项"
    assert session.scalar(select(func.count()).select_from(ServiceItem)) == items


def existing_rows(session, code: str) -> list[dict]:
    session.expire_all()
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == code))
    return [{"id": m.id, "code": m.code, "name": m.name, "copies": m.copies,
             "original": m.original, "required": m.required,
             "how_to_obtain": m.how_to_obtain or "", "position": m.position}
            for m in item.materials]


def test_district_admin_edits_an_item_and_its_materials(admin, session, client):
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == "JS-001"))
    url = f"/admin/item/edit/?id={item.id}"
    form = text(admin.get(url))
    assert "顺序" in form and "服务方式" in form and 'name="code"' not in form
    rows = existing_rows(session, "JS-001")
    assert [r["code"] for r in rows] == ["SFZ", "HKB", "JHZ", "SYDJB"]
    rows[0]["position"], rows[1]["position"] = 1, 0  # reorder: HKB first
    rows[2]["name"], rows[2]["copies"] = "结婚证（或离婚证）", 2  # edit
    rows[3]["delete"] = True  # remove
    rows.append({"code": "ZM", "name": "单位证明", "original": True, "required": False,
                 "position": ""})  # add, after the others
    data = item_form(session, token(admin, url), rows, name="生育登记（新）", fee="",
                     help_types=["assist"], commitment_days="3",
                     places=[str(place_id(session, "BS-HALL")), str(place_id(session, "BS-CD"))],
                     department=str(department_id(session, "WJJ")))
    response = admin.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200 and "alert-success" in text(response), text(response)
    assert materials(session, "JS-001") == [
        ("HKB", "居民户口簿", 1, False, True, "户籍所在地派出所办理"),
        ("SFZ", "居民身份证", 2, False, True, "户籍所在地派出所办理；夫妻双方身份证复印件各1份"),
        ("JHZ", "结婚证（或离婚证）", 2, False, True, "婚姻登记机关办理（区民政局婚姻登记处）"),
        ("ZM", "单位证明", 1, True, False, None)]
    api = client.get("/api/v1/items/JS-001").get_json()
    assert api["name"] == "生育登记（新）" and api["help_types"] == ["assist"]
    assert api["commitment_days"] == 3
    assert audited(session, "service_item", "JS-001") and audited(session, "material", "JS-001 ZM")


def test_a_refused_item_edit_changes_nothing(admin, session):
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == "JS-001"))
    url = f"/admin/item/edit/?id={item.id}"
    before = materials(session, "JS-001")
    rows = existing_rows(session, "JS-001")
    rows[0]["name"] = "改过的名称"
    rows.append({"code": "NEW", "name": "新材料", "original": True, "required": True})
    data = item_form(session, token(admin, url), rows, name="改名",
                     department=str(department_id(session, "WJJ")),
                     departments_involved=[str(department_id(session, "WJJ"))])
    page = text(admin.post(url, data=data, follow_redirects=True))
    assert "协办部门不应包含牵头部门" in page and "协办部门（第 1 项）" in page
    session.expire_all()
    assert session.get(ServiceItem, item.id).name == "生育登记"
    assert materials(session, "JS-001") == before


def test_a_material_cases_use_cannot_be_removed(admin, session, clock, make_citizen):
    cases.create_case(session, make_citizen(), item_code="SB-001", place_code="BS-HALL",
                      help_type="proxy", applicant=Applicant(name="申请人"),
                      material_codes=["SFZ"], booking_code=None, special_group=None,
                      now=clock.now(), number_prefix="BS")
    session.commit()
    item = session.scalar(select(ServiceItem).where(ServiceItem.code == "SB-001"))
    url = f"/admin/item/edit/?id={item.id}"
    rows = existing_rows(session, "SB-001")
    used = next(r for r in rows if r["code"] == "SFZ")
    used["delete"] = True
    data = item_form(session, token(admin, url), rows, name=item.name, category=item.category,
                     commitment_days=str(item.commitment_days))
    page = text(admin.post(url, data=data, follow_redirects=True))
    assert "已有办件使用，不能删除" in page
    assert session.scalar(select(func.count()).select_from(Material).where(
        Material.item_id == item.id, Material.code == "SFZ")) == 1


@pytest.mark.parametrize("username", ["manager"])
def test_only_district_admins_see_the_editing_buttons(client, admin, session, username):
    assert "/admin/item/new/" in text(admin.get("/admin/item/"))
    client.post("/admin/logout")
    client.post("/admin/login", data={"username": username, "password": PASSWORD})
    listing = text(client.get("/admin/item/"))
    assert "/admin/item/new/" not in listing and "/admin/item/edit/" not in listing
    assert "/admin/station/new/" not in text(client.get("/admin/station/"))
