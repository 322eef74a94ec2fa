"""审计日志: who signed in, which pages and filters they viewed, what they downloaded (committee users only)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from fanzha.access import audit
from fanzha.core.paths import data_home

ACTION_LABELS = {
    "signin_ok": "登录成功", "signin_fail": "登录失败", "signin_locked": "账户锁定", "signout": "退出登录",
    "page_view": "浏览页面", "download": "下载数据", "notice_export": "导出通报", "user_add": "新建账户",
    "user_disable": "停用账户", "user_enable": "启用账户", "user_password": "重设密码", "user_link": "关联统一身份",
}
SHOWN = 2000

grant = st.session_state.get("fanzha_grant")
if grant is None or grant.role != "committee":
    st.error("审计日志仅对区委政法委账户开放。")
    st.stop()

st.title("审计日志")
home = data_home()
verdict = audit.verify(home)
if verdict.ok:
    st.success(f"审计链完整：共 {verdict.records} 条记录，逐条哈希校验通过。")
else:
    st.error(f"审计链在第 {verdict.broken_seq} 条记录处断裂（记录被删除或修改）：{verdict.message}")

left, middle, right = st.columns(3)
since = left.date_input("起始日期", value=(datetime.now() - timedelta(days=30)).date(), key="audit_since")
who = middle.selectbox("用户", ["全部", *audit.users(home)], key="audit_user")
kinds = right.multiselect("操作", list(ACTION_LABELS), format_func=ACTION_LABELS.get, key="audit_actions")
rows = audit.records(home, since=datetime(since.year, since.month, since.day).astimezone(),
                     user=None if who == "全部" else who, actions=tuple(kinds), limit=SHOWN)

if not rows:
    st.info("所选范围内没有审计记录。")
    st.stop()
table = pd.DataFrame({
    "序号": [r.seq for r in rows],
    "时间": [r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S") for r in rows],
    "用户": [r.user for r in rows],
    "操作": [ACTION_LABELS.get(r.action, r.action) for r in rows],
    "详情": [json.dumps(r.detail, ensure_ascii=False, sort_keys=True) for r in rows],
}).iloc[::-1]
st.caption(f"{'最近 ' + str(SHOWN) if len(rows) == SHOWN else '共 ' + str(len(rows))} 条，最新的在前。"
           "导出或核验请在服务器上运行 `fanzha audit` / `fanzha audit --verify`。")
st.dataframe(table, hide_index=True, width="stretch")
