"""Bearer-token authentication for citizens and staff, and the request's unit of work."""
from __future__ import annotations

from functools import wraps

from flask import Response, g, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend import uow
from backend.clock import get_clock
from backend.errors import DomainError, InvalidInput, Unauthorized
from backend.extensions import db
from backend.infrastructure.audit import act_as
from backend.infrastructure.tokens import read_token
from backend.models import Citizen, IdempotentRequest, Staff

from .ratelimits import count_citizen_request

IDEMPOTENCY_KEY_MAX = 100

def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("请先登录")
    return token.strip()


def citizen_required(view):
    """The caller must be a signed-in citizen: `g.citizen_id` is set from the token and the
    request is counted against the citizen's limits (ratelimits.py); the row is loaded by
    `current_citizen()` when a view needs it (booking reads what it needs itself)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        citizen_id, _ = read_token("citizen", _bearer())
        g.citizen_id, g.owner = citizen_id, f"citizen:{citizen_id}"
        count_citizen_request(citizen_id)
        return view(*args, **kwargs)
    # Seen through the decorators above it (functools.wraps copies it): read by the OpenAPI
    # document (openapi.py), which says these routes may answer 429.
    wrapper.signed_in_as = "citizen"
    return wrapper


def current_citizen() -> Citizen:
    """The signed-in citizen (see `citizen_required`); the session's identity map keeps it."""
    citizen = db.session.get(Citizen, g.citizen_id)
    if citizen is None:
        raise Unauthorized("登录凭证无效，请重新登录")
    return citizen


def staff_required(view):
    """The caller must be a signed-in, active staff member whose sessions have not been ended:
    `g.staff` is set, and their changes are audited as theirs. Which role may do what is the
    services' to say (the case transition table, `services/scope.py`), not the route's."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        staff_id, version = read_token("staff", _bearer())
        staff = db.session.get(Staff, staff_id)
        if staff is None or not staff.active or version != staff.session_stamp:
            raise Unauthorized("登录凭证无效，请重新登录")
        g.staff, g.owner = staff, f"staff:{staff.id}"
        act_as(db.session, staff.id)
        return view(*args, **kwargs)
    wrapper.signed_in_as = "staff"  # read by the OpenAPI document (openapi.py)
    return wrapper


def _replay(key: str) -> Response | None:
    stored = db.session.scalar(select(IdempotentRequest).where(
        IdempotentRequest.owner == g.owner, IdempotentRequest.key == key))
    if stored is None:
        return None
    if stored.endpoint != request.endpoint:
        raise InvalidInput("Idempotency-Key 已用于其他请求", {"Idempotency-Key": [key]})
    return Response(stored.body, status=stored.status_code, mimetype="application/json")


def unit_of_work(view):
    """The request's unit of work (backend.uow): committed once when the view succeeds. With an `Idempotency-Key` header, the first successful
    answer is stored in the same transaction and a retry gets that answer back. The key is kept
    per caller, so it counts only where the caller is signed in."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key") if "owner" in g else None
        if key is None:
            with uow.unit_of_work():
                return view(*args, **kwargs)
        if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX:
            raise InvalidInput(f"Idempotency-Key 应为1至{IDEMPOTENCY_KEY_MAX}个字符")
        replay = _replay(key)
        if replay is not None:
            return replay
        try:
            with uow.unit_of_work() as session:
                response = view(*args, **kwargs)
                if response.status_code < 400:
                    session.add(IdempotentRequest(
                        owner=g.owner, key=key, endpoint=request.endpoint,
                        status_code=response.status_code, body=response.get_data(as_text=True),
                        created_at=get_clock().now()))
            return response
        except (DomainError, IntegrityError):
            # The same key racing itself: the request that committed first gives the answer.
            replay = _replay(key)
            if replay is not None:
                return replay
            raise
    wrapper.takes_idempotency_key = True  # read by the OpenAPI document (openapi.py)
    return wrapper
