"""Who may see which record: one definition per kind of record, as an SQL condition over its
model, used by the API's services and the admin's scoped views alike (docs/domain.md "Roles").

- District admins and inspectors see every place (`DISTRICT_WIDE_ROLES`); inspectors only read.
- Place managers see the rows of their places.
- Agents see the rows of their places, except cases: an agent sees the cases assigned to them,
  and those it forwarded from its village point (it stays the applicant's contact).
- One's places follow the place tree (`place_tree`): a place and the village points under it,
  so a town's manager sees the town and the villages under it.
- The catalogue (places, departments, stations, items, materials) is public.
- Staff accounts are seen by district admins only.
- Announcements: the district-wide ones and those of one's places.
- Reviews follow their case's scope; outbox messages their place's (and one's own messages).
- The audit log is seen by district admins and inspectors only.
- Hall guides (引导员) see no case; they log the questions of their places' floor.
- Consultations: an agent those about its department's items at its places; managers their
  places'; guides none. FAQ entries, floor questions and registration proposals follow their
  place; suggestions are the author's, their places' managers' and the district's; training
  records one's own, or those of one's places' staff for a manager.
- Working standards and 通报 are published to every staff member; inspection visits are seen by
  the staff of the place inspected.
- Key projects: those of one's places, and those one is the 项目管家 or a member of.
- Coordination meetings: those of one's places, those one attended or owns a decision of; their
  decisions follow them, and one's own decisions are always seen.

A record outside a staff member's scope is answered as if it did not exist (404), so that its
number or code is not confirmed. A model with no scope here is refused by the admin.

A staff member here is whatever has a `Staff`'s `id`, `role` and `place_ids`: the model, or the
admin's `SignedIn` (admin/auth.py), read for each request without loading the model.
"""
from __future__ import annotations

from typing import Callable, Literal, Union

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from ..errors import Forbidden
from ..infrastructure.audit import SYSTEM

from ..models import (
    ROLES, AgentRegistration, Announcement, AuditLog, Booking, Bulletin, BulletinEntry, Case,
    Consultation, CoordinationMeeting, Decision, Department, FaqEntry, FloorQuestion,
    InspectionVisit, KeyProject, MeetingBlocker, RegistrationProposal, ServiceLanguage, Suggestion,
    TrainingRecord, WorkingStandard,
    Escalation, Material, Notification, Place, Review, RotaEntry, ScheduleRule, ServiceItem, Slot,
    SpecialGroupConfirmation, Staff, Station, Queue, Ticket, Window,
)

# The role sets, each named once: services, the admin's views, reports and compliance import
# these, and no other module writes a set of role names.
STAFF_ROLES = frozenset(ROLES)
# Work across every place of the district; the others see only their own places.
DISTRICT_WIDE_ROLES = frozenset({"district_admin", "inspector"})
# Look but never act.
READ_ONLY_ROLES = frozenset({"inspector"})
# Run a place: its rota, schedules, agents' registrations and announcements; assign cases.
PLACE_RUNNERS = frozenset({"place_manager", "district_admin"})
# Work cases (the transition table's staff actors) and the floor's bookings.
CASE_WORKERS = frozenset({"agent", "place_manager", "district_admin"})
# Oversee: the case lists, dashboards and reports of their places (or of every place).
OVERSEERS = frozenset({"place_manager", "district_admin", "inspector"})
# Belong to places (an account of these roles needs one) and may be on a place's rota.
PLACE_STAFF = frozenset({"agent", "place_manager", "guide"})
# Run the district: the catalogue, staff accounts, the calendar.
DISTRICT_ADMINS = frozenset({"district_admin"})
# Are given cases to work.
AGENTS = frozenset({"agent"})
# Hall guides (引导员): answer and log questions on the floor of their places; see no case.
GUIDES = frozenset({"guide"})
# Everyone but the guides may read something of cases (visits, originals held).
CASE_READERS = STAFF_ROLES - GUIDES
# Answer citizens' consultations (an agent those of its department's items at its places).
ANSWERERS = frozenset({"agent", "place_manager", "district_admin"})
# Hold a training record and acknowledge the service language: who serves the public.
TRAINED_STAFF = frozenset({"agent", "guide"})


def sees_every_place(staff: Staff) -> bool:
    return staff.role in DISTRICT_WIDE_ROLES


# The level of the places that belong to the place above them (a village point to its town).
VILLAGE = "village"


def place_tree(place_ids, place_id) -> ColumnElement[bool]:
    """The place tree's one rule, as an SQL condition over a place id column: the place is one of
    `place_ids` or a village point under one of them (a town's villages). Only villages belong
    to the place above them: a town under the district hall stays the town's own, run by its
    managers and the district office."""
    ids = place_ids or {-1}
    return or_(place_id.in_(ids), place_id.in_(select(Place.id).where(
        Place.parent_id.in_(ids), Place.level == VILLAGE)))


