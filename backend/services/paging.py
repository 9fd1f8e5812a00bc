"""One page of a list, and the total: docs/api.md's `{"items", "total"}` with `page`/`per_page`."""
from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def paginate(session: Session, query: Select, page: int, per_page: int) -> tuple[list, int]:
    """The rows of page `page` (from 1) of an ordered query, and how many rows it has in all."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return rows, total
