"""Invariants over every scenario file: tonnes conserved, no negative stock, embargoed
routes carry nothing, quotas hold, controlled exports are licensed."""

import pandas as pd
import pytest

from .helpers import SCENARIOS, load, run_model

HORIZON = 300  # days: long enough for the shocks of the what-if scenarios


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario_run(request):
    cfg = load(request.param, f"days={HORIZON}")
    m = run_model(cfg, check_every=15)
    return request.param, m, m.tables()


def test_tonnes_conserved_at_the_end(scenario_run):
    _, m, _ = scenario_run
    for mat, diff in m.imbalance().items():
        assert abs(diff) < 1e-6, f"{mat}: {diff} t unaccounted for"


def test_no_negative_stock(scenario_run):
    _, _, t = scenario_run
    stock_cols = [c for c in t["agents"].columns if c.startswith("stock_")]
    assert (t["agents"][stock_cols].fillna(0) >= -1e-9).all().all()
    assert (t["shipments"]["tonnes"] > 0).all()


def test_embargoed_route_carries_nothing(scenario_run):
    _, m, t = scenario_run
    ships = t["shipments"]
    for ev in m.policy.events:
        if ev.kind != "embargo":
            continue
        end = ev.end or m.end
        for dest in list(ev.destinations) + list(ev.anti_diversion):
            moved = ships[(ships["seller_country"] == "CN") & (ships["buyer_country"] == dest)
                          & (ships["shipped_on"] >= pd.Timestamp(ev.date))
                          & (ships["shipped_on"] < pd.Timestamp(end))]
            assert moved.empty, f"{len(moved)} shipments to {dest} during the embargo"


def test_quota_holds(scenario_run):
    """Tonnes released in a year never exceed that year's cap (with its top-ups)."""
    _, m, t = scenario_run
    rules = m.ministry.rules
    for (year, mat, dest), released in m.ministry.released.items():
        cap = rules.quotas.get((mat, dest))
        if cap is not None:
            assert released <= cap + rules.topups.get((year, mat, dest), 0.0) + 1e-6


def test_controlled_exports_are_licensed(scenario_run):
    _, m, t = scenario_run
    s = t["shipments"]
    shipped = s[(s["seller_country"] == "CN") & s["shipped_on"].notna()
                & (s["shipped_on"] >= pd.Timestamp(m.start))]
    # an approved licence is never older than its shipment, and a denied one never ships
    lic = shipped[shipped["licence"] == "individual"]
    assert (lic["decision"] == "approved").all()
    assert (lic["decided_on"] <= lic["shipped_on"]).all()
    assert s[(s["decision"] == "denied") & s["shipped_on"].notna()].empty
