"""重点项目: key projects, their cases' deadlines in one view and one merged timeline; managers
set them up, the 项目管家 groups the enterprise's cases under them. Pages call
backend.services.projects, which decides."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select

from backend.clock import get_clock, today
from backend.extensions import db
from backend.models import KeyProject, Place, Staff
from backend.services import scope

from backend.services.projects import add_case, create_project, may_run, project_view

from .auth import current_staff
from .base import ScopedModelView, minute, run_service
from .cases import DEADLINE_STATES
from .forms import FORM_EXPIRED, PostForm
from .meetings import nameable_staff

WORK = "办件"


class ProjectView(ScopedModelView):
    """重点项目: those of one's places, or whose 项目管家 or member one is."""
    roles = scope.STAFF_ROLES
    can_create = can_edit = can_delete = False
    can_view_details = True
    list_template = "banban_admin/project_list.html"
    details_template = "banban_admin/project_details.html"
    column_list = ["code", "name", "enterprise_name", "uscc", "place", "steward"]
    column_searchable_list = ["name", "enterprise_name", "uscc"]
    column_default_sort = [("code", True)]
    when = staticmethod(minute)

    def creates(self) -> bool:
        staff = current_staff()
        return staff is not None and staff.role in scope.PLACE_RUNNERS

    def page(self, project: KeyProject):
        return project_view(db.session, project, today())

    def runs(self, project: KeyProject) -> bool:
        return may_run(current_staff(), project)

    @staticmethod
    def state_label(state: str) -> str:
        return DEADLINE_STATES[state]

    @expose("/create/", methods=("GET", "POST"))
    def create(self):
        staff = current_staff()
        if not self.creates():
            abort(403)
        form = PostForm()
        if form.validate_on_submit():
            values = request.form

            def work(session):
                return create_project(
                    session, staff, name=values.get("name") or "",
                    enterprise_name=values.get("enterprise_name") or "",
                    uscc=values.get("uscc") or "", description=values.get("description"),
                    place_code=values.get("place") or "", steward=values.get("steward") or "",
                    members=values.getlist("members"), now=get_clock().now())
            project = run_service(work, "重点项目已设立")
            if project:
                return redirect(url_for(".details_view", id=project.id))
        places = db.session.scalars(select(Place).where(scope.workable_places(staff))
                                    .order_by(Place.code)).all()
        people = db.session.scalars(select(Staff).where(
            Staff.active.is_(True), Staff.role != "inspector", nameable_staff(staff))
            .order_by(Staff.name)).all()
        return self.render("banban_admin/project_form.html", form=form, values=request.form,
                           places=places, people=people,
                           agents=[p for p in people if p.role in scope.AGENTS])

    @expose("/add-case/", methods=("POST",))
    def add_case_view(self):
        staff = current_staff()
        project = self.get_one(request.args.get("id"))
        if project is None:
            abort(404)
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
        else:
            project_id, number = project.id, request.form.get("number") or ""

            def work(session):
                return add_case(session, staff, session.get(KeyProject, project_id), number,
                                get_clock().now())
            run_service(work, "办件已归入本项目")
        return redirect(url_for(".details_view", id=project.id))


def add_views(admin) -> None:
    admin.add_view(ProjectView(KeyProject, name="重点项目", category=WORK,
                               endpoint="admin_project", url="project"))
