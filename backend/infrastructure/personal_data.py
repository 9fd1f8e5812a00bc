"""Personal data: ID numbers and phones are validated, kept encrypted, and shown masked."""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberInvalid

from ..errors import InvalidInput

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def _fernet() -> Fernet:
    return Fernet(current_app.config["DATA_KEY"].encode())


def encrypt(value: str | None) -> bytes | None:
    return None if value is None else _fernet().encrypt(value.encode())


def decrypt(token: bytes | None) -> str | None:
    if token is None:
        return None
    try:
        return _fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        # Wrong DATA_KEY: say so loudly rather than show garbage.
        raise RuntimeError("personal data cannot be decrypted with the configured DATA_KEY")


def id_number_key(number: str | None) -> str | None:
    """A blind index of a (clean) ID number: a keyed hash, so that rows holding the same person's
    number can be found by equality without decrypting any of them, and the hash says nothing
    to whoever lacks DATA_KEY. The key is derived from DATA_KEY for this use only."""
    if number is None:
        return None
    key = hmac.new(current_app.config["DATA_KEY"].encode(), b"id-number-index",
                   hashlib.sha256).digest()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def clean_id_number(value: str, today: date) -> str:
    """A resident ID number (GB 11643) with a valid checksum and a real birth date."""
    number = ric.compact(value.strip().upper())
    try:
        # Not ric.validate: it also wants the area code to have existed in the birth year, and
        # numbers were first issued in 1984 under the codes of then (博山区 370304 dates from
        # 1983), so it refuses every Boshan resident born before 1983. Length, format, the
        # checksum, a real birth date and a known area code are checked here instead.
        if len(number) != 18 or not number[:-1].isdigit():
            raise NumberInvalid()
        if number[-1] != ric.calc_check_digit(number):
            raise NumberInvalid()
        born = ric.get_birth_date(number)
        if not any("county" in props for _, props in numdb.get("cn/loc").info(number[:6])):
            raise NumberInvalid()
    except NumberInvalid:
        raise InvalidInput("身份证号码有误，请核对", {"id_number": ["身份证号码校验未通过"]})
    if born > today or born.year < 1900:
        raise InvalidInput("身份证号码中的出生日期有误", {"id_number": ["出生日期无效"]})
    return number


def clean_phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not PHONE_PATTERN.match(phone):
        raise InvalidInput("手机号码有误", {"phone": ["应为11位中国大陆手机号码"]})
    return phone


def mask_phone(phone: str | None) -> str | None:
    return None if phone is None else phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(number: str | None) -> str | None:
    return None if number is None else number[:3] + "*" * (len(number) - 7) + number[-4:]


def undecryptable_column(session) -> str | None:
    """The first column holding personal data that the configured DATA_KEY cannot decrypt
    (one sample each), or None. Start-up refuses such a key rather than fail on every read."""
    from sqlalchemy import select

    from ..models import Booking, Case, Citizen, HomeVisit, Relative

    fernet = _fernet()
    for column in (Citizen.phone_encrypted, Citizen.id_number_encrypted,
                   Case.applicant_phone_encrypted, Case.applicant_id_number_encrypted,
                   Booking.person_id_number_encrypted, Relative.id_number_encrypted,
                   HomeVisit.address_encrypted):
        sample = session.scalar(select(column).where(column.is_not(None)).limit(1))
        if sample is None:
            continue
        try:
            fernet.decrypt(bytes(sample))
        except InvalidToken:
            return f"{column.class_.__tablename__}.{column.key}"
    return None
