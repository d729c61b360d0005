"""Does a scenario reproduce what was observed? The compare report.

    magnet-sim compare scenario=controls_2025 --observed cn_magnet_exports_2025 [--seeds 10]
        [--train 2025-01:2025-08 --validate 2025-09:2025-12] [--reference 2025-01:2025-03]
        [--ensemble controls_2025] [--sensitivity SWEEP] [--out DIR] [--workers N]
    magnet-sim compare SWEEP_OR_RUN_FOLDER ... --observed FILE     (saved runs, no new run)

The scenario runs over seeds (``--first-seed``..; with ``--ensemble NAME`` over every
parameter set of a calibration's ensemble, each with its own draw of the structural stocks,
times the seeds), in parallel through the one runner (`sim.experiments.runner.run_many`); each
worker computes the observed series from its run (`sim.kpis.observables`), so only those
series and the KPIs come back. Saved runs are read from their folders (a sweep kept lean
holds the daily series only: series by destination need ``hydra.sweeper.keep=tables``).

Written to ``--out`` (default ``results/compare/<scenario>/<time>``): per series a plot
(observations as points, the runs' mean and 10-90% band, the training and validation
windows shaded) and the error table (`sim.experiments.fit`: MAE and bias of ratios to the
reference window, MAE and bias in the series' unit, coverage by the band), ``errors.csv``,
``series.csv``, per plant over the runs the lost output and the longest halt
(``plants.csv``), the ranking of ``[assumption]`` inputs by Morris mu* when
``--sensitivity`` names a sensitivity sweep, and ``report.html`` (`sim.outputs.report`).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sim.cli.compose import safe_name
from sim.cli.overrides import check_overrides
from sim.config.observed import Observed
from sim.config.observed import load as load_observed
from sim.domain.errors import ConfigError, error
from sim.experiments import fit
from sim.experiments.ensembles import Ensemble, load_ensemble
from sim.experiments.runner import Job, Result, Workers, run_many
from sim.kpis import observables
from sim.outputs import fit_plots
from sim.outputs.report import Section, write_report
from sim.outputs.run_folder import RunFolder


@dataclass
class Setup:
    """What runs are compared with: the observations, their windows and the reference."""

    observed: Observed
    reference: fit.Window
    train: fit.Window | None = None
    validate: fit.Window | None = None

    @property
    def series(self) -> list[str]:
        return self.observed.series

    def windows(self) -> list[fit.Window]:
        d = self.observed.data["date"]
        every = fit.Window("all", d.min(), d.max() + pd.offsets.MonthEnd(0))
        return [w for w in (self.train, self.validate) if w is not None] + [every]

    def observables(self) -> tuple[tuple[str, str], ...]:
        return tuple((s, self.observed.period(s)) for s in self.series)


def setup(observed: str, reference: str | None, train: str | None,
          validate: str | None, where: str) -> Setup:
    """Read the observations and the windows (default reference: the first three periods
    of the first series), checked (`sim.experiments.fit.check_windows`)."""
    ob = load_observed(observed)
    t = fit.parse_window(train, "train", f"{where} --train")
    v = fit.parse_window(validate, "validation", f"{where} --validate")
    if reference is None:
        first = ob.values(ob.series[0]).index[:3]
        end = first[-1] + (pd.offsets.MonthEnd(0) if ob.period(ob.series[0]) == "month"
                           else pd.offsets.Day(0))
        r = fit.Window("reference", first[0], end)
    else:
        r = fit.parse_window(reference, "reference", f"{where} --reference")
    fit.check_windows(t, v, r, where)
    return Setup(ob, r, t, v)


@dataclass
class Evaluation:
    """Runs confronted with the observations: per series a table of periods x runs, the
    runs' KPIs and labels, and the jobs that failed."""

    series: dict[str, pd.DataFrame]
    kpis: list[dict]
    labels: list[str]
    failed: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.labels)


def jobs(overrides: list[str], seeds: list[int], setup_: Setup,
         ensemble: Ensemble | None = None) -> tuple[list[Job], list[str]]:
    """The runs: each seed, or each ensemble member (with its structural draw) x each seed;
    no folder is written, the worker computes the observed series."""
    members = ensemble.overrides() if ensemble is not None else [[]]
    out, labels = [], []
    for i, m in enumerate(members):
        for s in seeds:
            out.append(Job(tuple([*overrides, *m, f"seed={s}"]), tables=False,
                           observables=setup_.observables()))
            labels.append(f"member {i} seed {s}" if ensemble is not None else f"seed {s}")
    return out, labels


def evaluate(todo: list[Job], labels: list[str], setup_: Setup, workers: int | None = None,
             pool: Workers | None = None, progress: bool = True) -> Evaluation:
    """Run ``todo`` through the one runner and gather the series (a failed run is named;
    all failing is an error)."""
    with tqdm(total=len(todo), unit="run", desc="compare", disable=None if progress else True,
              file=sys.stderr) as bar:
        results = run_many(todo, workers, on_result=lambda r: bar.update(), pool=pool)
    return gather(results, labels, setup_)


