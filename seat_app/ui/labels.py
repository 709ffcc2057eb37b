"""Every word the seat shows for a key from the core (fields, evidence, checklist, call states).

Source strings are Simplified Chinese, the product language; an English build
loads seat_app/resources/i18n/seat_en.qm (see seat_app/ui/i18n.py). pyside6-lupdate only
finds literal ``translate("labels", "...")`` calls, hence the tables of calls.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from kuaichu_protocol.validators import plate_type
from seat_app.core.case import PARTY_LABELS
from seat_app.core.checklist import Item


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def field_label(name: str) -> str:
    labels = {
        "driver_name": translate("labels", "驾驶人姓名"),
        "id_number": translate("labels", "身份证号"),
        "licence_class": translate("labels", "准驾车型"),
        "licence_valid_from": translate("labels", "驾驶证起始日期"),
        "licence_valid_until": translate("labels", "驾驶证有效期至"),
        "plate": translate("labels", "号牌号码"),
        "plate_colour": translate("labels", "号牌颜色"),
        "vehicle_type": translate("labels", "车辆类型"),
        "vin": translate("labels", "车辆识别代号"),
        "owner": translate("labels", "所有人"),
        "insurer": translate("labels", "保险公司"),
        "policy_number": translate("labels", "交强险保单号"),
        "insurance_valid_from": translate("labels", "保险起始日期"),
        "insurance_valid_until": translate("labels", "保险有效期至"),
        "phone": translate("labels", "手机号"),
    }
    return labels.get(name, name)


def _plate_colours() -> dict[str, str]:
    return {
        "blue": translate("labels", "蓝"), "yellow": translate("labels", "黄"), "green": translate("labels", "绿"),
        "white": translate("labels", "白"), "black": translate("labels", "黑"),
        "yellow_green": translate("labels", "黄绿"), "gradient_green": translate("labels", "渐变绿"),
    }


def plate_colour_label(code: str, plate: str = "") -> str:
    """The colour as the operator says it; the stored code (blue, green...) stays what the registry speaks.
    A small new-energy plate's green is the gradient one (渐变绿), a large one's is 黄绿."""
    code = code.strip().lower()
    if code == "green" and plate:
        code = {"new_energy_small": "gradient_green", "new_energy_large": "yellow_green"}.get(
            plate_type(plate, "green"), code)
    return _plate_colours().get(code, code)


def plate_colour_code(text: str) -> str:
    """What the operator typed or saw (蓝, 蓝色, 渐变绿, blue) -> the stored code; anything else as typed."""
    text = text.strip()
    words = {label: code for code, label in _plate_colours().items()}
    words.update({"蓝": "blue", "黄": "yellow", "绿": "green", "白": "white", "黑": "black", "黄绿": "yellow_green",
                  "渐变绿": "green"})  # the registry has one green; the plate tells which
    bare = text[:-1] if text.endswith("色") and len(text) > 1 else text
    if bare in words:
        return "green" if words[bare] == "gradient_green" else words[bare]
    return text.lower() if text.isascii() else text


def field_display(name: str, value: str, plate: str = "") -> str:
    """A stored field value as the form shows it."""
    return plate_colour_label(value, plate) if name == "plate_colour" and value else value


def field_value(name: str, text: str) -> str:
    """What the form shows -> the value stored (the inverse of field_display)."""
    return plate_colour_code(text) if name == "plate_colour" and text else text


def group_label(group: str) -> str:
    return {"driver": translate("labels", "驾驶人"), "vehicle": translate("labels", "车辆"), "insurance": translate("labels", "交强险")}.get(group, group)


def check_label(check: str) -> str:
    return {"driver": translate("labels", "驾驶证", "registry check"), "vehicle": translate("labels", "机动车"),
            "insurance": translate("labels", "交强险")}.get(check, check)


def party_name(position: int | None) -> str:
    if position is None:
        return ""
    if 1 <= position <= len(PARTY_LABELS):
        return translate("labels", "{0}方").format(_party_letter(position))
    return translate("labels", "第{0}方").format(position)


def _party_letter(position: int) -> str:
    letters = (translate("labels", "甲"), translate("labels", "乙"), translate("labels", "丙"), translate("labels", "丁"))
    return letters[position - 1]


def evidence_label(label: str, position: int | None = None) -> str:
    names = {
        "scene": translate("labels", "现场全景"),
        "impact": translate("labels", "碰撞部位"),
        "plate": translate("labels", "号牌"),
        "licence": translate("labels", "驾驶证"),
        "vehicle_licence": translate("labels", "行驶证"),
        "insurance": translate("labels", "交强险保单"),
        "together": translate("labels", "各方同框"),
        "other": translate("labels", "其他照片"),
    }
    text = names.get(label, label)
    return f"{party_name(position)} {text}".strip() if position is not None else text


def kind_label(kind: str) -> str:
    return {"frame": translate("labels", "截图"), "photo": translate("labels", "原图")}.get(kind, kind)


def safety_label(tick: str) -> str:
    return {
        "hazard_lights": translate("labels", "已开启危险报警闪光灯"),
        "triangle": translate("labels", "已放置三角警告牌"),
        "off_carriageway": translate("labels", "人员已撤离到安全地带"),
    }.get(tick, tick)


def question_label(key: str) -> str:
    return {
        "injuries": translate("labels", "是否有人员受伤？"),
        "drink_drugs_flight": translate("labels", "驾驶人是否有饮酒、吸毒或逃逸情形？"),
        "vehicles_movable": translate("labels", "车辆能否自行移动？"),
        "motor_at_fault": translate("labels", "机动车一方是否应承担事故责任？"),
    }.get(key, key)


def answer_label(key: str, value: Any) -> str:
    if key == "injuries":
        return {"none": translate("labels", "无人受伤"), "minor": translate("labels", "轻微伤"), "serious": translate("labels", "有人受伤")}.get(value, str(value))
    if key == "vehicles_movable":
        return translate("labels", "能移动") if value else translate("labels", "不能移动")
    if key == "drink_drugs_flight":
        return translate("labels", "有") if value else translate("labels", "无")
    return translate("labels", "是") if value else translate("labels", "否")


def rule_label(key: str) -> str:
    return {
        "vehicle_count": translate("labels", "当事方数量"),
        "party_kinds": translate("labels", "事故类型"),
        "injuries": translate("labels", "人员伤亡"),
        "drink_drugs_flight": translate("labels", "饮酒、吸毒、逃逸"),
        "vehicles_movable": translate("labels", "车辆可移动"),
        "motor_at_fault": translate("labels", "机动车责任"),
        "service_hours": translate("labels", "服务时间"),
        "service_area": translate("labels", "服务区域"),
    }.get(key, key)


def section_label(section: str) -> str:
    return {"safety": translate("labels", "安全"), "evidence": translate("labels", "证据"), "verification": translate("labels", "核验"),
            "eligibility": translate("labels", "适用条件")}.get(section, section)


def checklist_text(item: Item) -> str:
    """The line the checklist shows for one item."""
    section, _, rest = item.key.partition(".")
    if section == "safety":
        return safety_label(rest)
    if section == "evidence":
        label, _, position = rest.partition(".")
        return evidence_label(label, int(position) if position.isdigit() else None)
    if section == "verification" and rest.startswith("shared."):
        return shared_identifier_text(rest.split(".")[1], item.positions)
    if section == "verification":
        return translate("labels", "{0}信息核验").format(party_name(item.position))
    if item.answer_key and item.status.value == "needs_answer":
        return question_label(item.answer_key)
    return rule_label(rest)


def shared_identifier_text(name: str, positions: tuple[int, ...]) -> str:
    """甲方与乙方的车辆识别代号相同：the checklist's error for one identifier on several parties."""
    parties = [party_name(p) for p in positions]
    joined = translate("labels", "、").join(parties[:-1])
    return translate("labels", "{0}与{1}的{2}相同：同一{2}不能属于两方，请改正后再提交").format(
        joined, parties[-1], field_label(name))


