"""叫号: the window's own page, used all day with the keyboard (call next, recall, serving, done,
missed, transfer, put back), the entrance's 出号 for walk-ins, and the floor's live view of
queues, windows and waits for those who run the place. Every action is one service call
(backend/services/queue); these views only translate forms."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import func, select

from backend.clock import get_clock
from backend.errors import NotFound
from backend.extensions import db
from backend.fields import ID_MAX
from backend.models import Place, Queue, ServiceItem, Ticket, Window, queue_item
from backend.services import scope
from backend.services.queue import calling, tickets, waiting, windows

from .auth import current_staff
from .base import ScopedPage, minute, run_service
from .forms import FORM_EXPIRED, PostForm
from .window import SPECIAL_GROUPS

QUEUE = "取号叫号"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) <= ID_MAX else None


class CallingView(ScopedPage):
    """叫号 for agents, managers and the district office at a window of their places."""
    roles = scope.CASE_WORKERS

    @property
    def extra_js(self) -> list[str]:
        return [*super().extra_js, url_for("banban_admin.static", filename="calling.js")]

    @expose("/")
    def index(self):
        staff = current_staff()
        desks = list(db.session.scalars(select(Window).where(
            scope.in_own_places(staff, Window.place_id)).order_by(Window.place_id, Window.code)))
        chosen = _int(request.args.get("window"))
        desk = next((w for w in desks if w.id == chosen), desks[0] if len(desks) == 1 else None)
        now = get_clock().now()
        context = {"desks": desks, "desk": desk, "form": PostForm(), "minute": minute}
        if desk is not None:
            current = calling.current_ticket(db.session, desk)
            place_queues = list(db.session.scalars(select(Queue).where(
                Queue.place_id == desk.place_id).order_by(Queue.code)))
            missed = list(db.session.scalars(select(Ticket).where(
                Ticket.place_id == desk.place_id, Ticket.day == now.date(),
                Ticket.status == "missed", Ticket.requeued.is_(False))
                .order_by(Ticket.missed_at.desc()).limit(20)))
            items = list(db.session.scalars(
                select(ServiceItem).join(queue_item, queue_item.c.item_id == ServiceItem.id)
                .join(Queue, Queue.id == queue_item.c.queue_id)
                .where(Queue.place_id == desk.place_id).distinct().order_by(ServiceItem.code)))
            served = db.session.scalar(select(func.count(Ticket.id)).where(
                Ticket.window_id == desk.id, Ticket.day == now.date(), Ticket.status == "done"))
            context.update(current=current, queues=place_queues, missed=missed, items=items,
                           states=waiting.queue_states(db.session, desk.place_id, now),
                           served=served, max_calls=calling.MAX_CALLS,
                           special_groups=SPECIAL_GROUPS)
        return self.render("banban_admin/calling.html", **context)

    def _back(self, window_id: int | None):
        return redirect(url_for(".index", window=window_id))

    @expose("/<int(max=2147483647):window_id>/<action>", methods=("POST",))
    def act(self, window_id: int, action: str):
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
            return self._back(window_id)
        staff = current_staff()
        now = get_clock().now()
        ticket_id = _int(request.form.get("ticket"))
        if action == "call":
            def call(session):
                called = calling.call_next(session, staff, window_id, now)
                flash(f"请 {called.number} 号到{called.window_name}办理" if called
                      else "当前没有等候的号", "success" if called else "info")
            run_service(call)
        elif action in ("open", "close"):
            run_service(lambda s: calling.set_open(
                s, staff, calling.window_for(s, staff, window_id), action == "open"),
                "窗口已开放" if action == "open" else "窗口已关闭")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            extra = (request.form.get("queue") or "",) if action == "transfer" else ()

            def act(session):
                calling.window_for(session, staff, window_id)
                if ticket_id is None:
                    raise NotFound("未找到该号")
                ticket = service(session, staff, ticket_id, *extra, now)
                flash(done.format(number=ticket.number), "success")
            run_service(act)
        else:
            flash("未知的操作", "error")
        return self._back(window_id)

    @expose("/<int(max=2147483647):window_id>/walk-in", methods=("POST",))
    def walk_in(self, window_id: int):
        """出号 at the entrance: a walk-in's ticket, with or without an ID number."""
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
            return self._back(window_id)
        staff = current_staff()
        form = request.form

        def issue(session):
            desk = calling.window_for(session, staff, window_id)
            ticket = tickets.walk_in(
                session, staff, desk.place, form.get("item") or "", form.get("name"),
                form.get("id_number"), form.get("special_group"), get_clock().now(),
                current_app.config["SPECIAL_GROUP_AGE"])
            flash(f"已出号 {ticket.number}（{ticket.queue.name}"
                  f"{'，绿色通道' if ticket.green else ''}），请将号码告知办事人", "success")
        run_service(issue)
        return self._back(window_id)


ACTIONS = {
    "recall": (calling.recall, "已再次呼叫 {number}"),
    "serve": (calling.serve, "{number} 开始办理"),
    "finish": (calling.finish, "{number} 已办结"),
    "miss": (calling.miss, "{number} 已过号"),
    "put-back": (calling.put_back, "{number} 已重新排到队尾"),
    "transfer": (calling.transfer, "{number} 已转到其他队列，号码不变"),
}


class QueueFloorView(ScopedPage):
    """排队概况: the queues, windows and waits of the places one runs or oversees, live; and
    the windows' queues, kept by those who run the place."""
    roles = scope.OVERSEERS

    @property
    def extra_js(self) -> list[str]:
        return [*super().extra_js, url_for("banban_admin.static", filename="calling.js")]

    @expose("/", methods=("GET", "POST"))
    def index(self):
        staff = current_staff()
        places = list(db.session.scalars(
            select(Place).where(scope.in_own_places(staff, Place.id),
                                select(Queue.id).where(Queue.place_id == Place.id).exists())
            .order_by(Place.code)))
        place = next((p for p in places if p.code == request.values.get("place")),
                     places[0] if places else None)
        form = PostForm()
        if request.method == "POST" and place is not None:
            if not form.validate_on_submit():
                flash(FORM_EXPIRED, "error")
            else:
                run_service(lambda s: windows.save_window(
                    s, staff, place, request.form.get("code"), request.form.get("name"),
                    request.form.getlist("queues")), "窗口已保存")
            return redirect(url_for(".index", place=place.code))
        context = {"places": places, "place": place, "form": form, "minute": minute,
                   "runs": place is not None and scope.may_manage(staff, place)}
        if place is not None:
            now = get_clock().now()
            desks = calling.floor(db.session, staff, place)
            holding = {t.window_id: t for t in db.session.scalars(select(Ticket).where(
                Ticket.place_id == place.id, Ticket.status.in_(("called", "serving"))))}
            context.update(
                states=waiting.queue_states(db.session, place.id, now), desks=desks,
                holding=holding,
                queues=list(db.session.scalars(select(Queue).where(Queue.place_id == place.id)
                                               .order_by(Queue.code))),
                recent=list(db.session.scalars(select(Ticket).where(
                    Ticket.place_id == place.id, Ticket.day == now.date(),
                    Ticket.called_at.is_not(None)).order_by(Ticket.called_at.desc()).limit(10))))
        return self.render("banban_admin/queue_floor.html", **context)


def add_views(admin) -> None:
    admin.add_view(CallingView(name="窗口叫号", category=QUEUE, endpoint="admin_calling",
                               url="calling"))
    admin.add_view(QueueFloorView(name="排队概况", category=QUEUE, endpoint="admin_queue_floor",
                                  url="queue-floor"))
