"""Benchmark: synthetic worlds of N buyer firms (``world=synthetic world.firms=N``) simulated
for a number of days in process, tables and KPIs included, each N in a fresh process: wall
and CPU time, peak memory, firms and shipments, and the cost of each N against the first.

    .venv/bin/python scripts/bench_synthetic.py [--firms 1000 10000] [--days 365]
    .venv/bin/python scripts/bench_synthetic.py --vs /path/to/old/tree [--repeat 2]

``--vs TREE``: the same runs of another source tree beside this one's, alternating (this,
other, this, other at each size), so a drift in the machine's speed hits both; then each
tree's median per size, its cost of the last size against the first (the 10,000/1,000
ratio), and other/this pair by pair. ``--repeat K``: every size K times (each tree).

Not a test: shared machines are noisy. 10,000 firms take minutes and gigabytes today (see
docs/performance.md).
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


def one(tree: Path, n: int, days: int, seed: int) -> tuple[float, float, float, int, int]:
    """One fresh process of ``tree`` simulating ``n`` firms: (wall, cpu, peak MB, agents,
    shipments); a failed run stops the benchmark with its last error line."""
    r = subprocess.run([sys.executable, "-c", ONE_RUN.format(n=n, days=days, seed=seed)],
                       capture_output=True, text=True, cwd=tree,
                       env={**os.environ, "PYTHONPATH": str(tree)})
    if r.returncode:
        last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"
        print(f"{tree}: world.firms={n}: {last}", file=sys.stderr)
        raise SystemExit(r.returncode)
    wall, cpu, mb, agents, ships = r.stdout.split()[-5:]
    return float(wall), float(cpu), float(mb), int(agents), int(ships)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--vs", type=Path, help="another source tree, run beside this one")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each size (each tree)")
    a = ap.parse_args()
    if a.vs is not None and not (a.vs / "sim" / "__init__.py").is_file():
        ap.error(f"--vs {a.vs}: not a source tree of this project (no sim/__init__.py)")
    if a.repeat < 1 or min(a.firms) < 1 or a.days < 1:
        ap.error("--repeat, --firms and --days must be positive")
    trees = [("this", ROOT)] + ([("other", a.vs.resolve())] if a.vs else [])
    walls: dict[tuple[str, int], list[float]] = {}
    for k in range(a.repeat):
        for n in a.firms:
            for name, tree in trees:
                wall, cpu, mb, agents, ships = one(tree, n, a.days, a.seed + k)
                walls.setdefault((name, n), []).append(wall)
                first = statistics.median(walls[name, a.firms[0]])
                who = f"{name}: " if a.vs else ""
                print(f"{who}world.firms={n}: {agents} agents, {ships:,} shipments; "
                      f"{a.days} days in {wall:.1f} s wall (cpu {cpu:.1f} s), peak "
                      f"{mb:,.0f} MB; {wall / first:.1f}x the first", flush=True)
    if a.repeat == 1 and not a.vs:
        return
    med = statistics.median
    for name, _ in trees:
        per = ", ".join(f"{n:,} firms {med(walls[name, n]):.1f} s" for n in a.firms)
        last = med(walls[name, a.firms[-1]]) / med(walls[name, a.firms[0]])
        print(f"{name}: median {per}; {a.firms[-1]:,} firms cost {last:.1f}x "
              f"{a.firms[0]:,}")
    if a.vs:
        for n in a.firms:
            r = [o / t for t, o in zip(walls["this", n], walls["other", n], strict=True)]
            print(f"world.firms={n}: other / this, pair by pair: "
                  + ", ".join(f"{x:.2f}x" for x in r))


if __name__ == "__main__":
    main()
