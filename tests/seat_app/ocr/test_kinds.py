"""Kind detection from the words on the document."""
from __future__ import annotations

import pytest

from seat_app.services.ocr.kinds import detect_kind
from seat_app.services.ocr.results import DocumentKind


@pytest.mark.parametrize(
    ("lines", "kind"),
    [
        (["中华人民共和国机动车驾驶证", "姓名张三", "准驾车型C1"], DocumentKind.DRIVER_LICENCE),
        (["姓名张三", "初次领证日期2010-01-01", "准驾车型C1"], DocumentKind.DRIVER_LICENCE),  # title out of frame
        (["中华人民共和国机动车行驶证", "号牌号码川A12345"], DocumentKind.VEHICLE_LICENCE),
        (["号牌号码川A12345", "发动机号码K7TK363", "注册日期2020-01-01"], DocumentKind.VEHICLE_LICENCE),
        (["机动车交通事故责任强制保险单", "保险单号：PDZA1234567890"], DocumentKind.INSURANCE),
        (["保险期间 2024-01-01 至 2024-12-31", "号牌号码川A12345", "保险公司 中国人民财产保险股份有限公司"],
         DocumentKind.INSURANCE),
        (["事故现场", "川A12345"], DocumentKind.UNKNOWN),
        ([], DocumentKind.UNKNOWN),
    ],
)
def test_detect_kind(lines, kind):
    assert detect_kind(lines) == kind
