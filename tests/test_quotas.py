"""Quotas hold to the tonne: orders released together cannot cross a cap; an order that
would cross it is cut to what fits; a quota set mid-year counts the year's releases."""

import datetime as dt

import pytest

from sim import build
from sim.config import EventConf
from sim.trade.shipments import Status

from .helpers import small_world, steps


def _exported(m, material="ndfeb", year=2025) -> float:
    return sum(s.tonnes for s in m.shipments if s.material == material
               and s.seller_country == "CN" and s.shipped_on and s.shipped_on >= m.start
               and s.shipped_on.year == year)


@pytest.mark.parametrize("cap", [0.5, 7.3, 36.0, 120.0])
def test_releases_never_cross_the_cap(cap):
    """Several orders in one book pass the screen on the same day; releasing them one by
    one must still stop at the cap (before, each was checked against the same total)."""
    m = build(small_world(days=90, events=[
        EventConf(set="quota", day=0, materials=["ndfeb"], tonnes_per_year=cap)]))
    m.run()
    released = m.ministry.released.get((2025, "ndfeb", None), 0.0)
    assert released <= cap + 1e-6
    assert _exported(m) <= cap + 1e-6
    assert released == pytest.approx(cap, abs=1e-6), "the room under the cap is used"


def test_an_order_crossing_the_cap_is_cut_to_fit():
    m = build(small_world(days=30, events=[  # in force at set-up
        EventConf(set="quota", date="2024-12-31", materials=["ndfeb"], tonnes_per_year=3.0)]))
    e = list(m.of("china_seller"))[0]
    s = m.orders.new_order(m.by_name["I"], e, "ndfeb", 5.0, m.date)
    m.by_name["I"].on_order["ndfeb"] += 5.0
    e.book = [s]
    e.allocate()
    assert s.status == Status.APPROVED and s.tonnes == pytest.approx(3.0)
    rest = m.shipments[-1]
    assert rest.id != s.id and rest.status == Status.DENIED and rest.reason == "quota"
    assert rest.tonnes == pytest.approx(2.0) and not rest.reserved
    assert all(abs(v) < 1e-9 for v in m.imbalance().values())


def test_quota_set_mid_year_counts_earlier_releases():
    m = build(small_world(days=200, events=[
        EventConf(set="quota", date="2025-05-01", materials=["ndfeb"], tonnes_per_year=10.0)]))
    steps(m, 120)  # to 2025-04-30: no quota, exports flow
    before = m.ministry.released[(2025, "ndfeb", None)]
    assert before > 10.0
    steps(m, 80)
    after_may = sum(s.tonnes for s in m.shipments if s.material == "ndfeb"
                    and s.seller_country == "CN" and s.decided_on
                    and s.decided_on >= dt.date(2025, 5, 1) and s.status != Status.DENIED)
    assert after_may == 0.0, "releases above the new cap leave no room for the year"
    assert any(s.reason == "quota" for s in m.shipments)
