"""The queue in the inspection report (定期检查): per place, queue, window and day, the tickets
by channel (booking, online, on site), how they ended, and the average waiting time (taken →
first called) and service time (serving → done). Aggregated in SQL; the report's page and its
XLSX render these dataclasses."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from ...models import Place, Queue, Staff, Ticket, Window
from .. import scope

QUEUE_UNITS = {"place": "场所", "queue": "队列", "window": "窗口", "day": "日期"}


@dataclass
class QueueFigures:
    kind: str
    code: str
    name: str
    tickets: int = 0
    booking: int = 0
    online: int = 0
    on_site: int = 0
    done: int = 0
    missed: int = 0
    cancelled: int = 0
    waited: int = 0  # tickets called, whose wait is known
    wait_seconds: float = 0.0
    served: int = 0  # tickets served, whose service time is known
    service_seconds: float = 0.0

    @property
    def average_wait_minutes(self) -> float | None:
        return round(self.wait_seconds / self.waited / 60, 1) if self.waited else None

    @property
    def average_service_minutes(self) -> float | None:
        return round(self.service_seconds / self.served / 60, 1) if self.served else None


QUEUE_COLUMNS = [
    ("取号量", lambda q: q.tickets), ("预约签到", lambda q: q.booking),
    ("线上取号", lambda q: q.online), ("现场取号", lambda q: q.on_site),
    ("已办结", lambda q: q.done), ("过号", lambda q: q.missed), ("取消", lambda q: q.cancelled),
    ("平均等候（分钟）", lambda q: q.average_wait_minutes),
    ("平均办理（分钟）", lambda q: q.average_service_minutes),
]
QUEUE_DEFINITIONS = [
    ("取号量", "报告期内各渠道取得的排队号：预约签到后自动取号、小程序线上取号、现场取号（工作人员在入口出号）。"),
    ("平均等候（分钟）", "已叫号的号从取号到首次叫号的平均时长；过号后重新排队的，仍按首次取号时间计。"),
    ("平均办理（分钟）", "已办结的号从开始办理到办结的平均时长；按窗口统计时计入办结该号的窗口。"),
]


def _seconds(session: Session, start, end):
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def queue_figures(session: Session, staff: Staff, start: date, end: date
                  ) -> dict[str, list[QueueFigures]]:
    """The tickets of the days `start` to `end` at the places `staff` may see, per unit kind."""
    t = Ticket
    waited = t.called_at.is_not(None)
    served = (t.status == "done") & t.serving_at.is_not(None) & t.done_at.is_not(None)
    measures = (
        func.count(t.id),
        *(func.sum(case((t.channel == channel, 1), else_=0))
          for channel in ("booking", "online", "on_site")),
        *(func.sum(case((t.status == status, 1), else_=0))
          for status in ("done", "missed", "cancelled")),
        func.sum(case((waited, 1), else_=0)),
        func.sum(case((waited, _seconds(session, t.created_at, t.called_at)), else_=0)),
        func.sum(case((served, 1), else_=0)),
        func.sum(case((served, _seconds(session, t.serving_at, t.done_at)), else_=0)),
    )
    within = (t.day >= start, t.day <= end, scope.in_own_places(staff, t.place_id))
    place_code, place_name = Place.code, Place.name
    to_place = (Place, Place.id == t.place_id)
    units = {
        "place": ((place_code, place_name), [to_place], (place_code, place_name)),
        "queue": (((place_code + literal("/") + Queue.code).label("code"),
                   (place_name + literal(" ") + Queue.name).label("name")),
                  [to_place, (Queue, Queue.id == t.queue_id)],
                  (place_code, Queue.code, place_name, Queue.name)),
        "window": (((place_code + literal("/") + Window.code).label("code"),
                    (place_name + literal(" ") + Window.name).label("name")),
                   [to_place, (Window, Window.id == t.window_id)],
                   (place_code, Window.code, place_name, Window.name)),
        "day": ((t.day, t.day), [], (t.day,)),
    }
    found = {}
    for kind, (labels, joins, groups) in units.items():
        query = select(*labels, *measures).select_from(t)
        for target, on in joins:
            query = query.join(target, on)
        query = query.where(*within).group_by(*groups).order_by(*groups)
        found[kind] = [
            QueueFigures(kind, str(code), str(name), *(int(v or 0) for v in values[:8]),
                         float(values[8] or 0), int(values[9] or 0), float(values[10] or 0))
            for code, name, *values in session.execute(query)]
    return found
