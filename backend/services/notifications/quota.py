"""Subscriptions (docs/wechat.md): the subscribe-message templates a citizen or staff member may
be asked for, what they accepted, and the quota left. Each accept of a one-time template allows
one message of it (the dispatcher spends it), up to a cap; a long-term template needs none."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ...domain.message_templates import TemplateSpec
from ...errors import InvalidInput
from ...extensions import upsert_insert
from ...models import SubscriptionQuota


@dataclass(frozen=True)
class Subscriptions:
    templates: dict[str, str]
    quota: dict[str, int]
    long_term: list[str]


def subscriptions(session: Session, openid: str, templates: Mapping[str, TemplateSpec],
                  keys: Iterable[str]) -> Subscriptions:
    """The templates (of `keys`) the mini-program may ask for, with the quota left of each
    one-time template and the long-term ones (no quota needed)."""
    offered = {key: templates[key] for key in keys if key in templates}
    held = dict(session.execute(select(SubscriptionQuota.template_key, SubscriptionQuota.quota)
                                .where(SubscriptionQuota.openid == openid)).all())
    return Subscriptions(
        templates={key: spec.id for key, spec in offered.items()},
        quota={key: held.get(key, 0) for key, spec in offered.items() if not spec.long_term},
        long_term=[key for key, spec in offered.items() if spec.long_term])


def accept_subscriptions(session: Session, openid: str, accepted: list[str],
                         templates: Mapping[str, TemplateSpec], keys: Iterable[str],
                         now: datetime, *, cap: int) -> Subscriptions:
    """Record what `wx.requestSubscribeMessage` reported accepted: each one-time template
    accepted allows one more message of it, counted once however often the list repeats it
    (one call grants one of each), and never beyond `cap` (SUBSCRIPTION_QUOTA_MAX): a quota
    above it, written before it existed, comes down to it. A key not offered is refused,
    nothing recorded."""
    keys = tuple(keys)
    unknown = [key for key in accepted if key not in keys or key not in templates]
    if unknown:
        raise InvalidInput("未知的订阅消息模板", {"accepted": [f"未知的模板键 {key}"
                                                            for key in unknown]})
    for key in dict.fromkeys(accepted):   # once per key: one accept per key per request
        if templates[key].long_term:
            continue
        statement = upsert_insert(session, SubscriptionQuota).values(
            openid=openid, template_key=key, quota=1, updated_at=now)
        session.execute(statement.on_conflict_do_update(
            index_elements=["openid", "template_key"],
            set_={"quota": case((SubscriptionQuota.quota < cap, SubscriptionQuota.quota + 1),
                                else_=cap),
                  "updated_at": now}))
    return subscriptions(session, openid, templates, keys)
