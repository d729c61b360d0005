"""One runner for many runs: `run_many` runs jobs (each a list of overrides and a folder)
and reports each as it finishes. Sweeps, the buffer search, the ablation and later compare,
calibration and the dashboard all run through it; none writes its own parallel loop.

A job composes its config (`sim.cli.compose.compose_run`), runs it and writes its run folder
(`run_job`); a failure is recorded in the job's folder and reported, and the other jobs go
on. Jobs run in worker processes (``workers``; 1: in this process), in batches of
``batch`` jobs per task, so a worker pays its set-up once. Workers die with their parent
(Linux: ``PR_SET_PDEATHSIG``), so killing the main process leaves none behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

import sim
from sim.cli.compose import Composed, run_node
from sim.cli.fast_compose import Composer
from sim.domain.errors import ConfigError
from sim.kpis import observables
from sim.outputs.run_folder import RunFolder


@dataclass(frozen=True)
class Job:
    """One run: its overrides (or a config built already), its folder (None: nothing is
    written, only the KPIs come back), and what it keeps."""

    overrides: tuple[str, ...] = ()
    folder: str | None = None
    config: Any = None  # a RunConfig; then ``overrides`` only label the run
    plots: bool | None = None  # None: the config's ``plots``
    tables: bool = True  # write every table (False: meta, KPIs, plants and `SERIES` only)
    dirs: tuple[str, ...] = ()  # config search folders (``--config-dir`` first)
    observables: tuple[tuple[str, str], ...] = ()  # (series, period) computed in the worker


@dataclass
class Result:
    """What became of a job."""

    job: Job
    status: str  # ok | failed
    kpis: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    error: str | None = None
    user_error: bool = False
    wall_time_s: float = 0.0
    series: dict = field(default_factory=dict)  # Job.observables: name -> pd.Series


SERIES = ("lost_vehicles", "planned_vehicles", "exports_t", "held_at_customs_t",
          "smuggled_t", "buyer_cover_ndfeb_days", "buyer_cover_ndfeb_hre_days",
          "buyer_cover_smco_days", "price_ndfeb_ex_cn", "price_ndfeb_hre_ex_cn",
          "price_dy_oxide_ex_cn", "licence_queue_ndfeb_hre_t")
"""The daily series a lean job keeps (``Job.tables`` false): what sweep plots read."""


def write_config(rf: RunFolder, composed: Composed) -> None:
    """``.hydra/overrides.yaml`` and, where the job was composed by Hydra in full,
    ``.hydra/config.yaml`` (a job composed from a cached base keeps its overrides only:
    the sweep folder's ``multirun.yaml`` and these give its config)."""
    rf.hydra_dir.mkdir(parents=True, exist_ok=True)
    if composed.node is not None:
        OmegaConf.save(run_node(composed.node), rf.config_path)
    OmegaConf.save(OmegaConf.create(list(composed.overrides)), rf.overrides_path)


def lean(out: dict) -> dict:
    """A run's output with its daily table cut to `SERIES` and no other tables."""
    daily = out["daily"]
    keep = ["date", *(c for c in SERIES if c in daily.columns)]
    return {**{k: v for k, v in out.items() if k not in ("daily", "agents", "shipments",
                                                         "events")}, "daily": daily[keep]}


def execute(composed: Composed, job: Job) -> dict:
    """Run a composed config into ``job.folder``: the run's output (tables, kpis, meta)."""
    rf = RunFolder(job.folder)
    write_config(rf, composed)
    out = sim.run(composed.config)
    if composed.notes:
        out["meta"]["notes"] = [*composed.notes, *out["meta"].get("notes", [])]
    plots = composed.config.plots if job.plots is None else job.plots
    sim.save(out if job.tables else lean(out), rf.path, plots=plots and job.tables)
    return out


def run_job(job: Job) -> Result:
    """Compose, run and save one job; a failure is recorded in its folder, never raised."""
    t0 = time.perf_counter()
    rf = RunFolder(job.folder) if job.folder is not None else None
    try:
        if job.config is not None:
            out = sim.run(job.config, progress=False)
            if rf is not None:
                rf.path.mkdir(parents=True, exist_ok=True)
                rf.hydra_dir.mkdir(exist_ok=True)
                OmegaConf.save(OmegaConf.create(list(job.overrides)), rf.overrides_path)
                sim.save(out, rf.path, plots=bool(job.plots))
        else:
            composed = composer(job.dirs)(list(job.overrides))
            if rf is None:
                out = sim.run(composed.config, progress=False)
            else:
                out = execute(composed, job)
        series = {name: observables.compute(out, name, period)
                  for name, period in job.observables}
        return Result(job, "ok", out["kpis"], out["meta"],
                      wall_time_s=time.perf_counter() - t0, series=series)
    except ConfigError as e:
        if rf is not None:
            rf.write_failure(str(e))
        return Result(job, "failed", error=str(e), user_error=True,
                      wall_time_s=time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - recorded so the other jobs go on
        msg = f"{type(e).__name__}: {e}"
        if rf is not None:
            rf.write_failure(msg, traceback.format_exc())
        return Result(job, "failed", error=msg, wall_time_s=time.perf_counter() - t0)


_COMPOSERS: dict[tuple[str, ...], Composer] = {}


def composer(dirs: tuple[str, ...] = ()) -> Composer:
    """This process's `Composer` for config folders ``dirs`` (Hydra's work cached)."""
    if dirs not in _COMPOSERS:
        _COMPOSERS[dirs] = Composer([Path(d) for d in dirs] or None)
    return _COMPOSERS[dirs]


def _die_with_parent() -> None:
    """Worker initialiser: the kernel kills this worker when its parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def batch_results(jobs: list[tuple[int, Job]]) -> list[tuple[int, Result]]:
    """Run a batch of numbered jobs (one task of a pool or a cluster backend)."""
    return [(i, run_job(j)) for i, j in jobs]


def batches(jobs: list, workers: int, batch: int | None) -> list[list]:
    """Jobs in batches: ``batch`` per task, or enough tasks for ~4 per worker (so workers
    stay busy to the end while each pays its set-up a few times at most)."""
    size = batch or max(1, min(50, len(jobs) // (4 * max(1, workers))))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Workers:
    """Worker processes kept across several `run_many` calls (a calibration's rounds), so
    each pays its start and Hydra's composition once::

        with Workers(2) as w:
            for round in ...:
                run_many(jobs, pool=w)
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or cores())
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        if self.workers > 1:
            self.executor = ProcessPoolExecutor(max_workers=self.workers,
                                                initializer=_die_with_parent)
        return self

    def __exit__(self, *exc) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=exc[0] is None, cancel_futures=True)
            self.executor = None


def run_many(jobs: Iterable[Job], workers: int | None = None, batch: int | None = None,
             on_result: Callable[[Result], None] | None = None,
             pool: Workers | None = None) -> list[Result]:
    """Run ``jobs`` (module docstring); call ``on_result`` as each finishes; return the
    results in job order. ``workers``: processes (None: the cores; 1: in this process);
    ``pool``: run in these kept `Workers` instead of new processes."""
    jobs = list(jobs)
    if pool is not None:
        workers = pool.workers
    workers = min(workers or cores(), max(1, len(jobs)))
    results: list[Result | None] = [None] * len(jobs)
    if workers <= 1 or (pool is not None and pool.executor is None):
        stream: Iterable = ((i, run_job(j)) for i, j in enumerate(jobs))
    else:
        stream = _pool(batches(list(enumerate(jobs)), workers, batch), workers,
                       pool.executor if pool is not None else None)
    for i, r in stream:
        results[i] = r
        if on_result is not None:
            on_result(r)
    return results


def _pool(tasks: list[list], workers: int,
          kept: ProcessPoolExecutor | None = None) -> Iterator[tuple[int, Result]]:
    """Results of ``tasks`` run in ``workers`` processes (or the ``kept`` ones), as they
    finish."""
    pool = kept or ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent)
    try:
        pending = {pool.submit(batch_results, t) for t in tasks}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    yield from f.result()
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    finally:
        if kept is None:
            pool.shutdown(wait=True, cancel_futures=True)
