"""Oversight lists, read-only: bad reviews and their follow-up, escalations, the notification
outbox (with a retry for failed messages, through backend.services.notifications), each staff
member's inbox of messages that did not reach their WeChat, and the audit log. Which rows each
staff member sees is their scope (backend/services/scope.py), through ScopedModelView."""
from __future__ import annotations


from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual

from sqlalchemy import select

from backend.clock import get_clock, today
from backend.extensions import db
from backend.models import (
    NOTIFICATION_STATUSES, ROLES, Announcement, AuditLog, Escalation, Notification, Place, Review,
    Staff,
)
from backend.models.case import BAD_REVIEW_MAX_SCORE, REVIEW_LEVELS
from backend.services import scope
from backend.services.announcements import (
    AnnouncementInput, create_announcement, end_announcement, update_announcement,
)
from backend.services.audit_log import log_entries
from backend.services.labels import AUDIT_ACTIONS, MESSAGE_EVENTS, RECORDS
from backend.services.notifications import payload_of, retry_failed, staff_inbox

from .auth import current_staff
from .base import (
    DaysBetweenFilter, IntegerEqualFilter, ScopedModelView, ScopedPage, minute, run_service,
)
from .forms import FORM_EXPIRED, PostForm, parse_dates

OVERSIGHT = "检查与监督"


def _at(name: str):
    return lambda view, context, row, _: minute(getattr(row, name))


class OpenClosedFilter(BaseSQLAFilter):
    """Whether a follow-up (or an escalation) is still open: its closing column empty or not."""

    def __init__(self, column, name: str, labels: tuple[str, str]):
        super().__init__(column, name, options=[("open", labels[0]), ("closed", labels[1])])

    def apply(self, query, value, alias=None):
        if value == "open":
            return query.filter(self.column.is_(None))
        if value == "closed":
            return query.filter(self.column.is_not(None))
        return query

    def operation(self) -> str:
        return "为"


class ReadOnlyList(ScopedModelView):
    roles = scope.OVERSEERS
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    column_display_actions = True


class BadReviewView(ReadOnlyList):
    """差评 (score ≤ 2) and the state of their follow-up (回访、整改)."""
    column_list = ["case.number", "case.place.name", "score", "comment", "created_at",
                   "followup_due", "followup", "followup_by.name"]
    column_details_list = column_list + ["followup_callback", "followup_fix"]
    column_labels = {"followup": "回访整改"}
    column_formatters = {
        "score": lambda v, c, r, n: f"{r.score} {REVIEW_LEVELS.get(r.score, '')}",
        "created_at": _at("created_at"),
        "followup": lambda v, c, r, n: (f"已完成 {minute(r.followup_closed_at)}"
                                        if r.followup_closed_at else "待回访"),
    }
    column_default_sort = [("created_at", True), ("id", True)]

    def __init__(self, model, **kwargs):
        self.column_filters = [
            OpenClosedFilter(Review.followup_closed_at, "回访整改", ("待回访", "已完成")),
            IntegerEqualFilter(Review.score, "评价", options=[
                (str(s), REVIEW_LEVELS[s]) for s in range(1, BAD_REVIEW_MAX_SCORE + 1)]),
            DaysBetweenFilter(Review.created_at, "评价日期"),
        ]
        super().__init__(model, **kwargs)

    def scope(self, query):
        return super().scope(query).filter(Review.score <= BAD_REVIEW_MAX_SCORE)


class EscalationView(ReadOnlyList):
    """督办: raised and resolved escalations."""
    column_list = ["case.number", "case.place.name", "raised_by.name", "raised_at", "note",
                   "state", "resolved_at", "resolution"]
    column_labels = {"state": "状态"}
    column_formatters = {"raised_at": _at("raised_at"), "resolved_at": _at("resolved_at"),
                         "state": lambda v, c, r, n: "已处理" if r.resolved_at else "未处理"}
    column_default_sort = [("raised_at", True), ("id", True)]

    def __init__(self, model, **kwargs):
        self.column_filters = [
            OpenClosedFilter(Escalation.resolved_at, "状态", ("未处理", "已处理")),
            DaysBetweenFilter(Escalation.raised_at, "提出日期"),
        ]
        super().__init__(model, **kwargs)


