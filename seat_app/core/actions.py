"""Counts the operator's clicks and key presses per case.

The issue's target is at most 15 operator actions for a standard two-car case
after answering; the scripted flow test prints this count. Every UI entry point
that the operator triggers (button, shortcut, box click) records one action.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ActionLog:
    names: list[str] = field(default_factory=list)

    def record(self, name: str) -> None:
        self.names.append(name)

    def reset(self) -> None:
        self.names.clear()

    @property
    def count(self) -> int:
        return len(self.names)

    def summary(self) -> str:
        counts = Counter(self.names)
        return ", ".join(f"{name}×{n}" for name, n in counts.items())
