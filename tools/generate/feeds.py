"""The five feeds' columns as the spec lists them: (Chinese header, English key, value kind)."""

from __future__ import annotations

Column = tuple[str, str, str]  # header, key, kind: text / datetime / date / money / yesno / int

FEEDS: dict[str, tuple[Column, ...]] = {
    "alerts": (
        ("线索编号", "alert_id", "text"), ("下发时间", "issued_at", "datetime"), ("预警级别", "risk_level", "text"),
        ("预警类型", "alert_type", "text"), ("线索来源", "source", "text"), ("姓名", "name", "text"),
        ("身份证号", "id_number", "text"), ("手机号", "phone", "text"), ("性别", "gender", "text"),
        ("年龄", "age", "int"), ("职业", "occupation", "text"), ("工作单位", "employer", "text"),
        ("乡镇", "township", "text"), ("村(社区)", "village", "text"), ("涉诈类型", "fraud_type", "text"),
        ("预警金额", "amount_at_risk", "money"), ("对方账户", "counterparty_account", "text"),
        ("责任派出所", "police_station", "text"),
    ),
    "contacts": (
        ("记录编号", "action_id", "text"), ("线索编号", "alert_id", "text"), ("劝阻时间", "action_at", "datetime"),
        ("劝阻类别", "action_kind", "text"), ("劝阻方式", "method", "text"), ("是否见面", "face_to_face", "yesno"),
        ("公安干警参与", "police_present", "yesno"), ("乡镇(单位)负责人参与", "leader_present", "yesno"),
        ("网格员(单位主管)参与", "grid_worker_present", "yesno"), ("近亲属参与", "relative_present", "yesno"),
        ("三必问两告知", "checklist_done", "yesno"), ("被骗事实摸清", "facts_clear", "yesno"),
        ("现实状况摸清", "situation_clear", "yesno"), ("政策形势讲清", "policy_explained", "yesno"),
        ("劝阻结果", "outcome", "text"), ("断网断卡", "cut_off", "yesno"), ("处置单位", "handling_unit", "text"),
    ),
    "interceptions": (
        ("止付编号", "interception_id", "text"), ("线索编号", "alert_id", "text"), ("案件编号", "case_id", "text"),
        ("止付时间", "stopped_at", "datetime"), ("止付类型", "method", "text"), ("止付金额", "amount", "money"),
        ("开户银行", "bank", "text"), ("账户", "account", "text"), ("责任派出所", "police_station", "text"),
    ),
    "cases": (
        ("案件编号", "case_id", "text"), ("报案时间", "reported_at", "datetime"), ("发案时间", "occurred_at", "datetime"),
        ("受害人姓名", "name", "text"), ("身份证号", "id_number", "text"), ("手机号", "phone", "text"),
        ("性别", "gender", "text"), ("年龄", "age", "int"), ("职业", "occupation", "text"),
        ("工作单位", "employer", "text"), ("乡镇", "township", "text"), ("村(社区)", "village", "text"),
        ("涉诈类型", "fraud_type", "text"), ("损失金额", "loss_amount", "money"),
        ("挽损金额", "recovered_amount", "money"), ("受理派出所", "police_station", "text"),
    ),
    "activities": (
        ("记录编号", "activity_id", "text"), ("日期", "activity_date", "date"), ("单位", "unit", "text"),
        ("活动类型", "activity_kind", "text"), ("参与人数", "participants", "int"),
    ),
}
KEY = {"alerts": "alert_id", "contacts": "action_id", "interceptions": "interception_id", "cases": "case_id",
       "activities": "activity_id"}
TIME = {"alerts": "issued_at", "contacts": "action_at", "interceptions": "stopped_at", "cases": "reported_at",
        "activities": "activity_date"}
STEMS = {"alerts": ("预警线索", "alerts"), "contacts": ("劝阻记录", "dissuasions"),
         "interceptions": ("止付记录", "interceptions"), "cases": ("案件", "cases"), "activities": ("工作台账", "activities")}
TITLES = {"alerts": "预警线索导出", "contacts": "劝阻工作记录", "interceptions": "紧急止付记录", "cases": "电诈案件登记",
          "activities": "反诈工作台账"}
