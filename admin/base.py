"""The one scoped base view (docs/architecture.md, habit 11): every admin model view derives from
it.

Who may open a view is `roles`; which rows they see is the model's scope in
`backend/services/scope.py`, the same definition the API's services use. Listing, counting,
opening one record by URL, bulk actions, saving and relationship choices all go through the
scope, so a row outside it can be neither seen nor changed by editing a URL."""
from __future__ import annotations

import typing as t
from datetime import datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, g, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView, tools
from flask_admin.contrib.sqla.filters import DateBetweenFilter, IntEqualFilter
from flask_admin.contrib.sqla.fields import QuerySelectField, QuerySelectMultipleField
from flask_admin.form import SecureForm
from flask_admin.model import typefmt
from flask_admin.model.template import DeleteRowAction, TemplateLinkRowAction
from flask_admin.tools import iterencode
from sqlalchemy import BigInteger, false, func, select
from sqlalchemy.orm import Query
from werkzeug.datastructures import iter_multi_items
from wtforms.validators import ValidationError

from flask_admin import BaseView
from markupsafe import Markup
from wtforms.fields.choices import Choice

from backend.errors import DomainError, FileInvalid
from backend.extensions import db
from backend.fields import ID_MAX, PAGE_MAX, PER_PAGE
from backend.models import Place
from backend.services import scope
from backend.services.labels import RECORDS, path_label
from backend.uow import unit_of_work

from .auth import login_manager, signed_in
from .reads import start_list_count

OUT_OF_SCOPE = "无权在该场所保存此记录"
DELETE_ROW = TemplateLinkRowAction("banban_delete_row", "删除记录")
PAGE_OUT_OF_RANGE = "页码超出范围，已回到第一页"

def _yes_no(view, value: bool, name: str) -> str:
    return "是" if value else "否"


def _names(view, values, name: str) -> str:
    return "、".join(str(v) for v in values)


LIST_FORMATTERS = {**typefmt.BASE_FORMATTERS, bool: _yes_no, list: _names}
DETAIL_FORMATTERS = {**typefmt.DETAIL_FORMATTERS, bool: _yes_no, list: _names}


def minute(value: datetime | None) -> str:
    """A stored instant (always aware UTC, see backend.models.types) as Boshan reads it."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime("%Y-%m-%d %H:%M")


class DaysBetweenFilter(DateBetweenFilter):
    """A range of Boshan's days over a stored instant: from the first day's start to the last
    day's end, in Boshan's time. Flask-Admin's own compares the instant with bare dates, which
    an instant column refuses (backend.models.types.UTCDateTime)."""

    def clean(self, value: str) -> list[datetime]:
        first, last = super().clean(value)
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        return [datetime.combine(first, time.min, zone),
                datetime.combine(last + timedelta(days=1), time.min, zone)]

    def apply(self, query, value, alias=None):
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= start, column < end)


class IntegerEqualFilter(IntEqualFilter):
    """Equality with an integer column (a key, a score, a code), its value made an integer:
    PostgreSQL compares no integer with text, as Flask-Admin's FilterEqual would send it. A value
    the column cannot hold is refused as Flask-Admin refuses any invalid filter value."""

    def validate(self, value: str) -> bool:
        try:
            return -ID_MAX - 1 <= int(value) <= ID_MAX
        except ValueError:
            return False


def forbidden(view) -> tuple[str, int]:
    return view.render("banban_admin/forbidden.html"), 403


def refusal_messages(exc: DomainError) -> list[str]:
    """A service's refusal as the page shows it: its Chinese message, then each reason."""
    messages = [exc.message]
    if isinstance(exc, FileInvalid):
        messages += [str(problem) for problem in exc.problems]
    else:
        for reasons in exc.details.values():
            if isinstance(reasons, (list, tuple)):
                messages += [str(r) for r in reasons if isinstance(r, str)]
            elif isinstance(reasons, str):
                messages.append(reasons)
    return messages


def flash_refusal(exc: DomainError) -> None:
    for message in refusal_messages(exc):
        flash(message, "error")


