"""Equivalence of two versions of the model: for every scenario, the headline KPIs over N
paired seeds (the same seeds in both trees), their paired mean differences and 95% t
intervals (scipy.stats). A KPI is flagged when its interval excludes zero and the
difference is at least 1% of the mean; a negative control (controls_2025's approval rate,
as the new tree composes it, 10% lower in the new tree) must be flagged by the same rule.

    .venv/bin/python scripts/equivalence.py --old /path/to/old/tree [--seeds 20]
        [--scenarios baseline controls_2025 ...] [--jobs 2] [--csv out.csv]

Scenarios: by default every scenario file both trees hold.

Each tree runs in its own processes (PYTHONPATH), composing scenarios as its command line
does. Prints one Markdown table (scenario x KPI) and the flagged rows; exit status 1 when
a KPI is flagged (the negative control excepted, which must be).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
KPIS = ("lost_vehicles", "lost_vehicle_share", "plants_halted", "exports_t_per_month",
        "licence_wait_days_p50", "licence_approval_share", "extra_magnet_spend_usd")
SCENARIOS = ("baseline", "controls_2025", "embargo_us", "licensing_45wd", "embargo_2010",
             "defense_2027", "price_war", "price_floor")
RUN = """
import json, sys, sim
try:
    cfg = sim.scenario({scenario!r}, *{extra!r}, seed={seed})
except AttributeError:  # a tree before sim.scenario: Hydra's compose API
    from hydra import compose, initialize_config_dir
    from sim.entry import CONFIG_DIR, to_config
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = to_config(compose(config_name="config", overrides=[
            "scenario={scenario}", *{extra!r}, "seed={seed}"]))
k = sim.run(cfg)["kpis"]
print(json.dumps({{n: k.get(n) for n in {kpis!r}}}))
"""


def kpis(tree: Path, scenario: str, seed: int, extra: list[str]) -> dict:
    code = RUN.format(scenario=scenario, extra=list(extra), seed=seed, kpis=list(KPIS))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def compare(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (scen, kpi), g in new.groupby(["scenario", "kpi"]):
        o = old[(old.scenario == scen) & (old.kpi == kpi)].set_index("seed")["value"]
        n = g.set_index("seed")["value"]
        both = pd.concat([o, n], axis=1, keys=["old", "new"]).dropna()
        d = (both["new"] - both["old"]).to_numpy(float)
        mean = float(both["old"].mean()) if len(both) else np.nan
        if len(d) >= 2 and d.std() > 0:
            lo, hi = stats.ttest_1samp(d, 0.0).confidence_interval(0.95)
        else:
            lo = hi = float(d.mean()) if len(d) else np.nan
        flag = (lo > 0 or hi < 0) and abs(d.mean()) >= 0.01 * abs(mean) if len(d) else False
        rows.append({"scenario": scen, "kpi": kpi, "n": len(d), "old_mean": mean,
                     "new_mean": float(both["new"].mean()) if len(both) else np.nan,
                     "diff": float(d.mean()) if len(d) else np.nan, "ci95_low": lo,
                     "ci95_high": hi, "flagged": bool(flag)})
    return pd.DataFrame(rows)


def collect(tree: Path, scenarios, seeds, extra=(), jobs: int = 2) -> pd.DataFrame:
    rows = []
    with ThreadPoolExecutor(jobs) as pool:  # each run is its own process
        for s in scenarios:
            got = pool.map(lambda seed, s=s: (seed, kpis(tree, s, seed, list(extra))), seeds)
            for seed, values in got:
                for k, v in values.items():
                    if isinstance(v, (int, float)):
                        rows.append({"scenario": s, "seed": seed, "kpi": k,
                                     "value": float(v)})
            print(f"  {tree.name}: {s} done", file=sys.stderr, flush=True)
    return pd.DataFrame(rows)


def approval(tree: Path) -> float:
    """controls_2025's approval rate as ``tree`` composes it (with its calibration, if any)."""
    code = ("import sim; print(sim.scenario('controls_2025').licensing.approval_default)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
    return float(r.stdout.strip().splitlines()[-1])


def scenario_names(tree: Path) -> set[str]:
    """The scenario files a tree holds (``scenarios/scenario``, or an older place)."""
    for d in ("scenarios/scenario", "conf/scenario", "scenarios"):
        if (tree / d).is_dir():
            return {p.stem for p in (tree / d).glob("*.yaml")}
    return set()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--new", type=Path, default=ROOT, help="default: this tree")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--scenarios", nargs="*", default=None,
                    help="default: every scenario both trees hold")
    ap.add_argument("--jobs", type=int, default=2, help="runs at once")
    ap.add_argument("--days", type=int, default=None, help="shorter runs (quick checks)")
    ap.add_argument("--csv", type=Path)
    a = ap.parse_args()
    seeds = range(1, a.seeds + 1)
    extra = [f"days={a.days}"] if a.days else []
    new_tree = a.new.resolve()
    scenarios = a.scenarios or sorted(scenario_names(new_tree)
                                      & scenario_names(a.old.resolve())) or list(SCENARIOS)
    old = collect(a.old.resolve(), scenarios, seeds, extra, a.jobs)
    new = collect(new_tree, scenarios, seeds, extra, a.jobs)
    table = compare(old, new)
    lower = round(0.9 * approval(new_tree), 6)  # the control: approval 10% lower
    neg = compare(old[old.scenario == "controls_2025"], collect(
        new_tree, ["controls_2025"], seeds, [*extra, f"licensing.approval_default={lower}"],
        a.jobs))
    neg["scenario"] = "controls_2025 (control: approval 10% lower)"
    table = pd.concat([table, neg], ignore_index=True)
    if a.csv:
        table.to_csv(a.csv, index=False)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.to_markdown(index=False, floatfmt=".4g"))
    bad = table[table.flagged & ~table.scenario.str.contains("control")]
    caught = table[table.scenario.str.contains("control")].flagged.any()
    print(f"\nflagged: {len(bad)} (negative control flagged: {bool(caught)})")
    return 1 if len(bad) or not caught else 0


if __name__ == "__main__":
    sys.exit(main())
