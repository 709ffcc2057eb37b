"""The violation catalogue: what an officer may cite against a party, each with its exact article.

Pure: parses the text of ``server/resources/violations.toml`` (the services read the file
through ``server.resource_files``) and searches it. Every entry names its article twice, as
structured fields (law, 条, 款, 项) and as the printed citation; the parser refuses an entry
whose two forms disagree, so a typo in either never reaches a document.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The short names used in the file, and the titles printed on documents.
LAWS: dict[str, str] = {
    "道交法": "《中华人民共和国道路交通安全法》",
    "条例": "《中华人民共和国道路交通安全法实施条例》",
}
_CODE = re.compile(r"V\d{3}")
_KEYS = frozenset({"code", "behaviour", "law", "tiao", "kuan", "xiang", "article"})
_DIGITS = "零一二三四五六七八九"
MAX_RESULTS = 50


class CatalogueError(ValueError):
    """The catalogue file is unusable; the message names the entry."""


def chinese_number(n: int) -> str:
    """1..999 as written in article numbers: 十, 十二, 二十, 四十三, 一百零五."""
    if not 1 <= n <= 999:
        raise ValueError(f"article numbers run from 1 to 999, not {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (_DIGITS[ones] if ones else "")


def citation(law: str, tiao: int, kuan: int = 0, xiang: int = 0) -> str:
    """The printed article, e.g. 《中华人民共和国道路交通安全法实施条例》第三十八条第一款第（三）项."""
    text = f"{LAWS[law]}第{chinese_number(tiao)}条"
    if kuan:
        text += f"第{chinese_number(kuan)}款"
    if xiang:
        text += f"第（{chinese_number(xiang)}）项"
    return text


@dataclass(frozen=True)
class Violation:
    code: str  # V001, stable
    behaviour: str  # plain Chinese
    law: str  # 道交法 | 条例
    tiao: int  # 条
    kuan: int  # 款, 0 = the article as a whole
    xiang: int  # 项, 0 = none
    article: str  # the printed citation

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "behaviour": self.behaviour, "article": self.article}

    def matches(self, query: str) -> bool:
        """Whether ``query`` is part of the behaviour or the article (or the code, or the law's short name);
        a query of digits alone also finds the article of that number (``43`` finds 第四十三条)."""
        if query.isdigit():
            return int(query) == self.tiao
        return (query in self.behaviour or query in self.article or query in self.law
                or query.upper() == self.code)


@dataclass(frozen=True)
class ViolationCatalogue:
    entries: tuple[Violation, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(v.code for v in self.entries)

    def get(self, code: str) -> Violation | None:
        return next((v for v in self.entries if v.code == code), None)

    def search(self, query: str = "", limit: int = MAX_RESULTS) -> list[Violation]:
        """Entries whose behaviour or article holds every word of ``query`` (split on spaces), in file order;
        every entry for an empty query."""
        words = [w for w in re.split(r"[\s,，、]+", (query or "").strip()) if w]
        found = [v for v in self.entries if all(v.matches(w) for w in words)]
        return found[:limit]


def parse_catalogue(text: str) -> ViolationCatalogue:
    """The catalogue from the TOML text; raises CatalogueError naming the first bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"not valid TOML: {e}") from e
    rows = data.get("violation")
    if not isinstance(rows, list) or not rows:
        raise CatalogueError("no [[violation]] entries")
    entries: list[Violation] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, 1):
        entry = _entry(row, index)
        if entry.code in seen:
            raise CatalogueError(f"entry {index}: code {entry.code} appears twice")
        seen.add(entry.code)
        entries.append(entry)
    return ViolationCatalogue(tuple(entries))


def _entry(row: Mapping[str, Any], index: int) -> Violation:
    where = f"entry {index} ({row.get('code', '?')})" if isinstance(row, Mapping) else f"entry {index}"
    if not isinstance(row, Mapping):
        raise CatalogueError(f"{where}: not a table")
    if set(row) != _KEYS:
        wrong = sorted(set(row) ^ _KEYS)
        raise CatalogueError(f"{where}: missing or unknown keys: {', '.join(wrong)}")
    code, behaviour, law, article = row["code"], row["behaviour"], row["law"], row["article"]
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise CatalogueError(f"{where}: code must look like V001")
    if not isinstance(behaviour, str) or not behaviour.strip():
        raise CatalogueError(f"{where}: behaviour is empty")
    if law not in LAWS:
        raise CatalogueError(f"{where}: law must be one of {', '.join(LAWS)}")
    numbers = [row[k] for k in ("tiao", "kuan", "xiang")]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers) or not 1 <= numbers[0] <= 999 \
            or not all(0 <= n <= 99 for n in numbers[1:]):
        raise CatalogueError(f"{where}: tiao must be 1..999, kuan and xiang 0..99")
    expected = citation(law, *numbers)
    if article != expected:
        raise CatalogueError(f"{where}: article reads {article!r} but the fields say {expected!r}")
    return Violation(code, behaviour.strip(), law, *numbers, article)
