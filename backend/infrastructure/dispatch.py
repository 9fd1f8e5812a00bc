"""The dispatcher: sends the outbox's due messages through the WeChat adapter and records each
answer (docs/domain.md "Notifications").

How a message goes out, and why it is never sent twice nor lost:
1. Claim. One transaction takes up to a batch of due rows: `sending` ones whose lease ran out
   (their dispatcher died), then `pending` ones whose `due_at` has come, in the order they were
   queued. The next batch is claimed while the current one is being sent. On PostgreSQL the rows
   are picked `FOR UPDATE SKIP LOCKED`, so two dispatchers never take the same row and never
   wait for each other; on SQLite the claim is one UPDATE, which runs under the database's single
   write lock, and its WHERE repeats the due condition, so a row another dispatcher claimed
   first is no longer due. Claimed rows become `sending` with a lease and one more attempt.
   In the same transaction, a message that cannot be sent is finished at once: no template
   configured (`failed`), a staff member without a linked WeChat (`unlinked`), or a one-time
   template without quota (`no_subscription`).
2. Send, from a pool of threads, each message on its own.
3. Record each answer as soon as it arrives: one recorder commits whatever answers came in
   together, guarded by the attempt each row was claimed for: 0 → `sent` (one quota used); 43101 → `refused` (quota gone:
   used, not retried); 45009, network errors, timeouts and token errors the adapter could not
   cure by its bounded refresh → `pending` again after 30 s, 60 s, 120 s ... (at most an hour),
   `failed` once the attempts are spent; any other error (47003, 40003, 40037, 41030 ...) →
   `failed` for good. Everything not sent keeps WeChat's errcode and errmsg for the admins.

A dispatcher killed at any point loses nothing: what it claimed and did not record is due again
when the lease ends. The one window that can send a message twice is between WeChat accepting a
message and the commit recording it (the answers of the last few milliseconds): WeChat has no
idempotency key for subscribe messages, so no design can close it; recording every answer at
once, never waiting for a batch to finish, keeps it as small as it can be (README,
"Notifications").
"""
from __future__ import annotations

import json
import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping, Protocol

from sqlalchemy import Engine, and_, bindparam, select, update
from sqlalchemy.engine import Connection

from ..clock import Clock
from ..domain.message_templates import TemplateSpec, render
from ..models import Citizen, Notification, StaffWeChat, SubscriptionQuota
from .wechat import SendResult

log = logging.getLogger(__name__)

_n = Notification.__table__
_quota = SubscriptionQuota.__table__
_citizen, _staff_wechat = Citizen.__table__, StaffWeChat.__table__
MAX_BACKOFF = timedelta(hours=1)
ERRMSG_MAX = 200


class Sender(Protocol):
    def send_subscribe_message(self, openid: str, template_id: str, data: Mapping[str, Any],
                               page: str | None = None) -> SendResult: ...


@dataclass(frozen=True)
class DispatchSettings:
    batch_size: int = 200
    concurrency: int = 8
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 6
    retry_after: timedelta = timedelta(seconds=30)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DispatchSettings:
        return cls(batch_size=config["NOTIFY_BATCH_SIZE"],
                   concurrency=config["NOTIFY_CONCURRENCY"],
                   lease=timedelta(seconds=config["NOTIFY_LEASE_SECONDS"]),
                   max_attempts=config["NOTIFY_MAX_ATTEMPTS"],
                   retry_after=timedelta(seconds=config["NOTIFY_RETRY_SECONDS"]))

    def backoff(self, attempts: int) -> timedelta:
        return min(self.retry_after * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass
class DispatchResult:
    counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: str, n: int = 1) -> None:
        with self._lock:
            self.counts[outcome] = self.counts.get(outcome, 0) + n

    def get(self, outcome: str) -> int:
        return self.counts.get(outcome, 0)

    LABELS = {"sent": "已发送", "retry": "稍后重试", "refused": "用户拒收或订阅已用完",
              "no_subscription": "无订阅未发送", "unlinked": "未绑定微信",
              "failed": "发送失败", "error": "记录出错待租约到期重试"}

    def summary(self) -> str:
        parts = [f"{label} {self.get(key)}" for key, label in self.LABELS.items()
                 if self.get(key) or key in ("sent",)]
        return "，".join(parts)


