"""Save or compare the tables of every scenario x licensing variant at one seed.

Used to show that a refactor changes no behaviour: save the tables before the change, then
check them after it::

    .venv/bin/python scripts/compare_tables.py save  /tmp/tables-before
    .venv/bin/python scripts/compare_tables.py check /tmp/tables-before

``check`` compares each table with pandas ``equals`` and, where that fails, column by
column within ``--rtol`` (1e-9 by default: a changed summation order). Scenarios named with
``--allow`` (e.g. ``defense_2027``, whose overlapping timed events now stack) are reported
but do not fail the check. Exit status 1 when any other table differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.config.paths import CONFIG_DIR

TABLES = ("daily", "agents", "shipments", "events")


def cases() -> list[tuple[str, str]]:
    scen = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
    lic = sorted(p.stem for p in (CONFIG_DIR / "licensing").glob("*.yaml"))
    return [(s, v) for s in scen for v in lic]


def run_case(scenario: str, licensing: str, seed: int) -> dict[str, pd.DataFrame]:
    out = sim.run(sim.scenario(scenario, f"licensing={licensing}", seed=seed))
    return {t: out[t] for t in TABLES}


def _differs(a: pd.DataFrame, b: pd.DataFrame, rtol: float) -> str:
    if a.equals(b) or (a.empty and b.empty and list(a.columns) == list(b.columns)):
        return ""
    if list(a.columns) != list(b.columns):
        return f"columns differ: {sorted(set(a.columns) ^ set(b.columns))}"
    if len(a) != len(b):
        return f"rows {len(a)} vs {len(b)}"
    for c in a.columns:
        x, y = a[c], b[c]
        if x.equals(y):
            continue
        if pd.api.types.is_float_dtype(x) and pd.api.types.is_float_dtype(y):
            xv, yv = x.to_numpy(float), y.to_numpy(float)
            if np.allclose(xv, yv, rtol=rtol, atol=1e-12, equal_nan=True):
                continue
        return f"column {c!r} differs"
    return ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["save", "check"])
    ap.add_argument("folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--allow", nargs="*", default=[], help="scenarios allowed to differ")
    ap.add_argument("--new-event-kinds", nargs="*", default=[],
                    help="event kinds new since the save: their rows are left out of the "
                    "events table before comparing")
    ap.add_argument("--only", nargs="*", default=None, help="scenarios to run (default all)")
    ap.add_argument("--new-columns", nargs="*", default=[],
                    help="columns new since the save: left out of the new tables before "
                    "comparing (the rest must still be equal)")
    a = ap.parse_args(argv)
    folder = Path(a.folder)
    bad = 0
    for scen, lic in cases():
        if a.only and scen not in a.only:
            continue
        tables = run_case(scen, lic, a.seed)
        case = folder / f"{scen}__{lic}"
        if a.mode == "save":
            case.mkdir(parents=True, exist_ok=True)
            for t, df in tables.items():
                df.to_pickle(case / f"{t}.pkl")
            print(f"saved {case.name}", flush=True)
            continue
        diffs = []
        for t, df in tables.items():
            old = pd.read_pickle(case / f"{t}.pkl")
            df = df.drop(columns=[c for c in a.new_columns if c in df.columns])
            if t == "events" and a.new_event_kinds:
                df = df[~df["kind"].isin(a.new_event_kinds)].reset_index(drop=True)
            why = _differs(old, df, a.rtol)
            if why:
                diffs.append(f"{t}: {why}")
        if not diffs:
            print(f"equal    {case.name}", flush=True)
        elif scen in a.allow:
            print(f"allowed  {case.name}: {'; '.join(diffs)}", flush=True)
        else:
            bad += 1
            print(f"DIFFERS  {case.name}: {'; '.join(diffs)}", flush=True)
    if a.mode == "check":
        print(f"{bad} case(s) differ" if bad else "all tables equal")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
