"""The demo's history (`seed-demo` on an empty database): about 90 days of the district's halls,
lived through the services, so that the dashboard, the inspection report, the lists and the
citizen's API show a hall at work on the first run.

How it is made:
- A clock is moved through the days: a `FixedClock`, installed as the app's clock for the run,
  so that the audit log and the dispatcher read the history's time too. At each moment the
  history calls the functions the API, the admin and the jobs call, as the actor they would
  have: a citizen (not audited), a staff member (audited as them) or the system (the jobs).
- Citizens are made as the WeChat login makes them (`citizen_for_openid`, with the demo login's
  openid), and give their name, ID number and phone through the same service, encrypted.
- What happens is drawn from `random.Random(seed)`: the same seed and size give the same
  history (the same counts, case numbers and statuses; booking codes are random, as every
  booking's is).
- Each booking and each case is a story: a generator that yields the moment of its next step;
  the history runs the steps of all stories in time order. A step due after the history's end
  does not happen, which is how cases are still open, amber or red at the end and today's
  bookings still to check in. A few showcase cases are timed so that every status, both
  deadline warnings, open and resolved escalations and bad reviews followed up or not are
  there whatever the seed.
- Nothing is written past the rules: every step is one a service allows at that moment, and a
  refusal stops the history with the service's error (the plans avoid them by construction).
- The WeChat of the past (`PastWeChat`) answers like WeChat: most messages are delivered, some
  refused (43101), some fail for good (40003, 47003) and some are retried (45009), through the
  real dispatcher.

The history commits in units of work of half a day of its time, each followed by the
dispatcher, as `dispatch-notifications` would run; it is therefore made on an empty database
only (`is_empty`): a run cut short leaves part of a history, and is started again on an empty
database.
"""
from __future__ import annotations

import heapq
import itertools
import math
import random
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...clock import FixedClock
from ...domain.message_templates import CITIZEN_TEMPLATE_KEYS, STAFF_TEMPLATE_KEYS
from ...domain.schedules import ROTA_KINDS
from ...extensions import db
from ...infrastructure.audit import SYSTEM, act_as
from ...infrastructure.dispatch import Dispatcher, DispatchSettings
from ...infrastructure.wechat import SendResult, demo_openid
from ...models import (
    CASE_STATUSES, OPEN, SLOT_KINDS, Booking, Case, Citizen, Notification, Place,
    Review, RotaEntry, ServiceItem, Slot, Staff,
)
from .. import booking as bookings
from .. import cases, citizens, consultation, notifications, suggestions, training
from ..calendar import load_calendar
from ..catalog import remove_rota_entry
from ..cases.queries import deadline_condition
from ..slots import change_and_regenerate, generate_slots
from ..staff import register_agent
from ...uow import unit_of_work
from . import people, texts

if TYPE_CHECKING:
    from . import DemoResult

DEFAULT_SEED = 2022


@dataclass(frozen=True)
class HistorySize:
    """How much happens: `bookings_per_day` are made online each day (for the coming week),
    `online_cases_per_day` applications are sent from the mini-program each day, and
    `booking_case_share` of the bookings at the places with demo staff are for a 帮办 or 代办
    that the applicant applies for once checked in."""
    days: int
    citizens: int
    bookings_per_day: int
    online_cases_per_day: float
    booking_case_share: float


HISTORY_SIZES = {
    "small": HistorySize(days=90, citizens=40, bookings_per_day=8, online_cases_per_day=0.8,
                         booking_case_share=0.2),
    "default": HistorySize(days=90, citizens=400, bookings_per_day=25,
                           online_cases_per_day=1.8, booking_case_share=0.15),
    "large": HistorySize(days=90, citizens=1500, bookings_per_day=180,
                         online_cases_per_day=12.0, booking_case_share=0.2),
}

OPENING, CLOSING = time(9, 0), time(17, 0)  # when staff act
CITIZEN_DAY = (time(7, 30), time(22, 0))  # when citizens use the mini-program
# The jobs' runs, as the scheduler's, less often where that changes nothing: `generate-slots`
# (daily) makes the same slots when run weekly, since citizens here book at most a week ahead
# (the end of the history generates the window as the daily job leaves it); reminders and
# no-shows run a few times a day instead of every few minutes.
GENERATE_AT = time(0, 15)
GENERATE_EVERY_DAYS = 7
SUBSCRIBE_AT = time(8, 20)  # linked staff accept their templates when they open the app
DEADLINE_WARNINGS_AT = time(8, 30)
ACCEPTANCE_DEADLINES_AT = time(8, 15)
REMINDERS_AT = (time(8, 0), time(13, 0), time(18, 0))
NO_SHOWS_AT = (time(12, 40), time(20, 10))
# Units of work end (and the dispatcher runs) at these times of each day.
CHECKPOINTS = (time(12, 50), time(21, 0))

# On these days of the history a place's runner takes an agent off an off-hours day of the
# coming week (the manager of the hall twice, the district office for 城东 once).
HALL_CANCELS = {24: "BS-HALL", 38: "BS-CD", 53: "BS-HALL"}
# A day's bookings go to the places in these proportions (the rest of the 12 places share 12).
PLACE_WEIGHTS = {"BS-HALL": 35, "BS-CD": 18, "BS-TAX-HALL": 8, "BS-HOUSING-HALL": 8,
                 "BS-ST": 7, "BS-YC": 6, "BS-BT": 6}
OTHER_PLACE_WEIGHT = 2.4
# How many days ahead citizens book (0: today).
DAYS_AHEAD = (0, 1, 2, 3, 4, 5, 6, 7)
DAYS_AHEAD_WEIGHTS = (10, 25, 20, 15, 10, 8, 7, 5)
# Staff of the demo who link their WeChat; the others read their messages in the admin's inbox.
LINKED_STAFF = ("manager", "agent1", "agent2")
# What the mini-program asks a citizen to subscribe to (at most three templates at once), and
# how often each is accepted: when booking, when applying, and when they open their case again
# (after its acceptance, and when signing the agreement online).
BOOKING_TEMPLATES = {"booking_confirmed": 1.0, "booking_reminder": 0.9, "booking_cancelled": 0.5}
APPLY_TEMPLATES = {"materials_incomplete": 0.9, "case_accepted": 1.0, "case_progress": 0.8}
FOLLOW_TEMPLATES = {"case_progress": 0.9, "case_completed": 1.0, "review_invite": 0.8}
REVIEW_SCORES = (5, 4, 3, 2, 1)
REVIEW_WEIGHTS = (52, 24, 11, 8, 5)
ENTERPRISE_CATEGORIES = ("企业开办", "建设项目")
# Multi-department items are fewer in the catalogue than in a hall's day: drawn more often.
MULTI_DEPARTMENT_WEIGHT = 3


# The WeChat of the past -------------------------------------------------------------------------

# Out of every 1000 messages, WeChat's answers (errcode, errmsg, outcome) by range.
PAST_ANSWERS = (
    (40, 43101, "user refuse to accept the msg", "refused"),
    (50, 40003, "invalid openid", "failed"),
    (55, 47003, "argument invalid! data.thing2.value invalid", "failed"),
    (80, 45009, "reach max api daily quota limit", "retry"),
)


