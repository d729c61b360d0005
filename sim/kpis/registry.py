"""The KPI registry itself: `KPI` rows, the `kpi` decorator that adds one, and `RunData`,
the run's tables and the derived tables KPIs share (see `sim.kpis`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.config import EconomicsConf, MetricsConf
from sim.domain.errors import ConfigError
from sim.kpis.nodes import plant_rows, plants_table, rows_by_code


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


def day_rows(agents: pd.DataFrame) -> int | None:
    """k when ``agents`` (an agents table) is k distinct agents, then the same k in the
    same order again, day after day; else None. Checked by comparing each row's agent
    with the agent k rows on (in Arrow when the text is Arrow's: no copy of the column)."""
    n = len(agents)
    if not n or "agent" not in agents or "date" not in agents:
        return None
    dates = agents["date"].to_numpy()
    k = int((dates == dates[0]).sum())  # the first day's rows
    agent = agents["agent"]
    if n % k or agent.iloc[:k].nunique(dropna=False) != k:
        return None
    if n == k:
        return k
    text = agent.array
    if hasattr(text, "__arrow_array__"):
        import pyarrow.compute as pc

        col = text.__arrow_array__()
        same = pc.all(pc.equal(col.slice(k), col.slice(0, n - k)), skip_nulls=False)
        return k if same.as_py() is True else None
    v = agent.to_numpy()
    return k if bool((v[k:] == v[:-k]).all()) else None


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
        self._kind_rows: dict[tuple, np.ndarray] = {}
        self.memo: dict = {}  # what KPIs share, found once (e.g. the rows of CN exports)

    def kind_rows(self, kinds) -> np.ndarray:
        """Where the agents of ``kinds`` (a kind or several) are in the agents table."""
        kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        pos = self._kind_rows.get(kinds)
        if pos is None:
            pos = self._kind_rows[kinds] = np.flatnonzero(
                self.agents["kind"].isin(kinds).to_numpy())
        return pos

    def of_kind(self, kinds, cols) -> pd.DataFrame:
        """The agents table's rows of the agents of ``kinds`` (a kind or several), with only
        the columns ``cols`` that it has: a world of thousands of firms would otherwise copy
        most of the table for each KPI."""
        return self.agents[[c for c in cols if c in self.agents]].iloc[self.kind_rows(kinds)]

    @cached_property
    def day_rows(self) -> int | None:
        """How many agents a day, when the agents table holds the same agents in the same
        order day after day (row ``day x day_rows + rank``, as `sim.engine.recorder` writes
        it); None when it does not (a table put together some other way)."""
        return day_rows(self.agents)

    @cached_property
    def agent_codes(self) -> tuple[np.ndarray, pd.Index]:
        """Each agents-table row's agent as a number, and the names the numbers stand for
        (KPIs group rows by these rather than by the text), as `pandas.factorize` gives
        them. A table of the same agents each day repeats its first day's numbers (no
        text of millions of rows is hashed)."""
        k = self.day_rows
        if k:
            codes, names = pd.factorize(self.agents["agent"].iloc[:k])
            return np.tile(codes.astype(np.int32), len(self.agents) // k), names
        codes, names = pd.factorize(self.agents["agent"])
        return codes.astype(np.int32), names

    def rows_of(self, agent: str) -> np.ndarray:
        """Where ``agent``'s rows are in the agents table, in table (date) order (none
        for an agent not in it): its rank every `day_rows` rows, else found once for
        all agents by number. A filter of the whole table per agent would cost agents x
        rows in a large world."""
        k = self.day_rows
        codes, names = self.agent_codes
        if agent not in names:
            return np.empty(0, dtype=np.int64)
        if k:
            return np.arange(names.get_loc(agent), len(self.agents), k)
        got = self.memo.get("rows_of")
        if got is None:
            got = self.memo["rows_of"] = rows_by_code(codes)
        return got[names.get_loc(agent)]

    def by_agent(self, kinds, col: str, how: str) -> dict:
        """Column ``col`` of the agents of ``kinds`` reduced per agent (``how``: a pandas
        groupby reduction, over each agent's rows in table order), by agent name in
        sorted order."""
        pos = self.kind_rows(kinds)
        codes, names = self.agent_codes
        got = getattr(pd.Series(self.agents[col].to_numpy()[pos]).groupby(codes[pos]), how)()
        by_name = {names[k]: v for k, v in got.items()}
        return {k: by_name[k] for k in sorted(by_name)}

    @cached_property
    def economics(self) -> EconomicsConf:
        return EconomicsConf.from_dict(self.meta.get("economics"))

    @property
    def end_window_days(self) -> int:
        """The run's 'end' for share KPIs (``metrics.end_window_days``, recorded in meta)."""
        return int((self.meta.get("metrics") or {}).get(
            "end_window_days", MetricsConf().end_window_days))

    @cached_property
    def plant_rows(self) -> list[dict]:
        """The plants' figures, a dict per node (`sim.kpis.nodes.plant_rows`)."""
        return plant_rows(self)

    @cached_property
    def plants(self) -> pd.DataFrame:
        """`plant_rows` as a table (its rows are not kept in ``attrs``: pandas copies
        ``attrs`` deeply at every operation on the table)."""
        return plants_table(self.plant_rows)


