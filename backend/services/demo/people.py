"""The demo's people: Boshan residents and enterprises with plausible names, resident ID numbers
(GB 11643, with their check digit), mobile numbers and 统一社会信用代码, drawn from a seeded
random generator so that the same seed gives the same people. Everything made here goes through
the same checks and encryption as what a citizen types (`services.citizens`, `cases.Applicant`)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.cn import ric, uscc

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦")
GIVEN = ("建国 建华 国强 志强 志刚 永红 秀英 桂兰 玉兰 秀兰 凤英 淑珍 丽华 "
         "红梅 海燕 春梅 晓明 晓燕 文华 文静 俊杰 子涵 浩然 欣怡 雨桐 佳怡 "
         "梓轩 宇航 思远 嘉怡 明 伟 芳 敏 静 磊 洋 艳 勇 杰 娟 涛 超 霞 平 刚 "
         "军 丽 强 鹏 辉 华 琳 颖 健 斌 婷 倩 帅 博 凯 雪 慧 峰 鑫 亮 宁 越").split()
# Boshan's own code is only valid for people born after it was created (1983); older
# residents carry the city's.
BOSHAN, ZIBO = "370304", "370300"
MOBILE_PREFIXES = ("133", "135", "136", "138", "139", "150", "151", "152", "155", "157", "158",
                   "159", "176", "177", "178", "180", "185", "186", "187", "188", "189", "199")
ENTERPRISE_WORDS = ("鸿泰", "博瑞", "颜山", "琉璃", "陶源", "岳阳", "泰和", "金岭", "凤凰", "齐鲁",
                    "华信", "恒达", "鲁中", "鑫源", "瑞丰", "青峰")
ENTERPRISE_TRADES = ("陶瓷", "琉璃工艺", "机械制造", "商贸", "建筑工程", "新材料", "餐饮管理",
                     "物流", "电子科技", "农业开发")
ENTERPRISE_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
# The 统一社会信用代码's alphabet, as GB 32100 has it (no I, O, S, V, Z).
USCC_LETTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class Enterprise:
    name: str
    uscc: str


def person(rng: random.Random, today: date) -> Person:
    """A Boshan resident of 18 to 85."""
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    born = today - timedelta(days=rng.randint(18 * 366, 85 * 365))
    region = BOSHAN if born.year > 1983 else ZIBO
    body = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    id_number = body + ric.calc_check_digit(body + "0")
    phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
    return Person(name, id_number, phone)


def enterprise(rng: random.Random) -> Enterprise:
    name = ("淄博" + rng.choice(ENTERPRISE_WORDS) + rng.choice(ENTERPRISE_TRADES)
            + rng.choice(ENTERPRISE_FORMS))
    # 9 (registered with market regulation), 1 (an enterprise), Boshan, an organisation code.
    body = "91" + BOSHAN + "".join(rng.choice(USCC_LETTERS) for _ in range(9))
    return Enterprise(name, body + uscc.calc_check_digit(body))
