"""The command-line bad-input corpus (tests/bad_inputs.py): every case ends with one line
``error: ...`` naming the key or value, a non-zero exit and no traceback. Most run
in-process through `sim.cli.main.main`; a few end to end as ``python -m sim``."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sim.cli.main import main as cli

from .bad_inputs import CASES, SUBPROCESS, argv_for
from .helpers import ROOT

BY_ID = {c[0]: c for c in CASES}


def assert_clear(case, code: int, out: str, err: str) -> None:
    expect = case[2]
    assert code != 0, f"exit 0 for {case[0]}:\n{err[-2000:]}"
    assert "Traceback" not in out + err, err[-3000:]
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert lines, f"no error line:\n{err[-2000:]}"
    assert any(all(t in ln for t in expect) for ln in lines), (expect, lines)


def test_corpus_size():
    assert len(CASES) >= 90 and len(BY_ID) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_in_process(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing lands in the checkout, whatever happens
    monkeypatch.delenv("SIM_DEBUG", raising=False)
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    code = cli(argv_for(case, tmp_path))
    out, err = capsys.readouterr()
    assert_clear(case, code, out, err)
    assert not (tmp_path / "run" / "daily.parquet").exists()
    assert not list((tmp_path / "sweep").glob("*/daily.parquet"))  # no job ran


# End to end in the default run: a scenario file, a sweep without -m and a grid sweep; the
# others (a plain run's override, a sampled sweep's spec) with -m slow, since
# tests/test_cli.py runs a plain run's bad override end to end and every case runs in-process
# above.
DEFAULT_SUBPROCESS = ("yaml_indent", "experiment_without_m", "grid_bad_value")


@pytest.mark.parametrize("name", [n if n in DEFAULT_SUBPROCESS else
                                  pytest.param(n, marks=pytest.mark.slow)
                                  for n in SUBPROCESS])
def test_bad_input_subprocess(name, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SIM_DEBUG", None)
    env.pop("HYDRA_FULL_ERROR", None)
    r = subprocess.run([sys.executable, "-m", "sim", *argv_for(BY_ID[name], tmp_path)],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert_clear(BY_ID[name], r.returncode, r.stdout, r.stderr)