def _recipient(view, context, row: Notification, name: str) -> str:
    return f"工作人员 {row.staff.name}" if row.staff is not None else "群众"


class OutboxView(ReadOnlyList):
    """消息发送记录: every subscribe message with its status and WeChat's code and reason; a
    failed one may be sent again."""
    column_list = ["created_at", "event", "subject", "recipient", "status", "attempts",
                   "errcode", "errmsg", "sent_at"]
    column_details_list = column_list
    column_labels = {"recipient": "接收人"}
    column_formatters = {"created_at": _at("created_at"), "sent_at": _at("sent_at"),
                         "status": lambda v, c, r, n: r.status_label, "recipient": _recipient,
                         "event": lambda v, c, r, n: MESSAGE_EVENTS.get(r.event, r.event)}
    column_default_sort = [("created_at", True), ("id", True)]

    def __init__(self, model, **kwargs):
        self.column_filters = [
            FilterEqual(Notification.status, "状态", options=list(NOTIFICATION_STATUSES.items())),
            IntegerEqualFilter(Notification.errcode, "微信错误码"),
            DaysBetweenFilter(Notification.created_at, "生成日期"),
        ]
        super().__init__(model, **kwargs)

    def is_action_allowed(self, name: str) -> bool:
        staff = current_staff()
        if name == "retry":
            return staff is not None and staff.role in scope.PLACE_RUNNERS
        return super().is_action_allowed(name)

    @action("retry", "重新发送（仅发送失败的消息）")
    def retry(self, ids):
        staff = current_staff()
        if staff is None or staff.role not in scope.PLACE_RUNNERS:
            return
        chosen = [row.id for row in self.get_scoped_by_ids(ids)]
        retried = run_service(
            lambda session: retry_failed(session, staff, chosen, get_clock().now()))
        if retried:
            flash(f"已重新排队 {len(retried)} 条消息", "success")
        elif retried is not None:
            flash("所选消息中没有发送失败的", "error")


class InboxView(ScopedPage):
    """我的消息: the signed-in staff member's messages that did not reach their WeChat."""

    @expose("/")
    def index(self):
        page = max(request.args.get("page", 1, type=int), 1)
        messages, total = staff_inbox(db.session, current_staff(), page=min(page, 10_000))
        return self.render("banban_admin/inbox.html", messages=messages, total=total,
                           page=page, payload_of=payload_of, when=minute)


class SystemChangesFilter(BaseSQLAFilter):
    """Whose changes the log lists: staff members' (also when this filter is not chosen),
    everyone's, or only the system's (commands and jobs: slot generation, no-show marking ...)."""
    OPTIONS = {"staff": "工作人员的操作", "all": "全部（含系统操作）", "system": "只看系统操作"}

    def __init__(self):
        super().__init__(AuditLog.staff_id, "操作来源", options=list(self.OPTIONS.items()))

    def validate(self, value: str) -> bool:
        return value in self.OPTIONS

    def apply(self, query, value, alias=None):
        if value == "staff":
            return query.filter(AuditLog.staff_id.is_not(None))
        if value == "system":
            return query.filter(AuditLog.staff_id.is_(None))
        return query

    def operation(self) -> str:
        return "为"


class ChoicesNow(IntegerEqualFilter):
    """An equality filter on a key whose options (staff accounts, places) are read for each page,
    not once at start-up."""

    def __init__(self, column, name: str, read):
        super().__init__(column, name)
        self.read = read


