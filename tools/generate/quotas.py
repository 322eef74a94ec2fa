"""The calibrated quotas of the Nanhe scenario (calibration.md), per district.

Cases of Y0+Y1 by loss band: 741 / 192 / 67 of 1000 (74.1 / 19.2 / 6.7 %), band losses
335 / 373 / 799 万元; Y1 loss = 22.2 % of Y0 (−77.8 %). Fund leads 2600 → 341 (−86.9 %).
Interceptions stopped in Y1 on Y1 leads: 11,042,800 元 in total.
"""

from __future__ import annotations

# (period, band) -> (cases, total loss in yuan)
CASE_BANDS: dict[tuple[str, str], tuple[int, int]] = {
    ("Y0", "lt_10k"): (481, 2_310_000),
    ("Y0", "10k_50k"): (142, 2_830_000),
    ("Y0", "ge_50k"): (59, 7_192_242),
    ("Y1", "lt_10k"): (260, 1_040_000),
    ("Y1", "10k_50k"): (50, 900_000),
    ("Y1", "ge_50k"): (8, 797_758),
}
BAND_BOUNDS: dict[str, tuple[int, int]] = {"lt_10k": (200, 9_999), "10k_50k": (10_000, 49_999), "ge_50k": (50_000, 2_000_000)}
POST_CASES_PER_MONTH = 16  # 2024-03 … 2024-06, not calibrated: about the level Y1 ended on
VICTIMS_OUTSIDE_20_50 = (30, 35)  # of 1000 Y0+Y1 cases: under 20 / over 50 → 93.5 % aged 20-50
POST_WARNING_Y0 = 12  # Y0 cases whose victim had a lead within the previous 365 days
REPEAT_Y0 = 8  # Y0 cases whose victim already had an earlier case
REPEAT_Y1 = 3  # Y1 cases whose victim had a Y0 case (never a warned person)

ALERT_TYPES = ("资金预警", "电话预警", "APP预警", "短信预警", "其他")
# leads per type: Y0 total, Y1 total, per month afterwards (about the level Y1 ended on, not calibrated)
LEADS: dict[str, tuple[int, int, int]] = {
    "资金预警": (2600, 341, 15),
    "电话预警": (1400, 430, 26),
    "APP预警": (800, 250, 16),
    "短信预警": (500, 160, 10),
    "其他": (200, 50, 3),
}
INTERCEPTED_Y1 = 11_042_800  # yuan, on Y1 leads, stopped in Y1
INTERCEPTED_Y1_LEADS = 180  # Y1 fund leads with a 劝阻拦截 / 紧急止付 / 冻结
INTERCEPTED_Y0_LEADS = 140
INTERCEPTED_POST_PER_MONTH = 7
ZHAO = {
    "name": "赵淑芳",
    "village_name": "井庄村",
    "township_name": "贾宋镇",
    "amount": 132_000,
    "issued_at": "2023-11-14 10:26:37",
    "stopped_at": "2023-11-14 11:08:15",
}
