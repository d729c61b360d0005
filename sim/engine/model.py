"""SupplyChainModel: the world, and one day of it as an ordered list of phases.

One step is one calendar day; `step` runs the phases of `sim.phases.PLAN` in order:

{phases}

Randomness comes from ``seed`` only: Mesa's ``model.random`` shuffles agents; each other
purpose (licence decisions, order routing) has its own stream spawned from
``numpy.random.SeedSequence(seed)``, and transit noise is keyed by the order itself, so the
same order travels equally long under every policy run with one seed (common random
numbers). Routing draws follow the order sequence, so they stay paired only until two
policies make buyers order differently.

The core takes a `RunConfig` and returns tables (`tables()`); it does no file I/O.
"""

from __future__ import annotations

import datetime as dt

import mesa
import numpy as np
import pandas as pd

from sim.agents.firm import Firm
from sim.config import RunConfig
from sim.domain.calendar import WorkingCalendar
from sim.domain.products import MATERIALS
from sim.engine.builder import populate
from sim.engine.checks import checked
from sim.engine.memory import gc_paused, trim_heap
from sim.engine.plan import PLAN, phase_table
from sim.engine.recorder import Recorder
from sim.policy.schedule import EventSchedule
from sim.trade.orders import OrderBook
from sim.trade.shipments import Ledger, Shipment

__doc__ = __doc__.format(phases=phase_table())
STREAMS = ("licensing", "transit", "routing")


class SupplyChainModel(mesa.Model):
    """The rare-earth magnet supply chain, one day per step.

    Args:
        cfg: a `RunConfig`, validated on entry.
    """

    plan = PLAN

    def __init__(self, cfg: RunConfig) -> None:
        self.start, events = checked(cfg)
        super().__init__(rng=cfg.seed)
        self.cfg = cfg
        self.end = self.start + dt.timedelta(days=cfg.days - 1)
        self.date = self.start
        self.calendar = WorkingCalendar(self.start, self.end)
        seqs = np.random.SeedSequence(cfg.seed).spawn(len(STREAMS))
        # the "transit" child is spawned but unused (transit noise is keyed by the order,
        # see OrderBook.transit_noise); spawning it keeps the other streams' seeds unchanged
        self.rng_licensing, _, self.rng_routing = (np.random.default_rng(s) for s in seqs)
        self.ledger = Ledger()
        self.orders = OrderBook(self)
        self.recorder = Recorder(cfg.metrics.supply_share_window_days)
        populate(self)  # agents, the warm-start pipeline
        self.policy = EventSchedule(events, self.start, self)

    @property
    def day(self) -> int:
        """Days since the start (0 on the first day), from Mesa's step counter."""
        return self.steps - 1

    @property
    def shipments(self) -> list[Shipment]:
        return self.orders.shipments

    def step(self) -> None:
        """One day: the phases of `plan`, in order."""
        self.date = self.start + dt.timedelta(days=self.day)
        for phase in self.plan:
            phase.run(self)
        if self.steps >= self.cfg.days:
            self.running = False

    def run(self) -> SupplyChainModel:
        """Run the whole horizon."""
        with gc_paused():
            while self.running:
                self.step()
        return self

    # ---------------------------------------------------------------- agents by role
    def index_agents(self, final: bool = False) -> None:
        """Build ``by_name`` from the agents created so far; ``final``: the world is built,
        so the agent sets by role are made once and kept (before that `of` looks afresh)."""
        self.by_name = {a.name: a for a in self.agents if isinstance(a, Firm)}
        self._by_role = {} if final else None

    def of(self, role: str) -> tuple:
        """The agents having ``role`` (`sim.config.firm_kinds.ROLES`, or the singletons'
        ``authority``, ``state``, ``trader``), in creation order (a tuple: the hot loops
        iterate it without Mesa's weak references; `shuffled` draws their order)."""
        cache = getattr(self, "_by_role", None)
        found = None if cache is None else cache.get(role)
        if found is None:
            found = tuple(a for a in self.agents if role in a.roles)
            if cache is not None:
                cache[role] = found
        return found

    def of_kind(self, kind: str) -> tuple:
        """The agents of a firm kind (``kind``: ``defense``, ``automaker``), in creation
        order: the buyers of one kind without looking at every buyer each day."""
        cache = getattr(self, "_by_role", None)
        found = None if cache is None else cache.get(("kind", kind))
        if found is None:
            found = tuple(a for a in self.agents if getattr(a, "kind", None) == kind)
            if cache is not None:
                cache["kind", kind] = found
        return found

    def shuffled(self, role: str) -> list:
        """The agents having ``role`` in a random order drawn from ``model.random`` (the same
        draw as Mesa's ``AgentSet.shuffle_do`` on them)."""
        agents = list(self.of(role))
        self.random.shuffle(agents)
        return agents

    # ---------------------------------------------------------------- bookkeeping
    def held(self) -> dict[str, float]:
        """Tonnes per material in stocks and in orders that hold them."""
        out = self.orders.reserved_tonnes()
        for a in self.of("holder"):
            for m in MATERIALS:
                out[m] += a.stock[m]
        return out

    def imbalance(self) -> dict[str, float]:
        """Ledger net minus tonnes held, per material: zero when tonnes are conserved."""
        held = self.held()
        return {m: self.ledger.net(m) - held[m] for m in MATERIALS}

    def tables(self, last: bool = False) -> dict[str, pd.DataFrame]:
        """The run's tables: daily, agents, shipments, events. ``last``: the run is over and
        these are its last tables: the closed orders' columns go into them (a large run
        holds them once), after which no table can be built again."""
        if last:
            trim_heap()  # what the days freed, back before the tables are built
        return self.recorder.tables(self.orders.table(release=last), self.policy.events)
