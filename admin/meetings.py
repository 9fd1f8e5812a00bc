"""协调会议: the record of coordination meetings and their decisions. Pages only shape input and
call backend.services.meetings, which decides who may record, what is valid and what an
escalation's resolution is."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import or_, select, true

from backend.clock import get_clock, today
from backend.errors import InvalidInput
from backend.extensions import db
from backend.models import CoordinationMeeting, Decision, Department, Escalation, Place, Staff
from backend.services import scope
from backend.services.meetings import DecisionIn, complete_decision, record_meeting

from .auth import current_staff
from .base import ScopedModelView, run_service
from .forms import FORM_EXPIRED, PostForm, parse_date

MEETINGS = "检查与监督"
# The decision rows the record page offers (no script fills in more: CSP allows none inline).
DECISION_ROWS = 5


def _decisions_in(form) -> list[DecisionIn]:
    """The filled decision rows of the posted form; a row with text only is kept, so the service
    says what is missing."""
    found = []
    for i in range(DECISION_ROWS):
        text = (form.get(f"decision_text_{i}") or "").strip()
        if not text:
            continue
        raw_escalation = (form.get(f"decision_escalation_{i}") or "").strip()
        try:
            escalation = int(raw_escalation) if raw_escalation else None
        except ValueError:
            raise InvalidInput("协调会议信息有误", {f"decisions[{i}]": ["难点堵点编号有误"]})
        found.append(DecisionIn(text=text, owner=form.get(f"decision_owner_{i}") or "",
                                due_on=parse_date(form.get(f"decision_due_{i}"),
                                                  name=f"decisions[{i}]"),
                                escalation=escalation))
    return found


def _ids(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values if v]
    except ValueError:
        raise InvalidInput("协调会议信息有误", {"escalations": ["难点堵点编号有误"]})


class MeetingView(ScopedModelView):
    """协调会议: meetings of one's places (attended, or owning a decision), with their blockers
    and decisions; managers and the district office record them, owners report decisions done."""
    roles = scope.STAFF_ROLES
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    list_template = "banban_admin/meeting_list.html"
    details_template = "banban_admin/meeting_details.html"
    column_list = ["held_on", "topic", "place", "convener", "decision_count"]
    column_labels = {"decision_count": "决定事项"}
    column_formatters = {"decision_count": lambda v, c, r, n: len(r.decisions)}
    column_searchable_list = ["topic"]
    column_default_sort = [("held_on", True), ("id", True)]

    @staticmethod
    def current_day():
        return today()

    def records(self) -> bool:
        staff = current_staff()
        return staff is not None and staff.role in scope.PLACE_RUNNERS

    def may_complete(self, decision: Decision) -> bool:
        staff = current_staff()
        return (decision.done_at is None and staff.role not in scope.READ_ONLY_ROLES
                and (decision.owner_id == staff.id or scope.may_manage(staff, decision.meeting.place)))

    @expose("/record/", methods=("GET", "POST"))
    def record(self):
        staff = current_staff()
        if not self.records():
            abort(403)
        form = PostForm()
        if form.validate_on_submit():
            values = request.form

            def work(session):
                return record_meeting(
                    session, staff, place_code=values.get("place") or "",
                    held_on=parse_date(values.get("held_on"), name="held_on"),
                    topic=values.get("topic") or "", attendees=values.getlist("attendees"),
                    departments=values.getlist("departments"),
                    blockers=(values.get("blockers") or "").splitlines(),
                    escalation_ids=_ids(values.getlist("escalations")),
                    decisions_in=_decisions_in(values), note=values.get("note"),
                    now=get_clock().now(), today=today())
            meeting = run_service(work, "协调会议已记录")
            if meeting:
                return redirect(url_for(".details_view", id=meeting.id))
        places = db.session.scalars(select(Place).where(scope.workable_places(staff))
                                    .order_by(Place.code)).all()
        people = db.session.scalars(select(Staff).where(
            Staff.active.is_(True), Staff.role != "inspector",
            nameable_staff(staff)).order_by(Staff.name)).all()
        escalations = db.session.scalars(select(Escalation).where(
            Escalation.resolved_at.is_(None), scope.escalations(staff))
            .order_by(Escalation.raised_at)).all()
        departments = db.session.scalars(select(Department).order_by(Department.code)).all()
        return self.render("banban_admin/meeting_record.html", form=form, values=request.form,
                           places=places, people=people, escalations=escalations,
                           departments=departments, rows=range(DECISION_ROWS),
                           today=today().isoformat())

    @expose("/decision/done/", methods=("POST",))
    def decision_done(self):
        """Report a decision done (`?id=` the decision's): one out of scope is 404."""
        staff = current_staff()
        try:
            decision_id = int(request.args.get("id") or "")
        except ValueError:
            abort(404)
        meeting_id = db.session.scalar(select(Decision.meeting_id).where(
            Decision.id == decision_id, scope.decisions(staff)))
        if meeting_id is None:
            abort(404)
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
        else:
            note = request.form.get("note") or ""
            run_service(lambda session: complete_decision(session, staff, decision_id, note,
                                                          get_clock().now()),
                        "决定事项已标记落实")
        return redirect(url_for(".details_view", id=meeting_id))


def nameable_staff(staff):
    """The people a recorder may name as attendees and owners: staff of the places they run,
    and the district office (a district admin: anyone)."""
    if staff.role in scope.DISTRICT_ADMINS:
        return true()
    return or_(scope.registrable_staff(staff), Staff.role == "district_admin")


def add_views(admin) -> None:
    admin.add_view(MeetingView(CoordinationMeeting, name="协调会议", category=MEETINGS,
                               endpoint="admin_meeting", url="meeting"))
