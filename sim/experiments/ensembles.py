"""A calibration as files: its override file and its ensemble of parameter sets.

``magnet-sim calibrate`` writes, for a calibration named NAME (into its output folder, and
with ``--install`` into ``scenarios/calibration/``):

- ``NAME.yaml``: a Hydra override file of the group ``calibration`` (package ``_global_``):
  the best parameter set at its keys, and a ``calibrated:`` block (`sim.config.CalibratedConf`:
  name, the source ``calibrated: <data set>, <window>, <loss>``, the keys, the ensemble's
  size). ``calibration=NAME`` (or ``+calibration=NAME``) applies it to any scenario; a
  scenario that selects it in its defaults list (``override /calibration: NAME``) runs
  calibrated by default, and ``~calibration`` runs it without;
- ``NAME.ensemble.csv``: one row per parameter set within the stated tolerance of the best
  (columns ``member``, each key, ``loss``). ``-m calibration=NAME`` runs a sweep over every
  member (`sim.experiments.sweep`); ``magnet-sim compare --ensemble NAME`` compares it with
  observations. Each member runs with its own draw of the structural stocks
  (``world.stock_draw`` = member + 1; `sim.config.stocks`), so fan charts carry parameter
  and structural uncertainty beside seed noise.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from sim.cli.keys import key_type
from sim.config.paths import CONFIG_DIR
from sim.config.reader import read_text
from sim.domain.errors import ConfigError, error, suggest
from sim.experiments.sampling import format_value

CALIBRATION_DIR = CONFIG_DIR / "calibration"
RESERVED = ("member", "loss")


@dataclass(frozen=True)
class Ensemble:
    """The parameter sets of a calibration's ensemble (one row each)."""

    name: str
    table: pd.DataFrame
    params: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.table)

    def overrides(self, stock_draws: bool = True) -> list[list[str]]:
        """Each member's overrides: its values, and its own structural stock draw."""
        out = []
        for i, row in enumerate(self.table.to_dict("records")):
            o = [f"{k}={format_value(row[k])}" for k in self.params]
            out.append([*o, f"world.stock_draw={i + 1}"] if stock_draws else o)
        return out

    def spread(self) -> pd.DataFrame:
        """Each parameter's spread over the members: min, 10%, median, 90%, max."""
        t = self.table[list(self.params)]
        return pd.DataFrame({"min": t.min(), "p10": t.quantile(0.1), "median": t.median(),
                             "p90": t.quantile(0.9), "max": t.max()}).rename_axis("parameter")


def files_of(name: str, folder: Path | None = None) -> tuple[Path, Path]:
    """(override file, ensemble file) of calibration ``name``."""
    d = folder or CALIBRATION_DIR
    return d / f"{name}.yaml", d / f"{name}.ensemble.csv"


def load_ensemble(name: str) -> Ensemble:
    """A calibration's ensemble, by name (``scenarios/calibration/NAME.ensemble.csv``) or
    by the path of an ensemble file; checked: its columns are keys of the schema, its values
    finite numbers."""
    p = Path(name)
    if not (p.suffix == ".csv" and p.exists()):
        p = files_of(name)[1]
        if not p.exists():
            known = sorted(f.name.removesuffix(".ensemble.csv")
                           for f in CALIBRATION_DIR.glob("*.ensemble.csv"))
            raise error("--ensemble", f"no calibration ensemble {name!r}{suggest(name, known)}"
                        f"; known: {', '.join(known) or 'none'} (magnet-sim calibrate makes "
                        "one)", name)
    text = read_text(p, "ensemble file")
    try:
        df = pd.read_csv(io.StringIO(text))
    except Exception as e:  # noqa: BLE001 - pandas' parse errors
        raise ConfigError(f"{p}: not a CSV table ({str(e).splitlines()[0]})") from None
    params = tuple(c for c in df.columns if c not in RESERVED)
    if not params or not len(df):
        raise ConfigError(f"{p}: an ensemble needs parameter columns and at least one row")
    for k in params:
        key_type(k.split("."), str(p), k)
        bad = [v for v in df[k] if not (isinstance(v, (int, float)) and math.isfinite(v))]
        if bad:
            raise ConfigError(f"{p}: column {k!r}: every value must be a finite number, got "
                              f"{bad[0]!r}")
    return Ensemble(p.name.removesuffix(".ensemble.csv"), df.reset_index(drop=True), params)


def calibration_yaml(name: str, best: dict, source: str, size: int, comment: str) -> str:
    """The text of a calibration's override file (module docstring)."""
    tree: dict = {}
    for key, value in best.items():
        node = tree
        *head, last = key.split(".")
        for part in head:
            node = node.setdefault(part, {})
        node[last] = float(format_value(value)) if isinstance(value, float) else value
    tree["calibrated"] = {"name": name, "source": source, "params": list(best),
                          "ensemble": int(size)}
    lines = "\n".join(f"# {x}" for x in comment.splitlines())
    return ("# @package _global_\n" + lines + "\n"
            + yaml.safe_dump(tree, sort_keys=False, width=95))


def write_calibration(folder: Path, name: str, best: dict, source: str,
                      ensemble: pd.DataFrame, comment: str) -> tuple[Path, Path]:
    """Write ``NAME.yaml`` and ``NAME.ensemble.csv`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    y, c = files_of(name, folder)
    for path, text in ((y, calibration_yaml(name, best, source, len(ensemble), comment)),
                       (c, ensemble.to_csv(index=False))):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return y, c
