"""The papers a hall hands the applicant (docs/api.md "Documents"): each step that hands one over
records it (`issue`), and its PDF is drawn from the case's data when asked (`document_pdf`): the
same bytes each time for the same data.

| kind | issued by | prints |
| --- | --- | --- |
| notice 一次性告知书 | the check that finds materials missing | the notice's materials, how to obtain them |
| acceptance 受理凭证 | acceptance (or acceptance by law, §32) | receipt and acceptance days, the committed days and due date |
| handover 材料交接单 | the handover | each material, copies, original or copy |
| commission 委托书 | the agreement's signature, a renewal (续办) | the parties, the scope, the validity |
| suspension 特别程序告知书 | a suspension (特别程序 or 中止) | its kind with the GB/T 39046 code, reason, first day, expected working days |
| termination 终止单 | the commission's end (终止) | who ended it, why, the originals owed back |
| return 材料返还单 | a return | each original returned, the results handed over |
| completion 办结单 | completion | acceptance, the moved due date, completion, on time or not |
"""
from __future__ import annotations

from datetime import date, datetime, tzinfo

from sqlalchemy.orm import Session

from ...domain.agreement import AGREEMENT_VERSION
from ...errors import NotFound
from ...infrastructure.pdf import Paper, render
from ...models import (
    DOCUMENT_KINDS, Case, CaseDocument, CaseEvent, MissingMaterialNotice, Receipt, Staff, Suspension,
)

HELP_LABELS = {"assist": "帮办", "proxy": "代办"}


def issue(session: Session, case: Case, kind: str, now: datetime, *, ref=None,
          staff: Staff | None = None, title: str | None = None) -> CaseDocument:
    """Record the paper a step hands over; `ref` is the record it prints (flushed for its id)."""
    if ref is not None and ref.id is None:
        session.flush()
    document = CaseDocument(kind=kind, title=title or DOCUMENT_KINDS[kind], issued_at=now,
                            ref_id=ref.id if ref is not None else None,
                            staff_id=staff.id if isinstance(staff, Staff) else None)
    case.documents.append(document)
    return document


def case_document(case: Case, document_id: int) -> CaseDocument:
    found = next((d for d in case.documents if d.id == document_id), None)
    if found is None:
        raise NotFound("未找到该文书", {"document": document_id})
    return found


def document_pdf(session: Session, document: CaseDocument, tz: tzinfo, font_path: str) -> bytes:
    return render(paper(session, document, tz), font_path)


def file_name(document: CaseDocument) -> str:
    return f"{document.case.number}-{document.title}-{document.id}.pdf"


# The papers ----------------------------------------------------------------------------------

