"""Who holds a case, who reads its parties in full, and what of an SMS nobody reads: tables of cases."""
from __future__ import annotations

import secrets

import pytest

from kuaichu_protocol.messages import CaseState as S
from server.domain.case_states import holds
from server.domain.masking import redact_sms, sees_personal_data

SEAT, OFFICER = 7, 9  # the operator who answered, the officer who took it


@pytest.mark.parametrize(("user_id", "seat", "officer", "expected"), [
    (SEAT, SEAT, None, True),
    (OFFICER, SEAT, OFFICER, True),
    (SEAT, SEAT, OFFICER, True),  # the operator keeps it while the officer decides (recordings, OCR)
    (8, SEAT, OFFICER, False),
    (SEAT, None, None, False),  # nobody answered it yet
    (None, None, None, False),  # a user id that is missing never matches an empty holder
])
def test_the_holder_is_the_seat_that_answered_or_the_officer_who_took_it(user_id, seat, officer, expected):
    assert holds(user_id, seat, officer) is expected


@pytest.mark.parametrize(("role", "user_id", "state", "expected"), [
    ("operator", SEAT, S.COLLECTING, True),
    ("operator", 8, S.COLLECTING, False),
    ("supervisor", 3, S.COLLECTING, False),
    ("admin", 1, S.COLLECTING, True),
    ("officer", 4, S.COLLECTING, False),
    ("officer", 4, S.ESCALATED, False),  # decided on the scene, not at a seat
    *[("officer", 4, state, True) for state in (S.AWAITING_LIABILITY, S.DETERMINED, S.CLOSED,
                                                 S.REVIEW_REQUESTED, S.REVIEWED, S.CLAIM_REPORTED)],
    ("operator", 8, S.AWAITING_LIABILITY, False),
    ("supervisor", 3, S.DETERMINED, False),
])
def test_parties_are_read_in_full_by_the_holder_deciding_officers_and_admins(role, user_id, state, expected):
    assert sees_personal_data(role, user_id, state.value, SEAT, None) is expected


def test_an_sms_keeps_its_case_number_and_loses_its_link_token_and_code():
    token = secrets.token_urlsafe(24)
    link = (f"【视频快处】您的交通事故（案件号 KC20261124-4BC42A）可在线视频处理。请在安全地点点击链接："
            f"https://kc.example/p/{token} ，24小时内有效。")
    assert redact_sms(link) == link.replace(token, "****")
    code = "【视频快处】验证码 482913，5 分钟内有效。工作人员不会向您索要验证码，请勿告诉他人。"
    assert redact_sms(code) == code.replace("482913", "****")
    plain = "【快处】您的事故（KC20261124-4BC42A）需民警到场处理。请拨打 13800138000 联系。"
    assert redact_sms(plain) == plain
    assert token not in redact_sms(f"令牌 {token}")  # a bare token, outside a link, too
