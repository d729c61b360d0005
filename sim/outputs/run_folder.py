"""The run folder: one type (`RunFolder`) that every reader and writer of runs uses.

Layout::

    <folder>/
      .hydra/config.yaml, overrides.yaml   the composed config (written by Hydra)
      meta.json                            version, commit, seed, dates, wall time, status,
                                           nodes (static facts), economics, levers
      daily.parquet agents.parquet shipments.parquet events.parquet   the model's tables
      plants.parquet                       per plant / buyer figures (from the tables)
      plants_daily.parquet                 each plant's daily cover, output and lost vehicles
      plants.csv, kpis.csv                 CSV copies of the plants table and the KPIs
      report.html                          the shareable report (`sim.outputs.report`)
      kpis.json                            the headline numbers (`sim.kpis`)
      plots/*.png                          figures (`sim.plots`)
      error.txt                            traceback of an unexpected failure

Files are written to a temporary name and renamed into place, so a crash never leaves a
half-written table and nothing already in the folder is corrupted.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.domain.errors import ConfigError

TABLES = ("daily", "agents", "shipments", "events")  # recorded by the model
DERIVED = ("plants", "plants_daily")                # computed from them


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_json(path: Path, obj) -> None:
    _atomic(Path(path), lambda t: t.write_text(json.dumps(obj, indent=2, default=str) + "\n"))


def read_json(path: Path) -> dict:
    """A JSON file's content; {} when missing or unreadable."""
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).parent, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


@dataclass(frozen=True)
class RunFolder:
    """A run folder: the paths of its files, whether it is one, reading and writing."""

    path: Path

    def __init__(self, path: str | Path) -> None:
        object.__setattr__(self, "path", Path(path))

    # ------------------------------------------------------------------ paths
    def table_path(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    @property
    def meta_path(self) -> Path:
        return self.path / "meta.json"

    @property
    def kpis_path(self) -> Path:
        return self.path / "kpis.json"

    @property
    def plots_dir(self) -> Path:
        return self.path / "plots"

    @property
    def error_path(self) -> Path:
        return self.path / "error.txt"

    @property
    def hydra_dir(self) -> Path:
        return self.path / ".hydra"

    @property
    def overrides_path(self) -> Path:
        return self.hydra_dir / "overrides.yaml"

    @property
    def config_path(self) -> Path:
        return self.hydra_dir / "config.yaml"

    # ------------------------------------------------------------------ tests
    def is_run(self) -> bool:
        """A run folder, finished or not: it has ``meta.json`` or Hydra's ``.hydra/``."""
        return self.meta_path.exists() or self.hydra_dir.is_dir()

    def has_tables(self) -> bool:
        return self.table_path("daily").exists()

    def is_ok(self) -> bool:
        """Finished successfully: status ok in meta and the KPIs written."""
        return self.meta().get("status") == "ok" and self.kpis_path.exists()

    def completed(self, overrides: list[str]) -> bool:
        """Finished successfully with exactly ``overrides`` (a sweep's resume check)."""
        return self.is_ok() and self.overrides() == [str(o) for o in overrides]

    # ------------------------------------------------------------------ reading
    def meta(self) -> dict:
        return read_json(self.meta_path)

    def kpis(self) -> dict:
        return read_json(self.kpis_path)

    def overrides(self) -> list[str]:
        if not self.overrides_path.exists():
            return []
        from omegaconf import OmegaConf
        try:
            return [str(o) for o in OmegaConf.load(self.overrides_path)]
        except Exception:  # noqa: BLE001 - an unreadable file is "no overrides"
            return []

    def config(self) -> dict:
        if not self.config_path.exists():
            return {}
        from omegaconf import OmegaConf
        return OmegaConf.to_container(OmegaConf.load(self.config_path), resolve=False)

    def read_table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        f = self.table_path(name)
        return pd.read_parquet(f, columns=columns) if f.exists() else None

    def read(self) -> dict:
        """Tables, ``kpis`` and ``meta``; raise FileNotFoundError if there are no tables."""
        if not self.has_tables():
            raise FileNotFoundError(f"{self.path} is not a run folder (no daily.parquet)")
        out: dict = {n: self.read_table(n) for n in (*TABLES, *DERIVED)
                     if self.table_path(n).exists()}
        out["kpis"], out["meta"] = self.kpis(), self.meta()
        return out

    # ------------------------------------------------------------------ creating
    @classmethod
    def create(cls, path: str | Path, explicit: bool = False) -> RunFolder:
        """A new, empty run folder at ``path``, never one that holds anything.

        A folder named by default (to the second) that exists already, because another run
        started in the same second, becomes ``<path>-2``, ``-3``, ...: each run keeps its
        own. A folder the user named (``explicit``) that exists and is not empty is refused:
        nothing in it is overwritten."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if explicit:
            if path.exists() and (not path.is_dir() or any(path.iterdir())):
                raise ConfigError(f"{path}: exists and is not empty (a run folder is never "
                                  "overwritten); name a new folder")
            path.mkdir(exist_ok=True)
            return cls(path)
        for k in range(1, 10_000):
            candidate = path if k == 1 else path.with_name(f"{path.name}-{k}")
            try:
                candidate.mkdir()
                return cls(candidate)
            except FileExistsError:
                continue
        raise ConfigError(f"{path}: no free run folder name")

    # ------------------------------------------------------------------ writing
    def write_tables(self, tables: dict) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for name in (*TABLES, *DERIVED):
            if name in tables and tables[name] is not None:
                _atomic(self.table_path(name),
                        lambda t, df=tables[name]: df.to_parquet(t, index=False))

    def write_kpis(self, kpis: dict) -> None:
        write_json(self.kpis_path, kpis)

    def write_meta(self, meta: dict) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        write_json(self.meta_path, meta)

    def write_failure(self, error: str, traceback_text: str | None = None) -> None:
        """Record a failed run: ``meta.json`` with status failed (and ``error.txt``)."""
        self.path.mkdir(parents=True, exist_ok=True)
        if traceback_text:
            self.error_path.write_text(traceback_text)
        self.write_meta({"status": "failed", "error": error})

    # ------------------------------------------------------------------ sweeps
    @staticmethod
    def jobs(root: str | Path) -> list[RunFolder]:
        """A sweep root's job folders (those Hydra made: with ``.hydra/``), in job order."""
        subs = [RunFolder(p) for p in Path(root).iterdir()
                if p.is_dir() and (p / ".hydra").is_dir()]
        return sorted(subs, key=lambda r: (not r.path.name.isdigit(),
                                           int(r.path.name) if r.path.name.isdigit() else 0,
                                           r.path.name))


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write the tables of a run into ``folder`` (see `RunFolder.write_tables`)."""
    RunFolder(folder).write_tables(tables)


def load_run(folder: str | Path) -> dict:
    """Read a run folder: its tables, ``kpis`` and ``meta``."""
    return RunFolder(folder).read()
