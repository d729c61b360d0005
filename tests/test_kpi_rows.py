"""How the KPIs find rows in large tables without copying them: an agents table of the same
agents each day is recognised (and one put together otherwise is not), agents and buyers
numbered as `pandas.factorize` numbers them, each node's rows found either way, and the
extra magnet spend worked on a slice of the shipments at a time: every figure the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.kpis import RunData, kpis
from sim.kpis import nodes as kn
from sim.kpis.registry import day_rows


@pytest.fixture(scope="module")
def run():
    return sim.run(sim.scenario("controls_2025", "days=150", seed=2, plots=False),
                   progress=False)


def _data(run, agents=None) -> RunData:
    tables = {k: run[k] for k in ("daily", "agents", "shipments", "events")}
    if agents is not None:
        tables["agents"] = agents
    return RunData(tables, run["meta"])


def test_a_runs_agents_table_repeats_its_agents_each_day(run):
    a = run["agents"]
    k = a["agent"].nunique()
    assert day_rows(a) == k and len(a) == 150 * k
    codes, names = _data(run).agent_codes
    want_codes, want_names = pd.factorize(a["agent"])
    assert codes.dtype == np.int32
    np.testing.assert_array_equal(codes, want_codes)
    assert names.equals(want_names) and names.dtype == want_names.dtype


@pytest.mark.parametrize("change", ["swap", "drop", "object_text"])
def test_a_table_put_together_otherwise_is_numbered_by_its_text(run, change):
    a = run["agents"]
    if change == "swap":  # two agents change places on one day: not the same order
        k = day_rows(a)
        order = np.arange(len(a))
        order[3 * k], order[3 * k + 1] = order[3 * k + 1], order[3 * k]
        a = a.iloc[order].reset_index(drop=True)
        assert day_rows(a) is None
    elif change == "drop":  # a row missing: no whole days
        a = a.drop(index=5).reset_index(drop=True)
        assert day_rows(a) is None
    else:  # text as Python objects (a table read without Arrow): still recognised
        a = a.assign(agent=a["agent"].astype(object))
        assert day_rows(a) == a["agent"].nunique()
    codes, names = _data(run, a).agent_codes
    want_codes, want_names = pd.factorize(a["agent"])
    np.testing.assert_array_equal(codes, want_codes)
    assert list(names) == list(want_names)


def test_each_nodes_rows_are_the_same_found_either_way(run):
    fast = _data(run)
    assert fast.day_rows
    slow = _data(run)
    slow.__dict__["day_rows"] = None  # as if the table were put together otherwise
    nodes = run["meta"]["nodes"]
    f_first, f_rows = kn._node_rows(fast, nodes)
    s_first, s_rows = kn._node_rows(slow, nodes)
    assert f_first == s_first and len(f_first) == len(nodes)
    for name in f_first:
        np.testing.assert_array_equal(f_rows(name), s_rows(name))
        assert (fast.agents["agent"].to_numpy()[f_rows(name)] == name).all()
    assert fast.plants.equals(slow.plants)


@pytest.mark.parametrize("values", [["b", "a", "b", "c", "a"], ["x"]])
def test_text_codes_are_factorizes(values):
    for col in (pd.Series(values, dtype="str"), pd.Series(values, dtype=object)):
        codes, names = kn.text_codes(col)
        want_codes, want_names = pd.factorize(col)
        assert codes.dtype == np.int32
        np.testing.assert_array_equal(codes, want_codes)
        assert names == list(want_names)


def test_extra_spend_is_the_same_a_slice_at_a_time(run, monkeypatch):
    whole = kn._extra_spend(_data(run))
    assert whole and any(v != 0 for v in whole.values())
    monkeypatch.setattr(kn, "EXTRA_ROWS", 97)  # many slices, cut anywhere
    assert len(run["shipments"]) > 20 * 97
    assert kn._extra_spend(_data(run)) == whole
    # and the sums are those of the plain per-row formula, summed per buyer
    s, d = run["shipments"], run["daily"].set_index("date")
    p0 = kn.start_prices(_data(run))
    got = s[s["delivered_on"].between(d.index.min(), d.index.max())
            & s["material"].isin(list(p0))]
    price = [d.at[w, f"price_{m}_ex_cn"] for w, m in zip(got["delivered_on"], got["material"],
                                                          strict=True)]
    extra = got["tonnes"] * 1000.0 * (np.array(price) - got["material"].map(p0).to_numpy())
    want = extra.groupby(got["buyer"]).sum()
    assert set(want.index) <= set(whole)
    for b, v in want.items():
        assert whole[b] == pytest.approx(v, rel=1e-9, abs=1e-6)


def test_kpis_are_the_same_for_a_table_put_together_otherwise(run):
    a = run["agents"].assign(agent=run["agents"]["agent"].astype(object))
    other = _data(run, a)
    other.__dict__["day_rows"] = None
    assert kpis(other.tables, run["meta"], other) == run["kpis"]


def test_time_to_survive_is_days_since_the_binding_magnets_last_delivery(run):
    """Each halted plant's time to survive, found in the shipments grouped by buyer once,
    is the days from the last delivery of its binding magnet (the scarcest in days of
    need the day it first stopped) to that day, as a filter of the whole table gives."""
    plants, nodes = run["plants"], run["meta"]["nodes"]
    a, s = run["agents"], run["shipments"]
    halted = plants[plants["n_halts"] > 0]
    assert len(halted) >= 3  # controls_2025 stops several plants within 150 days
    for _, p in halted.iterrows():
        first = pd.Timestamp(p["first_halt"])
        row = a[(a["agent"] == p["node"]) & (a["date"] == first)].iloc[0]
        need = nodes[p["node"]]["need_tpd"]
        binding = min(need, key=lambda m: row[f"stock_{m}"] / need[m])
        got = s[(s["buyer"] == p["node"]) & (s["material"] == binding)
                & (s["delivered_on"] <= first)]["delivered_on"]
        want = int((first - got.max()).days) if len(got) else None
        assert p["time_to_survive_days"] == want, p["node"]
    assert halted["time_to_survive_days"].notna().any()


def test_halt_episodes_are_runs_of_lost_days():
    d = pd.Series(pd.date_range("2025-01-01", periods=8))
    lost = pd.Series([0.0, 2.0, 1.0, 0.0, np.nan, 3.0, 0.0, 1.0])
    assert kn.episodes(d, lost) == [
        {"start": "2025-01-02", "end": "2025-01-03", "days": 2},
        {"start": "2025-01-06", "end": "2025-01-06", "days": 1},
        {"start": "2025-01-08", "end": "2025-01-08", "days": 1}]
    assert kn.episodes(d, pd.Series([0.0] * 8)) == []
    assert kn.episodes(d, pd.Series([1.0] * 8)) == [
        {"start": "2025-01-01", "end": "2025-01-08", "days": 8}]


def test_tier_first_out_is_found_by_each_agents_rows_as_by_filtering_the_table():
    """Which tier ran out first, per halted plant supplied by tier-1s: found from each
    agent's rows (its rank every day, or grouped by number for a table put together
    otherwise) as a filter of the whole table finds it."""
    out = sim.run(sim.scenario("controls_2025", "days=300", seed=2, plots=False),
                  progress=False)
    got = out["kpis"]["tier_first_out"]
    assert got  # plants supplied by tier-1s stop within 300 days
    a, nodes = out["agents"], out["meta"]["nodes"]
    for plant, f in got.items():
        first = pd.Timestamp(f["first_halt"])
        for t, day in f["tier1_out"].items():
            n = nodes[t]["need_tpd"].get(f["magnet"], 0.0)
            tg = a[(a["agent"] == t) & (a["date"] <= first)]
            low = tg[tg[f"stock_{f['magnet']}"] < n]["date"]
            assert day == (low.min().date().isoformat() if len(low) else None), (plant, t)
    other = _data(out, a.assign(agent=a["agent"].astype(object)))
    other.__dict__["day_rows"] = None  # the rows found by number, not by rank
    assert kpis(other.tables, out["meta"], other)["tier_first_out"] == got
