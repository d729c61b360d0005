"""Calibration: fit a scenario's uncertain mechanism constants to observed series on a
training window, judge the fit on a held-out validation window, keep an ensemble.

    magnet-sim calibrate controls_2025                       # experiments/calibrate/NAME.yaml
    magnet-sim calibrate scenario=S [key=value ...] --observed F --params P,Q
        --train 2025-01:2025-08 --validate 2025-09:2025-12 [--name N] [--trials 120]
    options: --out DIR --workers N --trials N --install --backend local|ray|submitit

The spec (`sim.experiments.calibrate_spec`) names the parameters and their ranges (inside the
registry's bounds), the observations, the windows and the budget. **Loss**: the weighted
mean over series of the MAE of monthly ratios to the reference window on the training
window, of the mean over the fit seeds' runs (`sim.experiments.fit`); every candidate runs
the same seeds (common random numbers), the structural stocks at the middle of their ranges.

**Optimiser**: optuna's TPE sampler through its ask/tell interface (multivariate, with the
constant liar so a round of candidates asked together spreads out). TPE because the loss
is noisy and not smooth in the parameters (licence clocks and queues make steps), runs cost
seconds each so the budget is a few hundred candidates, and ask/tell lets each round run
in parallel through the one runner (`sim.experiments.runner.run_many`, local cores; or the
sweeps' Ray and submitit launchers, ``--backend``). The study lives in SQLite
(``study.db``): a killed calibration resumes where it stopped (candidates in flight are
asked again). The first candidate is the scenario's own values when they lie in the ranges.

Written to ``--out`` (default ``results/calibration/NAME``): ``trials.csv`` (the loss
history; the validation error of each candidate is recorded beside it and never used),
``NAME.yaml`` (the best values: an override file, ``calibration=NAME``) and
``NAME.ensemble.csv`` (every candidate with loss <= best x (1 + tolerance);
`sim.experiments.ensembles`), ``plots/`` (the fit with both windows, the loss history, the
ensemble's spread), ``errors.csv`` (before calibration, the best and the ensemble, on fresh
seeds, train and validation windows) and ``report.html``. ``--install`` copies the two
calibration files to ``scenarios/calibration/``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

import optuna
import pandas as pd
from tqdm.auto import tqdm

from sim.cli.compose import compose_run
from sim.cli.overrides import check_overrides
from sim.domain.errors import ConfigError, error
from sim.experiments import calibrate_report, fit
from sim.experiments.calibrate_spec import CalibrationSpec, Param, parse_spec, read_spec
from sim.experiments.cluster import run_cluster
from sim.experiments.compare import Setup, gather, setup
from sim.experiments.ensembles import CALIBRATION_DIR, write_calibration
from sim.experiments.runner import Job, Workers, run_many
from sim.experiments.sampling import format_value
from sim.outputs.run_folder import write_json

BACKENDS = ("local", "ray", "submitit")


def distributions(params: list[Param]) -> dict:
    out = {}
    for p in params:
        out[p.key] = (optuna.distributions.IntDistribution(int(p.low), int(p.high), log=p.log)
                      if p.integer else
                      optuna.distributions.FloatDistribution(p.low, p.high, log=p.log))
    return out


def current_values(spec: CalibrationSpec) -> dict:
    """The scenario's own values of the parameters (None where unset)."""
    cfg = compose_run(spec.overrides).config
    out = {}
    for p in spec.params:
        obj = cfg
        for part in p.key.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
        out[p.key] = obj
    return out


