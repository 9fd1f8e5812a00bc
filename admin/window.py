"""窗口受理: the page an agent at a window uses all day to take a walk-in applicant's 帮办 or
代办 case in one step (`cases.take_at_window`), with the ID number checked and the person's
earlier cases shown as it is typed (`cases.person_history`)."""
from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend import uow
from backend.clock import get_clock
from backend.errors import DomainError
from backend.extensions import db
from backend.fields import ID_MAX
from backend.infrastructure.personal_data import decrypt, mask_id_number, mask_phone
from backend.models import (
    HELP_TYPES, SLOT_KINDS, SPECIAL_GROUP_KINDS, Booking, Place, ServiceItem,
    SpecialGroupConfirmation, Staff,
)
from backend.services import cases, person_booking, relatives, scope, special_groups
from backend.services.booking import BookingRules
from backend.services.staff import registered_at

from .auth import current_staff
from .base import ScopedPage, flash_refusal, minute, refusal_messages, run_service
from .cases import WORK
from .floor import FLOOR
from .forms import FORM_EXPIRED, PostForm, parse_date

# Offered as the 特殊群体 field's suggestions; any other text may be typed.
SPECIAL_GROUPS = ("老年人", "残疾人", "军人", "孕妇", "行动不便")


def intake_places(staff: Staff) -> list[Place]:
    """The places this staff member may take cases at (`cases.may_take_at`, as a list)."""
    query = select(Place).order_by(Place.code)
    if staff.role in scope.AGENTS:
        query = query.where(registered_at(staff.id, Place.id))
    else:
        query = query.where(scope.workable_places(staff))
    return list(db.session.scalars(query))


def case_page_url(staff: Staff, case_id: int) -> str:
    """Where a case taken here is read and worked on: an agent's own list, or the case list."""
    endpoint = "admin_my_case" if staff.role in scope.AGENTS else "admin_case"
    return url_for(f"{endpoint}.details_view", id=case_id)


