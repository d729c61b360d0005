"""What the dashboard does besides drawing: compose and run a variant beside its baseline
in this process, open saved run folders and sweep roots, and pack a run's tables.

Runs go through `sim.run` on configs composed exactly as the command line composes them
(`sim.scenario`, after `sim.cli.overrides.check_overrides`); nothing is shelled out and no
text from the page is executed: the page sends lever values, and `levers` turns them into
overrides. A baseline depends only on the scenario, licensing variant, world, horizon and
seed, so the last few are kept: moving a lever reruns only the variant.
"""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import sim
from sim.cli.compose import explain, is_user_error
from sim.cli.overrides import check_overrides
from sim.domain.errors import ConfigError, error
from sim.experiments.discovery import read_summary
from sim.experiments.runner import composer
from sim.outputs.dashboard.levers import (
    MAX_DAYS,
    Embargo,
    Levers,
    frame_overrides,
    policy_overrides,
    scenario_embargo,
)
from sim.outputs.run_folder import TABLES, RunFolder

Progress = Callable[[str, float], None]
"""``progress(what, share done)``: what is running and how far it is (0..1)."""


@dataclass
class Outcome:
    """A variant and the baseline of the same seed, with what it took."""

    levers: Levers
    variant: dict
    baseline: dict
    overrides: list[str]
    baseline_overrides: list[str]
    seconds: float
    baseline_cached: bool
    embargo: Embargo | None = None

    @property
    def same(self) -> bool:
        """No lever moved: the variant is the baseline."""
        return self.overrides == self.baseline_overrides


def compose(scenario: str, overrides: list[str]):
    """The config of ``scenario`` with ``overrides``, composed as the command line would
    (checked, then through the sweeps' cached composer, `sim.cli.fast_compose`); a bad
    value is one ConfigError."""
    try:
        checked = check_overrides([f"scenario={scenario}", *overrides])  # ids need the
        return composer()(checked).config                                  # scenario's events
    except ConfigError:
        raise
    except Exception as e:  # noqa: BLE001 - Hydra's and OmegaConf's errors as one line
        if is_user_error(e):
            raise ConfigError(explain(e)) from None
        raise


@dataclass
class Runner:
    """Runs variants beside baselines (one at a time: a lock keeps two clicks apart)."""

    keep: int = 6
    _baselines: OrderedDict = field(default_factory=OrderedDict)
    _defaults: dict = field(default_factory=dict)
    _configs: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def defaults(self, scenario: str) -> dict:
        """A scenario's horizon (capped at `MAX_DAYS`), plants, start and own embargo."""
        if scenario not in self._defaults:
            cfg = compose(scenario, [])
            plants = [a.name for a in (cfg.world.automakers or [])]
            self._defaults[scenario] = {
                "days": min(int(cfg.days), MAX_DAYS), "scenario_days": int(cfg.days),
                "start": str(cfg.start), "plants": plants, "embargo": scenario_embargo(cfg),
                "events": [_event_text(e) for e in cfg.events]}
        return self._defaults[scenario]

    def run(self, lv: Levers, progress: Progress | None = None) -> Outcome:
        """The variant of ``lv`` and its baseline (cached when seen before)."""
        with self._lock:
            return self._run(lv, progress or (lambda what, share: None))

    def _run(self, lv: Levers, progress: Progress) -> Outcome:
        t0 = time.perf_counter()
        frame = frame_overrides(lv)
        progress("composing", 0.0)
        key = (lv.scenario, *frame)
        if key not in self._configs:
            self._configs[key] = compose(lv.scenario, frame)
        base_cfg = self._configs[key]
        embargo = scenario_embargo(base_cfg)
        policy = policy_overrides(lv, base_cfg.events, str(base_cfg.start), embargo)
        var_cfg = compose(lv.scenario, frame + policy) if policy else base_cfg
        cached = key in self._baselines
        steps = (0 if cached else 1) + (1 if policy else 0)
        done = [0]

        def on_day(what: str):
            def f(day: int, total: int) -> None:
                if day % 10 == 0 or day == total:
                    progress(what, (done[0] + day / total) / max(steps, 1))
            return f

        if cached:
            self._baselines.move_to_end(key)
        else:
            self._baselines[key] = sim.run(base_cfg, progress=False,
                                           on_day=on_day("running the baseline"))
            done[0] += 1
            while len(self._baselines) > self.keep:
                self._baselines.popitem(last=False)
        baseline = self._baselines[key]
        variant = sim.run(var_cfg, progress=False, on_day=on_day("running the variant")) \
            if policy else baseline
        progress("drawing", 1.0)
        return Outcome(lv, variant, baseline, [f"scenario={lv.scenario}", *frame, *policy],
                       [f"scenario={lv.scenario}", *frame], time.perf_counter() - t0,
                       cached, embargo)