class Calibration:
    """One calibration's study, runs and outputs (module docstring)."""

    def __init__(self, spec: CalibrationSpec, out: Path, workers: int | None = None,
                 backend: str = "local") -> None:
        self.spec, self.out, self.workers, self.backend = spec, out, workers, backend
        self.setup: Setup = setup(spec.observed, spec.reference, spec.train, spec.validate,
                                  f"calibration {spec.name}")
        self.train = self.setup.train
        self.dists = distributions(spec.params)

    # ------------------------------------------------------------------ study
    def study(self) -> optuna.Study:
        self.out.mkdir(parents=True, exist_ok=True)
        ident = self.out / "spec.json"
        mine = json.loads(json.dumps(self.spec.identity()))
        if ident.exists() and json.loads(ident.read_text()) != mine:
            raise error(str(self.out), "holds another calibration (a different spec); give a "
                        "new --out (nothing was overwritten)")
        write_json(ident, mine)
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        storage = f"sqlite:///{self.out / 'study.db'}"
        try:  # a resumed study draws on from a seed of its own (not the first draws again)
            before = len(optuna.load_study(study_name=self.spec.name, storage=storage).trials)
        except KeyError:
            before = 0
        sampler = optuna.samplers.TPESampler(
            seed=self.spec.sampler_seed + 1_000_003 * before, multivariate=True,
            constant_liar=True, n_startup_trials=max(10, 3 * len(self.spec.params)))
        study = optuna.create_study(study_name=self.spec.name, direction="minimize",
                                    storage=storage, sampler=sampler, load_if_exists=True)
        states = optuna.trial.TrialState
        for t in study.get_trials(deepcopy=False, states=(states.RUNNING,)):
            study.tell(t.number, state=states.FAIL)  # killed mid-round: ask them again
            study.enqueue_trial(t.params)
        if not study.trials:
            now = current_values(self.spec)
            if all(v is not None and p.low <= v <= p.high
                   for p, v in zip(self.spec.params, now.values(), strict=True)):
                study.enqueue_trial(now)
                study.set_user_attr("first_is_scenario", True)
        return study

    def jobs(self, values: dict, seeds: list[int], extra: tuple[str, ...] = ()) -> list[Job]:
        sets = [f"{k}={format_value(v)}" for k, v in values.items()]
        return [Job(tuple([*self.spec.overrides, *sets, *extra, f"seed={s}"]), tables=False,
                    observables=self.setup.observables()) for s in seeds]

    def run(self, jobs: list[Job], pool: Workers | None):
        if self.backend == "local":
            return run_many(jobs, pool=pool)
        return run_cluster(jobs, {"backend": self.backend, "workers": self.workers},
                           self.out)

    def evaluate(self, results, labels) -> tuple[float, float]:
        """(training loss, validation MAE of ratios) of one candidate's runs."""
        ev = gather(results, labels, self.setup)
        if ev.failed:
            raise ConfigError(ev.failed[0])
        obs = {s: self.setup.observed.values(s) for s in self.setup.series}
        loss = fit.loss(obs, ev.series, self.train, self.setup.reference, self.spec.weights)
        val = float("nan")
        if self.setup.validate is not None:
            val = fit.loss(obs, ev.series, self.setup.validate, self.setup.reference,
                           self.spec.weights)
        return loss, val

    def search(self, trials: int, progress: bool = True) -> optuna.Study:
        """Ask, run and tell rounds of candidates until ``trials`` are complete."""
        study = self.study()
        states = optuna.trial.TrialState
        done = len(study.get_trials(deepcopy=False, states=(states.COMPLETE,)))
        if done:
            print(f"resuming: {done} of {trials} trials already complete ({self.out})",
                  flush=True)
        seeds = self.spec.fit_seeds()
        with Workers(self.workers if self.backend == "local" else 1) as pool, tqdm(
                total=trials, initial=min(done, trials), unit="trial", desc="calibrate",
                disable=None if progress else True, file=sys.stderr) as bar:
            while done < trials:
                asked = [study.ask(self.dists) for _ in range(min(self.spec.batch,
                                                                   trials - done))]
                todo = [j for t in asked for j in self.jobs(t.params, seeds)]
                results = self.run(todo, pool)
                failed = []
                for i, t in enumerate(asked):
                    mine = results[i * len(seeds):(i + 1) * len(seeds)]
                    try:
                        loss, val = self.evaluate(mine, [f"seed {s}" for s in seeds])
                    except ConfigError as e:
                        t.set_user_attr("error", str(e)[:300])
                        study.tell(t, state=states.FAIL)
                        failed.append(str(e))
                        continue
                    t.set_user_attr("validation_mae_ratio", val)
                    study.tell(t, loss)
                    done += 1
                    bar.update()
                if len(failed) == len(asked):  # a whole round failed: it would not stop
                    self.write_trials(study)
                    raise ConfigError(f"every candidate of a round failed; the first: "
                                      f"{failed[0]}")
                bar.set_postfix(best=f"{study.best_value:.4f}" if any(
                    x.state == states.COMPLETE for x in study.trials) else "-")
                self.write_trials(study)
        return study

    def write_trials(self, study: optuna.Study) -> pd.DataFrame:
        rows = []
        for t in study.trials:
            rows.append({"number": t.number, "state": t.state.name, "loss": t.value,
                         "validation_mae_ratio": t.user_attrs.get("validation_mae_ratio"),
                         **t.params, "error": t.user_attrs.get("error", "")})
        df = pd.DataFrame(rows)
        tmp = self.out / "trials.csv.tmp"
        df.to_csv(tmp, index=False)
        tmp.replace(self.out / "trials.csv")
        return df

    # ------------------------------------------------------------------ results
    def ensemble(self, study: optuna.Study) -> pd.DataFrame:
        """Every complete candidate within the tolerance of the best, best first."""
        t = self.write_trials(study)
        t = t[t["state"] == "COMPLETE"].sort_values("loss")
        keep = t[t["loss"] <= t["loss"].iloc[0] * (1 + self.spec.tolerance)]
        cols = [p.key for p in self.spec.params]
        out = keep[cols].copy()
        for p in self.spec.params:
            if p.integer:
                out[p.key] = out[p.key].astype(int)
        out.insert(0, "member", range(len(out)))
        out["loss"] = keep["loss"].to_numpy()
        return out.reset_index(drop=True)

    def source(self) -> str:
        s = self.spec
        return (f"calibrated: {s.observed} ({', '.join(self.setup.series)}), train "
                f"{self.train.text()}, MAE of monthly ratios to the {s.reference} mean "
                f"(mean of {s.seeds} seeds, common random numbers)")