@dataclass(frozen=True)
class Claimed:
    id: int
    event: str
    payload: str
    attempts: int
    openid: str
    quota_reserved: bool


def _due(now_param: str):
    pending = and_(_n.c.status == "pending", _n.c.due_at <= bindparam(now_param))
    expired = and_(_n.c.status == "sending", _n.c.lease_until <= bindparam(now_param))
    return pending, expired


def _claim_statement(condition, order, *narrower):
    picked = (select(_n.c.id).where(condition, *narrower).order_by(order)
              .limit(bindparam("limit")).with_for_update(skip_locked=True))
    return (update(_n).where(_n.c.id.in_(picked.scalar_subquery()), condition)
            .values(status="sending", lease_until=bindparam("lease_until"),
                    attempts=_n.c.attempts + 1)
            .returning(_n.c.id, _n.c.event, _n.c.payload, _n.c.attempts, _n.c.quota_reserved))


_PENDING, _EXPIRED = _due("now")
# Lease-expired rows first (few, a dead dispatcher's), then due ones in the order they were
# queued, from after the last one this run claimed: a long run never rescans the rows (and, on
# PostgreSQL, the dead index entries) it has left behind.
_CLAIM_EXPIRED = _claim_statement(_EXPIRED, _n.c.lease_until)
_CLAIM_PENDING = _claim_statement(_PENDING, _n.c.id, _n.c.id > bindparam("after"))

_RECIPIENTS = (
    select(_n.c.id, _citizen.c.openid.label("citizen_openid"),
           _staff_wechat.c.openid.label("staff_openid"))
    .select_from(_n.outerjoin(_citizen, _citizen.c.id == _n.c.citizen_id)
                 .outerjoin(_staff_wechat, _staff_wechat.c.staff_id == _n.c.staff_id))
    .where(_n.c.id.in_(bindparam("ids", expanding=True))))
# The quota rows a batch draws on, locked (in a fixed order: no deadlock between dispatchers)
# until the claim commits. SQLite: the claim's UPDATE holds the database's write lock already.
_QUOTAS = (select(_quota.c.openid, _quota.c.template_key, _quota.c.quota)
           .where(_quota.c.openid.in_(bindparam("openids", expanding=True)))
           .order_by(_quota.c.openid, _quota.c.template_key).with_for_update())
# Set-based, one statement each for a whole batch (an executemany of hundreds costs more).
_TAKE_QUOTA = (update(_quota)
               .where(_quota.c.template_key == bindparam("key"),
                      _quota.c.openid.in_(bindparam("openids", expanding=True)))
               .values(quota=_quota.c.quota - bindparam("n")))
_GIVE_BACK_QUOTA = (update(_quota)
                    .where(_quota.c.openid == bindparam("b_openid"),
                           _quota.c.template_key == bindparam("b_key"))
                    .values(quota=_quota.c.quota + 1))
_RESERVED = (update(_n).where(_n.c.id.in_(bindparam("ids", expanding=True)))
             .values(quota_reserved=True))

_mine = and_(_n.c.id == bindparam("b_id"), _n.c.status == "sending",
             _n.c.attempts == bindparam("b_attempts"))
_FINISH = (update(_n).where(_mine)
           .values(status=bindparam("b_status"), errcode=bindparam("b_errcode"),
                   errmsg=bindparam("b_errmsg"), sent_at=bindparam("b_sent_at"),
                   quota_reserved=bindparam("b_reserved"), lease_until=None))
# The answers 0 of a group, in one statement.
_SENT = (update(_n)
         .where(_n.c.id.in_(bindparam("ids", expanding=True)), _n.c.status == "sending",
                _n.c.attempts == bindparam("b_attempts"))
         .values(status="sent", sent_at=bindparam("now"), errcode=None, errmsg=None,
                 lease_until=None))
_RETRY = (update(_n).where(_mine)
          .values(status="pending", due_at=bindparam("b_due_at"), errcode=bindparam("b_errcode"),
                  errmsg=bindparam("b_errmsg"), quota_reserved=False, lease_until=None))