def _event_text(e) -> str:
    when = f"day {e.day}" if e.day is not None else str(e.date or "")
    span = f" for {e.days} days" if e.days else ""
    what = ", ".join(str(x) for x in (e.materials or [])) or "all magnets"
    to = ", ".join(e.destinations or []) or "all"
    return f"{when}{span}: {e.set} ({what} to {to})" + (f" - {e.label}" if e.label else "")


# --------------------------------------------------------------------------- saved folders
@dataclass
class Opened:
    """A saved run folder (its tables) or a sweep root (its summary and job folders)."""

    path: Path
    kind: str  # run | sweep
    run: dict | None = None
    summary: pd.DataFrame | None = None
    jobs: list[str] = field(default_factory=list)
    prim: pd.DataFrame | None = None


def open_folder(text: str) -> Opened:
    """Open ``text`` (a folder path) read-only: a run folder or a sweep root."""
    path = Path(str(text).strip()).expanduser()
    if not str(text).strip():
        raise error("open", "give a folder: a run folder or a sweep root", "nothing")
    if not path.is_dir():
        raise error("open", "no such folder", str(path))
    rf = RunFolder(path)
    if rf.is_run():
        if not rf.has_tables():
            raise error("open", "this run kept no tables (a sweep job with keep: summary; "
                        "its KPIs are in the sweep's summary)", str(path))
        return Opened(path, "run", run=rf.read())
    jobs = [j.path.name for j in RunFolder.jobs(path)]
    if not jobs and not (path / "summary.csv").exists():
        raise error("open", "not a run folder (no daily.parquet) nor a sweep root (no "
                    "summary.csv, no job folders)", str(path))
    summary = read_summary(path) if ((path / "summary.csv").exists() or
                                     (path / "summary.parquet").exists()) else None
    prim = pd.read_csv(path / "prim_boxes.csv") if (path / "prim_boxes.csv").exists() \
        else None
    return Opened(path, "sweep", summary=summary, jobs=jobs, prim=prim)


def open_job(opened: Opened, job: str) -> dict:
    """One job of an opened sweep, as a run (its tables, when it kept them)."""
    if job not in opened.jobs:
        raise error("open", f"no job {job!r} in {opened.path}", job)
    rf = RunFolder(opened.path / job)
    if not rf.has_tables():
        raise error("open", f"job {job} kept only its KPIs (the sweep's keep: summary); "
                    "keep: tables saves each job's tables", job)
    return rf.read()


def summary_rows(summary: pd.DataFrame, n: int = 50) -> list[dict]:
    """A sweep summary's first ``n`` jobs: what varies between them and the headline KPIs."""
    params = [c for c in summary if c.startswith("param.") and not c.startswith(
        "param.hydra") and summary[c].nunique() > 1]
    kpis = [c for c in ("kpi.lost_vehicles", "kpi.lost_vehicle_share", "kpi.plants_halted")
            if c in summary]
    rows = []
    for _, r in summary.head(n).iterrows():
        row = {"job": r["job"], "status": r["status"], "seed": r.get("seed")}
        row.update({c[len("param."):]: _short(r[c]) for c in params})
        row.update({c[len("kpi."):]: _short(r[c]) for c in kpis})
        rows.append(row)
    return rows


def _short(v) -> str:
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.4g}"
    return str(v)


def prim_rows(prim: pd.DataFrame) -> list[dict]:
    """``prim_boxes.csv``'s restricted inputs, one line each."""
    rows = []
    for _, r in prim[prim["restricted"].astype(bool)].iterrows():
        qp = [q for q in (r.get("qp_low"), r.get("qp_high")) if pd.notna(q)]
        rows.append({"box": int(r["box"]), "input": r.get("label", r["input"]),
                     "in the box": r["values"] if pd.notna(r.get("values")) else
                     f"{_short(r['low'])} .. {_short(r['high'])}",
                     "sampled": "" if pd.isna(r.get("full_low")) else
                     f"{_short(r['full_low'])} .. {_short(r['full_high'])}",
                     "quasi-p": f"{max(qp):.1g}" if qp else "",
                     "coverage": f"{r['coverage']:.2f}", "density": f"{r['density']:.2f}",
                     "runs": int(r["runs"])})
    return rows


def tables_zip(out: dict, overrides: list[str] | None = None) -> bytes:
    """A run's tables as one zip: Parquet as a run folder holds them, CSV of the daily
    series and the per-plant table, the KPIs, meta and the overrides that made it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in (*TABLES, "plants"):
            df = out.get(name)
            if isinstance(df, pd.DataFrame):
                pq = io.BytesIO()
                df.to_parquet(pq, index=False)
                z.writestr(f"{name}.parquet", pq.getvalue())
        for name in ("daily", "plants"):
            if isinstance(out.get(name), pd.DataFrame):
                z.writestr(f"{name}.csv", out[name].to_csv(index=False))
        z.writestr("kpis.json", json.dumps(out.get("kpis", {}), indent=1, default=str))
        z.writestr("meta.json", json.dumps(out.get("meta", {}), indent=1, default=str))
        if overrides:
            z.writestr("overrides.txt", "\n".join(overrides) + "\n")
    return buf.getvalue()
