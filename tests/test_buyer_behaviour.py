"""Buyer behaviour of issue 11: make-up production after a halt, expediting by air freight."""

import datetime as dt

import pytest

import sim
from sim import build
from sim.config import EventConf
from sim.trade.shipments import Decision, Licence, Status

from .helpers import run_model, small_world


def _world(days: int = 200, **auto):
    """The small world with a 40-day US embargo from day 5 (automaker A, 20 days of cover,
    halts); ``auto`` sets fields of A."""
    cfg = small_world(days=days, events=[
        EventConf(set="embargo", day=5, days=40, destinations=["US"])])
    for k, v in auto.items():
        setattr(cfg.world.automakers[0], k, v)
    return cfg


def _a(out):
    a = out["agents"]
    return a[a["agent"] == "A"].sort_values("date")


# ------------------------------------------------------------------ make-up production
def test_make_up_recovers_lost_output_within_capacity_and_backlog():
    m = build(_world(makeup_capacity=0.2, makeup_min_cover_days=0.0))
    a = m.by_name["A"]
    full = dict(a.stock)
    a.stock.update({k: v / 2 for k, v in a.need.items()})  # half a day of magnets
    m.steps = 1
    a.use()
    assert a.lost_today == pytest.approx(500) and a.made_up_today == 0.0
    made = []
    for day in range(2, 7):  # ample stock again: 200 a day until the 500 are made
        a.stock.update(full)
        m.steps = day
        before = dict(a.stock)
        a.use()
        assert a.lost_today == 0.0 and a.output_today == pytest.approx(1000)
        made.append(a.made_up_today)
        for k, n in a.need.items():  # magnets used like normal output
            assert before[k] - a.stock[k] == pytest.approx(n * (1 + a.made_up_today / 1000))
    assert made == pytest.approx([200, 200, 100, 0, 0])


def test_make_up_needs_stock_above_the_floor_and_ends_with_its_window():
    m = build(_world(makeup_capacity=0.5, makeup_window_days=3,
                                makeup_min_cover_days=2.0))
    a = m.by_name["A"]
    a.stock.update(dict.fromkeys(a.need, 0.0))
    m.steps = 1
    a.use()
    assert a.lost_today == pytest.approx(1000)
    # 3.1 days of stock: 1 for today, 2 kept as the floor, 0.1 day (100 vehicles) to make up
    a.stock.update({k: 3.1 * n for k, n in a.need.items()})
    m.steps = 2
    a.use()
    assert a.made_up_today == pytest.approx(100)
    for day in (3, 4, 5, 6):  # ample stock; the loss of day 0 can be made up to day 3 only
        a.stock.update({k: 100 * n for k, n in a.need.items()})
        m.steps = day + 1
        a.use()
        assert a.made_up_today == pytest.approx(500 if day == 3 else 0.0)


def test_make_up_in_a_run_defers_output_and_never_exceeds_loss_or_capacity():
    off = sim.run(_world(), progress=False)
    on = sim.run(_world(makeup_capacity=0.2), progress=False)
    a = _a(on)
    cap = 0.2 * 1000
    assert a["made_up"].max() <= cap + 1e-9
    # made up only what was lost before: cumulative made_up never above cumulative lost
    assert (a["made_up"].cumsum() <= a["lost"].cumsum().shift(fill_value=0) + 1e-6).all()
    k0, k = off["kpis"], on["kpis"]
    assert k0["lost_vehicles"] > 0 and k0["deferred_vehicles"] == 0.0
    assert k0["lost_vehicles_net"] == pytest.approx(k0["lost_vehicles"])
    assert 0 < k["deferred_vehicles"] <= k["lost_vehicles"]
    assert k["lost_vehicles_net"] == pytest.approx(
        k["lost_vehicles"] - k["deferred_vehicles"], abs=0.2)
    assert k["lost_vehicles_net"] < k0["lost_vehicles_net"]
    p = k["plants"]["A"]
    assert p["deferred_vehicles"] == pytest.approx(a["made_up"].sum(), abs=0.1)
    assert p["lost_vehicles_net"] == pytest.approx(p["lost_vehicles"] - p["deferred_vehicles"],
                                                   abs=0.2)
    assert p["lost_revenue_usd"] < k0["plants"]["A"]["lost_revenue_usd"]


# ------------------------------------------------------------------ expediting
def test_expediting_shortens_transit_and_costs_money():
    off = sim.run(_world(), progress=False)
    on = sim.run(_world(expedite_below_days=15.0, air_transit_days=6.0,
                        air_cost_usd_per_kg=4.0), progress=False)
    s = on["shipments"]
    s = s[(s["buyer"] == "A") & s["shipped_on"].notna() & (s["seller_country"] == "CN")]
    days = (s["due_on"] - s["shipped_on"]).dt.days
    fly = s["expedited"].astype(bool)
    assert fly.any() and (~fly).any()
    assert days[fly].max() <= 6 + 3  # air transit + jitter (no customs checks here)
    assert days[~fly].min() >= 30 - 3  # sea to the US, 30 +- 3
    assert off["shipments"]["expedited"].sum() == 0 and off["kpis"]["expedite_cost_usd"] == 0
    flown = s.loc[fly & s["shipped_on"].between(on["daily"]["date"].min(),
                                                on["daily"]["date"].max()), "tonnes"].sum()
    assert on["kpis"]["expedite_cost_usd"] == pytest.approx(flown * 1000 * 4.0, abs=1)
    assert on["kpis"]["plants"]["A"]["expedite_cost_usd"] > 0
    assert on["kpis"]["lost_vehicles"] < off["kpis"]["lost_vehicles"]


