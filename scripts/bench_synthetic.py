"""Benchmark: synthetic worlds of N buyer firms (``world=synthetic world.firms=N``) simulated
for a number of days in process, tables and KPIs included, each N in a fresh process: wall
and CPU time, peak memory, firms and shipments, and the cost of each N against the first.

    .venv/bin/python scripts/bench_synthetic.py [--firms 1000 10000] [--days 365]

Not a test: shared machines are noisy. 10,000 firms take minutes and gigabytes today (see
docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_RUN = """
import resource, time, sim
cfg = sim.scenario("baseline", "world=synthetic", "world.firms={n}", days={days}, seed={seed},
                   plots=False)
t = time.perf_counter(); c = time.process_time()
out = sim.run(cfg, progress=False)
wall, cpu = time.perf_counter() - t, time.process_time() - c
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the run's, before counting
firms = out["agents"]["agent"].nunique()
print(wall, cpu, peak, firms, len(out["shipments"]))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    first = None
    for n in a.firms:
        r = subprocess.run([sys.executable, "-c", ONE_RUN.format(n=n, days=a.days, seed=a.seed)],
                           capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        if r.returncode:
            print(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed",
                  file=sys.stderr)
            raise SystemExit(r.returncode)
        wall, cpu, mb, agents, ships = r.stdout.split()[-5:]
        wall, cpu, mb = float(wall), float(cpu), float(mb)
        first = first or wall
        print(f"world.firms={n}: {int(agents)} agents, {int(ships):,} shipments; {a.days} days "
              f"in {wall:.1f} s wall (cpu {cpu:.1f} s), peak {mb:,.0f} MB; "
              f"{wall / first:.1f}x the first", flush=True)


if __name__ == "__main__":
    main()
