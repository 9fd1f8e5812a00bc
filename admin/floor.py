"""The floor's day: bookings by session with check-in and no-show, the 5+X rota and schedule
rules (a change that would cancel bookings is confirmed first), and the year's holiday notice.
Each change is one service operation (`slots.change_and_regenerate`) that decides who may make
it; these views only translate forms and show what was refused."""
from __future__ import annotations

import typing as t

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from backend import uow
from backend.clock import get_clock, today
from backend.errors import DomainError, FileInvalid, InvalidInput, Problem
from backend.extensions import db
from backend.fields import ID_MAX
from backend.models import (
    BOOKING_STATUSES, SLOT_KINDS, CalendarNotice, Place, RotaEntry, ScheduleRule, Staff,
)
from backend.services import booking as booking_service
from backend.services import scope
from backend.services.booking import BookingRules, FloorFilter
from backend.services.calendar import import_calendar
from backend.services.catalog import (
    add_rota_entry, remove_rota_entry, replace_schedules, schedule_entry,
)
from backend.services.labels import WEEKDAY_NAMES, weekday_names
from backend.services.slots import change_and_regenerate

from .auth import current_staff
from .base import (
    ReadOnlyView, ScopedPage, flash_refusal, minute, places_run_by_current_staff, run_service,
)
from .forms import FORM_EXPIRED, PostForm, parse_date

FLOOR = "预约与值班"




# --- the day's bookings ------------------------------------------------------------------------