class WindowView(ScopedPage):
    """窗口受理 for agents, managers and the district office (inspectors only read)."""
    roles = scope.CASE_WORKERS

    @property
    def extra_js(self) -> list[str]:
        return [*super().extra_js, url_for("banban_admin.static", filename="window.js")]

    @expose("/", methods=("GET", "POST"))
    def index(self):
        staff = current_staff()
        places = intake_places(staff)
        chosen = request.values
        place = next((p for p in places if p.code == chosen.get("place")),
                     places[0] if len(places) == 1 else None)
        items = []
        if place is not None:
            items = list(db.session.scalars(
                select(ServiceItem).where(ServiceItem.places.any(Place.id == place.id))
                .options(selectinload(ServiceItem.materials)).order_by(ServiceItem.code)))
        item = next((i for i in items if i.code == chosen.get("item")), None)
        help_type = chosen.get("help_type") if chosen.get("help_type") in HELP_TYPES else None
        if item is not None and help_type not in item.help_types:
            help_type = item.help_types[0]
        form = PostForm()
        if request.method == "POST":
            if not form.validate_on_submit():
                flash(FORM_EXPIRED, "error")
            elif place is not None and item is not None and help_type is not None:
                taken = self._take(staff, place, item, help_type, request.form)
                if taken is not None:
                    return redirect(case_page_url(staff, taken))
        return self.render("banban_admin/window.html", places=places, place=place, items=items,
                           item=item, help_type=help_type, help_types=HELP_TYPES,
                           special_groups=SPECIAL_GROUPS, values=request.form, form=form)

    def _take(self, staff: Staff, place: Place, item: ServiceItem, help_type: str,
              form) -> int | None:
        seen = [m for m in item.materials if form.get(f"seen_{m.code}")]
        proxy = help_type == "proxy"
        handover = ([{"material": m.code, "copies": m.copies, "original": m.original}
                     for m in seen] if proxy and form.get("handover") == "1" and seen else None)
        applicant = cases.Applicant(
            name=(form.get("name") or "").strip(), id_number=form.get("id_number") or None,
            phone=(form.get("phone") or "").strip() or None,
            enterprise_name=(form.get("enterprise_name") or "").strip() or None,
            uscc=(form.get("uscc") or "").strip() or None)
        intake = cases.WindowIntake(
            item=item.code, place=place.code, help_type=help_type,
            materials_seen=[m.code for m in seen],
            special_group=(form.get("special_group") or "").strip()[:50] or None,
            handover=handover, paper_agreement=proxy and form.get("paper_agreement") == "1",
            note=(form.get("note") or "").strip()[:500] or None)
        number_prefix = current_app.config["CASE_NUMBER_PREFIX"]
        case = run_service(lambda session: cases.take_at_window(
            session, staff, applicant, intake, get_clock().now(), number_prefix))
        if not case:
            return None
        flash(f"已受理：办件编号 {case.number}（{case.status_label}），请将编号告知申请人", "success")
        return case.id

    @expose("/person", methods=("POST",))
    def person(self):
        """The ID number as typed: its checksum, and the person's earlier cases here (JSON for
        window.js). Each lookup is audited as a read."""
        if not PostForm().validate_on_submit():
            return jsonify(ok=False, messages=[FORM_EXPIRED]), 400
        staff = current_staff()
        try:
            with uow.unit_of_work() as session:
                found = cases.person_history(session, staff, request.form.get("id_number") or "",
                                             get_clock().now(),
                                             current_app.config["SPECIAL_GROUP_AGE"])
                answer = {
                    "ok": True, "id_number": mask_id_number(found.id_number),
                    "birth_date": found.birth_date.isoformat(),
                    "cases": [{"number": c.number, "item": c.item.name, "place": c.place.name,
                               "help_type": HELP_TYPES[c.help_type], "status": c.status_label,
                               "channel": c.channel_label, "created_at": minute(c.created_at)}
                              for c in found.cases],
                    "bookings": [{"code": b.code, "item": b.item.name, "place": b.place.name,
                                  "slot": f"{b.slot.date} {b.slot.start_time:%H:%M}",
                                  "status": b.status_label,
                                  "channel": "代为预约" if b.booked_by_id else "小程序预约"}
                                 for b in found.bookings],
                    "authorisations": [{"id": r.id, "requester": r.citizen.name or "",
                                        "name": r.name, "relation": r.relation,
                                        "created_at": minute(r.created_at)}
                                       for r in found.authorisations],
                    "special_group": found.special_group,
                    "special_groups": [c.kind_label for c in found.special_groups],
                    "confirm_url": url_for(".confirm_relative", relative_id=0)}
        except DomainError as exc:
            return jsonify(ok=False, messages=refusal_messages(exc)), exc.status
        return jsonify(answer)

    @expose("/relative/<int(max=2147483647):relative_id>/confirm", methods=("POST",))
    def confirm_relative(self, relative_id: int):
        """亲友代办 confirmed at the window, after seeing the relative's ID and a signed
        authorisation (`relatives.confirm_at_window`); JSON for window.js."""
        if not PostForm().validate_on_submit():
            return jsonify(ok=False, messages=[FORM_EXPIRED]), 400
        staff = current_staff()
        try:
            with uow.unit_of_work() as session:
                relatives.confirm_at_window(session, staff, relative_id,
                                            request.form.get("note") or "", get_clock().now())
        except DomainError as exc:
            return jsonify(ok=False, messages=refusal_messages(exc)), exc.status
        return jsonify(ok=True, messages=["亲友代办授权已确认"])


class StaffBookingView(ScopedPage):
    """代为预约: a seat booked in a person's name for a phone caller or a walk-in, under the
    rules a citizen books by (`person_booking.book_for_person`), and the slip with its code."""
    roles = scope.CASE_WORKERS

    @property
    def extra_js(self) -> list[str]:
        return [*super().extra_js, url_for("banban_admin.static", filename="window.js")]

    @expose("/", methods=("GET", "POST"))
    def index(self):
        staff = current_staff()
        now = get_clock().now()
        rules = BookingRules.from_config(current_app.config)
        places = list(db.session.scalars(select(Place).where(scope.workable_places(staff))
                                         .order_by(Place.code)))
        chosen = request.values
        place = next((p for p in places if p.code == chosen.get("place")),
                     places[0] if len(places) == 1 else None)
        try:
            day = parse_date(chosen.get("date"), now.date())
        except DomainError as exc:
            flash_refusal(exc)
            day = now.date()
        items, slots = [], []
        if place is not None:
            items = list(db.session.scalars(
                select(ServiceItem).where(ServiceItem.places.any(Place.id == place.id))
                .order_by(ServiceItem.code)))
            slots = person_booking.bookable_slots(db.session, staff, place, day, now, rules)
        form = PostForm()
        if request.method == "POST":
            if not form.validate_on_submit():
                flash(FORM_EXPIRED, "error")
            else:
                code = self._book(staff, request.form, now, rules)
                if code is not None:
                    return redirect(url_for(".slip", code=code))
        return self.render("banban_admin/staff_booking.html", places=places, place=place,
                           day=day, items=items, slots=slots, kinds=SLOT_KINDS,
                           values=request.form, form=form)

    def _book(self, staff: Staff, form, now, rules) -> str | None:
        slot = form.get("slot") or ""
        if not slot.isdigit() or int(slot) > ID_MAX:
            flash("请选择预约时段", "error")
            return None
        person = person_booking.Person(name=form.get("name") or "",
                                       id_number=form.get("id_number") or "",
                                       phone=(form.get("phone") or "").strip() or None)
        help_type = "assist" if form.get("help_type") == "assist" else None
        note = (form.get("note") or "").strip()[:500] or None
        booking = run_service(lambda session: person_booking.book_for_person(
            session, staff, person, int(slot), form.get("item") or "", help_type, note, now,
            rules))
        if not booking:
            return None
        flash(f"已预约，预约码 {booking.code}：请念给对方或打印", "success")
        return booking.code

    @expose("/slip/<code>")
    def slip(self, code: str):
        """The booking slip to read out or print: its code, when, where, what, for whom."""
        booking = db.session.scalar(select(Booking).where(
            Booking.code == code.strip().upper(), scope.bookings(current_staff())))
        if booking is None:
            abort(404)
        return self.render("banban_admin/booking_slip.html", booking=booking, form=PostForm(),
                           kinds=SLOT_KINDS, masked_phone=mask_phone(decrypt(
                               booking.holder.phone_encrypted)))

    @expose("/cancel/<code>", methods=("POST",))
    def cancel(self, code: str):
        """Cancelled at the holder's request (`person_booking.cancel_for_person` decides)."""
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
        else:
            staff, rules = current_staff(), BookingRules.from_config(current_app.config)
            run_service(lambda session: person_booking.cancel_for_person(
                session, staff, code, get_clock().now(), rules), f"预约 {code} 已取消")
        return redirect(url_for(".slip", code=code))


