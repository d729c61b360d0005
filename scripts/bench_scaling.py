"""Which work grows faster than the world: every scenario on synthetic worlds of two sizes,
each step of the day's plan (and the tables and KPIs) timed by `bench_phases.py`, and the
steps whose cost grew more than ``--slack`` times the firms flagged.

    .venv/bin/python scripts/bench_scaling.py [--firms 1000 3000] [--days 200]
        [--scenarios baseline controls_2025 ...] [--slack 2.0]

A flagged step is worth a look for a loop over every firm or order inside a loop over
firms (this found expediting's scan of every book per short buyer, and the plant KPIs'
filter of whole tables per halted plant: 9-11x for 3x the firms). Cache misses alone make
a 3,000-firm world cost up to about 1.5x more per firm than a 1,000-firm one on a 2-core
machine, and single runs vary by 10-20%, so the default slack is 2. Not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^\s*([0-9.]+) s\s+(.+)$")


def phases(scenario: str, firms: int, days: int) -> dict[str, float]:
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_phases.py"), "--days", str(days),
         f"scenario={scenario}", "world=synthetic", f"world.firms={firms}"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if r.returncode:
        err = r.stderr.strip().splitlines()
        raise SystemExit(f"{scenario} at {firms} firms failed: {err[-1] if err else '?'}")
    return {m.group(2): float(m.group(1)) for m in map(LINE.match, r.stdout.splitlines())
            if m}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, nargs=2, default=[1000, 3000])
    ap.add_argument("--days", type=int, default=200)
    ap.add_argument("--scenarios", nargs="+", default=None)
    ap.add_argument("--slack", type=float, default=2.0)
    a = ap.parse_args()
    scenarios = a.scenarios or sorted(p.stem for p in (ROOT / "scenarios" / "scenario")
                                      .glob("*.yaml"))
    small, large = a.firms
    grow = large / small
    print(f"{a.days} days; {small:,} -> {large:,} firms ({grow:g}x); flagged: a step "
          f"that grew more than {a.slack:g} x {grow:g} = {a.slack * grow:.1f}x")
    for scen in scenarios:
        t0, t1 = phases(scen, small, a.days), phases(scen, large, a.days)
        total0, total1 = t0.get("in all", 0.0), t1.get("in all", 0.0)
        print(f"\n{scen}: {total0:.1f} s -> {total1:.1f} s ({total1 / total0:.1f}x)",
              flush=True)
        for step in sorted(t1, key=t1.get, reverse=True):
            if step == "in all" or t1[step] < 0.02 * total1:
                continue
            ratio = t1[step] / t0[step] if t0.get(step) else float("inf")
            flag = "  <- grew faster than the world" if ratio > a.slack * grow else ""
            print(f"  {step:32s} {t0.get(step, 0.0):7.2f} s -> {t1[step]:7.2f} s "
                  f"({ratio:4.1f}x){flag}", flush=True)


if __name__ == "__main__":
    main()
