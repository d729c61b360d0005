"""Builds the model's agents from the world config and the firm-kind registry, and the
warm-start pipeline.

Agents are created in a fixed order (it numbers them for Mesa and for the order-keyed
random draws): the government and the Ministry, every firm kind of stage 0 in registry
order, the outside traders, then (once the demand path is in force) the kinds of stage 1.
Each firm gets its kind's roles, from which the model's agent sets are made
(`SupplyChainModel.of`). The builder never changes a firm's config: the world arrives
resolved (`sim.config.resolve`).
"""

from __future__ import annotations

from collections import defaultdict

from sim.agents.government import Government
from sim.agents.ministry import Ministry
from sim.agents.trader import Trader
from sim.config.firm_kinds import FIRM_KINDS, FirmKind
from sim.domain.products import BY_CODE, MAGNETS
from sim.policy.border import Border
from sim.trade.china import ChinaBalance
from sim.trade.demand import DemandPath
from sim.trade.market import Market
from sim.trade.spot import SpotMarket
from sim.trade.substitution import Substitution


def populate(model) -> None:
    """Create every agent of ``model.cfg.world`` and put the opening pipeline in transit."""
    cfg = model.cfg
    w = cfg.world
    model.content = content_of(w)
    model.border = Border(cfg.border, ChinaBalance(w.china or (), cfg.border, {}, {}))
    model.market = Market(cfg.market, model.border)
    model.government = Government(model, cfg.government)
    model.ministry = Ministry(model, cfg.licensing)
    numbers: dict[str, int] = defaultdict(int)  # agents numbered per index group
    for kind in FIRM_KINDS.values():
        if kind.stage == 0 and kind.enabled(w):
            _build(model, kind, numbers)
    model.trader = Trader(model, cfg.border)
    model.index_agents()
    model.demand = DemandPath(model, w.demand, w.demand_paths)  # before stage 1 and pipeline
    for kind in FIRM_KINDS.values():
        if kind.stage == 1 and kind.enabled(w):
            _build(model, kind, numbers)
    model.index_agents(final=True)
    model.orders.index_firms([a.name for a in model.of("party")])
    model.substitution = Substitution(model, cfg.substitution)
    model.spot = SpotMarket(model)
    model.border.china = ChinaBalance(w.china or (), cfg.border, *opening_flows(model))
    model.market.start(model)
    for b in [*model.of("buyer"), *model.of("tier1")]:
        model.orders.warm_start(b)


def _build(model, kind: FirmKind, numbers: dict[str, int]) -> None:
    """The agents of one firm kind, each with its config and its kind's roles."""
    cls = kind.agent_class()
    group = kind.index_group or kind.key
    for conf in model.cfg.world.firms.get(kind.key, ()):
        agent = cls(model, conf, numbers[group])
        agent.roles = kind.roles
        numbers[group] += 1


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
    for ex in model.of("china_seller"):
        for m, c in ex.capacity_tpd.items():
            for e, k in model.content.get(m, {}).items():
                magnets[e] = magnets.get(e, 0.0) + c * k
    exports: dict[str, float] = {}
    for b in model.of("buyer"):
        for p, n in b.need.items():
            for e, k in BY_CODE[p].elements.items():
                if BY_CODE[p].category == "raw":
                    exports[e] = exports.get(e, 0.0) + n * k
    makers = model.of("maker")
    routed = {m: sum(b.need.get(m, 0.0) * (1 - b.conf.china_share)
                     for b in model.orders.buyers_of(m)) for m in MAGNETS}
    cap = {m: sum(mk.capacity_tpd.get(m, 0.0) for mk in makers) for m in MAGNETS}
    for mk in makers:
        for m, c in mk.capacity_tpd.items():  # expected output: the orders routed to it
            out = min(c, routed.get(m, 0.0) * c / cap[m]) if cap.get(m) else 0.0
            for e, k in mk.feed.get(m, {}).items():
                if model.cfg.border.raw_trade or e == "ndpr":
                    exports[e] = exports.get(e, 0.0) + out * k
    # modelled non-Chinese mines: what makers do not take is sold into China (a negative
    # export); with no buyer for their concentrate they produce nothing
    exports["ndpr"] = exports.get("ndpr", 0.0) - sum(
        x.capacity_tpd * x.utilisation for x in model.of("mine")
        if x.domestic_separation() or x.china_takes_concentrate)
    return magnets, exports
