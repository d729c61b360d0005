"""Tariffs by importer and origin act on buyers' landed cost and order split; signal events
(announced controls on other goods) raise the target cover of the buyers that read them."""

from __future__ import annotations

import pytest

from sim import build
from sim.config import EventConf, IndustryConf, MakerConf
from sim.domain.errors import ConfigError
from sim.engine.model import SupplyChainModel

from .helpers import small_world, steps

US_ON_CN = {"set": "tariff", "importers": ["US"], "origins": ["CN"]}


def _world(days: int = 200, maker_tpy: float = 20000.0, **kw):
    """small_world (US automaker A, German industry I) with a Japanese maker; I buys 20%
    outside China, A buys all from China."""
    cfg = small_world(days=days, **kw)
    cfg.world.makers = [MakerConf(name="JP-maker", country="JP",
                                  capacity_tpy={"ndfeb": maker_tpy, "ndfeb_hre": maker_tpy},
                                  feed={})]
    cfg.world.industries = [IndustryConf(name="I", country="DE", china_share=0.8,
                                         need_tpd={"ndfeb": 2.0})]
    return cfg


def _non_cn_share(m, buyer: str, since: str = "2025-01-01") -> float:
    """Share of tonnes a buyer ordered from non-Chinese sellers on or after ``since``."""
    s = m.tables()["shipments"]
    s = s[(s["buyer"] == buyer) & (s["ordered_on"] >= since)]
    return float(s.loc[s["seller_country"] != "CN", "tonnes"].sum() / s["tonnes"].sum())


def _run(cfg) -> SupplyChainModel:
    return build(cfg).run()


def test_us_tariff_on_chinese_goods_moves_us_orders_to_other_makers_only():
    base = _run(_world())
    taxed = _run(_world(events=[EventConf(day=0, rate=1.45, **US_ON_CN)]))
    assert _non_cn_share(base, "A") == 0.0
    assert _non_cn_share(taxed, "A", "2025-03-01") > 0.1  # the US automaker moves
    assert taxed.by_name["A"].tariff_shift["ndfeb"] > 0.2
    # the German buyer's split is untouched: exactly its 20% outside China either way
    for m in (base, taxed):
        assert _non_cn_share(m, "I") == pytest.approx(0.2, abs=1e-9)
        assert m.by_name["I"].tariff_shift["ndfeb"] == 0.0


def test_landed_costs_add_the_importers_tariff_and_freight():
    m = steps(build(_world(events=[EventConf(day=0, rate=0.5, **US_ON_CN)])), 2)
    a, p = m.by_name["A"], m.market.price["ndfeb"]
    cn, other = a.landed_costs("ndfeb")
    assert cn == pytest.approx(p * 1.5 + a.conf.freight_cn_usd_per_kg)
    assert other == pytest.approx(p + a.conf.freight_local_usd_per_kg)
    assert m.by_name["I"].landed_costs("ndfeb")[0] == pytest.approx(
        p + a.conf.freight_cn_usd_per_kg)  # Germany levies nothing


def test_the_shift_stops_at_its_bound_and_excess_orders_queue_at_the_makers():
    """A 145% tariff asks for more than max_tariff_switch; the share moves with the lag
    to the bound and stops there. A small maker cannot take it all: orders wait in its
    book rather than going back to China."""
    cfg = _world(days=400, maker_tpy=20.0, events=[EventConf(day=0, rate=1.45, **US_ON_CN)])
    cfg.world.automakers[0].max_tariff_switch = 0.2
    m = build(cfg)
    a = m.by_name["A"]
    seen = []
    for _ in range(400):
        m.step()
        seen.append(a.tariff_shift["ndfeb"])
    assert a.tariff_target("ndfeb") == 0.2  # capped: 0.5 x (R/R0 - 1) is about 0.7
    assert max(seen) <= 0.2 + 1e-12 and seen[-1] > 0.19
    assert seen[20] < seen[60] < seen[-1]  # a lag, not a jump
    assert a.china_share["ndfeb"] == pytest.approx(1.0 - seen[-1])
    waiting = [s for s in m.by_name["JP-maker"].book if s.buyer == "A"]
    assert waiting, "orders beyond the maker's capacity wait in its book"


def test_a_tariff_with_the_switch_off_changes_no_order():
    def run(events):
        cfg = _world(events=events)
        cfg.market.tariffs_on_landed_cost = False
        return _run(cfg).tables()["shipments"]
    base = run([])
    taxed = run([EventConf(day=0, rate=1.45, **US_ON_CN)])
    assert base.equals(taxed)