class PastWeChat:
    """The WeChat that answered the history's messages. Its answer to a message depends on the
    seed, the recipient, the template and how many messages of that template the recipient had
    before, not on the order in which the dispatcher's threads send: the same seed gives the
    same answers. A message retried later is answered afresh."""

    def __init__(self, seed: int):
        self.seed = seed
        self._lock = threading.Lock()
        self._sent: Counter[tuple[str, str]] = Counter()

    def send_subscribe_message(self, openid: str, template_id: str, data: Mapping[str, Any],
                               page: str | None = None) -> SendResult:
        with self._lock:
            self._sent[openid, template_id] += 1
            nth = self._sent[openid, template_id]
        draw = zlib.crc32(f"{self.seed}|{openid}|{template_id}|{nth}".encode()) % 1000
        for upper, errcode, errmsg, outcome in PAST_ANSWERS:
            if draw < upper:
                return SendResult(ok=False, errcode=errcode, errmsg=errmsg, outcome=outcome)
        return SendResult(ok=True, errcode=0, errmsg="ok", outcome="sent")


# What the history made ----------------------------------------------------------------------------

@dataclass
class HistoryResult:
    seed: int
    size: str
    start: date
    end: datetime
    citizens: int = 0
    bookings: dict[str, int] = field(default_factory=dict)  # by status
    hall_cancelled: int = 0
    bookings_by_kind: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)  # by status, every status
    amber: int = 0
    red: int = 0
    messages: dict[str, int] = field(default_factory=dict)  # by outbox status
    demo: DemoResult | None = None  # the catalogue, staff and rota loaded at its start
    # The village point's forwarded case, the meeting, the 通报 and the key project.
    governance: Any = None

    def summary(self) -> list[str]:
        """What the history holds, in Chinese, for the command line."""
        b, c = self.bookings, self.cases
        kinds = "，".join(f"{SLOT_KINDS[k]} {n}" for k, n in self.bookings_by_kind.items())
        days = (self.end.date() - self.start).days
        return [
            f"演示历史：{self.start} 至 {self.end:%Y-%m-%d %H:%M}（{days} 天，"
            f"规模 {self.size}，种子 {self.seed}）",
            f"  群众 {self.citizens} 人",
            f"  预约 {sum(b.values())} 个：已签到 {b.get('checked_in', 0)}，"
            f"未到 {b.get('no_show', 0)}，"
            f"已取消 {b.get('cancelled', 0)}（其中大厅取消 {self.hall_cancelled}），"
            f"待签到 {b.get('booked', 0)}；按时段：{kinds}",
            f"  办件 {sum(c.values())} 件：" + "，".join(
                f"{CASE_STATUSES[s]} {n}" for s, n in c.items())
            + f"；即将超期 {self.amber} 件，已超期 {self.red} 件",
            "  订阅消息 " + "，".join(f"{NOTIFICATION_LABELS.get(s, s)} {n}"
                                  for s, n in self.messages.items()),
            *([f"  村代办点转办 {g.forwarded}；协调会议 1 次；通报 {g.bulletin or '无（上月无可评判单位）'}；"
               f"重点项目 {g.project}"] if (g := self.governance) is not None else []),
        ]


NOTIFICATION_LABELS = {"sent": "已发送", "refused": "被拒收", "failed": "发送失败",
                       "no_subscription": "无订阅未发送", "unlinked": "未绑定微信",
                       "pending": "待发送", "sending": "发送中"}


def is_empty(session: Session) -> bool:
    """Whether the database holds nothing yet (no place, no staff account, no citizen): the only
    database the history is made on."""
    return all(session.scalar(select(model.id).limit(1)) is None
               for model in (Place, Staff, Citizen))


def seed_history(session: Session, end: datetime, *, seed: int = DEFAULT_SEED,
                 size: str | HistorySize = "default") -> HistoryResult:
    """Load the demo as it stood `size.days` days before `end` (catalogue, staff, rota), then
    live the days until `end` through the services. Needs an empty database (`is_empty`) and
    the app's context; commits as it goes. The slots of the booking window from `end` are
    generated last."""
    from . import seed_demo  # the package's plain demo, loaded at the history's start
    from .governance import seed_governance
    from .queue_day import seed_queue_day

    sizing = HISTORY_SIZES[size] if isinstance(size, str) else size
    start = datetime.combine(end.date() - timedelta(days=sizing.days), time(7, 0), end.tzinfo)
    clock = FixedClock(start)
    window = current_app.config["BOOKING_WINDOW_DAYS"]
    with _app_clock(clock), _loaded_across_commits(session):
        with unit_of_work(session, actor=SYSTEM):
            # The rota from the first day to the end of the window the demo leaves.
            demo = seed_demo(session, start, rota_days=sizing.days + window + 7)
        history = _History(session, clock, random.Random(seed), sizing, end, seed)
        history.run()
        # The last day's queue, up to the end (the hall's windows came with the plain demo).
        clock.at = end
        with unit_of_work(session, actor=SYSTEM):
            seed_queue_day(session, end, seed)
        # The village point, a meeting, the standards with a 通报, a key project (governance.py).
        with unit_of_work(session, actor=SYSTEM):
            governance = seed_governance(session, clock.now())
    result = _tally(session, end)
    demo.passwords.extend(governance.passwords)
    result.seed, result.start, result.demo = seed, start.date(), demo
    result.governance = governance
    result.size = size if isinstance(size, str) else "自定义"
    return result


@contextmanager
def _app_clock(clock: FixedClock):
    """The history's clock as the app's for the run: the audit log stamps what it records with
    the app's clock."""
    previous = current_app.extensions["banban.clock"]
    current_app.extensions["banban.clock"] = clock
    try:
        yield
    finally:
        current_app.extensions["banban.clock"] = previous


@contextmanager
def _loaded_across_commits(session: Session):
    """Rows the history has loaded stay loaded across its commits (it is the only writer of
    what it reads back, and reads every count and choice with SQL): without this, each commit
    would have every citizen, staff member and case read again at its next step."""
    real = session() if callable(session) else session  # the scoped session's own
    previous = real.expire_on_commit
    real.expire_on_commit = False
    try:
        yield
    finally:
        real.expire_on_commit = previous
        real.expire_all()


def _tally(session: Session, end: datetime) -> HistoryResult:
    result = HistoryResult(seed=0, size="", start=end.date(), end=end)
    result.citizens = session.scalar(select(func.count(Citizen.id)))
    result.bookings = dict(session.execute(select(Booking.status, func.count())
                                           .group_by(Booking.status).order_by(Booking.status))
                           .all())
    result.hall_cancelled = session.scalar(select(func.count(Booking.id)).where(
        Booking.cancelled_by == "hall"))
    by_kind = dict(session.execute(select(Slot.kind, func.count(Booking.id))
                                   .join(Booking, Booking.slot_id == Slot.id)
                                   .group_by(Slot.kind)).all())
    result.bookings_by_kind = {kind: by_kind.get(kind, 0) for kind in SLOT_KINDS}
    counts = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    result.cases = {status: counts.get(status, 0) for status in CASE_STATUSES}
    today = end.date()
    for state in ("amber", "red"):
        setattr(result, state, session.scalar(select(func.count(Case.id)).where(
            deadline_condition(state, today), Case.status.in_(OPEN))))
    result.messages = dict(session.execute(
        select(Notification.status, func.count()).group_by(Notification.status)
        .order_by(Notification.status)).all())
    session.rollback()
    return result


