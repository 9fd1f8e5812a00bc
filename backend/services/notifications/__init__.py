"""Notifications (docs/domain.md "Notifications"), by concern. Callers use the names re-exported
here (`from backend.services import notifications; notifications.queue_case_message(...)`).

- outbox: queueing a subscribe message for an event, once (its dedupe key), in the transaction of
  the change; the messages of bookings and cases, deadline warnings, and their staff recipients.
  `backend.infrastructure.dispatch` sends what is queued, after the commit.
- quota: the templates a citizen or staff member may be asked for, what they accepted, and the
  quota left (GET and POST /subscriptions, POST /staff/wechat-bind)
- inbox: a staff member's WeChat link, and the inbox of what WeChat did not deliver to them
- oversight: what the admin shows: undelivered messages in scope, retrying failed ones, payloads

This package imports no other service package: the cases it warns about are read by the caller
(`cases.amber_and_red_cases`) and handed in, so `services.cases`, which queues its messages here,
and this package do not import each other.
"""
from .outbox import (
    CHUNK, DEADLINE_LABELS, EVENING_REMINDER_HOUR, REMINDER_TIP, SOON_REMINDER, dedupe_key,
    message_row, queue, queue_booking_confirmations, queue_hall_cancellation, queue_reminders,
    queue_case_message, case_step, queue_staff_message, place_managers, district_admins,
    queue_deadline_warnings, queue_acceptance_warnings, queue_ticket_soon,
)
from .quota import Subscriptions, subscriptions, accept_subscriptions
from .inbox import link_staff_wechat, staff_inbox
from .oversight import undelivered_messages, retry_failed, payload_of

__all__ = [
    "CHUNK", "DEADLINE_LABELS", "EVENING_REMINDER_HOUR", "REMINDER_TIP", "SOON_REMINDER",
    "dedupe_key", "message_row", "queue", "queue_booking_confirmations",
    "queue_hall_cancellation", "queue_reminders", "queue_case_message", "case_step",
    "queue_staff_message", "place_managers", "district_admins", "queue_deadline_warnings",
    "queue_acceptance_warnings", "queue_ticket_soon", "Subscriptions", "subscriptions", "accept_subscriptions", "link_staff_wechat", "staff_inbox",
    "undelivered_messages", "retry_failed", "payload_of",
]
