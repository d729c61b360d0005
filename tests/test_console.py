"""The console command: help, lists, and a run handed to Hydra."""

import os
import subprocess
import sys

import pytest

from sim.cli.help import help_text, list_, parameters

from .helpers import ROOT


def test_help_lists_scenarios_licensing_experiments_and_parameters_with_units():
    h = help_text()
    for word in ("controls_2025", "embargo_us", "statutory_45wd", "fast_track",
                 "buffer_needed", "monte_carlo", "world.automaker_cover_days", "days",
                 "magnet-sim list"):
        assert word in h, word
    assert "Hydra" not in h.split("\n")[0]


@pytest.mark.parametrize("what, word", [("scenarios", "price_war"), ("licensing", "random_delay"),
                                        ("experiments", "sensitivity"), ("kpis", "plants"),
                                        ("parameters", "market.scarcity_elasticity")])
def test_lists(what, word):
    assert word in list_(what)


def test_every_parameter_row_has_a_key_and_the_units_are_there():
    rows = {k: u for k, _, u, _ in parameters()}
    assert rows["days"] == "days" and rows["market.initial_price"] == "USD/kg"


def test_command_runs_help_and_a_short_run(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "sim.cli.main", "--help"], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0 and "magnet-sim" in r.stdout
    r = subprocess.run([sys.executable, "-m", "sim.cli.main", "list", "nonsense"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode != 0 and "scenarios" in r.stderr
    r = subprocess.run([sys.executable, "-W", "error::UserWarning", "-m", "sim.cli.main",
                        "scenario=controls_2025", "days=200", f"hydra.run.dir={tmp_path}"],
                       capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Warning" not in r.stderr  # no matplotlib warnings
    assert "plants, by first halt:" in r.stdout and (tmp_path / "plants.parquet").exists()
