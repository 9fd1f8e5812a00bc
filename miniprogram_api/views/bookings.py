"""Slots and bookings, the citizen's side."""

from flask import current_app, g, jsonify, request
from ..blueprint import Blueprint

from backend.clock import get_clock
from backend.extensions import db
from backend.services import booking as booking_service
from backend.services import person_booking
from backend.services.booking import BookingRules
from backend.services.slots import list_slots

from ..auth import citizen_required, current_citizen, unit_of_work
from ..slot_listing import cached_listing, reads_as_special
from ..schemas import (
    BookingSchema, CitizenBookingIn, PageQuery, RescheduleIn, SlotQuery, SlotSchema, fast_dumper,
    page_of,
)

dump_slot, dump_booking = fast_dumper(SlotSchema), fast_dumper(BookingSchema)

blp = Blueprint("bookings", __name__, description="预约（含“5+X”错时、延时、周末和节假日服务）")


def _rules() -> BookingRules:
    return BookingRules.from_config(current_app.config)


@blp.get("/places/<code>/slots")
@cached_listing
@blp.arguments(SlotQuery, location="query")
@blp.response(200, page_of(SlotSchema))
def get_slots(args, code):
    """场所仍可预约的时段（开始前30分钟截止；kind：regular 正常、extended 错时延时、weekend 周末、holiday 节假日）"""
    slots = list_slots(db.session, code, args.get("from_"), args.get("to"), get_clock().now(),
                       _rules(), current_app.config["SLOT_LIST_MAX_DAYS"],
                       special=reads_as_special(current_app, request.environ))
    # Hundreds of rows on the page every citizen opens: the schema's fast path.
    return jsonify({"items": [dump_slot(slot) for slot in slots], "total": len(slots)})


@blp.post("/bookings")
@citizen_required
@blp.arguments(CitizenBookingIn)
@unit_of_work
@blp.response(201, BookingSchema)
def create_booking(args):
    """预约一个时段（可为已确认的亲友代为预约：for）"""
    if args["for_"] is not None:
        # 亲友代办: the relative's booking, counted by the relative's ID number.
        booking = person_booking.book_for_relative(
            db.session, g.citizen_id, args["for_"], args["slot"], args["item"],
            args["help_type"], args["note"], get_clock().now(), _rules())
        return jsonify(dump_booking(booking)), 201
    booking = booking_service.book(db.session, g.citizen_id, args["slot"], args["item"],
                                   args["help_type"], args["note"], get_clock().now(), _rules())
    # Every booking of a rush answers this: the schema's fast path.
    return jsonify(dump_booking(booking)), 201


@blp.get("/bookings")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(BookingSchema))
def my_bookings(args):
    """我的预约（新的在前）"""
    bookings, total = booking_service.list_bookings(db.session, current_citizen(), **args)
    return {"items": bookings, "total": total}


@blp.post("/bookings/<code>/cancel")
@citizen_required
@unit_of_work
@blp.response(200, BookingSchema)
def cancel_booking(code):
    """取消预约（开始前1小时以前）"""
    booking = booking_service.get_own_booking(db.session, current_citizen(), code)
    return booking_service.cancel(db.session, booking, get_clock().now(), _rules())


@blp.post("/bookings/<code>/reschedule")
@citizen_required
@blp.arguments(RescheduleIn)
@unit_of_work
@blp.response(200, BookingSchema)
def reschedule_booking(args, code):
    """改约到同一场所的另一时段（新时段约上后才释放原时段）"""
    booking = booking_service.get_own_booking(db.session, current_citizen(), code)
    return booking_service.reschedule(db.session, booking, args["slot"], get_clock().now(),
                                      _rules())
