"""Every word the seat shows for a key from the core (fields, evidence, checklist, call states).

Source strings are Simplified Chinese, the product language; an English build
loads resources/i18n/seat_en.qm (see seat_app/ui/i18n.py). ``translate`` needs
literal strings for pyside6-lupdate to find them, hence the tables of calls.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from seat_app.core.case import PARTY_LABELS
from seat_app.core.checklist import Item


def _t(text: str) -> str:
    return QCoreApplication.translate("labels", text)


def field_label(name: str) -> str:
    labels = {
        "driver_name": _t("驾驶人姓名"),
        "id_number": _t("身份证号"),
        "licence_class": _t("准驾车型"),
        "licence_valid_from": _t("驾驶证起始日期"),
        "licence_valid_until": _t("驾驶证有效期至"),
        "plate": _t("号牌号码"),
        "plate_colour": _t("号牌颜色"),
        "vehicle_type": _t("车辆类型"),
        "vin": _t("车辆识别代号"),
        "owner": _t("所有人"),
        "insurer": _t("保险公司"),
        "policy_number": _t("交强险保单号"),
        "insurance_valid_from": _t("保险起始日期"),
        "insurance_valid_until": _t("保险有效期至"),
        "phone": _t("手机号"),
    }
    return labels.get(name, name)


def group_label(group: str) -> str:
    return {"driver": _t("驾驶人"), "vehicle": _t("车辆"), "insurance": _t("交强险")}.get(group, group)


def check_label(check: str) -> str:
    return {"driver": _t("驾驶证"), "vehicle": _t("机动车"), "insurance": _t("交强险")}.get(check, check)


def party_name(position: int | None) -> str:
    if position is None:
        return ""
    if 1 <= position <= len(PARTY_LABELS):
        return _t("{0}方").format(_party_letter(position))
    return _t("第{0}方").format(position)


def _party_letter(position: int) -> str:
    letters = (_t("甲"), _t("乙"), _t("丙"), _t("丁"))
    return letters[position - 1]


def evidence_label(label: str, position: int | None = None) -> str:
    names = {
        "scene": _t("现场全景"),
        "impact": _t("碰撞部位"),
        "plate": _t("号牌"),
        "licence": _t("驾驶证"),
        "vehicle_licence": _t("行驶证"),
        "together": _t("各方同框"),
        "other": _t("其他照片"),
    }
    text = names.get(label, label)
    return f"{party_name(position)} {text}".strip() if position is not None else text


def kind_label(kind: str) -> str:
    return {"frame": _t("截图"), "photo": _t("原图")}.get(kind, kind)


def safety_label(tick: str) -> str:
    return {
        "hazard_lights": _t("已开启危险报警闪光灯"),
        "triangle": _t("已放置三角警告牌"),
        "off_carriageway": _t("人员已撤离到安全地带"),
    }.get(tick, tick)


def question_label(key: str) -> str:
    return {
        "injuries": _t("是否有人员受伤？"),
        "drink_drugs_flight": _t("驾驶人是否有饮酒、吸毒或逃逸情形？"),
        "vehicles_movable": _t("车辆能否自行移动？"),
        "motor_at_fault": _t("机动车一方是否应承担事故责任？"),
    }.get(key, key)


def answer_label(key: str, value: Any) -> str:
    if key == "injuries":
        return {"none": _t("无人受伤"), "minor": _t("轻微伤"), "serious": _t("有人受伤")}.get(value, str(value))
    if key == "vehicles_movable":
        return _t("能移动") if value else _t("不能移动")
    if key == "drink_drugs_flight":
        return _t("有") if value else _t("无")
    return _t("是") if value else _t("否")


def rule_label(key: str) -> str:
    return {
        "vehicle_count": _t("当事方数量"),
        "party_kinds": _t("事故类型"),
        "injuries": _t("人员伤亡"),
        "drink_drugs_flight": _t("饮酒、吸毒、逃逸"),
        "vehicles_movable": _t("车辆可移动"),
        "motor_at_fault": _t("机动车责任"),
        "service_hours": _t("服务时间"),
        "service_area": _t("服务区域"),
    }.get(key, key)


def section_label(section: str) -> str:
    return {"safety": _t("安全"), "evidence": _t("证据"), "verification": _t("核验"),
            "eligibility": _t("适用条件")}.get(section, section)


def checklist_text(item: Item) -> str:
    """The line the checklist shows for one item."""
    section, _, rest = item.key.partition(".")
    if section == "safety":
        return safety_label(rest)
    if section == "evidence":
        label, _, position = rest.partition(".")
        return evidence_label(label, int(position) if position.isdigit() else None)
    if section == "verification":
        return _t("{0}信息核验").format(party_name(item.position))
    if item.answer_key and item.status.value == "needs_answer":
        return question_label(item.answer_key)
    return rule_label(rest)


def call_state_text(state: str) -> str:
    return {
        "connecting": _t("正在连接…"),
        "connected": _t("通话中"),
        "interrupted": _t("视频中断，等待当事人继续处理"),
        "waiting": _t("当事人已离开，等待当事人继续处理"),
        "ended": _t("通话已结束"),
    }.get(state, state)


def action_text(action: str) -> str:
    """What failed, for an error line: "<action>失败：<server message>"."""
    return {
        "answer": _t("接听"), "capture": _t("截图"), "upload": _t("上传证据"), "photo": _t("获取原图"),
        "update_party": _t("保存当事人信息"), "add_party": _t("添加当事方"), "verify": _t("核验"),
        "answers": _t("保存问答"), "submit": _t("提交认定"), "escalate": _t("转现场处理"),
        "start_collection": _t("开始采集"), "refresh": _t("刷新案件"), "queue": _t("刷新队列"),
        "reattach": _t("重新接入"), "socket": _t("服务器连接"),
    }.get(action.split(":")[0], action)


def outcome_text(outcome: str) -> str:
    return {
        "submitted": _t("已提交责任认定，当事人已被告知撤离现场"),
        "escalated": _t("已转现场处理"),
        "lost": _t("该案件已由其他坐席接手"),
        "ended": _t("案件已关闭"),
        "shutdown": _t("案件已交回队列"),
    }.get(outcome, outcome)
