"""A calibration's final figures: the scenario before calibration, the best parameter set
and the ensemble, each run on seeds the fit never saw (the ensemble's members each with its
own structural stock draw), confronted with the observations on the training and the
validation windows; plots and ``report.html`` (`sim.experiments.calibrate`)."""

from __future__ import annotations

import sys

import pandas as pd
from tqdm.auto import tqdm

from sim.experiments import fit
from sim.experiments.compare import Evaluation, gather
from sim.experiments.runner import Workers, run_many
from sim.experiments.sampling import format_value
from sim.kpis import observables
from sim.outputs import fit_plots
from sim.outputs.report import Section, write_report

MISS = 0.15
"""A month is missed when the best set's ratio is this far from the observed ratio."""


def runs(cal, members: pd.DataFrame, best: dict, workers: int | None) -> dict[str, Evaluation]:
    """Before, best and ensemble runs on fresh seeds."""
    s, fresh = cal.spec, cal.spec.fresh_seeds()
    keys = [p.key for p in s.params]
    sets = {"before": (cal.jobs({}, fresh), [f"seed {x}" for x in fresh]),
            "best": (cal.jobs(best, fresh), [f"seed {x}" for x in fresh])}
    ens_jobs, ens_labels = [], []
    for i, row in members.iterrows():
        values = {k: row[k] for k in keys}
        ens_jobs += cal.jobs(values, fresh[:2], (f"world.stock_draw={i + 1}",))
        ens_labels += [f"member {i} seed {x}" for x in fresh[:2]]
    sets["ensemble"] = (ens_jobs, ens_labels)
    todo = [j for jobs, _ in sets.values() for j in jobs]
    with Workers(workers) as pool, tqdm(total=len(todo), unit="run", desc="check",
                                        disable=None, file=sys.stderr) as bar:
        results = run_many(todo, pool=pool, on_result=lambda r: bar.update())
    out, i = {}, 0
    for name, (jobs, labels) in sets.items():
        out[name] = gather(results[i:i + len(jobs)], labels, cal.setup)
        i += len(jobs)
    return out


def error_rows(evs: dict[str, Evaluation], setup_) -> pd.DataFrame:
    frames = []
    for name, ev in evs.items():
        for s in setup_.series:
            e = fit.errors(setup_.observed.values(s), ev.series[s], setup_.windows(),
                           setup_.reference)
            e.insert(0, "runs", f"{name} ({ev.n})")
            e.insert(0, "series", s)
            frames.append(e)
    return pd.concat(frames, ignore_index=True)


def months(evs: dict[str, Evaluation], setup_, series: str) -> pd.DataFrame:
    """Month by month: observation, before and best means, the ensemble's band, and the
    months the best set misses (ratio off by more than `MISS`)."""
    obs = setup_.observed.values(series)
    ref = setup_.reference
    b = {k: fit.band(ev.series[series]) for k, ev in evs.items()}
    best_r = fit.ratios(evs["best"].series[series], ref).mean(axis=1)
    obs_r = fit.ratios(obs, ref)
    win = {str(t.date()): next((w.name for w in setup_.windows()[:-1] if w.mask(
        pd.DatetimeIndex([t]))[0]), "-") for t in obs.index}
    df = pd.DataFrame({
        "month": obs.index.strftime("%Y-%m"), "window": [win[str(t.date())] for t in obs.index],
        "observed": obs.to_numpy(), "before": b["before"]["mean"].reindex(obs.index).to_numpy(),
        "best": b["best"]["mean"].reindex(obs.index).to_numpy(),
        "ensemble_p10": b["ensemble"]["p10"].reindex(obs.index).to_numpy(),
        "ensemble_p90": b["ensemble"]["p90"].reindex(obs.index).to_numpy(),
        "ratio_observed": obs_r.to_numpy(), "ratio_best": best_r.reindex(obs.index).to_numpy()})
    df["missed"] = (df["ratio_best"] - df["ratio_observed"]).abs() > MISS
    return df


def write(cal, study, members: pd.DataFrame, best: dict, workers: int | None):
    """Run the final figures, write plots, CSVs and the report; return the report's path."""
    s, setup_, out = cal.spec, cal.setup, cal.out
    evs = runs(cal, members, best, workers)
    errs = error_rows(evs, setup_)
    errs.to_csv(out / "errors.csv", index=False)
    plots = out / "plots"
    trials = cal.write_trials(study)
    images = [("loss history", fit_plots.loss_history_plot(
        trials[trials["state"] == "COMPLETE"], s.tolerance, plots / "loss_history.png",
        f"calibration {s.name}: loss per trial",
        bool(study.user_attrs.get("first_is_scenario"))))]
    bounds = {p.key: (p.low, p.high) for p in s.params}
    images.append(("the ensemble's spread", fit_plots.spread_plot(
        members, list(bounds), bounds, best, plots / "spread.png", f"calibration {s.name}")))
    secs = [Section("What was fitted", facts={
        "scenario": " ".join(s.overrides), "observations": setup_.observed.label,
        "training window": setup_.train.text(),
        "validation window": setup_.validate.text() if setup_.validate else "none",
        "reference window": setup_.reference.text(), "loss": cal.source(),
        "optimiser": "optuna TPE (ask/tell, multivariate, constant liar), "
                     f"{len(study.trials)} trials, {s.batch} per round, {s.seeds} seeds each",
        "ensemble": f"{len(members)} sets with loss <= best x (1 + {s.tolerance:g})",
        "final figures": f"{s.check_seeds} fresh seeds (before and best); every ensemble "
                         "member x 2 fresh seeds, each member with its own structural stock "
                         "draw", **fit.DEFINITIONS})]
    for name in setup_.series:
        b = {k: fit.band(ev.series[name]) for k, ev in evs.items()}
        png = fit_plots.series_plot(
            name, setup_.observed.values(name), b["ensemble"], setup_.windows()[:-1], plots,
            f"calibration {s.name}", evs["ensemble"].n,
            unit=observables.parse(name).observable.unit,
            others={f"before calibration (mean of {evs['before'].n})": b["before"]["mean"],
                    f"best set (mean of {evs['best'].n})": b["best"]["mean"]},
            period=setup_.observed.period(name))
        m = months(evs, setup_, name)
        m.to_csv(out / f"months_{name.replace('/', '_')}.csv", index=False)
        missed = ", ".join(m.loc[m["missed"], "month"]) or "none"
        secs.append(Section(f"Fit: {name}", images=[(
            "observations (points), the ensemble's mean and 10-90% band, the best set and "
            "the scenario before calibration; training and validation windows shaded", png)],
            tables=[("errors on fresh seeds", errs[errs["series"] == name]),
                    ("month by month", m)],
            paragraphs=[f"Months the best set misses (ratio off by more than {MISS:g}): "
                        f"{missed}."]))
    spread = members[[p.key for p in s.params]].describe(percentiles=[.1, .5, .9]).T
    secs.append(Section("The best set and the ensemble", tables=[
        ("best", pd.DataFrame({"parameter": list(best), "value": [format_value(v) for v in
                                                                  best.values()]})),
        ("spread over the ensemble", spread.rename_axis("parameter")),
        ("ensemble members", members)], images=images))
    return write_report(out, f"Calibration {s.name}", cal.source(), secs)
