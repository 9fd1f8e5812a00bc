"""The staff side on the floor: login and check-in."""
from ..blueprint import Blueprint
from flask import current_app, g

from backend.clock import get_clock, today
from backend.errors import Unauthorized
from backend.extensions import db
from backend.infrastructure.ratelimit import count_failed_sign_in
from backend.infrastructure.tokens import issue_token
from backend.services import booking as booking_service
from backend.services import person_booking
from backend.services.person_booking import Person
from backend.services.booking import BookingRules
from backend.services.staff import authenticate, end_sessions

from ..auth import staff_required, unit_of_work
from ..schemas import (
    BookingSchema, StaffBookingIn, StaffBookingQuery, StaffBookingSchema, StaffLoginIn,
    StaffLoginOut, page_of,
)

blp = Blueprint("staff", __name__, description="工作人员（帮办代办员、场所管理员）")


@blp.post("/staff/login")
@blp.arguments(StaffLoginIn)
@blp.response(200, StaffLoginOut)
def staff_login(args):
    """工作人员登录（连续5次密码错误，账号锁定15分钟：429 rate_limited；同一网络地址登录失败过多时，
    错误的密码也返回 429，正确的密码不受影响）"""
    # A locked name is refused by `authenticate` (429) before any password is checked.
    staff = authenticate(db.session, args["username"], args["password"], get_clock().now())
    if staff is None:
        count_failed_sign_in()  # 429 once the address has failed too often
        raise Unauthorized("用户名或密码错误")
    token, expires_in = issue_token("staff", staff.id, staff.session_stamp)
    return {"token": token, "expires_in": expires_in, "staff": staff}


@blp.post("/staff/logout")
@staff_required
@unit_of_work
@blp.response(204)
def staff_logout():
    """退出登录：本人的全部令牌与管理后台会话立即失效"""
    end_sessions(db.session, g.staff)
    return ""


@blp.get("/staff/bookings")
@staff_required
@blp.arguments(StaffBookingQuery, location="query")
@blp.response(200, page_of(StaffBookingSchema))
def floor_bookings(args):
    """某日（默认今天）我可查看的场所的预约，按时段开始时间排列：现场签到用（手机号脱敏）"""
    filters = booking_service.FloorFilter(day=args.pop("date", None) or today(), **args)
    found, total = booking_service.list_floor_bookings(db.session, g.staff, filters)
    return {"items": found, "total": total}


@blp.post("/staff/bookings")
@staff_required
@blp.arguments(StaffBookingIn)
@unit_of_work
@blp.response(201, StaffBookingSchema)
def book_for_person(args):
    """代为预约：为来电或到窗口的群众按其姓名、身份证号码预约时段（规则与群众自行预约相同，预约上限与爽约限制按身份证号码计）；预约码供念给对方或打印"""
    person = Person(**args.pop("person"))
    return person_booking.book_for_person(
        db.session, g.staff, person, args["slot"], args["item"], args["help_type"],
        args["note"], get_clock().now(), BookingRules.from_config(current_app.config))


@blp.post("/staff/bookings/<code>/cancel")
@staff_required
@unit_of_work
@blp.response(200, StaffBookingSchema)
def cancel_for_person(code):
    """应预约人要求取消预约（本人所在场所的预约；与群众自行取消的时限相同）"""
    return person_booking.cancel_for_person(db.session, g.staff, code, get_clock().now(),
                                            BookingRules.from_config(current_app.config))


@blp.post("/staff/bookings/<code>/check-in")
@staff_required
@unit_of_work
@blp.response(200, BookingSchema)
def check_in(code):
    """凭预约码签到（预约当天，开始前60分钟起至结束后30分钟内）"""
    return booking_service.check_in(db.session, g.staff, code, get_clock().now(),
                                    BookingRules.from_config(current_app.config))
