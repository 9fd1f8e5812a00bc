"""Citizen login and profile."""
from ..blueprint import Blueprint
from flask import current_app

from backend.clock import get_clock
from backend.extensions import db
from backend.infrastructure.personal_data import decrypt
from backend.infrastructure.tokens import SPECIAL_GROUP, issue_token
from backend.services import citizens, relatives, special_groups

from ..auth import citizen_required, current_citizen, unit_of_work
from ..ratelimits import count_wechat_login
from ..schemas import (
    AuthorisationSchema, CitizenLoginOut, CitizenSchema, LoginIn, PageQuery, PhoneIn, ProfileIn,
    RelativeIn, RelativeSchema, page_of,
)

blp = Blueprint("citizens", __name__, description="群众登录与个人信息")


def _wechat():
    return current_app.extensions["banban.wechat"]


@blp.post("/auth/wechat-login")
@blp.arguments(LoginIn)
@unit_of_work
@blp.response(200, CitizenLoginOut)
def wechat_login(args):
    """微信登录：用 wx.login 的 code 换取令牌。

    演示模式仅在未设置任何微信变量（WECHAT_APPID、WECHAT_SECRET、WECHAT_TEMPLATES、
    WECHAT_API_BASE_URL）时开启：任意 code 对应一个固定的演示用户。设置了其中任何一个，演示登录
    即关闭；凭证不全（例如只设置了 WECHAT_APPID）时服务拒绝启动，不会退回演示模式。

    同一网络地址的登录次数有上限（WECHAT_LOGIN_RATE_LIMIT，默认每分钟120次、每小时1200次），
    超过时返回 429 rate_limited，Retry-After 为需等待的秒数。"""
    count_wechat_login()
    session = _wechat().code_to_session(args["code"])  # session_key stays on the server
    openid, unionid = session.openid, session.unionid
    now = get_clock().now()
    citizen = citizens.citizen_for_openid(db.session, openid, unionid, now)
    special = special_groups.is_special(db.session, decrypt(citizen.id_number_encrypted),
                                        citizen.id_number_key, now.date(),
                                        current_app.config["SPECIAL_GROUP_AGE"])
    token, expires_in = issue_token("citizen", citizen.id, SPECIAL_GROUP if special else "")
    return {"token": token, "expires_in": expires_in, "citizen": citizen}


@blp.get("/me")
@citizen_required
@blp.response(200, CitizenSchema)
def get_me():
    """我的信息（身份证号、手机号脱敏显示）"""
    return current_citizen()


@blp.patch("/me")
@citizen_required
@blp.arguments(ProfileIn)
@unit_of_work
@blp.response(200, CitizenSchema)
def patch_me(args):
    """修改姓名、身份证号"""
    return _update_me(args)


@blp.post("/me")
@citizen_required
@blp.arguments(ProfileIn)
@unit_of_work
@blp.response(200, CitizenSchema)
def post_me(args):
    """修改姓名、身份证号（同 PATCH /me；小程序的 wx.request 不支持 PATCH，请用此接口）"""
    return _update_me(args)


def _update_me(args):
    return citizens.update_profile(current_citizen(), args.get("name"), args.get("id_number"),
                                   get_clock().now())


@blp.post("/me/phone")
@citizen_required
@blp.arguments(PhoneIn)
@unit_of_work
@blp.response(200, CitizenSchema)
def post_phone(args):
    """绑定手机号：用手机号快速验证组件的 code 向微信换取号码。

    仅在演示模式（未设置任何微信变量）下 code 即手机号；配置微信后一律向微信换取。"""
    return citizens.set_phone(current_citizen(), _wechat().phone_number(args["code"]))


# 亲友代办 ------------------------------------------------------------------------------------

@blp.get("/me/relatives")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(RelativeSchema))
def my_relatives(args):
    """我的亲友（可为已确认的亲友代为预约、申请）"""
    found, total = relatives.list_relatives(db.session, current_citizen(), **args)
    return {"items": found, "total": total}


@blp.post("/me/relatives")
@citizen_required
@blp.arguments(RelativeIn)
@unit_of_work
@blp.response(201, RelativeSchema)
def add_relative(args):
    """添加亲友：亲友本人在小程序中确认，或到窗口由工作人员核验身份证和授权书后确认"""
    return relatives.add_relative(db.session, current_citizen(), args["name"], args["id_number"],
                                  args["relation"], args["phone"], get_clock().now())


@blp.delete("/me/relatives/<int(max=2147483647):relative_id>")
@citizen_required
@unit_of_work
@blp.response(204)
def end_relative(relative_id):
    """解除亲友关系（双方均可；已办的预约和办件保留）"""
    relatives.end(db.session, current_citizen(), relative_id, get_clock().now())
    return ""


@blp.get("/me/authorisations")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(AuthorisationSchema))
def my_authorisations(args):
    """请求代我办理的授权（按我的姓名和身份证号码）"""
    found, total = relatives.list_authorisations(db.session, current_citizen(), **args)
    return {"items": found, "total": total}


@blp.post("/me/authorisations/<int(max=2147483647):relative_id>/accept")
@citizen_required
@unit_of_work
@blp.response(200, AuthorisationSchema)
def accept_authorisation(relative_id):
    """同意授权：对方此后可为我预约、申请"""
    return relatives.accept(db.session, current_citizen(), relative_id, get_clock().now())
