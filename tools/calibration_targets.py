"""The ten published figures the Nanhe demo must reproduce (../shared/spec/calibration.md).

One source of truth for the generator's calibration report and for the warehouse's end-to-end test.
"""

from __future__ import annotations

from dataclasses import dataclass

Y0 = ("2022-03", "2023-02")  # baseline year, before the "4+1" model
Y1 = ("2023-03", "2024-02")  # model year
SCENARIO = ("2022-03", "2024-06")


@dataclass(frozen=True)
class Target:
    number: int
    name: str
    target: float | None  # None: a qualitative check described in `rule`
    low: float | None
    high: float | None
    rule: str


TARGETS: tuple[Target, ...] = (
    Target(1, "fund-warning leads Y1 vs Y0 (%)", -86.9, -87.4, -86.4, "within ±0.5 pt"),
    Target(2, "loss of cases Y1 vs Y0 (%)", -77.8, -78.3, -77.3, "within ±0.5 pt"),
    Target(3, "share of cases <1万 (%)", 74.1, 73.6, 74.6, "within ±0.5 pt"),
    Target(3, "share of cases 1万-5万 (%)", 19.2, 18.7, 19.7, "within ±0.5 pt"),
    Target(3, "share of cases ≥5万 (%)", 6.7, 6.2, 7.2, "within ±0.5 pt"),
    Target(4, "loss <1万 (万元)", 335.0, 335.0 * 0.99, 335.0 * 1.01, "within ±1 %"),
    Target(4, "loss 1万-5万 (万元)", 373.0, 373.0 * 0.99, 373.0 * 1.01, "within ±1 %"),
    Target(4, "loss ≥5万 (万元)", 799.0, 799.0 * 0.99, 799.0 * 1.01, "within ±1 %"),
    Target(5, "victims aged 20-50 (%)", 92.6, 92.6, 95.0, "≥ 92.6 % and ≤ 95 %"),
    Target(6, "Y1 fund leads met face to face (%)", 100.0, 100.0, 100.0, "exactly 100 %"),
    Target(7, "intercepted in Y1 on Y1 leads (万元)", 1104.28, 1104.28 * 0.995, 1104.28 * 1.005, "within ±0.5 %"),
    Target(8, "post-warning victims in any Y1 month", 0.0, 0.0, 0.0, "0 in each of the 12 Y1 months"),
    Target(8, "post-warning victims in Y0", None, 1.0, None, "> 0"),
    Target(9, "repeat victims in Y0", None, 1.0, None, "> 0"),
    Target(10, "井庄村 赵某 interception of 132,000 元 in 2023-11", 132000.0, 132000.0, 132000.0, "present"),
)


def within(target: Target, value: float) -> bool:
    """Whether a measured value meets the target's tolerance."""
    if target.low is not None and value < target.low - 1e-9:
        return False
    return not (target.high is not None and value > target.high + 1e-9)
