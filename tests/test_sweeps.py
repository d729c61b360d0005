"""Sweeps: every experiment runs, aggregation, failure isolation, resuming, replotting,
and common random numbers across policy variants. (The Hydra launcher configs are gone:
sweeps run through `sim.experiments.runner`; Ray and SLURM backends get their own tests.)"""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.sampling import sample_overrides, sample_table
from sim.experiments.summary import paired_differences

from .helpers import ROOT, load

EXPERIMENTS = sorted(p.stem for p in (ROOT / "experiments").glob("*.yaml"))
# Few jobs and a short horizon per experiment (the experiment's own sweep, shrunk).
# controls_2025 files go through provincial review and a longer first file (licensing as
# practised); these short runs switch those steps off so that licences are decided in time
PRACTICE_OFF = ("licensing.provincial_review={dist:fixed,low:0,mode:0,high:0}",
                "licensing.first_file_delay={dist:fixed,low:0,mode:0,high:0}")
SMALL = {
    "licensing_policies": ['hydra.sweeper.params={licensing:"statutory_45wd,fast_track",'
                           'seed:"1,2"}', "days=150", *PRACTICE_OFF],
    "embargo_vs_buffer": ['hydra.sweeper.params={events.embargo.days:"30,90",'
                          'world.automaker_cover_days:"15,60"}', "days=40"],
    "monte_carlo": ["hydra.sweeper.samples.n=3", "days=40"],
    "discovery": ["hydra.sweeper.samples.n=3", "days=40"],  # PRIM itself: test_discovery
    "sensitivity": ["hydra.sweeper.samples.n=2", "days=40"],
    "buffer_needed": ['hydra.sweeper.params={world.automaker_cover_days:"5,90",seed:"1,2"}',
                      "scenario=embargo_us", "days=200", "world.stock_ranges=false",
                      "hydra.sweeper.compare.buffer.search_seeds=1"],
}


def sweep(tmp_path, *args, name="sweep"):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "sim", "-m", f"hydra.sweep.dir={tmp_path / name}",
                        *args], capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r, tmp_path / name


def jobs_in(root):
    return sorted(p for p in root.iterdir() if (p / ".hydra").is_dir())


def test_every_experiment_has_a_small_run():
    assert set(EXPERIMENTS) == set(SMALL)


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory):
    """Each experiment's small sweep, run once in this module: ``small_sweep(name)`` gives
    its finished process and folder (tests that change the folder work on a copy)."""
    done = {}

    def get(name):
        if name not in done:
            launcher = [] if name == "licensing_policies" else ["hydra/launcher=basic"]
            done[name] = sweep(tmp_path_factory.mktemp(name), f"experiment={name}",
                               *SMALL[name], *launcher)  # basic: one joblib per sweep
        return done[name]
    return get


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_runs_and_summarizes(small_sweep, name):
    r, root = small_sweep(name)
    jobs = jobs_in(root)
    s = pd.read_csv(root / "summary.csv")
    assert len(s) == len(jobs) > 1 and (pd.read_parquet(root / "summary.parquet").shape ==
                                        s.shape)
    assert set(s["status"]) == {"ok"}, s["error"].tolist()
    assert {"overrides", "seed", "kpi.lost_vehicles", "kpi.lost_vehicle_share"} <= set(s)
    assert s["folder"].map(lambda f: os.path.exists(f"{f}/kpis.json")).all()
    assert "job/s" not in r.stderr  # the tqdm progress bar is quiet off a terminal
    assert (root / "plots" / "kpis.png").exists() and (root / "plots" / "fan_charts.png").exists()
    if name == "licensing_policies":
        c = pd.read_csv(root / "comparison.csv")
        assert set(c["variant"]) == {"fast_track"}
        assert (c.set_index("kpi").loc[["lost_vehicles", "licence_wait_days_p50"],
                                       "n_pairs"] == 2).all()
        assert (root / "plots" / "paired_differences.png").exists()
        assert set(s["param.licensing"]) == {"statutory_45wd", "fast_track"}
    if name == "embargo_vs_buffer":
        assert (root / "plots" / "heatmap_lost_vehicles.png").exists()
    if name == "monte_carlo":  # each job its own seed and its own parameter draw
        assert s["seed"].nunique() == 3 and s["param.world.transit_jitter_days"].nunique() == 3
    if name == "buffer_needed":  # 5 days halts under the embargo, 90 carries the plants
        b = json.loads((root / "buffer_needed.json").read_text())
        assert b["cover_days"] == 90 and b["verify_seeds"] == [2]
        assert b["carrying_cost_usd_per_yr"] > 0
        assert "buffer needed: 90 days" in r.stdout
    if name == "discovery":  # 40 days lose nothing: PRIM says so and writes empty boxes
        assert "no run is a case of interest" in r.stdout
        assert pd.read_csv(root / "prim_boxes.csv").empty
        assert s["param.world.automaker_cover_days"].nunique() == 3
    if name == "sensitivity":
        x = pd.read_csv(root / "sensitivity.csv")
        assert {"parameter", "kpi", "mu_star"} <= set(x) and len(x) >= 5
        assert (root / "plots" / "sensitivity.png").exists()
        assert s["seed"].nunique() == 1


