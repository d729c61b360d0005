"""One command line, no silent traps (issue 21, items 1 and 2).

Every subcommand gives the same one-line error and exit status 2 for bad input through
both entries (``magnet-sim`` and ``python -m sim``), with no traceback unless SIM_DEBUG=1;
events given on the command line are added (and the run says so); ``buffer --seed`` is not
``--seeds``; ``sim.scenario`` loads a scenario while ``scenario_name`` is only a label;
sampled experiments scale each plant's own cover; a run past its last dated input says so
once; no library warning leaks into a plain run or a sensitivity sweep.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

import sim
from sim.cli.compose import compose_run
from sim.cli.main import main
from sim.config import RunConfig
from sim.config.parameters import table
from sim.experiments.design import design_lines

from .helpers import ROOT

BIN = ROOT / ".venv" / "bin" / "magnet-sim"
ENTRIES = {"magnet-sim": [str(BIN) if BIN.exists() else shutil.which("magnet-sim") or "magnet-sim"],
           "python -m sim": [sys.executable, "-m", "sim"]}
BAD = {  # subcommand: (arguments, words the one line must name)
    "run": (["sed=7"], ["sed", "seed"]),
    "run world": (["world=1999"], ["1999", "world"]),
    "buffer": (["buffer", "scenario=control_2025"], ["control_2025", "controls_2025"]),
    "buffer flag": (["buffer", "--seed", "3"], ["--seed"]),
    "months": (["months", "nosuch"], ["nosuch"]),
    "replot": (["replot", "/no/such/folder"], ["/no/such/folder"]),
    "ablation": (["ablation", "--jbos", "2"], ["--jbos"]),
    "worlds": (["worlds", "bogus"], ["bogus"]),
    "list": (["list", "bogus"], ["bogus"]),
}


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SIM_DEBUG", "HYDRA_FULL_ERROR")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


# Through both entries (a process each) in the default run: a Hydra override, an argparse
# flag and a subcommand's own check; the other subcommands with -m slow. Every subcommand's
# line is checked in-process in the default run (test_every_subcommands_bad_input_...).
BOTH = ("run", "buffer flag", "replot")
REST = tuple(c for c in BAD if c not in BOTH)


def _bad_runs(cases, cwd) -> dict:
    """Bad inputs through both entries, all started together."""
    procs = {}
    for case in cases:
        for entry, cmd in ENTRIES.items():
            procs[(case, entry)] = subprocess.Popen(
                [*cmd, *BAD[case][0]], cwd=cwd, env=_env(), stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
    out = {}
    for key, p in procs.items():
        stdout, stderr = p.communicate(timeout=300)
        out[key] = (p.returncode, stdout, stderr)
    assert not any(cwd.iterdir()), "a bad input wrote something"
    return out


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory):
    return _bad_runs(BOTH, tmp_path_factory.mktemp("cli"))


@pytest.fixture(scope="module")
def bad_runs_rest(tmp_path_factory):
    return _bad_runs(REST, tmp_path_factory.mktemp("cli_rest"))


def _one_line_through_both(bad_runs, case):
    words = BAD[case][1]
    lines = {}
    for entry in ENTRIES:
        rc, stdout, stderr = bad_runs[(case, entry)]
        err = stderr.strip().splitlines()
        assert rc == 2, (entry, case, stderr)
        assert len(err) == 1 and err[0].startswith("error: "), (entry, case, stderr)
        assert "Traceback" not in stderr + stdout
        assert all(w in err[0] for w in words), (entry, err[0])
        lines[entry] = err[0]
    assert len(set(lines.values())) == 1, lines  # the same line through both entries


@pytest.mark.parametrize("case", BOTH)
def test_bad_input_is_one_line_and_exit_2_through_both_entries(bad_runs, case):
    _one_line_through_both(bad_runs, case)


@pytest.mark.slow
@pytest.mark.parametrize("case", REST)
def test_bad_input_is_one_line_and_exit_2_through_both_entries_rest(bad_runs_rest, case):
    _one_line_through_both(bad_runs_rest, case)


@pytest.mark.parametrize("case", list(BAD))
def test_every_subcommands_bad_input_is_one_line_and_exit_2(case, tmp_path, monkeypatch,
                                                            capsys):
    """Every subcommand's bad input in-process: exit 2, one line naming the input, no
    traceback, nothing written."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SIM_DEBUG", raising=False)
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    args, words = BAD[case]
    assert main(list(args)) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in out + err
    assert all(w in lines[0] for w in words), lines[0]
    assert not any(tmp_path.iterdir()), "a bad input wrote something"


