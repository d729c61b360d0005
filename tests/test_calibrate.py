"""Calibration: the spec refuses what may not be fitted in one line; a small calibration
writes its files, resumes after a stop and its ensemble runs as a sweep; and (slow) it
recovers two parameters that matter to the output from a series the model generated with
seeds the fit never uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.cli.main import main as cli
from sim.domain.errors import ConfigError
from sim.experiments.calibrate import Calibration
from sim.experiments.calibrate_spec import parse_spec
from sim.experiments.ensembles import load_ensemble
from sim.experiments.runner import Job, run_many

OBS = "cn_magnet_exports_2025"
SPEC = {"name": "t", "overrides": ["scenario=controls_2025", "~calibration", "days=120"],
        "observed": OBS, "train": "2025-01:2025-03", "reference": "2025-01:2025-02",
        "params": {"licensing.customs_hold_share": {}}}


def spec(**changes):
    return {**SPEC, **changes}


BAD = [
    ("event_level", {"params": {"events.0.days": {"low": 1, "high": 9}}}, ["events.0.days",
                                                                          "mechanism"]),
    ("structural", {"params": {"world.stock_draw": {"low": 1, "high": 9}}}, ["world.stock_draw"]),
    ("wider_than_registry", {"params": {"licensing.approval_default": {"low": 0.2,
                                                                       "high": 1.5}}},
     ["never widened", "1.5"]),
    ("no_registry_range", {"params": {"licensing.files_per_working_day": {}}},
     ["files_per_working_day", "give low and high"]),
    ("unknown_key", {"params": {"licensing.aproval_default": {}}}, ["aproval_default",
                                                                    "approval_default"]),
    ("not_a_number", {"params": {"licensing.rfi_restarts_clock": {}}}, ["not a number"]),
    ("too_many", {"params": {f"licensing.{k}": {} for k in (
        "approval_default", "rfi_prob_per_tier", "military_approval", "customs_hold_share",
        "relations_sensitivity", "delay.low", "delay.high")}}, ["at most 6"]),
    ("low_above_high", {"params": {"licensing.approval_default": {"low": 0.9, "high": 0.5}}},
     ["below high"]),
    ("unknown_spec_key", {"trails": 5}, ["trails", "trials"]),
    ("overlap", {"train": "2025-01:2025-08", "validate": "2025-08:2025-12"}, ["overlaps"]),
    ("reference_outside", {"reference": "2025-06:2025-07"}, ["reference window", "inside"]),
    ("bad_window", {"train": "2025-01-2025-08"}, ["START:END"]),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_specs_are_refused_in_one_line(case):
    _, changes, expect = case
    with pytest.raises(ConfigError) as e:
        parse_spec(spec(**changes), "spec")
    msg = str(e.value)
    assert "\n" not in msg and all(t in msg for t in expect), msg


def test_ranges_come_from_the_registry():
    s = parse_spec(spec(params={"licensing.approval_default": {},
                                "behaviour.signal_cover_days": {"low": 0, "high": 30}}), "x")
    assert [(p.key, p.low, p.high) for p in s.params] == [
        ("licensing.approval_default", 0.0, 1.0), ("behaviour.signal_cover_days", 0.0, 30.0)]


def test_cli_errors_are_one_line(tmp_path, capsys):
    for args, expect in [
        (["calibrate", "scenario=controls_2025", "--observed", OBS, "--params",
          "events.0.days", "--train", "2025-01:2025-03"], "mechanism constant"),
        (["calibrate", "no_such_spec"], "no calibration spec"),
        (["calibrate", "scenario=controls_2025", "--observed", "nope.csv", "--params",
          "licensing.approval_default", "--train", "2025-01:2025-03"], "nope.csv"),
        (["compare", "scenario=baseline", "--observed", OBS, "--train", "2025-13:2025-14"],
         "--train"),
        (["compare", "scenario=baseline"], "--observed"),
        (["compare", "scenario=baseline", "--observed", OBS, "--ensemble", "nope"],
         "no calibration ensemble"),
    ]:
        code = cli(args)
        err = capsys.readouterr().err
        lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
        assert code == 2 and "Traceback" not in err and len(lines) == 1, err
        assert expect in lines[0], (expect, lines)


def test_a_small_calibration_writes_its_files_and_resumes(tmp_path, capsys):
    out = tmp_path / "cal"
    args = ["calibrate", "scenario=controls_2025", "~calibration", "days=120", "--observed", OBS,
            "--params", "licensing.customs_hold_share", "--train", "2025-01:2025-03",
            "--reference", "2025-01:2025-02", "--trials", "3", "--seeds", "1", "--workers", "1",
            "--out", str(out), "--name", "tiny", "--no-check"]
    assert cli(args) == 0
    trials = pd.read_csv(out / "trials.csv")
    assert list(trials["state"]) == ["COMPLETE"] * 3
    assert trials["licensing.customs_hold_share"].iloc[0] == 1.0  # the scenario's own first
    doc = yaml.safe_load((out / "tiny.yaml").read_text())
    assert doc["calibrated"]["params"] == ["licensing.customs_hold_share"]
    assert doc["calibrated"]["source"].startswith("calibrated: cn_magnet_exports_2025")
    ens = load_ensemble(str(out / "tiny.ensemble.csv"))
    assert ens.size >= 1 and ens.params == ("licensing.customs_hold_share",)
    assert ens.table["loss"].iloc[0] == pytest.approx(trials["loss"].min())
    capsys.readouterr()
    assert cli([*args[:args.index("--trials") + 1], "4", *args[args.index("--trials") + 2:]]) == 0
    assert "resuming: 3 of 4" in capsys.readouterr().out
    assert len(pd.read_csv(out / "trials.csv")) == 4
    other = [*args]
    other[other.index("licensing.customs_hold_share")] = "licensing.approval_default"
    assert cli(other) == 2  # another spec into the same folder: refused, nothing lost
    assert "holds another calibration" in capsys.readouterr().err
    assert len(pd.read_csv(out / "trials.csv")) == 4


def _monthly(overrides: list[str], seeds: list[int]) -> pd.Series:
    jobs = [Job(tuple([*overrides, f"seed={s}"]), tables=False,
                observables=(("cn_magnet_exports_t", "month"),)) for s in seeds]
    res = run_many(jobs, 2)
    assert all(r.status == "ok" for r in res), [r.error for r in res]
    return pd.concat([r.series["cn_magnet_exports_t"] for r in res], axis=1).mean(axis=1)


@pytest.mark.slow
def test_calibration_recovers_two_known_parameters(tmp_path):
    """A signal makes buyers hoard (``behaviour.signal_cover_days``) and a customs hold
    stops a share of shipments (``licensing.customs_hold_share``): the model generates the
    monthly exports with known values and seeds 101-108, then a calibration on seeds 1-3
    recovers both within 10%."""
    base = ["scenario=baseline", "days=365",
            "events=[{set: signal, day: 30}, {set: customs_hold, day: 120, days: 90, "
            "delay_min_days: 30, delay_max_days: 60}]"]
    truth = {"licensing.customs_hold_share": 0.5, "behaviour.signal_cover_days": 14.0}
    series = _monthly([*base, *(f"{k}={v}" for k, v in truth.items())], list(range(101, 109)))
    f = tmp_path / "generated.csv"
    pd.DataFrame({"date": series.index.strftime("%Y-%m-%d"), "series": "cn_magnet_exports_t",
                  "value": series.round(3).to_numpy(), "unit": "t",
                  "source": "generated by the model, seeds 101-108"}).to_csv(f, index=False)
    s = parse_spec({"name": "recover", "overrides": base, "observed": str(f),
                    "train": "2025-01:2025-12", "reference": "2025-01:2025-03", "seeds": 3,
                    "trials": 48, "batch": 4, "params": {
                        "licensing.customs_hold_share": {},
                        "behaviour.signal_cover_days": {"low": 0, "high": 30}}}, "test")
    study = Calibration(s, tmp_path / "cal", workers=2).search(s.trials, progress=False)
    best = study.best_params
    for k, v in truth.items():
        assert abs(best[k] - v) <= 0.1 * v, (k, best[k], v, study.best_value)
    assert np.isfinite(study.best_value)
