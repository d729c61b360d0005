"""Where one run's time goes: each step of the day's plan (`sim.engine.plan.PLAN`) timed
over the run, then the tables and the KPIs, after a warm-up run.

    .venv/bin/python scripts/bench_phases.py [--days 1095] [--seed 6] [OVERRIDE ...]
    .venv/bin/python scripts/bench_phases.py --days 365 world=synthetic world.firms=1000

Overrides are the command line's (``scenario=embargo_us``, ``world.firms=1000``). Not a
test: shared machines are noisy; compare figures taken on a quiet machine.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import sim
from sim.engine import plan
from sim.engine.recorder import Recorder
from sim.kpis import RunData, kpis
from sim.kpis.nodes import nodes_meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=int, default=1095)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("overrides", nargs="*")
    a = ap.parse_args()
    scen = next((o.split("=", 1)[1] for o in a.overrides if o.startswith("scenario=")),
                "baseline")
    rest = [o for o in a.overrides if not o.startswith("scenario=")]

    def cfg(seed: int):
        return sim.scenario(scen, *rest, days=a.days, seed=seed, plots=False)

    sim.run(cfg(a.seed + 1000), progress=False)  # warm-up: imports and caches
    spent: Counter = Counter()

    def timed_phase(self, m) -> None:
        for step in self.steps:
            t = time.perf_counter()
            step(m)
            spent[step.text()] += time.perf_counter() - t

    plan.Phase.run = timed_phase
    model = sim.build(cfg(a.seed))
    t0 = time.perf_counter()
    while model.running:
        model.step()
    days = time.perf_counter() - t0
    t = time.perf_counter()
    tables = Recorder.tables(model.recorder, model.orders.table(), model.policy.events)
    spent["(tables)"] = time.perf_counter() - t
    meta = {"nodes": nodes_meta(model)}
    t = time.perf_counter()
    kpis(tables, meta, RunData(tables, meta))
    spent["(KPIs)"] = time.perf_counter() - t
    print(f"{scen} {' '.join(rest)} {a.days} days, seed {a.seed}: the days {days:.3f} s")
    for what, s in spent.most_common():
        print(f"{s:8.3f} s  {what}")
    print(f"{sum(spent.values()):8.3f} s  in all")


if __name__ == "__main__":
    main()
