"""How the product names its records, their fields and the coded values they hold, in Chinese:
one vocabulary for every page that shows them. The admin's column headers and form labels come
from here (admin.base.ScopedModelView), and so does the operation log's reading of a change
(services.audit_log); a new column gets its label here, and tests/test_audit_log.py fails for a
column of an audited table that has none.

Records are keyed by table name (what the audit log stores), fields by attribute name: a column,
a relationship or a property. A foreign key column (`agent_id`) is named as its relationship
(`agent`)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import inspect

from ..models import (
    BOOKING_STATUSES, BULLETIN_KINDS, CASE_STATUSES, CHANNELS, DOCUMENT_KINDS, HELP_TYPES, NOTIFICATION_STATUSES,
    PLACE_LEVELS, RELATIVE_STATUSES, ROLES, SEAT_POOLS, SLOT_KINDS, SPECIAL_GROUP_KINDS,
    SUSPENSION_CAUSES, SUSPENSION_KINDS, VISIT_STATUSES, CONSULTATION_STATUSES, FLOOR_OUTCOMES,
    PROPOSAL_STATUSES, QUESTION_KINDS, SUGGESTION_STATUSES,
)
from ..models.case import REVIEW_LEVELS
from ..models.queue import TICKET_CHANNELS, TICKET_STATUSES
from .cases.lifecycle import ACTION_LABELS

WEEKDAY_NAMES = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}
CANCELLED_BY = {"citizen": "群众", "hall": "大厅"}
TERMINATED_BY = {"citizen": "申请人", "hall": "大厅"}
AGREEMENT_METHODS = {"online": "小程序线上签订", "paper": "纸质协议"}
RECEIPT_KINDS = {"handover": "材料交接", "return": "原件退还"}
AUDIT_ACTIONS = {"create": "新增", "update": "修改", "delete": "删除", "read": "查看"}
# The outbox's events (docs/wechat.md's template keys), as the hall says them.
MESSAGE_EVENTS = {
    "booking_confirmed": "预约成功", "booking_reminder": "预约提醒", "booking_cancelled": "预约取消",
    "materials_incomplete": "材料补正告知", "case_accepted": "受理通知", "case_progress": "办理进度",
    "case_completed": "办结通知", "review_invite": "邀请评价", "review_followup": "差评整改结果",
    "case_assigned": "办件指派", "case_escalated": "难点堵点上报", "deadline_warning": "时限预警",
    "acceptance_due": "受理期限预警", "deadline_changed": "办理时限变更",
    "originals_overdue": "原件逾期未退还", "ticket_soon": "即将叫号",
    "consultation_answered": "咨询答复",
    "consultation_overdue": "咨询超时未答复", "suggestion_answered": "意见建议答复",
}


@dataclass(frozen=True)
class Record:
    name: str
    fields: Mapping[str, str]
    # Coded columns: stored value -> what a person reads.
    values: Mapping[str, Mapping] = field(default_factory=dict)


_CASE = {"case": "办件"}

RECORDS: dict[str, Record] = {
    "place": Record("服务场所", {
        "code": "编码", "name": "名称", "level": "级别", "parent": "上级场所", "address": "地址",
        "phone": "电话", "latitude": "纬度", "longitude": "经度",
        "self_service_devices": "设有自助设备", "children": "下级场所", "stations": "驻场部门"},
        {"level": PLACE_LEVELS}),
    "department": Record("部门", {"code": "编码", "name": "名称", "stations": "所驻场所"}),
    "station": Record("部门站所", {"place": "场所", "department": "部门"}),
    "service_item": Record("事项", {
        "code": "编码", "name": "名称", "category": "类别", "department": "牵头部门",
        "commitment_days": "承诺时限（工作日）", "fee": "收费", "offers_assist": "提供帮办",
        "offers_proxy": "提供代办", "help_types": "服务方式", "departments_involved": "协办部门",
        "places": "服务场所", "materials": "材料"}),
    "material": Record("材料", {
        "item": "所属事项", "code": "编码", "name": "名称", "copies": "份数", "original": "需原件",
        "required": "必须提交", "how_to_obtain": "获取方式", "position": "顺序"}),
    "schedule_rule": Record("预约排班规则", {
        "place": "场所", "kind": "类型", "weekdays": "适用星期", "start_time": "开始时间",
        "end_time": "结束时间", "slot_minutes": "每段时长（分钟）", "capacity": "每段可约人数",
        "reserved": "其中特殊群体保留号源", "walk_in": "其中现场号源"},
        {"kind": SLOT_KINDS}),
    "rota_entry": Record("值班", {"place": "场所", "date": "日期", "staff": "值班人员"}),
    "slot": Record("预约时段", {
        "place": "场所", "date": "日期", "start_time": "开始时间", "end_time": "结束时间",
        "kind": "时段类型", "capacity": "可约人数", "booked": "已约人数", "active": "开放预约",
        "reserved": "特殊群体保留号源", "walk_in": "现场号源",
        "reserved_booked": "已约保留号源", "walk_in_booked": "已约现场号源"},
        {"kind": SLOT_KINDS}),
    "booking": Record("预约", {
        "code": "预约码", "citizen": "预约人", "slot": "预约时段", "place": "场所", "item": "事项",
        "help_type": "服务方式", "note": "备注", "status": "状态", "created_at": "预约时间",
        "cancelled_at": "取消时间", "cancelled_by": "取消方", "cancel_reason": "取消原因",
        "checked_in_at": "签到时间", "checked_in_by": "签到经办人", "no_show_at": "记为未到时间",
        "confirmation_queued": "预约确认消息已排队", "booked_by": "代为预约的工作人员",
        "person_name": "预约人姓名", "person_phone_encrypted": "预约人手机号码",
        "person_id_number_encrypted": "预约人身份证号码",
        "person_id_number_key": "预约人身份证号码（检索用摘要）", "relative": "为其预约的亲友",
        "seat": "号源"},
        {"status": BOOKING_STATUSES, "help_type": HELP_TYPES, "cancelled_by": CANCELLED_BY,
         "seat": SEAT_POOLS}),
    "citizen": Record("群众", {
        "openid": "微信标识", "unionid": "微信开放平台标识", "name": "姓名",
        "phone_encrypted": "手机号码", "id_number_encrypted": "身份证号码",
        "id_number_key": "身份证号码（检索用摘要）",
        "created_at": "注册时间", "blocked_until": "暂停预约至"}),
    "relative": Record("亲友代办关系", {
        "citizen": "发起群众", "name": "亲友姓名", "relation": "关系",
        "id_number_encrypted": "亲友身份证号码", "id_number_key": "亲友身份证号码（检索用摘要）",
        "phone_encrypted": "亲友手机号码", "status": "状态", "created_at": "添加时间",
        "confirmed_at": "确认时间", "confirmed_by_citizen": "确认的亲友账号",
        "confirmed_by_staff": "确认的工作人员", "confirmation_note": "确认说明",
        "ended_at": "结束时间", "ended_by": "结束方"},
        {"status": RELATIVE_STATUSES}),
    "queue": Record("取号队列", {
        "place": "场所", "code": "队列编码", "name": "队列名称", "green_channel": "绿色通道",
        "service_minutes": "标准办理时长（分钟）", "items": "事项"}),
    "service_window": Record("服务窗口", {
        "place": "场所", "code": "窗口编号", "name": "窗口名称", "is_open": "开放中",
        "staff": "坐席人员", "queues": "叫号队列"}),
    "queue_item": Record("队列事项", {"queue": "队列", "item": "事项"}),
    "window_queue": Record("窗口叫号队列", {"window": "窗口", "queue": "队列"}),
    "ticket": Record("排队号", {
        "place": "场所", "queue": "队列", "day": "日期", "sequence": "当日序号", "number": "号码",
        "channel": "取号渠道", "status": "状态", "item": "事项", "citizen": "群众",
        "booking": "预约", "relative": "为其取号的亲友", "person_name": "姓名",
        "person_id_number_encrypted": "身份证号码", "holder_key": "持号人（检索用摘要）",
        "issued_by": "出号工作人员", "green": "绿色通道", "slot_start": "预约时段开始",
        "order_at": "排队时间", "created_at": "取号时间", "window": "窗口",
        "called_at": "叫号时间", "call_count": "叫号次数", "serving_at": "开始办理时间",
        "done_at": "办结时间", "missed_at": "过号时间", "cancelled_at": "取消时间",
        "closed_at_day_end": "日终关闭", "requeued": "已重新排队", "soon_notified": "已发即将叫号提醒"},
        {"status": TICKET_STATUSES, "channel": TICKET_CHANNELS}),
    "consultation": Record("咨询", {
        "citizen": "提问人", "item": "事项", "place": "场所", "question": "问题", "status": "状态",
        "answer": "答复", "answered_by": "答复人", "answered_at": "答复时间",
        "close_note": "关闭原因", "created_at": "提问时间", "answer_due_on": "应答复日期",
        "overdue_warned_at": "超时提醒时间", "status_label": "状态"},
        {"status": CONSULTATION_STATUSES}),
    "faq_entry": Record("常见问题", {
        "item": "事项", "place": "发布场所", "consultation": "来源咨询", "question": "问题",
        "answer": "答复", "published_by": "发布人", "created_at": "发布时间",
        "updated_at": "更新时间", "withdrawn_at": "撤下时间"}),
    "floor_question": Record("现场咨询", {
        "place": "场所", "item": "事项", "kind": "问题类型", "outcome": "处理结果",
        "staff": "登记人", "asked_at": "时间", "kind_label": "问题类型",
        "outcome_label": "处理结果"},
        {"kind": QUESTION_KINDS, "outcome": FLOOR_OUTCOMES}),
    "training_record": Record("培训记录", {
        "staff": "人员", "course": "培训课程", "trained_on": "培训日期", "hours": "学时",
        "provider": "培训机构", "certificate_number": "证书编号", "recorded_by": "登记人",
        "recorded_at": "登记时间"}),
    "service_language": Record("服务规范用语", {
        "version": "版本", "title": "标题", "body": "正文", "published_by": "发布人",
        "published_at": "发布时间"}),
    "service_language_ack": Record("服务规范用语确认", {
        "staff": "人员", "service_language": "服务规范用语", "acknowledged_at": "确认时间"}),
    "registration_proposal": Record("登记备案申请", {
        "staff": "帮办代办员", "place": "场所", "station": "部门站所", "status": "状态", "proposed_by": "申请人",
        "proposed_at": "申请时间", "decided_by": "审批人", "decided_at": "审批时间",
        "reason": "理由", "status_label": "状态"},
        {"status": PROPOSAL_STATUSES}),
    "suggestion": Record("意见建议", {
        "author": "提出人", "place": "场所", "title": "标题", "body": "内容", "status": "状态",
        "submitted_at": "提出时间", "answer": "答复", "answered_by": "答复人",
        "answered_at": "答复时间", "status_label": "状态"},
        {"status": SUGGESTION_STATUSES}),
    "special_group_confirmation": Record("特殊群体确认", {
        "name": "姓名", "id_number_encrypted": "身份证号码",
        "id_number_key": "身份证号码（检索用摘要）", "kind": "特殊群体类别",
        "document": "查验的证件", "place": "确认场所", "confirmed_by": "确认人",
        "confirmed_at": "确认时间", "ended_at": "解除时间", "ended_by": "解除人",
        "kind_label": "特殊群体类别"},
        {"kind": SPECIAL_GROUP_KINDS}),
    "home_visit": Record("上门代办", {
        **_CASE, "status": "状态", "address_encrypted": "上门地址", "reason": "申请理由",
        "preferred_dates": "希望日期", "requested_at": "申请时间", "date": "上门日期",
        "start": "上门时间", "agent": "上门帮办代办员", "scheduled_by": "安排人",
        "note": "说明", "done_at": "上门办理时间"},
        {"status": VISIT_STATUSES}),
    "staff": Record("工作人员", {
        "username": "用户名", "name": "姓名", "password_hash": "密码", "role": "角色",
        "department": "所属部门", "phone": "电话", "active": "启用", "created_at": "创建时间",
        "session_version": "登录会话版本", "places": "所在场所",
        "registrations": "登记备案"},
        {"role": ROLES}),
    "agent_registration": Record("登记备案", {
        "staff": "帮办代办员", "station": "部门站所", "place": "场所", "registered_on": "登记日期",
        "ended_on": "终止日期"}),
    "login_throttle": Record("登录失败记录", {
        "username": "用户名", "failures": "连续输错密码次数", "last_attempt_at": "最近一次尝试",
        "locked_until": "锁定至"}),
    "service_case": Record("办件", {
        "number": "办件编号", "citizen": "申请群众", "item": "事项", "place": "场所",
        "lead_department": "牵头部门", "booking": "预约", "agent": "帮办代办员",
        "contact_agent": "村代办员（联系人）", "project": "重点项目",
        "help_type": "服务方式", "status": "状态", "applicant_name": "申请人",
        "applicant_phone_encrypted": "申请人电话", "applicant_id_number_encrypted": "申请人身份证号码",
        "enterprise_name": "企业名称", "uscc": "统一社会信用代码", "special_group": "特殊群体",
        "created_at": "申请时间", "received_on": "收件日期", "deemed_accepted": "依法视为受理",
        "accepted_on": "受理日期", "amber_on": "即将超期提醒日期",
        "due_date": "承诺办结日期", "finished_at": "办结时间", "reject_reason": "不予受理理由",
        "agreement_version": "委托协议版本", "agreement_signed_at": "委托协议签订时间",
        "agreement_method": "委托协议签订方式", "agreement_openid": "签订人微信标识",
        "agreement_recorded_by": "纸质协议登记人", "channel": "受理渠道",
        "applicant_id_number_key": "申请人身份证号码（检索用摘要）", "relative": "为其申请的亲友",
        "suspended_since": "暂停计时起始日", "suspensions": "特别程序与中止",
        "extensions": "延长办理时限", "documents": "文书", "commission_scope": "委托事项与范围",
        "commission_valid_until": "委托有效期至", "terminated_by": "终止方",
        "termination_reason": "终止理由"},
        {"status": CASE_STATUSES, "help_type": HELP_TYPES, "agreement_method": AGREEMENT_METHODS,
         "channel": CHANNELS, "terminated_by": TERMINATED_BY}),
    "case_material": Record("办件材料", {
        **_CASE, "material": "材料", "declared": "申请人已提交", "received_copies": "收到份数",
        "received_original": "收到原件", "received_at": "收件时间", "returned_at": "退还时间"}),
    "case_event": Record("办理记录", {
        **_CASE, "at": "时间", "action": "办理环节", "from_status": "原状态", "to_status": "新状态",
        "staff": "经办人", "by_citizen": "申请人本人操作", "note": "说明"},
        {"action": ACTION_LABELS, "from_status": CASE_STATUSES, "to_status": CASE_STATUSES}),
    "missing_material_notice": Record("一次性告知", {
        **_CASE, "staff": "告知人", "created_at": "告知时间", "note": "说明",
        "violates_one_time_rule": "违反一次性告知"}),
    "notice_line": Record("告知补正的材料", {
        "notice": "所属告知", "material": "材料", "note": "获取方式说明"}),
    "receipt": Record("材料交接单", {
        **_CASE, "kind": "类型", "staff": "经办人", "at": "时间",
        "citizen_confirmed": "申请人已确认", "note": "说明"},
        {"kind": RECEIPT_KINDS}),
    "receipt_result": Record("交付的办理结果", {
        "receipt": "所属回执", "name": "名称", "copies": "份数"}),
    "receipt_line": Record("交接的材料", {
        "receipt": "所属交接单", "material": "材料", "copies": "份数", "original": "原件"}),
    "case_suspension": Record("特别程序与中止", {
        **_CASE, "kind": "种类", "gbt_code": "GB/T 39046 代码", "cause": "原因",
        "reason": "理由", "expected_days": "预计工作日", "started_on": "开始日期",
        "started_at": "开始时间", "started_by": "经办人", "ended_on": "结束日期",
        "ended_at": "结束时间", "ended_by": "结束经办人", "working_days": "暂停的工作日",
        "note": "结束说明"},
        {"kind": SUSPENSION_KINDS, "cause": SUSPENSION_CAUSES}),
    "case_document": Record("文书", {
        **_CASE, "kind": "种类", "title": "名称", "issued_at": "出具时间", "ref_id": "对应记录",
        "staff": "经办人"}, {"kind": DOCUMENT_KINDS}),
    "case_extension": Record("延长办理时限", {
        **_CASE, "days": "延长的工作日", "gbt_code": "GB/T 39046 代码", "reason": "理由", "decided_at": "决定时间",
        "decided_by": "决定人", "due_before": "原承诺办结日期", "due_after": "新承诺办结日期"}),
    "department_task": Record("部门任务", {
        **_CASE, "department": "部门", "done": "已完成", "note": "说明", "done_at": "完成时间"}),
    "review": Record("评价", {
        **_CASE, "score": "评价", "comment": "评价内容", "created_at": "评价时间",
        "followup_due": "回访期限", "followup_closed_at": "回访完成时间", "followup_by": "回访人",
        "followup_callback": "回访情况", "followup_fix": "整改措施"},
        {"score": {score: f"{score}分（{label}）" for score, label in REVIEW_LEVELS.items()}}),
    "escalation": Record("难点堵点", {
        **_CASE, "raised_by": "提出人", "raised_at": "提出时间", "note": "督办事由",
        "resolved_by": "处理人", "resolved_at": "处理时间", "resolution": "处理结果"}),
    "announcement": Record("公告", {
        "place": "场所", "title": "标题", "body": "内容", "starts_on": "开始日期",
        "ends_on": "结束日期", "created_by": "发布人", "created_at": "发布时间",
        "ended_at": "撤下时间", "ended_by": "撤下人"}),
    "calendar_override": Record("节假日调整", {
        "date": "日期", "is_workday": "上班日", "name": "节日名称", "notice_year": "所属通知年份"}),
    "calendar_notice": Record("节假日调休通知", {
        "year": "年份", "title": "通知标题", "imported_at": "录入时间"}),
    "staff_wechat": Record("工作人员微信绑定", {
        "staff": "工作人员", "openid": "微信标识", "linked_at": "绑定时间"}),
    "notification": Record("微信消息", {
        "dedupe_key": "去重标识", "event": "消息类型", "subject": "相关对象", "citizen": "接收群众",
        "staff": "接收工作人员", "place": "场所", "payload": "消息内容", "status": "状态",
        "attempts": "发送次数", "due_at": "计划发送时间", "lease_until": "发送占用至",
        "quota_reserved": "已占用订阅次数", "errcode": "微信错误码", "errmsg": "微信错误原因",
        "created_at": "生成时间", "sent_at": "发送时间"},
        {"status": NOTIFICATION_STATUSES, "event": MESSAGE_EVENTS}),
    "coordination_meeting": Record("协调会议", {
        "place": "召开场所", "held_on": "会议日期", "topic": "会议议题", "convener": "召集人",
        "note": "会议纪要", "created_at": "记录时间", "attendees": "参会人员",
        "departments": "参会部门", "blockers": "讨论的难点堵点", "decisions": "决定事项"}),
    "meeting_blocker": Record("会议讨论的难点堵点", {
        "meeting": "协调会议", "escalation": "上报的难点堵点", "description": "内容"}),
    "meeting_decision": Record("会议决定事项", {
        "meeting": "协调会议", "text": "决定事项", "owner": "责任人", "due_on": "完成期限",
        "escalation": "解决的难点堵点", "done_at": "落实时间", "done_note": "落实情况"}),
    "working_standard": Record("工作标准", {
        "period_start": "开始日期", "period_end": "结束日期", "min_on_time_rate": "按时办结率不低于",
        "min_satisfaction": "满意度平均分不低于", "max_notice_violations": "一次性告知违规不超过",
        "max_registry_gaps": "登记备案缺口不超过", "max_deemed_acceptances": "逾期视为受理不超过",
        "min_consultations_answered_in_day": "咨询当日答复率不低于", "created_by": "设定人",
        "created_at": "设定时间"}),
    "inspection_visit": Record("检查记录", {
        "visited_on": "检查日期", "place": "场所", "department": "部门", "findings": "发现的问题",
        "followup_due": "整改期限", "recorded_by": "记录人", "created_at": "记录时间",
        "inspectors": "检查人员"}),
    "bulletin": Record("通报", {
        "number": "文号", "kind": "类型", "title": "标题", "period_start": "报告期开始",
        "period_end": "报告期结束", "body": "内容", "published_by": "发布人",
        "published_at": "发布时间", "entries": "通报对象"},
        {"kind": BULLETIN_KINDS}),
    "bulletin_entry": Record("通报对象", {
        "bulletin": "通报", "unit_kind": "单位类别", "unit_code": "编码", "unit_name": "名称",
        "cases": "办件量", "on_time_rate": "按时办结率", "satisfaction": "满意度平均分",
        "notice_violations": "一次性告知违规次数", "deemed_acceptances": "逾期视为受理",
        "registry_gaps": "登记备案缺口", "verdict": "对照标准"}),
    "key_project": Record("重点项目", {
        "code": "项目编号", "name": "项目名称", "enterprise_name": "企业名称",
        "uscc": "统一社会信用代码", "description": "项目简介", "place": "所属场所",
        "steward": "项目管家", "created_by": "创建人", "created_at": "创建时间",
        "members": "项目成员"}),
    "audit_log": Record("操作日志", {
        "at": "时间", "staff": "操作人", "action": "操作", "entity": "对象类型",
        "entity_key": "对象编号", "changes": "变更内容", "place": "场所"},
        {"action": AUDIT_ACTIONS}),
}


def weekday_names(days: Iterable[int] | None) -> str:
    """A schedule rule's weekdays as the hall says them (none: every day of its kind)."""
    return "每天" if days is None else "、".join(WEEKDAY_NAMES[d] for d in sorted(days))


def record_name(table: str) -> str | None:
    record = RECORDS.get(table)
    return record.name if record else None


def field_label(table: str, name: str) -> str | None:
    """A field's label; a foreign key column is named as its relationship."""
    record = RECORDS.get(table)
    if record is None:
        return None
    if name in record.fields:
        return record.fields[name]
    if name.endswith("_id"):
        return record.fields.get(name[:-3])
    return None


def value_labels(table: str, name: str) -> Mapping | None:
    record = RECORDS.get(table)
    return record.values.get(name) if record else None


def path_label(model: type, path: str) -> str | None:
    """The label of an attribute path as the admin lists it: `case.number` is the case's
    办件编号; a path ending in a related record's `name` (`case.place.name`) names that
    relationship (场所)."""
    *relations, last = path.split(".")
    owner = model
    for i, relation in enumerate(relations):
        if last == "name" and i == len(relations) - 1:
            return field_label(owner.__tablename__, relation)
        mapper_relation = inspect(owner).relationships.get(relation)
        if mapper_relation is None:
            return None
        owner = mapper_relation.mapper.class_
    return field_label(owner.__tablename__, last)
