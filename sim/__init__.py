"""Agent-based simulator of the rare-earth permanent-magnet supply chain.

Public API (no Hydra needed)::

    import sim
    out = sim.run(sim.RunConfig(days=365))     # tables + kpis, in memory
    sim.save(out, "results/my_run")            # a run folder with plots
    again = sim.load("results/my_run")         # tables, kpis and meta back
"""

from __future__ import annotations

import time
from pathlib import Path

from .config import RunConfig
from .errors import ConfigError
from .results import load_run as load

__version__ = "0.1.0"
__all__ = ["ConfigError", "RunConfig", "load", "run", "save", "__version__"]


def run(cfg: RunConfig) -> dict:
    """Simulate ``cfg``; return its tables, ``kpis`` and ``meta``."""
    from .metrics import kpis
    from .model import SupplyChainModel

    t0 = time.perf_counter()
    model = SupplyChainModel(cfg).run()
    out = model.tables()
    out["kpis"] = kpis(out)
    out["meta"] = {
        "version": __version__, "scenario": cfg.scenario_name, "seed": cfg.seed,
        "start": model.start.isoformat(), "end": model.end.isoformat(), "days": cfg.days,
        "licensing": cfg.licensing.name, "wall_time_s": round(time.perf_counter() - t0, 3),
        "status": "ok",
    }
    return out


def save(out: dict, folder: str | Path, plots: bool = True) -> Path:
    """Write a run's tables, KPIs, meta and plots into ``folder``."""
    from . import plots as plotting
    from .results import git_commit, write_json, write_tables

    folder = Path(folder)
    write_tables(folder, out)
    write_json(folder / "kpis.json", out["kpis"])
    if plots:
        plotting.draw_all(out, folder, out["meta"].get("scenario", "run"))
    write_json(folder / "meta.json", {**out["meta"], "git_commit": git_commit()})
    return folder
