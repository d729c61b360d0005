"""Scenario discovery on the model itself: a Latin hypercube over an embargo's length, the
plants' cover and three inputs that do not drive lost output (transit jitter, the price
elasticity of demand outside China, the pace of substitution), PRIM on lost_vehicle_share >
2%: the first box restricts the embargo's length from below and the cover from above, and nothing
else. Also: the Latin hypercube's strata, the strict discovery spec, ``magnet-sim
discover`` on a finished sweep and its bad inputs."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.cli.main import main as cli
from sim.domain.errors import ConfigError
from sim.experiments.sampling import sample_table
from sim.experiments.specs import parse_discovery

from .helpers import ROOT

DRIVERS = {"events.0.days", "world.automaker_cover_days"}
INERT = {"world.transit_jitter_days", "border.demand_elasticity",
         "substitution.rate_per_year"}
P = "hydra.sweeper.samples.params"
# the experiment shrunk: 48 runs of 240 days; an embargo from day 30 of 30-210 days and a
# cover of 5-120 days, so that both drivers can decide a run within the horizon; the
# world's own per-firm stocks (world.stock_ranges=false), not the structural ranges, which
# carry plants through about eight months and would need runs twice as long
SMALL = ["hydra.sweeper.samples.n=48", "days=240", f"{P}.events.embargo.days.high=210",
         "world.stock_ranges=false",
         f"{P}.world.automaker_cover_days.low=5", f"{P}.world.automaker_cover_days.high=120"]


def sweep(root, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "sim", "-m", "experiment=discovery",
                        f"hydra.sweep.dir={root}", *args], capture_output=True, text=True,
                       cwd=ROOT, env=env, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def first_box(root):
    b = pd.read_csv(root / "prim_boxes.csv")
    return b[b["box"] == 1].set_index("input")


def assert_drivers_found(root, out: str):
    box = first_box(root)
    assert set(box.index) == DRIVERS | INERT  # every sampled input has a row
    assert set(box.index[box["restricted"]]) == DRIVERS, box[["restricted", "low", "high"]]
    emb, cover = box.loc["events.0.days"], box.loc["world.automaker_cover_days"]
    # long embargoes and thin cover lose vehicles: restricted from below and from above
    assert emb["low"] > emb["full_low"] + 20 and emb["high"] == emb["full_high"]
    assert cover["high"] < cover["full_high"] - 20 and cover["low"] == cover["full_low"]
    assert emb["qp_low"] < 0.05 and cover["qp_high"] < 0.05
    s = pd.read_csv(root / "summary.csv")
    base = (s["kpi.lost_vehicle_share"] > 0.02).mean()
    assert 0.05 < base < 0.6  # cases and non-cases both there
    assert box["coverage"].iloc[0] >= 0.8 and box["density"].iloc[0] >= 0.8 > base
    t = pd.read_csv(root / "prim_trajectory.csv")
    assert t["kept"].sum() == 1 and (t["coverage"].diff().dropna() <= 1e-12).all()
    for name in ("prim_tradeoff.png", "prim_box.png"):
        assert (root / "plots" / name).stat().st_size > 20_000
    assert "scenario discovery (PRIM): lost_vehicle_share > 0.02" in out
    assert "embargo length (days) [events.0.days]: >= " in out


def test_prim_finds_the_embargo_length_and_the_cover_and_nothing_else(tmp_path, capsys):
    root = tmp_path / "disc"
    r = sweep(root, *SMALL)
    assert_drivers_found(root, r.stdout)
    samples = pd.read_csv(root / "samples.csv")
    assert len(samples) == 48 and samples["seed"].tolist() == list(range(1, 49))
    # rerun on the finished sweep with another threshold: a box further into the corner
    low = first_box(root).loc["events.0.days", "low"]
    assert cli(["discover", str(root), "--threshold", "4%", "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "lost_vehicle_share > 0.04" in out
    box = first_box(root)
    assert box["threshold"].iloc[0] == 0.04
    assert set(box.index[box["restricted"]]) <= DRIVERS
    assert box.loc["events.0.days", "low"] >= low
    # bad inputs on a real sweep: one line naming the flag
    for args, words in ((["--kpi", "lost_vehicle_shar", "--threshold", "1"],
                         ["--kpi", "lost_vehicle_shar", "lost_vehicle_share"]),
                        (["--threshold", "abc"], ["--threshold", "abc"]),
                        (["--threshold", "1", "--min-coverage", "0"], ["--min-coverage"]),
                        (["--threshold", "1", "--inputs", "events.embarg.days"],
                         ["--inputs", "embarg", "embargo"])):
        assert cli(["discover", str(root), *args]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: magnet-sim discover"), err
        assert all(w in err[0] for w in words), err


@pytest.mark.slow
def test_the_shipped_discovery_experiment_finds_the_drivers(tmp_path):
    """The experiment as shipped (200 one-year runs, a few minutes on 2 cores)."""
    root = tmp_path / "full"
    assert_drivers_found(root, sweep(root).stdout)


def test_discover_needs_a_finished_sweep_and_a_threshold(tmp_path, capsys):
    assert cli(["discover", str(tmp_path / "nope"), "--kpi", "x", "--threshold", "1"]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert cli(["discover", str(tmp_path), "--kpi", "lost_vehicles", "--threshold", "1"]) == 2
    assert "not a finished sweep" in capsys.readouterr().err
    assert cli(["discover", str(tmp_path)]) == 2
    assert "give --kpi and --threshold" in capsys.readouterr().err


def test_latin_hypercube_puts_one_draw_in_each_stratum():
    n = 25
    t = sample_table({"method": "latin_hypercube", "n": n, "seed": 4, "params": {
        "a": {"dist": "uniform", "low": 10, "high": 60},
        "b": {"dist": "triangular", "low": 1, "mode": 2, "high": 5},
        "c": {"dist": "choice", "values": ["x", "y", "z", "w", "v"]},
        "d": {"dist": "uniform", "low": 0, "high": 99, "integer": True}}})
    assert len(t) == n and t["seed"].tolist() == list(range(1, n + 1))
    strata = np.floor((t["a"] - 10) / 50 * n).astype(int)
    assert sorted(strata) == list(range(n))  # each of the n equal slices once
    q = stats.triang.cdf(t["b"], 0.25, 1, 4)  # through the distribution's own CDF
    assert sorted(np.floor(q * n).astype(int)) == list(range(n))
    assert t["c"].value_counts().tolist() == [5] * 5
    assert t["d"].dtype.kind == "i" and t["d"].between(0, 99).all()
    spec = {"method": "latin_hypercube", "n": n, "seed": 4, "params": {
        "a": {"dist": "uniform", "low": 10, "high": 60}}}
    assert sample_table(spec)["a"].equals(sample_table(spec)["a"])  # the seed decides
    assert not sample_table({**spec, "seed": 5})["a"].equals(sample_table(spec)["a"])


@pytest.mark.parametrize("raw, words", [
    ({"threshold": 0.02}, ["kpi"]),
    ({"kpi": "lost_vehicle_share"}, ["threshold"]),
    ({"kpi": "x", "threshold": 0.1, "treshold": 1}, ["treshold", "threshold"]),
    ({"kpi": "x", "threshold": "high"}, ["threshold", "high"]),
    ({"kpi": "x", "threshold": 0.1, "direction": "up"}, ["direction", "up"]),
    ({"kpi": "x", "threshold": 0.1, "min_coverage": 0}, ["min_coverage"]),
    ({"kpi": "x", "threshold": 0.1, "peel_alpha": 0.7}, ["peel_alpha", "0.5"]),
    ({"kpi": "x", "threshold": 0.1, "boxes": 0}, ["boxes"]),
    ({"kpi": "x", "threshold": 0.1, "inputs": []}, ["inputs"]),
])
def test_discovery_spec_is_strict(raw, words):
    with pytest.raises(ConfigError) as e:
        parse_discovery(raw)
    assert all(w in str(e.value) for w in words), str(e.value)
