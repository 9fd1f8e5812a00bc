"""The catalogue: places and departments edited by district admins (through the catalogue
import's own checks), the rest read here and changed by importing a catalogue file; the file
exported whole. Also the read-only bases of the schedule, rota and staff views."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, request, url_for
from flask_admin import Admin, expose
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from backend.clock import get_clock, today
from backend.extensions import db
from backend.models import (
    HELP_TYPES, PLACE_LEVELS, ROLES, SLOT_KINDS, Department, Material, Place,
    RotaEntry, ScheduleRule, ServiceItem, Staff, Station,
)
from backend.services.catalog import export_catalog, import_catalog
from backend.services.slots import generate_slots
from backend.services.staff import sign_in_locked_until

from .auth import current_staff
from .base import ScopedModelView, ScopedPage, minute, run_service

CATALOG = "服务目录"
SYSTEM = "系统管理"
WEEKDAY_NAMES = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


def _select(labels: dict[str, str]) -> dict:
    """A WTForms select over `labels` (in form_overrides / form_args): WTForms 3.3 takes
    `SelectChoice`s, where Flask-Admin's own select for enum columns still passes tuples, which
    3.3 deprecates."""
    return {"choices": [SelectChoice(value, label) for value, label in labels.items()]}


class ReadOnlyView(ScopedModelView):
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True


class CatalogueEntryView(ReadOnlyView):
    """A catalogue view whose rows district admins edit: a saved form becomes one entry of a
    catalogue file, imported with the file's own checks (every problem shown, nothing half
    saved)."""
    section: str = ""

    @property
    def can_edit(self) -> bool:
        staff = current_staff()
        return staff is not None and staff.role == "district_admin"

    @can_edit.setter
    def can_edit(self, value) -> None:  # Flask-Admin may set it; who may edit decides here
        pass

    def entry(self, model, form) -> dict:
        raise NotImplementedError

    def update_model(self, form, model) -> bool:
        entry = self.entry(model, form)
        if not run_service(lambda session: import_catalog(session, {self.section: [entry]},
                                                          today=today()), "已保存"):
            return False
        self.after_model_change(form, model, False)
        return True


class PlaceView(CatalogueEntryView):
    section = "places"
    column_list = ["code", "name", "level", "parent", "address", "phone",
                   "self_service_devices"]
    column_details_list = column_list + ["latitude", "longitude"]
    column_labels = {"code": "编码", "name": "名称", "level": "级别", "parent": "上级场所",
                     "address": "地址", "phone": "电话", "latitude": "纬度", "longitude": "经度",
                     "self_service_devices": "设有自助设备"}
    form_columns = ["name", "level", "address", "phone", "latitude", "longitude",
                    "self_service_devices"]
    form_overrides = {"level": SelectField}
    form_args = {"level": _select(PLACE_LEVELS)}

    def entry(self, place: Place, form) -> dict:
        values = {name: getattr(place, name) for name in self.form_columns}
        values.update({name: form[name].data for name in self.form_columns if name in form})
        return {"code": place.code, "parent": place.parent.code if place.parent else None,
                **values}
    column_choices = {"level": _choices(PLACE_LEVELS)}
    column_searchable_list = ["code", "name", "address"]
    column_filters = ["level"]
    column_sortable_list = ["code", "name", "level"]
    column_default_sort = "code"


class DepartmentView(CatalogueEntryView):
    section = "departments"
    form_columns = ["name"]

    def entry(self, department: Department, form) -> dict:
        return {"code": department.code, "name": form.name.data}

    column_list = ["code", "name"]
    column_details_list = ["code", "name", "stations"]
    column_labels = {"code": "编码", "name": "名称", "stations": "所驻场所"}
    column_searchable_list = ["code", "name"]
    column_default_sort = "code"


class StationView(ReadOnlyView):
    column_list = ["place", "department"]
    column_details_list = column_list
    column_labels = {"place": "场所", "department": "部门",
                     "place.name": "场所名称", "department.name": "部门名称"}
    column_searchable_list = ["place.name", "department.name"]
    column_filters = ["place.name", "department.name"]
    column_sortable_list = [("place", "place.code"), ("department", "department.code")]
    column_default_sort = "id"


def _fee(view, context, item: ServiceItem, name: str) -> str:
    return item.fee or "免费"


def _help_types(view, context, item: ServiceItem, name: str) -> str:
    return "、".join(HELP_TYPES[t] for t in item.help_types)


class ServiceItemView(ReadOnlyView):
    column_list = ["code", "name", "category", "department", "commitment_days", "fee", "help_types"]
    column_details_list = column_list + ["departments_involved", "places", "materials"]
    column_labels = {"code": "编码", "name": "名称", "category": "类别", "department": "牵头部门",
                     "commitment_days": "承诺时限（工作日）", "fee": "收费", "help_types": "服务方式",
                     "departments_involved": "协办部门", "places": "服务场所", "materials": "材料",
                     "department.name": "牵头部门", "offers_assist": "提供帮办",
                     "offers_proxy": "提供代办"}
    column_formatters = {"fee": _fee, "help_types": _help_types}
    column_searchable_list = ["code", "name", "category"]
    column_filters = ["category", "department.name", "offers_assist", "offers_proxy"]
    column_sortable_list = ["code", "name", "category", "commitment_days",
                            ("department", "department.code")]
    column_default_sort = "code"


class MaterialView(ReadOnlyView):
    column_list = ["item", "code", "name", "copies", "original", "required"]
    column_details_list = column_list + ["how_to_obtain"]
    column_labels = {"item": "所属事项", "code": "编码", "name": "名称", "copies": "份数",
                     "original": "需原件", "required": "必须提交", "how_to_obtain": "获取方式",
                     "item.name": "所属事项", "item.code": "事项编码"}
    column_searchable_list = ["code", "name", "item.name", "item.code"]
    column_filters = ["item.name", "required", "original"]
    column_sortable_list = [("item", "item.code"), "code", "name"]
    column_default_sort = [("item_id", False), ("position", False)]


def _weekdays(view, context, rule: ScheduleRule, name: str) -> str:
    days = rule.weekday_set
    return "每天" if days is None else "、".join(WEEKDAY_NAMES[d] for d in sorted(days))


def _hour_minute(view, context, model, name: str) -> str:
    value = getattr(model, name)
    return "" if value is None else value.strftime("%H:%M")


class ScheduleRuleView(ReadOnlyView):
    column_list = ["place", "kind", "weekdays", "start_time", "end_time", "slot_minutes", "capacity"]
    column_details_list = column_list
    column_labels = {"place": "场所", "kind": "类型", "weekdays": "适用星期", "start_time": "开始时间",
                     "end_time": "结束时间", "slot_minutes": "每段时长（分钟）", "capacity": "每段可约人数",
                     "place.name": "场所"}
    column_choices = {"kind": _choices(SLOT_KINDS)}
    column_formatters = {"weekdays": _weekdays, "start_time": _hour_minute, "end_time": _hour_minute}
    column_filters = ["place.name", "kind"]
    column_sortable_list = [("place", "place.code"), "kind", "start_time"]
    column_default_sort = [("place_id", False), ("start_time", False)]


class RotaEntryView(ReadOnlyView):
    column_list = ["date", "place", "staff"]
    column_details_list = column_list
    column_labels = {"date": "日期", "place": "场所", "staff": "值班人员", "place.name": "场所",
                     "staff.name": "值班人员"}
    column_filters = ["date", "place.name", "staff.name"]
    column_sortable_list = ["date", ("place", "place.code"), ("staff", "staff.name")]
    column_default_sort = [("date", False), ("place_id", False)]


def _created_at(view, context, staff: Staff, name: str) -> str:
    return minute(staff.created_at)


def _sign_in_locked_until(view, context, staff: Staff, name: str) -> str:
    """The lock on the staff member's username after wrong passwords, while it lasts."""
    return minute(sign_in_locked_until(db.session, staff.username, get_clock().now()))


