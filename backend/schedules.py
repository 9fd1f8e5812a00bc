"""Which days a schedule rule serves (API.md "Catalogue file", `kind`)."""
from __future__ import annotations

from .models import ScheduleRule
from .statutory_calendar import Day

# Regular and extended sessions run on working days (make-up workdays included); weekend
# sessions on the other non-working Saturdays and Sundays; holiday sessions on every
# non-working day of an official holiday period.
KINDS_BY_DAY = {"workday": {"regular", "extended"}, "weekend": {"weekend"}, "holiday": {"holiday"}}
# Off-hours ("X") kinds run only with an agent on duty.
ROTA_KINDS = {"extended", "weekend", "holiday"}


def serves(rule: ScheduleRule, day: Day) -> bool:
    if rule.kind not in KINDS_BY_DAY[day.kind]:
        return False
    # Weekend days have no weekday restriction beyond the rule's own list; for holidays the
    # list narrows too, as API.md says.
    return rule.serves_weekday(day.date.isoweekday())
