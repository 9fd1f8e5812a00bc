"""Cases (办件): the list a hall works from, the whole story of one case, and its actions.

Case rows are never edited as forms: every change is an action form that calls the service the
staff API calls (backend.services.cases), so the transition table stays the one way to move a
case, and a refusal shows the service's Chinese message."""
from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import io

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from flask_admin.contrib.sqla.tools import parse_like_term
from sqlalchemy import Unicode, cast, func, literal, or_, select, union_all
from werkzeug.datastructures import MultiDict

from backend.clock import get_clock, today
from backend.errors import InvalidInput, NotFound
from backend.extensions import db
from backend.infrastructure.personal_data import decrypt
from backend.models import (
    CASE_STATUSES, HELP_TYPES, SUSPENSION_KINDS, Case, CaseDocument, Place, ServiceItem, Staff,
    staff_place,
)
from backend.services.calendar import load_calendar
from backend.services import cases, scope
from backend.services.cases import deadline_condition, deadline_state

from .auth import SignedIn, current_staff, signed_in
from .base import (
    DaysBetweenFilter, IntegerEqualFilter, ScopedModelView, ScopedPage, minute, run_service,
)
from .forms import FORM_EXPIRED, PostForm, parse_date
from .reads import read, start_list_count

DEADLINE_STATES = {"normal": "正常", "amber": "黄灯预警", "red": "红灯超期"}
WORK = "办件"


class DeadlineStateFilter(BaseSQLAFilter):
    """正常 / 黄灯 / 红灯, as `deadline_state` says (the same condition, in SQL)."""

    def __init__(self) -> None:
        super().__init__(Case.due_date, "时限状态", options=list(DEADLINE_STATES.items()))

    def apply(self, query, value, alias=None):
        if value not in DEADLINE_STATES:
            return query
        return query.filter(deadline_condition(value, today()))

    def operation(self) -> str:
        return "为"


class OptionsNow(IntegerEqualFilter):
    """An equality filter on a key whose options (agents, items, places) are read for each page;
    all three in one statement (`filter_options_statement`)."""

    def __init__(self, column, name: str, kind: str):
        super().__init__(column, name)
        self.kind = kind


@lru_cache(maxsize=256)
def filter_options_statement(staff: SignedIn):
    """The options of the agent, item and place filters in one statement: the agents of the
    places the staff member sees (no names from other places), every item and every place.
    Built once per signed-in staff member as read (a change of places is another key)."""
    agents = (select(literal("agent"), Staff.id, Staff.name, Staff.username)
              .where(Staff.role == "agent",
                     Staff.id.in_(select(staff_place.c.staff_id).where(
                         scope.in_own_places(staff, staff_place.c.place_id)))))
    items = select(literal("item"), ServiceItem.id, ServiceItem.name, literal(""))
    places = select(literal("place"), Place.id, Place.name, literal(""))
    return union_all(agents, items, places)


def filter_options_from(rows) -> dict[str, list[tuple[str, str]]]:
    """The options by filter: agents by name, items and places in catalogue order."""
    options: dict[str, list[tuple[str, str]]] = {"agent": [], "item": [], "place": []}
    for kind, id_, name, username in sorted(rows, key=_option_order):
        options[kind].append((str(id_), Staff.label(name, username) if kind == "agent" else name))
    return options


def _option_order(row) -> tuple:
    kind, id_, name, _ = row
    return kind, name if kind == "agent" else "", id_


# The case page's actions are the staff API's (cases.STAFF_ACTIONS); what each says when done.
DONE = {
    "assign": "已指派帮办代办员", "check": "材料审查已记录", "reject": "已不予受理",
    "handover": "材料交接已登记", "agreement": "纸质委托协议已登记", "start": "已开始办理",
    "progress": "办理进展已记录", "complete": "已办结", "return": "原件退还已登记",
    "escalate": "难点堵点已上报", "resolve-escalation": "难点堵点已协调解决",
    "review-followup": "差评回访整改已完成",
    "visit-schedule": "上门代办已安排", "visit-decline": "已不安排上门代办",
    "visit-record": "上门代办已登记",
    "suspend": "已暂停计时", "resume": "已恢复计时", "extend": "办理时限已延长",
    "terminate": "委托已终止", "renew": "已续办",
    "forward": "已转办，由接收场所的管理员指派帮办代办员",
}




