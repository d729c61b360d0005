"""The entry layer beyond single bad inputs: safe folder names, the debug switch, horizon
warnings, a malformed experiment file that breaks only its own experiment, events by id."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
from omegaconf import OmegaConf

import sim
from sim.cli.compose import safe_name
from sim.cli.keys import event_ids, resolve_event_key
from sim.cli.main import main as cli

from .helpers import ROOT

QUICK = ["days=5", "plots=false"]


def test_safe_name():
    assert safe_name("../../x") == "_.._x" and "/" not in safe_name("a/b\\c")
    assert safe_name("..") == "unnamed" and safe_name("embargo_us") == "embargo_us"


def test_scenario_name_cannot_escape_results(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert cli(["scenario_name=../../x", *QUICK]) == 0
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "x").exists()
    runs = list((work / "results").glob("*/*/daily.parquet"))
    assert len(runs) == 1 and runs[0].parent.parent.name == "_.._x"
    # a sweep's default folder too
    assert cli(["-m", "scenario_name=../../y", "hydra/launcher=basic", "seed=1", *QUICK]) == 0
    assert not (tmp_path / "y").exists() and not (tmp_path.parent / "y").exists()
    assert list((work / "results" / "sweeps" / "_.._y").glob("*/summary.csv"))
    capsys.readouterr()


def test_debug_switch_shows_the_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIM_DEBUG", "1")
    assert cli(["dayz=10"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "error: command line: unknown key 'dayz'" in err
    monkeypatch.delenv("SIM_DEBUG")
    assert cli(["dayz=10"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_events_outside_the_horizon_warn(tmp_path, capsys):
    args = [f"hydra.run.dir={tmp_path / 'run'}", *QUICK,
            "events=[{day: 30, set: embargo, destinations: [US], label: late one},"
            "{date: '2024-06-01', set: controls}]"]
    assert cli(args) == 0
    err = capsys.readouterr().err
    warn = [ln for ln in err.splitlines() if ln.startswith("warning:")]
    # an event after the last day never takes effect: a warning; one before the start
    # takes effect at set-up (the rule in force on day one): no warning
    assert len(warn) == 1
    assert "events[0] (late one)" in warn[0] and "2025-01-31" in warn[0]
    assert "2024-06-01" not in err


def test_malformed_experiment_breaks_only_itself(tmp_path, monkeypatch, capsys):
    exps = tmp_path / "experiments"
    exps.mkdir()
    (exps / "bad.yaml").write_text("hydra:\n  sweeper: {params: {seed: 1,2\n")
    (exps / "good.yaml").write_text((ROOT / "experiments" / "monte_carlo.yaml").read_text())
    monkeypatch.setenv("SIM_EXPERIMENTS_DIR", str(exps))
    assert cli([f"hydra.run.dir={tmp_path / 'run'}", *QUICK]) == 0  # a single run works
    assert cli(["-m", "experiment=bad", f"hydra.sweep.dir={tmp_path / 's'}"]) == 2
    err = capsys.readouterr().err
    assert f"error: {exps / 'bad.yaml'}:2: malformed YAML" in err and "Traceback" not in err
    # and the malformed file does not break imports in a fresh process either, nor the
    # other experiments of its folder (an experiment file is read when it is named)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SIM_EXPERIMENTS_DIR": str(exps)}
    r = subprocess.run([sys.executable, "-c", "import sim.cli.main; "
                        "from sim.cli.compose import compose_node; "
                        "n = compose_node(['experiment=good']); "
                        "print('samples', n.hydra.sweeper.samples.n)"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and "samples" in r.stdout, r.stderr


def test_event_ids():
    evs = [{"set": "embargo"}, {"set": "relations"}, {"set": "relations"}, {"set": "quota"}]
    assert event_ids(evs) == {"embargo": 0, "relations_1": 1, "relations_2": 2, "quota": 3}
    assert resolve_event_key("events.relations_2.days", evs) == "events.2.days"
    assert resolve_event_key("events.3.tonnes", evs) == "events.3.tonnes"
    assert resolve_event_key("days", evs) == "days"


def test_event_by_id_on_the_command_line(tmp_path, capsys):
    run = tmp_path / "run"
    assert cli([f"hydra.run.dir={run}", "scenario=embargo_us", "events.embargo.days=3",
                *QUICK]) == 0
    assert "events.0.days=3" in list(OmegaConf.load(run / ".hydra" / "overrides.yaml"))
    assert OmegaConf.load(run / ".hydra" / "config.yaml").events[0].days == 3
    capsys.readouterr()


def test_sweep_addresses_events_by_id(tmp_path, capsys):
    root = tmp_path / "sweep"
    assert cli(["-m", "experiment=embargo_vs_buffer", f"hydra.sweep.dir={root}",
                'hydra.sweeper.params={events.embargo.days:"3,4",'
                'world.automaker_cover_days:"30,45"}', *QUICK]) == 0  # a grid axis varies
    s = pd.read_csv(root / "summary.csv")
    assert sorted(s["param.events.0.days"]) == [3, 3, 4, 4]
    saved = OmegaConf.load(root / "multirun.yaml").hydra.sweeper
    assert list(saved.compare.grid) == ["events.0.days", "world.automaker_cover_days"]
    capsys.readouterr()


def test_every_shipped_file_passes_the_checks():
    from sim.cli.files import check_file
    from sim.config.paths import CONFIG_DIR, EXPERIMENTS_DIR

    for group in ("scenario", "licensing"):
        for f in sorted((CONFIG_DIR / group).glob("*.yaml")):
            check_file(f, group, needs_header=group == "scenario")
    for f in sorted(EXPERIMENTS_DIR.glob("*.yaml")):
        check_file(f, "experiment", needs_header=False)


def test_world_shorthand_names_a_vintage_or_folder(tmp_path):
    from sim.cli.compose import world_shorthand

    assert world_shorthand("world=2009") == "world.tables=2009"
    assert world_shorthand(f"world={tmp_path}") == f"world.tables={tmp_path}"
    assert world_shorthand("world={tables: '2009'}") == "world={tables: '2009'}"
    assert world_shorthand("world.tables=2024") == "world.tables=2024"
    args = [f"hydra.run.dir={tmp_path / 'run'}", "world=2009", "start=2009-01-01", "days=3",
            "plots=false"]
    assert cli(args) == 0
    assert cli([f"hydra.run.dir={tmp_path / 'bad'}", "world=1999", "days=3"]) == 2


def test_sweep_with_a_plus_override(tmp_path, capsys):
    """A ``+key=value`` argument of a sweep reaches every job (the precheck's probes keep
    its ``+``; they composed it without and failed)."""
    root = tmp_path / "sweep"
    assert cli(["-m", f"hydra.sweep.dir={root}", "hydra/sweeper=sim", "hydra.sweeper.workers=1",
                "seed=1,2", "+licensing.approval_by_destination.US=0.5", *QUICK]) == 0
    for job in ("0", "1"):  # lean jobs keep their overrides; the config they compose:
        overrides = OmegaConf.load(root / job / ".hydra" / "overrides.yaml")
        assert "++licensing.approval_by_destination.US=0.5" in overrides  # a new map entry
        cfg = sim.scenario("baseline", *overrides)
        assert cfg.licensing.approval_by_destination["US"] == 0.5
    capsys.readouterr()