def in_tree(place_ids, place: Place) -> bool:
    """`place_tree` for one loaded place, in Python."""
    return place.id in place_ids or (place.level == VILLAGE and place.parent_id in place_ids)


def in_own_places(staff: Staff, place_id) -> ColumnElement[bool]:
    """Rows of a place the staff member works at, or of a place under one (every place for the
    district-wide roles)."""
    if sees_every_place(staff):
        return true()
    return place_tree(staff.place_ids, place_id)


def works_at(staff: Staff, place: Place) -> bool:
    """`in_own_places` for one place, in Python."""
    return sees_every_place(staff) or in_tree(staff.place_ids, place)


def cases(staff: Staff) -> ColumnElement[bool]:
    if staff.role in GUIDES:
        return false()
    if staff.role in AGENTS:
        return or_(Case.agent_id == staff.id, Case.contact_agent_id == staff.id)
    return in_own_places(staff, Case.place_id)


def sees_case(staff: Staff, case: Case) -> bool:
    """`cases(staff)` for one loaded case, in Python (the actions a case page or answer offers
    are worked out without asking the database again; tests/test_case_actions.py holds the two
    to the same answers)."""
    if staff.role in GUIDES:
        return False
    if staff.role in AGENTS:
        return staff.id in (case.agent_id, case.contact_agent_id)
    return (sees_every_place(staff) or case.place_id in staff.place_ids
            or (case.place is not None and in_tree(staff.place_ids, case.place)))


def escalations(staff: Staff) -> ColumnElement[bool]:
    return Escalation.case.has(cases(staff))


def bookings(staff: Staff) -> ColumnElement[bool]:
    """An agent at the counter checks in whoever comes, not only its own cases' applicants."""
    return in_own_places(staff, Booking.place_id)


def staff_accounts(staff: Staff) -> ColumnElement[bool]:
    return true() if staff.role in DISTRICT_ADMINS else false()


def agent_registrations(staff: Staff) -> ColumnElement[bool]:
    return in_own_places(staff, AgentRegistration.place_id)


def announcements(staff: Staff) -> ColumnElement[bool]:
    """District-wide announcements and those of the staff member's places."""
    return or_(Announcement.place_id.is_(None), in_own_places(staff, Announcement.place_id))


def reviews(staff: Staff) -> ColumnElement[bool]:
    return Review.case.has(cases(staff))


def notifications(staff: Staff) -> ColumnElement[bool]:
    """Messages of the staff member's places, and those sent to them."""
    return or_(in_own_places(staff, Notification.place_id), Notification.staff_id == staff.id)


def consultations(staff: Staff) -> ColumnElement[bool]:
    """Managers: their places' questions; an agent: those about its department's items (lead
    department) at its places; guides and others: none online (guides log the floor's)."""
    if staff.role in AGENTS:
        return and_(in_own_places(staff, Consultation.place_id),
                    Consultation.item.has(ServiceItem.department_id == staff.department_id))
    if staff.role in GUIDES:
        return false()
    return in_own_places(staff, Consultation.place_id)


def suggestions(staff: Staff) -> ColumnElement[bool]:
    """The district office sees every suggestion, managers their places', others their own."""
    if staff.role in DISTRICT_WIDE_ROLES:
        return true()
    if staff.role in PLACE_RUNNERS:
        return or_(Suggestion.author_id == staff.id,
                   in_own_places(staff, Suggestion.place_id))
    return Suggestion.author_id == staff.id


def training_records(staff: Staff) -> ColumnElement[bool]:
    """Everyone sees their own; managers those of who works at their places."""
    if staff.role in DISTRICT_WIDE_ROLES:
        return true()
    if staff.role in PLACE_RUNNERS:
        return or_(TrainingRecord.staff_id == staff.id, TrainingRecord.staff.has(
            Staff.places.any(place_tree(staff.place_ids, Place.id))))
    return TrainingRecord.staff_id == staff.id


def meetings(staff: Staff) -> ColumnElement[bool]:
    """Coordination meetings: those of one's places (the place tree), those one attended and
    those with a decision one owns; every one for the district-wide roles."""
    if sees_every_place(staff):
        return true()
    return or_(in_own_places(staff, CoordinationMeeting.place_id),
               CoordinationMeeting.attendees.any(Staff.id == staff.id),
               CoordinationMeeting.decisions.any(Decision.owner_id == staff.id))


def decisions(staff: Staff) -> ColumnElement[bool]:
    """A meeting's decisions follow the meeting; one's own decisions are always seen."""
    return or_(Decision.owner_id == staff.id, Decision.meeting.has(meetings(staff)))


