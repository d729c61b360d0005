"""Benchmark: an N-run, 3-year Monte Carlo through the command line (``magnet-sim -m
experiment=monte_carlo``: lean jobs in worker processes, summary and plots at the end),
against its ideal: N x one in-process run / cores (the in-process run timed in this same
call, so both see the same machine).

    .venv/bin/python scripts/bench_sweep.py [--n 200] [--days 1095] [--scenario baseline]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def in_process(days: int, runs: int = 3) -> float:
    code = ("import time, sim\nsim.run(sim.RunConfig(days=30))\nts=[]\n"
            f"for s in range({runs}):\n"
            f"    t=time.perf_counter(); sim.run(sim.RunConfig(days={days}, seed=500+s)); "
            "ts.append(time.perf_counter()-t)\nprint(sorted(ts)[len(ts)//2])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                       cwd=ROOT, check=True)
    return float(r.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--days", type=int, default=1095)
    ap.add_argument("--scenario", default="baseline")
    a = ap.parse_args()
    cores = len(os.sched_getaffinity(0))
    one = in_process(a.days)
    with tempfile.TemporaryDirectory() as d:
        cmd = [sys.executable, "-m", "sim", "-m", "experiment=monte_carlo",
               f"scenario={a.scenario}", f"days={a.days}", f"hydra.sweeper.samples.n={a.n}",
               f"hydra.sweep.dir={d}/sweep"]
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=d)
        wall = time.perf_counter() - t0
        if r.returncode:
            print(r.stderr[-2000:], file=sys.stderr)
            raise SystemExit(r.returncode)
    ideal = a.n * one / cores
    print(f"one in-process run ({a.days} days): {one:.2f} s; {cores} cores")
    print(f"{a.n} runs through the command line: {wall:.1f} s wall; ideal {ideal:.1f} s; "
          f"ratio {wall / ideal:.2f}")


if __name__ == "__main__":
    main()
