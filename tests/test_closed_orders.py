"""Closed orders are kept as columns (`sim.trade.closed`): their objects are let go, none
changes after it is archived, and the shipments table is the one built from every order's
object (tested on random event mixes in tests/test_properties.py too)."""

import numpy as np
import pandas as pd
import pytest

from sim import build
from sim.trade.closed import FIELDS, ClosedOrders, _text_by_codes, shipments_frame
from sim.trade.shipments import Status
from tests.helpers import load


def _fields(s) -> tuple:
    return tuple(getattr(s, f) for f in FIELDS)


@pytest.mark.parametrize("scenario", ["controls_2025", "embargo_2010"])
def test_archived_orders_are_let_go_and_the_table_is_unchanged(scenario):
    m = build(load(scenario, "days=400"))
    archived: list = []
    add = m.orders.closed.add

    def add_and_keep(orders):
        archived.extend((s, _fields(s)) for s in orders)
        return add(orders)

    m.orders.closed.add = add_and_keep
    m.run()
    book = m.orders
    assert book.closed.count == len(archived) > 0
    # the run holds only orders not yet archived: most of a long run's are gone
    assert len(book.live) < 0.25 * book._count
    assert book.closed.count + len(book.live) == book._count
    assert not any(s.id in book.live for s, _ in archived)
    assert all(s.status in (Status.DELIVERED, Status.DENIED, Status.CANCELLED,
                            Status.REVOKED) and not s.reserved for s, _ in archived)
    assert {str(s.status) for s, _ in archived} > {"delivered"}  # refusals archived too
    assert [s.id for s, f in archived if _fields(s) != f] == []
    table = m.tables()["shipments"]
    every = sorted([s for s, _ in archived] + list(book.live.values()), key=lambda s: s.id)
    pd.testing.assert_frame_equal(table, shipments_frame(every))
    assert table.equals(m.recorder.tables(every, [])["shipments"])
    # the copies rebuilt from the columns are the orders as they were
    rebuilt = {s.id: _fields(s) for s in book.shipments}
    assert all(rebuilt[s.id] == f for s, f in archived)
    assert m.tables()["shipments"].equals(table)  # asked again: the same table


def test_only_closed_orders_without_tonnes_are_archived():
    m = build(load("baseline", "days=5"))
    m.run()
    open_order = next(s for s in m.orders.live.values() if s.status == Status.IN_TRANSIT)
    with pytest.raises(RuntimeError, match="only closed orders"):
        ClosedOrders().add([open_order])


def test_the_last_table_takes_the_columns_and_no_table_follows():
    m = build(load("controls_2025", "days=120"))
    m.run()
    before = m.tables()
    last = m.tables(last=True)
    for name in ("shipments", "agents", "daily"):
        assert last[name].equals(before[name]), name
    assert m.orders.closed.released and not m.orders.closed.chunks
    with pytest.raises(RuntimeError, match="last table"):
        m.tables()
    with pytest.raises(RuntimeError, match="last table"):
        _ = m.orders.shipments


def test_a_large_book_archives_by_count_and_the_tables_are_unchanged(monkeypatch):
    """Archiving once `ARCHIVE_ORDERS` orders have closed, and turning rows into arrays
    once `CHUNK_ROWS` are pending (as a world of thousands of firms does), leave every
    table as archiving and chunking by days alone gives."""
    from sim.engine.recorder import _Group
    from sim.trade.orders import OrderBook

    def tables():
        m = build(load("controls_2025", "days=200"))
        calls = []
        archive = m.orders.archive

        def counted():
            calls.append(m.day)
            archive()

        m.orders.archive = counted
        m.run()
        return m.tables(), calls

    by_days, day_calls = tables()
    monkeypatch.setattr(OrderBook, "ARCHIVE_ORDERS", 40)
    monkeypatch.setattr(_Group, "CHUNK_ROWS", 50)
    by_count, count_calls = tables()
    assert len(count_calls) > 3 * len(day_calls)  # archived far more often
    assert any(d % OrderBook.ARCHIVE_DAYS for d in count_calls)
    for name, table in by_days.items():
        assert table.equals(by_count[name]), name
        assert list(table.dtypes) == list(by_count[name].dtypes), name


def test_a_refused_chunk_leaves_the_book_as_it_was():
    """An order that still holds tonnes among closed ones: the whole chunk is refused and
    nothing is archived or let go."""
    m = build(load("controls_2025", "days=40"))
    m.run()
    book = m.orders
    live, count = dict(book.live), book.closed.count
    closed = [s for s in book.live.values() if s.status == Status.DELIVERED][:5]
    holding = next(s for s in book.live.values() if s.reserved)
    book._closing = [*closed, holding]
    with pytest.raises(RuntimeError, match="only closed orders"):
        book.archive()
    assert book.live == live and book.closed.count == count


@pytest.mark.parametrize("values", [["JL Mag", "Aichi#3", ""], ["ordered", "queued"]])
def test_a_text_column_built_in_arrow_is_the_one_pandas_infers(values):
    codes = np.array([1, 0, 0, len(values) - 1, 1], dtype=np.int32)
    want = pd.Series(np.array(values, dtype=object)[codes])
    got = _text_by_codes(values, codes)
    assert got is not None and got.dtype == want.dtype and got.equals(want)
    assert got.array.__arrow_array__().num_chunks == 1  # as the KPIs' numbering expects


def test_a_column_not_all_text_is_left_to_pandas():
    codes = np.array([0, 1], dtype=np.int32)
    assert _text_by_codes(["a", None], codes) is None
    assert _text_by_codes([1, 2], codes) is None
    assert _text_by_codes(["a"], codes[:0]) is None
