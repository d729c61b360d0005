"""The observable-series registry: what a run says about a series someone measured.

One entry per observable (`Observable`: base name, unit, description, the vocabulary of each
part of its name after the base, how it aggregates over a period, the tables it reads, and
the function giving its daily values from a run's tables). Observed data
(`sim.config.observed`), the compare report (`sim.experiments.compare`) and calibration
(`sim.experiments.calibrate`) name series by these names; nothing else computes them.

A series name is the base, then its parts separated by ``/``:

    cn_magnet_exports_t              China's magnet exports (HS 850511), t per period
    cn_magnet_exports_t/US           the same to one destination country
    cn_exports_t/ndfeb_hre           China's exports of one product (magnet or raw), t
    cn_raw_exports_t/dy              China's raw-material exports by element, t REO
    price_cn/ndfeb                   the price inside China, USD/kg (period mean)
    price_ex_cn/dy_oxide             the price outside China, USD/kg (period mean)
    stock_t/Detroit-A/ndfeb          a node's stock of a product at the period's end, t
    cover_days/Detroit-A             a node's cover at the period's end, days
    halt_days/Detroit-A              days in the period on which the node lost output
    licence_wait_days/Detroit-A      mean days from application to decision of the
                                     node's licensed orders decided in the period

Exports count on the day customs clears them (``cleared_on``), as China's customs series
does; magnets only (not raw materials, not magnets inside components such as a tier-1's
motors). Periods are calendar months (``month``) or days (``day``); only periods the run
covers in full are returned. Nodes are agents of the run by name (checked against the run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sim.config.registry import check_country
from sim.domain.errors import ConfigError, suggest
from sim.domain.products import BY_CODE, ELEMENTS, MAGNETS, MATERIALS

PERIODS = ("month", "day")
AGGREGATIONS = ("sum", "mean", "last")
VOCABS = ("country", "element", "product", "node")


@dataclass(frozen=True)
class Observable:
    """One observable series.

    Attributes:
        name: the base name (``cn_magnet_exports_t``).
        unit: its unit (a key of `sim.config.registry.UNITS`; ``t`` of a flow means tonnes
            in the period).
        description: what it measures.
        args: the vocabulary of each part after the base (`VOCABS`).
        agg: how daily values make a period's value: ``sum`` (flows), ``mean`` (prices),
            ``last`` (stocks and covers at the period's end).
        tables: the run's tables it reads (``daily``, ``agents``, ``shipments``).
        daily: ``fn(tables, *parts) -> Series`` of daily values indexed by date.
    """

    name: str
    unit: str
    description: str
    args: tuple[str, ...]
    agg: str
    tables: tuple[str, ...]
    daily: Callable[..., pd.Series]


OBSERVABLES: dict[str, Observable] = {}
"""Registered observables by form (``cn_magnet_exports_t/<country>``): one base name may
have several forms (the total and by destination)."""


def observable(name: str, unit: str, description: str, args: tuple[str, ...] = (),
               agg: str = "sum", tables: tuple[str, ...] = ("daily",)):
    """Register the decorated ``fn(tables, *parts)`` as observable ``name``."""
    assert agg in AGGREGATIONS and set(args) <= set(VOCABS), (name, agg, args)

    form = "/".join([name, *(f"<{a}>" for a in args)])

    def deco(fn):
        if form in OBSERVABLES:
            raise ValueError(f"observable {form!r} registered twice")
        OBSERVABLES[form] = Observable(name, unit, description, tuple(args), agg,
                                       tuple(tables), fn)
        return fn
    return deco


def _dates(tables: dict) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(tables["daily"]["date"]))


def _on_dates(tables: dict, when: pd.Series, values: pd.Series) -> pd.Series:
    """Daily sums of ``values`` by the dates ``when`` (NaT dropped), on every run day."""
    days = _dates(tables)
    keep = when.notna()
    s = values[keep].groupby(pd.to_datetime(when[keep]).dt.normalize()).sum()
    return s.reindex(days, fill_value=0.0).astype(float)


def _daily_column(tables: dict, col: str) -> pd.Series:
    d = tables["daily"]
    if col not in d.columns:
        raise ConfigError(f"the run's daily table has no column {col!r} (a lean sweep job "
                          "keeps only some series: run the sweep with "
                          "hydra.sweeper.keep=tables)")
    return pd.Series(d[col].to_numpy(dtype=float), index=_dates(tables))


def _cn_exports(tables: dict) -> pd.DataFrame:
    s = tables["shipments"]
    col = "cleared_on" if "cleared_on" in s.columns else "shipped_on"
    keep = s["seller_country"] == "CN"
    if "component" in s.columns:
        keep &= ~s["component"].astype(bool)
    return s[keep].assign(_when=s.loc[keep, col])


def _node_rows(tables: dict, node: str) -> pd.DataFrame:
    a = tables["agents"]
    rows = a[a["agent"] == node]
    if not len(rows):
        names = list(dict.fromkeys(a["agent"]))
        raise ConfigError(f"series node {node!r}: no agent of that name in the run"
                          f"{suggest(node, names)}")
    return rows.set_index(pd.to_datetime(rows["date"]))


@observable("cn_magnet_exports_t", "t", "China's magnet exports (HS 850511: NdFeB and SmCo "
            "magnets, not raw materials, not magnets inside components), dated at customs "
            "clearance")
def _exports(tables: dict) -> pd.Series:
    return _daily_column(tables, "exports_t")


@observable("cn_magnet_exports_t", "t", "", ("country",), tables=("daily", "shipments"))
def _exports_to(tables: dict, country: str) -> pd.Series:
    ex = _cn_exports(tables)
    ex = ex[ex["material"].isin(MAGNETS) & (ex["buyer_country"] == country)]
    return _on_dates(tables, ex["_when"], ex["tonnes"])


@observable("cn_exports_t", "t", "China's exports of one product (a magnet or a raw "
            "material), dated at customs clearance", ("product",))
def _exports_of(tables: dict, product: str) -> pd.Series:
    return _daily_column(tables, f"exports_{product}_t")


@observable("cn_raw_exports_t", "t", "China's raw-material exports of one element, t of "
            "oxide (REO) in the products exported", ("element",))
def _raw_exports(tables: dict, element: str) -> pd.Series:
    total = pd.Series(0.0, index=_dates(tables))
    for code in MATERIALS:
        p = BY_CODE[code]
        if p.category == "raw" and p.elements.get(element):
            total += _daily_column(tables, f"exports_{code}_t") * p.elements[element]
    return total


@observable("price_cn", "USD/kg", "the price of a product inside China", ("product",),
            agg="mean")
def _price_cn(tables: dict, product: str) -> pd.Series:
    return _daily_column(tables, f"price_{product}_cn")


@observable("price_ex_cn", "USD/kg", "the price of a product outside China", ("product",),
            agg="mean")
def _price_ex_cn(tables: dict, product: str) -> pd.Series:
    return _daily_column(tables, f"price_{product}_ex_cn")


@observable("stock_t", "t", "a node's stock of a product (at the period's end)",
            ("node", "product"), agg="last", tables=("agents",))
def _stock(tables: dict, node: str, product: str) -> pd.Series:
    return _node_rows(tables, node)[f"stock_{product}"].astype(float)


@observable("cover_days", "days", "a node's cover, days of its use (at the period's end)",
            ("node",), agg="last", tables=("agents",))
def _cover(tables: dict, node: str) -> pd.Series:
    return _node_rows(tables, node)["cover_days"].astype(float)


@observable("halt_days", "days", "days on which a node lost output", ("node",),
            tables=("agents",))
def _halt_days(tables: dict, node: str) -> pd.Series:
    return (_node_rows(tables, node)["lost"].fillna(0.0) > 1e-9).astype(float)


@observable("licence_wait_days", "days", "mean calendar days from application to decision "
            "of the node's licensed orders decided in the period", ("node",), agg="mean",
            tables=("daily", "shipments"))
def _licence_wait(tables: dict, node: str) -> pd.Series:
    s = tables["shipments"]
    s = s[(s["buyer"] == node) & s["applied_on"].notna() & s["decided_on"].notna()]
    wait = (pd.to_datetime(s["decided_on"]) - pd.to_datetime(s["applied_on"])).dt.days
    out = wait.groupby(pd.to_datetime(s["decided_on"]).dt.normalize()).mean()
    return out.reindex(_dates(tables)).astype(float)  # NaN on days without a decision


# --------------------------------------------------------------------------- names
@dataclass(frozen=True)
class Series:
    """A parsed series name: its observable and the parts after the base."""

    name: str
    observable: Observable
    parts: tuple[str, ...]


def parse(name: str, where: str = "series") -> Series:
    """The observable and parts of a series name (module docstring); ConfigError for an
    unknown base, a wrong number of parts or a part outside its vocabulary (nodes are
    checked against a run, not here)."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: a series name is needed, got {name!r}")
    base, *parts = name.strip().split("/")
    forms = [o for o in OBSERVABLES.values() if o.name == base]
    if not forms:
        bases = list(dict.fromkeys(o.name for o in OBSERVABLES.values()))
        raise ConfigError(f"{where}: unknown series {base!r}{suggest(base, bases)}; known: "
                          f"{', '.join(bases)}")
    ob = next((o for o in forms if len(o.args) == len(parts)), None)
    if ob is None:
        want = " or ".join("/".join([base, *(f"<{a}>" for a in o.args)]) for o in forms)
        raise ConfigError(f"{where}: series {base!r} is written {want}, got {name!r}")
    for vocab, part in zip(ob.args, parts, strict=True):
        _check_part(vocab, part, f"{where} {name!r}")
    return Series(name.strip(), ob, tuple(parts))