def test_failed_job_is_isolated_and_rerun_skips_completed(tmp_path, monkeypatch, capsys):
    """A job that fails at run time (here: seed 2, made to fail) is recorded; the sweep
    writes its summary, lists the failure last and exits 1; re-running the same sweep into
    the same folder skips the completed job. (Bad values are refused before the first job,
    see tests/test_bad_inputs_cli.py, so the failure is injected.)"""
    from sim.cli.main import main as cli

    real = sim.run

    def flaky(cfg):
        if cfg.seed == 2:
            raise RuntimeError("injected failure")
        return real(cfg)

    monkeypatch.setattr(sim, "run", flaky)
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "sweep"
    args = ["-m", f"hydra.sweep.dir={root}", "hydra.sweeper.workers=1", "hydra/sweeper=sim",
            "days=20", "plots=false", "seed=1,2"]
    assert cli(args) == 1
    out, err = capsys.readouterr()
    s = pd.read_csv(root / "summary.csv").set_index("seed")
    assert s.loc[1, "status"] == "ok" and s.loc[2, "status"] == "failed"
    assert "injected failure" in s.loc[2, "error"]
    assert "failed jobs (1 of 2)" in err and err.strip().splitlines()[-1].startswith("error:")
    assert "Traceback" not in err
    good, bad = jobs_in(root)
    assert json.loads((bad / "meta.json").read_text())["status"] == "failed"
    stamp = (good / "kpis.json").stat().st_mtime_ns
    monkeypatch.setattr(sim, "run", real)
    assert cli(args) == 0  # the same sweep into the same folder: only the failed job runs
    out, err = capsys.readouterr()
    assert "1 of 2 jobs already complete" in out
    assert (good / "kpis.json").stat().st_mtime_ns == stamp  # not re-run
    assert set(pd.read_csv(root / "summary.csv")["status"]) == {"ok"}


