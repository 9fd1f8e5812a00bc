"""The contract run's world: the living demo (a short history made through the services), the
roles that sign in to it, and, for each operation, real requests the demo can answer with a 2xx
(case numbers in the status an action needs, booking codes, free slots, the catalogue's codes).

The requests become OpenAPI `examples` (named alike on the path parameter and the body, so
schemathesis pairs them) in this run's copy of the served document: its examples phase sends
each of them once, before its coverage and fuzzing phases send generated ones. Nothing here
goes into the document the product serves."""
from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate
from sqlalchemy import func, select

from backend.clock import FixedClock
from backend.domain.message_templates import CITIZEN_TEMPLATE_KEYS, STAFF_TEMPLATE_KEYS
from backend.extensions import db
from backend.models import Booking, Case, Consultation, Escalation, ServiceItem, Slot
from backend.services.cases.lifecycle import PRECONDITIONS, followup_awaited
from backend.services.cases.queries import assignable_agents
from backend.services.demo import HistorySize, seed_history
from tests.conftest import make_test_app

# A Monday morning after National Day: every 5+X kind has had sessions, today's floor is full.
END = datetime(2026, 10, 19, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SEED = 7
# Four weeks of the demo: every case status, bookings to check in today and to come (10 s).
SIZE = HistorySize(days=28, citizens=30, bookings_per_day=6, online_cases_per_day=1.5,
                   booking_case_share=0.25)
PER_OPERATION = 3  # real requests per operation

OPEN = ("submitted", "materials_incomplete", "accepted", "handed_over", "in_progress")


@dataclass
class World:
    app: object
    passwords: dict[str, str]
    citizen_id: int  # the citizen the run signs in as (owns bookings and cases of the demo)
    # operationId -> [(path parameters, body or None)]
    requests: dict[str, list[tuple[dict, object]]] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)  # case number / booking code -> citizen


def build() -> World:
    folder = Path(tempfile.mkdtemp(prefix="banban-contract-"))
    # Limits off: the run is one client sending thousands of requests (tests/ test them).
    app = make_test_app(f"sqlite:///{folder / 'contract.db'}", RATELIMIT_ENABLED=False,
                        CLOCK=FixedClock(END))
    with app.app_context():
        flask_migrate.upgrade()
        result = seed_history(db.session, END, seed=SEED, size=SIZE)
        passwords = {username: password for username, _, password in result.demo.passwords}
        world = _Picker(db.session).world(app, passwords)
        db.session.remove()
    return world