def _flags(argv: list[str]) -> argparse.Namespace:
    ap = _Parser(prog="magnet-sim calibrate", description=__doc__.split("\n")[0],
                 allow_abbrev=False)
    ap.add_argument("targets", nargs="*", help="a spec (name or path), or key=value overrides")
    ap.add_argument("--observed")
    ap.add_argument("--params", help="keys to fit, comma-separated (ranges: the registry's)")
    ap.add_argument("--train")
    ap.add_argument("--validate")
    ap.add_argument("--reference")
    ap.add_argument("--name")
    ap.add_argument("--seeds", type=int)
    ap.add_argument("--trials", type=int)
    ap.add_argument("--tolerance", type=float)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--backend", default="local", choices=BACKENDS)
    ap.add_argument("--install", action="store_true", help="copy the calibration files to "
                    "scenarios/calibration/")
    ap.add_argument("--no-check", action="store_true", help="skip the final runs on fresh "
                    "seeds (tests)")
    return ap.parse_args(argv)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim calibrate: {message}")


def spec_from(a: argparse.Namespace) -> CalibrationSpec:
    """The spec of a file, or of flags; flags given with a file change its budget only."""
    overrides = [t for t in a.targets if "=" in t or t.startswith("~")]
    files = [t for t in a.targets if t not in overrides]
    if len(files) > 1 or (files and overrides):
        raise error("magnet-sim calibrate", "give one spec file or key=value overrides",
                    " ".join(a.targets))
    if files:
        data, where = read_spec(files[0]), files[0]
        for k in ("observed", "params", "train", "validate", "reference", "name"):
            if getattr(a, k) is not None:
                raise error("magnet-sim calibrate", f"--{k} goes with overrides, not a spec "
                            "file (edit the file)", getattr(a, k))
    else:
        where = "magnet-sim calibrate"
        scen = next((o.split("=", 1)[1] for o in overrides if o.startswith("scenario=")),
                    "baseline")
        data = {"name": a.name or scen, "overrides": check_overrides(overrides),
                "observed": a.observed, "params": a.params, "train": a.train,
                "validate": a.validate, "reference": a.reference}
        data = {k: v for k, v in data.items() if v is not None}
    for k in ("seeds", "trials", "tolerance"):
        if getattr(a, k) is not None:
            data[k] = getattr(a, k)
    return parse_spec(data, where)


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim calibrate ...`` (module docstring)."""
    a = _flags(list(argv or []))
    if a.workers is not None and a.workers < 1:
        raise error("magnet-sim calibrate", "--workers is at least 1", a.workers)
    spec = spec_from(a)
    out = a.out or Path("results/calibration") / spec.name
    t0, c0 = time.time(), _cpu()
    cal = Calibration(spec, out, a.workers, a.backend)
    study = cal.search(spec.trials)
    members = cal.ensemble(study)
    best = {k: members.iloc[0][k] for k in (p.key for p in spec.params)}
    best = {k: (int(v) if p.integer else float(v)) for (k, v), p in zip(
        best.items(), spec.params, strict=True)}
    comment = (f"Calibrated by magnet-sim calibrate ({spec.name}) on {time.strftime('%Y-%m-%d')}"
               f": {len(members)} parameter sets within {spec.tolerance:g} of the best loss "
               f"{members['loss'].iloc[0]:.4f} out of {len(study.trials)} trials.\n"
               f"Validation window (held out, never fitted): {spec.validate}.")
    files = write_calibration(out, spec.name, best, cal.source(), members, comment)
    search_s, search_cpu = time.time() - t0, _cpu() - c0
    if a.install:
        for f in files:
            CALIBRATION_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, CALIBRATION_DIR / f.name)
    report = None
    if not a.no_check:
        report = calibrate_report.write(cal, study, members, best, a.workers)
    timing = {"search_wall_s": round(search_s, 1), "search_cpu_s": round(search_cpu, 1),
              "total_wall_s": round(time.time() - t0, 1), "total_cpu_s": round(_cpu() - c0, 1)}
    write_json(out / "timing.json", timing)
    print(f"best loss {members['loss'].iloc[0]:.4f}: "
          + ", ".join(f"{k}={format_value(v)}" for k, v in best.items()))
    print(f"ensemble: {len(members)} sets within {spec.tolerance:g} of the best -> {files[1]}")
    print(f"time: search {timing['search_wall_s']} s wall, {timing['search_cpu_s']} s CPU; "
          f"in all {timing['total_wall_s']} s wall, {timing['total_cpu_s']} s CPU")
    if report:
        print(f"report: {report}")
    return 0


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
