"""Observed series as tables: a long CSV a user (or the repo) gives to confront runs with.

Format (one observation per row; UTF-8; read through the one reader of user files,
`sim.config.reader.read_text`)::

    date,series,value,unit,source
    2025-01-01,cn_magnet_exports_t,6357,t,"China customs HS 850511 via Reuters"
    2025-03-31,stock_t/Detroit-A/ndfeb,12.5,t,"our plant's stock report"

- ``date``: ``YYYY-MM-DD`` inside the supported calendar; a monthly value is dated on the
  first day of its month;
- ``series``: a name of the observable registry (`sim.kpis.observables`, ``magnet-sim list
  observables``), e.g. ``cn_magnet_exports_t`` or ``cn_magnet_exports_t/US``;
- ``value``: a finite number, not negative;
- ``unit``: the series' unit from the registry, one of the unit vocabulary
  (`sim.config.registry.UNITS`);
- ``source``: who measured it; never empty;
- ``period`` (optional column): ``month`` or ``day``. Without it, a series whose dates are
  all first days of months is monthly, any other is daily.

One date per series (a repeat is an error naming both lines); one unit per series. Any
refusal is one line ``<file>:<line>: <column>: <what>, got <value>``.

Data sets shipped with the package (`DATASETS`, in ``sim/config/data/``) are named without a
path (``--observed cn_magnet_exports_2025``). The repo ships exactly one, the training set of
the 2025 calibration; a user's own data uses the same format from any path.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from sim.config.reader import MAX_CELL_CHARS, read_text
from sim.config.registry import UNITS, check_date
from sim.domain.errors import ConfigError, suggest
from sim.kpis.observables import PERIODS, parse

COLUMNS = ("date", "series", "value", "unit", "source")
OPTIONAL = ("period",)
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Dataset:
    """An observed data set shipped with the package."""

    file: str
    label: str
    source: str


DATASETS: dict[str, Dataset] = {
    "cn_magnet_exports_2025": Dataset(
        "cn_magnet_exports_2025.csv",
        "the training set of the 2025 calibration (scenario controls_2025): China's monthly "
        "exports of permanent magnets (customs HS 850511), t, January-December 2025",
        "[sources: customs-magnets-2025]"),
}
"""The observed data the repo holds: only this one set of outcomes, on purpose."""


@dataclass(frozen=True)
class Observed:
    """Observed series as read and checked: ``data`` has columns date (Timestamp), series,
    value, unit, source, period, line; ``label`` names the file."""

    label: str
    data: pd.DataFrame

    @property
    def series(self) -> list[str]:
        return list(dict.fromkeys(self.data["series"]))

    def period(self, name: str) -> str:
        return str(self.data.loc[self.data["series"] == name, "period"].iloc[0])

    def values(self, name: str) -> pd.Series:
        """One series' observations indexed by date."""
        d = self.data[self.data["series"] == name]
        return pd.Series(d["value"].to_numpy(float), index=pd.DatetimeIndex(d["date"]),
                         name=name).sort_index()


def locate(name_or_path: str | Path) -> tuple[str, str]:
    """(label, text) of a shipped data set by name, or of a user's file by path."""
    text = str(name_or_path)
    if text in DATASETS:
        f = resources.files("sim.config") / "data" / DATASETS[text].file
        return f"{text} (sim/config/data/{DATASETS[text].file})", f.read_text(encoding="utf-8")
    p = Path(text)
    if not p.exists() and "/" not in text and not text.endswith(".csv"):
        raise ConfigError(f"--observed: no data set or file {text!r}; shipped data sets: "
                          f"{list(DATASETS)}{suggest(text, DATASETS)}")
    return str(p), read_text(p, "observed-data file")


def load(name_or_path: str | Path) -> Observed:
    """Read and check observed series (module docstring)."""
    label, text = locate(name_or_path)
    return parse_text(text, label)