def run_service(call: t.Callable[[t.Any], t.Any], done: str | None = None) -> t.Any:
    """Run one service call in a unit of work (committed as the signed-in staff member, whom
    the before-request hook made the audit actor); a refusal is flashed in Chinese, nothing of
    it saved, and None returned."""
    try:
        with unit_of_work() as session:
            result = call(session)
    except DomainError as exc:
        flash_refusal(exc)
        return None
    if done:
        flash(done, "success")
    return True if result is None else result


def navigation(view) -> Markup:
    """The menu bar's links as `view` shows them: the same for every staff member of one role
    (a view's `is_accessible` asks only the role), so drawn once per role and view and kept for
    the app's life, as are the addresses of Flask-Admin's scripts and styles (`CachedChrome`)."""
    staff = signed_in()
    key = (staff.role if staff is not None else None, view.endpoint)
    drawn = current_app.extensions.setdefault("banban.navigation", {})
    if key not in drawn:
        drawn[key] = Markup(view.render("banban_admin/navigation.html"))
    return drawn[key]


class CachedChrome:
    """Every admin page's asset addresses: Flask-Admin's own scripts and styles
    (admin/static.html asks `get_url` for a dozen on every page) are fixed for the app's life,
    so each is built once; the menu bar comes from `navigation`."""

    def get_url(self, endpoint: str, **kwargs: t.Any) -> str:
        if endpoint != f"{self.admin.endpoint}.static":
            return super().get_url(endpoint, **kwargs)
        key = (endpoint, tuple(sorted(kwargs.items())))
        urls = current_app.extensions.setdefault("banban.asset_urls", {})
        if key not in urls:
            urls[key] = url_for(endpoint, **kwargs)
        return urls[key]


class AdminPage(CachedChrome):
    """What every admin view shares: the roles that may open it, a service's refusal shown as a
    page (the API's JSON error handler is app-wide; a view's blueprint handler wins), and the
    handlers Flask-Admin writes inline, which the CSP refuses, bound from our own script."""
    roles: frozenset[str] = scope.STAFF_ROLES

    @property
    def extra_js(self) -> list[str]:
        return [url_for("banban_admin.static", filename="inline_handlers.js")]

    def is_accessible(self) -> bool:
        staff = signed_in()
        return staff is not None and staff.role in self.roles

    def inaccessible_callback(self, name: str, **kwargs: t.Any) -> Response | tuple[str, int]:
        if signed_in() is None:
            return login_manager.unauthorized()
        return forbidden(self)

    def create_blueprint(self, admin):
        blueprint = super().create_blueprint(admin)
        blueprint.register_error_handler(DomainError, self._refused)
        return blueprint

    def _refused(self, exc: DomainError):
        db.session.rollback()
        return self.render("banban_admin/refused.html", messages=refusal_messages(exc)), exc.status


class ScopedPage(AdminPage, BaseView):
    """A page of our own (not a model's list), with the same guards."""