def gather(results: list[Result], labels: list[str], setup_: Setup) -> Evaluation:
    ok = [(r, lab) for r, lab in zip(results, labels, strict=True) if r.status == "ok"]
    failed = [f"{lab}: {r.error}" for r, lab in zip(results, labels, strict=True)
              if r.status != "ok"]
    if not ok:
        first = failed[0] if failed else "no runs"
        raise ConfigError(f"compare: every run failed ({first})")
    series = {s: pd.DataFrame({lab: r.series[s] for r, lab in ok}) for s in setup_.series}
    return Evaluation(series, [r.kpis for r, _ in ok], [lab for _, lab in ok], failed)


def from_folders(folders: list[Path], setup_: Setup) -> Evaluation:
    """The series of saved runs: run folders, or sweep roots (their job folders)."""
    runs: list[RunFolder] = []
    for f in folders:
        rf = RunFolder(f)
        if rf.has_tables():
            runs.append(rf)
        else:
            jobs_ = [j for j in RunFolder.jobs(f) if j.has_tables()]
            if not jobs_:
                raise error("magnet-sim compare", "not a run folder or a sweep with saved "
                            "runs (no daily.parquet)", str(f))
            runs += jobs_
    results, labels = [], []
    for rf in runs:
        tables = rf.read()
        series = {s: observables.compute(tables, s, p) for s, p in setup_.observables()}
        results.append(Result(Job(), "ok", tables.get("kpis") or {}, tables.get("meta") or {},
                              series=series))
        labels.append(str(rf.path))
    return gather(results, labels, setup_)


# --------------------------------------------------------------------------- tables
def error_table(ev: Evaluation, setup_: Setup) -> pd.DataFrame:
    """The error table of every series (`sim.experiments.fit.errors`)."""
    frames = []
    for s in setup_.series:
        e = fit.errors(setup_.observed.values(s), ev.series[s], setup_.windows(),
                       setup_.reference, s)
        e.insert(0, "series", s)
        frames.append(e)
    return pd.concat(frames, ignore_index=True)


def series_table(ev: Evaluation, setup_: Setup) -> pd.DataFrame:
    """Per series and period: the observation and the runs' mean, 10% and 90%."""
    frames = []
    for s in setup_.series:
        b = fit.band(ev.series[s])
        b.insert(0, "observed", setup_.observed.values(s).reindex(b.index))
        b.insert(0, "series", s)
        frames.append(b.rename_axis("period").reset_index())
    return pd.concat(frames, ignore_index=True)


def plant_table(ev: Evaluation) -> pd.DataFrame:
    """Per plant over the runs: share of runs with a halt, lost vehicles (mean, 10%, 90%)
    and the longest halt in days (mean, 90%)."""
    rows: dict[str, dict[str, list]] = {}
    for k in ev.kpis:
        for name, p in (k.get("plants") or {}).items():
            if p.get("kind") != "automaker":
                continue
            r = rows.setdefault(name, {"lost": [], "longest": []})
            r["lost"].append(float(p.get("lost_vehicles") or 0.0))
            r["longest"].append(max([e["days"] for e in p.get("halts") or []], default=0))
    out = []
    for name, r in rows.items():
        lost, longest = np.array(r["lost"]), np.array(r["longest"], float)
        out.append({"plant": name, "runs": len(lost), "halted_share": float((longest > 0).mean()),
                    "lost_vehicles_mean": lost.mean(), "lost_vehicles_p10": np.quantile(lost, .1),
                    "lost_vehicles_p90": np.quantile(lost, .9),
                    "longest_halt_days_mean": longest.mean(),
                    "longest_halt_days_p90": np.quantile(longest, .9)})
    return pd.DataFrame(out).sort_values("lost_vehicles_mean", ascending=False) if out else \
        pd.DataFrame()


def sensitivity_ranking(folder: Path, parameters: pd.DataFrame | None = None) -> pd.DataFrame:
    """The inputs a sensitivity sweep (Morris) found the KPIs depend on most: its
    ``sensitivity.csv`` ranked by mu* per KPI, with each input's source from the
    parameter registry."""
    f = Path(folder) / "sensitivity.csv"
    if not f.is_file():
        raise error("magnet-sim compare --sensitivity", "no sensitivity.csv there (run "
                    "magnet-sim -m experiment=sensitivity_2025 first)", str(folder))
    df = pd.read_csv(f)
    col = "mu_star" if "mu_star" in df.columns else df.columns[2]
    df = df.sort_values(["kpi", col], ascending=[True, False])
    df["rank"] = df.groupby("kpi").cumcount() + 1
    if parameters is not None:
        df = df.merge(parameters[["key", "source"]], left_on="parameter", right_on="key",
                      how="left").drop(columns="key")
    return df