def test_replot_rebuilds_summary_and_plots(tmp_path, small_sweep):
    import shutil

    root = tmp_path / "sweep"  # a copy of the small Monte Carlo sweep's folder
    shutil.copytree(small_sweep("monte_carlo")[1], root)
    for f in ("summary.csv", "summary.parquet", "plots/fan_charts.png"):
        (root / f).unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "sim.experiments.replot", str(root)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(root / "summary.csv")) == 3
    assert (root / "plots" / "fan_charts.png").exists()
    out = tmp_path / "some"  # any set of run folders
    r = subprocess.run([sys.executable, "-m", "sim.experiments.replot",
                        *map(str, jobs_in(root)[:2]), "--out", str(out), "--kpis",
                        "lost_vehicles"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(out / "summary.csv")) == 2 and (out / "plots" / "kpis.png").exists()


# --------------------------------------------------------------------------- units
def test_sampling_is_reproducible_and_in_range():
    spec = {"method": "monte_carlo", "n": 50, "seed": 3, "first_seed": 10, "params": {
        "a": {"dist": "uniform", "low": 1, "high": 2},
        "b": {"dist": "triangular", "low": 0, "mode": 1, "high": 4},
        "c": {"dist": "choice", "values": ["x", "y"]}}}
    t = sample_table(spec)
    assert t.equals(sample_table(spec)) and len(t) == 50
    assert t["a"].between(1, 2).all() and t["b"].between(0, 4).all()
    assert list(t["seed"]) == list(range(10, 60))
    assert sample_overrides(t.head(1))[0][0].startswith("a=1.")
    m = sample_table({"method": "morris", "n": 3, "seeds": "fixed",
                      "params": {"a": {"low": 0, "high": 1}, "b": {"low": 5, "high": 9,
                                                                 "integer": True}}})
    assert len(m) == 3 * 3 and "seed" not in m and m["b"].dtype.kind == "i"


def test_paired_differences_confidence_interval():
    rng = np.random.default_rng(0)
    base = rng.normal(100, 30, 20)  # large between-seed noise, small constant effect
    rows = [{"status": "ok", "seed": i, "param.licensing": v, "kpi.x": base[i] + d}
            for i in range(20) for v, d in (("ref", 0.0), ("fast", -5.0))]
    c = paired_differences(pd.DataFrame(rows), "licensing", "ref", ["x"]).iloc[0]
    assert c["n_pairs"] == 20 and c["mean_diff"] == pytest.approx(-5.0)
    assert c["ci95_high"] - c["ci95_low"] < 1e-6  # pairing removes the seed noise


# --------------------------------------------------------------------------- CRN
def _run(*overrides):
    return sim.run(load("controls_2025", "days=120", *PRACTICE_OFF, *overrides))


def test_common_random_numbers_across_licensing_variants():
    """Same seed, two licensing regimes: the same demand every day, and, until the first
    licence decision makes the runs differ (controls start 2025-04-04), the same shipments
    with the same transit draws; a different seed draws different transit times."""
    a, b = _run("licensing=statutory_45wd"), _run("licensing=fast_track")
    other = _run("licensing=statutory_45wd", "seed=43")
    pd.testing.assert_series_equal(a["daily"]["planned_vehicles"],
                                   b["daily"]["planned_vehicles"])
    cols = ["seller", "buyer", "material", "tonnes", "shipped_on", "delivered_on"]

    def before_controls(out):
        s = out["shipments"]
        s = s[s["shipped_on"] < pd.Timestamp("2025-04-04")].sort_values(cols[:5])
        return s[cols].reset_index(drop=True)

    sa, sb = before_controls(a), before_controls(b)
    assert len(sa) > 50
    pd.testing.assert_frame_equal(sa, sb)
    transit = lambda s: (s["delivered_on"] - s["shipped_on"]).dt.days.to_numpy()  # noqa: E731
    so = before_controls(other)
    assert not np.array_equal(transit(sa)[:40], transit(so)[:40])
    # after the controls the regimes differ, as they should
    assert a["kpis"]["licence_wait_days_p50"] != b["kpis"]["licence_wait_days_p50"]


def test_unknown_kpi_in_compare_stops_the_sweep_before_any_job(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "sim", "-m", "experiment=monte_carlo",
                        "hydra.sweeper.compare.kpis=[lost_vehicles,lost_cars]",
                        "hydra.sweeper.samples.n=2", "days=20", "hydra/launcher=basic",
                        f"hydra.sweep.dir={tmp_path / 'sw'}"], capture_output=True, text=True,
                       cwd=ROOT, env=env, timeout=120)
    assert r.returncode == 2 and "unknown KPI 'lost_cars'" in r.stderr
    assert "Traceback" not in r.stderr
    assert not jobs_in(tmp_path / "sw") if (tmp_path / "sw").exists() else True
