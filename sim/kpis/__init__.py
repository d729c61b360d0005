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

import pandas as pd

from sim.engine.memory import trim_heap
from sim.kpis import markets, plants, supply
from sim.kpis.nodes import PLANT_FIELDS
from sim.kpis.registry import KPI, REGISTRY, KpiError, RunData, kpi
from sim.kpis.summary import kpi_lines, summary_lines

MODULES = (supply, markets, plants)
"""The modules whose decorated functions register the KPIs, in the order of ``kpis.json``."""


def kpis(tables: dict, meta: dict | None = None, data: RunData | None = None) -> dict:
    """Every registered KPI of a run, in registry order (``data``: the run's `RunData`
    when the caller has one already, so its derived tables are computed once)."""
    r = data if data is not None else RunData(tables, meta)
    out = {}
    for k in REGISTRY.values():
        out[k.name] = k.fn(r)
        trim_heap(len(r.agents))  # a large run: each KPI's freed memory back
    return out


def unit(flat_name: str) -> str:
    """The unit of a KPI by its flat name (``price_peak_ratio.ndfeb`` -> ``x start``)."""
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


def flat_table(values: dict) -> pd.DataFrame:
    """A run's KPIs as rows (kpi by flat name, value, unit, description) for ``kpis.csv``:
    maps flattened with dots (``price_peak_ratio.ndfeb``); lists (halt episodes) as text."""
    rows = []

    def walk(prefix: str, v) -> None:
        if isinstance(v, dict):
            for k2, v2 in v.items():
                walk(f"{prefix}.{k2}", v2)
            return
        base = prefix.split(".")[0]
        desc = REGISTRY[base].description if base in REGISTRY else ""
        if isinstance(v, list):
            v = "; ".join(str(x) for x in v)
        rows.append({"kpi": prefix, "value": v, "unit": unit(prefix), "description": desc})

    for name, v in values.items():
        walk(name, v)
    return pd.DataFrame(rows, columns=["kpi", "value", "unit", "description"])


def table() -> pd.DataFrame:
    """The registry as a table (name, unit, keys, description): ``magnet-sim list kpis``."""
    return pd.DataFrame([{"name": k.name, "unit": k.unit, "keys": k.keys,
                          "description": k.description} for k in REGISTRY.values()])


__all__ = ["KPI", "REGISTRY", "KpiError", "RunData", "check_names", "flat_table", "kpi",
           "kpi_lines",
           "kpis", "label", "summary_lines", "table", "unit"]
