"""Cases (办件), by concern. Every status change goes through `lifecycle.apply`, which checks
the one transition table and writes a CaseEvent in the same transaction; callers use the names
re-exported here (`from backend.services import cases; cases.assign(...)`).

- lifecycle: the transition table, `apply`, `available_actions` (what staff may do to a case
  now), and the plain moves (start, progress, complete, withdraw, assign)
- access: who may see or act on which case (the one definition of a case's scope)
- intake: creation, the material check and the one-time notice, supplements, rejection
- window: a case taken at a window for a walk-in applicant, who sees it once signed in with the
  same name and ID number; the person's earlier cases as the window types the ID number
- proxy: 代办 handover, the commission agreement, the return of originals
- clock: the legal clock: suspensions (特别程序, 中止), extensions, the moved due date
- commission: the 代办 commission: 委托书, 终止, 续办
- custody: the originals the hall holds, for whom, and those owed back too long
- documents: the papers handed to the applicant (一次性告知书 … 办结单) and their PDFs
- visits: 上门代办, a home visit requested, scheduled or declined, and recorded
- forwarding: a village point's case forwarded to its town or the district hall (转办)
- reviews: 好差评 and their follow-up, escalations
- queries: deadline states, the amber and red cases, and the lists
"""
from .lifecycle import (
    SYSTEM, Actor, BOTH, PROXY, ASSIST, Transition, TRANSITIONS,
    ACTION_LABELS, STAFF_ACTIONS, available_actions, actor_kind, permit, apply, start, progress,
    complete, withdraw, assign, originals_held,
)
from .access import citizen_case, staff_case, staff_escalation
from .intake import (
    AMBER_SHARE, next_case_number, Applicant, materials_by_code, default_agent, create_case,
    new_case, check_materials, supplement, reject, ACCEPTANCE_WORKING_DAYS, acceptance_deadline,
    overdue_for_acceptance, deem_accepted, deem_overdue_acceptances, acceptances_due,
)
from .window import (
    WindowIntake, may_take_at, take_at_window, citizen_cases, is_applicant, PersonHistory,
    person_history,
)
from .proxy import handover, sign_agreement, return_materials
from .visits import (
    VisitRequest, request_visit, schedule_visit, decline_visit, record_visit, visits_of_day,
)
from .clock import (
    CaseClock, allowance, case_clock, extend, open_suspension, reschedule, resume, suspend,
    suspended_working_days,
)
from .commission import (
    COMMISSION_STATUSES, COMMISSION_VALIDITY_DAYS, commission_status, renew, terminate,
)
from .custody import OWED, HeldOriginals, originals_in_custody, warn_overdue_returns
from .documents import case_document, document_pdf, file_name, issue
from .forwarding import forward, forward_targets
from .reviews import FOLLOWUP_WORKING_DAYS, review, close_followup, escalate, resolve_escalation
from .queries import (
    deadline_state, deadline_condition, amber_and_red_cases, CaseFilter, list_staff_cases,
    cases_to_reassign, list_citizen_cases, list_escalations, assignable_agents,
)

__all__ = [
    "SYSTEM", "Actor", "BOTH", "PROXY", "ASSIST", "Transition", "TRANSITIONS", "ACTION_LABELS",
    "STAFF_ACTIONS", "available_actions", "actor_kind", "permit", "apply", "start", "progress",
    "complete", "withdraw", "assign", "staff_case", "citizen_case",
    "staff_escalation", "AMBER_SHARE", "next_case_number", "Applicant", "materials_by_code",
    "default_agent", "create_case", "new_case", "check_materials", "supplement", "reject", "handover",
    "sign_agreement", "return_materials", "FOLLOWUP_WORKING_DAYS", "review", "close_followup",
    "escalate", "resolve_escalation", "deadline_state", "deadline_condition",
    "amber_and_red_cases", "CaseFilter", "list_staff_cases", "cases_to_reassign",
    "list_citizen_cases", "list_escalations", "assignable_agents", "WindowIntake", "may_take_at",
    "take_at_window", "citizen_cases", "is_applicant", "PersonHistory", "person_history",
    "VisitRequest", "request_visit", "schedule_visit", "decline_visit", "record_visit",
    "visits_of_day", "ACCEPTANCE_WORKING_DAYS", "acceptance_deadline", "overdue_for_acceptance",
    "deem_accepted", "deem_overdue_acceptances", "acceptances_due", "CaseClock", "allowance",
    "case_clock", "extend", "open_suspension", "reschedule", "resume", "suspend",
    "suspended_working_days", "COMMISSION_STATUSES", "COMMISSION_VALIDITY_DAYS",
    "commission_status", "renew", "terminate", "originals_held", "OWED", "HeldOriginals",
    "originals_in_custody", "warn_overdue_returns", "case_document", "document_pdf", "file_name",
    "issue", "forward", "forward_targets",
]
