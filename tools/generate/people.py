"""Synthetic people: Chinese names, resident IDs with GB 11643 check digits, 11-digit phones (vectorised)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Surnames roughly by frequency; a few compound surnames (欧阳, 司马 …) at low weight.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭"
)
SURNAME_WEIGHTS = np.linspace(3.0, 0.4, len(SURNAMES))
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "司徒", "东方")
GIVEN_FEMALE = "秀英桂兰淑芳玉珍凤霞丽娟敏静燕红梅艳华萍婷雪琳颖慧晶悦彤欣怡佳"
GIVEN_MALE = "建国志强伟军磊勇涛斌鹏辉明刚杰超峰浩宇振海亮东文博俊飞"
# Area codes: the district itself mostly, else neighbouring counties of 邢台 (Nanhe only).
NANHE_NEIGHBOURS = ("130502", "130503", "130505", "130521", "130522", "130523", "130524", "130525", "130528")
PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199",
)
_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_CHECK = np.array(list("10X98765432"))


def check_char(first17: np.ndarray) -> np.ndarray:
    """GB 11643 (ISO 7064 MOD 11-2) check characters for an (n, 17) digit matrix."""
    return _CHECK[(first17.astype(np.int64) @ _WEIGHTS) % 11]


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n,) non-negative ints -> (n, width) digit matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10


def _matrix_to_str(mat: np.ndarray) -> np.ndarray:
    width = mat.shape[1]
    raw = np.ascontiguousarray((mat + 48).astype(np.uint8)).view(f"S{width}").ravel()
    return raw.astype(str)


def resident_ids(area: np.ndarray, birth: pd.DatetimeIndex, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unique 18-char IDs: area(6) + birth date(8) + sequence(3, odd = male) + check digit."""
    n = len(area)
    ymd = (birth.year * 10000 + birth.month * 100 + birth.day).to_numpy()
    seq = rng.integers(0, 500, n) * 2 + male.astype(int)
    area_int = area.astype(np.int64)
    for _ in range(20):  # redraw the sequence of the rare duplicates
        key = (area_int * 100_000_000 + ymd) * 1000 + seq
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, bool)
        dup[first] = False
        if not dup.any():
            break
        seq[dup] = rng.integers(0, 500, dup.sum()) * 2 + male[dup].astype(int)
    mat = np.hstack([_digits(area_int, 6), _digits(ymd, 8), _digits(seq, 3)])
    return np.char.add(_matrix_to_str(mat), check_char(mat))


def phones(n: int, district_index: int, rng: np.random.Generator) -> np.ndarray:
    """Unique 11-digit phones; digits 4-6 depend on the district so districts never share a phone."""
    slot = (district_index * 37 + 211) % 1000
    pool = len(PHONE_PREFIXES) * 100_000
    picks = rng.choice(pool, size=n, replace=False)
    prefix = np.array(PHONE_PREFIXES, dtype=np.int64)[picks // 100_000]
    number = prefix * 100_000_000 + slot * 100_000 + picks % 100_000
    return number.astype(str)


def names(male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(male)
    p = SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum()
    surname = np.array(list(SURNAMES))[rng.choice(len(SURNAMES), n, p=p)].astype(object)
    compound = rng.random(n) < 0.01
    surname[compound] = np.array(COMPOUND, dtype=object)[rng.integers(0, len(COMPOUND), compound.sum())]
    female_chars = np.array(list(GIVEN_FEMALE), dtype=object)
    male_chars = np.array(list(GIVEN_MALE), dtype=object)
    first = np.where(male, male_chars[rng.integers(0, len(male_chars), n)], female_chars[rng.integers(0, len(female_chars), n)])
    second = np.where(male, male_chars[rng.integers(0, len(male_chars), n)], female_chars[rng.integers(0, len(female_chars), n)])
    two = rng.random(n) < 0.8
    return surname + first + np.where(two, second, "")


def births_for_age(event: pd.DatetimeIndex, age: np.ndarray, slack_days: np.ndarray, rng: np.random.Generator) -> pd.DatetimeIndex:
    """Birth dates giving exactly `age` full years at `event` and still at `event + slack_days`."""
    day = np.minimum(event.day.to_numpy(), 28)
    anniversary = pd.to_datetime(
        pd.DataFrame({"year": event.year.to_numpy() - age, "month": event.month.to_numpy(), "day": day})
    )
    room = np.maximum(360 - slack_days, 1)
    back = (rng.random(len(age)) * room).astype(int)
    return pd.DatetimeIndex(anniversary - pd.to_timedelta(back, unit="D"))


def age_at(birth: pd.DatetimeIndex, event: pd.DatetimeIndex) -> np.ndarray:
    """Full years between birth and event (vectorised)."""
    years = event.year.to_numpy() - birth.year.to_numpy()
    before = (event.month.to_numpy() * 100 + event.day.to_numpy()) < (birth.month.to_numpy() * 100 + birth.day.to_numpy())
    return years - before.astype(int)


def area_codes(n: int, district_code: str, is_clone: bool, rng: np.random.Generator) -> np.ndarray:
    if is_clone:
        return np.full(n, int(district_code))
    other = np.array(NANHE_NEIGHBOURS, dtype=np.int64)[rng.integers(0, len(NANHE_NEIGHBOURS), n)]
    return np.where(rng.random(n) < 0.86, int(district_code), other)
