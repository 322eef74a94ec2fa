"""Chinese display names for codes that the marts carry as codes. Unknown codes are shown as they are."""

from __future__ import annotations

UNIT_KINDS: dict[str, str] = {
    "township": "乡镇",
    "member_unit": "成员单位",
    "village": "村（社区）",
    "district": "全区",
    "police_station": "派出所",
}
RANKED_KINDS = ("township", "member_unit")

PROFILE_DIMENSIONS: dict[str, str] = {
    "age_band": "年龄段",
    "gender": "性别",
    "occupation": "职业",
    "employer_system": "工作单位所属系统",
    "fraud_type": "诈骗类型",
}

FEEDS: dict[str, str] = {
    "alerts": "预警线索",
    "contacts": "劝阻记录",
    "interceptions": "止付记录",
    "cases": "案件",
    "activities": "工作台账",
}

QUARANTINE_REASONS: dict[str, str] = {
    "missing_required": "必填项缺失",
    "bad_datetime": "时间格式错误",
    "future_datetime": "时间晚于导出时间",
    "negative_amount": "金额为负",
    "bad_amount": "金额格式错误",
    "unknown_township": "乡镇无法识别",
    "bad_enum": "取值不在允许范围",
    "bad_integer": "整数格式错误",
    "ragged_row": "单元格个数与表头不符",
    "pii_in_key": "编号中含个人敏感信息",
}

PERIOD_NAMES = {"Y0": "模式实施前一年", "Y1": "“4+1”模式实施年", "Y0+Y1": "两年合计"}


def period_label(period: str) -> str:
    return {"Y0": "实施前一年(Y0)", "Y1": "模式实施年(Y1)", "Y0+Y1": "两年合计"}.get(period, f"{period}年")


def label(mapping: dict[str, str], code: object) -> str:
    text = "" if code is None else str(code)
    return mapping.get(text, text)


KPI_LABELS: dict[str, str] = {
    "leads": "预警线索数",
    "fund_leads": "资金预警线索数",
    "amount_at_risk": "预警金额",
    "leads_contacted": "已劝阻线索数",
    "fund_leads_contacted": "已劝阻资金预警线索数",
    "median_minutes_to_first_contact": "首次劝阻用时中位数（分钟）",
    "first_contact_within_60min_rate": "60分钟内首次劝阻率",
    "face_to_face_rate": "见面劝阻率",
    "four_party_rate": "四方参与率",
    "three_clear_rate": "三清率",
    "checklist_rate": "三必问两告知执行率",
    "follow_up_rate": "回访率",
    "dissuaded_rate": "劝阻成功率",
    "intercepted_amount": "止付金额",
    "intercepted_share": "止付占预警金额比例",
    "cases": "发案数",
    "loss_amount": "损失金额",
    "recovered_amount": "挽回金额",
    "cases_per_10k": "万人发案率",
    "loss_per_10k": "万人损失金额",
    "post_warning_victims": "预后被骗人数",
    "repeat_victims": "重复被骗人数",
    "activities_training": "反诈培训次数",
    "activities_publicity": "反诈宣传次数",
    "activities_warning_education": "警示教育次数",
    "activities_supervision": "督导检查次数",
    "activities_total": "工作台账活动总数",
    "activities_per_10k": "万人活动次数",
}
RATE_COLUMNS = frozenset(c for c in KPI_LABELS if c.endswith("_rate") or c == "intercepted_share")
MONEY_COLUMNS = frozenset({"amount_at_risk", "intercepted_amount", "loss_amount", "recovered_amount", "loss_per_10k"})


def indicator_label(code: object) -> str:
    text = "" if code is None else str(code)
    return KPI_LABELS.get(text, text)