def _check_part(vocab: str, part: str, where: str) -> None:
    if vocab == "country":
        check_country(part, where)
    elif vocab == "element" and part not in ELEMENTS:
        raise ConfigError(f"{where}: unknown element {part!r}{suggest(part, ELEMENTS)}; "
                          f"known: {list(ELEMENTS)}")
    elif vocab == "product" and part not in MATERIALS:
        raise ConfigError(f"{where}: unknown product {part!r}{suggest(part, MATERIALS)}; "
                          f"known: {list(MATERIALS)}")
    elif vocab == "node" and not part.strip():
        raise ConfigError(f"{where}: an empty node name")


def period_starts(dates: pd.DatetimeIndex, period: str) -> pd.DatetimeIndex:
    """The start of each date's period (a month's first day, or the day itself)."""
    return dates.to_period("M").to_timestamp() if period == "month" else dates.normalize()


def compute(tables: dict, name: str, period: str = "month") -> pd.Series:
    """Series ``name`` of a run, one value per complete ``period`` of the run, indexed by
    the period's first day."""
    if period not in PERIODS:
        raise ConfigError(f"period: must be one of {list(PERIODS)}, got {period!r}")
    s = parse(name)
    for t in s.observable.tables:
        if t not in tables or tables[t] is None:
            raise ConfigError(f"series {name!r} needs the run's {t} table, which this run "
                              "did not keep (a lean sweep job: hydra.sweeper.keep=tables)")
    daily = s.observable.daily(tables, *s.parts).sort_index()
    days = _dates(tables)
    starts = period_starts(days, period)
    full = _full_periods(days, starts, period)
    idx = period_starts(pd.DatetimeIndex(daily.index), period)
    g = daily.groupby(idx)
    out = {"sum": g.sum, "mean": g.mean, "last": g.last}[s.observable.agg]()
    out = out.reindex(full)
    out.index.name = "date"
    return out.astype(float)


def _full_periods(days: pd.DatetimeIndex, starts: pd.DatetimeIndex,
                  period: str) -> pd.DatetimeIndex:
    if period == "day":
        return pd.DatetimeIndex(sorted(set(days)))
    counts = pd.Series(1, index=days).groupby(starts).sum()
    need = pd.Series(counts.index.days_in_month, index=counts.index)
    return pd.DatetimeIndex(counts.index[(counts == need).to_numpy()])


def table() -> pd.DataFrame:
    """The registry as a table: series form, unit, aggregation, tables, description."""
    rows = []
    for form, ob in OBSERVABLES.items():
        desc = ob.description or "the same by " + ", ".join(ob.args)
        rows.append({"series": form, "unit": ob.unit, "aggregation": ob.agg,
                     "tables": ", ".join(ob.tables), "description": desc})
    return pd.DataFrame(rows)

