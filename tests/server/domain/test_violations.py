"""The violation catalogue: the shipped file parses, covers LIABILITY-FACTS.md, and search finds by behaviour or article."""
from __future__ import annotations

import pytest

from server import resource_files
from server.domain.violations import CatalogueError, chinese_number, citation, parse_catalogue

SHIPPED = parse_catalogue(resource_files.resource("violations.toml").read_text(encoding="utf-8"))

#: Every article of LIABILITY-FACTS.md's table, as (law, 条, 款, 项); the catalogue must cite each.
FACTS_ARTICLES = {
    ("道交法", 43, 0, 0), ("道交法", 35, 0, 0), ("道交法", 38, 0, 0), ("条例", 38, 1, 3), ("条例", 38, 1, 1),
    ("条例", 38, 3, 0), ("条例", 51, 0, 1), ("条例", 51, 0, 2), ("条例", 51, 0, 7), ("道交法", 44, 0, 0),
    ("条例", 52, 0, 1), ("条例", 52, 0, 2), ("条例", 52, 0, 3), ("条例", 52, 0, 4), ("条例", 44, 2, 0),
    ("条例", 57, 0, 1), ("条例", 57, 0, 2), ("道交法", 43, 0, 1), ("道交法", 43, 0, 2), ("道交法", 43, 0, 3),
    ("道交法", 43, 0, 4), ("条例", 47, 0, 0), ("条例", 49, 1, 0), ("条例", 49, 2, 0), ("条例", 50, 0, 0),
    ("道交法", 45, 1, 0), ("条例", 53, 2, 0), ("道交法", 45, 2, 0), ("条例", 53, 3, 0), ("条例", 53, 1, 0),
    ("条例", 63, 0, 4), ("条例", 77, 0, 3), ("道交法", 56, 0, 0), ("条例", 63, 0, 0), ("条例", 48, 0, 2),
    ("条例", 48, 0, 3), ("条例", 48, 0, 4), ("条例", 62, 0, 3), ("道交法", 37, 0, 0), ("道交法", 42, 0, 0),
    ("条例", 45, 0, 0), ("条例", 46, 0, 0), ("条例", 67, 0, 0), ("道交法", 22, 1, 0),
}


def test_the_shipped_catalogue_covers_every_behaviour_of_the_facts_with_unique_codes():
    assert len(SHIPPED.entries) >= 31
    codes = [v.code for v in SHIPPED.entries]
    assert len(codes) == len(set(codes))
    assert {(v.law, v.tiao, v.kuan, v.xiang) for v in SHIPPED.entries} == FACTS_ARTICLES
    assert len({v.behaviour for v in SHIPPED.entries}) == len(SHIPPED.entries)


def test_coasting_in_neutral_is_not_the_door_article():
    """条例 第六十二条第（四）项 is coasting downhill; doors are 第六十三条第（四）项 (LIABILITY-FACTS.md)."""
    doors = SHIPPED.search("开关车门")
    assert {v.article for v in doors} == {"《中华人民共和国道路交通安全法实施条例》第六十三条第（四）项",
                                          "《中华人民共和国道路交通安全法实施条例》第七十七条第（三）项"}


@pytest.mark.parametrize("query, expected", [
    ("追尾", {"V001"}),
    ("四十三", {"V001", "V019", "V020", "V021", "V022"}),
    ("43", {"V001", "V019", "V020", "V021", "V022"}),
    ("第三十八条", {"V003", "V004", "V005", "V006"}),
    ("第三十八条第一款第（三）项", {"V004"}),
    ("倒车", {"V026"}),
    ("条例 超速", {"V042"}),
    ("v004", {"V004"}),
    ("没有这种行为", set()),
])
def test_search_by_part_of_the_behaviour_or_the_article(query, expected):
    assert {v.code for v in SHIPPED.search(query)} == expected


def test_an_empty_query_lists_the_catalogue_in_file_order():
    assert [v.code for v in SHIPPED.search("")] == [v.code for v in SHIPPED.entries][:50]


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (43, "四十三"),
                                     (100, "一百"), (105, "一百零五"), (112, "一百一十二")])
def test_article_numbers_are_written_as_the_laws_write_them(n, text):
    assert chinese_number(n) == text


def test_the_printed_citation():
    assert citation("条例", 38, 1, 3) == "《中华人民共和国道路交通安全法实施条例》第三十八条第一款第（三）项"
    assert citation("道交法", 43) == "《中华人民共和国道路交通安全法》第四十三条"
    assert citation("条例", 57, 0, 2) == "《中华人民共和国道路交通安全法实施条例》第五十七条第（二）项"


ENTRY = '[[violation]]\ncode = "V001"\nbehaviour = "倒车"\nlaw = "条例"\ntiao = 50\nkuan = 0\nxiang = 0\narticle = "{}"\n'


@pytest.mark.parametrize("text, named", [
    (ENTRY.format("《中华人民共和国道路交通安全法实施条例》第五十一条"), "the fields say"),
    (ENTRY.format("x").replace('law = "条例"', 'law = "刑法"'), "law must be"),
    (ENTRY.format("x").replace('code = "V001"', 'code = "1"'), "code must"),
    (ENTRY.format("x").replace("tiao = 50\n", ""), "missing or unknown keys: tiao"),
    (ENTRY.format("《中华人民共和国道路交通安全法实施条例》第五十条") * 2, "appears twice"),
    ("title = 1\n", r"no \[\[violation\]\]"),
])
def test_a_bad_entry_is_refused_with_its_fault_named(text, named):
    with pytest.raises(CatalogueError, match=named):
        parse_catalogue(text)
