"""The compulsory-insurance insurers (``server/resources/insurers.toml``): recognising a party's insurer, its
hotline, and whether it takes the one-click claim report. Pure."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

PHONE_CHARS = set("0123456789-")


class InsurerTableError(ValueError):
    """The insurers file is malformed: the message names the entry."""


@dataclass(frozen=True)
class Insurer:
    code: str
    name: str
    aliases: tuple[str, ...]
    phone: str
    one_click: bool


@dataclass(frozen=True)
class InsurerTable:
    insurers: tuple[Insurer, ...]

    @classmethod
    def from_toml(cls, text: str) -> InsurerTable:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InsurerTableError(f"保险公司表不是合法的 TOML：{e}") from e
        insurers = []
        for code, entry in data.items():
            if not code.isascii() or not code.isupper() or not isinstance(entry, dict):
                raise InsurerTableError(f"保险公司代码 [{code}] 应为大写英文")
            name, phone = str(entry.get("name", "")).strip(), str(entry.get("phone", "")).strip()
            aliases = entry.get("aliases", [])
            if not name:
                raise InsurerTableError(f"保险公司 {code} 缺少 name")
            if not phone or not set(phone) <= PHONE_CHARS:
                raise InsurerTableError(f"保险公司 {code} 的 phone {phone!r} 不是电话号码")
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise InsurerTableError(f"保险公司 {code} 的 aliases 应为非空字符串的列表")
            if not isinstance(entry.get("one_click", False), bool):
                raise InsurerTableError(f"保险公司 {code} 的 one_click 应为 true 或 false")
            insurers.append(Insurer(code, name, tuple(a.strip() for a in aliases), phone, entry.get("one_click", False)))
        return cls(tuple(insurers))

    def by_code(self, code: str) -> Insurer | None:
        code = (code or "").strip().upper()
        return next((i for i in self.insurers if i.code == code), None)

    def match(self, code: str = "", written: str = "") -> Insurer | None:
        """The insurer by the registry's code, else by the longest full name or alias found in ``written``."""
        found = self.by_code(code)
        if found is not None:
            return found
        written = (written or "").strip()
        if not written:
            return None
        best: tuple[int, Insurer] | None = None
        for insurer in self.insurers:
            for label in (insurer.name, *insurer.aliases):
                if label.casefold() in written.casefold() and (best is None or len(label) > best[0]):
                    best = (len(label), insurer)
        return best[1] if best else None
