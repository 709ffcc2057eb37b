"""Standard instructions the operator sends to the phone.

These are sent to the driver's phone, whose page is Chinese whatever language the
seat runs in, so the text itself stays Chinese. The key groups them in the UI.
"""
from __future__ import annotations

from dataclasses import dataclass

LEAVE_SCENE = "leave_scene"


@dataclass(frozen=True)
class Phrase:
    key: str
    group: str  # safety | show | finish
    text: str


PHRASES: tuple[Phrase, ...] = (
    Phrase("hazard_lights", "safety", "请打开危险报警闪光灯（双闪）。"),
    Phrase("triangle", "safety", "请在来车方向 50 米以外放置三角警告牌。"),
    Phrase("off_road", "safety", "请所有人员撤离到护栏外或路边安全地带。"),
    Phrase("show_scene", "show", "请后退几步，拍摄事故现场全景，让两车都在画面里。"),
    Phrase("show_impact", "show", "请对准车辆碰撞部位拍摄。"),
    Phrase("show_plate", "show", "请对准车辆号牌，保持手机稳定。"),
    Phrase("show_licence", "show", "请出示驾驶证，平放并对准镜头。"),
    Phrase("show_vehicle_licence", "show", "请出示行驶证，平放并对准镜头。"),
    Phrase("show_together", "show", "请让两车号牌同时出现在画面中。"),
    Phrase(LEAVE_SCENE, "finish", "信息已采集完毕，请立即撤离现场，恢复交通。"),
)


def phrase(key: str) -> Phrase:
    return next(p for p in PHRASES if p.key == key)


_PARTY = ("甲", "乙", "丙", "丁")
_SHOT_TEXT = {
    "scene": "请后退几步，拍摄事故现场全景，让各方车辆都在画面里。",
    "impact": "请对准车辆碰撞部位拍摄。",
    "plate": "请对准{party}车辆的号牌，保持手机稳定。",
    "licence": "请出示{party}驾驶人的驾驶证，平放并对准镜头。",
    "vehicle_licence": "请出示{party}车辆的行驶证，平放并对准镜头。",
    "insurance": "请出示{party}车辆的交强险保单，平放并对准镜头。",
    "together": "请让各方车辆号牌同时出现在画面中。",
}


def shot_instruction(label: str, position: int | None = None) -> str:
    """What the driver is asked to point the camera at for the operator's next shot (下一张)."""
    party = f"{_PARTY[position - 1]}方" if position and 1 <= position <= len(_PARTY) else "该"
    return _SHOT_TEXT.get(label, "请按坐席提示对准镜头。").format(party=party)
