"""Builds the model's agents from the world config, and the warm-start pipeline."""

from __future__ import annotations

from mesa.agentset import AgentSet

from .agents import (
    Automaker,
    Buyer,
    DefensePrime,
    Exporter,
    IndustrialBuyer,
    MagnetMaker,
    Mine,
    Ministry,
)
from .agents.government import Government
from .demand import DemandPath
from .market import Market
from .substitution import Substitution


def populate(model) -> None:
    """Create every agent of ``model.cfg.world`` (in a fixed order: it numbers them for
    Mesa and for the order-keyed random draws) and put the opening pipeline in transit."""
    cfg = model.cfg
    model.market = Market(cfg.market)
    model.government = Government(model, cfg.government)
    w = cfg.world
    model.ministry = Ministry(model, cfg.licensing)
    model.exporters = [Exporter(model, c) for c in w.exporters]
    model.makers = [MagnetMaker(model, c) for c in w.makers]
    model.mines = [Mine(model, c) for c in w.mines]
    buyers: list[Buyer] = []
    for c in w.automakers:
        if w.automaker_cover_days is not None:
            c.target_cover_days = w.automaker_cover_days
        buyers.append(Automaker(model, c, w.vehicle_magnet_kg, len(buyers)))
    buyers += [IndustrialBuyer(model, c, len(buyers) + i) for i, c in enumerate(w.industries)]
    buyers += [DefensePrime(model, c, len(buyers) + i) for i, c in enumerate(w.defense)]
    model.buyers = AgentSet(buyers, random=model.random)
    model.sellers = AgentSet(model.exporters + model.makers, random=model.random)
    model.by_name = {a.name: a for a in [*model.exporters, *model.makers, *buyers]}
    model.orders.index_firms(model.by_name)
    model.demand = DemandPath(model, w.demand, w.demand_paths)  # before substitution, pipeline
    model.substitution = Substitution(model, cfg.substitution)
    for b in buyers:
        model.orders.warm_start(b)
