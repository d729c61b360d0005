"""The command line: a good run writes the run folder; bad input fails cleanly."""

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from .helpers import ROOT


def cli(tmp_path, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sim", f"hydra.run.dir={tmp_path / 'run'}", *args],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)


def test_run_writes_the_run_folder(tmp_path):
    r = cli(tmp_path, "scenario=embargo_us", "days=150", "world.stock_ranges=false")
    assert r.returncode == 0, r.stderr
    run = tmp_path / "run"
    for f in ("meta.json", "daily.parquet", "agents.parquet", "shipments.parquet",
              "kpis.json", "plots/inventory.png", ".hydra/config.yaml"):
        assert (run / f).exists(), f
    assert str(run) in r.stdout and "lost vehicles" in r.stdout
    k = json.loads((run / "kpis.json").read_text())
    for key in ("lost_vehicles", "lost_vehicle_share", "first_halt", "licence_wait_days_p50",
                "licence_wait_days_p90", "exports_t", "price_peak_ratio"):
        assert key in k
    assert k["lost_vehicles"] > 0 and k["first_halt"]["Detroit-A"]
    meta = json.loads((run / "meta.json").read_text())
    assert meta["status"] == "ok" and meta["seed"] == 42
    s = pd.read_parquet(run / "shipments.parquet")
    for col in ("material", "tonnes", "seller", "seller_country", "buyer", "buyer_country",
                "end_use", "ordered_on", "applied_on", "decided_on", "licence", "decision",
                "shipped_on", "delivered_on", "status"):
        assert col in s.columns
    assert str(s["ordered_on"].dtype).startswith("datetime64")
    a = pd.read_parquet(run / "agents.parquet")
    for col in ("date", "agent", "kind", "country", "stock_ndfeb", "cover_days", "output"):
        assert col in a.columns


# A process each: two in the default run (an unknown key refused while composing, a bad
# country refused by validation); the rest with -m slow. Every one of them is also a case of
# the in-process corpus (tests/bad_inputs.py: unknown_key, days_not_int, scenario_unknown,
# approval_above_one, start_bad_month, transit_country_bad).
SLOW = pytest.mark.slow


@pytest.mark.parametrize("args, names", [
    (["no_such_key=1"], "no_such_key"),
    pytest.param(["days=abc"], "days", marks=SLOW),
    pytest.param(["scenario=atlantis"], "atlantis", marks=SLOW),
    pytest.param(["licensing.approval_default=2"], "licensing.approval_default", marks=SLOW),
    pytest.param(["start=2025-13-01"], "start", marks=SLOW),
    (["world.transit_days.usa=3"], "usa"),
])
def test_bad_input_is_a_clear_error(tmp_path, args, names):
    r = cli(tmp_path, *args, "days=10")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr + r.stdout
    assert names in r.stderr + r.stdout
    assert not (tmp_path / "run" / "daily.parquet").exists()


def test_bad_event_names_the_event_key(tmp_path):
    r = cli(tmp_path, "+events=[{day: 1, set: embargo, destinations: [US], color: red}]")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "color" in r.stderr + r.stdout
    r = cli(tmp_path, "events=[{day: 1, set: blockade, destinations: [US]}]")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "blockade" in r.stderr