def _text(form: MultiDict, name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def _material_lines(case: Case, form: MultiDict) -> list[dict]:
    """Receipt lines, one per material ticked: copies and original or copy."""
    lines = []
    for case_material in case.materials:
        code = case_material.material.code
        if not form.get(f"take_{code}"):
            continue
        try:
            copies = int(form.get(f"copies_{code}") or case_material.material.copies)
        except ValueError:
            raise InvalidInput("份数应为整数", {"materials": [f"{case_material.material.name}的份数有误"]})
        if not 1 <= copies <= 99:
            raise InvalidInput("份数应为1至99", {"materials": [f"{case_material.material.name}的份数有误"]})
        lines.append({"material": code, "copies": copies,
                      "original": form.get(f"original_{code}") == "1"})
    return lines


def _assign(session, case, staff, form, now):
    return cases.assign(session, case, staff, form.get("agent") or "", now)


def _check(session, case, staff, form, now):
    missing = [(code, _text(form, f"note_{code}")) for code in form.getlist("missing")]
    return cases.check_materials(session, case, missing, staff, now, _text(form, "note"))


def _reject(session, case, staff, form, now):
    return cases.reject(session, case, staff, _text(form, "reason") or "", now)


def _handover(session, case, staff, form, now):
    return cases.handover(session, case, staff, _material_lines(case, form),
                          form.get("citizen_confirmed") == "1", now, _text(form, "note"))


def _agreement(session, case, staff, form, now):
    return cases.sign_agreement(session, case, staff, now)


def _start(session, case, staff, form, now):
    return cases.start(session, case, staff, now)


def _progress(session, case, staff, form, now):
    task = _text(form, "task")
    return cases.progress(session, case, staff, _text(form, "note"), task,
                          (form.get("done") == "1") if task else None, now)


def _complete(session, case, staff, form, now):
    return cases.complete(session, case, staff, _text(form, "note"), now)


def _return(session, case, staff, form, now):
    return cases.return_materials(session, case, staff, _material_lines(case, form), now,
                                  _text(form, "note"), _results(form))


def _escalate(session, case, staff, form, now):
    return cases.escalate(session, case, staff, _text(form, "note") or "", now)


def _forward(session, case, staff, form, now):
    return cases.forward(session, case, staff, form.get("place") or "", _text(form, "reason") or "",
                         now)


def _resolve(session, case, staff, form, now):
    try:
        escalation_id = int(form.get("escalation") or "")
    except ValueError:
        raise InvalidInput("请选择要解决的难点堵点", {"escalation": ["必填"]})
    escalation = cases.staff_escalation(session, staff, escalation_id)
    if escalation.case_id != case.id:
        raise InvalidInput("该问题不属于本办件", {"escalation": [str(escalation_id)]})
    return cases.resolve_escalation(session, escalation, staff, _text(form, "note") or "", now)


def _followup(session, case, staff, form, now):
    callback, fix = _text(form, "callback"), _text(form, "fix")
    if not callback or not fix:
        raise InvalidInput("请填写回访情况和整改措施", {"followup": ["回访情况、整改措施均为必填"]})
    return cases.close_followup(session, case, staff, callback, fix, now)


def _visit_schedule(session, case, staff, form, now):
    day = parse_date(form.get("date"))
    raw = (form.get("start") or "").strip()
    try:
        start = datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise InvalidInput("上门时间应为 HH:MM", {"start": [raw]})
    if day is None:
        raise InvalidInput("请填写上门日期", {"date": ["必填"]})
    return cases.schedule_visit(session, case, staff, day, start, form.get("agent") or "", now)


def _visit_decline(session, case, staff, form, now):
    return cases.decline_visit(session, case, staff, _text(form, "reason") or "", now)


def _visit_record(session, case, staff, form, now):
    return cases.record_visit(session, case, staff, _material_lines(case, form),
                              form.get("paper_agreement") == "1", now, _text(form, "note"))


def _int(form: MultiDict, name: str, label: str) -> int:
    try:
        return int((form.get(name) or "").strip())
    except ValueError:
        raise InvalidInput(f"{label}应为整数", {name: [form.get(name) or ""]})


def _suspend(session, case, staff, form, now):
    return cases.suspend(session, case, staff, form.get("kind") or "other",
                         _text(form, "reason") or "", _int(form, "expected_days", "预计工作日"),
                         now, cause="applicant" if form.get("commission") == "1" else "procedure")


def _resume(session, case, staff, form, now):
    return cases.resume(session, case, staff, _text(form, "note"), now)


def _extend(session, case, staff, form, now):
    return cases.extend(session, case, staff, _int(form, "days", "延长的工作日"),
                        _text(form, "reason") or "", now)


def _terminate(session, case, staff, form, now):
    return cases.terminate(session, case, staff, _text(form, "reason"), now)


def _renew(session, case, staff, form, now):
    return cases.renew(session, case, staff, parse_date(form.get("valid_until")),
                       _text(form, "note"), now)


def _results(form: MultiDict) -> list[dict]:
    """Results handed over with the originals, one a line: 名称 or 名称×份数."""
    found = []
    for line in (form.get("results") or "").splitlines():
        name, _, copies = line.strip().partition("×")
        if name.strip():
            found.append({"name": name.strip(),
                          "copies": int(copies) if copies.strip().isdigit() else 1})
    return found


HANDLERS: dict[str, t.Callable] = {
    "assign": _assign, "check": _check, "reject": _reject, "handover": _handover,
    "agreement": _agreement, "start": _start, "progress": _progress, "complete": _complete,
    "return": _return, "escalate": _escalate, "forward": _forward,
    "resolve-escalation": _resolve,
    "review-followup": _followup,
    "visit-schedule": _visit_schedule, "visit-decline": _visit_decline,
    "visit-record": _visit_record,
    "suspend": _suspend, "resume": _resume, "extend": _extend,
    "terminate": _terminate, "renew": _renew,
}


@dataclass
class CasePage:
    """What the case page shows beside the case: its deadline state and the actions offered
    (`cases.available_actions`, each with its form)."""
    deadline: str
    deadline_label: str
    offered: list[str]
    agents: list[Staff]
    form: PostForm
    clock: cases.CaseClock
    suspension_kinds: dict
    forward_targets: list[Place]


class CaseView(ScopedModelView):
    """Every case the staff member may see (an agent: the cases assigned to them)."""
    roles = scope.OVERSEERS
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    details_template = "banban_admin/case_details.html"
    list_template = "banban_admin/case_list.html"

    column_list = ["number", "applicant_name", "item", "place", "help_type", "status",
                   "deadline", "due_date", "agent", "created_at"]
    column_labels = {"deadline": "时限状态"}
    column_searchable_list = ["number", "applicant_name"]
    column_sortable_list = ["number", "created_at", "due_date", "status"]
    # Newest first; sort by 承诺办结日期 for the most urgent.
    column_default_sort = [("created_at", True), ("id", True)]
    column_display_actions = True
    # A page is read as rows of what its columns show (ROW_COLUMNS), not as cases, and
    # case_list.html writes out each row's cells (list_cells).
    column_auto_select_related = False
    when = staticmethod(minute)  # the case page's times

    def __init__(self, model, **kwargs):
        self._filter_texts = None
        self.column_filters = [
            FilterEqual(Case.status, "状态", options=list(CASE_STATUSES.items())),
            DeadlineStateFilter(),
            FilterEqual(Case.help_type, "服务方式", options=list(HELP_TYPES.items())),
            OptionsNow(Case.agent_id, "帮办代办员", "agent"),
            OptionsNow(Case.item_id, "事项", "item"),
            OptionsNow(Case.place_id, "场所", "place"),
            DaysBetweenFilter(Case.created_at, "申请日期"),
        ]
        super().__init__(model, **kwargs)

    # --- the list ------------------------------------------------------------------------------
    # The list a hall works from is drawn lean (bench/admin_cases.py): one statement for its rows,
    # written in SQL as one would by hand, with the count and the filters' options read beside it
    # on connections of their own; Flask-Admin's arguments (page, sort, search, filters: the same
    # URLs), filter objects and filter bar are kept, its row machinery is not.
    ROW_COLUMNS = (Case.id, Case.number, Case.applicant_name, Case.help_type, Case.status,
                   Case.created_at, Case.amber_on, Case.due_date, Case.suspended_since,
                   ServiceItem.name.label("item"),
                   Place.name.label("place"), Staff.name.label("agent_name"),
                   Staff.username.label("agent_username"))
    ROW_FROM = (Case.__table__.outerjoin(ServiceItem, ServiceItem.id == Case.item_id)
                .outerjoin(Place, Place.id == Case.place_id)
                .outerjoin(Staff, Staff.id == Case.agent_id))

    # The filter bar's styles (Flask-Admin's lib.form_css) and scripts, after jQuery and
    # Flask-Admin's own (base template), in the order Flask-Admin's list page loads them.
    LIST_STYLES = (("vendor/select2/select2.css", "4.2.1"),
                   ("vendor/select2/select2-bootstrap4.css", "1.4.6"),
                   ("vendor/bootstrap-daterangepicker/daterangepicker-bs4.css", "1.3.22"))
    LIST_SCRIPTS = (("vendor/bootstrap-daterangepicker/daterangepicker.js", "1.3.22"),
                    ("admin/js/form.js", "1.0.1"), ("admin/js/bs4_filters.js", "1.0.0"))

    @property
    def extra_js(self) -> list[str]:
        scripts = super().extra_js
        if request.endpoint != f"{self.endpoint}.index_view":
            return scripts
        return [self.get_url(f"{self.admin.endpoint}.static", filename=name, v=version)
                for name, version in self.LIST_SCRIPTS] + scripts

    @expose("/")
    def index_view(self):
        args = self._get_list_extra_args()
        staff = signed_in()
        chosen = self.list_selection(staff, args)
        page_size = self.get_safe_page_size(args.page_size)
        page = self.list_page(chosen, args, page_size)
        # Beside the page, on one connection: the filters' options (needed as soon as the rows
        # are drawn), then the count (needed last).
        [options] = start_list_count(select(func.count()).select_from(chosen.subquery()),
                                     filter_options_statement(staff))
        rows = self.list_cells(read(page))
        actions, confirmations = self.get_actions_list()
        list_url = self._get_list_url
        return_url = list_url(args)
        assets = f"{self.admin.endpoint}.static"
        return self.render(
            self.list_template, data=rows, page=args.page, page_size=page_size,
            default_page_size=self.page_size, page_url=self.page_urls(args),
            headers=self.list_headers(args), sort_column=args.sort, sort_desc=args.sort_desc,
            search=args.search, search_placeholder=self.search_placeholder(),
            clear_search_url=list_url(args.clone(page=0, search=None, filters=None)),
            filter_groups=self.filter_groups(filter_options_from(options.result())),
            active_filters=args.filters, filter_args=self._get_filters(args.filters),
            actions=actions, actions_confirmation=confirmations,
            action_token=self.action_token() if actions else None,
            action_url=self.get_url(".action_view"), return_url=return_url,
            details_url=self.get_url(".details_view", url=return_url) + "&id=",
            extra_args=args.extra_args,
            list_css=[self.get_url(assets, filename=name, v=version)
                      for name, version in self.LIST_STYLES])

    def action_token(self) -> str:
        """The bulk action form's CSRF token (Flask-Admin's SecureForm, checked on the POST)."""
        return self.action_form().csrf_token.current_token

    def page_urls(self, args) -> t.Callable[[int], str]:
        """The address of each page of this list: Flask-Admin's with `page` first in its query
        (ScopedModelView._get_list_url), so one address is made and the pages put before it."""
        first = self._get_list_url(args.clone(page=None))
        path, _, rest = first.partition("?")
        tail = f"&{rest}" if rest else ""
        return lambda p: f"{path}?page={p}{tail}" if p else first

    def list_headers(self, args) -> list[tuple[str, str, str | None, str | None]]:
        """Each column's name, label, sorting address and arrow, as Flask-Admin's list header
        has them: a sortable column sorts by itself, the one sorted by turns its order round."""
        headers = []
        for index, (column, label) in enumerate(self._list_columns):
            if column not in self._sortable_columns:
                headers.append((column, label, None, None))
            elif args.sort == index:
                desc = None if args.sort_desc else 1
                headers.append((column, label, self._get_list_url(args.clone(
                    sort=index, sort_desc=desc)), "down" if args.sort_desc else "up"))
            else:
                headers.append((column, label, self._get_list_url(args.clone(
                    sort=index, sort_desc=None)), None))
        return headers

    def list_selection(self, staff: SignedIn, args):
        """The ids of the cases the list shows (scope, filters, search), as one select."""
        chosen = select(Case.id).where(scope.visible(staff, Case))
        for index, _, value in args.filters or ():
            flt = self._filters[index]
            chosen = flt.apply(chosen, flt.clean(value), None)
        for term in (args.search or "").split(" "):
            if term:
                like = parse_like_term(term)
                chosen = chosen.where(or_(*(cast(field, Unicode).ilike(like)
                                            for field, _ in self._search_fields)))
        return chosen

    def list_page(self, chosen, args, page_size: int):
        """The page's rows, the columns it shows with the item, place and agent by name."""
        column = self._get_column_by_idx(args.sort)
        if column is not None and column[0] in self._sortable_columns:
            key = self._sortable_columns[column[0]]
            order = [key.desc(), Case.id.desc()] if args.sort_desc else [key, Case.id]
        else:
            order = [Case.created_at.desc(), Case.id.desc()]
        return (chosen.with_only_columns(*self.ROW_COLUMNS).select_from(self.ROW_FROM)
                .order_by(*order).limit(page_size).offset(args.page * page_size))

    @staticmethod
    def list_cells(rows) -> list[tuple]:
        """Each row as the page writes it, cell by cell in CaseView.column_list's order after
        its id, with labels, the deadline state and times in Boshan's time (one pass here,
        not a call per cell in the template)."""
        day, cells = today(), []
        for row in rows:
            state = deadline_state(row, day)
            agent = Staff.label(row.agent_name, row.agent_username) if row.agent_name else ""
            cells.append((row.id, row.number, row.applicant_name, row.item, row.place,
                          HELP_TYPES[row.help_type], CASE_STATUSES[row.status], state,
                          DEADLINE_STATES[state], row.due_date or "", agent,
                          minute(row.created_at)))
        return cells

    def filter_groups(self, options: dict[str, list[tuple[str, str]]]):
        """The filter bar's groups, with the options of the agent, item and place filters read
        for this staff member. Flask-Admin's groups are made once (their labels translated); each
        request gets copies of those it fills in: nothing of a request is kept on the view,
        which every request and thread shares."""
        if self._filter_texts is None:  # the labels in Chinese, the portal's one language
            self._filter_texts = super()._get_filter_groups() or {}
        return {group: [{**item, "options": options[flt.kind] or None}
                        if isinstance(flt := self._filters[item["index"]], OptionsNow) else item
                        for item in items]
                for group, items in self._filter_texts.items()}

    # --- the case page -----------------------------------------------------------------------
    @staticmethod
    def commission_label(case: Case) -> str:
        status = cases.commission_status(case, today())
        return cases.COMMISSION_STATUSES.get(status, "未签订") if status else "未签订"

    @staticmethod
    def action_label(action_name: str) -> str:
        return cases.ACTION_LABELS.get(action_name, action_name)

    def case_page(self, case: Case) -> CasePage:
        staff = current_staff()
        state = deadline_state(case, today())
        offered = cases.available_actions(case, staff)
        choosing = "assign" in offered or "visit-schedule" in offered
        agents = cases.assignable_agents(db.session, {case.place_id}) if choosing else []
        clock = cases.case_clock(load_calendar(db.session), case, get_clock().now())
        targets = cases.forward_targets(db.session, case) if "forward" in offered else []
        return CasePage(state, DEADLINE_STATES[state], offered, agents, PostForm(), clock,
                        SUSPENSION_KINDS, targets)

    @expose("/act/<step>/", methods=("POST",))
    def act(self, step: str):
        name = step
        handler = HANDLERS.get(name)
        case = self.get_one(request.args.get("id"))
        if handler is None or case is None:
            abort(404)
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
        else:
            staff, form, number = current_staff(), request.form, case.number

            def work(session):
                # The service's own lookup: scope, and read-only roles refused.
                return handler(session, cases.staff_case(session, staff, number), staff, form,
                               get_clock().now())
            if run_service(work, DONE[name]) and name == "forward":
                # Forwarded out of a village point: the case may be out of one's sight now.
                return redirect(url_for(".index_view"))
        return redirect(url_for(".details_view", id=case.id))

    @expose("/document/<int:document_id>.pdf")
    def document(self, document_id: int):
        """A paper of a case in scope, to print (the case page lists them)."""
        document = db.session.get(CaseDocument, document_id)
        if document is None:
            abort(404)
        try:
            case = cases.staff_case(db.session, current_staff(), document.case.number,
                                    acting=False)
        except NotFound:
            abort(404)
        data = cases.document_pdf(db.session, cases.case_document(case, document_id),
                                  get_clock().now().tzinfo, current_app.config["PDF_FONT_PATH"])
        return send_file(io.BytesIO(data), mimetype="application/pdf", max_age=0,
                         download_name=cases.file_name(document))

    # --- many cases at once ------------------------------------------------------------------
    @action("assign", "指派帮办代办员")
    def assign_many(self, ids):
        found = [str(case.id) for case in self.get_scoped_by_ids(ids)]
        if not found:
            flash("请先选择办件", "error")
            return redirect(url_for(".index_view"))
        return redirect(url_for(".assign_view", ids=",".join(found)))

    def is_action_allowed(self, name: str) -> bool:
        staff = signed_in()
        return staff is not None and staff.role in scope.PLACE_RUNNERS and super().is_action_allowed(name)

    @expose("/assign/", methods=("GET", "POST"))
    def assign_view(self):
        staff = current_staff()
        if staff.role not in scope.PLACE_RUNNERS:
            abort(403)
        raw = [i for i in (request.values.get("ids") or "").split(",") if i]
        chosen = self.get_scoped_by_ids(raw).order_by(Case.id).all()
        if not chosen:
            abort(404)
        form = PostForm()
        if form.validate_on_submit():
            numbers, username = [c.number for c in chosen], request.form.get("agent") or ""

            def work(session):
                now = get_clock().now()
                for number in numbers:  # all or nothing: one unit of work
                    cases.assign(session, cases.staff_case(session, staff, number), staff,
                                 username, now)
            if run_service(work, f"已指派 {len(numbers)} 个办件"):
                return redirect(url_for(".index_view"))
        agents = cases.assignable_agents(db.session, {c.place_id for c in chosen})
        return self.render("banban_admin/case_assign.html", cases=chosen, agents=agents,
                           form=form, ids=",".join(str(c.id) for c in chosen))


class MyCaseView(CaseView):
    """我的办件: an agent's own cases (the scope gives an agent only those)."""
    roles = scope.AGENTS


class ReassignView(ScopedPage):
    """Open cases left with an agent whose registration ended or whose account was stopped."""
    roles = scope.OVERSEERS

    @expose("/")
    def index(self):
        found = cases.cases_to_reassign(db.session, current_staff())
        return self.render("banban_admin/reassign.html", cases=found, today=today(),
                           deadline_state=deadline_state, labels=DEADLINE_STATES)


class VisitDayView(ScopedPage):
    """上门代办 of a day, by time: an agent's round (an agent sees its own visits; managers
    those of their places)."""
    roles = scope.CASE_READERS

    @expose("/")
    def index(self):
        day = parse_date(request.args.get("date"), today())
        found = cases.visits_of_day(db.session, current_staff(), day)
        return self.render("banban_admin/visits.html", day=day, visits=found,
                           address=lambda v: decrypt(v.address_encrypted),
                           case_url=lambda v: url_for(
                               ("admin_my_case" if current_staff().role in scope.AGENTS
                                else "admin_case") + ".details_view", id=v.case_id))


class CustodyView(ScopedPage):
    """原件保管: the originals the hall holds, for whom, and which are owed back too long (an
    agent: those of its own cases)."""
    roles = scope.CASE_READERS

    @expose("/")
    def index(self):
        rows = cases.originals_in_custody(db.session, current_staff(), get_clock().now(),
                                          current_app.config["ORIGINALS_RETURN_DAYS"])
        view = "admin_my_case" if current_staff().role in scope.AGENTS else "admin_case"
        return self.render("banban_admin/originals.html", rows=rows,
                           return_days=current_app.config["ORIGINALS_RETURN_DAYS"],
                           case_url=lambda case: url_for(f"{view}.details_view", id=case.id))


def add_views(admin) -> None:
    admin.add_view(MyCaseView(Case, name="我的办件", category=WORK, endpoint="admin_my_case",
                              url="my-cases"))
    admin.add_view(CaseView(Case, name="办件", category=WORK, endpoint="admin_case", url="case"))
    admin.add_view(ReassignView(name="待重新指派", category=WORK, endpoint="admin_reassign",
                                url="reassign"))
    admin.add_view(CustodyView(name="原件保管", category=WORK, endpoint="admin_originals",
                               url="originals"))
    admin.add_view(VisitDayView(name="上门代办", category=WORK, endpoint="admin_visits",
                                url="visits"))
