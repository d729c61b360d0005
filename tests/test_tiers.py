"""Tier-1 component makers (issue 11 item 1): their own magnet stock ahead of a plant's
component stock, the end-use file in their name, and components made in China."""

import pandas as pd
import pytest

from sim import build
from sim.config import (
    AutomakerConf,
    EventConf,
    LinkConf,
    Tier1Conf,
)
from sim.config.tables import load_tables
from sim.domain.errors import ConfigError

from .helpers import run_model, small_world


def _two_plants(days=200, events=(), tier=None, **kw):
    """Plants A (behind tier-1 T) and B (buys its magnets itself), alike otherwise."""
    cfg = small_world(days=days, events=list(events), **kw)
    w = cfg.world
    a = w.automakers[0]
    a.component_cover_days = 5.0
    w.automakers.append(AutomakerConf(name="B", country="US", vehicles_per_day=1000,
                                      ev_share=0.5, target_cover_days=20))
    t = Tier1Conf(name="T", country="US", target_cover_days=40.0, **(tier or {}))
    w.tier1s = [t]
    w.links = [LinkConf(supplier="T", customer="A", product=p, share=1.0)
               for p in ("ndfeb", "ndfeb_hre")]
    return cfg


def _first_halt(m, name):
    return m.by_name[name].first_halt


def test_plant_behind_a_well_stocked_tier1_halts_later():
    cfg = _two_plants(events=[EventConf(set="embargo", day=5, days=150,
                                        destinations=["US"])])
    m = run_model(cfg, check_every=10)  # tonnes conserved along the way
    b, a = _first_halt(m, "B"), _first_halt(m, "A")
    assert b is not None, "the plant without a tier-1 runs out in the embargo"
    assert a is None or a > b
    # the tier-1 ran out before its plant: its magnet stock is gone on the plant's halt
    if a is not None:
        t = m.tables()["agents"]
        t = t[t["agent"] == "T"].set_index("date")
        assert t.loc[:str(a), "stock_ndfeb_hre"].min() < 1e-6


def test_tier1_files_the_end_use_documents_and_plant_orders_components():
    m = run_model(_two_plants(days=60))
    s = m.tables()["shipments"]
    from_cn = s[s["seller_country"] == "CN"]
    assert "A" not in set(from_cn["buyer"]), "plant A buys no magnets itself"
    assert {"T", "B"} <= set(from_cn["buyer"])
    comp = s[s["component"]]
    assert set(comp["seller"]) == {"T"} and set(comp["buyer"]) == {"A"}
    assert m.by_name["A"].target_cover == 5.0 and m.by_name["B"].target_cover == 20.0


@pytest.mark.parametrize("tiers", [0, 4])
def test_requests_for_information_follow_the_tier1s_own_tiers(tiers):
    cfg = _two_plants(days=120, tier={"supplier_tiers": tiers})
    cfg.licensing.rfi_prob_per_tier = 0.3
    cfg.world.automakers[0].supplier_tiers = 4  # the plant's own tiers no longer matter
    cfg.events = [EventConf(set="controls", day=0)]
    s = run_model(cfg).tables()["shipments"]
    t = s[(s["buyer"] == "T") & s["applied_on"].notna()]
    assert len(t) > 3
    if tiers == 0:
        assert not t["rfi"].any()
    else:
        assert t["rfi"].mean() > 0.4  # 1 - 0.7**4 = 0.76


def test_components_made_in_china_are_not_magnet_exports():
    """A tier-1 in China buys magnets at home and ships components: no licence, no
    export counted, and a US embargo on magnets does not stop them."""
    cfg = _two_plants(days=150, events=[EventConf(set="embargo", day=5, days=150,
                                                  destinations=["US"]),
                                        EventConf(set="controls", day=0)])
    cfg.world.tier1s[0].country = "CN"
    m = run_model(cfg, check_every=10)
    out = m.tables()
    s, d = out["shipments"], out["daily"]
    t_orders = s[s["buyer"] == "T"]
    assert len(t_orders) and (t_orders["licence"] == "none").all()
    assert t_orders["status"].isin(["delivered", "in_transit", "approved", "ordered"]).all()
    comp = s[s["component"] & (s["status"] == "delivered")]
    assert comp["delivered_on"].max() > comp["ordered_on"].min()
    shipped = pd.to_datetime(s["shipped_on"]) >= pd.Timestamp(m.start)  # not warm start
    assert d["components_from_cn_t"].sum() == pytest.approx(
        s[s["component"] & shipped]["tonnes"].sum())
    # magnet exports count only exporters' shipments to buyers outside China
    exp = s[(s["seller_country"] == "CN") & ~s["component"] & (s["buyer_country"] != "CN")
            & s["cleared_on"].notna() & shipped]
    assert d["exports_t"].sum() >= exp["tonnes"].sum() - 1e-6
    assert m.by_name["A"].first_halt is None, "components from China pass the embargo"
    assert m.by_name["B"].first_halt is not None


def test_tier1_makes_at_most_its_capacity_a_day():
    cfg = _two_plants(days=40, tier={"capacity_factor": 1.2})
    m = build(cfg)
    t = m.by_name["T"]
    a = m.by_name["A"]
    for _ in range(40):
        m.step()
        for mat, q in t.made_today.items():
            assert q <= 1.2 * t.need[mat] + 1e-9
    assert a.first_halt is None


def test_world_tiers_false_lets_plants_buy_magnets_themselves():
    cfg = _two_plants(days=30)
    cfg.world.tiers = False
    m = run_model(cfg)
    assert len(m.of("tier1")) == 0
    s = m.tables()["shipments"]
    assert "A" in set(s["buyer"]) and not s["component"].any()
    assert m.by_name["A"].target_cover == 20.0


def test_shipped_worlds_have_tier1s_with_links():
    for vintage in ("2024", "2009"):
        t = load_tables(vintage)
        names = {x.name for x in t["tier1s"]}
        assert names and names <= {x.supplier for x in t["links"]}
    assert any(x.country == "CN" for x in load_tables("2024")["tier1s"])


@pytest.mark.parametrize("change, message", [
    (lambda w: w.links.append(LinkConf(supplier="T", customer="T", product="ndfeb")),
     "a tier-1 supplies plants"),
    (lambda w: w.links.append(LinkConf(supplier="JL Mag", customer="A", product="ndfeb")),
     "both from tier-1s and from magnet sellers"),
    (lambda w: w.tier1s.append(Tier1Conf(name="U", country="US")),
     "no link in world.links names 'U'"),
])
def test_bad_tier_links_are_refused(change, message):
    cfg = _two_plants(days=10)
    change(cfg.world)
    with pytest.raises(ConfigError, match=message):
        build(cfg)
