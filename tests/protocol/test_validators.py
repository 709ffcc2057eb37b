"""Table-driven checks of the shared validators: each row is a case an operator could meet."""
from __future__ import annotations

from datetime import date

import pytest

from kuaichu_protocol import validators as v


@pytest.mark.parametrize(
    ("text", "ok", "kind"),
    [
        ("川A·12345", True, "standard"),
        ("京N8P8F8", True, "standard"),
        ("沪AB1234", True, "standard"),
        ("粤B·D12345", True, "new_energy_small"),
        ("粤BFA1234", True, "new_energy_small"),
        ("粤B12345D", True, "new_energy_large"),
        ("苏E1234学", True, "suffix"),
        ("京A1234警", True, "suffix"),
        ("浙A1234挂", True, "suffix"),
        ("粤Z·1234港", True, "hong_kong_macao"),
        ("粤Z1A34澳", True, "hong_kong_macao"),
        ("粤A1234港", False, ""),  # 港/澳 only on 粤Z
        ("皖AIR123", False, ""),  # I in the serial
        ("皖A0O123", False, ""),  # O in the serial
        ("皖1A2345", False, ""),  # second character must be a letter
        ("XA12345", False, ""),  # no province
        ("台A12345", False, ""),  # not a mainland plate province
        ("川A1234", False, ""),  # too short
        ("川A123456", False, ""),  # 8 characters but not a new-energy shape
        ("粤BX12345", False, ""),  # X is not an energy-type letter
        ("粤BD1234A", False, ""),  # small new-energy plates end in four digits
        ("", False, ""),
    ],
)
def test_plate_grammar(text, ok, kind):
    check = v.check_plate(text)
    assert (check.ok, check.kind) == (ok, kind)
    assert check.ok or check.reason


def test_plate_normalisation_drops_separator_and_upper_cases():
    assert v.check_plate("川a·12345").text == "川A12345"


def test_every_province_is_accepted_and_only_provinces():
    assert len(v.PROVINCES) == 31 == len(set(v.PROVINCES))
    assert all(v.is_valid_plate(p + "A12345") for p in v.PROVINCES)


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("11010519491231002X", True),  # the example in GB 11643 itself
        ("11010519491231002x", True),
        ("440304199003078714", True),
        ("440304199003078715", False),  # wrong check digit
        ("11010519491331002X", False),  # month 13
        ("110105194902300021", False),  # 30 February
        ("99010519491231002X", False),  # no region 99
        ("11010521990101002X", False),  # born in the future
        ("11010519491231002", False),  # 17 characters
        ("1101051949123100XX", False),
    ],
)
def test_id_number(number, ok):
    assert v.is_valid_id_number(number) is ok


def test_id_check_char_is_computed_not_looked_up():
    first17 = "44030419900307871"
    assert v.id_check_char(first17) == "4"
    for wrong in "0123567899X":
        if wrong != "4":
            assert not v.is_valid_id_number(first17 + wrong)


def test_id_birth_date_is_judged_against_today():
    assert not v.check_id_number("440304202506010016", today=date(2024, 1, 1)).ok


@pytest.mark.parametrize(
    ("vin", "ok"),
    [
        ("1M8GDM9AXKP042788", True),  # the ISO 3779 textbook example, check digit X
        ("11111111111111111", True),
        ("LSVAM4187C2184847", True),
        ("LSVAM4180C2184847", False),  # wrong check digit
        ("LSVAM4187C218484", False),  # 16 characters
        ("LSVAM4187C21848I7", False),  # I is never used
        ("LSVAM4187C21848O7", False),
        ("LSVAM4187C21848Q7", False),
    ],
)
def test_vin(vin, ok):
    assert v.is_valid_vin(vin) is ok


def test_vin_transliteration_table_covers_exactly_the_vin_alphabet():
    assert set(v.VIN_TRANSLITERATION) == set(v.VIN_CHARS)
    assert not set("IOQ") & set(v.VIN_CHARS)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("C1", ["C1"]),
        ("A1", ["A1"]),
        ("B2", ["B2"]),
        ("c2", ["C2"]),
        ("A2D", ["A2", "D"]),
        ("C1E", ["C1", "E"]),
        ("A1A2", ["A1", "A2"]),
        ("D", ["D"]),
        ("P", ["P"]),
        ("C7", None),
        ("B3", None),
        ("C1C1", None),
        ("X", None),
        ("", None),
    ],
)
def test_licence_classes(text, codes):
    assert v.parse_licence_classes(text) == codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-05-20", date(2016, 5, 20)),
        ("2016.05.20", date(2016, 5, 20)),
        ("2016年5月20日", date(2016, 5, 20)),
        ("有效期限 2016-05-20至2026-05-20", date(2016, 5, 20)),
        ("2016-02-30", None),
        ("no date", None),
    ],
)
def test_parse_date(text, expected):
    assert v.parse_date(text) == expected


