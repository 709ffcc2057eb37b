"""Fictional people, vehicles and policies for synthetic samples: valid in form, nobody real.

ID numbers and VINs carry correct check characters (the validators must accept the truth),
and plates follow the grammar for their colour.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from kuaichu_protocol import validators as v

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志刚海燕晓东春梅文博子涵雨欣浩然思远嘉怡宇轩梓萱俊杰欣怡"
REGIONS = ["110105", "310104", "440304", "510104", "330106", "320102", "420106", "610113", "370102", "500103"]
CITIES = ["北京市朝阳区", "上海市徐汇区", "广东省深圳市福田区", "四川省成都市锦江区", "浙江省杭州市西湖区",
          "江苏省南京市玄武区", "湖北省武汉市武昌区", "陕西省西安市雁塔区", "山东省济南市历下区", "重庆市渝中区"]
STREETS = ["幸福路", "建设大道", "人民南路", "和平街", "光明巷", "解放路", "长江路", "青年路", "朝阳街", "新华路"]
VEHICLE_TYPES = ["小型轿车", "小型普通客车", "小型越野客车", "中型普通客车", "轻型普通货车"]
MODELS = ["大众汽车牌SVW7152", "丰田牌TV7200", "本田牌HG7150", "比亚迪牌BYD7005", "吉利牌MR7152", "长安牌SC7164"]
INSURERS = ["中国人民财产保险股份有限公司", "中国太平洋财产保险股份有限公司", "中国平安财产保险股份有限公司",
            "中华联合财产保险股份有限公司", "阳光财产保险股份有限公司", "中国大地财产保险股份有限公司"]
LICENCE_CLASSES = ["C1", "C1", "C1", "C2", "B2", "A2", "A1", "B1", "C1E", "A2D"]
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def id_number(rng: random.Random, birth: date) -> str:
    first17 = rng.choice(REGIONS) + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return first17 + v.id_check_char(first17)


def vin(rng: random.Random) -> str:
    chars = list(rng.choice(["LSV", "LFV", "LGB", "LVS", "LHG", "LGX", "LDC", "LSG"]))
    chars += [rng.choice(v.VIN_CHARS) for _ in range(5)] + ["0"]
    chars += [rng.choice("ABCDEFGHJKLMNPRSTVWXY123456789")] + [rng.choice(v.VIN_CHARS)]
    chars += [rng.choice(v.DIGITS) for _ in range(6)]
    chars[8] = v.vin_check_char("".join(chars))
    return "".join(chars)


def day(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days))


def years_later(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def plate(rng: random.Random, colour: str) -> str:
    """A plate that fits the grammar for its colour."""
    head = rng.choice(v.PROVINCES) + rng.choice(LETTERS)
    if colour == "green":
        return head + rng.choice("DF") + rng.choice(v.SERIAL_CHARS) + "".join(rng.choice(v.DIGITS) for _ in range(4))
    if colour == "yellow" and rng.random() < 0.25:
        return head + "".join(rng.choice(v.DIGITS) for _ in range(4)) + rng.choice("学挂")
    serial = [rng.choice(v.DIGITS) for _ in range(5)]
    for position in rng.sample(range(5), rng.choice((0, 1, 1, 2))):
        serial[position] = rng.choice(LETTERS)
    return head + "".join(serial)


def address(rng: random.Random) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(STREETS)}{rng.randint(1, 300)}号"


def driving_licence(rng: random.Random) -> dict[str, str]:
    birth = day(rng, 1960, 2002)
    first = day(rng, max(birth.year + 18, 1990), 2022)
    valid_from = first + timedelta(days=365 * rng.choice((0, 6, 12)))
    return {
        "name": person_name(rng), "sex": rng.choice("男女"), "nationality": "中国",
        "address": address(rng), "id_number": id_number(rng, birth),
        "birth_date": birth.isoformat(), "first_issue_date": first.isoformat(),
        "licence_class": rng.choice(LICENCE_CLASSES), "valid_from": valid_from.isoformat(),
        "valid_until": years_later(valid_from, rng.choice((6, 10))).isoformat(),
    }


def vehicle_licence(rng: random.Random) -> dict[str, str]:
    registered = day(rng, 2008, 2024)
    return {
        "plate": plate(rng, rng.choice(("blue", "blue", "green"))), "vehicle_type": rng.choice(VEHICLE_TYPES),
        "owner": person_name(rng), "address": address(rng), "use_character": "非营运",
        "model": rng.choice(MODELS), "vin": vin(rng),
        "engine_number": "".join(rng.choice(LETTERS + v.DIGITS * 3) for _ in range(rng.choice((7, 8, 9)))),
        "registration_date": registered.isoformat(), "issue_date": registered.isoformat(),
    }


def insurance(rng: random.Random) -> dict[str, str]:
    start = day(rng, 2022, 2025)
    prefix = rng.choice(["PDZA", "ACHD", "AGUZ", ""])
    digits = 22 - len(prefix)
    return {
        "insurer": rng.choice(INSURERS),
        "policy_number": prefix + "".join(rng.choice(v.DIGITS) for _ in range(digits)),
        "insured": person_name(rng), "plate": plate(rng, "blue"), "vin": vin(rng),
        "valid_from": start.isoformat(),
        "valid_until": (years_later(start, 1) - timedelta(days=1)).isoformat(),
        "style": rng.choice(("policy", "policy", "sticker")),
    }
