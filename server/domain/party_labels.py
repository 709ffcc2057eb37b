"""Parties are called 甲, 乙, 丙, 丁 by their position, as on the liability document."""
from __future__ import annotations

PARTY_LABELS = ("甲", "乙", "丙", "丁")


def party_label(position: int) -> str:
    """``1 -> "甲方"``; positions past 丁 fall back to a number."""
    if 1 <= position <= len(PARTY_LABELS):
        return f"{PARTY_LABELS[position - 1]}方"
    return f"第{position}方"