class StaffView(ReadOnlyView):
    roles = frozenset({"district_admin"})
    # Listed column by column: the password hash is never among them.
    column_list = ["username", "name", "role", "department", "places", "active", "created_at"]
    column_details_list = ["username", "name", "role", "department", "places", "phone", "active",
                           "created_at", "sign_in_locked_until"]
    column_labels = {"username": "用户名", "name": "姓名", "role": "角色", "department": "所属部门",
                     "places": "所在场所", "phone": "电话", "active": "启用", "created_at": "创建时间",
                     "sign_in_locked_until": "登录锁定至"}
    column_choices = {"role": _choices(ROLES)}
    column_formatters = {"created_at": _created_at, "sign_in_locked_until": _sign_in_locked_until}
    column_searchable_list = ["username", "name"]
    column_filters = ["role", "active"]
    column_sortable_list = ["username", "name", "role", "created_at"]
    column_default_sort = "username"


# view, model, menu name, menu category, URL under /admin
VIEWS = [
    (PlaceView, Place, "服务场所", CATALOG, "place"),
    (DepartmentView, Department, "部门", CATALOG, "department"),
    (StationView, Station, "部门站所", CATALOG, "station"),
    (ServiceItemView, ServiceItem, "服务事项", CATALOG, "item"),
    (MaterialView, Material, "材料", CATALOG, "material"),
]


class FileForm(FlaskForm):
    """Only the CSRF token; the file is read from the upload."""


class CatalogFileView(ScopedPage):
    """导入导出: the whole catalogue as one catalogue file (the format of `catalog-import`)."""
    roles = frozenset({"district_admin"})

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = FileForm()
        if form.validate_on_submit():
            upload = request.files.get("file")
            try:
                data = json.loads((upload.read() if upload else b"").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                flash(f"文件不是有效的 JSON：{exc}", "error")
            else:
                def work(session):
                    result = import_catalog(session, data, today=today())
                    slots = generate_slots(session, get_clock().now(),
                                           self.admin.app.config["BOOKING_WINDOW_DAYS"])
                    return f"导入完成：{result.summary()}。预约时段：{slots.summary()}"
                done = run_service(work)
                if done:
                    flash(done, "success")
                    return redirect(url_for(".index"))
        return self.render("banban_admin/catalog_file.html", form=form)

    @expose("/export")
    def export(self):
        body = json.dumps(export_catalog(db.session, today()), ensure_ascii=False, indent=2)
        return Response(body, mimetype="application/json", headers={
            "Content-Disposition": f"attachment; filename=catalog-{today():%Y%m%d}.json"})


def add_views(admin: Admin) -> None:
    for view, model, name, category, url in VIEWS:
        # The "admin_" prefix keeps these endpoints clear of the API's blueprints.
        admin.add_view(view(model, name=name, category=category, endpoint=f"admin_{url}", url=url))
    admin.add_view(CatalogFileView(name="目录导入导出", category=CATALOG,
                                   endpoint="admin_catalog_file", url="catalog-file"))
