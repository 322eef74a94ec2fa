"""Downloads of tables: the rows already read through the scoped layer, recorded in the audit trail.

The built-in export of `st.dataframe` (CSV button, copy) is switched off in dashboards/.streamlit/config.toml
(`client.disableDataExport`), so every download is one of these buttons and every click is audited.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import audit_hooks


def audit(action: str, **detail: object) -> None:
    """Record an audited action of the signed-in user (a download's on_click)."""
    audit_hooks.record(action, **detail)


def table_button(frame: pd.DataFrame, *, dataset: str, file_name: str, key: str, label: str = "下载本表（CSV）",
                 **filters: object) -> None:
    """A button downloading `frame` (as shown, Chinese headers) as CSV for Excel; each click is audited with the
    dataset it came from, its row count and the page's filters (codes and months, never personal data)."""
    csv = frame.to_csv(index=False).encode("utf-8-sig")  # the BOM lets Excel read the Chinese headers
    st.download_button(label, data=csv, file_name=file_name, mime="text/csv", key=key, on_click=audit,
                       args=("download",), kwargs={"dataset": dataset, "rows": len(frame), "file": file_name,
                                                   **filters})
