"""One district's canonical records (before rendering): alerts, contacts, interceptions, cases, activities."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tools.generate import activities, cases, contacts, leads, people, profiles, quotas, timeline
from tools.generate.reference import DistrictGeo, Reference

QUALITY = np.array([0.97, 0.92, 0.86, 0.8, 0.73, 0.66, 0.58, 0.5])
PERSON_COLS = ["name", "id_number", "phone", "gender", "birth", "township_code", "village_code",
               "occupation", "occupation_std", "employer"]
LAST_INSTANT = pd.Timestamp("2024-07-01")


@dataclass
class DistrictData:
    geo: DistrictGeo
    alerts: pd.DataFrame
    contacts: pd.DataFrame
    interceptions: pd.DataFrame
    cases: pd.DataFrame
    activities: pd.DataFrame
    spare: pd.DataFrame  # people for the extra (quarantine-bound) rows
    protected: dict[str, set[str]] = field(default_factory=dict)  # feed -> ids never to corrupt


def make_people(geo: DistrictGeo, event: pd.DatetimeIndex, age: np.ndarray, slack: np.ndarray,
                victim: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(age)
    male = rng.random(n) < np.where(victim, 0.42, 0.5)
    birth = people.births_for_age(event, age, slack, rng)
    pop = geo.villages["resident_population"].to_numpy(float)
    v = rng.choice(len(pop), n, p=pop / pop.sum())
    raw, std, employer = np.empty(n, object), np.empty(n, object), np.empty(n, object)
    for flag in (True, False):
        sel = victim == flag
        raw[sel], std[sel], employer[sel] = profiles.assign(age[sel], male[sel], flag, rng)
    male &= std != "家庭主妇"
    area = people.area_codes(n, geo.code, geo.is_clone, rng)
    return pd.DataFrame({
        "name": people.names(male, rng),
        "id_number": people.resident_ids(area, pd.DatetimeIndex(birth), male, rng),
        "phone": people.phones(n, geo.index, rng),
        "gender": np.where(male, "男", "女"),
        "birth": birth,
        "township_code": geo.villages["township_code"].to_numpy(object)[v],
        "village_code": geo.villages["village_code"].to_numpy(object)[v],
        "occupation": raw,
        "occupation_std": std,
        "employer": employer,
    })


def _ids(prefix: str, code: str, when: pd.Series) -> pd.Series:
    seq = pd.Series(np.arange(1, len(when) + 1), index=when.index).astype(str).str.zfill(6)
    return prefix + code + when.dt.strftime("%Y%m%d") + seq


def _link_people(alerts: pd.DataFrame, cs: pd.DataFrame, rng: np.random.Generator) -> None:
    """Post-warning (Y0) and repeat victims: overwrite some victims with earlier warned people / victims."""
    occ = cs["occurred_at"]
    occ_np = occ.to_numpy()
    issued = alerts["issued_at"].to_numpy()
    cand = np.flatnonzero(cs["period"].eq("Y0") & (occ >= "2022-06-01") & cs["age"].between(20, 50))
    lead_age = people.age_at(pd.DatetimeIndex(alerts["birth"]), pd.DatetimeIndex(alerts["issued_at"]))
    ok_lead = alerts["period"].eq("Y0").to_numpy() & (lead_age >= 22) & (lead_age <= 47)
    dst, src = [], []
    for ci in rng.permutation(cand):
        if len(dst) == quotas.POST_WARNING_Y0:
            break
        window = ok_lead & (issued < occ_np[ci] - np.timedelta64(15, "D")) & (issued > occ_np[ci] - np.timedelta64(200, "D"))
        options = np.setdiff1d(np.flatnonzero(window), src)
        if len(options):
            dst.append(ci)
            src.append(int(rng.choice(options)))
    cs.loc[cs.index[dst], PERSON_COLS] = alerts.loc[alerts.index[src], PERSON_COLS].to_numpy()
    cs["post_warned"] = False
    cs.loc[cs.index[dst], "post_warned"] = True

    def repeat(period: str, count: int) -> None:
        pw = cs["post_warned"].to_numpy()
        later = np.flatnonzero(cs["period"].eq(period).to_numpy() & (occ_np >= np.datetime64("2022-09-01"))
                               & cs["age"].between(22, 48).to_numpy() & ~pw)
        y0_ok = cs["period"].eq("Y0").to_numpy() & cs["age"].between(22, 46).to_numpy() & ~pw
        taken: list[int] = []
        pairs: list[tuple[int, int]] = []
        for ci in rng.permutation(later):
            if len(pairs) == count:
                break
            options = np.setdiff1d(np.flatnonzero(y0_ok & (occ_np < occ_np[ci] - np.timedelta64(30, "D"))), taken + [ci])
            if len(options):
                s = int(rng.choice(options))
                taken += [s, ci]
                pairs.append((ci, s))
        if pairs:
            d, s = zip(*pairs, strict=True)
            cs.loc[cs.index[list(d)], PERSON_COLS] = cs.loc[cs.index[list(s)], PERSON_COLS].to_numpy()

    repeat("Y0", quotas.REPEAT_Y0)
    repeat("Y1", quotas.REPEAT_Y1)


def build(ref: Reference, geo: DistrictGeo, seed: int) -> DistrictData:
    rng = np.random.default_rng([seed, geo.index])
    quality = dict(zip(geo.townships["township_code"], rng.permutation(QUALITY), strict=True))
    cs = cases.skeleton(rng)
    al = leads.skeleton(ref.fraud_types, rng)
    n_a, n_c, n_s = len(al), len(cs), 400
    spare_event = timeline.instants(rng.choice(timeline.MONTHS, n_s), rng)
    event = pd.DatetimeIndex(np.concatenate([al["issued_at"].to_numpy(), cs["occurred_at"].to_numpy(), spare_event.to_numpy()]))
    age = np.concatenate([al["age"].to_numpy(), cs["age"].to_numpy(), rng.integers(20, 70, n_s)])
    slack = np.concatenate([np.ones(n_a, int), cs["slack_days"].to_numpy(), np.ones(n_s, int)])
    victim = np.concatenate([np.zeros(n_a, bool), np.ones(n_c, bool), np.zeros(n_s, bool)])
    persons = make_people(geo, event, age, slack, victim, rng)
    al = pd.concat([al, persons.iloc[:n_a].reset_index(drop=True)], axis=1)
    cs = pd.concat([cs, persons.iloc[n_a:n_a + n_c].reset_index(drop=True)], axis=1)
    spare = persons.iloc[n_a + n_c:].reset_index(drop=True)
    _link_people(al, cs, rng)
    cs["age"] = people.age_at(pd.DatetimeIndex(cs["birth"]), pd.DatetimeIndex(cs["occurred_at"]))
    al["age"] = people.age_at(pd.DatetimeIndex(al["birth"]), pd.DatetimeIndex(al["issued_at"]))

    zhao_row = _place_zhao(al, geo)
    al = al.sort_values("issued_at", kind="stable").reset_index(drop=True)
    zhao_row = int(np.flatnonzero(al["zhao"])[0])
    al["alert_id"] = _ids("YJ", geo.code, al["issued_at"])
    al["police_station"] = al["township_code"].map(geo.station_of_township)
    cs = cs.sort_values("reported_at", kind="stable").reset_index(drop=True)
    cs["case_id"] = _ids("AJ", geo.code, cs["reported_at"])
    cs["police_station"] = cs["township_code"].map(geo.station_of_township)
    cs["fraud_type"] = _case_fraud_types(ref, cs, rng)

    q = al["township_code"].map(quality).to_numpy(float)
    ct = contacts.build(al, q, rng)
    ct = _zhao_contacts(ct, al, zhao_row)
    ct = ct[ct["action_at"] < LAST_INSTANT].sort_values("action_at", kind="stable").reset_index(drop=True)
    ct["alert_id"] = al["alert_id"].to_numpy()[ct["alert_row"].to_numpy()]
    ct["handling_unit"] = _handling_units(ct, al, geo)
    ct["action_id"] = _ids("QZ", geo.code, ct["action_at"])

    first = ct.groupby("alert_row")["action_at"].min().reindex(range(len(al)))
    zhao_amount = quotas.ZHAO["amount"]
    ic = leads.interceptions(al, first, {zhao_row: zhao_amount}, rng)
    ic.loc[ic["alert_row"].eq(zhao_row), ["stopped_at", "method"]] = [pd.Timestamp(quotas.ZHAO["stopped_at"]), "劝阻拦截"]
    _cover_amounts(al, ic, zhao_row, rng)
    ic = pd.concat([ic, leads.case_interceptions(cs, rng)], ignore_index=True)
    ic = ic[ic["stopped_at"] < LAST_INSTANT].sort_values("stopped_at", kind="stable").reset_index(drop=True)
    ic["interception_id"] = _ids("ZF", geo.code, ic["stopped_at"])

    act = activities.build(_activity_units(ref, geo, quality, rng), rng)
    act["activity_id"] = _ids("TZ", geo.code, act["activity_date"])
    protected = {
        "alerts": set(al.loc[[zhao_row], "alert_id"]),
        "contacts": set(ct.loc[ct["alert_row"].eq(zhao_row), "action_id"]),
        "interceptions": set(ic.loc[ic["alert_row"].eq(zhao_row), "interception_id"]),
        "persons": set(cs.loc[cs["post_warned"], "id_number"]) | set(cs.loc[cs["id_number"].duplicated(keep=False), "id_number"]),
    }
    return DistrictData(geo, al, ct, ic, cs, act, spare, protected)


def _place_zhao(al: pd.DataFrame, geo: DistrictGeo) -> int:
    """Turn one November-2023 fund lead into the article's 井庄村 example."""
    z = quotas.ZHAO
    village = geo.villages[geo.villages["village_name"].eq(z["village_name"])].iloc[0]
    cand = np.flatnonzero(al["alert_type"].eq("资金预警") & al["month"].eq(pd.Period("2023-11", "M")) & al["gender"].eq("女"))
    row = al.index[cand[0]]
    al["zhao"] = False
    al.loc[row, ["zhao", "name", "issued_at", "township_code", "village_code", "amount_at_risk", "fraud_type", "risk_level",
                 "source", "occupation", "occupation_std", "employer"]] = [
        True, z["name"], pd.Timestamp(z["issued_at"]), village["township_code"], village["village_code"], float(z["amount"]),
        "虚假网络投资理财", "高", "国家反诈大数据平台", "家庭主妇", "家庭主妇", ""]
    al.loc[row, "age"] = people.age_at(pd.DatetimeIndex([al.loc[row, "birth"]]), pd.DatetimeIndex([al.loc[row, "issued_at"]]))[0]
    return int(row)


