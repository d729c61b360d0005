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


def _quota_cuts_waiting_files():
    from sim.config import EventConf

    from .helpers import small_world

    return small_world(days=150, events=[  # a quota that cuts a file waiting for its licence
        EventConf(set="controls", day=0, materials=["ndfeb"]),
        EventConf(set="quota", day=40, materials=["ndfeb"], tonnes_per_year=30.5)])


@pytest.mark.parametrize("make", [
    lambda: sim.scenario("licensing_45wd", "world=synthetic", "world.firms=300", days=150,
                         seed=3, plots=False),
    lambda: sim.scenario("controls_2025", days=150, seed=3, plots=False),
    _quota_cuts_waiting_files,
], ids=["licensing_45wd-300", "controls_2025", "quota-cut"])
def test_the_licence_queues_tonnes_are_the_exact_sums_of_the_files_waiting(make):
    """Each day the tonnes waiting for a licence per material (kept as files come and go,
    quota cuts of waiting files included) are the correctly rounded sums of the orders
    still QUEUED in the Ministry's queue, and the count of waiting files theirs."""
    import math

    from sim.trade.shipments import Status

    cut_while_waiting = []
    m = sim.build(make())
    cut_to = m.orders.cut_to
    m.orders.cut_to = lambda s, *a, **k: (cut_while_waiting.append(s.status == Status.QUEUED),
                                          cut_to(s, *a, **k))[1]
    seen = 0
    while m.running:
        m.step()
        live = [s for _, _, s in m.ministry.queue if s.status == Status.QUEUED]
        want = {}
        for s in live:
            want.setdefault(s.material, []).append(s.tonnes)
        got = m.orders.queued.totals()
        assert m.orders.queued.count == len(live)
        assert {k: v for k, v in got.items() if v} == {k: math.fsum(v) for k, v in
                                                       want.items()}
        seen += len(live)
    assert seen > 0  # files waited
    if make is _quota_cuts_waiting_files:
        assert any(cut_while_waiting)  # a waiting file's tonnes were cut by the quota