class SpecialGroupView(ScopedPage):
    """特殊群体确认: a person confirmed as one of a special group after staff saw the document
    (`special_groups.confirm`), and the confirmations recorded at the staff member's places.
    People of SPECIAL_GROUP_AGE or more need none: their ID number says it."""
    roles = scope.CASE_WORKERS
    LIMIT = 50

    @expose("/", methods=("GET", "POST"))
    def index(self):
        staff = current_staff()
        places = list(db.session.scalars(select(Place).where(scope.workable_places(staff))
                                         .order_by(Place.code)))
        form = PostForm()
        if request.method == "POST":
            if not form.validate_on_submit():
                flash(FORM_EXPIRED, "error")
            else:
                chosen = next((p for p in places if p.code == request.form.get("place")), None)
                if chosen is None:
                    flash("请选择您所在的场所", "error")
                else:
                    values = request.form
                    done = run_service(lambda session: special_groups.confirm(
                        session, staff, session.get(Place, chosen.id), values.get("name") or "",
                        values.get("id_number") or "", values.get("kind") or "",
                        values.get("document") or "", get_clock().now()))
                    if done:
                        flash(f"已确认 {done.name} 为{done.kind_label}，可预约特殊群体保留号源",
                              "success")
                        return redirect(url_for(".index"))
        confirmations = list(db.session.scalars(
            select(SpecialGroupConfirmation)
            .where(scope.visible(staff, SpecialGroupConfirmation))
            .options(selectinload(SpecialGroupConfirmation.place),
                     selectinload(SpecialGroupConfirmation.confirmed_by))
            .order_by(SpecialGroupConfirmation.confirmed_at.desc(),
                      SpecialGroupConfirmation.id.desc()).limit(self.LIMIT)))
        return self.render("banban_admin/special_groups.html", places=places,
                           confirmations=confirmations, kinds=SPECIAL_GROUP_KINDS,
                           values=request.form, form=form, mask=mask_id_number, decrypt=decrypt,
                           minute=minute,
                           age=current_app.config["SPECIAL_GROUP_AGE"])

    @expose("/end/<int(max=2147483647):confirmation_id>", methods=("POST",))
    def end(self, confirmation_id: int):
        if not PostForm().validate_on_submit():
            flash(FORM_EXPIRED, "error")
        else:
            staff = current_staff()
            run_service(lambda session: special_groups.end(session, staff, confirmation_id,
                                                           get_clock().now()),
                        "已解除该特殊群体确认")
        return redirect(url_for(".index"))


def add_views(admin) -> None:
    admin.add_view(WindowView(name="窗口受理", category=WORK, endpoint="admin_window",
                              url="window"))
    admin.add_view(StaffBookingView(name="代为预约", category=FLOOR,
                                    endpoint="admin_staff_booking", url="staff-booking"))
    admin.add_view(SpecialGroupView(name="特殊群体确认", category=FLOOR,
                                    endpoint="admin_special_groups", url="special-groups"))