def _zhao_contacts(ct: pd.DataFrame, al: pd.DataFrame, row: int) -> pd.DataFrame:
    issued = al.loc[row, "issued_at"]
    base = {f: True for f in contacts.FLAGS} | {"cut_off": False, "alert_row": row, "outcome": "劝阻成功"}
    call = base | {"action_at": issued + pd.Timedelta(minutes=4, seconds=12), "action_kind": "首次劝阻", "method": "电话",
                   "face_to_face": False, "leader_present": False, "grid_worker_present": False, "relative_present": False}
    visit = base | {"action_at": issued + pd.Timedelta(minutes=27, seconds=40), "action_kind": "提级劝阻",
                    "method": "上门见面", "face_to_face": True}
    return pd.concat([ct[ct["alert_row"].ne(row)], pd.DataFrame([call, visit])], ignore_index=True)


def _cover_amounts(al: pd.DataFrame, ic: pd.DataFrame, zhao_row: int, rng: np.random.Generator) -> None:
    """A lead's amount at risk is at least what was intercepted on it."""
    rows = ic["alert_row"].to_numpy()
    need = np.ceil(ic["amount"].to_numpy() * rng.uniform(1.0, 1.4, len(rows)) / 100) * 100
    current = al["amount_at_risk"].to_numpy()[rows]
    al.loc[rows, "amount_at_risk"] = np.where(np.isnan(current) | (current < ic["amount"].to_numpy()), need, current)
    al.loc[zhao_row, "amount_at_risk"] = float(quotas.ZHAO["amount"])