# The stories' plans -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MaterialInfo:
    code: str
    required: bool
    copies: int
    original: bool


@dataclass(frozen=True)
class ItemInfo:
    code: str
    commitment_days: int
    help_types: tuple[str, ...]
    materials: tuple[MaterialInfo, ...]
    departments: tuple[str, ...]  # the tasks' departments: the lead, then those involved
    places: frozenset[str]
    for_enterprises: bool  # applied for by an enterprise (its name and 统一社会信用代码)

    @property
    def required(self) -> list[str]:
        return [m.code for m in self.materials if m.required]


@dataclass(frozen=True)
class PlaceInfo:
    id: int
    code: str
    floor: tuple[int, ...]  # who checks bookings in: its demo staff, else the district office
    runner: int  # who assigns and follows up: its manager, else the district office
    agents: tuple[str, ...]  # the agents registered there (usernames)


@dataclass(frozen=True)
class CasePlan:
    """What will happen to one case; a `None` wait means "not within the history"."""
    place: str
    item: str
    help_type: str
    missing: tuple[str, ...] = ()  # required materials not declared: the first notice names them
    reject: str | None = None  # rejected at the first check, with this reason
    assign_days: int = 0  # working days until a case nobody got by default is assigned
    check_days: int | None = 0  # working days from the application to the first check
    supplement_hours: float | None = 24.0  # from the notice to the applicant's supplement
    give_up: bool = False  # with no supplement: the applicant withdraws instead
    # Named again at the re-check: repeating a material of the first notice is allowed, naming
    # one it did not breaks the one-time rule (counted in the report).
    second_notice: tuple[str, ...] = ()
    recheck_days: int = 0
    start_days: int | None = 0  # assist: accompanying begins; proxy: the materials are handed over
    agreement: str | None = "paper"  # proxy: "paper" at the handover, "online" later, or not yet
    agreement_hours: float = 2.0
    work_share: float | None = 0.6  # completed at this share of the committed working days
    progress_notes: int = 0
    escalation: tuple[float, int | None] | None = None  # (share of the work, days to resolve)
    withdraw_share: float | None = None  # the applicant withdraws at this share of the work
    terminate: bool = False  # 代办: instead of withdrawing, the applicant ends the commission
    # The legal clock: a special procedure (kind, expected working days, whether it ends within
    # the history) started the working day after the work starts; a manager's extension (days).
    suspension: tuple[str, int, bool] | None = None
    extension: int | None = None
    return_days: int | None = 1  # proxy: the originals go back this many working days later
    review: tuple[float, int] | None = None  # (hours after completion, score)
    followup_days: int | None = None  # a bad review's follow-up, in working days


Story = Generator[datetime, None, None]