def _staff_options() -> list[tuple[str, str]]:
    return [(str(i), f"{name}（{ROLES[role]}）") for i, name, role in db.session.execute(
        select(Staff.id, Staff.name, Staff.role).order_by(Staff.name, Staff.id))]


def _place_options() -> list[tuple[str, str]]:
    return [(str(i), name) for i, name in db.session.execute(
        select(Place.id, Place.name).order_by(Place.code))]


class AuditLogView(ReadOnlyList):
    """操作日志: who changed what, where and when, read as people say it
    (backend/services/audit_log.py); the system's own changes (slot generation, no-show marking)
    are left out unless asked for. Personal data is stored as *** already."""
    roles = scope.DISTRICT_WIDE_ROLES
    can_view_details = False
    column_display_actions = False
    list_template = "banban_admin/audit_list.html"
    column_list = ["at", "staff", "action", "entity", "place", "changes"]
    column_labels = {"entity": "对象"}
    column_sortable_list = ["at"]
    column_searchable_list = ["entity_key"]
    column_default_sort = [("at", True), ("id", True)]
    when = staticmethod(minute)

    def __init__(self, model, **kwargs):
        self.column_filters = [
            FilterEqual(AuditLog.action, "操作", options=list(AUDIT_ACTIONS.items())),
            ChoicesNow(AuditLog.staff_id, "操作人", _staff_options),
            FilterEqual(AuditLog.entity, "对象类型", options=[
                (table, record.name) for table, record in RECORDS.items()
                if table != AuditLog.__tablename__]),
            ChoicesNow(AuditLog.place_id, "场所", _place_options),
            DaysBetweenFilter(AuditLog.at, "日期"),
            SystemChangesFilter(),
        ]
        super().__init__(model, **kwargs)

    def _get_filter_groups(self):
        # Copies of the groups made at start-up, with these options read now.
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                flt = self._filters[item["index"]]
                if isinstance(flt, ChoicesNow):
                    item["options"] = flt.read() or None
        return groups

    def _system_filter(self) -> int:
        return next(i for i, flt in enumerate(self._filters)
                    if isinstance(flt, SystemChangesFilter))

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                 page_size=None):
        index = self._system_filter()
        chosen = [value for i, _, value in filters or () if i == index]
        g.audit_shows_system = bool(chosen) and chosen[-1] != "staff"
        if not chosen:
            filters = [*(filters or ()), (index, SystemChangesFilter.OPTIONS["staff"], "staff")]
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute,
                                       page_size)
        if not execute:
            return count, rows
        # The page's entries as people read them (audit_list.html writes them out).
        return count, log_entries(db.session, rows, ZoneInfo(current_app.config["TIMEZONE"]))

    @staticmethod
    def shows_system() -> bool:
        return g.get("audit_shows_system", False)

    def with_system_url(self) -> str:
        """This page's list with the system's changes too."""
        index = self._system_filter()
        args = {key: values for key, values in request.args.lists()
                if key != "page" and not (key.startswith("flt") and key.endswith(f"_{index}"))}
        position = sum(1 for key in args if key.startswith("flt"))
        args[f"flt{position}_{index}"] = ["all"]
        return url_for(".index_view", **args)


def add_views(admin) -> None:
    admin.add_view(BadReviewView(Review, name="差评回访", category=OVERSIGHT,
                                 endpoint="admin_bad_review", url="bad-review"))
    admin.add_view(EscalationView(Escalation, name="督办记录", category=OVERSIGHT,
                                  endpoint="admin_escalation", url="escalation"))
    admin.add_view(OutboxView(Notification, name="消息发送记录", category=OVERSIGHT,
                              endpoint="admin_outbox", url="outbox"))
    admin.add_view(InboxView(name="我的消息", category=OVERSIGHT, endpoint="admin_inbox",
                             url="inbox"))
    admin.add_view(AuditLogView(AuditLog, name="操作日志", category=OVERSIGHT,
                                endpoint="admin_audit_log", url="audit-log"))
    admin.add_view(AnnouncementView(Announcement, name="公告", category=OVERSIGHT,
                                    endpoint="admin_announcement", url="announcement"))


