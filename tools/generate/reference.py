"""Reference data from the dbt seeds, and its per-district view (clone rule of docs/contracts.md §1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fanzha.core.paths import SEEDS_DIR

NANHE = "130506"


@dataclass(frozen=True)
class Reference:
    districts: pd.DataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    stations: pd.DataFrame
    member_units: pd.DataFrame
    employers: pd.DataFrame
    fraud_types: pd.DataFrame


def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(seeds_dir / f"{name}.csv", dtype=str, keep_default_na=False)

    townships = read("townships")
    villages = read("villages")
    for frame in (townships, villages):
        frame["resident_population"] = frame["resident_population"].astype(int)
        frame["registered_population"] = frame["registered_population"].astype(int)
    fraud_types = read("fraud_types")
    fraud_types["national_share_pct"] = fraud_types["national_share_pct"].astype(float)
    return Reference(
        districts=read("districts"),
        townships=townships,
        villages=villages,
        stations=read("police_stations"),
        member_units=read("member_units"),
        employers=read("employer_systems"),
        fraud_types=fraud_types,
    )


@dataclass(frozen=True)
class DistrictGeo:
    """One district's townships, villages and stations (codes rewritten for clones)."""

    index: int  # 0 = Nanhe, k = clone k
    code: str
    name: str
    townships: pd.DataFrame  # township_code, township_name, resident_population
    villages: pd.DataFrame  # village_code, village_name, township_code, resident_population
    station_of_township: dict[str, str]  # township_code -> station name

    @property
    def is_clone(self) -> bool:
        return self.code != NANHE


def district_geo(ref: Reference, index: int) -> DistrictGeo:
    row = ref.districts.iloc[index]
    code = row["district_code"]

    def recode(s: pd.Series) -> pd.Series:
        return code + s.str.slice(6)

    townships = ref.townships.copy()
    townships["township_code"] = recode(townships["township_code"])
    villages = ref.villages.copy()
    villages["village_code"] = recode(villages["village_code"])
    villages["township_code"] = recode(villages["township_code"])
    stations = dict(zip(recode(ref.stations["township_code"]), ref.stations["station_name"], strict=True))
    return DistrictGeo(index, code, row["district_name"], townships, villages, stations)
