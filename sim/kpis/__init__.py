"""The KPI registry: every headline number a run reports, with its unit and description.

One entry per KPI (`KPI`: name, unit, description, function of a `RunData`). The printed
summary (`sim.kpis.summary`), the sweep summary (`sim.sweep`) and experiments'
``compare.kpis`` are checked against it: an unknown name is a `KpiError` that lists the
known ones. A KPI whose value is a map (``first_halt``, ``price_peak_ratio``, ``plants``)
is addressed in sweeps by its flat name, e.g. ``price_peak_ratio.ndfeb`` or
``plants.Detroit-A.halt_days``.

Adding a KPI is one decorated function in a module of this package::

    @kpi("exports_t_per_month", "t/month", "Chinese magnet exports per month")
    def _exports_per_month(r: RunData) -> float: ...

Modules: `supply` (output, licences, exports, prices), `markets` (mines, shares, defence,
price moves), `plants` (per plant and per buyer figures and money), `summary` (the printed
summary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from sim.config import EconomicsConf, MetricsConf
from sim.domain.errors import ConfigError


class KpiError(ConfigError):
    """An unknown KPI name (in an experiment's ``compare.kpis`` or a replot flag)."""


@dataclass(frozen=True)
class KPI:
    """One registered KPI. ``keys`` says what a map-valued KPI is keyed by ('' = scalar)."""

    name: str
    unit: str
    description: str
    fn: Callable[[RunData], Any]
    keys: str = ""


REGISTRY: dict[str, KPI] = {}


def kpi(name: str, unit: str, description: str, keys: str = ""):
    """Register the decorated function ``fn(run: RunData)`` as KPI ``name``."""
    def deco(fn):
        if name in REGISTRY:
            raise ValueError(f"KPI {name!r} registered twice")
        REGISTRY[name] = KPI(name, unit, description, fn, keys)
        return fn
    return deco


class RunData:
    """A run's tables and meta, with the derived tables KPIs share (computed once)."""

    def __init__(self, tables: dict, meta: dict | None = None) -> None:
        self.tables = tables
        self.meta = meta if meta is not None else (tables.get("meta") or {})
        self.daily: pd.DataFrame = tables["daily"]
        self.agents: pd.DataFrame = tables["agents"]
        self.shipments: pd.DataFrame = tables["shipments"]
        self.events: pd.DataFrame | None = tables.get("events")
        self.start, self.end = self.daily["date"].min(), self.daily["date"].max()

    @cached_property
    def economics(self) -> EconomicsConf:
        return EconomicsConf.from_dict(self.meta.get("economics"))

    @property
    def end_window_days(self) -> int:
        """The run's 'end' for share KPIs (``metrics.end_window_days``, recorded in meta)."""
        return int((self.meta.get("metrics") or {}).get(
            "end_window_days", MetricsConf().end_window_days))

    @cached_property
    def plants(self) -> pd.DataFrame:
        from sim.kpis.plants import plants_table
        return plants_table(self)


def kpis(tables: dict, meta: dict | None = None) -> dict:
    """Every registered KPI of a run, in registry order."""
    r = RunData(tables, meta)
    return {k.name: k.fn(r) for k in REGISTRY.values()}


def unit(flat_name: str) -> str:
    """The unit of a KPI by its flat name (``price_peak_ratio.ndfeb`` -> ``x start``)."""
    from sim.kpis.plants import PLANT_FIELDS
    base, _, rest = flat_name.partition(".")
    if base == "plants" and rest:
        return PLANT_FIELDS.get(rest.rsplit(".", 1)[-1], ("", ""))[0]
    k = REGISTRY.get(base)
    return k.unit if k else ""


def label(flat_name: str) -> str:
    """A readable axis label: the flat name with its unit, e.g. ``lost_vehicles (vehicles)``."""
    u = unit(flat_name)
    return f"{flat_name} ({u})" if u else flat_name


def check_names(names, where: str = "compare.kpis") -> list[str]:
    """Raise `KpiError` unless every name is a registered KPI (or a key inside one)."""
    from sim.kpis.plants import PLANT_FIELDS
    bad = []
    for n in names or []:
        base, _, rest = str(n).partition(".")
        if base not in REGISTRY:
            bad.append(n)
        elif base == "plants" and rest and rest.rsplit(".", 1)[-1] not in PLANT_FIELDS:
            bad.append(n)
        elif rest and not REGISTRY[base].keys:
            bad.append(n)
    if bad:
        raise KpiError(f"{where}: unknown KPI {', '.join(map(str, bad))}; known: "
                       f"{', '.join(REGISTRY)} (map KPIs take a key, e.g. "
                       "price_peak_ratio.ndfeb, plants.Detroit-A.halt_days)")
    return list(names or [])


def table() -> pd.DataFrame:
    """The registry as a table (name, unit, keys, description): ``magnet-sim list kpis``."""
    return pd.DataFrame([{"name": k.name, "unit": k.unit, "keys": k.keys,
                          "description": k.description} for k in REGISTRY.values()])


# registration order = KPI order in kpis.json: supply, markets, plants
from sim.kpis import supply  # noqa: E402, F401, I001
from sim.kpis import markets  # noqa: E402, F401, I001
from sim.kpis import plants  # noqa: E402, F401, I001
from sim.kpis.summary import kpi_lines, summary_lines  # noqa: E402

__all__ = ["KPI", "REGISTRY", "KpiError", "RunData", "check_names", "kpi", "kpi_lines",
           "kpis", "label", "summary_lines", "table", "unit"]
