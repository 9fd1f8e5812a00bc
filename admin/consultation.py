"""Consultation and the people behind it: citizens' questions to answer (咨询答复), the items'
public FAQ (常见问题), the hall guide's phone-sized log of questions answered on the floor
(现场咨询登记), training records and the service language (培训与服务规范用语), registration
proposals for the district office (登记备案审批), and staff suggestions (意见建议). Each page
calls the services in backend/services and shows their refusals; none decides who may act."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.clock import get_clock, today
from backend.errors import InvalidInput
from backend.extensions import db
from backend.models import (
    CONSULTATION_STATUSES, FLOOR_OUTCOMES, QUESTION_KINDS, FaqEntry, Place, RegistrationProposal,
    ServiceItem, Staff, TrainingRecord,
)
from backend.services import consultation, scope, suggestions, training
from backend.services.staff import decide_proposal, staff_named

from .auth import current_staff
from .base import ScopedPage, minute, run_service
from .forms import FORM_EXPIRED, PostForm, parse_date
from .people import REGISTRY

CONSULT = "咨询与引导"
PEOPLE = "培训与建议"
PER_PAGE = 50


def _back(endpoint: str = ".index", **args):
    return redirect(url_for(endpoint, **args))


def _posted() -> bool:
    if PostForm().validate_on_submit():
        return True
    flash(FORM_EXPIRED, "error")
    return False


class ConsultationView(ScopedPage):
    """咨询答复: the questions in scope, open first; answer, close, publish to the FAQ."""
    roles = scope.ANSWERERS | scope.READ_ONLY_ROLES

    @expose("/")
    def index(self):
        staff = current_staff()
        status = request.args.get("status") or None
        if status not in CONSULTATION_STATUSES:
            status = None
        page = request.args.get("page", 1, type=int)
        page = page if 1 <= page <= 10_000 else 1
        found, total = consultation.staff_consultations(db.session, staff, status=status,
                                                        page=page, per_page=PER_PAGE)
        return self.render("banban_admin/consultations.html", consultations=found, total=total,
                           status=status, statuses=CONSULTATION_STATUSES, page=page,
                           pages=max(1, -(-total // PER_PAGE)), when=minute,
                           answering=staff.role in scope.ANSWERERS,
                           managing=staff.role in scope.PLACE_RUNNERS)

    def _act(self, work, done: str):
        if _posted():
            staff, now = current_staff(), get_clock().now()
            run_service(lambda session: work(session, staff, now), done)
        return _back(status=request.args.get("status") or None)

    @expose("/<int:consultation_id>/answer", methods=("POST",))
    def answer(self, consultation_id: int):
        text = request.form.get("answer") or ""
        return self._act(lambda s, staff, now: consultation.answer(
            s, staff, consultation_id, text, now), "已答复，群众将收到通知")

    @expose("/<int:consultation_id>/close", methods=("POST",))
    def close(self, consultation_id: int):
        note = request.form.get("note") or ""
        return self._act(lambda s, staff, now: consultation.close(
            s, staff, consultation_id, note, now), "咨询已关闭")

    @expose("/<int:consultation_id>/publish", methods=("POST",))
    def publish(self, consultation_id: int):
        question, answer = request.form.get("question"), request.form.get("answer")
        return self._act(lambda s, staff, now: consultation.publish(
            s, staff, consultation_id, question, answer, now), "已发布到事项的常见问题")


class FaqView(ScopedPage):
    """常见问题: the published entries of one's places; managers edit or withdraw them."""
    roles = scope.OVERSEERS

    @expose("/")
    def index(self):
        staff = current_staff()
        entries = db.session.scalars(
            select(FaqEntry).where(scope.visible(staff, FaqEntry), FaqEntry.withdrawn_at.is_(None))
            .options(selectinload(FaqEntry.item), selectinload(FaqEntry.place))
            .order_by(FaqEntry.updated_at.desc()).limit(200)).all()
        return self.render("banban_admin/faq.html", entries=entries, when=minute,
                           managing=staff.role in scope.PLACE_RUNNERS)

    @expose("/<int:entry_id>/edit", methods=("POST",))
    def edit(self, entry_id: int):
        if _posted():
            staff, form = current_staff(), request.form
            run_service(lambda s: consultation.edit_faq_entry(
                s, staff, entry_id, form.get("question") or "", form.get("answer") or "",
                get_clock().now()), "常见问题已修改")
        return _back()

    @expose("/<int:entry_id>/withdraw", methods=("POST",))
    def withdraw(self, entry_id: int):
        if _posted():
            staff = current_staff()
            run_service(lambda s: consultation.withdraw_faq_entry(s, staff, entry_id,
                                                                  get_clock().now()),
                        "已从常见问题中撤下")
        return _back()


