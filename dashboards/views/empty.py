"""Shown when no published warehouse exists yet."""

from __future__ import annotations

import streamlit as st

from dashboards import data

st.title("尚无已发布的数据仓库")
st.info(f"数据目录 `{data.home_root()}` 中还没有 `warehouse.duckdb`，看板暂时无数据可显示。")
st.markdown(
    """
**如何生成数据：**

1. 演示数据：在项目目录运行 `make demo`（生成南和区演示数据、运行月度流程并启动本看板）。
2. 真实导出：把各系统导出的文件放入 `$FANZHA_HOME/inbox/`，然后运行

   ```
   fanzha run
   ```

   流程依次完成：导入 → 建仓 → 质量检查 → 发布 → 生成通报。发布成功后刷新本页即可。
"""
)
