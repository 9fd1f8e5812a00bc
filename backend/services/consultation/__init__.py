"""Consultation (咨询, seed 二(三)1): citizens' questions about an item at a place, the answers of
the place's agents, the item's public FAQ, the overdue warning, and the questions hall guides
answer on the floor. The rules are in `rules.py`; callers use the names re-exported here."""
from .rules import (
    QUESTION_MAX, ask, answer, close, citizen_consultations, faq, staff_consultations,
    consultation_for_staff, publish, edit_faq_entry, withdraw_faq_entry, overdue_consultations,
    warn_overdue, log_floor_question, floor_questions,
)

__all__ = [
    "QUESTION_MAX", "ask", "answer", "close", "citizen_consultations", "faq",
    "staff_consultations", "consultation_for_staff", "publish", "edit_faq_entry",
    "withdraw_faq_entry", "overdue_consultations", "warn_overdue", "log_floor_question",
    "floor_questions",
]