def parse_text(text: str, label: str) -> Observed:
    """Observed series from CSV ``text`` (``label`` names it in errors)."""
    reader = csv.reader(io.StringIO(text))
    try:
        head = next(reader, None)
    except csv.Error as e:
        raise ConfigError(f"{label}:1: not a CSV table ({e})") from None
    if not head or not any(c.strip() for c in head):
        raise ConfigError(f"{label}: empty: the header {','.join(COLUMNS)} and one row per "
                          "observation are needed")
    cols = [c.strip().lower() for c in head]
    for c in cols:
        if c not in COLUMNS + OPTIONAL:
            raise ConfigError(f"{label}:1: unknown column {c!r}{suggest(c, COLUMNS + OPTIONAL)}"
                              f"; the columns are {', '.join(COLUMNS)} (and optionally period)")
        if cols.count(c) > 1:
            raise ConfigError(f"{label}:1: column {c!r} appears {cols.count(c)} times")
    missing = [c for c in COLUMNS if c not in cols]
    if missing:
        raise ConfigError(f"{label}:1: missing column(s) {missing}; the header is "
                          f"{','.join(COLUMNS)}, got {','.join(cols)}")
    rows = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ConfigError(f"{label}:{line}: more than {MAX_ROWS:,} observations")
            rows.append(_row(cells, cols, f"{label}:{line}", line))
    except csv.Error as e:
        raise ConfigError(f"{label}: not a CSV table ({e})") from None
    if not rows:
        raise ConfigError(f"{label}: no observations below the header")
    df = pd.DataFrame(rows)
    _check_series(df, label)
    return Observed(label, df)


def _row(cells: list[str], cols: list[str], where: str, line: int) -> dict:
    if len(cells) != len(cols):
        raise ConfigError(f"{where}: {len(cells)} cells for {len(cols)} columns "
                          f"({','.join(cols)})")
    raw = {c: v.strip() for c, v in zip(cols, cells, strict=True)}
    for c, v in raw.items():
        if len(v) > MAX_CELL_CHARS:
            raise ConfigError(f"{where}: {c}: a cell of {len(v):,} characters (at most "
                              f"{MAX_CELL_CHARS:,}), got {v[:20]!r}...")
    if not raw["date"]:
        raise ConfigError(f"{where}: date: empty; give YYYY-MM-DD")
    day = check_date(raw["date"], f"{where}: date")
    s = parse(raw["series"], f"{where}: series")
    try:
        value = float(raw["value"])
    except ValueError:
        raise ConfigError(f"{where}: value: must be a number, got {raw['value']!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{where}: value: must be a finite number, got {raw['value']}")
    if value < 0:
        raise ConfigError(f"{where}: value: must not be negative, got {raw['value']}")
    unit = raw["unit"]
    if unit not in UNITS:
        raise ConfigError(f"{where}: unit: {unit!r} is not in the unit vocabulary"
                          f"{suggest(unit, UNITS)}; known: {', '.join(UNITS)}")
    if unit != s.observable.unit:
        raise ConfigError(f"{where}: unit: series {s.name!r} is in {s.observable.unit!r}, "
                          f"got {unit!r}")
    if not raw["source"]:
        raise ConfigError(f"{where}: source: empty; say who measured the value")
    period = raw.get("period", "")
    if period and period not in PERIODS:
        raise ConfigError(f"{where}: period: must be one of {list(PERIODS)}, got {period!r}")
    if period == "month" and day.day != 1:
        raise ConfigError(f"{where}: date: a monthly value is dated on the first day of its "
                          f"month, got {day}")
    return {"date": pd.Timestamp(day), "series": s.name, "value": value, "unit": unit,
            "source": raw["source"], "period": period, "line": line}


def _check_series(df: pd.DataFrame, label: str) -> None:
    """One date per series, one unit and one period per series (inferred when empty)."""
    for name, g in df.groupby("series", sort=False):
        dup = g[g["date"].duplicated(keep=False)]
        if len(dup):
            a, b = dup["line"].iloc[:2]
            raise ConfigError(f"{label}:{b}: series {name!r} has {dup['date'].iloc[0].date()} "
                              f"twice (lines {a} and {b})")
        given = set(g["period"]) - {""}
        if len(given) > 1:
            raise ConfigError(f"{label}:{g['line'].iloc[-1]}: period: series {name!r} mixes "
                              f"{sorted(given)}")
        period = given.pop() if given else (
            "month" if all(d.day == 1 for d in g["date"]) else "day")
        off = g[[d.day != 1 for d in g["date"]]]
        if period == "month" and len(off):
            raise ConfigError(f"{label}:{off['line'].iloc[0]}: date: series {name!r} is "
                              "monthly; a monthly value is dated on the first day of its "
                              f"month, got {off['date'].iloc[0].date()}")
        df.loc[g.index, "period"] = period