def test_sim_debug_keeps_the_traceback(tmp_path):
    r = subprocess.run([*ENTRIES["python -m sim"], "buffer", "sed=7"], cwd=tmp_path,
                       env=_env(SIM_DEBUG="1"), capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "Traceback" in r.stderr and "error: " in r.stderr


def test_buffer_seed_is_not_taken_for_seeds(capsys):
    assert main(["buffer", "--seed", "3", "scenario=baseline"]) == 2
    assert "unrecognized arguments: --seed" in capsys.readouterr().err


def test_events_on_the_command_line_are_added_and_the_run_says_so(tmp_path, capsys):
    ev = "events=[{set: embargo, day: 3, days: 10, destinations: [US]}]"
    c = compose_run(["scenario=controls_2025", ev])
    assert len(c.config.events) == 21 and c.config.events[-1].set == "embargo"
    assert c.config.scenario_name == "controls_2025+events"
    assert "controls_2025+events" in str(c.node.hydra.run.dir)  # the folder's name
    assert c.notes == ["events: 1 from the command line added to the scenario's 20"]
    r = compose_run(["scenario=controls_2025", "~events", ev])
    assert len(r.config.events) == 1 and r.config.scenario_name == "controls_2025~events"
    assert main(["scenario=controls_2025", ev, "days=5", "plots=false",
                 f"hydra.run.dir={tmp_path / 'run'}"]) == 0
    cap = capsys.readouterr()
    assert "events: 1 from the command line added to the scenario's 20" in cap.err
    assert "controls_2025+events (2025-01-01 + 5 days" in cap.out
    meta = sim.load(tmp_path / "run")["meta"]
    assert meta["scenario"] == "controls_2025+events" and any("added" in n for n in
                                                               meta["notes"])


def test_scenario_loads_a_scenario_and_scenario_name_is_only_a_label():
    named = sim.scenario("controls_2025", days=30)
    calibrated = yaml.safe_load((ROOT / "scenarios/calibration/controls_2025.yaml").read_text())
    assert len(named.events) == 20  # its events, and its calibration's values
    assert named.licensing.approval_default == calibrated["licensing"]["approval_default"]
    assert named.calibrated.name == "controls_2025"
    label = RunConfig(scenario_name="controls_2025")
    assert label.events == [] and label.licensing.approval_default == 1.0
    desc = next(r.desc for r in table() if r.path == "scenario_name")
    assert "only a label" in desc and "sim.scenario" in desc
    assert "only a label" in (ROOT / "README.md").read_text()
    assert "only a label" in sim.__doc__


def test_sampled_plant_cover_is_relative_to_each_plants_own():
    own = {a.name: a.component_cover_days for a in sim.scenario("controls_2025").world.automakers}
    doubled = sim.scenario("controls_2025", "world.automaker_cover_scale=2").world.automakers
    assert {a.name: a.component_cover_days for a in doubled} == {k: 2 * v for k, v in own.items()}
    mc = (ROOT / "experiments" / "monte_carlo.yaml").read_text()
    assert "world.automaker_cover_scale" in mc and "world.automaker_cover_days" not in mc
    import pandas as pd
    df = pd.DataFrame({"status": ["ok"] * 2, "seed": [1, 2], "scenario": ["controls_2025"] * 2,
                       "param.world.automaker_cover_scale": [0.7, 1.4]})
    text = " ".join(design_lines(df, {"method": "monte_carlo", "params": {
        "world.automaker_cover_scale": {"dist": "triangular", "low": 0.5, "mode": 1,
                                        "high": 2}}}))
    assert "plant cover as a multiple of its own (x) triangular 0.5-1-2" in text
    assert "2 runs of scenario controls_2025" in text


def test_a_run_past_its_last_dated_input_says_so_once(tmp_path, capsys):
    assert main(["scenario=controls_2025", "days=800", "plots=false",
                 f"hydra.run.dir={tmp_path / 'long'}"]) == 0
    out = capsys.readouterr().out
    assert out.count("after the scenario's last dated input") == 1
    assert "2027-01-01" in out  # the defence ban, its last dated input
    assert main(["scenario=controls_2025", "days=60", "plots=false",
                 f"hydra.run.dir={tmp_path / 'short'}"]) == 0
    assert "last dated input" not in capsys.readouterr().out


def test_no_library_warning_in_a_plain_run_or_a_sensitivity_sweep(tmp_path):
    env = _env(PYTHONWARNINGS="error")
    run = subprocess.run([sys.executable, "-W", "error", "-m", "sim", "scenario=controls_2025",
                          "days=40", f"hydra.run.dir={tmp_path / 'run'}"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Warning" not in run.stderr, run.stderr[-2000:]
    sweep = subprocess.run([sys.executable, "-W", "error", "-m", "sim", "-m",
                            "experiment=sensitivity", "hydra.sweeper.samples.n=1", "days=20",
                            f"hydra.sweep.dir={tmp_path / 'sens'}"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    assert sweep.returncode == 0, sweep.stderr[-2000:]
    assert "Warning" not in sweep.stderr + sweep.stdout, sweep.stderr[-2000:]
    assert (tmp_path / "sens" / "report.html").exists()
