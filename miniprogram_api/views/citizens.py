"""Citizen login and profile."""
from ..blueprint import Blueprint
from flask import current_app

from backend.clock import get_clock
from backend.extensions import db
from backend.infrastructure.tokens import issue_token
from backend.services import citizens

from ..auth import citizen_required, current_citizen, unit_of_work
from ..ratelimits import count_wechat_login
from ..schemas import CitizenLoginOut, CitizenSchema, LoginIn, PhoneIn, ProfileIn

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
    citizen = citizens.citizen_for_openid(db.session, openid, unionid, get_clock().now())
    token, expires_in = issue_token("citizen", citizen.id)
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
