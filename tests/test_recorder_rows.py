"""The agents table as the recorder keeps it (column arrays, one call per agent a day)
equals the rows the agents' own ``record()`` gives each day; a row declared by ``ROW``
keeps a parent's column where a subclass changes its source; a class that writes its own
``record()`` is recorded through it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim
from sim.agents.buyer import Buyer
from sim.agents.firm import Firm
from sim.agents.row import STOCK_COLUMNS, Recorded
from sim.agents.tier1 import Tier1
from sim.engine import recorder as rec


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def test_the_agents_table_is_each_days_record_of_each_agent(monkeypatch):
    monkeypatch.setattr(rec._Group, "CHUNK_DAYS", 7)  # several chunks in 30 days
    model = sim.build(sim.scenario("baseline", days=30, seed=4))
    expected = []
    while model.running:
        model.step()
        for a in rec.record_order(model):
            expected.append({"date": pd.Timestamp(model.date), **a.record()})
    table = model.tables()["agents"]
    assert len(table) == len(expected) == 30 * len(list(model.agents))
    cols = list(table.columns)
    assert cols[0] == "date"
    for want_row, (_, got) in zip(expected, table.iterrows(), strict=True):
        for c in cols:  # each agent's columns hold its values; the others are missing
            want = want_row.get(c, math.nan)
            assert _same(got[c] if not pd.isna(got[c]) else math.nan,
                         want if want is not None else math.nan), (c, want_row["agent"])
    kinds = set(table["kind"])
    assert {"automaker", "mine", "ministry", "tier1"} <= kinds
    assert table["stock_ndfeb"].dtype == np.float64
    assert table["closures"].dtype == np.float64  # mines' ints, missing for other firms


def test_a_subclass_changes_a_columns_source_and_keeps_its_place():
    buyer, tier = Buyer.row_spec()[0], Tier1.row_spec()[0]
    assert buyer == tier  # same columns, same order
    assert buyer[:3] == ("agent", "kind", "country")
    assert buyer[3:3 + len(STOCK_COLUMNS)] == STOCK_COLUMNS
    assert Tier1.ROW["output"] == "shipped_today" and Buyer.ROW["output"] == "output_today"


def test_a_class_with_its_own_record_is_recorded_through_it():
    class Own(Recorded):
        ROW = {"agent": "name"}
        name = "x"

        def record(self) -> dict:
            return {"agent": self.name, "mood": 1.5}

    class Declared(Recorded):
        ROW = {"agent": "name", "mood": "mood"}
        name, mood = "y", 2.5

    own, declared = Own(), Declared()
    cols = ("agent", "mood")
    assert tuple(own.record()) == tuple(declared.record()) == cols
    g = rec._Group(cols, [own, declared, Own()], [0, 2, 1])
    g.add_day()
    g.add_day()
    assert g.ranks == [0, 1, 2]  # members by class; each keeps its rank
    assert g.rows == [("x", 1.5), ("x", 1.5), ("y", 2.5)] * 2
    assert list(g.positions(2, 3)) == [0, 1, 2, 3, 4, 5]
    assert Declared().record() == {"agent": "y", "mood": 2.5}


@pytest.mark.parametrize("values, dtype", [((1.0, 2.0), np.float64), ((1, 2), np.int64),
                                           ((True, False), np.bool_), (("a", "b"), object),
                                           ((1.0, None), object)])
def test_a_chunk_of_a_column_keeps_its_type(values, dtype):
    assert rec._column(values).dtype == dtype


def test_firms_row_starts_with_name_kind_country_then_stocks():
    cols = Firm.row_spec()[0]
    assert cols == ("agent", "kind", "country", *STOCK_COLUMNS)


def test_tables_asked_again_or_after_more_days_are_those_of_a_fresh_run(monkeypatch):
    monkeypatch.setattr(rec._Group, "CHUNK_DAYS", 4)
    cfg = sim.scenario("baseline", days=20, seed=2)
    m = sim.build(cfg)
    for _ in range(10):
        m.step()
    first = m.tables()["agents"]
    first["extra"] = 1.0  # a caller's change stays its own
    again = m.tables()["agents"]
    assert "extra" not in again.columns
    assert again.equals(first.drop(columns="extra"))
    while m.running:  # recording goes on after the table was built
        m.step()
    whole = m.tables()["agents"]
    fresh = sim.build(cfg)
    while fresh.running:
        fresh.step()
    assert whole.equals(fresh.tables()["agents"])
    assert len(whole) == 20 * len(list(m.agents))


def test_the_licence_queues_tonnes_are_the_loops_sums_to_the_last_bit(monkeypatch):
    """The daily tonnes waiting for a licence, per material, summed in arrays for a long
    queue, equal the loop's sums in queue order (and the count of waiting files)."""
    from collections import defaultdict

    from sim.trade.shipments import Status

    m = sim.build(sim.scenario("licensing_45wd", "world=synthetic", "world.firms=300",
                               days=80, seed=3, plots=False))
    for _ in range(70):
        m.step()
    q = m.ministry.queue
    want, n = defaultdict(float), 0
    for _, _, s in q:
        if s.status == Status.QUEUED:
            want[s.material] += s.tonnes
            n += 1
    assert n >= rec.QUEUE_ARRAYS and len(want) >= 2  # the arrays' way, several materials
    got, k = rec._queued(q)
    assert k == n and got == dict(want)
    monkeypatch.setattr(rec, "QUEUE_ARRAYS", 10**9)
    assert rec._queued(q) == (got, n)
