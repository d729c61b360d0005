"""Sweeps beyond this machine: the same jobs on Ray (a local cluster here) and on SLURM
through submitit (its local executor stands in for SLURM in CI) give the same summary as
the local runner, byte for byte per job."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from .helpers import ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ARGS = ["-m", "days=20", "plots=false", "seed=1,2,3", "hydra.sweeper.workers=2",
        "hydra.sweeper.keep=tables"]


def _sweep(tmp_path, name, *extra):
    root = tmp_path / name
    r = subprocess.run([sys.executable, "-m", "sim", *ARGS, f"hydra.sweep.dir={root}",
                        *extra], capture_output=True, text=True, env=ENV, cwd=tmp_path,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return root


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    return _sweep(tmp_path_factory.mktemp("local"), "local")


@pytest.mark.parametrize("backend", ["ray", "submitit"])
def test_a_cluster_backend_gives_the_local_runners_answers(tmp_path, local, backend):
    root = _sweep(tmp_path, backend, f"hydra.sweeper.backend={backend}")
    a, b = (pd.read_csv(r / "summary.csv") for r in (local, root))
    cols = ["job", "status", "seed", *(c for c in a if c.startswith("kpi."))]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    for job in ("0", "1", "2"):  # same seed, same bytes
        for f in ("kpis.json", "daily.parquet", "shipments.parquet"):
            assert (local / job / f).read_bytes() == (root / job / f).read_bytes(), (job, f)
