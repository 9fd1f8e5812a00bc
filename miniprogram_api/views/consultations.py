"""Consultation (咨询): citizens ask about an item at a place and read the item's FAQ; the place's
agents and managers answer, close and publish on the staff side."""
from flask import g

from ..blueprint import Blueprint
from backend.clock import get_clock
from backend.extensions import db
from backend.services import consultation

from ..auth import citizen_required, current_citizen, staff_required, unit_of_work
from ..schemas import (
    ConsultationAnswerIn, ConsultationIn, ConsultationSchema, FaqEntrySchema, FaqPublishIn,
    PageQuery, RequiredNoteIn, StaffConsultationQuery, StaffConsultationSchema,
    StaffFaqEntrySchema, page_of,
)

blp = Blueprint("consultations", __name__, description="咨询与常见问题")
staff_blp = Blueprint("staff_consultations", __name__, description="工作人员：答复咨询")


@blp.get("/consultations")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(ConsultationSchema))
def my_consultations(args):
    """我的咨询（最新的在前）"""
    found, total = consultation.citizen_consultations(db.session, current_citizen(), **args)
    return {"items": found, "total": total}


@blp.post("/consultations")
@citizen_required
@blp.arguments(ConsultationIn)
@unit_of_work
@blp.response(201, ConsultationSchema)
def ask(args):
    """就某场所办理的某事项提出咨询（最多500个字符）；该场所负责此事项的帮办代办员答复后，
    以订阅消息 consultation_answered 通知"""
    return consultation.ask(db.session, current_citizen(), args["item"], args["place"],
                            args["question"], get_clock().now())


@blp.get("/items/<code>/faq")
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(FaqEntrySchema))
@blp.alt_response(404, description="未找到该事项")
def item_faq(args, code):
    """事项的常见问题（由场所管理员从已答复的咨询中整理发布）"""
    found, total = consultation.faq(db.session, code, **args)
    return {"items": found, "total": total}


@staff_blp.get("/staff/consultations")
@staff_required
@staff_blp.arguments(StaffConsultationQuery, location="query")
@staff_blp.response(200, page_of(StaffConsultationSchema))
def staff_consultations(args):
    """我可以答复或查看的咨询（待答复的在前，按提问时间）：帮办代办员为本人场所、本部门牵头的事项，
    场所管理员为所管场所"""
    found, total = consultation.staff_consultations(db.session, g.staff, **args)
    return {"items": found, "total": total}


@staff_blp.get("/staff/consultations/<int(max=2147483647):consultation_id>")
@staff_required
@staff_blp.response(200, StaffConsultationSchema)
def staff_consultation(consultation_id):
    """一条咨询"""
    return consultation.consultation_for_staff(db.session, g.staff, consultation_id)


@staff_blp.post("/staff/consultations/<int(max=2147483647):consultation_id>/answer")
@staff_required
@staff_blp.arguments(ConsultationAnswerIn)
@unit_of_work
@staff_blp.response(200, StaffConsultationSchema)
def answer(args, consultation_id):
    """答复咨询（只能答复一次）；群众收到 consultation_answered 订阅消息"""
    return consultation.answer(db.session, g.staff, consultation_id, args["answer"],
                               get_clock().now())


@staff_blp.post("/staff/consultations/<int(max=2147483647):consultation_id>/close")
@staff_required
@staff_blp.arguments(RequiredNoteIn)
@unit_of_work
@staff_blp.response(200, StaffConsultationSchema)
def close(args, consultation_id):
    """不答复而关闭咨询（重复提问、非咨询内容），须写明原因（场所管理员）"""
    return consultation.close(db.session, g.staff, consultation_id, args["note"],
                              get_clock().now())


@staff_blp.post("/staff/consultations/<int(max=2147483647):consultation_id>/publish")
@staff_required
@staff_blp.arguments(FaqPublishIn)
@unit_of_work
@staff_blp.response(200, StaffFaqEntrySchema)
def publish(args, consultation_id):
    """将已答复的咨询（可修改措辞）发布到事项的常见问题；再次发布即修改（场所管理员）"""
    return consultation.publish(db.session, g.staff, consultation_id, args["question"],
                                args["answer"], get_clock().now())