class ScopedModelView(AdminPage, ModelView):
    form_base_class = SecureForm
    # The staff roles that may open this view at all.
    roles: frozenset[str] = scope.STAFF_ROLES
    # Ajax lookups would query the related model around the scope: none are offered.
    form_ajax_refs = None

    can_export = False
    # A page holds as many rows as a page of the staff API's lists.
    page_size = PER_PAGE
    # Every list shows its total under the table, beside the pager (list.html); Flask-Admin's
    # own count, made before the page is read, is off: get_list starts the count itself.
    list_template = "banban_admin/list.html"
    simple_list_pager = True
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_detail = DETAIL_FORMATTERS

    def __init__(self, model, **kwargs: t.Any):
        # Headers, filters and form fields are named from the one vocabulary
        # (backend/services/labels.py); a view's own column_labels name only what it computes.
        self.column_labels = {**vocabulary_labels(self, model), **(self.column_labels or {})}
        super().__init__(model, db, **kwargs)

    # --- which rows ------------------------------------------------------------------------
    def scope(self, query: Query) -> Query:
        """Restrict `query` (over this view's model) to the rows the current staff may see."""
        staff = signed_in()
        if staff is None or staff.role not in self.roles:
            return query.filter(false())
        return query.filter(scope.visible(staff, self.model))

    def scope_choices(self, query: Query) -> Query:
        """Restrict the choices of a relationship field: places to those the staff member may
        act in, other records to those they may see."""
        staff = signed_in()
        entity = query.column_descriptions[0]["entity"]
        if staff is None:
            return query.filter(false())
        if entity is Place:
            return query.filter(scope.workable_places(staff))
        return query.filter(scope.visible(staff, entity))

    def get_query(self) -> Query:
        return self.scope(super().get_query())

    def get_count_query(self) -> Query:
        return self.scope(super().get_count_query())

    def _get_list_extra_args(self):
        # The API's page range (pages count from 0 here): a page beyond it would reach the
        # database as an offset it cannot hold (an OverflowError, a negative OFFSET).
        page = request.args.get("page", 0, type=int)
        if not 0 <= page < PAGE_MAX:
            flash(PAGE_OUT_OF_RANGE, "error")
            args = request.args.to_dict(flat=False)
            args.pop("page")
            abort(redirect(url_for(".index_view", **args)))
        return super()._get_list_extra_args()

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                 page_size=None):
        _, query = super().get_list(page, sort_column, sort_desc, search, filters,
                                    execute=False, page_size=page_size)
        if not execute:
            return None, query
        # The count is the page's own query without its page and its order: the same rows.
        counted = select(func.count()).select_from(
            query.limit(None).offset(None).order_by(None).subquery())
        start_list_count(counted)
        return None, query.all()

    def _get_list_url(self, view_args) -> str:
        """A list page's address (its page, sort, search, page size and filters) as Flask-Admin
        writes it, the query string on the list's path: a page links to itself a dozen times
        (pager, sort headers, search, filters), and one url_for per request builds the path."""
        desc = 1 if view_args.sort_desc else None
        query = {"page": view_args.page or None, "sort": view_args.sort, "desc": desc,
                 "search": view_args.search, **view_args.extra_args,
                 "page_size": self.get_safe_page_size(view_args.page_size),
                 **self._get_filters(view_args.filters)}
        # werkzeug's own encoding of a URL's query (werkzeug.urls._urlencode).
        encoded = urlencode([(k, v) for k, v in iter_multi_items(query) if v is not None],
                            safe="!$'()*,/:;?@")
        return f"{self._list_path()}?{encoded}" if encoded else self._list_path()

    def _list_path(self) -> str:
        paths = g.setdefault("admin_list_paths", {})
        if self.endpoint not in paths:
            paths[self.endpoint] = url_for(f"{self.endpoint}.index_view")
        return paths[self.endpoint]

    @staticmethod
    def pager_links(page: int, pages: int, page_url: t.Callable[[int], str]
                    ) -> list[tuple[str, str, t.Any]]:
        """Flask-Admin's pager (lib.pager: first, previous, up to seven pages around this one,
        next, last) as (state, address, label) for each link; none for a single page."""
        if pages <= 1:
            return []
        low, high = page - 3, page + 4
        if low < 0:
            high -= low
        if high >= pages:
            low -= high - pages
        low, high = max(low, 0), min(high, pages)
        off = (" disabled", "javascript:void(0)")
        first, previous, following, last = (Markup(f"&{name};") for name in (
            "laquo", "lt", "gt", "raquo"))
        links = [("", page_url(0), first) if low > 0 else (*off, first),
                 ("", page_url(page - 1), previous) if page > 0 else (*off, previous)]
        links += [(" active", "javascript:void(0)", p + 1) if p == page
                  else ("", page_url(p), p + 1) for p in range(low, high)]
        links += [("", page_url(page + 1), following) if page + 1 < pages else (*off, following),
                  ("", page_url(pages - 1), last) if high < pages else (*off, last)]
        return links

    @staticmethod
    def list_total() -> int:
        """The total of the list page being drawn (started by get_list)."""
        return g.admin_list_total.result()[0][0]

    def get_list_row_actions(self) -> list:
        # Our delete button (banban_admin/list.html) in place of Flask-Admin's, whose
        # confirmation is an inline handler the CSP refuses.
        return [DELETE_ROW if isinstance(action, DeleteRowAction) else action
                for action in super().get_list_row_actions()]

    def get_one(self, id: t.Any) -> t.Any:
        # Flask-Admin's own get_one is session.get(), which ignores get_query().
        return self.get_scoped_by_ids((id,)).one_or_none()

    def get_scoped_by_ids(self, ids: t.Iterable[t.Any]) -> Query:
        """The rows named by URL or action ids, within scope; custom actions must use this."""
        pk = tools.get_primary_key(self.model)
        if not isinstance(pk, str):
            return tools.get_query_for_ids(self.get_query(), self.model, tuple(ids))
        column = getattr(self.model, pk)
        # Ids come from the URL: one that is not a valid key matches nothing (PostgreSQL would
        # otherwise fail on "abc" or an out-of-range integer).
        keys = [key for key in (_key(column, i) for i in ids) if key is not None]
        return self.get_query().filter(column.in_(keys))

    def on_model_change(self, form, model, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        # A saved row must still be one the staff member may see (no moving it to another place).
        db.session.flush()
        key = self.get_pk_value(model)
        if self.get_one(iterencode(key) if isinstance(key, tuple) else key) is None:
            raise ValidationError(OUT_OF_SCOPE)

    # --- relationship choices in forms -------------------------------------------------------
    def create_form(self, obj=None):
        return self._scope_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._scope_choices(super().edit_form(obj))

    def _scope_choices(self, form):
        for field in form:
            if isinstance(field, (QuerySelectField, QuerySelectMultipleField)):
                factory = field.query_factory
                field.query_factory = lambda factory=factory: self.scope_choices(factory())
            if hasattr(field, "iter_choices"):
                _choices_as_objects(field)
        return form


_NAMED_COLUMNS = ("column_list", "column_details_list", "column_filters",
                  "column_searchable_list", "column_sortable_list", "form_columns")


def vocabulary_labels(view, model: type) -> dict[str, str]:
    """The labels of the model's fields and of every attribute path the view names."""
    names = set(RECORDS[model.__tablename__].fields)
    for attribute in _NAMED_COLUMNS:
        for entry in getattr(view, attribute, None) or ():
            entry = entry[0] if isinstance(entry, tuple) else entry
            if isinstance(entry, str):
                names.add(entry)
    labels = {name: path_label(model, name) for name in names}
    return {name: label for name, label in labels.items() if label}


def _choices_as_objects(field) -> None:
    """Flask-Admin 2.2's select fields yield (value, label, selected, render_kw) tuples, which
    WTForms 3.3 deprecates; hand WTForms the `Choice` objects it asks for instead."""
    produce = field.iter_choices

    def iter_choices():
        for choice in produce():
            yield Choice(*choice) if isinstance(choice, tuple) else choice
    field.iter_choices = iter_choices


def _key(column, value: t.Any) -> t.Any:
    try:
        key = column.type.python_type(value)
    except (TypeError, ValueError, NotImplementedError):
        return None
    bits = 63 if isinstance(column.type, BigInteger) else 31
    if isinstance(key, int) and not -2**bits <= key < 2**bits:
        return None
    return key


def places_run_by_current_staff() -> list[Place]:
    """The places the signed-in staff member runs (scope.PLACE_RUNNERS: their own, or every
    place for a district admin); 403 for the other roles."""
    staff = signed_in()
    if staff is None or staff.role not in scope.PLACE_RUNNERS:
        abort(403)
    return db.session.scalars(select(Place).where(scope.workable_places(staff))
                              .order_by(Place.code)).all()


class ReadOnlyView(ScopedModelView):
    """A model's rows to read; what changes them is a page of its own that calls a service."""
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
