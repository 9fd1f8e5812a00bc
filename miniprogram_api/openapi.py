"""What the OpenAPI document says beyond the schemas: each operation's stable id and summary, its
security and the error answers it can give, the error shapes, and examples from the demo.

Most of it is derived once, here, from what a view already declares: `citizen_required` and
`staff_required` name the bearer scheme (and bring 401, and 403 for staff), a path parameter
brings 404, a body, a query or an `Idempotency-Key` brings 422. `OPERATIONS` adds, per view, the
public name and the statuses that only the service behind it knows (a full slot, a case in the
wrong state). The Python tests validate every answer against this document (tests/openapi.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apispec import BasePlugin
from apispec.ext.marshmallow.field_converter import make_type_list
from flask import Flask

from backend import fields as f

from .auth import IDEMPOTENCY_KEY_MAX
from .errors import ERROR_CODES
from .schemas import ErrorSchema

EXAMPLES = json.loads((Path(__file__).parent / "examples.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Operation:
    id: str  # the public, stable operationId: a camelCase verb
    summary: str
    errors: tuple[int, ...] = ()  # statuses only the service knows (see `_error_statuses`)


# Keyed by Flask endpoint ("blueprint.view"). Every API view has exactly one entry: the app does
# not start otherwise. Renaming an operationId breaks the mini-program's generated client.
OPERATIONS: dict[str, Operation] = {
    "catalog.list_places": Operation("listPlaces", "服务场所列表"),
    "catalog.list_items": Operation("listItems", "事项列表"),
    "catalog.get_item": Operation("getItem", "事项详情"),
    "catalog.list_announcements": Operation("listAnnouncements", "当前公告"),
    "citizens.wechat_login": Operation("wechatLogin", "微信登录", (401, 429, 503)),
    "citizens.get_me": Operation("getMe", "我的信息"),
    "citizens.patch_me": Operation("updateMe", "修改个人信息"),
    "citizens.post_me": Operation("saveMe", "修改个人信息（小程序用 POST）"),
    "citizens.post_phone": Operation("bindPhone", "绑定手机号", (503,)),
    "citizens.my_relatives": Operation("listRelatives", "我的亲友"),
    "citizens.add_relative": Operation("addRelative", "添加亲友", (409,)),
    "citizens.end_relative": Operation("endRelative", "解除亲友关系", (409,)),
    "citizens.my_authorisations": Operation("listAuthorisations", "请求代我办理的授权"),
    "citizens.accept_authorisation": Operation("acceptAuthorisation", "同意授权", (409,)),
    "bookings.get_slots": Operation("listSlots", "场所可预约时段"),
    "bookings.create_booking": Operation("createBooking", "预约时段", (403, 404, 409)),
    "bookings.my_bookings": Operation("listMyBookings", "我的预约"),
    "bookings.cancel_booking": Operation("cancelBooking", "取消预约", (409,)),
    "bookings.reschedule_booking": Operation("rescheduleBooking", "改约", (409,)),
    "tickets.place_queue": Operation("getPlaceQueue", "场所排队情况"),
    "tickets.my_tickets": Operation("listMyTickets", "我今天的排队号"),
    "tickets.take_ticket": Operation("takeTicket", "线上取号", (404, 409)),
    "tickets.cancel_ticket": Operation("cancelTicket", "放弃排队号", (409,)),
    "cases.create_case": Operation("createCase", "申请帮办或代办"),
    "cases.my_cases": Operation("listMyCases", "我的办件"),
    "cases.my_projects": Operation("listMyProjects", "我的企业的重点项目"),
    "cases.get_case": Operation("getCase", "办件详情"),
    "cases.supplement": Operation("supplementMaterials", "补正材料", (409,)),
    "cases.agreement": Operation("getAgreement", "委托代办协议全文"),
    "cases.sign_agreement": Operation("signAgreement", "同意委托代办协议", (409,)),
    "cases.withdraw": Operation("withdrawCase", "撤回申请", (409,)),
    "cases.review": Operation("reviewCase", "评价办件", (409,)),
    "cases.terminate": Operation("terminateCommission", "终止代办委托", (409,)),
    "cases.documents": Operation("listCaseDocuments", "办件的文书"),
    "cases.document_pdf": Operation("getCaseDocumentPdf", "下载文书（PDF）"),
    "staff.staff_login": Operation("staffLogin", "工作人员登录", (401, 429)),
    "staff.staff_logout": Operation("staffLogout", "工作人员退出登录"),
    "staff.floor_bookings": Operation("listStaffBookings", "当日预约签到名单"),
    "staff.check_in": Operation("checkInBooking", "预约签到", (409,)),
    "staff.book_for_person": Operation("bookForPerson", "代为预约", (403, 404, 409)),
    "staff.cancel_for_person": Operation("cancelForPerson", "应预约人要求取消预约", (409,)),
    "staff_cases.list_cases": Operation("listStaffCases", "工作人员可查看的办件"),
    "staff_cases.get_case": Operation("getStaffCase", "办件详情（工作人员）"),
    "staff_cases.assign": Operation("assignCase", "指派帮办代办员", (409,)),
    "staff_cases.check": Operation("checkMaterials", "审查材料", (409,)),
    "staff_cases.reject": Operation("rejectCase", "不予受理", (409,)),
    "staff_cases.handover": Operation("handOverMaterials", "材料交接", (409,)),
    "staff_cases.paper_agreement": Operation("recordPaperAgreement", "登记纸质委托协议", (409,)),
    "staff_cases.start": Operation("startCase", "开始陪同办理", (409,)),
    "staff_cases.progress": Operation("recordProgress", "记录办理进展", (409,)),
    "staff_cases.complete": Operation("completeCase", "办结", (409,)),
    "staff_cases.return_materials": Operation("returnMaterials", "退还原件", (409,)),
    "staff_cases.escalate": Operation("escalateCase", "上报难点堵点", (409,)),
    "staff_cases.forward": Operation("forwardCase", "村级代办点转办", (403, 409)),
    "staff_cases.close_followup": Operation("closeReviewFollowup", "差评回访整改完成", (409,)),
    "staff_cases.take_at_window": Operation("takeCaseAtWindow", "窗口受理办件", (403, 409)),
    "staff_cases.lookup_person": Operation("lookUpPerson", "窗口查询来人的办件", (403,)),
    "staff_cases.confirm_relative": Operation("confirmRelativeAtWindow", "窗口确认亲友代办", (403, 409)),
    "staff_cases.confirm_special_group": Operation("confirmSpecialGroup", "确认特殊群体", (403, 404)),
    "staff_cases.end_special_group": Operation("endSpecialGroup", "解除特殊群体确认", (403, 404)),
    "staff_cases.schedule_visit": Operation("scheduleVisit", "安排上门代办", (409,)),
    "staff_cases.decline_visit": Operation("declineVisit", "不安排上门代办", (409,)),
    "staff_cases.record_visit": Operation("recordVisit", "登记已上门代办", (409,)),
    "staff_cases.visits_of_day": Operation("listVisits", "某日上门代办安排"),
    "staff_cases.suspend": Operation("suspendClock", "暂停计时：特别程序或中止委托", (409,)),
    "staff_cases.resume": Operation("resumeClock", "恢复计时", (409,)),
    "staff_cases.extend": Operation("extendDeadline", "延长办理时限", (409,)),
    "staff_cases.terminate": Operation("terminateCommissionByHall", "大厅终止代办委托", (409,)),
    "staff_cases.renew": Operation("renewCommission", "续办", (409,)),
    "staff_cases.documents": Operation("listStaffCaseDocuments", "办件的文书（工作人员）"),
    "staff_cases.document_pdf": Operation("printCaseDocument", "打印文书（PDF）"),
    "staff_cases.list_escalations": Operation("listEscalations", "难点堵点列表"),
    "staff_cases.resolve_escalation": Operation("resolveEscalation", "协调解决难点堵点", (409,)),
    "consultations.my_consultations": Operation("listConsultations", "我的咨询"),
    "consultations.ask": Operation("askConsultation", "提出咨询"),
    "consultations.item_faq": Operation("listItemFaq", "事项的常见问题"),
    "staff_consultations.staff_consultations": Operation("listStaffConsultations",
                                                         "工作人员可答复的咨询"),
    "staff_consultations.staff_consultation": Operation("getStaffConsultation", "咨询详情（工作人员）"),
    "staff_consultations.answer": Operation("answerConsultation", "答复咨询", (403, 409)),
    "staff_consultations.close": Operation("closeConsultation", "关闭咨询", (409,)),
    "staff_consultations.publish": Operation("publishConsultation", "发布到常见问题", (409,)),
    "subscriptions.get_subscriptions": Operation("getSubscriptions", "订阅消息模板与剩余次数"),
    "subscriptions.post_subscriptions": Operation("acceptSubscriptions", "记录同意的订阅消息"),
    "subscriptions.staff_wechat_bind": Operation("bindStaffWeChat", "工作人员绑定微信", (503,)),
}

SECURITY_SCHEMES = {
    "citizenAuth": {"type": "http", "scheme": "bearer",
                    "description": "群众令牌：POST /auth/wechat-login 的 token"},
    "staffAuth": {"type": "http", "scheme": "bearer",
                  "description": "工作人员令牌：POST /staff/login 的 token；退出登录、停用账号或修改密码后失效"},
}

# Path parameters, named by the collection they follow.
PATH_PARAMETERS = {
    "places": ("场所编码", "BS-HALL"),
    "items": ("事项编码", "SB-001"),
    "bookings": ("预约码（8位，现场签到用）", "7KQ2M9XD"),
    "cases": ("办件编号 BS-YYYYMMDD-NNNN", "BS-20261130-0001"),
    "escalations": ("难点堵点 id", 1),
    "relatives": ("亲友 id", 1),
    "tickets": ("排队号（当天的号，如 A001）", "A001"),
    "authorisations": ("授权请求 id", 1),
    "special-groups": ("特殊群体确认 id", 1),
    "documents": ("文书 id（GET /cases/{number}/documents）", 1),
    "consultations": ("咨询 id", 1),
}

# The error answers. Codes are listed per status; the `Error` schema's `code` enum has them all.
ERROR_RESPONSES = {
    400: ("BadRequest", "请求无法解析（invalid_input）：不是有效的 JSON，或地址含无效字符"),
    401: ("Unauthorized", "未登录、令牌无效或已过期（unauthorized）"),
    403: ("Forbidden", "无权进行此操作（forbidden）；多次预约未到暂停预约（booking_blocked）"),
    404: ("NotFound", "资源不存在，或不在您可见的范围内（not_found）"),
    409: ("Conflict", "与当前状态冲突：时段已约满（slot_full）、重复预约（duplicate_booking）、"
                      "状态不允许（invalid_state）、已过可操作时间（too_late）"),
    413: ("PayloadTooLarge", "请求体过大（invalid_input）"),
    422: ("UnprocessableContent", "输入有误（invalid_input）；不在可预约期内（outside_booking_window）；"
                                  "有效预约已达上限（booking_limit）"),
    429: ("TooManyRequests", "请求过于频繁，或登录失败次数过多已暂时锁定（rate_limited）"),
    503: ("ServiceUnavailable", "服务暂时不可用，可稍后重试（service_unavailable、wechat_unavailable）"),
}

FIELD_ERRORS = {
    "type": "object",
    "description": "逐字段的错误说明：键为字段名（请求体的错误在 json 下，查询参数的在 query 下），"
                   "值为中文说明的列表，或下一层字段的同样结构（列表元素以序号为键）",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}},
                                       {"$ref": "#/components/schemas/FieldErrors"}]},
    "example": {"json": {"slot": ["缺少必填项"], "note": ["最多500个字符"]}},
}

SUCCESS_DESCRIPTIONS = {"200": "成功", "201": "已创建", "204": "成功，无内容"}


def _validation_error() -> dict:
    return {
        "type": "object", "required": ["error"],
        "description": "输入有误时的错误答复：details 逐字段说明",
        "properties": {"error": {
            "type": "object", "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "enum": list(ERROR_CODES)},
                "message": {"type": "string", "description": "中文说明"},
                "details": {"$ref": "#/components/schemas/FieldErrors"},
            },
        }},
        "example": {"error": {"code": "invalid_input", "message": "请求参数有误",
                              "details": {"json": {"slot": ["缺少必填项"]}}}},
    }


def _error_statuses(path: str, operation: dict, view, extra: tuple[int, ...]) -> set[int]:
    statuses = {400, 503, *extra}  # any request may be malformed; the database may be down
    signed_in_as = getattr(view, "signed_in_as", None)
    if signed_in_as:
        statuses.add(401)
    if signed_in_as == "citizen":
        statuses.add(429)  # the per-citizen limits (ratelimits.py)
    if signed_in_as == "staff":
        statuses.add(403)  # a role or a place outside the staff member's scope
    if "{" in path:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {413, 422}
    if any(p.get("in") == "query" for p in operation.get("parameters", [])):
        statuses.add(422)
    if getattr(view, "takes_idempotency_key", False) and signed_in_as:
        statuses.add(422)
    return statuses


class ContractPlugin(BasePlugin):
    """An apispec plugin: runs on every path flask-smorest registers."""

    def __init__(self, app: Flask, prefix: str):
        self.app, self.prefix = app, prefix

    def init_spec(self, spec) -> None:
        self.spec = spec
        for name, scheme in SECURITY_SCHEMES.items():
            spec.components.security_scheme(name, scheme)
        spec.components.schema("Error", schema=ErrorSchema)
        spec.components.schema("FieldErrors", FIELD_ERRORS)
        spec.components.schema("ValidationError", _validation_error())
        for status, (name, description) in ERROR_RESPONSES.items():
            schema = "ValidationError" if status == 422 else "Error"
            response = {"description": description, "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
            if status == 429:
                response["headers"] = {"Retry-After": {
                    "description": "多少秒后可以再试", "schema": {"type": "integer", "minimum": 1}}}
            spec.components.response(name, response)

    def path_helper(self, path: str, parameters: list[dict], **kwargs: Any) -> str:
        # The document's paths are relative to its server, `/api/v1`.
        path = path.removeprefix(self.prefix)
        segments = path.split("/")
        for parameter in parameters:
            if parameter.get("in") != "path":
                continue
            name = "{%s}" % parameter["name"]
            position = next(i for i, segment in enumerate(segments)
                            if segment == name or segment.startswith(name + "."))
            collection = segments[position - 1]
            parameter["description"], parameter["example"] = PATH_PARAMETERS[collection]
        return path

    def operation_helper(self, path: str, operations: dict, **kwargs: Any) -> None:
        endpoint = kwargs["rule"].endpoint
        view = self.app.view_functions[endpoint]
        declared = OPERATIONS.get(endpoint)
        if declared is None:
            raise LookupError(f"{endpoint}: add it to OPERATIONS in miniprogram_api/openapi.py")
        for operation in operations.values():
            self._complete(path, operation, view, declared)

    def _complete(self, path: str, operation: dict, view, declared: Operation) -> None:
        docstring = " ".join(filter(None, (operation.get("summary"), operation.get("description"))))
        operation["operationId"] = declared.id
        operation["summary"] = declared.summary
        operation["description"] = docstring or declared.summary
        signed_in_as = getattr(view, "signed_in_as", None)
        operation["security"] = [{f"{signed_in_as}Auth": []}] if signed_in_as else []

        parameters = operation.setdefault("parameters", [])
        if getattr(view, "takes_idempotency_key", False) and signed_in_as:
            parameters.append({
                "in": "header", "name": "Idempotency-Key", "required": False,
                "description": "幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建",
                "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
                "example": "a1b2c3d4-booking-1"})
        if not parameters:
            del operation["parameters"]

        responses = operation["responses"] = {
            str(status): response for status, response in operation.get("responses", {}).items()}
        for status, response in responses.items():
            if str(status) in SUCCESS_DESCRIPTIONS and isinstance(response, dict):
                response["description"] = SUCCESS_DESCRIPTIONS[str(status)]
        for status in sorted(_error_statuses(path, operation, view, declared.errors)):
            responses[str(status)] = ERROR_RESPONSES[status][0]

        examples = EXAMPLES.get(declared.id, {})
        if "request" in examples:
            operation["requestBody"]["content"]["application/json"]["example"] = examples["request"]
        if "response" in examples:
            success = next(status for status in responses if status.startswith("2"))
            responses[success]["content"]["application/json"]["example"] = examples["response"]


def precise_field(self, field, ret: dict, **kwargs) -> dict:
    """A marshmallow attribute function: times carry their pattern; a request field is never
    documented as `default: null` (leaving it out means the same); a nullable enum admits null."""
    if isinstance(field, f.HourMinute):
        ret["pattern"] = f.HourMinute._pattern.pattern
        ret.setdefault("example", "09:00")
    if "default" in ret and ret["default"] is None:
        del ret["default"]
    ret.pop("readOnly", None)  # answers are read-only as a whole; requests never carry these
    if "enum" in ret and "null" in make_type_list(ret.get("type")) and None not in ret["enum"]:
        ret["enum"] = [*ret["enum"], None]
    return {}


def describe_fields(api) -> None:
    """Teach the spec's marshmallow converter our fields; call before registering blueprints."""
    api.register_field(f.HourMinute, "string", None)
    api.ma_plugin.converter.add_attribute_function(precise_field)
