"""Occupations and employers: victims cluster in a hospital, schools, students and housewives (the article)."""

from __future__ import annotations

import numpy as np

# occupation -> (weight among victims aged 20-50, weight among warned people, employers, raw variants)
OCCUPATIONS: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...]]] = {
    "医务人员": (0.11, 0.05, ("南和区人民医院", "南和区人民医院", "南和区人民医院", "南和区中医院", "贾宋镇卫生院", "和阳镇卫生院"), ("医务人员", "医生", "护士", "医护")),
    "教师": (0.10, 0.05, ("和阳镇中学", "贾宋镇中心小学", "南和区第一中学", "郝桥镇中学", "三思镇中心小学", "南和区实验小学"), ("教师", "老师", "教职工")),
    "学生": (0.08, 0.06, ("南和区职教中心", "南和区第一中学", "邢台学院", "河北机电职业技术学院"), ("学生", "在校学生", "大学生")),
    "家庭主妇": (0.15, 0.08, ("",), ("家庭主妇", "家庭妇女", "宝妈", "全职妈妈")),
    "企业职工": (0.16, 0.18, ("南和宠物食品产业园", "河北南和农业科技有限公司", "邢台金沙河面业有限公司", "南和区宏达纸箱厂", ""), ("企业职工", "工人", "公司职员", "企业员工")),
    "务工人员": (0.10, 0.14, ("",), ("务工人员", "打工", "外出务工")),
    "农民": (0.06, 0.16, ("",), ("农民", "务农")),
    "个体经营": (0.07, 0.10, ("",), ("个体经营", "个体户", "经商")),
    "公职人员": (0.08, 0.06, ("工商银行南和支行", "农业银行南和支行", "南和区人社局", "南和区市场监管局", "中国移动南和分公司", "南和农商银行", "邮储银行南和支行", "南和区公安分局"), ("公职人员", "事业单位", "公务员")),
    "退休人员": (0.01, 0.07, ("",), ("退休人员", "退休")),
    "无业": (0.05, 0.03, ("",), ("无业", "待业", "无固定职业")),
    "其他": (0.03, 0.02, ("",), ("其他", "自由职业")),
}
_NAMES = list(OCCUPATIONS)


def _pick(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    p = weights / weights.sum()
    return rng.choice(len(p), n, p=p)


def assign(ages: np.ndarray, male: np.ndarray, victim: bool, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occupation (raw export value), standard occupation and employer for each person."""
    n = len(ages)
    col = 0 if victim else 1
    weights = np.array([OCCUPATIONS[k][col] for k in _NAMES])
    idx = _pick(weights, n, rng)
    young = ages < 20
    idx[young] = _NAMES.index("学生")
    old = ages > 55
    old_pool = np.array([_NAMES.index(k) for k in ("农民", "退休人员", "个体经营", "家庭主妇", "无业")])
    idx[old] = old_pool[rng.integers(0, len(old_pool), old.sum())]
    student_too_old = (idx == _NAMES.index("学生")) & (ages > 24)
    idx[student_too_old] = _NAMES.index("企业职工")
    housewife_male = (idx == _NAMES.index("家庭主妇")) & male
    idx[housewife_male] = _NAMES.index("务工人员")
    standard = np.array(_NAMES, dtype=object)[idx]
    raw = np.empty(n, dtype=object)
    employer = np.empty(n, dtype=object)
    u1, u2 = rng.random(n), rng.random(n)
    for k, name in enumerate(_NAMES):  # loop over the 12 occupations, not over rows
        sel = idx == k
        variants = np.array(OCCUPATIONS[name][3], dtype=object)
        employers = np.array(OCCUPATIONS[name][2], dtype=object)
        vi = np.where(u1[sel] < 0.7, 0, (u1[sel] * len(variants)).astype(int) % len(variants))
        raw[sel] = variants[vi]
        employer[sel] = employers[(u2[sel] * len(employers)).astype(int)]
    return raw, standard, employer