def test_find_dates_reads_a_validity_period():
    assert v.find_dates("自2024年01月01日0时起至2025年01月01日0时止") == [date(2024, 1, 1), date(2025, 1, 1)]


@pytest.mark.parametrize(
    ("text", "ok"),
    [("PDZA202411010000012345", True), ("6010300220240000123456", True), ("ABC", False), ("ABCDEFGHIJKL", False)],
)
def test_policy_number(text, ok):
    assert v.is_plausible_policy_number(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [("张三", True), ("欧阳明华", True), ("买买提·艾力", True), ("张", False), ("Zhang", False), ("张3", False)],
)
def test_person_name(text, ok):
    assert v.is_plausible_person_name(text) is ok


@pytest.mark.parametrize(
    ("text", "colour", "rows", "aspect", "plate_type"),
    [
        ("川A·12345", "blue", 1, None, "small_car"),
        ("川A12345", None, 1, None, "small_car"),  # no colour: the text alone cannot tell a lorry
        ("川A12345", "yellow", 1, None, "large_vehicle"),  # a lorry's front
        ("川A12345", "yellow", 2, 2.0, "large_vehicle"),  # its rear, 440x220
        ("川A12345", "yellow", 2, 1.82, "low_speed"),  # 300x165
        ("川A12345", "yellow", 2, 1.57, "motorcycle"),  # 220x140
        ("川A1234挂", "yellow", 1, None, "trailer"),
        ("川A1234学", "yellow", 1, None, "coach"),
        ("川A1234警", "white", 1, None, "police"),
        ("使014·578", "black", 1, None, "embassy"),
        ("沪A·1234领", "black", 1, None, "consulate"),
        ("粤Z·1234港", "black", 1, None, "hong_kong_macao"),
        ("粤Z1A34澳", "black", 1, None, "hong_kong_macao"),
        ("粤B·D12345", "green", 1, None, "new_energy_small"),
        ("粤BF1234", None, 1, None, "small_car"),  # 7 characters: an ordinary plate whose serial starts with F
        ("粤B12345F", "green", 1, None, "new_energy_large"),
        ("鲁01·12345", "green", 2, None, "agricultural"),
        ("川A·12345临", "white", 1, None, "temporary"),
        ("川A·1234应急", "yellow", 1, None, "emergency"),
        ("WJ京·1234X", "white", 2, None, "armed_police"),
        ("WJ01·12345", "white", 2, None, "armed_police"),  # the province as two red digits
        ("民航·A1234", "white", 1, None, "civil_aviation"),
        ("VA·12345", "white", 1, None, "military"),
        ("XA12345", "white", 1, None, ""),  # X names no military branch
        ("WJ台12345", "white", 1, None, ""),
        ("使01457", "black", 1, None, ""),  # an embassy plate has six digits
        ("川A12345领", "black", 1, None, ""),  # a consulate's serial is four digits
    ],
)
def test_every_plate_type_is_known_and_classified(text, colour, rows, aspect, plate_type):
    assert v.plate_type(text, colour, rows, aspect) == plate_type
    assert v.is_valid_plate(text) is bool(plate_type)
    if plate_type:
        assert plate_type in v.PLATE_TYPES and v.check_plate(text, colour, rows).plate_type in v.PLATE_TYPES


def test_every_plate_type_has_a_template_and_a_chinese_name():
    reachable = {v.check_plate(example).plate_type for example in (
        "川A12345", "川A1234挂", "川A1234学", "川A1234警", "使014578", "沪A1234领", "粤Z1234港", "粤BD12345",
        "粤B12345F", "鲁0112345", "川A12345临", "川A1234应急", "WJ京1234X", "民航A1234", "VA12345")}
    two_row = {v.plate_type("川A12345", "yellow", 2, a) for a in (2.0, 1.82, 1.57)} | {v.plate_type("川A12345", "yellow")}
    assert reachable | two_row == set(v.PLATE_TYPES)
    assert all("\u4e00" <= name[0] <= "\u9fff" for name in v.PLATE_TYPES.values())
