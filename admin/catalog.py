"""The catalogue: places, departments, stations, service items and their materials, edited by
district admins through the catalogue import's own checks (a saved form is one entry of a
catalogue file: every problem listed, nothing half saved); the whole file imported and exported.
Also the read-only bases of the schedule, rota and staff views."""
from __future__ import annotations

import json
import re

from flask import Response, flash, redirect, request, url_for
from flask_admin import Admin, expose
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from backend.clock import get_clock, today
from backend.extensions import db
from backend.models import (
    HELP_TYPES, PLACE_LEVELS, Department, Material, Place, ServiceItem, Station,
)
from backend.errors import FileInvalid, Problem
from backend.services import scope
from backend.services.labels import RECORDS
from backend.services.catalog import (
    add_station, create_item, delete_station, export_catalog, import_catalog, update_item,
)
from backend.services.slots import change_and_regenerate

from .auth import current_staff
from .base import ReadOnlyView, ScopedPage, run_service
from .forms import PostForm

CATALOG = "服务目录"


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


def _select(labels: dict[str, str]) -> dict:
    """A WTForms select over `labels` (in form_overrides / form_args): WTForms 3.3 takes
    `SelectChoice`s, where Flask-Admin's own select for enum columns still passes tuples, which
    3.3 deprecates."""
    return {"choices": [SelectChoice(value, label) for value, label in labels.items()]}


def _district_admin() -> bool:
    staff = current_staff()
    return staff is not None and staff.role in scope.DISTRICT_ADMINS


class DistrictEditable(ReadOnlyView):
    """A catalogue view whose rows district admins change (`district_can`: create, edit,
    delete); everyone else reads it."""
    district_can: frozenset[str] = frozenset()

    # Flask-Admin sets these on start-up; who may change rows is decided per request here.
    can_create = property(lambda self: "create" in self.district_can and _district_admin(),
                          lambda self, value: None)
    can_edit = property(lambda self: "edit" in self.district_can and _district_admin(),
                        lambda self, value: None)
    can_delete = property(lambda self: "delete" in self.district_can and _district_admin(),
                          lambda self, value: None)
    # Bulk deletes would remove rows one commit at a time: rows are deleted one by one.
    action_disallowed_list = ["delete"]


class CatalogueEntryView(DistrictEditable):
    """A catalogue view whose rows district admins edit: a saved form becomes one entry of a
    catalogue file, imported with the file's own checks (every problem shown, nothing half
    saved)."""
    district_can = frozenset({"edit"})
    section: str = ""

    def entry(self, model, form) -> dict:
        raise NotImplementedError

    def update_model(self, form, model) -> bool:
        entry = self.entry(model, form)
        staff = current_staff()
        if not run_service(lambda session: import_catalog(session, staff, {self.section: [entry]},
                                                          today=today()), "已保存"):
            return False
        self.after_model_change(form, model, False)
        return True


class PlaceView(CatalogueEntryView):
    section = "places"
    column_list = ["code", "name", "level", "parent", "address", "phone",
                   "self_service_devices"]
    column_details_list = column_list + ["latitude", "longitude"]
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
    column_searchable_list = ["code", "name"]
    column_default_sort = "code"


class StationView(DistrictEditable):
    district_can = frozenset({"create", "delete"})
    column_list = ["place", "department"]
    column_details_list = column_list
    column_searchable_list = ["place.name", "department.name"]
    column_filters = ["place.name", "department.name"]
    column_sortable_list = [("place", "place.code"), ("department", "department.code")]
    column_default_sort = "id"
    form_columns = ["place", "department"]

    def create_model(self, form):
        place, department = (getattr(form.place.data, "code", ""),
                             getattr(form.department.data, "code", ""))
        staff = current_staff()
        return run_service(lambda session: add_station(session, staff, place, department)) or False

    def delete_model(self, station: Station) -> bool:
        staff = current_staff()
        return bool(run_service(lambda session: delete_station(session, staff, station)))


def _fee(view, context, item: ServiceItem, name: str) -> str:
    return item.fee or "免费"


def _help_types(view, context, item: ServiceItem, name: str) -> str:
    return "、".join(HELP_TYPES[t] for t in item.help_types)


ITEM_LABELS = RECORDS["service_item"].fields
MATERIAL_LABELS = RECORDS["material"].fields
_ITEM_PATH = re.compile(r"^\$\.items\[0\](?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?")


def _blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
    return None if value in ("", None) else value


