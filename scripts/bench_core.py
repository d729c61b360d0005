"""Benchmark: the 3-year baseline simulated in process, tables and KPIs included
(``sim.run(sim.RunConfig(days=1095))``), this tree against another, pair by pair.

Each timed run is a fresh process running one ``sim.run`` of a fresh seed after a short
warm-up run (imports and caches out of the figure), timed inside the process; the two
trees alternate (A B A B ...), so a drift in the machine's speed hits both. Prints every
pair, the medians and the median of the pair ratios. Not a test: shared machines are noisy.

    .venv/bin/python scripts/bench_core.py --vs /path/to/old/tree [--pairs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_RUN = """
import sys, time, resource, sim
sim.run(sim.RunConfig(days=30, seed=0))
t = time.perf_counter(); c = time.process_time()
sim.run(sim.RunConfig(days={days}, seed={seed}))
print(time.perf_counter() - t, time.process_time() - c,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def one(tree: Path, days: int, seed: int) -> tuple[float, float, float]:
    r = subprocess.run([sys.executable, "-c", ONE_RUN.format(days=days, seed=seed)],
                       capture_output=True, text=True, cwd=tree,
                       env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
    wall, cpu, mb = map(float, r.stdout.split()[-3:])
    return wall, cpu, mb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vs", type=Path, help="another source tree (e.g. a checkout of a707c3d)")
    ap.add_argument("--pairs", type=int, default=7)
    ap.add_argument("--days", type=int, default=1095)
    a = ap.parse_args()
    trees = [("this", ROOT)] + ([("other", a.vs.resolve())] if a.vs else [])
    times: dict[str, list] = {n: [] for n, _ in trees}
    for i in range(a.pairs):
        row = []
        for name, tree in trees:
            w, c, mb = one(tree, a.days, 100 + i)
            times[name].append((w, c, mb))
            row.append(f"{name} {w:.3f} s (cpu {c:.3f}, peak {mb:.0f} MB)")
        print(f"pair {i + 1}: " + "; ".join(row), flush=True)
    med = statistics.median
    for name, ts in times.items():
        print(f"{name}: median wall {med(t[0] for t in ts):.3f} s, cpu "
              f"{med(t[1] for t in ts):.3f} s, peak {max(t[2] for t in ts):.0f} MB")
    if a.vs:
        ratios = [o[0] / t[0] for t, o in zip(times["this"], times["other"], strict=True)]
        print(f"other / this, pair by pair: median {med(ratios):.2f}x "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
