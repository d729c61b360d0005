"""Spot purchases (issue 11 item 2): short buyers buy other buyers' surplus at a premium;
tonnes are conserved and a resale across China's border never bypasses its licence."""

import pytest

from sim import build
from sim.config import IndustryConf, LinkConf, Tier1Conf

from .helpers import small_world


def _world(**behaviour):
    """Industry buyers I (DE) and J (DE) on ndfeb; behaviour.* from the arguments."""
    cfg = small_world(days=30)
    cfg.world.industries.append(IndustryConf(name="J", country="DE",
                                             need_tpd={"ndfeb": 2.0}))
    for k, v in behaviour.items():
        setattr(cfg.behaviour, k, v)
    return cfg


def _short_and_long(m):
    i, j = m.by_name["I"], m.by_name["J"]
    i.stock["ndfeb"] = 1.0  # half a day: short
    j.stock["ndfeb"] = 200.0  # 100 days against a 30-day target: surplus
    return i, j


def test_spot_moves_surplus_to_the_short_at_a_premium_and_conserves_tonnes():
    m = build(_world(spot_below_days=10.0, spot_premium=0.5))
    i, j = _short_and_long(m)
    before = m.held()["ndfeb"] - m.ledger.net("ndfeb")
    m.spot.trade()
    assert i.stock["ndfeb"] == pytest.approx(20.0)  # up to 10 days of its 2 t/day
    assert j.stock["ndfeb"] == pytest.approx(181.0)
    assert i.spot_today_t == pytest.approx(19.0) and m.spot.traded_today == pytest.approx(19.0)
    assert i.spot_today_usd == pytest.approx(19.0 * 1000 * m.market.price["ndfeb"] * 1.5)
    assert m.held()["ndfeb"] - m.ledger.net("ndfeb") == pytest.approx(before)


def test_a_seller_keeps_its_own_target_cover():
    m = build(_world(spot_below_days=100.0, spot_sell_above=1.0))
    i, j = _short_and_long(m)
    m.spot.trade()
    assert j.stock["ndfeb"] == pytest.approx(j.target_cover * j.need["ndfeb"])
    assert i.stock["ndfeb"] == pytest.approx(1.0 + 200.0 - 60.0)


@pytest.mark.parametrize("switch", [dict(spot=False, spot_below_days=10.0),
                                    dict(spot_below_days=0.0)])
def test_spot_off_trades_nothing(switch):
    m = build(_world(**switch))
    i, j = _short_and_long(m)
    m.spot.trade()
    assert i.stock["ndfeb"] == 1.0 and j.stock["ndfeb"] == 200.0


def test_a_holder_in_china_never_sells_spot_abroad():
    """Magnets held in China (a tier-1 there) leaving China are exports: licensed orders,
    never spot resales."""
    cfg = _world(spot_below_days=10.0)
    cfg.world.tier1s = [Tier1Conf(name="T", country="CN")]
    cfg.world.links = [LinkConf(supplier="T", customer="A", product="ndfeb", share=1.0)]
    m = build(cfg)
    t, i = m.by_name["T"], m.by_name["I"]
    i.stock["ndfeb"] = 0.0
    m.by_name["J"].stock["ndfeb"] = 0.0
    t.stock["ndfeb"] = 1000.0  # a large surplus, in China
    m.spot.trade()
    assert t.stock["ndfeb"] == 1000.0 and i.stock["ndfeb"] == 0.0


def test_spot_purchases_run_and_conserve_tonnes_in_a_shock():
    from sim.config import EventConf
    from tests.helpers import run_model
    cfg = _world(spot_below_days=7.0)
    cfg.days = 120
    cfg.world.industries[1].target_cover_days = 90  # J holds deep stock, I does not
    cfg.events = [EventConf(set="embargo", day=5, days=60, destinations=["DE"])]
    m = run_model(cfg, check_every=5)
    a = m.tables()["agents"]
    assert a.loc[a["agent"] == "I", "spot_t"].sum() > 0
    assert a.loc[a["agent"] == "J", "spot_t"].sum() == 0
