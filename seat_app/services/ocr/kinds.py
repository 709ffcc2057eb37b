"""Tell which document a picture shows, from the words printed on it.

Every kind carries fixed wording: a title and its field labels. Counting which kind's
words appear among the recognised lines is cheap (the lines are read anyway to fill the
fields) and works whatever the layout, which varies between print runs and between the
policy and the windscreen sticker of 交强险.
"""
from __future__ import annotations

from collections.abc import Iterable

from .results import DocumentKind

# Word -> weight. Titles weigh most; labels shared by two kinds (号牌号码) weigh least.
KIND_WORDS: dict[DocumentKind, dict[str, float]] = {
    DocumentKind.DRIVER_LICENCE: {
        "驾驶证": 3, "准驾车型": 2, "初次领证": 2, "领证日期": 1, "证号": 1, "国籍": 1, "Driving": 1,
    },
    DocumentKind.VEHICLE_LICENCE: {
        "行驶证": 3, "发动机号": 2, "使用性质": 2, "品牌型号": 2, "注册日期": 2, "车辆类型": 1,
        "所有人": 1, "发证日期": 1, "车辆识别代号": 0.5, "号牌号码": 0.5, "Vehicle": 1,
    },
    DocumentKind.INSURANCE: {
        "强制保险": 3, "交强险": 3, "保险单": 2, "保险期间": 2, "保单号": 2, "被保险人": 2, "保险人": 1,
        "保险公司": 1, "号牌号码": 0.5, "车辆识别代号": 0.5,
    },
}
MIN_SCORE = 2.0  # at least a title, or two labels


def kind_scores(texts: Iterable[str]) -> dict[DocumentKind, float]:
    joined = "\n".join(texts)
    return {kind: sum(w for word, w in words.items() if word in joined) for kind, words in KIND_WORDS.items()}


def detect_kind(texts: Iterable[str]) -> DocumentKind:
    """The document kind whose wording the lines carry most, or UNKNOWN if none clearly."""
    scores = kind_scores(texts)
    kind, score = max(scores.items(), key=lambda item: item[1])
    return kind if score >= MIN_SCORE else DocumentKind.UNKNOWN
