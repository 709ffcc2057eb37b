"""What the 道路交通事故认定书（简易程序） says, as plain data: the PDF renderer draws exactly this.

Pure. ``server.services.determination`` fills it from the case and the officer's
decision; ``server.adapters.liability_pdf`` draws it (the preview and the issued
document come from the same renderer and the same data). The layout follows
``../shared/LIABILITY-FACTS.md`` (GA 40, as real police systems print it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: The review notice, in its current wording (146号 第七十一条; LIABILITY-FACTS.md).
REVIEW_NOTICE = ("当事人对交通事故认定有异议的，可以自道路交通事故认定书送达之日起三日内提出书面复核申请。"
                 "同一事故的复核以一次为限。损害赔偿有争议的，当事人可以申请人民调解委员会调解，"
                 "或者向人民法院提起民事诉讼。")
TITLE = "道路交通事故认定书（简易程序）"
SEAL_TEXT = "道路交通事故处理专用章"
NOT_MEDIATED = "未调解"


@dataclass(frozen=True)
class ViolationLine:
    code: str
    behaviour: str  # plain Chinese, e.g. 未与前车保持足以采取紧急制动措施的安全距离（追尾）
    article: str  # exact, e.g. 《中华人民共和国道路交通安全法》第四十三条


@dataclass(frozen=True)
class PartyBlock:
    label: str  # 甲 乙 丙 丁
    name: str
    id_number: str  # driving-licence or ID number, printed in full on the parties' own document
    phone: str
    mode_of_travel: str  # 交通方式, e.g. 驾驶小型轿车 / 驾驶电动自行车
    vehicle_type: str
    plate: str  # with its "·", e.g. 桂B·12345
    insurer: str
    policy_number: str
    responsibility: str  # full | major | equal | minor | none (kuaichu_protocol.liability.Responsibility)
    violations: tuple[ViolationLine, ...] = ()


@dataclass(frozen=True)
class LiabilityDocument:
    number: str  # 第 … 号; "预览" on a preview
    issuing_unit: str  # e.g. 柳州市公安局交通警察支队; also the seal's ring text
    accident_at: datetime | None  # local time
    weather: str  # 晴 阴 雨 雪 雾 其他, or ""
    place: str  # the address or district, and the coordinates
    parties: tuple[PartyBlock, ...]
    facts: str  # 交通事故事实, the officer's final wording
    officer_name: str
    officer_badge: str  # 警号
    issued_at: datetime  # local time; the date printed beside the officer
    verify_url: str  # the QR code's target, e.g. https://kc.example/v/KC2026-000001
    mediation: str = NOT_MEDIATED  # 损害赔偿调解结果
    preview: bool = False  # a preview carries a 预览 watermark and no valid number
    case_number: str = ""
    extra: dict[str, str] = field(default_factory=dict)
