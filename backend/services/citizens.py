"""Citizens: login through WeChat (or the demo login), and their personal data."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import upsert_insert
from ..infrastructure.personal_data import (
    clean_id_number, clean_phone, decrypt, encrypt, id_number_key,
)
from ..infrastructure.wechat import DemoWeChat
from ..models import Citizen


def citizen_for_openid(session: Session, openid: str, unionid: str | None,
                       now: datetime) -> Citizen:
    citizen = session.scalar(select(Citizen).where(Citizen.openid == openid))
    if citizen is None:
        # Two first logins at once: one inserts, the other finds its row.
        session.execute(upsert_insert(session, Citizen).values(
            openid=openid, unionid=unionid, created_at=now).on_conflict_do_nothing(
            index_elements=[Citizen.openid]))
        citizen = session.scalar(select(Citizen).where(Citizen.openid == openid))
    elif unionid and citizen.unionid != unionid:
        citizen.unionid = unionid
    return citizen


def demo_openid(code: str) -> str:
    """Demo mode only: the citizen a login code stands for (see `wechat.DemoWeChat`)."""
    return DemoWeChat().code_to_session(code).openid


def update_profile(citizen: Citizen, name: str | None, id_number: str | None,
                   now: datetime) -> Citizen:
    if name is not None:
        citizen.name = name.strip() or None
    if id_number is not None:
        number = clean_id_number(id_number, now.date()) if id_number.strip() else None
        citizen.id_number_encrypted = encrypt(number)
        citizen.id_number_key = id_number_key(number)
    return citizen


def set_phone(citizen: Citizen, phone: str) -> Citizen:
    citizen.phone_encrypted = encrypt(clean_phone(phone))
    return citizen


def phone_of(citizen: Citizen) -> str | None:
    return decrypt(citizen.phone_encrypted)


def id_number_of(citizen: Citizen) -> str | None:
    return decrypt(citizen.id_number_encrypted)
