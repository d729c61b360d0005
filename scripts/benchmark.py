"""Benchmark: time to simulate three years of the baseline (goal: < 2 s after start-up).

Prints figures; it is not a test (shared machines are noisy).
Usage: .venv/bin/python scripts/benchmark.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    import sim
    from sim.config import RunConfig
    print(f"start-up (imports): {time.perf_counter() - t0:.2f} s")
    build, simulate, tables = [], [], []
    for i in range(args.repeats):
        t = time.perf_counter()
        m = sim.build(RunConfig(days=1095, seed=i))  # the world resolved, the model built
        t1 = time.perf_counter()
        m.run()
        t2 = time.perf_counter()
        m.tables()
        t3 = time.perf_counter()
        build.append(t1 - t)
        simulate.append(t2 - t1)
        tables.append(t3 - t2)
    med = statistics.median
    print(f"baseline, 3 years (1095 days), {args.repeats} runs, median:")
    print(f"  build world     {med(build):.3f} s")
    print(f"  simulate        {med(simulate):.3f} s   (goal < 2 s; min {min(simulate):.3f})")
    print(f"  build tables    {med(tables):.3f} s")
    print(f"  shipments/run   {len(m.shipments)}")


if __name__ == "__main__":
    main()
