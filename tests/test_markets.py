"""Prices inside and outside China, China's pricing rule, tariffs, substitution, recycling,
maker capacity additions: each mechanism on its own."""

from types import SimpleNamespace

import pytest

from sim import build
from sim.config import (
    ChinaPricingConf,
    EventConf,
    MarketConf,
    RunConfig,
)
from sim.kpis import kpis
from sim.trade.market import ChinaPricing, Market

from .helpers import load, resolved, run_model


def _ratio(d, col, how="max"):
    s = d[col]
    return (s.max() if how == "max" else s.iloc[-1]) / s.iloc[0]


@pytest.fixture(scope="module")
def controlled():
    """Controls on Dy/Tb NdFeB and SmCo from day 30, one in four licences approved."""
    cfg = RunConfig(days=240, events=[EventConf(set="controls", day=30,
                                                materials=["ndfeb_hre", "smco"])])
    cfg.licensing.approval_default = 0.25
    return run_model(cfg, check_every=30).tables()["daily"]


def test_controlled_outside_price_rises_more_than_uncontrolled(controlled):
    d = controlled
    hre, plain = _ratio(d, "price_ndfeb_hre_ex_cn"), _ratio(d, "price_ndfeb_ex_cn")
    assert hre > 1.5 and hre > plain + 0.5
    assert _ratio(d, "price_smco_ex_cn") > 1.5


def test_controlled_prices_diverge_uncontrolled_stay_close(controlled):
    end = controlled.iloc[-1]
    assert end["price_ndfeb_hre_cn"] < 0.9 * 90.0  # the glut inside China
    assert end["price_ndfeb_hre_ex_cn"] > 1.5 * end["price_ndfeb_hre_cn"]
    assert abs(end["price_ndfeb_cn"] / end["price_ndfeb_ex_cn"] - 1) < 0.01


def test_baseline_prices_inside_equal_outside():
    d = run_model(RunConfig(days=60)).tables()["daily"]
    for m in ("ndfeb", "ndfeb_hre", "smco", "ndpr_oxide"):
        assert (d[f"price_{m}_cn"] - d[f"price_{m}_ex_cn"]).abs().max() < 1e-9
        assert _ratio(d, f"price_{m}_ex_cn") < 1.1
    assert d["substitution_share"].max() == 0.0
    assert not d["china_flooding"].any()


def test_surplus_lowers_the_target():
    mk = Market(MarketConf())
    assert mk.gap([(1.0, 30.0, 30.0)]) == 0.0  # at target: neutral
    assert mk.gap([(1.0, 100.0, 30.0)]) < 0.0  # far above: surplus
    assert mk.gap([(1.0, 0.0, 30.0)]) == 1.0  # empty: full scarcity


def _mine(cap, status):
    return SimpleNamespace(conf=SimpleNamespace(capacity_tpy=cap), status=status)


def test_china_floods_after_lag_and_stops_after_hold():
    cp = ChinaPricing(ChinaPricingConf(enabled=True, capacity_trigger_tpy=5000,
                                       response_days=3, hold_days=2, cut=0.4))
    old, new = _mine(10000, "operating"), _mine(6000, "planned")
    assert cp.update([old, new], 1.0) == 0.0  # opening capacity is the reference
    new.status = "rampup"
    cuts = [cp.update([old, new], 1.0) for _ in range(4)]
    assert cuts == [0.0, 0.0, 0.4, 0.4]
    new.status = "care_and_maintenance"
    assert [cp.update([old, new], 1.0) for _ in range(3)] == [0.4, 0.0, 0.0]
    assert cp.update([old], 2.0) == 0.0 and cp.update([old], 2.0) == 0.0
    assert cp.update([old], 2.0) == 0.4  # the price left its band


def test_china_pricing_off_by_default():
    cp = ChinaPricing(ChinaPricingConf())
    assert all(cp.update([_mine(1e6, "rampup")], 5.0) == 0.0 for _ in range(400))


def test_tariff_raises_outside_price_of_chinese_magnets():
    cfg = RunConfig(days=90)
    cfg.government.tariff_cn_magnets = 0.25
    d = run_model(cfg).tables()["daily"]
    assert 1.15 < _ratio(d, "price_ndfeb_ex_cn", "end") < 1.35
    assert d["price_ndpr_oxide_ex_cn"].iloc[-1] == pytest.approx(55.0, rel=0.05)


