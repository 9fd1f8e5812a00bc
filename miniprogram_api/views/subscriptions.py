"""Subscribe messages: what a citizen accepted, and a staff member's WeChat link."""
from flask import current_app, g

from backend.clock import get_clock
from backend.domain.message_templates import CITIZEN_TEMPLATE_KEYS, STAFF_TEMPLATE_KEYS
from backend.extensions import db
from backend.services import notifications

from ..auth import citizen_required, current_citizen, staff_required, unit_of_work
from ..blueprint import Blueprint
from ..schemas import StaffWeChatBindIn, StaffWeChatSchema, SubscriptionsIn, SubscriptionsSchema

blp = Blueprint("subscriptions", __name__, description="订阅消息")


def _templates():
    return current_app.extensions["banban.templates"]


def _quota_cap() -> int:
    return current_app.config["SUBSCRIPTION_QUOTA_MAX"]


@blp.get("/subscriptions")
@citizen_required
@blp.response(200, SubscriptionsSchema)
def get_subscriptions():
    """可订阅的消息模板、每个一次性模板剩余的可发送条数和长期订阅的模板"""
    return notifications.subscriptions(db.session, current_citizen().openid, _templates(),
                                       CITIZEN_TEMPLATE_KEYS)


@blp.post("/subscriptions")
@citizen_required
@blp.arguments(SubscriptionsIn)
@unit_of_work
@blp.response(200, SubscriptionsSchema)
def post_subscriptions(args):
    """记录 wx.requestSubscribeMessage 中用户同意的模板：每次提交每个一次性模板至多加一条，累计不超过上限（默认10条；未知的模板键：422）"""
    return notifications.accept_subscriptions(db.session, current_citizen().openid,
                                              args["accepted"], _templates(),
                                              CITIZEN_TEMPLATE_KEYS, get_clock().now(),
                                              cap=_quota_cap())


@blp.post("/staff/wechat-bind")
@staff_required
@blp.arguments(StaffWeChatBindIn)
@unit_of_work
@blp.response(200, StaffWeChatSchema)
def staff_wechat_bind(args):
    """绑定工作人员的微信：此后指派、难点堵点和时限预警以订阅消息送达（未绑定或无订阅时留在管理后台的消息箱）"""
    login = current_app.extensions["banban.wechat"].code_to_session(args["code"])
    link = notifications.link_staff_wechat(db.session, g.staff, login.openid, get_clock().now())
    found = notifications.accept_subscriptions(db.session, link.openid, args["accepted"],
                                               _templates(), STAFF_TEMPLATE_KEYS,
                                               get_clock().now(), cap=_quota_cap())
    return {"linked": True, "linked_at": link.linked_at, "templates": found.templates,
            "quota": found.quota, "long_term": found.long_term}
