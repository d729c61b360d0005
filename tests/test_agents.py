"""Each agent's rules, on a small world."""

import datetime as dt

import pytest

from sim import build
from sim.config import (
    EventConf,
    MineConf,
    RunConfig,
    WorldConf,
)
from sim.trade.shipments import Status

from .helpers import small_world


def test_automaker_output_is_limited_by_scarcest_magnet():
    m = build(small_world())
    a = m.by_name["A"]
    need = a.need["ndfeb_hre"]  # 1000 * 0.5 * 1.5 kg = 0.75 t/day
    assert need == pytest.approx(0.75)
    a.stock["ndfeb_hre"] = need / 2
    a.use()
    assert a.output_today == pytest.approx(500)
    assert a.lost_today == pytest.approx(500)
    assert a.first_halt == m.date
    assert a.stock["ndfeb_hre"] == pytest.approx(0.0)
    assert a.stock["ndfeb"] > 0  # the other magnet was used only for the vehicles made


def test_buyer_orders_toward_target_counting_the_supply_line():
    m = build(small_world())
    b = m.by_name["I"]
    n = b.need["ndfeb"]
    b.stock["ndfeb"], b.on_order["ndfeb"], b.lead_est["ndfeb"] = 10.0, 0.0, 30.0
    m.steps = b.review - b.offset + 1  # a review day (day = steps - 1)
    before = len(m.shipments)
    b.order()
    qty = sum(s.tonnes for s in m.shipments[before:])
    expected = n * b.review + (n * b.target_cover - 10.0) + 1.0 * (n * 30.0 - 0.0)
    assert qty == pytest.approx(expected)
    # with supply_line_weight 0 the pipeline is ignored: it orders less than above
    b.conf.supply_line_weight = 0.0
    b.on_order["ndfeb"] = 0.0
    before = len(m.shipments)
    b.order()
    assert sum(s.tonnes for s in m.shipments[before:]) == pytest.approx(
        n * b.review + n * b.target_cover - 10.0)


def test_exporter_keeps_working_stock_and_sells_the_rest_at_home():
    m = build(small_world())
    e = list(m.of("china_seller"))[0]
    e.produce()
    e.sell_home()
    for mat, keep in e.keep.items():
        assert e.stock[mat] == pytest.approx(keep)
    assert m.ledger.flows["sold_in_china"]["ndfeb"] > 0


def test_ministry_licence_clock_and_military_denial():
    cfg = small_world(events=[EventConf(set="controls", day=0)])
    m = build(cfg)
    m.step()  # day 0: controls in force, orders go to the queue
    queued = [s for s in m.shipments if s.status == Status.QUEUED]
    assert queued, "controlled orders should wait for a licence"
    for s in queued:
        assert s.applied_on == m.start and s.licence == "individual"
    # military end use is denied under controls
    s = queued[0]
    s.end_use = "military"
    assert m.ministry.approval_prob(s) == 0.0


def test_embargo_denies_and_lift_restores():
    cfg = small_world(events=[EventConf(set="embargo", day=5, days=10, destinations=["US"])])
    m = build(cfg)
    for _ in range(6):
        m.step()
    assert "US" in m.ministry.embargoes
    for _ in range(10):
        m.step()
    assert "US" not in m.ministry.embargoes
    denied = [s for s in m.shipments if s.status == Status.DENIED]
    assert all(s.buyer_country == "US" and s.reason == "embargo" for s in denied)
    assert denied


def test_quota_holds_within_the_year():
    cap = 100.0
    cfg = small_world(days=120, events=[
        EventConf(set="quota", day=0, materials=["ndfeb"], tonnes_per_year=cap)])
    m = build(cfg).run()
    ships = [s for s in m.shipments if s.material == "ndfeb" and s.seller_country == "CN"
             and s.shipped_on and s.shipped_on >= m.start]
    assert sum(s.tonnes for s in ships) <= cap + 1e-6
    assert any(s.reason == "quota" for s in m.shipments)


def test_mine_lifecycle():
    w = WorldConf(mines=[MineConf(name="M", status="planned",
                                  construction_start="2025-01-10", construction_days=20,
                                  rampup_days=10)])
    m = build(RunConfig(world=w, days=60))
    mine = m.by_name.get("M") or list(m.of("mine"))[0]
    seen = []
    while m.running:
        m.step()
        seen.append((m.date, mine.status, mine.produced_today))
    states = [s for _, s, _ in seen]
    assert states.index("construction") == 9
    assert states.index("rampup") == 29
    assert states.index("operating") == 39
    assert all(q == 0 for _, s, q in seen if s in ("planned", "construction"))
    assert seen[-1][2] == pytest.approx(mine.capacity_tpd)


def test_orders_wait_in_book_without_stock():
    m = build(small_world())
    e = list(m.of("china_seller"))[0]
    e.stock["ndfeb"] = 0.0
    s = m.orders.new_order(m.by_name["I"], e, "ndfeb", 5.0, m.date)
    e.book = [s]
    e.allocate()
    assert s.status == Status.ORDERED and not s.reserved
    assert m.date == dt.date(2025, 1, 1)
