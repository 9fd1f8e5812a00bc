"""A place's windows (服务窗口): which queues each calls, kept by the people who run the place.
Opening and closing one, and who sits at it, are the calling desk's (calling.set_open)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidInput
from ...models import Place, Queue, Window
from .. import scope


def save_window(session: Session, actor: scope.Actor, place: Place, code: str, name: str,
                queue_codes: list[str]) -> Window:
    """Add a window to the place, or change the one with this code: its name and queues."""
    scope.require_manages(actor, place)
    code, name = (code or "").strip(), (name or "").strip()
    problems: dict[str, list[str]] = {}
    if not code or len(code) > 10:
        problems["code"] = ["窗口编号必填，最多10个字符"]
    if not name or len(name) > 50:
        problems["name"] = ["窗口名称必填，最多50个字"]
    queues = list(session.scalars(select(Queue).where(Queue.place_id == place.id,
                                                      Queue.code.in_(queue_codes or []))
                                  .order_by(Queue.code)))
    unknown = sorted(set(queue_codes or []) - {q.code for q in queues})
    if unknown:
        problems["queues"] = [f"本场所没有队列 {c}" for c in unknown]
    elif not queues:
        problems["queues"] = ["至少选择一个叫号队列"]
    if problems:
        raise InvalidInput("窗口信息有误", problems)
    window = session.scalar(select(Window).where(Window.place_id == place.id,
                                                 Window.code == code))
    if window is None:
        window = Window(place=place, code=code, name=name, is_open=False)
        session.add(window)
    window.name, window.queues = name, queues
    session.flush()
    return window