def _day(value, tz: tzinfo | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # an ISO date read from the history
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(tz)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


def _base(case: Case, tz: tzinfo) -> list[tuple[str, str]]:
    applicant = case.applicant_name + (f"（{case.enterprise_name}）" if case.enterprise_name else "")
    return [("申请人", applicant), ("事项", f"{case.item.name}（{case.item.code}）"),
            ("服务方式", HELP_LABELS[case.help_type]), ("牵头部门", case.lead_department.name)]


def _copy(original: bool) -> str:
    return "原件" if original else "复印件"


def paper(session: Session, document: CaseDocument, tz: tzinfo) -> Paper:
    case = document.case
    make = _PAPERS[document.kind]
    fields, table, paragraphs, signatures, table_title = make(session, case, document, tz)
    return Paper(hall=case.place.name, title=document.title, number=case.number,
                 issued_at=document.issued_at.astimezone(tz),
                 fields=_base(case, tz) + fields, table=table, table_title=table_title,
                 paragraphs=paragraphs, signatures=signatures)


def _notice(session, case, document, tz):
    notice = session.get(MissingMaterialNotice, document.ref_id)
    rows = [[line.material.name, str(line.material.copies), _copy(line.material.original),
             line.material.how_to_obtain or "", line.note or ""] for line in notice.lines]
    return ([("告知时间", _day(notice.created_at, tz)), ("告知人", notice.staff.name),
             ("说明", notice.note or "")],
            (["需补正的材料", "份数", "原件或复印件", "获取方式", "说明"], rows),
            ["根据《中华人民共和国行政许可法》第三十二条，现一次性告知您需要补正的全部材料。"
             "请补齐后提交，补正材料送达之日为新的收件日期。"],
            ["告知人", "申请人"], "需补正的材料")


def _acceptance(session, case, document, tz):
    fields = [("收件日期", _day(case.received_on)), ("受理日期", _day(case.accepted_on)),
              ("承诺时限", f"{case.item.commitment_days}个工作日"),
              ("承诺办结日期", _day(_due_at_acceptance(case)))]
    paragraphs = ["办理时限按法定工作日计算（调休上班日计入，法定节假日不计入）；依法需要听证、"
                  "检验、检测、鉴定、专家评审等特别程序的，所需时间不计入办理时限，届时将书面告知。"]
    if case.deemed_accepted:
        paragraphs.insert(0, "本申请在收件后5个工作日内未作审查，依据《中华人民共和国行政许可法》"
                             "第三十二条，自收件之日起即为受理。")
    rows = [[cm.material.name, "已提交" if cm.declared or cm.received_at else "未提交"]
            for cm in case.materials]
    return fields, (["材料", "状态"], rows), paragraphs, ["经办人"], "申请材料"


def _due_at_acceptance(case: Case):
    """The due date the acceptance announced (from its history entry), not a later moved one."""
    event = next((e for e in case.events if e.action in ("accept", "deem_accept")), None)
    if event is not None and event.note and "承诺办结日期：" in event.note:
        return event.note.split("承诺办结日期：", 1)[1][:10]
    return case.due_date


def _lines(receipt: Receipt) -> list[list[str]]:
    return [[line.material.name, str(line.copies), _copy(line.original)] for line in receipt.lines]


def _handover(session, case, document, tz):
    receipt = session.get(Receipt, document.ref_id)
    return ([("交接时间", _day(receipt.at, tz)), ("接收人", receipt.staff.name),
             ("备注", receipt.note or "")],
            (["材料", "份数", "原件或复印件"], _lines(receipt)),
            ["以上材料经双方当面清点，由帮办代办员妥善保管，仅用于本事项的办理；"
             "办结（或委托终止）后，原件将全部退还。"],
            ["交件人（申请人）", "接收人（帮办代办员）"], "交接的材料")


def _commission(session, case, document, tz):
    valid_from = case.agreement_signed_at.astimezone(tz) if case.agreement_signed_at else None
    valid_until = case.commission_valid_until
    if document.ref_id is not None:  # a renewal: the validity it gave
        event = session.get(CaseEvent, document.ref_id)
        if event is not None and event.note and "延至" in event.note:
            valid_until = event.note.split("延至", 1)[1][:10]
    agent = case.agent.name if case.agent else "（待指派）"
    return ([("委托人", case.applicant_name),
             ("受托人", f"{case.place.name}帮办代办员 {agent}"),
             ("委托事项与范围", case.commission_scope or ""),
             ("委托有效期", f"{_day(valid_from.date()) if valid_from else ''} 至 "
                       f"{_day(valid_until)}"),
             ("协议", f"委托代办协议（{case.agreement_version or AGREEMENT_VERSION}版），"
                      + ("小程序线上确认" if case.agreement_method == "online" else "纸质签字"))],
            None,
            ["受托人在上述范围内代为办理，不得超出委托范围，不收取任何费用（法定收费除外）。"
             "委托可因申请人原因中止，由申请人或大厅终止；有效期届满尚未办结的，可以续办。"],
            ["委托人", "受托人"], None)


def _suspension(session, case, document, tz):
    suspension = session.get(Suspension, document.ref_id)
    if suspension.cause == "applicant":
        what = [("中止原因", suspension.reason), ("中止日期", _day(suspension.started_on)),
                ("预计时长", f"{suspension.expected_days}个工作日")]
        text = ["因申请人原因，代办委托自上述日期起中止，中止期间不计入办理时限；中止结束后恢复办理。"]
    else:
        what = [("特别程序", f"{suspension.kind_label}（GB/T 39046 代码 {suspension.gbt_code}）"),
                ("理由", suspension.reason), ("开始日期", _day(suspension.started_on)),
                ("预计所需时间", f"{suspension.expected_days}个工作日")]
        text = ["根据《中华人民共和国行政许可法》第四十五条，依法需要听证、招标、拍卖、检验、检测、"
                "检疫、鉴定和专家评审的，所需时间不计算在办理期限内。特别程序结束后，"
                "办理时限自次日起继续计算，承诺办结日期相应顺延。"]
    return what, None, text, ["经办人", "申请人"], None


def _termination(session, case, document, tz):
    originals = [[cm.material.name, str(cm.received_copies or 1)] for cm in case.materials
                 if cm.received_at and cm.received_original]
    return ([("终止方", "申请人" if case.terminated_by == "citizen" else "大厅"),
             ("终止理由", case.termination_reason or ""),
             ("终止时间", _day(case.finished_at, tz))],
            (["应退还的原件", "份数"], originals) if originals else None,
            ["代办委托自上述时间终止。大厅保管的原件将全部退还申请人，请凭本单领取。"],
            ["经办人", "申请人"], "应退还的原件")


def _return(session, case, document, tz):
    receipt = session.get(Receipt, document.ref_id)
    rows = _lines(receipt) + [[f"{r.name}（办理结果）", str(r.copies), "—"]
                              for r in receipt.results]
    return ([("退还时间", _day(receipt.at, tz)), ("经办人", receipt.staff.name),
             ("备注", receipt.note or "")],
            (["退还的材料与交付的结果", "份数", "原件或复印件"], rows),
            ["以上原件及办理结果已当面交还申请人，双方确认无误。"],
            ["退还人（帮办代办员）", "签收人（申请人）"], "退还的材料")


def _completion(session, case, document, tz):
    finished = case.finished_at.astimezone(tz) if case.finished_at else None
    on_time = finished is not None and case.due_date is not None and finished.date() <= case.due_date
    suspended = sum(s.working_days or 0 for s in case.suspensions)
    extended = sum(e.days for e in case.extensions)
    return ([("受理日期", _day(case.accepted_on)), ("承诺办结日期", _day(case.due_date)),
             ("办结时间", _day(case.finished_at, tz)),
             ("时限", ("按时办结" if on_time else "超期办结")
              + (f"（特别程序与中止{suspended}个工作日不计入）" if suspended else "")
              + (f"（经批准延长{extended}个工作日）" if extended else ""))],
            None,
            ["本事项已办结。" + ("代办的原件与办理结果请凭材料返还单领取。"
                               if case.help_type == "proxy" else "")
             + "欢迎对本次帮办代办服务作出评价。"],
            ["经办人", "申请人"], None)


_PAPERS = {"notice": _notice, "acceptance": _acceptance, "handover": _handover,
           "commission": _commission, "suspension": _suspension, "termination": _termination,
           "return": _return, "completion": _completion}
