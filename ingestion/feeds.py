"""The five export feeds as data: which header names each column may carry, its kind and whether it is required.

Pure data, no I/O. The spec is `/work/shared/spec/source-exports.md`; the landing schema is docs/contracts.md §3.
A column's `kind` decides how stage.py parses, validates and pseudonymises it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds (see stage.py for what each one does).
TEXT = "text"  # kept as cleaned text
KEY = "key"  # business key: required text
DATETIME = "datetime"
DATE = "date"
ENUM = "enum"  # one of `values` (after aliases)
YESNO = "yesno"
MONEY = "money"
INTEGER = "integer"
AGE = "age"
GENDER = "gender"
NAME = "name"  # personal: surname + 某
ID_NUMBER = "id_number"  # personal: keyed hash, age, gender, area code
PHONE = "phone"  # personal: keyed hash + masked form
ACCOUNT = "account"  # sensitive: keyed hash
OCCUPATION = "occupation"  # mapped via seeds/map_occupation.csv
FRAUD_TYPE = "fraud_type"  # mapped via seeds/map_fraud_type.csv
TOWNSHIP = "township"  # name or 9/12-digit code -> district_code, township_code
VILLAGE = "village"  # name or 12-digit code within the township -> village_code
UNIT = "unit"  # township or member unit -> unit_code

PERSONAL_KINDS = frozenset({NAME, ID_NUMBER, PHONE, ACCOUNT})


@dataclass(frozen=True)
class Column:
    key: str  # English key (also accepted as header)
    zh: str  # Chinese header of the spec
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()  # ENUM: allowed standard values
    aliases: tuple[tuple[str, str], ...] = ()  # ENUM: (accepted form, standard value)
    default: str | None = None  # ENUM: value used when blank
    other_headers: tuple[str, ...] = ()  # further header spellings seen in the wild


@dataclass(frozen=True)
class Feed:
    name: str  # landing table
    zh: str
    key: str  # business key column
    columns: tuple[Column, ...]
    event_column: str | None = None  # the datetime a person's age is computed at
    flag_no_contact_key: bool = False
    file_hints: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_PERSON = (
    Column("name", "姓名", NAME, other_headers=("受害人姓名", "被预警人姓名", "预警对象姓名")),
    Column("id_number", "身份证号", ID_NUMBER, other_headers=("身份证号码", "公民身份号码", "证件号码")),
    Column("phone", "手机号", PHONE, other_headers=("手机号码", "联系电话", "电话号码")),
    Column("gender", "性别", GENDER),
    Column("age", "年龄", AGE),
    Column("occupation", "职业", OCCUPATION),
    Column("employer", "工作单位", TEXT),
)

_YES_NO_CONTACT = (
    ("face_to_face", "是否见面"),
    ("police_present", "公安干警参与"),
    ("leader_present", "乡镇(单位)负责人参与"),
    ("grid_worker_present", "网格员(单位主管)参与"),
    ("relative_present", "近亲属参与"),
    ("checklist_done", "三必问两告知"),
    ("facts_clear", "被骗事实摸清"),
    ("situation_clear", "现实状况摸清"),
    ("policy_explained", "政策形势讲清"),
)

ALERTS = Feed(
    name="alerts",
    zh="预警线索",
    key="alert_id",
    event_column="issued_at",
    flag_no_contact_key=True,
    file_hints=("预警线索", "alerts"),
    columns=(
        Column("alert_id", "线索编号", KEY, required=True),
        Column("issued_at", "下发时间", DATETIME, required=True),
        Column(
            "risk_level", "预警级别", ENUM, values=("高", "中", "低"), default="中",
            aliases=(("高风险", "高"), ("中风险", "中"), ("低风险", "低"), ("HIGH", "高"), ("MEDIUM", "中"), ("LOW", "低")),
        ),
        Column(
            "alert_type", "预警类型", ENUM, required=True,
            values=("资金预警", "电话预警", "APP预警", "短信预警", "其他"),
        ),
        Column(
            "source", "线索来源", ENUM,
            values=("国家反诈大数据平台", "省反诈中心", "市反诈中心", "银行", "运营商", "群众举报"),
        ),
        *_PERSON,
        Column("township", "乡镇", TOWNSHIP, required=True, other_headers=("所属乡镇", "乡镇(街道)")),
        Column("village", "村(社区)", VILLAGE, other_headers=("村", "村社区", "社区", "村居")),
        Column("fraud_type", "涉诈类型", FRAUD_TYPE),
        Column("amount_at_risk", "预警金额", MONEY),
        Column("counterparty_account", "对方账户", ACCOUNT, other_headers=("对方账号",)),
        Column("police_station", "责任派出所", TEXT),
    ),
)

CONTACTS = Feed(
    name="contacts",
    zh="劝阻记录",
    key="action_id",
    file_hints=("劝阻记录", "dissuasions", "contacts"),
    columns=(
        Column("action_id", "记录编号", KEY, required=True),
        Column("alert_id", "线索编号", KEY, required=True),
        Column("action_at", "劝阻时间", DATETIME, required=True),
        Column("action_kind", "劝阻类别", ENUM, required=True, values=("首次劝阻", "回访", "提级劝阻")),
        Column("method", "劝阻方式", ENUM, required=True, values=("电话", "短信", "上门见面", "警示室", "视频")),
        *(Column(key, zh, YESNO) for key, zh in _YES_NO_CONTACT),
        Column(
            "outcome", "劝阻结果", ENUM, required=True,
            values=("劝阻成功", "已被骗", "拒不配合", "无法联系", "误报"),
        ),
        Column("cut_off", "断网断卡", YESNO),
        Column("handling_unit", "处置单位", TEXT),
    ),
)

INTERCEPTIONS = Feed(
    name="interceptions",
    zh="止付记录",
    key="interception_id",
    file_hints=("止付记录", "interceptions"),
    columns=(
        Column("interception_id", "止付编号", KEY, required=True),
        Column("alert_id", "线索编号", TEXT),
        Column("case_id", "案件编号", TEXT),
        Column("stopped_at", "止付时间", DATETIME, required=True),
        Column("method", "止付类型", ENUM, required=True, values=("紧急止付", "冻结", "劝阻拦截", "资金返还")),
        Column("amount", "止付金额", MONEY, required=True),
        Column("bank", "开户银行", TEXT),
        Column("account", "账户", ACCOUNT, other_headers=("账号", "银行账户", "银行卡号")),
        Column("police_station", "责任派出所", TEXT),
    ),
)

CASES = Feed(
    name="cases",
    zh="案件",
    key="case_id",
    event_column="occurred_at",
    file_hints=("案件", "cases"),
    columns=(
        Column("case_id", "案件编号", KEY, required=True),
        Column("reported_at", "报案时间", DATETIME, required=True),
        Column("occurred_at", "发案时间", DATETIME, required=True),
        *_PERSON,
        Column("township", "乡镇", TOWNSHIP, required=True, other_headers=("所属乡镇", "乡镇(街道)")),
        Column("village", "村(社区)", VILLAGE, other_headers=("村", "村社区", "社区", "村居")),
        Column("fraud_type", "涉诈类型", FRAUD_TYPE),
        Column("loss_amount", "损失金额", MONEY, required=True),
        Column("recovered_amount", "挽损金额", MONEY),
        Column("police_station", "受理派出所", TEXT),
    ),
)

ACTIVITIES = Feed(
    name="activities",
    zh="工作台账",
    key="activity_id",
    file_hints=("工作台账", "activities"),
    columns=(
        Column("activity_id", "记录编号", KEY, required=True),
        Column("activity_date", "日期", DATE, required=True, other_headers=("活动日期",)),
        Column("unit", "单位", UNIT, required=True),
        Column("activity_kind", "活动类型", ENUM, required=True, values=("反诈培训", "反诈宣传", "警示教育", "督导检查")),
        Column("participants", "参与人数", INTEGER),
    ),
)

FEEDS: tuple[Feed, ...] = (ALERTS, CONTACTS, INTERCEPTIONS, CASES, ACTIVITIES)
FEEDS_BY_NAME = {f.name: f for f in FEEDS}