def call_state_text(state: str) -> str:
    return {
        "connecting": translate("labels", "正在连接…"),
        "connected": translate("labels", "通话中"),
        "interrupted": translate("labels", "视频中断，等待当事人继续处理"),
        "waiting": translate("labels", "当事人已离开，等待当事人继续处理"),
        "ended": translate("labels", "通话已结束"),
    }.get(state, state)


def action_text(action: str) -> str:
    """What failed, for an error line: "<action>失败：<server message>"."""
    return {
        "answer": translate("labels", "接听"), "capture": translate("labels", "截图"), "upload": translate("labels", "上传证据"), "photo": translate("labels", "获取原图"),
        "update_party": translate("labels", "保存当事人信息"), "add_party": translate("labels", "添加当事方"), "verify": translate("labels", "核验"),
        "answers": translate("labels", "保存问答"), "submit": translate("labels", "提交认定"), "escalate": translate("labels", "转现场处理"),
        "start_collection": translate("labels", "开始采集"), "refresh": translate("labels", "刷新案件"), "queue": translate("labels", "刷新队列"),
        "reattach": translate("labels", "重新接入"), "socket": translate("labels", "服务器连接"),
        "instruct": translate("labels", "推送提示"),
        "command": translate("labels", "手机操作"),
    }.get(action.split(":")[0], action)


def command_error_text(code: str) -> str:
    """Why the phone did not carry out a data-channel command, for "手机操作失败：…" (never the code itself)."""
    return {
        "timeout": translate("labels", "手机没有响应"),
        "unsupported": translate("labels", "这部手机或当前摄像头不支持"),
        "not_connected": translate("labels", "与手机的连接尚未建立"),
        "closed": translate("labels", "通话已结束"),
        "not_ready": translate("labels", "手机还没有画面"),
    }.get(code, translate("labels", "手机未能完成"))


def outcome_text(outcome: str) -> str:
    return {
        "submitted": translate("labels", "已提交责任认定，当事人已被告知撤离现场"),
        "escalated": translate("labels", "已转现场处理"),
        "lost": translate("labels", "该案件已由其他坐席接手"),
        "ended": translate("labels", "案件已关闭"),
        "shutdown": translate("labels", "案件已交回队列"),
    }.get(outcome, outcome)
