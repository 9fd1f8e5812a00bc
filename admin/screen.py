"""叫号屏: the public page a hall's television shows (/screen/<place code>): the latest call in
large type (ticket → window), the four before it, and each queue's waiting count. It loads only
this app's own script and style, and polls `/screen/<code>/state.json` every second, so a call
shows within two seconds without reloading. Nothing personal is shown: numbers and windows."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, render_template, request
from sqlalchemy import select

from backend.clock import get_clock
from backend.extensions import db
from backend.models import Ticket, Window
from backend.services.queue import tickets, waiting

LATEST_CALLS = 5
# The screen's own policy: nothing from elsewhere, no inline script or style, no framing.
SCREEN_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                 "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
                 "frame-ancestors 'none'")

screen_pages = Blueprint("call_screen", __name__, url_prefix="/screen",
                         template_folder="templates")


@screen_pages.get("/<code>")
def screen(code: str):
    place = tickets.place_by_code(db.session, code)
    return render_template("banban_admin/call_screen.html", place=place,
                           state=_state(place.id))


@screen_pages.get("/<code>/state.json")
def state(code: str):
    place = tickets.place_by_code(db.session, code)
    return jsonify(_state(place.id))


def _state(place_id: int) -> dict:
    now = get_clock().now()
    calls = db.session.execute(
        select(Ticket.number, Ticket.called_at, Ticket.call_count, Ticket.window_id)
        .where(Ticket.place_id == place_id, Ticket.day == now.date(),
               Ticket.called_at.is_not(None), Ticket.window_id.is_not(None))
        .order_by(Ticket.called_at.desc(), Ticket.id.desc()).limit(LATEST_CALLS)).all()
    names = dict(db.session.execute(select(Window.id, Window.name).where(
        Window.place_id == place_id)).all())
    return {
        "calls": [{"number": c.number, "window": names.get(c.window_id, ""),
                   "called_at": c.called_at.isoformat(), "calls": c.call_count}
                  for c in calls],
        "queues": [{"code": s.code, "name": s.name, "waiting": s.waiting,
                    "estimated_wait_minutes": s.estimated_wait_minutes}
                   for s in waiting.queue_states(db.session, place_id, now)],
        "updated_at": now.isoformat(),
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(screen_pages)

    @app.after_request
    def screen_policy(response):
        if request.blueprint == "call_screen":
            response.headers["Content-Security-Policy"] = SCREEN_POLICY
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers["Cache-Control"] = "no-store"
        return response
