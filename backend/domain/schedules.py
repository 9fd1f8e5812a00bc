"""Which days a schedule rule serves (docs/api.md "Catalogue file", `kind`)."""
from __future__ import annotations

from ..models import ScheduleRule
from .statutory_calendar import Day

# Regular and extended sessions run on working days (make-up workdays included); weekend
# sessions on the other non-working Saturdays and Sundays; holiday sessions on every
# non-working day of an official holiday period.
KINDS_BY_DAY = {"workday": {"regular", "extended"}, "weekend": {"weekend"}, "holiday": {"holiday"}}
# Off-hours ("X") kinds run only with an agent on duty.
ROTA_KINDS = {"extended", "weekend", "holiday"}


WORKING_WEEKDAYS = frozenset(range(1, 6))


def serves(rule: ScheduleRule, day: Day) -> bool:
    if rule.kind not in KINDS_BY_DAY[day.kind]:
        return False
    if day.is_makeup_workday:
        # A make-up Saturday or Sunday replaces no particular weekday: it follows the rules that
        # serve every working day, not those narrowed to, say, Tuesdays and Thursdays.
        days = rule.weekday_set
        return days is None or WORKING_WEEKDAYS <= days
    return rule.serves_weekday(day.date.isoweekday())