class _History:
    def __init__(self, session: Session, clock: FixedClock, rng: random.Random,
                 size: HistorySize, end: datetime, seed: int):
        self.session, self.clock, self.rng, self.size, self.end = session, clock, rng, size, end
        self.tz = end.tzinfo
        config = current_app.config
        self.rules = bookings.BookingRules.from_config(config)
        self.window = config["BOOKING_WINDOW_DAYS"]
        self.prefix = config["CASE_NUMBER_PREFIX"]
        self.quota_cap = int(config["SUBSCRIPTION_QUOTA_MAX"])
        self.templates = current_app.extensions["banban.templates"]
        # The past's WeChat answers at once: two sending threads keep up with it.
        self.dispatcher = Dispatcher(db.engine, PastWeChat(seed), self.templates, clock,
                                     replace(DispatchSettings.from_config(config), concurrency=2))
        self.calendar = load_calendar(session)
        self.queue: list[tuple[datetime, int, Story]] = []
        self.order = itertools.count()
        self.first_day = clock.now().date()
        self.citizen_ids: dict[int, int] = {}  # the pool's index → citizen id, once logged in
        self.holding: dict[int, dict[int, date]] = {}  # citizen id → slot id → its day
        self.blocked: set[int] = set()  # citizens the no-show rule blocks from booking
        self.persons: dict[int, people.Person] = {}
        self._load_world()
        self._pin_world()

    # -- the world as seeded ------------------------------------------------------------------

    def _load_world(self) -> None:
        s = self.session
        staff = s.scalars(select(Staff).options(selectinload(Staff.places))
                          .order_by(Staff.username)).all()
        self.staff_ids = {m.username: m.id for m in staff}
        admin = self.staff_ids["admin"]
        self.places: dict[str, PlaceInfo] = {}
        for place in s.scalars(select(Place).order_by(Place.code)):
            here = [m for m in staff if place in m.places and m.role in ("agent", "place_manager")]
            managers = [m.id for m in here if m.role == "place_manager"]
            agents = [m.username for m in cases.assignable_agents(s, [place.id])]
            self.places[place.code] = PlaceInfo(place.id, place.code,
                                                tuple(m.id for m in here) or (admin,),
                                                managers[0] if managers else admin, tuple(agents))
        self.items: dict[str, ItemInfo] = {}
        for item in s.scalars(select(ServiceItem).order_by(ServiceItem.code).options(
                selectinload(ServiceItem.materials), selectinload(ServiceItem.places),
                selectinload(ServiceItem.departments_involved))):
            self.items[item.code] = ItemInfo(
                item.code, item.commitment_days, tuple(item.help_types),
                tuple(MaterialInfo(m.code, m.required, m.copies, m.original)
                      for m in item.materials),
                (item.department.code, *sorted(d.code for d in item.departments_involved))
                if item.departments_involved else (),
                frozenset(p.code for p in item.places), item.category in ENTERPRISE_CATEGORIES)
        # Cases are applied for where demo agents work; bookings are made everywhere.
        self.case_places = [code for code, p in self.places.items() if p.agents]
        self.booking_places = sorted(self.places)
        self.offered = {code: sorted(c for c, item in self.items.items() if code in item.places)
                        for code in self.places}
        self.place_weights = [PLACE_WEIGHTS.get(code, OTHER_PLACE_WEIGHT)
                              for code in self.booking_places]

    # -- time -----------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.tz)

    def _between(self, first: datetime, last: datetime) -> datetime:
        seconds = max(0, int((last - first).total_seconds()))
        return first + timedelta(seconds=self.rng.randint(0, seconds))

    def _staff_time(self, after: datetime, days: int) -> datetime:
        """A moment in opening hours on the `days`-th working day after `after` (0: later the
        same day, if it is a working day with time left; else the next working day)."""
        day = after.date()
        if days == 0:
            earliest = max(after + timedelta(minutes=5), self._at(day, OPENING))
            latest = self._at(day, CLOSING)
            if self.calendar.is_working_day(day) and earliest < latest:
                return self._between(earliest, min(latest, earliest + timedelta(hours=3)))
            days = 1
        day = self.calendar.add_working_days(day, days)
        return self._between(self._at(day, OPENING), self._at(day, CLOSING))

    def _citizen_time(self, after: datetime, hours: float) -> datetime:
        """`hours` after `after`, moved to the next morning when that falls in the night."""
        moment = after + timedelta(hours=hours)
        first, last = CITIZEN_DAY
        if moment.time() < first:
            return self._between(self._at(moment.date(), first),
                                 self._at(moment.date(), time(9, 0)))
        if moment.time() > last:
            day = moment.date() + timedelta(days=1)
            return self._between(self._at(day, first), self._at(day, time(9, 0)))
        return moment

    def _working_day_before(self, day: date, n: int) -> date:
        """The `n`-th working day before `day` (1: the last one before it)."""
        while n:
            day -= timedelta(days=1)
            if self.calendar.is_working_day(day):
                n -= 1
        return day

    # -- running the stories --------------------------------------------------------------------

    def spawn(self, story: Story) -> None:
        try:
            moment = next(story)
        except StopIteration:
            return
        heapq.heappush(self.queue, (max(moment, self.now), next(self.order), story))

    def at(self, moment: datetime, action: Callable[[], None]) -> None:
        def story() -> Story:
            yield moment
            action()
        self.spawn(story())

    def _run_until(self, until: datetime) -> None:
        while self.queue and self.queue[0][0] <= until:
            moment, _, story = heapq.heappop(self.queue)
            self.clock.at = moment
            self.spawn(story)
        self.clock.at = until

    def _as(self, actor: int | str | None) -> None:
        """From here on, changes are the actor's: a staff member's id (audited as theirs),
        SYSTEM (a job), or None (a citizen's own, not audited). What the previous actor changed
        is flushed first, so that the audit log records it as theirs."""
        self.session.flush()
        act_as(self.session, actor)

    def _staff(self, staff_id: int) -> Staff:
        self._as(staff_id)
        return self.session.get(Staff, staff_id)

    def _citizen(self, citizen_id: int) -> Citizen:
        self._as(None)
        citizen = self.session.get(Citizen, citizen_id)
        self.pinned.append(citizen)
        return citizen

    def _pin_world(self) -> None:
        """Keep the catalogue, the places and the staff loaded for the whole history (the
        session holds only what something refers to): every case and message reads them."""
        s = self.session
        self.pinned: list[Any] = [
            *s.scalars(select(Staff).options(selectinload(Staff.places))),
            *s.scalars(select(Place)),
            *s.scalars(select(ServiceItem).options(
                selectinload(ServiceItem.materials), selectinload(ServiceItem.places),
                selectinload(ServiceItem.departments_involved),
                selectinload(ServiceItem.department))),
        ]

    def run(self) -> None:
        self._spawn_showcase()
        self._spawn_consultation()
        day = self.now.date()
        self.at(self.now + timedelta(minutes=40), self._link_staff_wechat)
        while True:
            self._plan_day(day)
            for checkpoint in CHECKPOINTS:
                until = min(self._at(day, checkpoint), self.end)
                with unit_of_work(self.session, actor=SYSTEM):
                    self._run_until(until)
                    if until == self.end:
                        self._as(SYSTEM)
                        bookings.mark_no_shows(self.session, self.now, self.rules)
                        generate_slots(self.session, self.now, self.window)
                self._dispatch()
                if until == self.end:
                    return
            day += timedelta(days=1)

    def _dispatch(self) -> None:
        """`dispatch-notifications`: the new bookings' confirmations, then every message due."""
        with unit_of_work(self.session, actor=SYSTEM):
            notifications.queue_booking_confirmations(self.session, self.now)
        self.dispatcher.run()

    # -- a day ---------------------------------------------------------------------------------

    def _plan_day(self, day: date) -> None:
        working = self.calendar.is_working_day(day)
        offset = (day - self.first_day).days
        # On the days a runner changes the rota too: what they regenerate is then all there.
        if offset % GENERATE_EVERY_DAYS == 0 or offset in HALL_CANCELS:
            self.at(self._at(day, GENERATE_AT), self._generate_slots)
        # 行政许可法 §32, every morning: late checks are acceptances by law (the job's warnings,
        # on working days).
        self.at(self._at(day, ACCEPTANCE_DEADLINES_AT), self._acceptance_deadlines)
        if working:
            self.at(self._at(day, SUBSCRIBE_AT), self._staff_subscribe)
            self.at(self._at(day, DEADLINE_WARNINGS_AT), self._deadline_warnings)
        for moment in REMINDERS_AT:
            self.at(self._at(day, moment), self._reminders)
        for moment in NO_SHOWS_AT:
            self.at(self._at(day, moment), self._no_shows)

        first, last = (self._at(day, t) for t in CITIZEN_DAY)
        n = max(0, round(self.rng.gauss(self.size.bookings_per_day,
                                        self.size.bookings_per_day * 0.15)))
        for _ in range(n):
            self.spawn(self._booking_story(self._between(first, last)))
        # Today's floor: the day before the end and its morning, more bookings for that day,
        # some at every place where demo staff work.
        if 0 <= (self.end.date() - day).days <= 1:
            for _ in range(max(3, self.size.bookings_per_day // 2)):
                self.spawn(self._booking_story(self._between(first, last),
                                               target=self.end.date()))
            for code in self.case_places:
                for _ in range(2):
                    self.spawn(self._booking_story(self._between(first, last),
                                                   target=self.end.date(), at_place=code))
        online = self.size.online_cases_per_day * (1.0 if working else 0.5)
        for _ in range(self._poisson(online)):
            place = self.rng.choice(self.case_places)
            self.spawn(self._online_case(self._between(first, last), place))
        hall_cancels = HALL_CANCELS.get((day - self.first_day).days)
        if hall_cancels is not None:
            self.at(self._at(day, time(16, 20)), lambda: self._hall_cancels(hall_cancels))

    def _poisson(self, mean: float) -> int:
        # Knuth's method: small means only.
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    # -- the jobs, as the scheduler runs them ---------------------------------------------------

    def _generate_slots(self) -> None:
        self._as(SYSTEM)
        generate_slots(self.session, self.now, self.window)

    def _reminders(self) -> None:
        self._as(SYSTEM)
        notifications.queue_reminders(self.session, self.now)

    def _no_shows(self) -> None:
        self._as(SYSTEM)
        bookings.mark_no_shows(self.session, self.now, self.rules)
        self._refresh_blocked()

    def _acceptance_deadlines(self) -> None:
        self._as(SYSTEM)
        cases.deem_overdue_acceptances(self.session, self.now)
        if self.calendar.is_working_day(self.now.date()):
            notifications.queue_acceptance_warnings(
                self.session, cases.acceptances_due(self.session, self.calendar, self.now.date()),
                self.now)

    def _deadline_warnings(self) -> None:
        self._as(SYSTEM)
        late = cases.amber_and_red_cases(self.session, self.now.date(), notifications.CHUNK)
        # It lets go of every loaded row as it goes (session.expunge_all): the stories keep ids,
        # and what the history keeps loaded is loaded again.
        notifications.queue_deadline_warnings(self.session, late, self.now)
        self._pin_world()

    def _link_staff_wechat(self) -> None:
        for username in LINKED_STAFF:
            staff = self._staff(self.staff_ids[username])
            notifications.link_staff_wechat(self.session, staff, demo_openid(f"staff-{username}"),
                                            self.now)
        self._staff_subscribe()

    def _staff_subscribe(self) -> None:
        """Linked staff accept their templates as they open the mini-program each morning."""
        for username in LINKED_STAFF:
            self._as(self.staff_ids[username])
            notifications.accept_subscriptions(
                self.session, demo_openid(f"staff-{username}"), list(STAFF_TEMPLATE_KEYS),
                self.templates, STAFF_TEMPLATE_KEYS, self.now, cap=self.quota_cap)

    # -- citizens -----------------------------------------------------------------------------

    def _login(self, index: int) -> Citizen:
        """The citizen of the pool's `index`, signed in as the demo login signs in (made on
        first login, with the profile most people fill in)."""
        citizen_id = self.citizen_ids.get(index)
        if citizen_id is not None:
            return self._citizen(citizen_id)
        self._as(None)
        citizen = citizens.citizen_for_openid(self.session, demo_openid(f"boshan-{index}"), None,
                                              self.now)
        person = people.person(self.rng, self.now.date())
        self.persons[index] = person
        if self.rng.random() < 0.85:
            citizens.update_profile(citizen, person.name, person.id_number, self.now)
        if self.rng.random() < 0.8:
            citizens.set_phone(citizen, person.phone)
        self.session.flush()
        self.citizen_ids[index] = citizen.id
        self.pinned.append(citizen)
        return citizen

    def _subscribe(self, citizen: Citizen, offered: Mapping[str, float],
                   chance: float = 0.85) -> None:
        """What `wx.requestSubscribeMessage` reports when the citizen is asked: with `chance`
        they answer at all, accepting each template with its own probability."""
        if self.rng.random() >= chance:
            return
        accepted = [key for key, p in offered.items() if self.rng.random() < p]
        if accepted:
            notifications.accept_subscriptions(
                self.session, citizen.openid, accepted, self.templates,
                CITIZEN_TEMPLATE_KEYS, self.now, cap=self.quota_cap)

    def _applicant(self, index: int, item: ItemInfo) -> cases.Applicant:
        person = self.persons.get(index) or people.person(self.rng, self.now.date())
        if item.for_enterprises:
            company = people.enterprise(self.rng)
            return cases.Applicant(name=person.name, phone=person.phone,
                                   enterprise_name=company.name, uscc=company.uscc)
        return cases.Applicant(name=person.name, phone=person.phone,
                               id_number=person.id_number if self.rng.random() < 0.7 else None)

    def _free_citizen(self) -> int | None:
        """A citizen of the pool who may book now (not blocked, under the limit of upcoming
        bookings); None when the few asked may not. What each holds is kept here as the history
        books, checks in and cancels (a booking the hall cancelled still counts: the guess errs
        on the side of not booking)."""
        today = self.now.date()
        for _ in range(6):
            index = self.rng.randrange(self.size.citizens)
            citizen_id = self.citizen_ids.get(index)
            if citizen_id is None:
                return index
            if citizen_id in self.blocked:
                continue
            held = self.holding.get(citizen_id, {})
            if sum(day >= today for day in held.values()) < self.rules.max_active:
                return index
        return None

    def _refresh_blocked(self) -> None:
        now = self.now
        self.blocked = set(self.session.scalars(select(Citizen.id).where(
            Citizen.blocked_until.is_not(None), Citizen.blocked_until > now)))

    def _open_slots(self, place: PlaceInfo, day: date, citizen_id: int | None
                    ) -> list[tuple[int, time, time]]:
        """The place's slots of the day still open for booking with a seat left: (id, start,
        end); none on a day the citizen already holds a booking (nobody books two)."""
        if citizen_id is not None and day in self.holding.get(citizen_id, {}).values():
            return []
        opens = bookings.earliest_open_start(self.now, self.rules)
        # A seat anyone may book online, as the public listing counts them.
        return [(row.id, row.start_time, row.end_time) for row in self.session.execute(
            select(*bookings.SLOT_ROW).where(
                Slot.place_id == place.id, Slot.date == day, Slot.active.is_(True),
                bookings.starts_from(opens.date(), opens.time()))
            .order_by(Slot.start_time), bookings.seat_terms(self.now, self.rules)).all()
            if row.remaining > 0]

    def _booking_story(self, moment: datetime, target: date | None = None,
                       at_place: str | None = None) -> Story:
        yield moment
        index = self._free_citizen()
        if index is None:
            return
        citizen_id = self.citizen_ids.get(index)
        today = self.now.date()
        chosen = place = slot_day = None
        for _ in range(4):
            place = self.places[at_place or self.rng.choices(self.booking_places,
                                                             self.place_weights)[0]]
            slot_day = target or today + timedelta(
                days=self.rng.choices(DAYS_AHEAD, DAYS_AHEAD_WEIGHTS)[0])
            found = self._open_slots(place, slot_day, citizen_id)
            if found:
                chosen = self.rng.choice(found)
                break
        if chosen is None:
            return
        slot_id, starts_at, ends_at = chosen
        citizen = self._login(index)
        self._subscribe(citizen, BOOKING_TEMPLATES)
        offered = self.offered[place.code]
        item = self.items[self.rng.choice(offered)]
        help_type = None
        if place.agents and self.rng.random() < self.size.booking_case_share:
            help_type = self.rng.choice(item.help_types)
        made = bookings.book(self.session, citizen.id, slot_id, item.code, help_type,
                             self.rng.choice(texts.BOOKING_NOTES), self.now, self.rules)
        code, citizen_id = made.code, citizen.id
        held = self.holding.setdefault(citizen_id, {})
        held[slot_id] = slot_day
        starts = datetime.combine(slot_day, starts_at, self.tz)
        ends = datetime.combine(slot_day, ends_at, self.tz)
        flaky = index % 10 == 0  # one citizen in ten often fails to come
        if self.rng.random() < 0.06:
            latest = starts - timedelta(minutes=self.rules.cancel_minutes + 5)
            if latest > self.now + timedelta(minutes=10):
                yield self._between(self.now + timedelta(minutes=10), latest)
                citizen = self._citizen(citizen_id)
                booking = bookings.get_own_booking(self.session, citizen, code)
                if booking.status == "booked":
                    bookings.cancel(self.session, booking, self.now, self.rules)
                    del held[slot_id]
                return
        if self.rng.random() < (0.35 if flaky else 0.03):
            return  # does not come: the no-show job marks it
        late = self.rng.random() < 0.1
        yield (self._between(starts, min(ends, starts + timedelta(minutes=20))) if late
               else self._between(starts - timedelta(minutes=25), starts))
        staff = self._staff(self.rng.choice(place.floor))
        if self.session.scalar(select(Booking.status).where(Booking.code == code)) != "booked":
            return  # the hall cancelled it meanwhile
        bookings.check_in(self.session, staff, code, self.now, self.rules)
        # Checked in: no longer upcoming (the seat stays the citizen's for the day).
        held[slot_id] = date.min
        if help_type is not None:
            plan = self._random_plan(place.code, item.code, help_type)
            yield self.now + timedelta(minutes=self.rng.randint(5, 25))
            yield from self._case_story(plan, index, code)

    def _hall_cancels(self, place_code: str) -> None:
        """A place's runner takes the agent on duty off an off-hours day of the coming week:
        the day's 5+X slots are withdrawn and their bookings cancelled by the hall."""
        place = self.places[place_code]
        runner = self._staff(place.runner)
        today = self.now.date()
        booked = (select(func.count(Booking.id)).join(Slot, Slot.id == Booking.slot_id)
                  .where(Slot.place_id == RotaEntry.place_id, Slot.date == RotaEntry.date,
                         Slot.kind.in_(ROTA_KINDS), Booking.status == "booked")
                  .correlate(RotaEntry).scalar_subquery())
        entry_id = self.session.scalar(
            select(RotaEntry.id).where(RotaEntry.place_id == place.id,
                                       RotaEntry.date.between(today + timedelta(days=2),
                                                              today + timedelta(days=9)))
            .order_by(booked.desc(), RotaEntry.date, RotaEntry.id).limit(1))
        if entry_id is None:
            return
        change_and_regenerate(
            self.session, runner,
            lambda s: remove_rota_entry(s, runner, s.get(RotaEntry, entry_id), today),
            self.now, self.window, {place.id})

    # -- a case ----------------------------------------------------------------------------------

    def _online_case(self, moment: datetime, place_code: str) -> Story:
        yield moment
        offered = self.offered[place_code]
        weights = [MULTI_DEPARTMENT_WEIGHT if self.items[c].departments else 1 for c in offered]
        item = self.items[self.rng.choices(offered, weights)[0]]
        help_type = ("proxy" if "proxy" in item.help_types and self.rng.random() < 0.5
                     else item.help_types[0])
        plan = self._random_plan(place_code, item.code, help_type)
        yield from self._case_story(plan, self._free_index(), None)

    def _free_index(self) -> int:
        return self.rng.randrange(self.size.citizens)

    def _random_plan(self, place: str, item_code: str, help_type: str) -> CasePlan:
        r, item = self.rng, self.items[item_code]
        required = item.required
        missing: tuple[str, ...] = ()
        if required and r.random() < 0.22:
            missing = tuple(r.sample(required, k=min(len(required), r.choice((1, 1, 2)))))
        supplement = r.uniform(3, 120) if r.random() < 0.82 else None
        second: tuple[str, ...] = ()
        if missing and supplement is not None and r.random() < 0.15:
            others = [c for c in required if c not in missing]
            # Mostly the same material again (still unclear); sometimes one not named before.
            second = (r.choice(others),) if others and r.random() < 0.4 else (missing[0],)
        share = r.random()
        # Most on time, some late, a few stuck (still open, red, at the end).
        work_share = (r.uniform(0.2, 0.95) if share < 0.92
                      else r.uniform(1.05, 1.6) if share < 0.98 else None)
        review = None
        if r.random() < 0.7:
            review = (r.uniform(1, 72), r.choices(REVIEW_SCORES, REVIEW_WEIGHTS)[0])
        followup = None
        if review and review[1] <= 2:
            followup = r.choice((1, 2, 3, 5, 8, 12, 12, 18, 22, None, None))
        return CasePlan(
            place=place, item=item_code, help_type=help_type, missing=missing,
            reject=r.choice(texts.REJECT_REASONS) if r.random() < 0.04 else None,
            assign_days=r.choice((0, 0, 1)), check_days=r.choice((0, 0, 0, 0, 0, 0, 1, 1, 1, 2)),
            supplement_hours=supplement, give_up=supplement is None and r.random() < 0.4,
            second_notice=second, recheck_days=r.choice((0, 0, 1)),
            start_days=(r.choice((0, 0, 0, 1)) if help_type == "assist"
                        else r.choice((0, 0, 1, 2, 3))),
            agreement=r.choices(("paper", "online", None), (45, 50, 5))[0],
            agreement_hours=r.uniform(0.5, 48),
            work_share=work_share,
            progress_notes=r.choice((0, 1, 2)) if item.commitment_days >= 10 else 0,
            escalation=((r.uniform(0.2, 0.8), r.choice((1, 2, 3, 5, None)))
                        if r.random() < 0.06 else None),
            withdraw_share=r.uniform(0.1, 0.7) if r.random() < 0.025 else None,
            return_days=r.choice((0, 1, 1, 2, 3)) if r.random() < 0.9 else None,
            review=review, followup_days=followup)

    def _case_story(self, plan: CasePlan, index: int, booking_code: str | None) -> Story:
        s, item, place = self.session, self.items[plan.item], self.places[plan.place]
        citizen = self._login(index)
        self._subscribe(citizen, APPLY_TEMPLATES)
        declared = [m.code for m in item.materials if m.code not in plan.missing]
        case = cases.create_case(
            s, citizen, item_code=item.code, place_code=place.code, help_type=plan.help_type,
            applicant=self._applicant(index, item), material_codes=declared,
            booking_code=booking_code,
            special_group=(self.rng.choice(texts.SPECIAL_GROUPS) if self.rng.random() < 0.12
                           else None),
            now=self.now, number_prefix=self.prefix)
        number, citizen_id = case.number, citizen.id

        if case.agent_id is None:  # no agent of the lead department here: the runner assigns
            yield self._staff_time(self.now, plan.assign_days)
            runner = self._staff(place.runner)
            case = cases.staff_case(s, runner, number)
            cases.assign(s, case, runner, self._least_busy(place), self.now)
        agent_id = case.agent.id

        # The material check, the one-time notice and the supplements.
        if plan.check_days is None:
            return
        yield self._staff_time(self.now, plan.check_days)
        agent = self._staff(agent_id)
        case = cases.staff_case(s, agent, number)
        if plan.reject is not None:
            cases.reject(s, case, agent, plan.reject, self.now)
            return
        for notice in (plan.missing, plan.second_notice):
            if not notice:
                break
            cases.check_materials(s, case, self._notice_lines(notice), agent, self.now,
                                  self.rng.choice(texts.NOTICE_NOTES))
            if plan.supplement_hours is None:
                if plan.give_up:
                    yield self._citizen_time(self.now, self.rng.uniform(24, 240))
                    citizen = self._citizen(citizen_id)
                    cases.withdraw(s, cases.citizen_case(s, citizen, number), citizen, self.now)
                return
            yield self._citizen_time(self.now, plan.supplement_hours)
            citizen = self._citizen(citizen_id)
            cases.supplement(s, cases.citizen_case(s, citizen, number), citizen, list(notice),
                             self.now)
            yield self._staff_time(self.now, plan.recheck_days)
            agent = self._staff(agent_id)
            case = cases.staff_case(s, agent, number)
        cases.check_materials(s, case, [], agent, self.now)
        accepted_on = self.now.date()
        self.spawn(self._opens_case(citizen_id))

        # The work: accompanying (帮办), or the handover and the agreement (代办).
        if plan.start_days is None:
            return
        yield self._staff_time(self.now, plan.start_days)
        agent = self._staff(agent_id)
        case = cases.staff_case(s, agent, number)
        if plan.help_type == "assist":
            cases.start(s, case, agent, self.now)
        else:
            lines = [{"material": m.code, "copies": m.copies, "original": m.original}
                     for m in item.materials if m.code in {cm.material.code for cm in case.materials
                                                          if cm.declared}]
            cases.handover(s, case, agent, lines, True, self.now)
            if plan.agreement == "paper":
                cases.sign_agreement(s, case, agent, self.now)
            elif plan.agreement == "online":
                yield self._citizen_time(self.now, plan.agreement_hours)
                citizen = self._citizen(citizen_id)
                self._subscribe(citizen, FOLLOW_TEMPLATES)
                cases.sign_agreement(s, cases.citizen_case(s, citizen, number), citizen, self.now)
            else:
                return
        yield from self._work(plan, item, place, number, agent_id, citizen_id, accepted_on)

    def _least_busy(self, place: PlaceInfo) -> str:
        """The place's agent with the fewest open cases, as a manager spreads the work."""
        open_cases = dict(self.session.execute(
            select(Staff.username, func.count(Case.id)).join(Case, Case.agent_id == Staff.id)
            .where(Case.status.in_(OPEN), Staff.username.in_(place.agents))
            .group_by(Staff.username)).all())
        return min(place.agents, key=lambda username: (open_cases.get(username, 0), username))

    def _opens_case(self, citizen_id: int) -> Story:
        """The applicant opens the case from the acceptance message and is asked to subscribe
        to what comes next."""
        yield self._citizen_time(self.now, self.rng.uniform(0.2, 8))
        self._subscribe(self._citizen(citizen_id), FOLLOW_TEMPLATES, chance=0.7)

    def _notice_lines(self, codes: tuple[str, ...]) -> list[tuple[str, str | None]]:
        return [(code, self.rng.choice(texts.NOTICE_LINES)) for code in codes]

    def _work(self, plan: CasePlan, item: ItemInfo, place: PlaceInfo, number: str,
              agent_id: int, citizen_id: int, accepted_on: date) -> Story:
        """From the start of the work to completion, the return of originals, the review and
        its follow-up."""
        s = self.session
        if plan.suspension is not None:
            kind, expected, ends = plan.suspension
            yield self._staff_time(self.now, 1)
            agent = self._staff(agent_id)
            cases.suspend(s, cases.staff_case(s, agent, number), agent, kind,
                          texts.SUSPENSION_REASONS[kind], expected, self.now)
            if ends:
                yield self._staff_time(self.now, expected)
                agent = self._staff(agent_id)
                cases.resume(s, cases.staff_case(s, agent, number), agent,
                             self.rng.choice(texts.SUSPENSION_RESULTS), self.now)
        if plan.extension is not None:
            yield self._staff_time(self.now, 1)
            runner = self._staff(place.runner)
            case = cases.staff_case(s, runner, number)
            if case.due_date is not None and self.now.date() <= case.due_date:
                cases.extend(s, case, runner, plan.extension, self.rng.choice(
                    texts.EXTENSION_REASONS), self.now)
        started = self.now
        days = item.commitment_days
        share = plan.work_share if plan.work_share is not None else 2.0
        # Done on this working day after acceptance (0: the day of acceptance).
        done_day = math.ceil(days * share) if share > 1 else int(days * share)
        finish = (self._staff_time(started, 0) if done_day == 0 else
                  max(self._staff_time(self._at(accepted_on, time(0)), done_day),
                      started + timedelta(minutes=30)))
        span = finish - started
        steps: list[tuple[datetime, str, Any]] = []
        for i, department in enumerate(item.departments):
            steps.append((started + span * (i + 1) / (len(item.departments) + 1), "task",
                          department))
        for _ in range(plan.progress_notes):
            steps.append((started + span * self.rng.uniform(0.1, 0.9), "note", None))
        if plan.escalation is not None:
            steps.append((started + span * plan.escalation[0], "escalate", plan.escalation[1]))
        if plan.withdraw_share is not None:
            steps.append((started + span * plan.withdraw_share, "withdraw", None))
        steps.sort(key=lambda step: (step[0], step[1]))
        for moment, kind, detail in steps:
            if kind == "withdraw":
                yield self._citizen_time(moment, 0)
                citizen = self._citizen(citizen_id)
                case = cases.citizen_case(s, citizen, number)
                if plan.terminate:
                    # A 代办 applicant ends the commission (终止); the originals are owed back.
                    cases.terminate(s, case, citizen, self.rng.choice(texts.TERMINATION_REASONS),
                                    self.now)
                    if plan.return_days is not None:
                        yield self._staff_time(self.now, plan.return_days)
                        agent = self._staff(agent_id)
                        case = cases.staff_case(s, agent, number)
                        held = cases.originals_held(case)
                        if held:
                            cases.return_materials(s, case, agent, [
                                {"material": cm.material.code, "copies": cm.received_copies,
                                 "original": True} for cm in held], self.now, "委托终止，原件退还")
                    return
                cases.withdraw(s, case, citizen, self.now)
                return
            yield self._staff_time(moment - timedelta(minutes=5), 0)
            agent = self._staff(agent_id)
            case = cases.staff_case(s, agent, number)
            if kind == "task":
                cases.progress(s, case, agent, self.rng.choice(texts.TASK_NOTES), detail, True,
                               self.now)
            elif kind == "note":
                cases.progress(s, case, agent, self.rng.choice(texts.PROGRESS_NOTES), None, None,
                               self.now)
            else:
                escalation = cases.escalate(s, case, agent, self.rng.choice(texts.ESCALATIONS),
                                            self.now)
                if detail is not None:
                    self.spawn(self._resolution(escalation.id, place, detail))
        if plan.work_share is None:
            return
        yield finish
        agent = self._staff(agent_id)
        case = cases.staff_case(s, agent, number)
        cases.complete(s, case, agent, self.rng.choice(texts.COMPLETION_NOTES), self.now)
        if plan.review is not None:
            self.spawn(self._review(plan, place, number, citizen_id))
        if plan.help_type == "proxy" and plan.return_days is not None:
            yield self._staff_time(self.now, plan.return_days)
            agent = self._staff(agent_id)
            case = cases.staff_case(s, agent, number)
            lines = [{"material": cm.material.code, "copies": cm.received_copies,
                      "original": cm.received_original}
                     for cm in case.materials if cm.received_at is not None]
            cases.return_materials(s, case, agent, lines, self.now)

    def _resolution(self, escalation_id: int, place: PlaceInfo, days: int) -> Story:
        yield self._staff_time(self.now, days)
        runner = self._staff(place.runner)
        escalation = cases.staff_escalation(self.session, runner, escalation_id)
        cases.resolve_escalation(self.session, escalation, runner,
                                 self.rng.choice(texts.RESOLUTIONS), self.now)

    def _review(self, plan: CasePlan, place: PlaceInfo, number: str, citizen_id: int) -> Story:
        hours, score = plan.review
        yield self._citizen_time(self.now, hours)
        citizen = self._citizen(citizen_id)
        comment = self.rng.choice(texts.GOOD_COMMENTS if score >= 4 else
                                  texts.FAIR_COMMENTS if score == 3 else texts.BAD_COMMENTS)
        case = cases.citizen_case(self.session, citizen, number)
        cases.review(self.session, case, citizen, score, comment, self.now)
        if not Review.is_bad(score) or plan.followup_days is None:
            return
        self._subscribe(citizen, {"review_followup": 1.0})
        yield self._staff_time(self.now, plan.followup_days)
        runner = self._staff(place.runner)
        case = cases.staff_case(self.session, runner, number)
        cases.close_followup(self.session, case, runner, self.rng.choice(texts.FOLLOWUP_CALLBACKS),
                             self.rng.choice(texts.FOLLOWUP_FIXES), self.now)

    # -- the showcase ----------------------------------------------------------------------------

    def _spawn_showcase(self) -> None:
        """Cases timed so that, whatever the seed, the end finds one in every status, amber and
        red ones, open and resolved escalations, bad reviews followed up and not, and a notice
        that broke the one-time rule. Each starts on a working day counted back from the end."""
        end_day = self.end.date()

        def on(n: int, plan: CasePlan) -> None:
            day = self._working_day_before(end_day, n)
            moment = self._between(self._at(day, OPENING), self._at(day, time(10, 0)))
            self.spawn(self._showcase_story(moment, plan))

        hall, town = "BS-HALL", "BS-CD"
        quick, five, ten = "JY-002", "SB-001", "FL-001"  # committed in 1, 5 and 10 working days
        later = dict(check_days=1, start_days=1, work_share=None, review=None, return_days=None)
        on(1, CasePlan(hall, five, "assist", **{**later, "check_days": None}))  # submitted
        on(2, CasePlan(hall, five, "proxy", missing=("SFZ",), supplement_hours=None,
                       **{**later, "check_days": 1}))  # materials incomplete
        on(2, CasePlan(town, ten, "assist", **{**later, "start_days": None}))  # accepted
        on(3, CasePlan(hall, five, "proxy", agreement=None, **later))  # handed over
        on(5, CasePlan(hall, quick, "assist", **later))  # in progress, red
        on(10, CasePlan(town, ten, "proxy", **later))  # in progress, amber
        on(4, CasePlan(hall, quick, "assist", **{**later, "work_share": 0.5}))  # completed
        on(6, CasePlan(hall, quick, "proxy", **{**later, "work_share": 0.5, "return_days": 1}))
        on(5, CasePlan(hall, five, "assist", **{**later, "withdraw_share": 0.05}))  # withdrawn
        on(6, CasePlan(hall, ten, "proxy", terminate=True,  # terminated, originals returned
                       **{**later, "withdraw_share": 0.05, "return_days": 1}))
        # The legal clock: never checked (accepted by law after 5 working days); an inspection
        # over and done, an expert review still under way; an extension.
        on(9, CasePlan(town, five, "assist", **{**later, "check_days": None}))
        on(14, CasePlan(hall, five, "proxy", suspension=("inspection", 3, True), **later))
        on(6, CasePlan(town, ten, "assist", suspension=("expert_review", 10, False), **later))
        on(4, CasePlan(hall, ten, "assist", extension=5, **later))
        on(2, CasePlan(town, ten, "assist", reject=texts.REJECT_REASONS[0], **later))
        on(12, CasePlan(hall, quick, "assist", **{**later, "work_share": 0.5,
                                                  "review": (3.0, 1), "followup_days": 2}))
        on(8, CasePlan(town, quick, "assist", **{**later, "work_share": 0.5,
                                                 "review": (5.0, 2), "followup_days": None}))
        on(7, CasePlan(hall, ten, "assist", escalation=(0.05, None), **later))
        on(9, CasePlan(hall, ten, "assist", escalation=(0.05, 1), **later))
        on(11, CasePlan(hall, five, "assist", missing=("SFZ",), supplement_hours=3.0,
                        second_notice=("HKB",), **{**later, "work_share": 0.5}))  # a violation

    def _showcase_story(self, moment: datetime, plan: CasePlan) -> Story:
        yield moment
        yield from self._case_story(plan, self._free_index(), None)

    # -- consultation, the floor, training and suggestions --------------------------------------

    def _spawn_consultation(self) -> None:
        """The service language acknowledged by all but one agent; questions asked over the last
        working days, most answered (one late), two still open (one past its day, its managers
        warned); two published to the FAQ; the hall guide's floor; suggestions; a manager's
        registration waiting for the district office."""
        end_day = self.end.date()
        first = self._at(self.first_day, time(8, 0))
        self.at(first, self._publish_service_language)
        faq_ids: dict[int, int] = {}
        for index, (place, item, question, answer, agent, days_before, hours) in enumerate(
                texts.CONSULTATIONS):
            day = self._working_day_before(end_day, days_before) if days_before else end_day
            # Fixed times and people already signed in: the seeded generator's draws stay
            # those of the rest of the history.
            asked = self._at(day, time(8, 30)) + timedelta(minutes=13 * index)
            if asked >= self.end:
                asked = self.end - timedelta(minutes=30)
            self.at(asked, lambda i=index, at=asked: self._ask(i, faq_ids))
            if answer is not None:
                answered = min(asked + timedelta(hours=hours), self.end - timedelta(minutes=5))
                self.at(answered, lambda i=index, a=answer, who=agent: self._answer(
                    i, a, who, faq_ids))
        for back in range(1, 4):
            day = self._working_day_before(end_day, back)
            for n, (kind, outcome, item) in enumerate(texts.FLOOR_QUESTIONS):
                moment = self._at(day, time(9 + n, 10))
                self.at(moment, lambda k=kind, o=outcome, i=item: self._floor_question(k, o, i))
        for n, suggestion in enumerate(texts.SUGGESTIONS):
            day = self._working_day_before(end_day, 5 - n)
            self.at(self._at(day, time(15, 0)), lambda s=suggestion: self._suggest(s))
        self.at(self._at(self._working_day_before(end_day, 1), time(11, 0)), self._propose)
        self.at(self._at(end_day, time(8, 50)), self._warn_overdue_consultations)

    def _publish_service_language(self) -> None:
        admin = self._staff(self.staff_ids["admin"])
        training.publish_service_language(self.session, admin, *texts.SERVICE_LANGUAGE, self.now)
        for username in ("agent1", "agent2", "agent3", "guide1"):
            training.acknowledge_service_language(
                self.session, self._staff(self.staff_ids[username]), self.now)

    def _ask(self, index: int, ids: dict[int, int]) -> None:
        place, item, question, *_ = texts.CONSULTATIONS[index]
        known = sorted(self.citizen_ids)
        citizen = self._login(known[(7 * index) % len(known)] if known else index)
        ids[index] = consultation.ask(self.session, citizen, item, place, question, self.now).id

    def _answer(self, index: int, answer: str, agent: str, ids: dict[int, int]) -> None:
        staff = self._staff(self.staff_ids[agent])
        consultation.answer(self.session, staff, ids[index], answer, self.now)
        if index in texts.FAQ_FROM:
            place = texts.CONSULTATIONS[index][0]
            manager = self._staff(self.places[place].runner)
            consultation.publish(self.session, manager, ids[index], None, None, self.now)

    def _floor_question(self, kind: str, outcome: str, item: str | None) -> None:
        guide = self._staff(self.staff_ids["guide1"])
        consultation.log_floor_question(self.session, guide, "BS-HALL", item, kind, outcome,
                                        self.now)

    def _suggest(self, suggestion) -> None:
        author, title, body, answer = suggestion
        made = suggestions.submit(self.session, self._staff(self.staff_ids[author]), title, body,
                                  self.now)
        if answer is not None:
            suggestions.answer(self.session, self._staff(self.staff_ids["admin"]), made.id,
                               answer, self.now + timedelta(hours=2))

    def _propose(self) -> None:
        manager = self._staff(self.staff_ids["manager"])
        # agent1 also to be named by the hall's 医保局 station: the district office decides.
        register_agent(self.session, manager, "agent1", ["BS-HALL"], "YBJ", self.now.date())

    def _warn_overdue_consultations(self) -> None:
        self._as(SYSTEM)
        if self.calendar.is_working_day(self.now.date()):
            consultation.warn_overdue(self.session, self.now)
