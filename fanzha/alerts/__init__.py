"""Alerts after each run: which alerts the published watch marts imply (`core`, pure), where they go
(`config`: alerts.toml or FANZHA_ALERT_URLS), what was already sent (`ledger`, SQLite in the data home),
delivery through Apprise (`deliver`), and the orchestration used by `fanzha run` and `fanzha alerts`
(`service`). docs/watch.md §3."""
