"""A buyer's open orders (`OrderBook.open_of`, what expediting walks) are exactly its
orders that sellers' books hold as ordered or approved: found without scanning every book
(a scan per short buyer made a large world's ordering quadratic in firms)."""

from __future__ import annotations

import sim
from sim.trade.shipments import IN_BOOK, Status

WAITING = (Status.ORDERED, Status.APPROVED)


def _in_books(m) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for seller in m.of("seller"):
        for s in seller.book:
            if s.status in WAITING:
                out.setdefault(s.buyer, set()).add(s.id)
    return out


def test_a_buyers_open_orders_are_those_the_books_hold():
    m = sim.build(sim.scenario("controls_2025", "world=synthetic", "world.firms=100",
                               days=160, seed=4, plots=False))
    checked = 0
    while m.running:
        m.step()
        if m.day % 20:
            continue
        books = _in_books(m)
        for b in (*m.of("buyer"), *m.of("tier1")):
            mine = m.orders.open_of(b.name)
            assert all(s.buyer == b.name and s.status in IN_BOOK for s in mine)
            assert {s.id for s in mine if s.status in WAITING} == books.get(b.name, set())
            checked += len(mine)
    assert checked > 1000
    assert m.tables()["shipments"]["expedited"].sum() > 0  # controls_2025 expedites


def test_closed_orders_are_let_go_when_archived():
    m = sim.build(sim.scenario("baseline", days=70, seed=1, plots=False))
    while m.running:
        m.step()
    m.orders.archive()
    held = [s for lst in m.orders._by_buyer.values() for s in lst]
    # none closed (delivered, denied, cancelled, revoked): in the book or on their way
    assert held and all(s.status in (*IN_BOOK, Status.IN_TRANSIT) for s in held)
    assert any(s.status in IN_BOOK for s in held)


def test_files_waiting_for_a_licence_leave_the_book_and_come_back_at_their_place():
    """A Chinese seller's book holds the orders it acts on, in the order they came: no
    file waiting for its licence (those are the Ministry's), and every released order
    that has not shipped, back at its place once its licence came."""
    m = sim.build(sim.scenario("controls_2025", "world=synthetic", "world.firms=100",
                               days=200, seed=5, plots=False))
    readmitted = 0
    while m.running:
        m.step()
        for e in m.of("china_seller"):
            ids = [s.id for s in e.book]
            assert ids == sorted(set(ids))
            assert all(s.status in WAITING for s in e.book)
        in_book = {s.id for e in m.of("china_seller") for s in e.book}
        for s in m.orders.live.values():
            if s.seller_country == "CN" and not s.component and s.status == Status.APPROVED:
                assert s.id in in_book
                readmitted += s.applied_on is not None and s.licence == "individual"
    assert readmitted > 0  # licensed orders waited in books to ship
    assert m.ministry.queue  # and files were waiting