# --- announcements (公告) --------------------------------------------------------------------



def announcement_input(form) -> AnnouncementInput:
    """The posted form as the service's input; a malformed date is refused in Chinese."""
    dates = parse_dates({"starts_on": form.get("starts_on"), "ends_on": form.get("ends_on")},
                        message="公告内容有误")
    return AnnouncementInput(title=form.get("title") or "", body=form.get("body") or "",
                             place=form.get("place") or None, **dates)


def _announcement_state(view, context, row: Announcement, name: str) -> str:
    if row.ended_at is not None:
        return f"已撤下 {minute(row.ended_at)}"
    if row.ends_on < today():
        return "已过期"
    return "展示中" if row.starts_on <= today() else "未开始"


class AnnouncementView(ScopedModelView):
    """公告: district-wide and per place, with their dates; place managers publish for their
    places, district admins everywhere (backend.services.announcements decides)."""
    roles = scope.OVERSEERS
    can_create = False
    can_edit = False
    can_delete = False
    list_template = "banban_admin/announcement_list.html"
    column_list = ["title", "place", "starts_on", "ends_on", "state", "created_by.name"]
    column_labels = {"state": "状态"}
    column_formatters = {"place": lambda v, c, r, n: r.place.name if r.place else "全区",
                         "state": _announcement_state}
    column_searchable_list = ["title"]
    column_default_sort = [("starts_on", True), ("id", True)]

    def publishes(self) -> bool:
        staff = current_staff()
        return staff is not None and staff.role in scope.PLACE_RUNNERS

    def _places(self, staff):
        return db.session.scalars(select(Place).where(scope.workable_places(staff))
                                  .order_by(Place.code)).all()

    def _form_page(self, announcement: Announcement | None, form: PostForm, values):
        staff = current_staff()
        return self.render("banban_admin/announcement_form.html", announcement=announcement,
                           form=form, values=values, places=self._places(staff),
                           district_wide=staff.role in scope.DISTRICT_ADMINS)

    @expose("/publish/", methods=("GET", "POST"))
    def publish(self):
        staff = current_staff()
        if not self.publishes():
            abort(403)
        form = PostForm()
        if form.validate_on_submit():
            def work(session):
                return create_announcement(session, staff, announcement_input(request.form),
                                           get_clock().now(), today())
            if run_service(work, "公告已发布"):
                return redirect(url_for(".index_view"))
        return self._form_page(None, form, request.form)

    def _changeable(self) -> Announcement:
        """The announcement the URL names, within scope (else 404), for one who may publish
        (else 403)."""
        announcement = self.get_one(request.args.get("id"))
        if announcement is None:
            abort(404)
        if not self.publishes():
            abort(403)
        return announcement

    @expose("/change/", methods=("GET", "POST"))
    def change(self):
        staff = current_staff()
        announcement = self._changeable()
        form = PostForm()
        if form.validate_on_submit():
            announcement_id = announcement.id

            def work(session):
                return update_announcement(session, staff, announcement_id,
                                           announcement_input(request.form), today())
            if run_service(work, "公告已修改"):
                return redirect(url_for(".index_view"))
            values = request.form
        else:
            values = {"title": announcement.title, "body": announcement.body,
                      "place": announcement.place.code if announcement.place else "",
                      "starts_on": announcement.starts_on.isoformat(),
                      "ends_on": announcement.ends_on.isoformat()}
        return self._form_page(announcement, form, values)

    @expose("/end/", methods=("POST",))
    def end(self):
        staff = current_staff()
        announcement = self._changeable()
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
        else:
            announcement_id = announcement.id
            run_service(lambda session: end_announcement(session, staff, announcement_id,
                                                         get_clock().now()), "公告已撤下")
        return redirect(url_for(".index_view"))