def test_a_licensed_order_keeps_its_freight_mode():
    cfg = small_world(events=[EventConf(set="controls", day=0)])
    cfg.world.automakers[0].expedite_below_days = 1000.0  # always short
    m = build(cfg)
    m.step()  # day 0: orders placed, then filed for licences (expedited before filing)
    a = m.by_name["A"]
    queued = [s for s in m.shipments if s.buyer == "A" and s.status == Status.QUEUED]
    assert queued and all(s.expedited for s in queued)  # marked while still only ordered
    for s in queued:
        s.expedited = False  # as if filed by sea before the buyer ran short
    e = m.by_name[queued[0].seller]
    new = m.orders.new_order(a, e, "ndfeb", 1.0, m.date)  # not yet filed: may fly
    e.book.append(new)
    general = m.orders.new_order(a, e, "ndfeb", 1.0, m.date)  # under a general licence
    general.move_to(Status.APPROVED)
    general.licence, general.decision = Licence.GENERAL, Decision.APPROVED
    e.book.append(general)
    a.expedite()
    assert new.expedited
    assert not general.expedited and not any(s.expedited for s in queued)
    # the licensed order ships by sea when released
    s = queued[0]
    m.orders.approve(s, Decision.APPROVED)
    m.orders.dispatch(s)
    assert (s.due_on - s.shipped_on).days >= 30 - 3 and not s.expedited


def test_expediting_is_not_paid_where_air_is_no_faster():
    m = build(small_world())
    a = m.by_name["A"]
    a.conf.air_transit_days = 40.0  # slower than sea to the US (30)
    e = list(m.of("china_seller"))[0]
    s = m.orders.new_order(a, e, "ndfeb", 1.0, m.date)
    m.orders.reserve(s)
    m.orders.approve(s, Decision.NOT_REQUIRED)
    s.expedited = True
    m.orders.dispatch(s)
    assert not s.expedited and s.due_on <= m.date + dt.timedelta(days=33)


# ------------------------------------------------------------------ switches and tonnes
def test_switched_off_nothing_changes():
    """makeup_capacity 0 and expedite_below_days 0 make the other fields inert."""
    base = sim.run(_world(days=120), progress=False)
    inert = sim.run(_world(days=120, makeup_window_days=5.0, makeup_min_cover_days=0.0,
                           air_transit_days=1.0, air_cost_usd_per_kg=100.0), progress=False)
    for t in ("agents", "shipments", "daily"):
        assert base[t].equals(inert[t]), t
    assert (base["agents"]["made_up"].fillna(0) == 0).all()
    assert not base["shipments"]["expedited"].any()


@pytest.mark.parametrize("auto", [dict(makeup_capacity=0.2),
                                  dict(makeup_capacity=0.2, expedite_below_days=15.0)])
def test_tonnes_conserved_with_both_behaviours(auto):
    m = run_model(_world(days=150, **auto), check_every=1)
    agents = m.tables()["agents"]
    rows = agents[agents["agent"] == "A"]
    if auto.get("expedite_below_days"):
        assert any(s.expedited for s in m.shipments)
    else:
        assert rows["made_up"].sum() > 0


# ------------------------------------------------------------------ behaviour switches
def test_world_values_apply_where_a_buyer_leaves_its_own_null():
    cfg = _world(days=10)
    cfg.behaviour.expedite_below_days = 12.0
    cfg.behaviour.makeup_capacity = 0.3
    cfg.world.industries[0].expedite_below_days = 3.0  # its own value wins
    m = build(cfg)
    assert m.by_name["A"].expedite_below == 12.0 and m.by_name["A"].makeup == 0.3
    assert m.by_name["I"].expedite_below == 3.0


@pytest.mark.parametrize("switch, field", [("expediting", "expedite_below"),
                                           ("makeup", "makeup"),
                                           ("hoarding", "price_cover"),
                                           ("hoarding", "signal_cover"),
                                           ("spot", "spot_below")])
def test_a_switch_off_overrides_every_buyers_own_value(switch, field):
    cfg = _world(days=10, expedite_below_days=15.0, makeup_capacity=0.2,
                 price_cover_days=10.0, signal_cover_days=14.0, spot_below_days=5.0)
    assert getattr(build(cfg).by_name["A"], field) > 0
    setattr(cfg.behaviour, switch, False)
    assert getattr(build(cfg).by_name["A"], field) == 0.0


def test_expediting_switched_off_flies_nothing():
    cfg = _world(expedite_below_days=15.0, air_transit_days=6.0)
    cfg.behaviour.expediting = False
    out = sim.run(cfg, progress=False)
    assert out["shipments"]["expedited"].sum() == 0 and out["kpis"]["expedite_cost_usd"] == 0
