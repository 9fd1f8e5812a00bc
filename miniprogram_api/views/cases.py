"""Cases, the citizen's side: apply, follow, supplement, sign, withdraw, review."""
from ..blueprint import Blueprint
import io

from flask import current_app, send_file

from backend.clock import get_clock
from backend.domain.agreement import AGREEMENT_VERSION, agreement_text
from backend.extensions import db
from backend.services import cases, projects

from ..auth import citizen_required, current_citizen, unit_of_work
from ..schemas import (
    AgreementIn, AgreementTextSchema, CaseIn, CaseSchema, CaseSummarySchema, PageQuery, ReviewIn,
    DocumentSchema, PDF_ANSWER, ProjectSchema, ReviewSchema, SupplementIn, TerminateIn, page_of,
)

blp = Blueprint("cases", __name__, description="办件：帮办与代办")


def page(rows: list, args: dict) -> dict:
    """One page of a case's own short list (its papers)."""
    first = (args["page"] - 1) * args["per_page"]
    return {"items": rows[first:first + args["per_page"]], "total": len(rows)}


def pdf_answer(document):
    """The paper as a PDF, shown in the browser (or saved) under a readable name."""
    data = cases.document_pdf(db.session, document, get_clock().now().tzinfo,
                              current_app.config["PDF_FONT_PATH"])
    return send_file(io.BytesIO(data), mimetype="application/pdf", max_age=0,
                     download_name=cases.file_name(document))


@blp.post("/cases")
@citizen_required
@blp.arguments(CaseIn)
@unit_of_work
@blp.response(201, CaseSchema)
def create_case(args):
    """申请帮办或代办（可为已确认的亲友代为申请：for）"""
    return cases.create_case(
        db.session, current_citizen(), item_code=args["item"], place_code=args["place"],
        help_type=args["help_type"], applicant=cases.Applicant(**args["applicant"]),
        material_codes=args["materials"], booking_code=args["booking"],
        special_group=args["special_group"], now=get_clock().now(),
        number_prefix=current_app.config["CASE_NUMBER_PREFIX"], for_relative=args["for_"],
        home_visit=cases.VisitRequest(**args["home_visit"]) if args["home_visit"] else None)


@blp.get("/projects")
@citizen_required
@blp.response(200, page_of(ProjectSchema))
def my_projects():
    """我的企业的重点项目：本人办件中的统一社会信用代码所属的重点项目及其全部办件"""
    found = [dict(code=p.code, name=p.name, enterprise_name=p.enterprise_name,
                  steward=p.steward, cases=rows)
             for p, rows in projects.citizen_projects(db.session, current_citizen())]
    return {"items": found, "total": len(found)}


@blp.get("/cases")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(CaseSummarySchema))
def my_cases(args):
    """我的办件（新的在前）"""
    found, total = cases.list_citizen_cases(db.session, current_citizen(), **args)
    return {"items": found, "total": total}


@blp.get("/cases/<number>")
@citizen_required
@blp.response(200, CaseSchema)
def get_case(number):
    """办件详情：材料、一次性告知、部门任务、办理进度与评价"""
    return cases.citizen_case(db.session, current_citizen(), number)


@blp.post("/cases/<number>/supplement")
@citizen_required
@blp.arguments(SupplementIn)
@unit_of_work
@blp.response(200, CaseSchema)
def supplement(args, number):
    """补正材料（回到“已提交”，由帮办代办员再次审查）"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return cases.supplement(db.session, case, current_citizen(), args["materials"], get_clock().now())


@blp.get("/cases/<number>/agreement")
@citizen_required
@blp.response(200, AgreementTextSchema)
def agreement(number):
    """委托代办协议全文（确认前展示给申请人）"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return {"version": AGREEMENT_VERSION, "text": agreement_text(
        applicant=case.applicant_name, place=case.place.name, item=case.item.name,
        number=case.number, fee=case.item.fee)}


@blp.post("/cases/<number>/agreement")
@citizen_required
@blp.arguments(AgreementIn)
@unit_of_work
@blp.response(200, CaseSchema)
def sign_agreement(args, number):
    """同意委托代办协议；材料交接与协议都完成后，代办员开始办理"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return cases.sign_agreement(db.session, case, current_citizen(), get_clock().now())


@blp.post("/cases/<number>/withdraw")
@citizen_required
@unit_of_work
@blp.response(200, CaseSchema)
def withdraw(number):
    """撤回申请（办结前；无请求体）"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return cases.withdraw(db.session, case, current_citizen(), get_clock().now(), None)


@blp.post("/cases/<number>/terminate")
@citizen_required
@blp.arguments(TerminateIn, required=False)
@unit_of_work
@blp.response(200, CaseSchema)
def terminate(args, number):
    """终止代办委托（办结前；请求体可省略）；大厅保管的原件随后退还"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return cases.terminate(db.session, case, current_citizen(), args.get("reason"),
                           get_clock().now())


@blp.get("/cases/<number>/documents")
@citizen_required
@blp.arguments(PageQuery, location="query")
@blp.response(200, page_of(DocumentSchema))
def documents(args, number):
    """我的文书：一次性告知书、受理凭证、材料交接单、委托书、特别程序告知书、终止单、材料返还单、办结单"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return page(case.documents, args)


@blp.get("/cases/<number>/documents/<int(max=2147483647):id>.pdf")
@citizen_required
@blp.doc(responses=PDF_ANSWER)
def document_pdf(number, id):
    """下载文书（PDF，可打印）"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return pdf_answer(cases.case_document(case, id))


@blp.post("/cases/<number>/review")
@citizen_required
@blp.arguments(ReviewIn)
@unit_of_work
@blp.response(201, ReviewSchema)
def review(args, number):
    """评价（办结后一次）；1、2分的差评由场所管理员回访整改"""
    case = cases.citizen_case(db.session, current_citizen(), number)
    return cases.review(db.session, case, current_citizen(), args["score"], args["comment"],
                        get_clock().now())
