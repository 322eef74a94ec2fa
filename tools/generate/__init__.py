"""`fanzha generate`: the synthetic district's five feeds, calibrated to Nanhe's published figures.

Modules: `reference` (seeds), `people` (names, resident IDs, phones), `timeline` (months and quotas),
`cases`, `leads` (alerts, contacts, interceptions), `activities`, `render` (value forms per file),
`defects` (the spec's mess + manifest), `writers` (CSV/XLSX), `district` and `exports` (orchestration),
`plain_reader` + `calibration` (the independent calibration report), `command` (CLI).
"""
