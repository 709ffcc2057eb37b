"""The insurer table and the SMS templates: the shipped files parse, and bad ones are refused by name."""
from __future__ import annotations

import pytest

from server.domain.insurers import InsurerTable, InsurerTableError
from server.domain.sms_templates import MAX_CHARS, NAMES, TYPICAL, SmsTemplates, TemplateError
from server.resource_files import resource


@pytest.fixture(scope="module")
def insurers() -> InsurerTable:
    return InsurerTable.from_toml(resource("insurers.toml").read_text(encoding="utf-8"))


def test_the_three_one_click_insurers_are_picc_cpic_and_ping_an(insurers):
    assert {i.code for i in insurers.insurers if i.one_click} == {"PICC", "CPIC", "PINGAN"}
    assert insurers.by_code("picc").phone == "95518"


@pytest.mark.parametrize("code, written, expected", [
    ("CPIC", "", "CPIC"),
    ("", "中国人民财产保险股份有限公司", "PICC"),
    ("", "太平洋保险", "CPIC"),
    ("", "太平财产保险有限公司成都分公司", "TAIPING"),
    ("", "平安产险", "PINGAN"),
    ("UNKNOWN", "阳光财产保险股份有限公司", "SUNSHINE"),
    ("", "某某保险", None),
    ("", "", None),
])
def test_an_insurer_is_found_by_code_then_by_the_longest_name_written(insurers, code, written, expected):
    found = insurers.match(code, written)
    assert (found.code if found else None) == expected


@pytest.mark.parametrize("text, says", [
    ('[picc]\nname = "x"\nphone = "1"\n', "大写"),
    ('[PICC]\nphone = "95518"\n', "name"),
    ('[PICC]\nname = "x"\nphone = "call us"\n', "phone"),
    ('[PICC]\nname = "x"\nphone = "95518"\naliases = "人保"\n', "aliases"),
    ('[PICC]\nname = "x"\nphone = "95518"\none_click = "yes"\n', "one_click"),
    ("[PICC\n", "TOML"),
])
def test_a_malformed_insurer_table_is_refused(text, says):
    with pytest.raises(InsurerTableError, match=says):
        InsurerTable.from_toml(text)


def test_every_sms_template_exists_carries_the_link_and_fits_one_message():
    templates = SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8"))
    assert set(templates.templates) == set(NAMES)
    for name in NAMES:
        text = templates.templates[name].safe_substitute(TYPICAL, link="https://kc.example/p/T")
        assert text.endswith("https://kc.example/p/T") and text.startswith("【视频快处】")
        assert len(text) - len("https://kc.example/p/T") <= MAX_CHARS


def _file(**overrides: str) -> str:
    values = {name: "【视频快处】$link" for name in NAMES} | overrides
    return "\n".join(f'{k} = "{v}"' for k, v in values.items())


@pytest.mark.parametrize("text, says", [
    (_file(sent_back="【视频快处】请补充证据"), r"\$link"),
    (_file(sent_back="【视频快处】$nobody $link"), "未知占位符"),
    (_file(sent_back="【视频快处】" + "很" * 80 + "$link"), "超过"),
    (_file() + '\nsurprise = "x"', "未知"),
    ("\n".join(f'{k} = "$link"' for k in NAMES[1:]), "缺少"),
])
def test_a_bad_template_file_is_refused_naming_the_template(text, says):
    with pytest.raises(TemplateError, match=says):
        SmsTemplates.from_toml(text)


def test_rendering_fills_every_placeholder_or_fails():
    templates = SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8"))
    text = templates.render("review_outcome", case="KC1", outcome="维持原认定", link="L")
    assert text == "【视频快处】事故（KC1）的复核结论：维持原认定。详情：L"
    with pytest.raises(KeyError):
        templates.render("review_outcome", case="KC1", link="L")
