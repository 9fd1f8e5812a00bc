"""Cases, the staff side: check, accept, hand over, work, complete, return; escalations."""
from flask import current_app, g
from sqlalchemy import select
from ..blueprint import Blueprint

from backend.clock import get_clock, today
from backend.extensions import db
from backend.errors import NotFound
from backend.models import Place
from backend.services import cases, relatives, special_groups

from ..auth import staff_required, unit_of_work
from .cases import page, pdf_answer
from ..schemas import (
    PDF_ANSWER, AssignIn, ForwardIn, CheckIn, DocumentSchema, EscalationQuery, PageQuery, ExtendIn, RenewIn, SuspendIn, EscalationSchema, FollowupIn, HandoverIn, NoteIn,
    PersonHistorySchema, PersonLookupIn, ProgressIn, RejectIn, RequiredNoteIn, ReturnIn,
    ReviewSchema, SpecialGroupIn, SpecialGroupSchema, StaffCaseQuery, StaffCaseSchema,
    StaffRelativeSchema, VisitDayQuery,
    VisitDaySchema, VisitRecordIn, VisitScheduleIn, WindowCaseIn, WindowConfirmIn, page_of,
)

blp = Blueprint("staff_cases", __name__, description="工作人员：办件与难点堵点")


def _case(number: str, acting: bool = True):
    return cases.staff_case(db.session, g.staff, number, acting=acting)


@blp.get("/staff/cases")
@staff_required
@blp.arguments(StaffCaseQuery, location="query")
@blp.response(200, page_of(StaffCaseSchema))
def list_cases(args):
    """我可以查看的办件（按承诺办结日期排序；可按状态、时限预警、场所筛选）"""
    found, total = cases.list_staff_cases(db.session, g.staff, cases.CaseFilter(**args), today())
    return {"items": found, "total": total}


@blp.get("/staff/cases/<number>")
@staff_required
@blp.response(200, StaffCaseSchema)
def get_case(number):
    """办件详情"""
    return _case(number, acting=False)


