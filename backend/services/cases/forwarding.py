"""Forwarding (转办) from a village point (博政管办发〔2022〕3号 二(二)1): the village agent
(村代办员) takes a matter the village cannot finish and forwards it to its town or to the district
hall. The case moves to the receiving place, whose managers assign it to one of their agents; the
village agent stays on it as the applicant's contact (`Case.contact_agent`) and still sees it;
the timeline (the case's events) says who forwarded it, from where, to where and why."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidInput, InvalidState
from ...models import Case, Place, Staff
from ..scope import AGENTS
from .lifecycle import apply, permit

REASON_MAX = 500


def forward_targets(session: Session, case: Case) -> list[Place]:
    """Where a case at a village point may go: its town, then the district hall(s)."""
    if case.place.level != "village":
        return []
    district = session.scalars(select(Place).where(Place.level == "district")
                               .order_by(Place.code)).all()
    return [p for p in (case.place.parent, *district) if p is not None]


def forward(session: Session, case: Case, staff: Staff, place_code: str, reason: str,
            now: datetime) -> Case:
    """Forward a case from its village point to its town or the district hall."""
    permit("forward", staff)
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    if not reason:
        problems["reason"] = ["请填写转办原因"]
    elif len(reason) > REASON_MAX:
        problems["reason"] = [f"转办原因不能超过{REASON_MAX}个字符"]
    if case.place.level != "village":
        raise InvalidState("只有村级代办点受理的办件可以转办", {"place": case.place.code})
    targets = {p.code: p for p in forward_targets(session, case)}
    target = targets.get(place_code or "")
    if target is None:
        problems["place"] = ["只能转至本村所属的镇（街道）便民服务中心或区政务服务中心："
                             + "、".join(f"{p.name}（{code}）" for code, p in targets.items())]
    if problems:
        raise InvalidInput("转办信息有误", problems)
    origin = case.place
    apply(session, case, "forward", staff, now,
          f"{staff.name}将办件由{origin.name}转至{target.name}，原因：{reason}")
    # The village agent stays the applicant's contact; the receiving place's managers assign.
    village_agent = staff if staff.role in AGENTS else case.agent
    if village_agent is not None:
        case.contact_agent = village_agent
    case.agent = None
    case.place = target
    session.flush()
    return case