class _Picker:
    """Chooses the real requests, each case or booking for one operation only, so that one
    operation's success does not spoil another's (the roles run one after the other)."""

    def __init__(self, session):
        self.s = session
        self.used: set[str] = set()
        self.today = END.date()

    def take(self, rows: Iterable, n: int = PER_OPERATION, key=lambda row: row.number) -> list:
        chosen = []
        for row in rows:
            if key(row) not in self.used and len(chosen) < n:
                self.used.add(key(row))
                chosen.append(row)
        return chosen

    def cases(self, *statuses: str, help_type: str | None = None,
              where: Callable[[Case], bool] = lambda case: True) -> list[Case]:
        query = select(Case).where(Case.status.in_(statuses)).order_by(Case.number)
        if help_type:
            query = query.where(Case.help_type == help_type)
        return [case for case in self.s.scalars(query) if where(case)]

    def world(self, app, passwords) -> World:
        s, today = self.s, self.today
        # The run's citizen: of those with bookings but room for one more (at most 3 held),
        # the one with cases in the most statuses.
        holding = (select(func.count(Booking.id)).where(Booking.citizen_id == Case.citizen_id,
                                                       Booking.status == "booked")
                   .scalar_subquery())
        citizen_id = s.execute(
            select(Case.citizen_id).where(holding < 3,
                                          select(Booking.id).where(
                                              Booking.citizen_id == Case.citizen_id).exists())
            .group_by(Case.citizen_id)
            .order_by(func.count(func.distinct(Case.status)).desc(), Case.citizen_id)
        ).scalars().first()
        w = World(app, passwords, citizen_id)
        r = w.requests

        def case_requests(op: str, cases: list[Case], body: Callable[[Case], object] | None = None):
            r[op] = [({"number": c.number}, body(c) if body else None) for c in cases]
            for c in cases:
                w.owners[c.number] = c.citizen_id

        # The catalogue: items the demo's citizens applied for, at the places they applied.
        items, seen = [], set()
        for case in s.scalars(select(Case).order_by(Case.number)):
            if (case.item_id, case.place_id, case.help_type) not in seen:
                seen.add((case.item_id, case.place_id, case.help_type))
                items.append(case)
        items = items[:PER_OPERATION]
        place_codes = list(dict.fromkeys(case.place.code for case in items))
        r["getItem"] = [({"code": c.item.code}, None) for c in items]
        r["listSlots"] = [({"code": code}, None) for code in place_codes]
        r["wechatLogin"] = [({}, {"code": "contract-run"})]
        r["updateMe"] = [({}, {"name": "王晓明"})]
        r["saveMe"] = [({}, {"name": "王晓明"})]
        # Demo mode (no WeChat configured): a phone code is the phone number itself.
        r["bindPhone"] = [({}, {"code": "13800138000"})]
        r["acceptSubscriptions"] = [({}, {"accepted": sorted(CITIZEN_TEMPLATE_KEYS)[:3]})]
        r["staffLogin"] = [({}, {"username": name, "password": passwords[name]})
                           for name in ("admin", "manager", "agent1")]
        r["bindStaffWeChat"] = [({}, {"code": "contract-staff",
                                      "accepted": sorted(STAFF_TEMPLATE_KEYS)[:2]})]

        # Citizens' cases.
        r["createCase"] = [({}, {"item": c.item.code, "place": c.place.code,
                                 "help_type": c.help_type,
                                 "applicant": {"name": "王晓明", "phone": "13800138000"}})
                           for c in items]
        case_requests("getCase", self.cases(*OPEN, "completed", "returned")[:PER_OPERATION])
        case_requests("getAgreement", self.cases(*OPEN, help_type="proxy")[:PER_OPERATION])
        case_requests("supplementMaterials", self.take(self.cases("materials_incomplete"), 1),
                      lambda c: {"materials": [m.material.code for m in c.materials]})
        # The unsigned proxy cases are few: half signed in the mini-program, half on paper.
        unsigned = self.cases("submitted", "materials_incomplete", "accepted", "handed_over",
                              help_type="proxy", where=PRECONDITIONS["agreement"])
        case_requests("signAgreement", self.take(unsigned, 2), lambda c: {"accept": True})
        case_requests("recordPaperAgreement", self.take(unsigned, 2))
        case_requests("withdrawCase", self.take(self.cases("in_progress")))
        case_requests("reviewCase", self.take(self.cases(
            "completed", "returned", where=lambda c: c.review is None)),
            lambda c: {"score": 5, "comment": "办得很快，谢谢"})

        # Bookings: today's are checked in by the hall, later ones cancelled or moved.
        booked = s.scalars(select(Booking).join(Slot).where(Booking.status == "booked")
                           .order_by(Slot.date, Booking.code)).all()
        later = [b for b in booked if b.slot.date > today]
        # Today's that may be checked in now: from 60 minutes before the start to 30 after the end.
        clock = END.time()
        now_booked = [b for b in booked if b.slot.date == today
                      and _minutes(b.slot.start_time) - 60 <= _minutes(clock)
                      <= _minutes(b.slot.end_time) + 30]
        for op, rows in (("cancelBooking", later[0::2]), ("checkInBooking", now_booked)):
            chosen = self.take(rows, key=lambda b: b.code)
            r[op] = [({"code": b.code}, None) for b in chosen]
            w.owners.update({b.code: b.citizen_id for b in chosen})
        moves = []
        for b in self.take(later[1::2], key=lambda b: b.code):
            slot = self._free_slot(b.slot, b.citizen_id, exclude=b.slot.date)
            if slot is not None:
                moves.append(({"code": b.code}, {"slot": slot.id}))
                w.owners[b.code] = b.citizen_id
        r["rescheduleBooking"] = moves
        creations = []
        for b in later[:PER_OPERATION * 3]:
            slot = self._free_slot(b.slot, citizen_id)
            if slot is not None and len(creations) < 1:  # one booking a day per citizen
                creations.append(({}, {"slot": slot.id, "item": self._item_code(b)}))
        r["createBooking"] = creations

        # The staff side (the district admin may take every action on every case).
        case_requests("getStaffCase", self.cases(*OPEN)[:PER_OPERATION])
        case_requests("assignCase", self.take(self.cases(*OPEN)),
                      lambda c: {"agent": assignable_agents(s, [c.place_id])[-1].username})
        case_requests("checkMaterials", self.take(self.cases("submitted")), lambda c: {"missing": []})
        case_requests("rejectCase", self.take(self.cases("submitted", "materials_incomplete")),
                      lambda c: {"reason": "申请事项不属于本大厅受理范围"})
        case_requests("handOverMaterials", self.take(self.cases(
            "accepted", help_type="proxy", where=PRECONDITIONS["handover"])),
            lambda c: {"materials": [{"material": m.material.code, "copies": 1, "original": True}
                                     for m in c.materials], "citizen_confirmed": True})
        case_requests("startCase", self.take(self.cases("accepted", help_type="assist")))
        case_requests("recordProgress", self.take(self.cases("in_progress")),
                      lambda c: {"note": "已电话联系申请人，材料已送达部门"})
        case_requests("completeCase", self.take(self.cases(
            "in_progress", where=PRECONDITIONS["complete"])), lambda c: {"note": "已办结"})
        case_requests("returnMaterials", self.take(self.cases(
            "completed", help_type="proxy",
            where=lambda c: any(m.received_at and not m.returned_at for m in c.materials))),
            lambda c: {"materials": [{"material": m.material.code, "copies": m.received_copies,
                                      "original": m.received_original}
                                     for m in c.materials if m.received_at is not None]})
        case_requests("escalateCase", self.take(self.cases(*OPEN)),
                      lambda c: {"note": "需协调不动产登记中心加快出件"})
        case_requests("closeReviewFollowup", self.take(self.cases(
            "completed", "returned", "rejected", "withdrawn", where=followup_awaited)),
            lambda c: {"callback": "已电话回访申请人", "fix": "已调整窗口引导流程"})
        escalations = s.scalars(select(Escalation).where(Escalation.resolved_at.is_(None))
                                .order_by(Escalation.id)).all()[:PER_OPERATION]
        r["resolveEscalation"] = [({"escalation_id": e.id}, {"note": "已协调相关部门解决"})
                                  for e in escalations]

        # Consultation: the demo's open questions answered or closed, answered ones published.
        def questions(status: str) -> list[Consultation]:
            return s.scalars(select(Consultation).where(Consultation.status == status)
                             .order_by(Consultation.id)).all()
        open_ones, answered = questions("open"), questions("answered")
        r["askConsultation"] = [({}, {"item": c.item.code, "place": c.place.code,
                                      "question": "需要带户口簿吗？"}) for c in items]
        r["listItemFaq"] = [({"code": c.item.code}, None) for c in answered[:PER_OPERATION]]
        r["getStaffConsultation"] = [({"consultation_id": c.id}, None) for c in open_ones[:1]]
        r["answerConsultation"] = [({"consultation_id": c.id}, {"answer": "需要，请带原件。"})
                                   for c in open_ones[:1]]
        r["closeConsultation"] = [({"consultation_id": c.id}, {"note": "重复提问"})
                                  for c in open_ones[1:2]]
        r["publishConsultation"] = [({"consultation_id": c.id}, {})
                                    for c in answered[:PER_OPERATION]]
        return w

    def _item_code(self, booking: Booking) -> str:
        return self.s.get(ServiceItem, booking.item_id).code

    def _free_slot(self, like: Slot, citizen_id: int, exclude=None) -> Slot | None:
        """A later slot of the same place and kind with room, on a day the citizen has no
        booking."""
        busy = set(self.s.scalars(select(Slot.date).join(Booking).where(
            Booking.citizen_id == citizen_id, Booking.status == "booked")))
        for slot in self.s.scalars(select(Slot).where(
                Slot.place_id == like.place_id, Slot.kind == like.kind, Slot.active.is_(True),
                Slot.date > self.today, Slot.booked < Slot.capacity).order_by(Slot.date, Slot.id)):
            if slot.date not in busy and slot.date != exclude and str(slot.id) not in self.used:
                self.used.add(str(slot.id))
                return slot
        return None