# (A retried message that held no quota is put back by the one-statement path.)


class Dispatcher:
    def __init__(self, engine: Engine, sender: Sender, templates: Mapping[str, TemplateSpec],
                 clock: Clock, settings: DispatchSettings):
        self.engine, self.sender, self.templates = engine, sender, templates
        self.clock, self.settings = clock, settings
        self._after = 0   # the last pending row this run claimed

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> DispatchResult:
        """Send every message due by now, batch after batch, until none is left."""
        result = DispatchResult()
        started = self.clock.now()
        self._after = 0
        answers: queue.SimpleQueue = queue.SimpleQueue()
        recorder = threading.Thread(target=self._recorder, args=(answers, result),
                                    name="dispatch-recorder")
        recorder.start()
        try:
            with ThreadPoolExecutor(self.settings.concurrency,
                                    thread_name_prefix="dispatch") as pool:
                # Due by the run's start: a message put back for a retry falls due later, and
                # is the next run's. The next batch is claimed while this one is being sent.
                claimed = self._claim(started, result)
                while claimed is not None:
                    sending = [pool.submit(self._send, c, answers, result) for c in claimed]
                    claimed = self._claim(started, result)
                    if claimed is None and self._after:
                        # A last look from the start: rows another dispatcher held and let go.
                        self._after = 0
                        claimed = self._claim(started, result)
                    wait(sending)
        finally:
            answers.put(_STOP)
            recorder.join()
        return result

    def _claim(self, now: datetime, result: DispatchResult) -> list[Claimed] | None:
        """A batch of the messages due by `now` to send; None when nothing was due."""
        lease_until = self.clock.now() + self.settings.lease
        limit = self.settings.batch_size
        with self.engine.begin() as conn:
            rows = conn.execute(_CLAIM_EXPIRED, {"now": now, "lease_until": lease_until,
                                                 "limit": limit}).all()
            if len(rows) < limit:
                pending = conn.execute(_CLAIM_PENDING, {
                    "now": now, "lease_until": lease_until, "limit": limit - len(rows),
                    "after": self._after}).all()
                if pending:
                    self._after = max(row.id for row in pending)
                rows += pending
            if not rows:
                return None
            openids = {r.id: r.citizen_openid or r.staff_openid
                       for r in conn.execute(_RECIPIENTS, {"ids": [r.id for r in rows]})}
            # Quota: each one-time message takes one of its template's, in claim order; what
            # the quota does not cover is not sent.
            needs_quota = [r for r in rows if openids.get(r.id) and r.event in self.templates
                           and not self.templates[r.event].long_term and not r.quota_reserved]
            left: dict[tuple[str, str], int] = {}
            if needs_quota:
                left = {(q.openid, q.template_key): q.quota for q in conn.execute(
                    _QUOTAS, {"openids": sorted({openids[r.id] for r in needs_quota})})}
            taken: dict[tuple[str, str], int] = {}
            to_send, finished, reserved = [], [], []
            for row in rows:
                openid = openids.get(row.id)
                spec = self.templates.get(row.event)
                if spec is None:
                    finished.append(_finished(row, "failed", "未配置该订阅消息模板"))
                elif openid is None:
                    finished.append(_finished(row, "unlinked", "未绑定微信"))
                elif spec.long_term or row.quota_reserved:
                    to_send.append(Claimed(row.id, row.event, row.payload, row.attempts, openid,
                                           row.quota_reserved))
                elif left.get((openid, row.event), 0) > 0:
                    left[(openid, row.event)] -= 1
                    taken[(openid, row.event)] = taken.get((openid, row.event), 0) + 1
                    reserved.append(row.id)
                    to_send.append(Claimed(row.id, row.event, row.payload, row.attempts, openid,
                                           True))
                else:
                    finished.append(_finished(row, "no_subscription",
                                              "未发送：无订阅（用户未授权或授权次数已用完）"))
            if taken:
                groups: dict[tuple[str, int], list[str]] = {}
                for (openid, key), n in taken.items():
                    groups.setdefault((key, n), []).append(openid)
                for (key, n), group in groups.items():
                    conn.execute(_TAKE_QUOTA, {"key": key, "n": n, "openids": group})
                conn.execute(_RESERVED, {"ids": reserved})
            if finished:
                conn.execute(_FINISH, finished)
                for item in finished:
                    result.add(item["b_status"])
        return to_send

    # -- one message --------------------------------------------------------------------------

    def _send(self, claimed: Claimed, answers: queue.SimpleQueue,
              result: DispatchResult) -> None:
        spec = self.templates[claimed.event]
        try:
            data, page = render(spec, json.loads(claimed.payload))
            answer = self.sender.send_subscribe_message(claimed.openid, spec.id, data, page)
        except Exception:
            # Left `sending`: due again when its lease ends.
            log.exception("notification %s: could not be sent", claimed.id)
            result.add("error")
            return
        answers.put((claimed, spec, answer))

    # -- recording the answers ----------------------------------------------------------------

    def _recorder(self, answers: queue.SimpleQueue, result: DispatchResult) -> None:
        """Records every answer as soon as it arrives: whatever answers came in together are
        written and committed at once (a group commit), so the sending threads never wait for
        the database and no answer waits for more than the commit in progress."""
        stop = False
        with self.engine.connect() as conn:
            while not stop:
                group = [answers.get()]
                while True:
                    try:
                        group.append(answers.get_nowait())
                    except queue.Empty:
                        break
                if group[-1] is _STOP or _STOP in group:
                    stop = True
                    group = [item for item in group if item is not _STOP]
                if group:
                    try:
                        self._record(conn, group, result)
                    except Exception:
                        conn.rollback()
                        # Left `sending`: due again when their lease ends.
                        log.exception("%d notification answers could not be recorded",
                                      len(group))
                        result.add("error", len(group))

    def _record(self, conn: Connection, group: list, result: DispatchResult) -> None:
        now = self.clock.now()
        sent, finish, retry, given_back = [], [], [], []
        outcomes = []
        for claimed, spec, answer in group:
            params: dict[str, Any] = {"b_id": claimed.id, "b_attempts": claimed.attempts,
                                      "b_errcode": answer.errcode or None,
                                      "b_errmsg": (answer.errmsg or "")[:ERRMSG_MAX] or None}
            outcome = answer.outcome
            if outcome == "retry" and claimed.attempts >= self.settings.max_attempts:
                outcome = "failed"
            outcomes.append(outcome)
            # Sent or refused (43101): the quota held for it is used. Otherwise given back.
            if claimed.quota_reserved and outcome not in ("sent", "refused"):
                given_back.append((claimed, outcome, params))
            elif outcome == "retry":
                retry.append({**params,
                              "b_due_at": now + self.settings.backoff(claimed.attempts)})
            elif outcome == "sent":
                sent.append((claimed.id, claimed.attempts))
            else:
                finish.append({**params, "b_status": outcome, "b_sent_at": None,
                               "b_reserved": claimed.quota_reserved})
        by_attempt: dict[int, list[int]] = {}
        for notification_id, attempts in sent:
            by_attempt.setdefault(attempts, []).append(notification_id)
        for attempts, ids in by_attempt.items():
            conn.execute(_SENT, {"ids": ids, "b_attempts": attempts, "now": now})
        if finish:
            conn.execute(_FINISH, finish)
        if retry:
            conn.execute(_RETRY, retry)
        for claimed, outcome, params in given_back:
            # The row and the quota it held go back together (a row another dispatcher took
            # over meanwhile is not ours to change, nor its quota).
            if outcome == "retry":
                done = conn.execute(_RETRY, {
                    **params, "b_due_at": now + self.settings.backoff(claimed.attempts)})
            else:
                done = conn.execute(_FINISH, {**params, "b_status": outcome, "b_sent_at": None,
                                              "b_reserved": False})
            if done.rowcount:
                conn.execute(_GIVE_BACK_QUOTA, {"b_openid": claimed.openid,
                                                "b_key": claimed.event})
        conn.commit()
        for outcome in outcomes:
            result.add(outcome)


_STOP = object()


def _finished(row, status: str, errmsg: str) -> dict:
    return {"b_id": row.id, "b_attempts": row.attempts, "b_status": status, "b_errcode": None,
            "b_errmsg": errmsg, "b_sent_at": None, "b_reserved": False}