class FloorLogView(ScopedPage):
    """现场咨询登记: a phone-sized page to log a question answered on the floor in seconds."""
    roles = scope.GUIDES | scope.PLACE_STAFF | scope.DISTRICT_ADMINS

    @expose("/", methods=("GET", "POST"))
    def index(self):
        staff = current_staff()
        places = db.session.scalars(select(Place).where(scope.workable_places(staff))
                                    .order_by(Place.code)).all()
        if request.method == "POST" and _posted():
            form = request.form
            logged = run_service(lambda s: consultation.log_floor_question(
                s, staff, form.get("place") or "", form.get("item") or None,
                form.get("kind") or "", form.get("outcome") or "", get_clock().now()))
            if logged:
                flash(f"已登记：{QUESTION_KINDS.get(form.get('kind'), '')}，"
                      f"{FLOOR_OUTCOMES.get(form.get('outcome'), '')}", "success")
                return _back(place=form.get("place"))
        place = request.args.get("place") or (places[0].code if places else "")
        items = db.session.scalars(select(ServiceItem).where(
            ServiceItem.places.any(Place.code == place)).order_by(ServiceItem.code)).all()
        logged_today = consultation.floor_questions(db.session, staff, today(),
                                                    get_clock().now().tzinfo)
        return self.render("banban_admin/floor_log.html", places=places, place=place,
                           items=items, kinds=QUESTION_KINDS, outcomes=FLOOR_OUTCOMES,
                           logged=logged_today, when=minute)


class TrainingView(ScopedPage):
    """培训与服务规范用语: the records in scope (entered by managers and the district office),
    the current service language with one's acknowledgement, and its new versions."""

    @expose("/")
    def index(self):
        staff = current_staff()
        records = db.session.scalars(
            select(TrainingRecord).where(scope.visible(staff, TrainingRecord))
            .options(selectinload(TrainingRecord.staff))
            .order_by(TrainingRecord.trained_on.desc(), TrainingRecord.id.desc()).limit(200)).all()
        people = []
        if staff.role in scope.PLACE_RUNNERS:
            query = select(Staff).where(Staff.active.is_(True),
                                        Staff.role.in_(sorted(scope.TRAINED_STAFF)))
            if staff.role not in scope.DISTRICT_ADMINS:
                query = query.where(scope.registrable_staff(staff))
            people = db.session.scalars(query.order_by(Staff.username)).all()
        document = training.current_service_language(db.session)
        return self.render("banban_admin/training.html", records=records, people=people,
                           document=document, acknowledged=training.has_acknowledged(
                               db.session, staff), valid_days=training.valid_days(),
                           since=training.current_since(today()),
                           publishing=staff.role in scope.DISTRICT_ADMINS,
                           acknowledging=staff.role not in scope.READ_ONLY_ROLES, when=minute)

    @expose("/record", methods=("POST",))
    def record(self):
        if _posted():
            actor, form = current_staff(), request.form

            def work(session):
                trained_on = parse_date(form.get("trained_on"), name="trained_on")
                if trained_on is None:
                    raise InvalidInput("培训记录有误", {"trained_on": ["请填写培训日期"]})
                return training.record_training(session, actor, staff_named(
                    session, form.get("username") or ""), training.Training(
                    form.get("course") or "", trained_on, form.get("hours") or "",
                    form.get("provider") or "", form.get("certificate_number") or None),
                    get_clock().now())
            run_service(work, "培训记录已登记")
        return _back()

    @expose("/acknowledge", methods=("POST",))
    def acknowledge(self):
        if _posted():
            staff = current_staff()
            run_service(lambda s: training.acknowledge_service_language(s, staff,
                                                                        get_clock().now()),
                        "已确认现行服务规范用语")
        return _back()

    @expose("/publish", methods=("POST",))
    def publish(self):
        if _posted():
            staff, form = current_staff(), request.form
            run_service(lambda s: training.publish_service_language(
                s, staff, form.get("title") or "", form.get("body") or "", get_clock().now()),
                "新版服务规范用语已发布，请各帮办代办员和引导员确认")
        return _back()