def projects(staff: Staff) -> ColumnElement[bool]:
    """Key projects: those of one's places (the place tree), those one is the 项目管家 or a
    member of; every one for the district-wide roles."""
    if sees_every_place(staff):
        return true()
    return or_(in_own_places(staff, KeyProject.place_id), KeyProject.steward_id == staff.id,
               KeyProject.members.any(Staff.id == staff.id))


def audit_log(staff: Staff) -> ColumnElement[bool]:
    return true() if staff.role in DISTRICT_WIDE_ROLES else false()


def public(staff: Staff) -> ColumnElement[bool]:
    return true()


SCOPES: dict[type, Callable[[Staff], ColumnElement[bool]]] = {
    Case: cases,
    Escalation: escalations,
    Booking: bookings,
    Slot: lambda staff: in_own_places(staff, Slot.place_id),
    ScheduleRule: lambda staff: in_own_places(staff, ScheduleRule.place_id),
    RotaEntry: lambda staff: in_own_places(staff, RotaEntry.place_id),
    AgentRegistration: agent_registrations,
    Staff: staff_accounts,
    Announcement: announcements,
    Review: reviews,
    Notification: notifications,
    AuditLog: audit_log,
    CoordinationMeeting: meetings,
    Decision: decisions,
    MeetingBlocker: lambda staff: MeetingBlocker.meeting.has(meetings(staff)),
    # The standards and the 通报 are published to every staff member; an inspection visit is
    # seen by the staff of the place inspected and the district-wide roles.
    WorkingStandard: public, Bulletin: public, BulletinEntry: public,
    InspectionVisit: lambda staff: in_own_places(staff, InspectionVisit.place_id),
    KeyProject: projects,
    SpecialGroupConfirmation: lambda staff: in_own_places(staff, SpecialGroupConfirmation.place_id),
    Window: lambda staff: in_own_places(staff, Window.place_id),
    Ticket: lambda staff: in_own_places(staff, Ticket.place_id),
    Queue: public,
    Consultation: consultations,
    FaqEntry: lambda staff: in_own_places(staff, FaqEntry.place_id),
    FloorQuestion: lambda staff: in_own_places(staff, FloorQuestion.place_id),
    RegistrationProposal: lambda staff: in_own_places(staff, RegistrationProposal.place_id),
    Suggestion: suggestions,
    TrainingRecord: training_records,
    ServiceLanguage: public,
    Place: public, Department: public, Station: public, ServiceItem: public, Material: public,
}


def visible(staff: Staff, model: type) -> ColumnElement[bool]:
    """The condition for the rows of `model` this staff member may see."""
    return SCOPES[model](staff)


def registrable_staff(actor: Actor) -> ColumnElement[bool]:
    """The staff accounts an actor may register at a station (登记备案), as a condition over
    `Staff`: a place manager those who work at one of the places they run, a district admin (or
    the system) anyone; nobody for the other roles. The registration form lists these agents and
    the service finds no other, so a manager never reads who works elsewhere."""
    if actor == SYSTEM or actor.role in DISTRICT_ADMINS:
        return true()
    if actor.role not in PLACE_RUNNERS:
        return false()
    return Staff.places.any(place_tree(actor.place_ids, Place.id))


def workable_places(staff: Staff) -> ColumnElement[bool]:
    """The places a staff member may act in (choices in forms): their own, or every place for a
    district admin; none for read-only roles."""
    if staff.role in READ_ONLY_ROLES:
        return false()
    return in_own_places(staff, Place.id)



# Who acts in a service that changes who works where and when: a staff member, or the system
# (a command or a job, which runs every place).
Actor = Union[Staff, Literal["system"]]


def may_manage(actor: Actor, place: Place) -> bool:
    """Whether the actor runs this place: a place manager its own places, a district admin every
    place, the system every place."""
    if actor == SYSTEM:
        return True
    if actor.role not in PLACE_RUNNERS:
        return False
    return works_at(actor, place)


def require_role(actor: Actor, roles: frozenset[str], message: str) -> None:
    """Refuse (403, `message`) a staff member whose role is not among `roles`; the system may."""
    if actor != SYSTEM and actor.role not in roles:
        raise Forbidden(message)


def require_manages(actor: Actor, place: Place, message: str | None = None) -> None:
    """Refuse (403) an actor who does not run this place."""
    if not may_manage(actor, place):
        raise Forbidden(message or f"只有{place.name}的场所管理员或区政务服务管理办可以这样做",
                        {"place": [place.code]})


def is_self(actor: Actor, staff: Staff) -> bool:
    """Whether the actor is this staff member (the system never is)."""
    return actor != SYSTEM and actor.id == staff.id


def require_other(actor: Actor, staff: Staff, message: str) -> None:
    """Refuse (403, `message`) a staff member acting on their own account where only someone
    else may (stopping it, changing its role)."""
    if is_self(actor, staff):
        raise Forbidden(message)
