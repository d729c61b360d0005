"""Agent-based simulator of the rare-earth permanent-magnet supply chain.

Public API (no Hydra needed)::

    import sim
    out = sim.run(sim.RunConfig(days=365))     # tables + kpis, in memory
    sim.save(out, "results/my_run")            # a run folder with plots
    again = sim.load("results/my_run")         # tables, kpis and meta back
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from sim.config import EconomicsConf, RunConfig
from sim.domain.errors import ConfigError
from sim.outputs.run_folder import RunFolder
from sim.outputs.run_folder import load_run as load

__version__ = "0.1.0"
__all__ = ["ConfigError", "EconomicsConf", "RunConfig", "RunFolder", "load", "run", "save",
           "__version__"]


def run(cfg: RunConfig, economics: EconomicsConf | None = None,
        progress: bool | None = None) -> dict:
    """Simulate ``cfg``; return its tables (with ``plants``), ``kpis`` and ``meta``.

    ``economics`` sets vehicle values and the holding-cost rate of the money KPIs.
    ``progress``: a tqdm bar (None: only on a terminal, and only after 2 seconds).
    """
    from tqdm.auto import tqdm

    from sim.engine.model import SupplyChainModel
    from sim.kpis import RunData, kpis
    from sim.kpis.plants import nodes_meta, plants_for_file

    t0 = time.perf_counter()
    model = SupplyChainModel(cfg)
    with tqdm(total=cfg.days, unit="day", desc=cfg.scenario_name, leave=False, delay=2,
              disable=None if progress is None else not progress) as bar:
        while model.running:
            model.step()
            bar.update()
    out = model.tables()
    out["meta"] = {
        "version": __version__, "scenario": cfg.scenario_name, "seed": cfg.seed,
        "start": model.start.isoformat(), "end": model.end.isoformat(), "days": cfg.days,
        "licensing": cfg.licensing.name, "wall_time_s": round(time.perf_counter() - t0, 3),
        "status": "ok", "nodes": nodes_meta(model),
        "economics": (economics or cfg.economics).as_dict(),
        "metrics": dataclasses.asdict(cfg.metrics),
    }
    data = RunData(out, out["meta"])
    out["kpis"] = kpis(out, out["meta"])
    out["plants"] = plants_for_file(data.plants)
    return out


def save(out: dict, folder: str | Path, plots: bool = True) -> Path:
    """Write a run's tables, KPIs, meta and plots into ``folder``."""
    from sim.outputs import plots as plotting
    from sim.outputs.run_folder import git_commit

    rf = RunFolder(folder)
    rf.write_tables(out)
    rf.write_kpis(out["kpis"])
    if plots:
        _, skipped = plotting.draw_all(out, rf.path, out["meta"].get("scenario", "run"))
        out["meta"]["plots_skipped"] = skipped
    rf.write_meta({**out["meta"], "git_commit": git_commit()})
    return rf.path