def test_a_tariff_on_the_other_source_moves_orders_toward_china():
    m = _run(_world(events=[EventConf(set="tariff", day=0, importers=["DE"], origins=["JP"],
                                      rate=1.0)]))
    assert m.by_name["I"].tariff_shift["ndfeb"] < -0.1
    assert _non_cn_share(m, "I", "2025-04-01") < 0.2


def _orders(m, buyer: str, until: str) -> float:
    s = m.tables()["shipments"]
    return float(s[(s["buyer"] == buyer) & (s["ordered_on"] >= "2025-01-01")
                   & (s["ordered_on"] < until)]["tonnes"].sum())


def test_a_signal_raises_the_reading_buyers_orders_and_not_others():
    def run(events, cover_a=14.0):
        cfg = _world(days=120, events=events)
        cfg.world.automakers[0].signal_cover_days = cover_a
        cfg.world.industries[0].signal_cover_days = 14.0  # reads, but is not named
        return _run(cfg)
    signal = [EventConf(set="signal", day=10, destinations=["US"], label="controls on Ga")]
    base, sig = run([]), run(signal)
    assert _orders(sig, "A", "2025-02-15") > _orders(base, "A", "2025-02-15") + 0.5
    assert _orders(sig, "I", "2025-05-01") == _orders(base, "I", "2025-05-01")
    assert sig.by_name["A"].signal_until["ndfeb"].isoformat() == "2025-04-11"  # day 10 + 90
    # a buyer that does not read signals (signal_cover_days 0, the default) orders as before
    deaf = run(signal, cover_a=0.0)
    assert deaf.tables()["shipments"].equals(base.tables()["shipments"])


def test_tariff_events_stack_per_importer_and_origin():
    """Latest in force wins per importer x origin; a short event's end restores the long
    one; an event without keys is every importer's tariff on Chinese goods."""
    m = build(_world(days=120, events=[
        EventConf(day=0, days=100, rate=0.1, **US_ON_CN),
        EventConf(day=10, days=20, rate=0.5, **US_ON_CN),
        EventConf(set="tariff", day=5, days=50, importers=["CN"], origins=["US"], rate=0.3),
        EventConf(set="tariff", day=15, days=10, rate=0.05)]))  # old form: all on CN
    lev = m.government.levers
    steps(m, 6)
    assert (lev.tariff_rate("US", "CN"), lev.tariff_rate("CN", "US")) == (0.1, 0.3)
    assert lev.tariff_rate("DE", "CN") == 0.0 and lev.tariff() == 0.0
    steps(m, 10)  # day 15: the old-form event is the latest covering US x CN
    assert lev.tariff_rate("US", "CN") == 0.05 and lev.tariff_rate("DE", "CN") == 0.05
    assert lev.tariff() == 0.05 and lev.tariff_rate("US", "JP") == 0.0
    steps(m, 10)  # day 25: it ended; the 0.5 event holds again
    assert lev.tariff_rate("US", "CN") == 0.5 and lev.tariff_rate("DE", "CN") == 0.0
    steps(m, 10)  # day 35: the short US event ended, the long one is back
    assert lev.tariff_rate("US", "CN") == 0.1
    steps(m, 70)  # day 105: all ended
    assert (lev.tariff_rate("US", "CN"), lev.tariff_rate("CN", "US")) == (0.0, 0.0)
    assert not lev.any_tariff()


def test_tariff_contradictions_and_bad_countries():
    same_day = [EventConf(day=3, rate=0.1, **US_ON_CN), EventConf(day=3, rate=0.2, **US_ON_CN)]
    with pytest.raises(ConfigError, match=r"events\[1\].*contradicts"):
        build(_world(events=same_day))
    # two importers on one day do not contradict
    build(_world(events=[
        EventConf(day=3, rate=1.45, **US_ON_CN),
        EventConf(set="tariff", day=3, importers=["CN"], origins=["US"], rate=0.84)]))
    with pytest.raises(ConfigError, match=r"importers.*'USA' is not an ISO 3166"):
        build(_world(events=[EventConf(set="tariff", day=0, rate=0.1,
                                                  importers=["USA"])]))
    with pytest.raises(ConfigError, match=r"key\(s\) \['rate'\] not used by a 'signal'"):
        build(_world(events=[EventConf(set="signal", day=0, rate=0.1)]))