class ServiceItemView(DistrictEditable):
    """Items with their materials: a saved form (the item and its whole list of materials)
    is one items entry of a catalogue file, checked and imported as the file would be."""
    district_can = frozenset({"create", "edit"})

    column_list = ["code", "name", "category", "department", "commitment_days", "fee", "help_types"]
    column_details_list = column_list + ["departments_involved", "places", "materials"]
    column_formatters = {"fee": _fee, "help_types": _help_types}
    column_searchable_list = ["code", "name", "category"]
    column_filters = ["category", "department.name", "offers_assist", "offers_proxy"]
    column_sortable_list = ["code", "name", "category", "commitment_days",
                            ("department", "department.code")]
    column_default_sort = "code"

    form_columns = ["code", "name", "category", "department", "commitment_days", "fee",
                    "help_types", "places", "departments_involved", "materials"]
    # The code is checked as the file's (with "already in use" among every other problem).
    form_extra_fields = {"code": StringField("编码"), "help_types": SelectMultipleField(
        "服务方式", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        **_select(HELP_TYPES))}
    # Blank fields reach the catalogue checks, which list every problem at once.
    form_args = {"fee": {"description": "留空表示免费"},
                 "places": {"label": "服务场所"}, "departments_involved": {"label": "协办部门"},
                 **{name: {"validators": [Optional()]}
                    for name in ("name", "category", "commitment_days", "department")}}
    form_widget_args = {"help_types": {"class": "list-unstyled"}}
    # Materials are edited inside their item; 顺序 orders them (blank: after the others).
    inline_models = [(Material, {
        "form_columns": ["id", "code", "name", "copies", "original", "required",
                         "how_to_obtain", "position"],
        "form_args": {name: {"validators": [Optional()]} for name in ("code", "name", "copies")},
        # A new row comes blank (not the column's default 0), so it goes last.
        "form_extra_fields": {"position": IntegerField("顺序", validators=[Optional()])},
        "form_widget_args": {"copies": {"placeholder": "1"},
                             "position": {"placeholder": "留空排在最后"}},
        "column_labels": MATERIAL_LABELS, "form_label": "材料"})]

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        del form.code  # an item's code is who it is in the catalogue file: it stays
        return form

    def entry(self, form) -> dict:
        """The form as a catalogue file's items entry."""
        rows = [sub.form.data for sub in form.materials.entries
                if not form.materials.should_delete(sub)]
        order = sorted(range(len(rows)), key=lambda i: (rows[i].get("position") is None,
                                                        rows[i].get("position") or 0, i))
        materials = []
        for i in order:
            row = rows[i]
            material = {"code": _blank_to_none(row.get("code")) or "",
                        "name": _blank_to_none(row.get("name")) or "",
                        "original": bool(row.get("original")),
                        "required": bool(row.get("required")),
                        "how_to_obtain": _blank_to_none(row.get("how_to_obtain"))}
            if row.get("copies") is not None:
                material["copies"] = row["copies"]
            materials.append(material)
        codes = lambda objs: [o.code for o in objs or []]  # noqa: E731
        return {"code": _blank_to_none(form.code.data) if "code" in form else None,
                "name": _blank_to_none(form.name.data) or "",
                "category": _blank_to_none(form.category.data) or "",
                "department": getattr(form.department.data, "code", ""),
                "commitment_days": form.commitment_days.data,
                "fee": _blank_to_none(form.fee.data),
                "help_types": list(form.help_types.data or []),
                "places": codes(form.places.data),
                "departments_involved": codes(form.departments_involved.data),
                "materials": materials}

    def _save(self, call, entry: dict):
        def work(session):
            try:
                return call(session)
            except FileInvalid as exc:
                refusal = FileInvalid([Problem(self.describe(p.path, entry), p.message)
                                       for p in exc.problems])
                refusal.message = "未保存，请修改以下问题"
                raise refusal from exc
        return run_service(work)

    @staticmethod
    def describe(path: str, entry: dict) -> str:
        """A problem's place in the file (`$.items[0].materials[1].name`) as the form names it."""
        found = _ITEM_PATH.match(path)
        if not found:
            return path
        field, index, sub = found.groups()
        if field is None:
            return "事项"
        label = ITEM_LABELS.get(field, field)
        if field == "materials" and index is not None:
            material = entry["materials"][int(index)]
            name = material.get("name") or material.get("code") or f"第 {int(index) + 1} 项"
            return f"材料“{name}”" + (f"·{MATERIAL_LABELS.get(sub, sub)}" if sub else "")
        if index is not None:
            return f"{label}（第 {int(index) + 1} 项）"
        return label

    def create_model(self, form):
        entry = self.entry(form)
        staff = current_staff()
        item = self._save(lambda session: create_item(session, staff, entry), entry)
        if not item:
            return False
        self.after_model_change(form, item, True)
        return item

    def update_model(self, form, item: ServiceItem) -> bool:
        entry = self.entry(form)
        staff = current_staff()
        if not self._save(lambda session: update_item(session, staff, item, entry), entry):
            return False
        self.after_model_change(form, item, False)
        return True


class MaterialView(ReadOnlyView):
    """Every item's materials in one list; they are changed on their item's page."""
    column_list = ["item", "code", "name", "copies", "original", "required"]
    column_details_list = column_list + ["how_to_obtain"]
    column_labels = {"item.code": "事项编码"}
    column_searchable_list = ["code", "name", "item.name", "item.code"]
    column_filters = ["item.name", "required", "original"]
    column_sortable_list = [("item", "item.code"), "code", "name"]
    column_default_sort = [("item_id", False), ("position", False)]




# view, model, menu name, menu category, URL under /admin
VIEWS = [
    (PlaceView, Place, "服务场所", CATALOG, "place"),
    (DepartmentView, Department, "部门", CATALOG, "department"),
    (StationView, Station, "部门站所", CATALOG, "station"),
    (ServiceItemView, ServiceItem, "服务事项", CATALOG, "item"),
    (MaterialView, Material, "材料", CATALOG, "material"),
]




class CatalogFileView(ScopedPage):
    """导入导出: the whole catalogue as one catalogue file (the format of `catalog-import`)."""
    roles = scope.DISTRICT_ADMINS

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = PostForm()
        if form.validate_on_submit():
            upload = request.files.get("file")
            try:
                data = json.loads((upload.read() if upload else b"").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                flash(f"文件不是有效的 JSON：{exc}", "error")
            else:
                staff = current_staff()

                def work(session):
                    return change_and_regenerate(
                        session, staff, lambda s: import_catalog(s, staff, data, today=today()),
                        get_clock().now(), self.admin.app.config["BOOKING_WINDOW_DAYS"])
                done = run_service(work)
                if done:
                    flash(f"导入完成：{done.change.summary()}。预约时段：{done.slots.summary()}",
                          "success")
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
