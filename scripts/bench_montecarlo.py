"""Benchmark: a 100-run Monte Carlo of the baseline through the real command line
(`python -m sim -m experiment=monte_carlo scenario=baseline`, joblib on all local cores,
three-year horizon, per-job plots off, summary and fan charts at the end).
Goal: under 3 minutes on a 2-core machine.

Prints figures; it is not a test (shared machines are noisy).
Usage: .venv/bin/python scripts/bench_montecarlo.py [--n 100] [--days 1095] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100, help="Monte Carlo runs")
    ap.add_argument("--days", type=int, default=1095)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--keep", action="store_true", help="keep the sweep folder")
    a = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bench_mc_"))
    cmd = [sys.executable, "-m", "sim", "-m", "experiment=monte_carlo",
           f"scenario={a.scenario}", f"days={a.days}", f"hydra.sweeper.samples.n={a.n}",
           f"hydra.sweep.dir={out / 'sweep'}"]
    print(" ".join(cmd[1:]))
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        print(r.stderr[-2000:], file=sys.stderr)
        raise SystemExit(r.returncode)
    summary = next((ln for ln in r.stdout.splitlines() if ln.startswith("summary:")), "")
    print(summary)
    print(f"{a.n} runs x {a.days} days on {os.cpu_count()} cores: {wall:.1f} s wall "
          f"({wall / a.n:.2f} s per run; goal < 180 s for 100) "
          f"{'OK' if wall < 180 * a.n / 100 else 'SLOW'}")
    if a.keep:
        print(f"sweep folder: {out / 'sweep'}")
    else:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
