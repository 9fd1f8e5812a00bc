"""代办: material handover, the commission agreement and the return of originals."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...domain.agreement import AGREEMENT_VERSION
from ...errors import InvalidInput, InvalidState
from ...models import Case, Citizen, Receipt, ReceiptLine, ReceiptResult, Staff
from .commission import open_commission
from .documents import issue
from .intake import materials_by_code
from .lifecycle import SYSTEM, apply, notify_progress


def _receipt_lines(case: Case, lines: list[dict]) -> list[ReceiptLine]:
    if not lines:
        raise InvalidInput("请逐项登记交接的材料", {"materials": ["不能为空"]})
    codes = [line["material"] for line in lines]
    if len(set(codes)) != len(codes):
        raise InvalidInput("材料重复", {"materials": ["同一材料只需登记一次"]})
    materials = materials_by_code(case.item, codes, "materials")
    return [ReceiptLine(material=m, copies=line["copies"], original=line["original"])
            for m, line in zip(materials, lines)]


def handover(session: Session, case: Case, staff: Staff, lines: list[dict],
             citizen_confirmed: bool, now: datetime, note: str | None = None) -> Case:
    if not citizen_confirmed:
        raise InvalidInput("材料交接须经申请人当面确认", {"citizen_confirmed": ["应为 true"]})
    receipt_lines = _receipt_lines(case, lines)
    apply(session, case, "handover", staff, now, note)
    receipt = Receipt(kind="handover", staff=staff, at=now, citizen_confirmed=True, note=note,
                      lines=receipt_lines)
    case.receipts.append(receipt)
    issue(session, case, "handover", now, ref=receipt, staff=staff)
    received = {line.material.id: line for line in receipt_lines}
    for case_material in case.materials:
        line = received.get(case_material.material_id)
        if line is not None:
            case_material.received_copies = line.copies
            case_material.received_original = line.original
            case_material.received_at = now
    notify_progress(session, case, now, "材料已交接" + (f"：{note}" if note else ""))
    _start_work_if_ready(session, case, now)
    return case


def sign_agreement(session: Session, case: Case, actor: Citizen | Staff, now: datetime) -> Case:
    """The applicant accepts the agreement in the mini-program, or staff record a paper one."""
    if case.agreement_signed_at is not None:
        raise InvalidState("委托代办协议已签订", {"signed_at": case.agreement_signed_at.isoformat()})
    online = isinstance(actor, Citizen)
    apply(session, case, "agreement", actor, now,
          f"协议版本 {AGREEMENT_VERSION}，" + ("申请人在小程序中确认" if online else "纸质协议已签字"))
    case.agreement_version, case.agreement_signed_at = AGREEMENT_VERSION, now
    case.agreement_method = "online" if online else "paper"
    case.agreement_openid = actor.openid if online else None
    case.agreement_recorded_by_id = None if online else actor.id
    open_commission(case, now)
    if case.help_type == "proxy":
        issue(session, case, "commission", now, staff=None if online else actor)
    _start_work_if_ready(session, case, now)
    return case


def _start_work_if_ready(session: Session, case: Case, now: datetime) -> None:
    if case.status == "handed_over" and case.agreement_signed_at is not None:
        apply(session, case, "start_work", SYSTEM, now)
        notify_progress(session, case, now, "代办员开始办理")


def return_materials(session: Session, case: Case, staff: Staff, lines: list[dict],
                     now: datetime, note: str | None = None,
                     results: list[dict] | None = None) -> Case:
    """材料返还: every original the hall holds goes back, after completion (the case becomes
    `returned`) or after termination, withdrawal or rejection (the status stays); the receipt
    may also list results handed over (证照, 批文) that the item names as no material."""
    receipt_lines = _receipt_lines(case, lines)
    handed = []
    for result in results or []:
        name = (result.get("name") or "").strip()
        if not name or len(name) > 100:
            raise InvalidInput("请填写交付结果的名称（最多100字）", {"results": ["名称有误"]})
        handed.append(ReceiptResult(name=name, copies=result.get("copies") or 1))
    returned = {line.material.id for line in receipt_lines}
    originals = [cm for cm in case.materials if cm.received_at and cm.received_original]
    not_returned = [cm.material for cm in originals if cm.material_id not in returned]
    if not_returned:
        raise InvalidInput("交接的原件须全部退还",
                           {"materials": [f"未退还：{m.name}（{m.code}）" for m in not_returned]})
    apply(session, case, "return" if case.status == "completed" else "return_held", staff, now,
          note)
    receipt = Receipt(kind="return", staff=staff, at=now, citizen_confirmed=True, note=note,
                      lines=receipt_lines, results=handed)
    case.receipts.append(receipt)
    issue(session, case, "return", now, ref=receipt, staff=staff)
    for case_material in case.materials:
        if case_material.material_id in returned:
            case_material.returned_at = now
    return case