# --------------------------------------------------------------------------- report
def sections(ev: Evaluation, setup_: Setup, out: Path, title: str,
             extra: list[Section] | None = None) -> list[Section]:
    """The report's sections; writes the plots and CSV files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    errs = error_table(ev, setup_)
    errs.to_csv(out / "errors.csv", index=False)
    series_table(ev, setup_).to_csv(out / "series.csv", index=False)
    wins = ", ".join(f"{w.name} {w.text()}" for w in setup_.windows()[:-1])
    secs = [Section("What was compared", facts={
        "runs": f"{ev.n} ({'; '.join(ev.failed[:3])} failed)" if ev.failed else str(ev.n),
        "observations": setup_.observed.label,
        "windows": wins or "none given (all observations)",
        "reference window": f"{setup_.reference.text()} (ratios are to the mean of this "
                            "window, for the runs each and for the observations)",
        **fit.DEFINITIONS})]
    for s in setup_.series:
        png = fit_plots.series_plot(s, setup_.observed.values(s), fit.band(ev.series[s]),
                                    setup_.windows()[:-1], out / "plots", title, ev.n,
                                    unit=observables.parse(s).observable.unit,
                                    period=setup_.observed.period(s))
        secs.append(Section(f"{s}", tables=[("errors", errs[errs["series"] == s])],
                            images=[(f"{s}: observations and runs", png)]))
    plants = plant_table(ev)
    if len(plants):
        plants.to_csv(out / "plants.csv", index=False)
        secs.append(Section("Plants over the runs", tables=[("", plants)], paragraphs=[
            "Lost vehicles and the longest halt per plant over every run (with an ensemble: "
            "its parameter sets and structural stock draws times the seeds)."]))
    return secs + list(extra or [])


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim compare: {message}")


def parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="magnet-sim compare", description=__doc__.split("\n")[0],
                 allow_abbrev=False)
    ap.add_argument("targets", nargs="*", help="key=value overrides (scenario=NAME ...), or "
                    "saved run or sweep folders")
    ap.add_argument("--observed", required=True, help="a shipped data set or a CSV file")
    ap.add_argument("--seeds", type=int, default=10, help="seeds per run set (default 10)")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--train", help="training window START:END")
    ap.add_argument("--validate", help="validation window START:END")
    ap.add_argument("--reference", help="reference window of the ratios START:END")
    ap.add_argument("--ensemble", help="run over a calibration's ensemble (its name)")
    ap.add_argument("--sensitivity", type=Path, help="a sensitivity sweep folder to rank "
                    "[assumption] inputs from")
    ap.add_argument("--out", type=Path, help="output folder")
    ap.add_argument("--workers", type=int, help="processes (default: the cores)")
    return ap


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim compare ...`` (module docstring)."""
    a = parser().parse_args(argv)
    if a.seeds < 1 or a.first_seed < 0 or (a.workers is not None and a.workers < 1):
        raise error("magnet-sim compare", "--seeds and --workers are at least 1, "
                    "--first-seed at least 0", f"{a.seeds}, {a.workers}, {a.first_seed}")
    overrides = [t for t in a.targets if "=" in t or t.startswith("~")]
    folders = [Path(t) for t in a.targets if t not in overrides]
    if folders and overrides:
        raise error("magnet-sim compare", "give overrides (a scenario to run) or saved "
                    "folders, not both", " ".join(a.targets))
    s = setup(a.observed, a.reference, a.train, a.validate, "magnet-sim compare")
    ens = load_ensemble(a.ensemble) if a.ensemble else None
    extra = []
    if a.sensitivity is not None:
        extra.append(Section("Which [assumption] inputs the plants' losses depend on", tables=[
            ("Morris mu* per KPI (rank 1: the most)", sensitivity_ranking(a.sensitivity))]))
    name = "saved runs"
    if folders:
        ev = from_folders(folders, s)
    else:
        overrides = check_overrides(overrides or ["scenario=baseline"])
        name = next((o.split("=", 1)[1] for o in overrides if o.startswith("scenario=")),
                    "baseline")
        seeds = list(range(a.first_seed, a.first_seed + a.seeds))
        todo, labels = jobs(overrides, seeds, s, ens)
        print(f"compare: {len(todo)} runs of {' '.join(overrides)}"
              f"{f' over the ensemble {ens.name} ({ens.size} sets)' if ens else ''}",
              flush=True)
        ev = evaluate(todo, labels, s, a.workers)
    out = a.out or Path("results/compare") / safe_name(name) / time.strftime(
        "%Y-%m-%d_%H-%M-%S")
    title = f"{name} against {Path(s.observed.label.split(' ')[0]).stem}"
    path = write_report(out, f"Compare: {title}", f"{ev.n} runs", sections(ev, s, out, title,
                                                                        extra))
    print(error_table(ev, s).to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    print(f"report: {path}")
    return 0
