"""The queue (取号叫号), the citizen's side: a place's queues now, taking and giving up a ticket."""
from flask import current_app, g

from backend.clock import get_clock
from backend.extensions import db
from backend.services.queue import tickets, waiting

from ..auth import citizen_required, current_citizen, unit_of_work
from ..blueprint import Blueprint
from ..schemas import PageQuery, PlaceQueueSchema, TicketIn, TicketSchema, page_of

blp = Blueprint("tickets", __name__, description="取号叫号：场所排队情况、线上取号、我的排队号")


def _age() -> int:
    return current_app.config["SPECIAL_GROUP_AGE"]


@blp.get("/places/<code>/queue")
@blp.response(200, PlaceQueueSchema)
def place_queue(code):
    """场所当前的排队情况（公开）：各队列等候人数与预计等候时间"""
    now = get_clock().now()
    place = tickets.place_by_code(db.session, code)
    states = waiting.queue_states(db.session, place.id, now)
    open_windows = tickets.windows_open_at(db.session, place.id)
    return {"open": open_windows > 0, "windows_open": open_windows, "queues": states,
            "updated_at": now}


@blp.get("/tickets")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(TicketSchema))
def my_tickets(args):
    """我今天的排队号（新的在前）"""
    now = get_clock().now()
    found, total = tickets.mine_today(db.session, current_citizen(), now, **args)
    return {"items": waiting.placed(db.session, found, now), "total": total}


@blp.post("/tickets")
@citizen_required
@blp.arguments(TicketIn)
@unit_of_work
@blp.response(201, TicketSchema)
def take_ticket(args):
    """线上取号（场所开放时；每人每个场所同时只能有一个等候中的号，按身份证号码计；可为已确认的亲友取号：for）"""
    now = get_clock().now()
    ticket = tickets.take_online(db.session, g.citizen_id, args["place"], args["item"],
                                 args["for_"], now, _age())
    return waiting.placed(db.session, [ticket], now)[0]


@blp.post("/tickets/<number>/cancel")
@citizen_required
@unit_of_work
@blp.response(200, TicketSchema)
def cancel_ticket(number):
    """放弃等候中的号"""
    now = get_clock().now()
    ticket = tickets.own_ticket(db.session, current_citizen(), number, now)
    return waiting.placed(db.session, [tickets.cancel(db.session, ticket, now)], now)[0]