class ProposalView(ScopedPage):
    """登记备案审批: place managers' registrations waiting for the district office, and the
    decided ones."""
    roles = scope.OVERSEERS

    @expose("/")
    def index(self):
        staff = current_staff()
        proposals = db.session.scalars(
            select(RegistrationProposal).where(scope.visible(staff, RegistrationProposal))
            .order_by(RegistrationProposal.status != "pending",
                      RegistrationProposal.proposed_at.desc()).limit(200)).all()
        return self.render("banban_admin/proposals.html", proposals=proposals, when=minute,
                           deciding=staff.role in scope.DISTRICT_ADMINS)

    @expose("/<int:proposal_id>/decide", methods=("POST",))
    def decide(self, proposal_id: int):
        if _posted():
            staff, form = current_staff(), request.form
            approve = form.get("decision") == "approve"
            run_service(lambda s: decide_proposal(s, staff, proposal_id, approve,
                                                  form.get("reason"), get_clock().now()),
                        "已批准，登记备案生效" if approve else "已退回")
        return _back()


class SuggestionView(ScopedPage):
    """意见建议: submit one; the district office answers; the author is told."""

    @expose("/")
    def index(self):
        staff = current_staff()
        return self.render("banban_admin/suggestions.html",
                           suggestions=suggestions.visible_suggestions(db.session, staff),
                           when=minute, submitting=staff.role not in scope.READ_ONLY_ROLES,
                           answering=staff.role in scope.DISTRICT_ADMINS)

    @expose("/submit", methods=("POST",))
    def submit(self):
        if _posted():
            staff, form = current_staff(), request.form
            run_service(lambda s: suggestions.submit(s, staff, form.get("title") or "",
                                                     form.get("body") or "", get_clock().now()),
                        "意见建议已提交区政务服务管理办")
        return _back()

    @expose("/<int:suggestion_id>/answer", methods=("POST",))
    def answer(self, suggestion_id: int):
        if _posted():
            staff, form = current_staff(), request.form
            run_service(lambda s: suggestions.answer(s, staff, suggestion_id,
                                                     form.get("answer") or "", get_clock().now()),
                        "已答复，提出人将收到通知")
        return _back()


def add_views(admin) -> None:
    admin.add_view(ConsultationView(name="咨询答复", category=CONSULT,
                                    endpoint="admin_consultations", url="consultations"))
    admin.add_view(FaqView(name="常见问题", category=CONSULT, endpoint="admin_faq", url="faq"))
    admin.add_view(FloorLogView(name="现场咨询登记", category=CONSULT, endpoint="admin_floor_log",
                                url="floor-log"))
    admin.add_view(TrainingView(name="培训与服务规范用语", category=PEOPLE,
                                endpoint="admin_training", url="training"))
    admin.add_view(ProposalView(name="登记备案审批", category=REGISTRY, endpoint="admin_proposals",
                                url="proposals"))
    admin.add_view(SuggestionView(name="意见建议", category=PEOPLE, endpoint="admin_suggestions",
                                  url="suggestions"))
