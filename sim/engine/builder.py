"""Builds the model's agents from the world config, and the warm-start pipeline."""

from __future__ import annotations

from mesa.agentset import AgentSet

from sim.agents import (
    Automaker,
    Buyer,
    DefensePrime,
    Exporter,
    IndustrialBuyer,
    MagnetMaker,
    Mine,
    Ministry,
)
from sim.agents.government import Government
from sim.agents.raw_exporter import RawExporter
from sim.agents.tier1 import Tier1
from sim.agents.trader import Trader
from sim.domain.products import BY_CODE, MAGNETS
from sim.policy.border import Border
from sim.trade.china import ChinaBalance
from sim.trade.demand import DemandPath
from sim.trade.market import Market
from sim.trade.spot import SpotMarket
from sim.trade.substitution import Substitution


def populate(model) -> None:
    """Create every agent of ``model.cfg.world`` (in a fixed order: it numbers them for
    Mesa and for the order-keyed random draws) and put the opening pipeline in transit."""
    cfg = model.cfg
    w = cfg.world
    model.content = content_of(w)
    model.border = Border(cfg.border, ChinaBalance(w.china or (), cfg.border, {}, {}))
    model.market = Market(cfg.market, model.border)
    model.government = Government(model, cfg.government)
    model.ministry = Ministry(model, cfg.licensing)
    model.exporters = [Exporter(model, c) for c in w.exporters]
    model.exporters += [RawExporter(model, c) for c in w.raw_exporters or ()]
    model.makers = [MagnetMaker(model, c, i) for i, c in enumerate(w.makers)]
    model.mines = [Mine(model, c) for c in w.mines]
    buyers: list[Buyer] = []
    for c in w.automakers:
        if w.automaker_cover_days is not None:  # the plant's own buffer: its whole
            c.target_cover_days = w.automaker_cover_days  # chain's, or with tier-1s its
            if c.component_cover_days is not None:  # components' (tier-1s keep theirs)
                c.component_cover_days = w.automaker_cover_days
        buyers.append(Automaker(model, c, w.vehicle_magnet_kg, len(buyers)))
    buyers += [IndustrialBuyer(model, c, len(buyers) + i) for i, c in enumerate(w.industries)]
    buyers += [DefensePrime(model, c, len(buyers) + i) for i, c in enumerate(w.defense)]
    model.buyers = AgentSet(buyers, random=model.random)
    model.trader = Trader(model, cfg.border)
    model.by_name = {a.name: a for a in [*model.exporters, *model.makers, *buyers,
                                         model.trader]}
    model.demand = DemandPath(model, w.demand, w.demand_paths)  # before substitution, pipeline
    tier1s = make_tier1s(model, len(buyers))  # after demand: they follow the plants' need
    model.tier1s = AgentSet(tier1s, random=model.random)
    model.by_name.update((t.name, t) for t in tier1s)
    model.sellers = AgentSet(model.exporters + model.makers + tier1s, random=model.random)
    model.orders.index_firms(model.by_name)
    model.substitution = Substitution(model, cfg.substitution)
    model.spot = SpotMarket(model)
    model.border.china = ChinaBalance(w.china or (), cfg.border, *opening_flows(model))
    model.market.start(model)
    for b in [*buyers, *tier1s]:
        model.orders.warm_start(b)


def make_tier1s(model, first_index: int) -> list:
    """The world's tier-1 component makers (``world.tiers`` on), each with the plants its
    links name and its share of each plant's supply of a product (its link's share over
    the shares of all the plant's tier-1 links for that product)."""
    w = model.cfg.world
    if not w.tiers:
        return []
    tiers = model.orders.tier_links  # (plant, product) -> {tier-1: share}
    out = []
    for i, conf in enumerate(w.tier1s or ()):
        customers = {key: shares[conf.name] / sum(shares.values())
                     for key, shares in tiers.items() if conf.name in shares}
        out.append(Tier1(model, conf, customers, first_index + i))
    return out


def content_of(world) -> dict[str, dict[str, float]]:
    """Element content per magnet grade (t REO per t): the world's content table, else
    the product registry's default."""
    out = {m: dict(BY_CODE[m].elements) for m in MAGNETS}
    given: dict[str, dict[str, float]] = {}
    for row in world.content or ():
        given.setdefault(row.product, {})[row.element] = row.t_per_t
    out.update(given)
    return out


def opening_flows(model) -> tuple[dict, dict]:
    """China's opening daily draws per element: its magnet makers at capacity, and its net
    raw-material exports: what buyers outside China need less what the modelled
    non-Chinese mines produce (they supply makers first and sell the rest into China)."""
    magnets: dict[str, float] = {}
    for ex in model.exporters:
        for m, c in ex.capacity_tpd.items():
            for e, k in model.content.get(m, {}).items():
                magnets[e] = magnets.get(e, 0.0) + c * k
    exports: dict[str, float] = {}
    for b in model.buyers:
        for p, n in b.need.items():
            for e, k in BY_CODE[p].elements.items():
                if BY_CODE[p].category == "raw":
                    exports[e] = exports.get(e, 0.0) + n * k
    routed = {m: sum(b.need.get(m, 0.0) * (1 - b.conf.china_share)
                     for b in model.orders.buyers_of(m)) for m in MAGNETS}
    cap = {m: sum(mk.capacity_tpd.get(m, 0.0) for mk in model.makers) for m in MAGNETS}
    for mk in model.makers:
        for m, c in mk.capacity_tpd.items():  # expected output: the orders routed to it
            out = min(c, routed.get(m, 0.0) * c / cap[m]) if cap.get(m) else 0.0
            for e, k in mk.feed.get(m, {}).items():
                if model.cfg.border.raw_trade or e == "ndpr":
                    exports[e] = exports.get(e, 0.0) + out * k
    # modelled non-Chinese mines: what makers do not take is sold into China (a negative
    # export); with no buyer for their concentrate they produce nothing
    exports["ndpr"] = exports.get("ndpr", 0.0) - sum(
        x.capacity_tpd * x.utilisation for x in model.mines
        if x.domestic_separation() or x.china_takes_concentrate)
    return magnets, exports
