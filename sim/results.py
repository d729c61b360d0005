"""Write and read a run folder (see DESIGN.md section 5).

Files are written to a temporary name and renamed into place, so a crash never leaves a
half-written table and nothing already in the folder is corrupted.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pandas as pd

TABLES = ("daily", "agents", "shipments", "events")


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_json(path: Path, obj) -> None:
    _atomic(Path(path), lambda t: t.write_text(json.dumps(obj, indent=2, default=str) + "\n"))


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        if name in tables:
            _atomic(folder / f"{name}.parquet",
                    lambda t, df=tables[name]: df.to_parquet(t, index=False))


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).parent, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def load_run(folder: str | Path) -> dict:
    """Read a run folder: its tables, ``kpis`` and ``meta``."""
    folder = Path(folder)
    if not (folder / "daily.parquet").exists():
        raise FileNotFoundError(f"{folder} is not a run folder (no daily.parquet)")
    out: dict = {n: pd.read_parquet(folder / f"{n}.parquet") for n in TABLES
                 if (folder / f"{n}.parquet").exists()}
    for n in ("kpis", "meta"):
        f = folder / f"{n}.json"
        out[n] = json.loads(f.read_text()) if f.exists() else {}
    return out
