"""The database models. Import from here: `from backend.models import Place`."""
from .announcement import Announcement
from .booking import (
    ACTIVE_BOOKING, BOOKING_STATUSES, SEAT_POOLS, Booking, IdempotentRequest, Slot,
)
from .case import (
    CASE_STATUSES, CHANNELS, CLOSED, ENDED, FINISHED, OPEN, REVIEW_LEVELS, AuditLog, Case, CaseEvent,
    CaseMaterial,
    CaseSequence, DepartmentTask, Escalation, HomeVisit, MissingMaterialNotice, NoticeLine,
    Receipt, ReceiptLine, ReceiptResult, Review, VISIT_STATUSES, SUSPENSION_CAUSES, SUSPENSION_KINDS, Extension,
    Suspension, CaseDocument, DOCUMENT_KINDS,
)
from .calendar import CalendarNotice, CalendarOverride
from .catalog import (
    HELP_TYPES, PLACE_LEVELS, SLOT_KINDS, Department, Material, Place, RotaEntry, ScheduleRule,
    ServiceItem, Station, HELP_TYPE_FLAGS, help_types_of, item_department, item_place,
)
from .meeting import CoordinationMeeting, Decision, MeetingBlocker, meeting_attendee, meeting_department
from .project import KeyProject, project_member
from .standards import (
    BULLETIN_KINDS, Bulletin, BulletinEntry, InspectionVisit, WorkingStandard, inspection_inspector,
)
from .notification import (
    NOTIFICATION_STATUSES, UNDELIVERED, Notification, StaffWeChat, SubscriptionQuota,
)
from .queue import (
    OPEN_TICKET, TICKET_CHANNELS, TICKET_STATUSES, Queue, Ticket, TicketSequence, Window,
    queue_item, window_queue,
)
from .consultation import (
    CONSULTATION_STATUSES, FLOOR_OUTCOMES, QUESTION_KINDS, Consultation, FaqEntry, FloorQuestion,
)
from .training import (
    PROPOSAL_STATUSES, SUGGESTION_STATUSES, RegistrationProposal, ServiceLanguage,
    ServiceLanguageAck, Suggestion, TrainingRecord,
)
from .people import (
    RELATIVE_STATUSES, ROLES, SPECIAL_GROUP_KINDS, AgentRegistration, Citizen, LoginThrottle,
    Relative, SpecialGroupConfirmation, Staff, staff_place,
)

__all__ = [
    "Announcement",
    "CASE_STATUSES", "CHANNELS", "CLOSED", "ENDED", "FINISHED", "OPEN", "REVIEW_LEVELS", "AuditLog", "Case", "CaseEvent",
    "CaseMaterial", "CaseSequence", "DepartmentTask", "Escalation", "MissingMaterialNotice",
    "NoticeLine", "Receipt", "ReceiptLine", "ReceiptResult", "Review", "HomeVisit", "VISIT_STATUSES",
    "SUSPENSION_CAUSES", "SUSPENSION_KINDS", "Extension", "Suspension", "CaseDocument", "DOCUMENT_KINDS",
    "ACTIVE_BOOKING", "BOOKING_STATUSES", "SEAT_POOLS", "Booking", "IdempotentRequest", "Slot",
    "SPECIAL_GROUP_KINDS", "SpecialGroupConfirmation",
    "AgentRegistration", "CalendarNotice", "CalendarOverride", "Citizen",
    "Department", "HELP_TYPES",
    "LoginThrottle", "RELATIVE_STATUSES", "Relative",
    "Material", "PLACE_LEVELS", "Place", "ROLES", "RotaEntry", "SLOT_KINDS", "ScheduleRule",
    "ServiceItem", "Staff", "Station", "HELP_TYPE_FLAGS", "help_types_of", "item_department",
    "item_place", "staff_place", "NOTIFICATION_STATUSES", "UNDELIVERED", "Notification",
    "StaffWeChat", "SubscriptionQuota",
    "OPEN_TICKET", "TICKET_CHANNELS", "TICKET_STATUSES", "Queue", "Ticket", "TicketSequence",
    "Window", "queue_item", "window_queue",
    "CONSULTATION_STATUSES", "FLOOR_OUTCOMES", "QUESTION_KINDS", "Consultation", "FaqEntry",
    "FloorQuestion", "PROPOSAL_STATUSES", "SUGGESTION_STATUSES", "RegistrationProposal",
    "ServiceLanguage", "ServiceLanguageAck", "Suggestion", "TrainingRecord",
    "StaffWeChat", "SubscriptionQuota", "CoordinationMeeting", "Decision", "MeetingBlocker",
    "meeting_attendee", "meeting_department", "BULLETIN_KINDS", "Bulletin", "BulletinEntry",
    "InspectionVisit", "WorkingStandard", "inspection_inspector", "KeyProject", "project_member",
]