def _case_fraud_types(ref: Reference, cs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """National mix, tilted by loss: investment and romance scams in the big losses."""
    names = ref.fraud_types["fraud_type_name"].to_numpy(object)
    base = ref.fraud_types["national_share_pct"].to_numpy(float)
    tilt = np.ones(len(names))
    for name, factor in (("虚假网络投资理财", 4.0), ("网络婚恋交友", 3.0), ("冒充公检法及政府机关", 2.5), ("虚假购物服务", 0.3), ("网络游戏产品虚假交易", 0.3)):
        tilt[list(names).index(name)] = factor
    out = np.empty(len(cs), object)
    big = cs["loss_amount"].to_numpy() >= 50_000
    for sel, w in ((big, base * tilt), (~big, base)):
        out[sel] = names[rng.choice(len(names), sel.sum(), p=w / w.sum())]
    return out


def _handling_units(ct: pd.DataFrame, al: pd.DataFrame, geo: DistrictGeo) -> np.ndarray:
    rows = ct["alert_row"].to_numpy()
    station = al["police_station"].to_numpy(object)[rows]
    label = "township_code" if geo.is_clone else "township_name"
    names = dict(zip(geo.townships["township_code"], geo.townships[label], strict=True))
    township = al["township_code"].map(names).to_numpy(object)[rows]
    face = ct["face_to_face"].to_numpy(bool)
    return np.where(face, township, station)


def _activity_units(ref: Reference, geo: DistrictGeo, quality: dict[str, float], rng: np.random.Generator) -> pd.DataFrame:
    t = geo.townships
    t_unit = t["township_code"] if geo.is_clone else t["township_name"]
    m = ref.member_units
    m_unit = geo.code + m["member_unit_key"] if geo.is_clone else m["member_unit_name"]
    big = m["system"].isin(["教育", "卫健", "公安"]).to_numpy()
    return pd.DataFrame({
        "unit": np.concatenate([t_unit.to_numpy(object), m_unit.to_numpy(object)]),
        "quality": np.concatenate([t["township_code"].map(quality).to_numpy(float), rng.uniform(0.5, 1.0, len(m))]),
        "size": np.concatenate([0.8 + t["resident_population"].to_numpy() / t["resident_population"].sum() * 3,
                                np.where(big, 1.0, 0.45)]),
    })