class BookingDayView(ScopedPage):
    """某日预约: the sessions of a day by place, and the bookings to check in."""
    PER_PAGE = 100

    @expose("/")
    def index(self):
        staff = current_staff()
        day = parse_date(request.args.get("date"), today())
        place = request.args.get("place") or None
        kind = request.args.get("kind") or None
        if kind not in SLOT_KINDS:
            kind = None
        page = request.args.get("page", 1, type=int)
        page = page if 1 <= page <= 10_000 else 1
        sessions = booking_service.floor_sessions(db.session, staff, day, place)
        bookings, total = booking_service.list_floor_bookings(
            db.session, staff, FloorFilter(day=day, place=place, kind=kind, page=page,
                                           per_page=self.PER_PAGE))
        places = db.session.scalars(select(Place).where(scope.in_own_places(staff, Place.id))
                                    .order_by(Place.code)).all()
        return self.render("banban_admin/bookings.html", day=day, place=place, kind=kind,
                           sessions=sessions, bookings=bookings, total=total, page=page,
                           pages=max(1, -(-total // self.PER_PAGE)), places=places,
                           kinds=SLOT_KINDS, statuses=BOOKING_STATUSES, form=PostForm(),
                           acting=staff.role in scope.CASE_WORKERS, when=minute)

    def _act(self, code: str, service, done: str):
        if PostForm().validate_on_submit():
            staff = current_staff()
            rules = BookingRules.from_config(current_app.config)
            run_service(lambda session: service(session, staff, code, get_clock().now(), rules),
                        done)
        else:
            flash(FORM_EXPIRED, "error")
        return redirect(url_for(".index", **{k: v for k, v in request.args.items()
                                             if k in ("date", "place", "kind", "page")}))

    @expose("/check-in/<code>", methods=("POST",))
    def check_in(self, code: str):
        return self._act(code, booking_service.check_in, f"预约 {code} 已签到")

    @expose("/no-show/<code>", methods=("POST",))
    def no_show(self, code: str):
        return self._act(code, booking_service.mark_no_show, f"预约 {code} 已标记为未到")


# --- changes that regenerate slots, confirmed when they cancel bookings -------------------------

def confirmed_change(view, place: Place, change: t.Callable[[t.Any], t.Any], done: str,
                     back: str, what: str):
    """A change the place's slots follow (`change(session)`, a service call that checks the
    signed-in staff member), as one operation, `slots.change_and_regenerate`: previewed first
    (the same operation, rolled back by `uow.preview`), and when it would cancel bookings and the
    form did not confirm, the count shown and confirmation asked; then made. A refusal is
    flashed and nothing is written."""
    staff = current_staff()
    now, days = get_clock().now(), current_app.config["BOOKING_WINDOW_DAYS"]

    def operation(session):
        return change_and_regenerate(session, staff, change, now, days, {place.id})
    if request.form.get("confirm") != "1":
        try:
            preview = uow.preview(operation).slots
        except DomainError as exc:
            flash_refusal(exc)
            return redirect(back)
        if preview.bookings_cancelled:
            fields = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
            return view.render("banban_admin/confirm_change.html", place=place, what=what,
                               preview=preview, fields=fields, action=request.url, back=back)
    result = run_service(operation)
    if result:
        flash(f"{done}。预约时段：{result.slots.summary()}", "success")
    return redirect(back)


def _weekday_names(view, context, rule: ScheduleRule, name: str) -> str:
    return weekday_names(rule.weekday_set)


def _hour_minute(view, context, model, name: str) -> str:
    value = getattr(model, name)
    return "" if value is None else value.strftime("%H:%M")


class ScheduleRuleView(ReadOnlyView):
    """Each place's weekly schedule rules, read-only (ScheduleView adds the changes)."""
    column_list = ["place", "kind", "weekdays", "start_time", "end_time", "slot_minutes", "capacity",
                   "reserved", "walk_in"]
    column_details_list = column_list
    column_choices = {"kind": list(SLOT_KINDS.items())}
    column_formatters = {"weekdays": _weekday_names, "start_time": _hour_minute, "end_time": _hour_minute}
    column_filters = ["place.name", "kind"]
    column_sortable_list = [("place", "place.code"), "kind", "start_time"]
    column_default_sort = [("place_id", False), ("start_time", False)]


class RotaEntryView(ReadOnlyView):
    """Who is on duty where and when, read-only (RotaView adds the changes)."""
    column_list = ["date", "place", "staff"]
    column_details_list = column_list
    column_filters = ["date", "place.name", "staff.name"]
    column_sortable_list = ["date", ("place", "place.code"), ("staff", "staff.name")]
    column_default_sort = [("date", False), ("place_id", False)]


class RotaView(RotaEntryView):
    """轮班: who is on duty for each extended, weekend and holiday session."""
    list_template = "banban_admin/rota_list.html"

    def acting(self) -> bool:
        return current_staff().role in scope.PLACE_RUNNERS

    @expose("/add/", methods=("GET", "POST"))
    def add(self):
        """The form lists the places the staff member runs; who may put whom on duty where is
        `add_rota_entry`'s to decide."""
        staff = current_staff()
        form = PostForm()
        if form.validate_on_submit():
            chosen = request.form.get("place") or ""
            place = (db.session.get(Place, int(chosen))
                     if chosen.isdigit() and int(chosen) <= ID_MAX else None)
            if place is None:
                flash("请选择您管理的场所", "error")
            else:
                try:
                    day = parse_date(request.form.get("date"))
                except InvalidInput as exc:
                    flash_refusal(exc)
                else:
                    username = request.form.get("agent") or ""
                    return confirmed_change(
                        self, place,
                        lambda s: add_rota_entry(s, staff, place, day, username, today()),
                        f"已安排 {username} 于 {day} 在{place.name}值班", url_for(".index_view"),
                        "新增值班")
        places = places_run_by_current_staff()  # 403 for those who run no place
        agents = db.session.scalars(select(Staff).where(
            Staff.active.is_(True), Staff.role.in_(scope.PLACE_STAFF),
            Staff.places.any(scope.workable_places(staff))).order_by(Staff.name)).all()
        return self.render("banban_admin/rota_add.html", places=places, agents=agents, form=form)

    @expose("/remove/", methods=("GET", "POST"))
    def remove(self):
        """An entry outside the staff member's scope is not found (404); whether they may take
        it off the rota is `remove_rota_entry`'s to decide (the page is not offered to those
        who may not)."""
        staff = current_staff()
        entry = self.get_one(request.args.get("id"))
        if entry is None:
            abort(404)
        form = PostForm()
        if form.validate_on_submit():
            entry_id, place = entry.id, entry.place
            label = f"{entry.date} {entry.staff.name}"
            return confirmed_change(
                self, place,
                lambda s: remove_rota_entry(s, staff, s.get(RotaEntry, entry_id), today()),
                f"已取消 {label} 在{place.name}的值班", url_for(".index_view"), "取消值班")
        if not scope.may_manage(staff, entry.place):
            abort(403)
        return self.render("banban_admin/rota_remove.html", entry=entry, form=form)


def _weekdays(form) -> list[int] | None:
    days = sorted({int(d) for d in form.getlist("weekdays") if d.isdigit()})
    return days or None


class ScheduleView(ScheduleRuleView):
    """预约排班规则: each place's weekly sessions; a change regenerates its slots."""
    list_template = "banban_admin/schedule_list.html"

    def acting(self) -> bool:
        return current_staff().role in scope.PLACE_RUNNERS

    @expose("/change/", methods=("GET", "POST"))
    def change(self):
        """Edit a rule (?id=), add one (?place=) or delete one (delete=1), as the place's whole
        schedule through the catalogue's own checks."""
        staff = current_staff()
        rule = self.get_one(request.args["id"]) if request.args.get("id") else None
        if request.args.get("id") and rule is None:
            abort(404)
        place = rule.place if rule else db.session.scalar(
            select(Place).where(Place.code == (request.args.get("place") or "")))
        if place is None:
            abort(404)
        form = PostForm()
        if form.validate_on_submit():
            rule_id = rule.id if rule else None
            wanted = None if request.form.get("delete") == "1" else {
                "kind": request.form.get("kind"), "weekdays": _weekdays(request.form),
                "start": request.form.get("start"), "end": request.form.get("end"),
                "slot_minutes": _int(request.form.get("slot_minutes")),
                "capacity": _int(request.form.get("capacity")),
                "reserved": _int(request.form.get("reserved") or "0"),
                "walk_in": _int(request.form.get("walk_in") or "0")}

            def change(session):
                rules = session.scalars(select(ScheduleRule).where(
                    ScheduleRule.place_id == place.id).order_by(ScheduleRule.id)).all()
                entries = [schedule_entry(r) for r in rules if r.id != rule_id]
                if wanted is not None:
                    entries.append(dict(wanted))
                return replace_schedules(session, staff, place, entries)
            return confirmed_change(self, place, change, f"{place.name}的排班规则已更新",
                                    url_for(".index_view"), "修改排班规则")
        if not scope.may_manage(staff, place):  # the form is offered to those who run the place
            abort(403)
        return self.render("banban_admin/schedule_change.html", rule=rule, place=place,
                           form=form, kinds=SLOT_KINDS, weekday_names=WEEKDAY_NAMES)


def _int(value: str | None) -> t.Any:
    try:
        return int(value or "")
    except ValueError:
        return value  # the file's checks say what is wrong with it


# --- the year's holiday notice -----------------------------------------------------------------

def _notice_lines(text: str, path: str, parts: int) -> tuple[list[list[str]], list[Problem]]:
    rows, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        fields = [f.strip() for f in line.replace("，", ",").split(",")]
        if len(fields) != parts:
            problems.append(Problem(f"{path}第{number}行", f"应有{parts}项，以逗号分隔"))
        else:
            rows.append(fields)
    return rows, problems


class CalendarView(ScopedPage):
    """节假日安排: the district admin enters a year's official notice (调休)."""
    roles = scope.DISTRICT_ADMINS

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = PostForm()
        if form.validate_on_submit():
            holidays, problems = _notice_lines(request.form.get("holidays"), "放假安排", 3)
            workdays, more = _notice_lines(request.form.get("workdays"), "调休上班", 2)
            notice = {"year": _int(request.form.get("year")), "title": request.form.get("title"),
                      "holidays": [{"name": n, "start": s, "end": e} for n, s, e in holidays],
                      "workdays": [{"date": d, "name": n} for d, n in workdays]}

            staff = current_staff()

            def work(session):
                if problems or more:
                    raise FileInvalid(problems + more)
                now = get_clock().now()
                return change_and_regenerate(
                    session, staff, lambda s: import_calendar(s, staff, notice, now), now,
                    current_app.config["BOOKING_WINDOW_DAYS"])
            done = run_service(work)
            if done:
                flash("节假日安排已录入：新增 {} 天，更新 {} 天，删除 {} 天".format(*done.change),
                      "success")
                return redirect(url_for(".index"))
        notices = db.session.scalars(select(CalendarNotice).order_by(CalendarNotice.year)).all()
        return self.render("banban_admin/calendar.html", form=form, notices=notices,
                           values=request.form, when=minute)


def add_views(admin) -> None:
    admin.add_view(BookingDayView(name="当日预约", category=FLOOR, endpoint="admin_bookings",
                                  url="bookings"))
    admin.add_view(RotaView(RotaEntry, name="轮班", category=FLOOR, endpoint="admin_rota",
                            url="rota"))
    admin.add_view(ScheduleView(ScheduleRule, name="预约排班规则", category=FLOOR,
                                endpoint="admin_schedule", url="schedule"))
    admin.add_view(CalendarView(name="节假日安排", category=FLOOR, endpoint="admin_calendar",
                                url="calendar"))
