"""Every source of input x every kind of wrongness (issue 22): one clear line, a non-zero
exit, bounded time and memory, nothing written outside ``results/`` and nothing that
existed changed (the corpus: ``tests/bad_input_matrix.py``)."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli.main import main as cli
from sim.config import WorldConf
from sim.config.resolve import resolve
from sim.config.tables import write_tables
from sim.domain.errors import ConfigError

from .bad_input_matrix import CASES, FIFO, KINDS, SOURCES
from .helpers import ROOT

SECONDS, GIB = 60, 2  # the bounds every case must keep


def _prepare(tmp: Path, files: dict) -> None:
    for rel, content in files.items():
        if rel == "world/":
            write_tables(resolve(WorldConf()), tmp / "world")
            for _, path, old, new in content:
                f = tmp / "world" / path
                text = f.read_text()
                assert old in text, (path, old)
                f.write_text(text.replace(old, new, 1))
            continue
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.exists():
            p.unlink()
        if content is FIFO:
            os.mkfifo(p)
        elif isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)


def _state(tmp: Path) -> dict[str, str]:
    out = {}
    for p in tmp.rglob("*"):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(tmp))] = hashlib.sha1(p.read_bytes()).hexdigest()
        elif p.exists() and not p.is_dir():
            out[str(p.relative_to(tmp))] = "special"
    return out


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB << 30, GIB << 30))


@pytest.mark.parametrize("case", CASES, ids=[c[2] for c in CASES])
def test_bad_input_is_one_line_bounded_and_harmless(case, tmp_path, monkeypatch, capsys):
    source, kind, _, run, expect, files = case
    _prepare(tmp_path, files)
    before = _state(tmp_path)
    monkeypatch.chdir(tmp_path)
    t0 = time.perf_counter()
    if callable(run):
        with pytest.raises(ConfigError) as e:
            run(tmp_path)
        err = f"error: {e.value}"
    else:
        argv = [a.replace("{tmp}", str(tmp_path)) for a in run]
        if kind == "size":  # in its own process, under a memory limit
            r = subprocess.run([sys.executable, "-m", "sim", *argv], capture_output=True,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               timeout=SECONDS, preexec_fn=_limit, cwd=tmp_path)
            code, err = r.returncode, r.stderr
        else:
            code = cli(argv)
            err = capsys.readouterr().err
        assert code != 0, err
    assert time.perf_counter() - t0 < SECONDS
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    assert "Traceback" not in err
    for token in expect:
        assert token in lines[0], (token, lines[0])
    after = _state(tmp_path)
    for path, digest in before.items():  # nothing that existed changed
        assert after.get(path) == digest, f"{path} changed"
    for path in set(after) - set(before):  # nothing new outside results/
        assert path.startswith("results/"), f"{path} written outside results/"


def test_every_source_has_every_kind_of_bad_input():
    have = {(c[0], c[1]) for c in CASES}
    missing = [(s, k) for s in SOURCES for k in KINDS if (s, k) not in have]
    assert not missing, missing