def _minutes(moment) -> int:
    return moment.hour * 60 + moment.minute


def with_examples(document: dict, world: World) -> dict:
    """A copy of the served document whose operations carry the world's real requests as
    examples: the path parameters (copied from the path onto the operation) and the JSON body,
    each request's under one name."""
    doc = copy.deepcopy(document)
    for path_item in doc["paths"].values():
        shared = path_item.pop("parameters", [])
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            own = {(p["name"], p["in"]) for p in operation.get("parameters", [])}
            operation["parameters"] = (copy.deepcopy([p for p in shared
                                                      if (p["name"], p["in"]) not in own])
                                       + operation.get("parameters", []))
            requests = world.requests.get(operation.get("operationId"), [])
            for index, (path, body) in enumerate(requests):
                name = f"demo{index}"
                for parameter in operation["parameters"]:
                    if parameter["in"] == "path" and parameter["name"] in path:
                        parameter.pop("example", None)
                        parameter.setdefault("examples", {})[name] = {
                            "value": path[parameter["name"]]}
                if body is not None:
                    media = operation["requestBody"]["content"]["application/json"]
                    media.pop("example", None)
                    media.setdefault("examples", {})[name] = {"value": body}
    return doc


def owner_of(world: World, path_parameters: dict) -> int | None:
    for value in path_parameters.values():
        owner = world.owners.get(str(value))
        if owner is not None:
            return owner
    return None
