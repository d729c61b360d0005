"""Agent-based simulator of the rare-earth permanent-magnet supply chain.

Public API (no Hydra needed)::

    import sim
    cfg = sim.scenario("controls_2025", days=365)  # a named scenario, as the command line
    out = sim.run(cfg)                             # tables + kpis, in memory
    sim.save(out, "results/my_run")                # a run folder with plots
    again = sim.load("results/my_run")             # tables, kpis and meta back
    out = sim.run(sim.RunConfig(days=365))         # or a config built in Python (baseline)

``RunConfig.scenario_name`` is only a label: it names the run and its folder, it loads
nothing: ``sim.RunConfig(scenario_name="controls_2025")`` is the baseline under that name.
Use ``sim.scenario("controls_2025")`` to load a named scenario.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import time
from collections.abc import Callable
from pathlib import Path

from tqdm.auto import tqdm

from sim.config import EconomicsConf, RunConfig
from sim.config.parameters import changed
from sim.config.resolve import resolve
from sim.config.synthetic import name_copies
from sim.domain.errors import ConfigError
from sim.engine.checks import checked
from sim.engine.memory import gc_paused, is_large, trim_heap
from sim.engine.model import SupplyChainModel
from sim.kpis import RunData, kpis
from sim.kpis.nodes import nodes_meta, plants_daily, plants_for_file
from sim.outputs.report import write_report
from sim.outputs.run_folder import RunFolder, git_commit
from sim.outputs.run_folder import load_run as load
from sim.outputs.run_report import run_sections, write_csv_copies

__version__ = "0.1.0"
__all__ = ["ConfigError", "EconomicsConf", "RunConfig", "RunFolder", "build", "load", "run",
           "save", "scenario", "validate", "__version__"]


def _config(cfg: RunConfig) -> RunConfig:
    if not isinstance(cfg, RunConfig):
        raise ConfigError(f"config: must be a RunConfig, got {type(cfg).__name__} (build one "
                          "with sim.RunConfig(...) or sim.scenario(name))")
    resolve(cfg.world)
    name_copies(cfg)
    return cfg


def validate(cfg: RunConfig):
    """Check ``cfg`` (its world resolved from its tables first); return its start date.
    Raises ConfigError naming the bad key and value."""
    return checked(_config(cfg))[0]


def build(cfg: RunConfig) -> SupplyChainModel:
    """The model of ``cfg``, built and not yet run (its world resolved first)."""
    return SupplyChainModel(_config(cfg))


def scenario(name: str = "baseline", *overrides: str, **values) -> RunConfig:
    """A named scenario's config, composed exactly as the command line composes it.

    ``overrides`` are command-line overrides (``"licensing=fast_track"``,
    ``"world.automaker_cover_days=60"``); ``values`` set top-level keys (``days=365``,
    ``seed=3``). Needs Hydra (imported on first use)."""
    from sim.cli.compose import compose  # Hydra stays out of `import sim` (heavy)

    return compose(name, [*overrides, *(f"{k}={_text(v)}" for k, v in values.items())])


def _text(v) -> str:
    return "null" if v is None else str(v).lower() if isinstance(v, bool) else str(v)


def run(cfg: RunConfig, economics: EconomicsConf | None = None,
        progress: bool | None = None,
        on_day: Callable[[int, int], None] | None = None) -> dict:
    """Simulate ``cfg``; return its tables (with ``plants``), ``kpis`` and ``meta``.

    ``economics`` sets vehicle values and the holding-cost rate of the money KPIs.
    ``progress``: a tqdm bar (None: only on a terminal, and only after 2 seconds).
    ``on_day(done, total)`` is called after each simulated day (the dashboard's progress).
    """
    t0 = time.perf_counter()
    model = build(cfg)
    with tqdm(total=cfg.days, unit="day", desc=cfg.scenario_name, leave=False, delay=2,
              disable=None if progress is None else not progress) as bar, gc_paused():
        done = 0
        while model.running:
            model.step()
            bar.update()
            done += 1
            if on_day is not None:
                on_day(done, cfg.days)
    out = model.tables(last=True)
    out["meta"] = {
        "version": __version__, "scenario": cfg.scenario_name, "seed": cfg.seed,
        "start": model.start.isoformat(), "end": model.end.isoformat(), "days": cfg.days,
        "licensing": cfg.licensing.name, "wall_time_s": round(time.perf_counter() - t0, 3),
        "status": "ok", "nodes": nodes_meta(model),
        "economics": (economics or cfg.economics).as_dict(),
        "metrics": dataclasses.asdict(cfg.metrics), "changed": changed(cfg),
        "calibrated": calibrated(cfg),
    }
    note = past_inputs_note(model)
    if note:
        out["meta"]["notes"] = [note]
    if is_large(len(out["agents"])):  # a large run: free the model before the KPIs
        del model
        gc.collect()
        trim_heap()
    data = RunData(out, out["meta"])
    _ = data.plant_rows  # the largest KPI first, before the others' shared rows are held
    out["kpis"] = kpis(out, out["meta"], data)
    out["plants"] = plants_for_file(data.plants)
    del data  # (its shared rows: tens of MB in a large run)
    out["plants_daily"] = plants_daily(out["agents"])
    return out


def last_dated_input(model: SupplyChainModel) -> tuple[dt.date, str] | None:
    """The scenario's last dated input (an event's date or end, a demand-path step) and
    what it is; None when the scenario dates nothing."""
    found = []
    for ev in model.policy.events:
        name = ev.label or ev.kind
        found.append((ev.date, f"event {name!r}"))
        if ev.end is not None:
            found.append((ev.end, f"end of event {name!r}"))
    world = model.cfg.world
    if world.demand_paths:
        for step in world.demand or ():
            found.append((dt.date.fromisoformat(str(step.date)), f"demand step ({step.kind} "
                          f"x{step.multiplier:g})"))
    return max(found, key=lambda x: x[0]) if found else None


def past_inputs_note(model: SupplyChainModel) -> str | None:
    """One sentence when the run ends after the scenario's last dated input."""
    last = last_dated_input(model)
    if last is None or model.end <= last[0]:
        return None
    days = (model.end - last[0]).days
    return (f"the run ends {model.end}, {days:,} days after the scenario's last dated input "
            f"({last[1]} on {last[0]}): nothing is scheduled after that, so the years beyond "
            "show the model's own dynamics, not an input")