@blp.post("/staff/cases/<number>/assign")
@staff_required
@blp.arguments(AssignIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def assign(args, number):
    """指派帮办代办员（场所管理员；本场所任一登记备案的帮办代办员）"""
    return cases.assign(db.session, _case(number), g.staff, args["agent"], get_clock().now())


@blp.post("/staff/cases/<number>/check")
@staff_required
@blp.arguments(CheckIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def check(args, number):
    """审查材料：齐全则受理并确定承诺办结日期；不全则一次性告知"""
    missing = [(line["material"], line["note"]) for line in args["missing"]]
    return cases.check_materials(db.session, _case(number), missing, g.staff, get_clock().now(),
                                 args["note"])


@blp.post("/staff/cases/<number>/reject")
@staff_required
@blp.arguments(RejectIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def reject(args, number):
    """不予受理（须说明理由）"""
    return cases.reject(db.session, _case(number), g.staff, args["reason"], get_clock().now())


@blp.post("/staff/cases/<number>/handover")
@staff_required
@blp.arguments(HandoverIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def handover(args, number):
    """代办：材料交接（逐项登记份数、原件或复印件，申请人当面确认）"""
    return cases.handover(db.session, _case(number), g.staff, args["materials"],
                          args["citizen_confirmed"], get_clock().now(), args["note"])


@blp.post("/staff/cases/<number>/agreement")
@staff_required
@unit_of_work
@blp.response(200, StaffCaseSchema)
def paper_agreement(number):
    """代办：登记申请人已签署纸质委托代办协议"""
    return cases.sign_agreement(db.session, _case(number), g.staff, get_clock().now())


@blp.post("/staff/cases/<number>/start")
@staff_required
@unit_of_work
@blp.response(200, StaffCaseSchema)
def start(number):
    """帮办：开始陪同办理"""
    return cases.start(db.session, _case(number), g.staff, get_clock().now())


@blp.post("/staff/cases/<number>/progress")
@staff_required
@blp.arguments(ProgressIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def progress(args, number):
    """记录办理进展；可标记某部门任务完成"""
    return cases.progress(db.session, _case(number), g.staff, args["note"], args["task"],
                          args["done"], get_clock().now())


@blp.post("/staff/cases/<number>/complete")
@staff_required
@blp.arguments(NoteIn, required=False)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def complete(args, number):
    """办结（各部门任务须全部完成；请求体可省略）"""
    return cases.complete(db.session, _case(number), g.staff, args.get("note"), get_clock().now())


@blp.post("/staff/cases/<number>/return")
@staff_required
@blp.arguments(ReturnIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def return_materials(args, number):
    """代办：退还全部原件"""
    return cases.return_materials(db.session, _case(number), g.staff, args["materials"],
                                  get_clock().now(), args["note"], args["results"])


@blp.post("/staff/cases/<number>/escalate")
@staff_required
@blp.arguments(RequiredNoteIn)
@unit_of_work
@blp.response(201, EscalationSchema)
def escalate(args, number):
    """上报难点堵点"""
    return cases.escalate(db.session, _case(number), g.staff, args["note"], get_clock().now())


@blp.post("/staff/cases/<number>/forward")
@staff_required
@blp.arguments(ForwardIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def forward(args, number):
    """转办：村级代办点的办件转至所属镇（街道）或区政务服务中心，由接收场所的管理员指派"""
    return cases.forward(db.session, _case(number), g.staff, args["place"], args["reason"],
                         get_clock().now())


@blp.post("/staff/cases/<number>/review-followup")
@staff_required
@blp.arguments(FollowupIn)
@unit_of_work
@blp.response(200, ReviewSchema)
def close_followup(args, number):
    """差评回访整改完成（场所管理员）"""
    return cases.close_followup(db.session, _case(number), g.staff, args["callback"],
                                args["fix"], get_clock().now())


@blp.get("/staff/escalations")
@staff_required
@blp.arguments(EscalationQuery, location="query")
@blp.response(200, page_of(EscalationSchema))
def list_escalations(args):
    """难点堵点列表"""
    found, total = cases.list_escalations(db.session, g.staff, args["open"], args["page"],
                                          args["per_page"])
    return {"items": found, "total": total}


@blp.post("/staff/escalations/<int(max=2147483647):escalation_id>/resolve")
@staff_required
@blp.arguments(RequiredNoteIn)
@unit_of_work
@blp.response(200, EscalationSchema)
def resolve_escalation(args, escalation_id):
    """协调解决难点堵点（场所管理员）"""
    escalation = cases.staff_escalation(db.session, g.staff, escalation_id)
    return cases.resolve_escalation(db.session, escalation, g.staff, args["note"],
                                    get_clock().now())


@blp.post("/staff/cases")
@staff_required
@blp.arguments(WindowCaseIn)
@unit_of_work
@blp.response(201, StaffCaseSchema)
def take_at_window(args):
    """窗口受理：为到窗口的申请人（可无小程序账号）创建帮办或代办办件，当面核验材料（齐全即受理，否则一次性告知）；代办可同时登记纸质委托协议和材料交接"""
    applicant = cases.Applicant(**args.pop("applicant"))
    intake = cases.WindowIntake(item=args["item"], place=args["place"],
                                help_type=args["help_type"], materials_seen=args["materials"],
                                special_group=args["special_group"], handover=args["handover"],
                                paper_agreement=args["paper_agreement"], note=args["note"])
    return cases.take_at_window(db.session, g.staff, applicant, intake, get_clock().now(),
                                current_app.config["CASE_NUMBER_PREFIX"])


@blp.post("/staff/people/lookup")
@staff_required
@blp.arguments(PersonLookupIn)
@unit_of_work
@blp.response(200, PersonHistorySchema)
def lookup_person(args):
    """窗口查询来人：校验身份证号码，列出此人在本人所在场所的办件（查询记入审计日志）"""
    return cases.person_history(db.session, g.staff, args["id_number"], get_clock().now(),
                                current_app.config["SPECIAL_GROUP_AGE"])


@blp.post("/staff/special-groups")
@staff_required
@blp.arguments(SpecialGroupIn)
@unit_of_work
@blp.response(201, SpecialGroupSchema)
def confirm_special_group(args):
    """确认特殊群体：查验残疾人证、退役军人证等证件后，按身份证号码确认此人属于特殊群体（可预约保留号源）。
    达到规定年龄（SPECIAL_GROUP_AGE，默认60岁）的老年人无需确认。同一类别已有有效确认时返回该确认。"""
    place = db.session.scalar(select(Place).where(Place.code == args["place"]))
    if place is None:
        raise NotFound("未找到该服务场所", {"place": args["place"]})
    return special_groups.confirm(db.session, g.staff, place, args["name"], args["id_number"],
                                  args["kind"], args["document"], get_clock().now())


@blp.post("/staff/special-groups/<int(max=2147483647):confirmation_id>/end")
@staff_required
@unit_of_work
@blp.response(200, SpecialGroupSchema)
def end_special_group(confirmation_id):
    """解除特殊群体确认（证件过期或登记有误）：本场所的工作人员"""
    return special_groups.end(db.session, g.staff, confirmation_id, get_clock().now())


@blp.post("/staff/relatives/<int(max=2147483647):relative_id>/confirm")
@staff_required
@blp.arguments(WindowConfirmIn)
@unit_of_work
@blp.response(200, StaffRelativeSchema)
def confirm_relative(args, relative_id):
    """窗口确认亲友代办：核验被代办人的身份证和签字的授权书后确认（记录经办人和时间）"""
    return relatives.confirm_at_window(db.session, g.staff, relative_id, args["note"],
                                       get_clock().now())


@blp.post("/staff/cases/<number>/visit-schedule")
@staff_required
@blp.arguments(VisitScheduleIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def schedule_visit(args, number):
    """上门代办：安排上门日期、时间和帮办代办员（场所管理员；该员同时负责此办件）"""
    return cases.schedule_visit(db.session, _case(number), g.staff, args["date"], args["start"],
                                args["agent"], get_clock().now())


@blp.post("/staff/cases/<number>/visit-decline")
@staff_required
@blp.arguments(RejectIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def decline_visit(args, number):
    """上门代办：不安排上门（须说明理由，申请人会收到通知）"""
    return cases.decline_visit(db.session, _case(number), g.staff, args["reason"],
                               get_clock().now())


@blp.post("/staff/cases/<number>/visit-record")
@staff_required
@blp.arguments(VisitRecordIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def record_visit(args, number):
    """上门代办：登记已上门——上门收取的材料即材料交接（必需材料齐全时一并受理），可同时登记纸质委托协议"""
    return cases.record_visit(db.session, _case(number), g.staff, args["materials"],
                              args["paper_agreement"], get_clock().now(), args["note"])


@blp.post("/staff/cases/<number>/suspend")
@staff_required
@blp.arguments(SuspendIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def suspend(args, number):
    """暂停计时：开始特别程序（听证、检验、专家评审等，不计入办理时限，书面告知申请人所需时间），或中止代办委托（commission: true，申请人原因）"""
    return cases.suspend(db.session, _case(number), g.staff, args["kind"], args["reason"],
                         args["expected_days"], get_clock().now(),
                         cause="applicant" if args["commission"] else "procedure")


@blp.post("/staff/cases/<number>/resume")
@staff_required
@blp.arguments(NoteIn, required=False)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def resume(args, number):
    """恢复计时：特别程序或中止结束，承诺办结日期按暂停的工作日顺延（请求体可省略）"""
    return cases.resume(db.session, _case(number), g.staff, args.get("note"), get_clock().now())


@blp.post("/staff/cases/<number>/extend")
@staff_required
@blp.arguments(ExtendIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def extend(args, number):
    """延长办理时限（场所管理员，须在承诺办结日期前决定并说明理由）"""
    return cases.extend(db.session, _case(number), g.staff, args["days"], args["reason"],
                        get_clock().now())


@blp.post("/staff/cases/<number>/terminate")
@staff_required
@blp.arguments(RejectIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def terminate(args, number):
    """代办：大厅终止委托（须说明理由）；保管的原件随后退还"""
    return cases.terminate(db.session, _case(number), g.staff, args["reason"], get_clock().now())


@blp.post("/staff/cases/<number>/renew")
@staff_required
@blp.arguments(RenewIn)
@unit_of_work
@blp.response(200, StaffCaseSchema)
def renew(args, number):
    """代办：续办——过了有效期尚未办结的委托，延续有效期"""
    return cases.renew(db.session, _case(number), g.staff, args["valid_until"], args["note"],
                       get_clock().now())


@blp.get("/staff/cases/<number>/documents")
@staff_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(DocumentSchema))
def documents(args, number):
    """办件的文书（打印给申请人）"""
    return page(_case(number, acting=False).documents, args)


@blp.get("/staff/cases/<number>/documents/<int(max=2147483647):id>.pdf")
@staff_required
@blp.doc(responses=PDF_ANSWER)
def document_pdf(number, id):
    """打印文书（PDF）"""
    return pdf_answer(cases.case_document(_case(number, acting=False), id))


@blp.get("/staff/visits")
@staff_required
@blp.arguments(VisitDayQuery, location="query")
@blp.response(200, page_of(VisitDaySchema))
def visits_of_day(args):
    """某日（默认今天）的上门代办安排，按时间排列（帮办代办员：本人的）"""
    found = cases.visits_of_day(db.session, g.staff, args.get("date") or today())
    return {"items": found, "total": len(found)}
