"""The parties' SMS texts, from ``server/resources/sms_templates.toml``. Pure.

Every template must exist, carry ``$link``, name only known placeholders, and stay
within ``MAX_CHARS`` without the link; a bad file stops start-up with the template named.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from string import Template

NAMES = ("video_link", "dispatched", "sent_back", "document_issued", "review_received", "review_outcome",
         "claim_reported", "interrupted_timeout")
PLACEHOLDERS = frozenset({"case", "link", "hours", "document", "deadline", "outcome", "insurer", "reference"})
#: Characters of a template's text with its placeholders filled typically, the link left out.
MAX_CHARS = 70
#: What a filled placeholder is counted as when a template's length is checked (the link is not counted).
TYPICAL = {"case": "KC20261202-0001AB", "hours": "24", "document": "KC2026-000001", "deadline": "12月4日24时",
           "outcome": "维持原认定", "insurer": "中国人保", "reference": "RPT20261202001"}


class TemplateError(ValueError):
    """The templates file is malformed; the message names the template."""


@dataclass(frozen=True)
class SmsTemplates:
    templates: dict[str, Template]

    @classmethod
    def from_toml(cls, text: str) -> SmsTemplates:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise TemplateError(f"短信模板不是合法的 TOML：{e}") from e
        missing = [n for n in NAMES if n not in data]
        unknown = [n for n in data if n not in NAMES]
        if missing or unknown:
            raise TemplateError(f"短信模板缺少 {missing or '无'}，未知 {unknown or '无'}")
        templates = {}
        for name in NAMES:
            raw = data[name]
            if not isinstance(raw, str) or not raw.strip():
                raise TemplateError(f"短信模板 {name} 应为非空字符串")
            template = Template(raw.strip())
            used = set(template.get_identifiers())
            if not template.is_valid() or used - PLACEHOLDERS:
                raise TemplateError(f"短信模板 {name} 含未知占位符 {sorted(used - PLACEHOLDERS)}")
            if "link" not in used:
                raise TemplateError(f"短信模板 {name} 必须包含当事人的链接 $link")
            length = len(template.safe_substitute(TYPICAL, link=""))
            if length > MAX_CHARS:
                raise TemplateError(f"短信模板 {name} 不含链接有 {length} 个字，超过 {MAX_CHARS} 个字")
            templates[name] = template
        return cls(templates)

    def render(self, name: str, **values: str | int) -> str:
        """The text with every placeholder it uses filled; a placeholder left unfilled is a KeyError."""
        return self.templates[name].substitute({k: str(v) for k, v in values.items()})