def calibrated(cfg: RunConfig) -> dict:
    """The calibration this config carries: its name, source and the values in force at
    its keys (a value changed after it is shown as it runs); {} when none."""
    c = cfg.calibrated
    if not c.name:
        return {}
    values = {}
    for key in c.params:
        obj = cfg
        for part in key.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
        values[key] = obj
    return {"name": c.name, "source": c.source, "values": values, "ensemble": c.ensemble}


def save(out: dict, folder: str | Path, plots: bool = True, report: bool = True,
         overwrite: bool = False) -> Path:
    """Write a run's tables (with CSV copies of the plants and KPI tables), KPIs, meta,
    plots and ``report.html`` into ``folder``; a folder that holds a finished run already
    is refused (nothing in it is changed) unless ``overwrite``."""
    from sim.outputs import plots as plotting  # matplotlib only when plots are drawn

    rf = RunFolder(folder)
    if rf.meta_path.exists() and not overwrite:
        raise ConfigError(f"{rf.path}: holds a run already (its meta.json); save into a new "
                          "folder, or pass overwrite=True")
    rf.write_tables(out)
    rf.write_kpis(out["kpis"])
    write_csv_copies(out, rf.path)
    if plots:
        _, skipped = plotting.draw_all(out, rf.path, out["meta"].get("scenario", "run"))
        out["meta"]["plots_skipped"] = skipped
    meta = {**out["meta"], "git_commit": git_commit()}
    rf.write_meta(meta)
    if report:
        write_report(rf.path, *run_sections({**out, "meta": meta}, rf.path))
    return rf.path
