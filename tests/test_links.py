"""Supply links: a world table of (supplier, customer, product, share), checked on load,
that fixes which sellers a buyer's orders go to."""

import pytest

from sim import build
from sim.config import LinkConf, RunConfig
from sim.config.tables import load_tables, write_tables
from sim.domain.errors import ConfigError

from .helpers import resolved, small_world


def test_default_world_links_are_tier1_links_only():
    t = load_tables("2024")
    tier1s = {x.name for x in t["tier1s"]}
    assert t["links"] and all(x.supplier in tier1s for x in t["links"])


def test_links_route_orders_to_linked_suppliers_by_share():
    cfg = small_world(days=90)
    cfg.world.links = [LinkConf(supplier="JL Mag", customer="A", product="ndfeb", share=1.0,
                                note="[assumption] test"),
                       LinkConf(supplier="Ningbo Yunsheng", customer="A", product="ndfeb",
                                share=0.5, note="[assumption] test")]
    m = build(cfg).run()
    a = [s for s in m.shipments if s.buyer == "A" and s.material == "ndfeb"
         and s.ordered_on >= m.start]
    sellers = {s.seller for s in a}
    assert sellers <= {"JL Mag", "Ningbo Yunsheng"} and len(a) > 5
    jl = sum(s.seller == "JL Mag" for s in a) / len(a)
    assert 0.45 < jl < 0.9  # weights 1 : 0.5
    other = {s.seller for s in m.shipments if s.buyer == "A" and s.material == "ndfeb_hre"}
    assert len(other) > 2, "a product without links is routed by capacity among all"


@pytest.mark.parametrize("link, message", [
    (dict(supplier="Nobody"), "Nobody"),
    (dict(supplier="A"), "is not an exporter, a maker or a tier-1"),
    (dict(customer="JL Mag"), "JL Mag"),
    (dict(product="oxide"), "oxide"),
    (dict(share=0.0), "share"),
])
def test_bad_links_are_refused(link, message):
    cfg = small_world()
    cfg.world.links = [LinkConf(**{"supplier": "JL Mag", "customer": "A", "product": "ndfeb",
                                   "share": 1.0, "note": "[assumption]", **link})]
    with pytest.raises(ConfigError, match=message):
        build(cfg)


def test_links_table_round_trips(tmp_path):
    w = resolved(RunConfig()).world
    w.links = [LinkConf(supplier="JL Mag", customer="Detroit-A", product="ndfeb_hre",
                        share=0.7, note="[assumption] round trip")]
    write_tables(w, tmp_path)
    assert load_tables(str(tmp_path))["links"] == w.links
