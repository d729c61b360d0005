"""What each scenario's mechanism implies, and the default world's calibration."""

import pandas as pd
import pytest

from sim.kpis import kpis

from .helpers import load, run_model


@pytest.fixture(scope="module")
def baseline():
    m = run_model(load("baseline", "days=365"))
    return m, m.tables()


def test_baseline_loses_no_production(baseline):
    _, t = baseline
    assert t["agents"]["lost"].sum() == 0


def test_baseline_calibration_2024_export_scale(baseline):
    """~58,000 t/yr (~4,800 t/month) of Chinese magnet exports, US ~14% [sources: exports-2024]."""
    _, t = baseline
    k = kpis(t)
    assert 4_800 * 0.9 < k["exports_t_per_month"] < 4_800 * 1.1
    us = k["exports_t"]["US"] / sum(k["exports_t"].values())
    assert 0.12 < us < 0.16


def test_embargo_us_stops_us_route_and_us_plants():
    # the tables' own stocks (21 and 45 days at Detroit-A and -B): with the structural
    # ranges' tier-1 stocks the 180-day embargo is carried through (test_stocks)
    m = run_model(load("embargo_us", "days=300", "world.stock_ranges=false"))
    t = m.tables()
    s = t["shipments"]
    start, end = pd.Timestamp("2025-01-31"), pd.Timestamp("2025-07-30")
    us = s[(s["seller_country"] == "CN") & (s["buyer_country"] == "US")]
    assert us[(us["shipped_on"] >= start) & (us["shipped_on"] < end)].empty
    assert not us[us["shipped_on"] >= end].empty, "trade resumes after the embargo"
    k = kpis(t)
    assert k["first_halt"]["Detroit-A"] is not None and k["first_halt"]["Detroit-B"] is not None
    assert k["first_halt"]["Stuttgart"] is None and k["first_halt"]["Aichi"] is None
    assert k["lost_vehicles"] > 0
    assert k["price_peak_ratio"]["ndfeb"] > 1.05
    # the leaner plant (21 days of cover) halts before the one holding 45 days
    assert k["first_halt"]["Detroit-A"] < k["first_halt"]["Detroit-B"]


def test_licensing_45wd_decides_within_45_working_days():
    m = run_model(load("licensing_45wd", "days=200"))
    s = m.tables()["shipments"]
    dec = s.dropna(subset=["applied_on", "decided_on"])
    assert len(dec) > 50
    wd = [m.calendar.working_days_between(a.date(), d.date())
          for a, d in zip(dec["applied_on"], dec["decided_on"], strict=True)]
    complete = [w for w, rfi in zip(wd, dec["rfi"], strict=True) if not rfi]
    assert max(complete) <= 45, "a complete file is decided within the statutory limit"
    assert sum(w <= 45 for w in wd) >= 0.9 * len(wd)
    assert 0 < dec["rfi"].mean() < 0.3  # requests for information extend a few files
    before = s[(s["seller_country"] == "CN") & (s["ordered_on"] < pd.Timestamp("2025-01-31"))
               & (s["ordered_on"] >= pd.Timestamp("2025-01-01"))]
    assert (before["licence"] == "none").all()
