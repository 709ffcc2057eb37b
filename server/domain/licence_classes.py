"""Which driving-licence class (准驾车型) permits which vehicle type.

The classes and what each one also covers follow the Ministry of Public Security
order on driving licences (公安部令第162号, as amended 2021). Vehicle types are the
names printed on the vehicle licence (行驶证) and held by the registry
(GA 802 "机动车类型"). A licence may carry several classes, e.g. ``C1E``.
"""
from __future__ import annotations

import re
from enum import StrEnum

#: Classes a licence class also permits, besides itself.
_ALSO_PERMITS: dict[str, frozenset[str]] = {
    "A1": frozenset({"A3", "B1", "B2", "C1", "C2", "C3", "C4", "M"}),
    "A2": frozenset({"B1", "B2", "C1", "C2", "C3", "C4", "C6", "M"}),
    "A3": frozenset({"C1", "C2", "C3", "C4"}),
    "B1": frozenset({"C1", "C2", "C3", "C4", "M"}),
    "B2": frozenset({"C1", "C2", "C3", "C4", "M"}),
    "C1": frozenset({"C2", "C3", "C4"}),
    "C2": frozenset(),
    "C3": frozenset({"C4"}),
    "C4": frozenset(),
    "C5": frozenset(),
    "C6": frozenset(),
    "D": frozenset({"E", "F"}),
    "E": frozenset({"F"}),
    "F": frozenset(),
    "M": frozenset(),
    "N": frozenset(),
    "P": frozenset(),
}

KNOWN_CLASSES = frozenset(_ALSO_PERMITS)

_CLASS_TOKEN = re.compile(r"[ABC][1-6]|[DEFMNP]")


class Transmission(StrEnum):
    MANUAL = "manual"
    AUTOMATIC = "automatic"
    UNKNOWN = ""


#: Vehicle type -> the licence class that first covers it.
_VEHICLE_TYPE_CLASS: dict[str, str] = {
    "大型普通客车": "A1",
    "大型双层客车": "A1",
    "大型卧铺客车": "A1",
    "重型半挂牵引车": "A2",
    "中型半挂牵引车": "A2",
    "城市公交车": "A3",
    "中型普通客车": "B1",
    "重型普通货车": "B2",
    "中型普通货车": "B2",
    "重型厢式货车": "B2",
    "中型厢式货车": "B2",
    "小型普通客车": "C1",
    "小型轿车": "C1",
    "小型越野客车": "C1",
    "微型普通客车": "C1",
    "微型轿车": "C1",
    "轻型普通货车": "C1",
    "轻型厢式货车": "C1",
    "微型普通货车": "C1",
    "低速货车": "C3",
    "三轮汽车": "C4",
    "轻型牵引挂车": "C6",
    "普通三轮摩托车": "D",
    "普通二轮摩托车": "E",
    "轻便二轮摩托车": "F",
    "轻便三轮摩托车": "F",
    "轮式专用机械车": "M",
    "无轨电车": "N",
    "有轨电车": "P",
}

#: Small and micro cars that a C2 licence may drive when they are automatic.
_C2_TYPES = frozenset(t for t, c in _VEHICLE_TYPE_CLASS.items() if c == "C1")
#: Of those, the passenger cars that a C5 licence (disabled drivers) may drive.
_C5_TYPES = frozenset(t for t in _C2_TYPES if "货车" not in t)

KNOWN_VEHICLE_TYPES = frozenset(_VEHICLE_TYPE_CLASS)


def parse_classes(licence_class: str) -> frozenset[str]:
    """``"C1E"`` -> ``{"C1", "E"}``. Raises ValueError on anything that is not a class."""
    text = licence_class.strip().upper().replace(" ", "")
    tokens = _CLASS_TOKEN.findall(text)
    if not text or "".join(tokens) != text:
        raise ValueError(f"not a licence class: {licence_class!r}")
    unknown = set(tokens) - KNOWN_CLASSES
    if unknown:
        raise ValueError(f"unknown licence class {sorted(unknown)} in {licence_class!r}")
    return frozenset(tokens)


def permitted_classes(licence_class: str) -> frozenset[str]:
    """Every class the licence permits, including the ones its classes cover."""
    held = parse_classes(licence_class)
    return held.union(*(_ALSO_PERMITS[c] for c in held))


def permits(licence_class: str, vehicle_type: str, transmission: str = "") -> bool | None:
    """Whether the licence permits driving the vehicle.

    Returns None when the answer depends on something unknown: a vehicle type
    missing from the table, or whether the car is automatic for a C2/C5 holder.
    Raises ValueError for a malformed licence class.
    """
    classes = permitted_classes(licence_class)
    required = _VEHICLE_TYPE_CLASS.get(vehicle_type.strip())
    if required is None:
        return None
    if required in classes:
        return True
    automatic_classes = {"C2"} if vehicle_type in _C2_TYPES else set()
    if vehicle_type in _C5_TYPES:
        automatic_classes.add("C5")
    if not automatic_classes & classes:
        return False
    if transmission == Transmission.AUTOMATIC:
        return True
    if transmission == Transmission.MANUAL:
        return False
    return None