def test_substitution_after_sustained_high_prices():
    cfg = RunConfig(days=120)
    cfg.substitution.lag_days, cfg.substitution.rate_per_year = 10, 3.65  # 1%/day
    cfg.substitution.max_share = 0.5
    m = run_model(cfg)
    auto = next(b for b in m.of("buyer") if b.kind == "automaker")
    base = m.substitution.base[auto.name]
    assert m.substitution.substitution_share == 0.0
    m.market.price["ndfeb_hre"] = 200.0  # a high-price episode
    m.cfg.days = 300
    m.running = True
    for _ in range(40):
        m.market.price["ndfeb_hre"] = 200.0
        m.step()
    s = m.substitution.share[auto.name]["ndfeb_hre"]
    assert 0.25 < s < 0.35  # 30 days after a 10-day lag at 1%/day
    assert auto.need["ndfeb_hre"] == pytest.approx(base["ndfeb_hre"] * (1 - s))
    assert auto.need["ndfeb"] == pytest.approx(base["ndfeb"] + base["ndfeb_hre"] * s)
    assert m.substitution.substitution_share > 0
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())


def test_recycling_rises_with_price_and_is_a_ledger_source():
    m = run_model(RunConfig(days=10))
    low = m.substitution.recycled_today
    m.market.price["ndpr_oxide"] *= 2
    m.substitution.recycle()
    assert m.substitution.recycled_today == pytest.approx(2 * low, rel=0.01)
    assert m.ledger.flows["recycled"]["ndpr_oxide"] > 0


def test_maker_capacity_addition_on_its_date():
    cfg = resolved(RunConfig(days=40))
    cfg.world.makers[0].capacity_additions = {"2025-01-20": {"ndfeb": 10_000.0}}
    m = run_model(cfg, check_every=10)
    mk = list(m.of("maker"))[0]
    assert mk.capacity_tpd["ndfeb"] == pytest.approx((7_500 + 10_000) / 365)
    assert not mk.additions
    for e in mk.elements():  # its element use (kept between additions) follows capacity
        assert mk.use_tpd(e) == sum(c * mk.feed.get(g, {}).get(e, 0.0)
                                    for g, c in mk.capacity_tpd.items()) > 0


def test_controls_2025_hit_ndfeb_hre_outside_price_not_ndfeb():
    """The scenario file's controls catch Dy/Tb NdFeB and SmCo, not plain NdFeB."""
    k = kpis(run_model(load("controls_2025", "days=365")).tables())
    peak = k["price_peak_ratio"]
    assert peak["ndfeb_hre"] > 2.0 and peak["ndfeb_hre"] > peak["ndfeb"] + 1.0
    assert k["price_end_ratio_cn"]["ndfeb_hre"] < 1.0 < k["price_end_ratio_ex_cn"]["ndfeb_hre"]


def test_industrial_buyers_thrift_when_their_kind_substitutes():
    def run(kinds):
        cfg = RunConfig(days=60)
        cfg.substitution.kinds = kinds
        cfg.substitution.lag_days, cfg.substitution.rate_per_year = 10, 3.65  # 1%/day
        cfg.substitution.lag_days_by_kind = {"defense": 50}
        m = build(cfg)
        for _ in range(40):
            m.market.price["ndfeb_hre"] = 200.0
            m.step()
        return m

    on = run(["automaker", "industry", "defense"])
    ind = next(b for b in on.of("buyer") if b.kind == "industry" and "ndfeb_hre" in b.need)
    s = on.substitution.share[ind.name]["ndfeb_hre"]
    assert 0.25 < s < 0.35  # 30 days after a 10-day lag at 1%/day
    assert ind.need["ndfeb_hre"] == pytest.approx(on.substitution.base[ind.name]["ndfeb_hre"]
                                                  * (1 - s))
    prime = next(b for b in on.of("buyer") if b.kind == "defense")
    assert on.substitution.share[prime.name]["ndfeb_hre"] == 0.0, "a longer lag: not yet"
    off = run(["automaker"])
    assert ind.name not in off.substitution.share  # the default: automakers only
    assert all(abs(v) < 1e-6 for v in on.imbalance().values())


def test_hoarding_on_prices_raises_orders_when_the_price_rises():
    def ordered(price_cover_days, rise):
        cfg = resolved(RunConfig(days=30))
        for b in cfg.world.industries:
            b.price_cover_days = price_cover_days
        m = build(cfg)
        for _ in range(20):
            m.market.price["ndfeb"] = m.market.p0["ndfeb"] * rise
            m.step()
        return sum(s.tonnes for s in m.shipments if s.buyer == "DE-industry"
                   and s.material == "ndfeb" and s.ordered_on >= m.start)

    calm = ordered(10.0, 1.0)
    assert ordered(0.0, 1.0) == pytest.approx(calm), "no rise, no hoarding"
    assert ordered(10.0, 2.0) > calm * 1.2, "the price doubled: 10 more days of cover"
    assert ordered(0.0, 2.0) == pytest.approx(calm), "a buyer that does not hoard"
