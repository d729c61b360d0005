"""The seeded baseline summary: a few KPIs of a fixed run, compared with a tolerance."""

from __future__ import annotations

from pathlib import Path

from sim.kpis import kpis

from .helpers import load, run_model

FILE = Path(__file__).with_name("baseline.json")
OVERRIDES = ("days=365", "seed=42")
SCENARIOS = ("baseline", "embargo_us", "licensing_45wd")
RTOL = 0.02  # relative tolerance: small numeric changes pass, behaviour changes fail


def summary() -> dict:
    out = {}
    for name in SCENARIOS:
        k = kpis(run_model(load(name, *OVERRIDES)).tables())
        out[name] = {
            "lost_vehicles": k["lost_vehicles"],
            "exports_t_per_month": k["exports_t_per_month"],
            "exports_t_US": k["exports_t"].get("US", 0.0),
            "licence_wait_days_p50": k["licence_wait_days_p50"] or 0.0,
            "price_peak_ndfeb": k["price_peak_ratio"]["ndfeb"],
        }
    return out


def differences(expected: dict, actual: dict, rtol: float = RTOL) -> list[str]:
    """Human-readable list of values outside the tolerance (empty when all agree)."""
    bad = []
    for scen, vals in expected.items():
        for key, want in vals.items():
            got = actual.get(scen, {}).get(key)
            if got is None or abs(got - want) > rtol * max(abs(want), 1.0):
                bad.append(f"{scen}.{key}: expected {want}, got {got}")
    return bad
