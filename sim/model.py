"""SupplyChainModel: the world, and one day of it in a fixed order.

One step is one calendar day. The day's phases, in this order:

1. policy events due today take effect (scheduled with Mesa's ``schedule_event`` half a
   time unit before the day's step, so they always precede it)
2. producers produce: mines (oxide to makers, the rest to China; lifecycle from prices),
   Chinese exporters, non-Chinese magnet makers (dated capacity additions), recycled
   oxide; the government buys for its stockpile
3. automakers' substitution updates their need; buyers use magnets for today's output;
   shortfalls are recorded as lost production
4. buyers order on their review days (target cover, counting the supply line)
5. sellers take new orders: Chinese exporters screen them with the Ministry, reserve stock
   and apply for licences; non-Chinese makers reserve stock
6. the Ministry decides the applications whose working-day clock is up
7. released orders ship; transit takes destination-specific days; exporters sell surplus
   stock inside China
8. arrivals are received; the government releases stockpile to short defence primes
9. prices update inside and outside China (China's pricing strategy)
10. the day is recorded

Phases 3-5 and 7 run through Mesa ``AgentSet.shuffle_do`` so that agent order cannot bias
results. All randomness comes from ``seed``: Mesa's ``model.random`` shuffles agents; each
other purpose (licence decisions, order routing) has its own stream spawned
from ``numpy.random.SeedSequence(seed)``, and transit noise is keyed by the order itself
(buyer, seller, material, order date), so the same order travels equally long under every
policy run with one seed (common random numbers). Routing draws follow the order sequence,
so they stay paired only until two policies make buyers order differently.

The core takes a `RunConfig` and returns tables (`tables()`); it does no file I/O.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import mesa
import numpy as np
import pandas as pd
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
from .calendar import WorkingCalendar
from .config import MAGNETS, MATERIALS, RunConfig
from .market import Market
from .policy import PolicyEvent, compile_events
from .shipments import DELIVERED, DENIED, IN_TRANSIT, QUEUED, Ledger, Shipment
from .substitution import Substitution
from .validate import validate

STREAMS = ("licensing", "transit", "routing")
_MASK64 = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    """One round of the SplitMix64 mixer: a fast, well-spread integer hash."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


class SupplyChainModel(mesa.Model):
    """The rare-earth magnet supply chain, one day per step.

    Args:
        cfg: a validated-on-entry `RunConfig`.
    """

    def __init__(self, cfg: RunConfig) -> None:
        self.start = validate(cfg)
        super().__init__(rng=cfg.seed)
        self.cfg = cfg
        self.end = self.start + dt.timedelta(days=cfg.days - 1)
        self.day = 0
        self.date = self.start
        self.calendar = WorkingCalendar(self.start, self.end)
        seqs = np.random.SeedSequence(cfg.seed).spawn(len(STREAMS))
        # the "transit" child is spawned but unused (transit noise is keyed by the order,
        # see _transit_noise); spawning it keeps the other streams' seeds unchanged
        self.rng_licensing, _, self.rng_routing = (np.random.default_rng(s) for s in seqs)
        self.ledger = Ledger()
        self.shipments: list[Shipment] = []
        self.arrivals: dict[int, list[Shipment]] = defaultdict(list)
        self.market = Market(cfg.market, cfg.government.tariff_cn_magnets)
        self.government = Government(self, cfg.government)
        self._supply_ema = {"cn": 0.0, "ex": 0.0}
        self._daily: list[dict] = []
        self._agent_rows: list[dict] = []
        self._exports_today: dict[str, float] = defaultdict(float)

        w = cfg.world
        self.ministry = Ministry(self, cfg.licensing)
        self.exporters = [Exporter(self, c) for c in w.exporters]
        self.makers = [MagnetMaker(self, c) for c in w.makers]
        self.mines = [Mine(self, c) for c in w.mines]
        buyers: list[Buyer] = []
        for c in w.automakers:
            if w.automaker_cover_days is not None:
                c.target_cover_days = w.automaker_cover_days
            buyers.append(Automaker(self, c, w.vehicle_magnet_kg, len(buyers)))
        buyers += [IndustrialBuyer(self, c, len(buyers) + i) for i, c in enumerate(w.industries)]
        buyers += [DefensePrime(self, c, len(buyers) + i) for i, c in enumerate(w.defense)]
        self.buyers = AgentSet(buyers, random=self.random)
        self.sellers = AgentSet(self.exporters + self.makers, random=self.random)
        self.by_name = {a.name: a for a in [*self.exporters, *self.makers, *buyers]}
        self._index = {name: i for i, name in enumerate(self.by_name)}
        self.substitution = Substitution(self, cfg.substitution)
        for b in buyers:
            self._warm_start_pipeline(b)

        self.events: list[PolicyEvent] = compile_events(cfg.events, self.start,
                                                         set(self.by_name))
        for ev in self.events:
            offset = (ev.date - self.start).days
            if offset < 0:
                self.ministry.apply(ev)  # already in force when the run starts
            elif offset < cfg.days:
                self.schedule_event(_EventCaller(self, ev), at=offset + 0.5)

    # ---------------------------------------------------------------- set-up helpers
    def suppliers(self, material: str, china: bool) -> list:
        pool = self.exporters if china else self.makers
        return [s for s in pool if s.offers(material) > 0]

    def expected_lead_days(self, buyer: Buyer, material: str) -> float:
        """A buyer's first guess of lead time: transit from its suppliers, share-weighted."""
        w = self.cfg.world
        cn = w.transit_days.get(buyer.country, w.transit_days_default)
        share = buyer.conf.china_share if self.suppliers(material, False) else 1.0
        return 1.0 + share * cn + (1 - share) * w.domestic_transit_days

    def _warm_start_pipeline(self, b: Buyer) -> None:
        """Put the steady-state pipeline in transit: orders placed before the start arrive
        one review period apart over the expected lead time, so day 1 is not a cold start."""
        for m, n in b.need.items():
            lead = b.lead_est[m]
            k = 0
            while k * b.review < lead:
                arrive = self.start + dt.timedelta(days=k * b.review + 1)
                for seller, t in self._split(b, m, n * b.review):
                    placed = min(arrive - dt.timedelta(days=round(lead)),
                                 self.start - dt.timedelta(days=1))
                    s = self._new_shipment(b, seller, m, t, placed)
                    s.status, s.reserved, s.decision = IN_TRANSIT, True, "not_required"
                    s.decided_on = s.shipped_on = s.ordered_on
                    s.due_on = arrive
                    self.arrivals[(arrive - self.start).days].append(s)
                    b.on_order[m] += t
                    self.ledger.add("initial", m, t)
                k += 1

    # ---------------------------------------------------------------- order flow
    def _split(self, b: Buyer, material: str, qty: float) -> list[tuple]:
        """Split an order between a Chinese exporter and a non-Chinese maker, each chosen
        at random in proportion to capacity (routing stream)."""
        out = []
        makers = self.suppliers(material, china=False)
        cn_share = b.china_share.get(material, b.conf.china_share) if makers else 1.0
        if cn_share > 0.99:  # no slivers: they would only add noise to the books
            cn_share = 1.0
        for pool, t in ((self._chinese_sellers(b, material, qty * cn_share), qty * cn_share),
                        (makers, qty * (1 - cn_share))):
            if t <= 1e-9 or not pool:
                continue
            weights = [s.offers(material) for s in pool]
            r = self.rng_routing.random() * sum(weights)
            i = 0
            while i < len(pool) - 1 and r >= weights[i]:
                r -= weights[i]
                i += 1
            out.append((pool[i], t))
        return out

    def _chinese_sellers(self, b: Buyer, material: str, qty: float) -> list:
        """Chinese exporters a buyer may order from: where the material needs a licence
        and some exporters hold a general licence covering this buyer, only those."""
        pool = self.suppliers(material, True)
        rules = self.ministry.rules
        if rules.general and rules.requires_licence(material, b.country):
            covered = [e for e in pool if rules.general_licence(
                e.name, b.country, b.name, qty, self.date) is not None]
            return covered or pool
        return pool

    def _new_shipment(self, b: Buyer, seller, material: str, tonnes: float,
                      ordered_on: dt.date) -> Shipment:
        s = Shipment(id=len(self.shipments), material=material, tonnes=tonnes,
                     seller=seller.name, seller_country=seller.country, buyer=b.name,
                     buyer_country=b.country, end_use=b.end_use, ordered_on=ordered_on)
        self.shipments.append(s)
        return s

    def place_orders(self, b: Buyer, material: str, qty: float) -> None:
        """A buyer orders ``qty`` tonnes; the order goes into its sellers' books."""
        for seller, t in self._split(b, material, qty):
            s = self._new_shipment(b, seller, material, t, self.date)
            seller.book.append(s)
            b.on_order[material] += t

    def close_order(self, s: Shipment, status: str, reason: str, decided: bool) -> None:
        """End an order that will not ship; its buyer stops counting it."""
        s.status, s.reason = status, reason
        if decided:
            s.decision = "denied"
            s.decided_on = s.decided_on or self.date
        self.by_name[s.buyer].order_failed(s)

    def return_to_seller(self, s: Shipment, reason: str, status: str = DENIED) -> None:
        """A reserved order is refused, revoked or cancelled: its tonnes go back to the
        seller's stock and the buyer stops counting it."""
        seller = self.by_name[s.seller]
        seller.stock[s.material] += s.tonnes
        s.reserved = False
        self.close_order(s, status, reason, decided=s.decision == "pending")
        if status == DENIED:
            s.decision = "denied"

    def dispatch(self, s: Shipment) -> None:
        """Ship a released order; it arrives after the destination's transit time."""
        w = self.cfg.world
        if s.seller_country == "CN":
            base = w.transit_days.get(s.buyer_country, w.transit_days_default)
            base += self.ministry.rules.customs.get(s.buyer_country, 0)
            self._exports_today[s.material] += s.tonnes
        else:
            base = w.domestic_transit_days
            self._exports_today["_non_cn"] += s.tonnes
        j = w.transit_jitter_days
        days = max(1, int(round(base + (self._transit_noise(s) * j if j > 0 else 0.0))))
        s.status, s.shipped_on = IN_TRANSIT, self.date
        s.due_on = self.date + dt.timedelta(days=days)
        self.arrivals[self.day + days].append(s)

    def _transit_noise(self, s: Shipment) -> float:
        """A uniform draw in [-1, 1] keyed by the order (buyer, seller, material, order
        date) rather than by shipping sequence, so the same order gets the same transit time
        under every policy run with this seed (common random numbers)."""
        x = 0x9E3779B97F4A7C15
        for v in (self.cfg.seed, self._index[s.buyer], self._index[s.seller],
                  MATERIALS.index(s.material), s.ordered_on.toordinal()):
            x = _splitmix64(x ^ (v & _MASK64))
        return 2.0 * (x / 2.0**64) - 1.0

    # ---------------------------------------------------------------- the day
    def fire(self, ev: PolicyEvent) -> None:
        """Phase 1: a policy event takes effect."""
        self.ministry.apply(ev)

    def step(self) -> None:
        """One day: the phases of the module docstring, in order."""
        self.date = self.start + dt.timedelta(days=self.day)
        self._exports_today.clear()
        for group in (self.mines, self.exporters, self.makers):  # 2 produce
            for a in group:
                a.produce()
        self.substitution.recycle()
        self.government.buy()
        self.substitution.step()  # 3
        self.buyers.shuffle_do("use")
        self.buyers.shuffle_do("order")  # 4
        self.sellers.shuffle_do("allocate")  # 5
        self.ministry.decide()  # 6
        self.sellers.shuffle_do("ship")  # 7
        for e in self.exporters:
            e.sell_home()
        for s in self.arrivals.pop(self.day, ()):  # 8
            s.status, s.delivered_on, s.reserved = DELIVERED, self.date, False
            self.by_name[s.buyer].receive(s)
        self.government.release()
        self.market.update(self)  # 9
        self._record()  # 10
        self.day += 1
        if self.day >= self.cfg.days:
            self.running = False

    def run(self) -> SupplyChainModel:
        """Run the whole horizon."""
        while self.running:
            self.step()
        return self

    # ---------------------------------------------------------------- bookkeeping
    def held(self) -> dict[str, float]:
        """Tonnes per material in stocks, reserved orders and transit."""
        out = {m: 0.0 for m in MATERIALS}
        for a in [*self.exporters, *self.makers, *self.mines, *self.buyers, self.government]:
            for m in MATERIALS:
                out[m] += a.stock[m]
        for s in self.shipments:
            if s.reserved:
                out[s.material] += s.tonnes
        return out

    def imbalance(self) -> dict[str, float]:
        """Ledger net minus tonnes held, per material: zero when tonnes are conserved."""
        held = self.held()
        return {m: self.ledger.net(m) - held[m] for m in MATERIALS}

    def _record(self) -> None:
        row: dict = {"date": self.date}
        non_cn = self._exports_today.pop("_non_cn", 0.0)
        queue = defaultdict(float)
        for _, _, s in self.ministry.queue:
            if s.status == QUEUED:
                queue[s.material] += s.tonnes
        lost_v = planned_v = 0.0
        for b in self.buyers:
            if isinstance(b, Automaker):
                lost_v += b.lost_today
                planned_v += b.vehicles_per_day
        for m in MAGNETS:
            need = sum(b.need.get(m, 0.0) for b in self.buyers)
            stock = sum(b.stock[m] for b in self.buyers)
            row[f"buyer_stock_{m}_t"] = stock
            row[f"buyer_cover_{m}_days"] = stock / need if need else math.nan
            row[f"exports_{m}_t"] = self._exports_today.get(m, 0.0)
            row[f"licence_queue_{m}_t"] = queue.get(m, 0.0)
        for m in MATERIALS:
            row[f"price_{m}_cn"] = self.market.price_cn.get(m, math.nan)
            row[f"price_{m}_ex_cn"] = self.market.price.get(m, math.nan)
        row["exports_t"] = sum(self._exports_today.values())
        ema = self._supply_ema  # 30-day smoothing of daily shipments [assumption]
        k = 1.0 / min(30.0, self.day + 1.0)  # running mean until 30 days have passed
        ema["cn"] += k * (row["exports_t"] - ema["cn"])
        ema["ex"] += k * (non_cn - ema["ex"])
        tot = ema["cn"] + ema["ex"]
        row["non_china_supply_share"] = ema["ex"] / tot if tot > 0 else math.nan
        row["substitution_share"] = self.substitution.substitution_share
        row["china_flooding"] = self.market.flood > 0
        prime = [b.cover_days for b in self.buyers if b.kind == "defense"]
        row["defense_cover_days"] = min(prime) if prime else math.nan
        row["defense_ready"] = not prime or min(prime) >= self.cfg.government.readiness_cover_days
        row["mines_active_tpy"] = sum(x.conf.capacity_tpy * (x.utilisation > 0)
                                      for x in self.mines)
        row["licence_applications_pending"] = sum(
            1 for _, _, s in self.ministry.queue if s.status == QUEUED)
        row["lost_vehicles"] = lost_v
        row["planned_vehicles"] = planned_v
        row["embargoed"] = ",".join(sorted(self.ministry.embargoes))
        row["general_licences_active"] = sum(
            1 for g in self.ministry.rules.general
            if not g.suspended and g.start <= self.date and (g.end is None or self.date < g.end))
        self._daily.append(row)
        for a in [*self.buyers, *self.exporters, *self.makers, *self.mines, self.ministry,
                  self.government]:
            r = a.record()
            r["date"] = self.date
            self._agent_rows.append(r)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables: daily, agents, shipments, events."""
        daily = pd.DataFrame(self._daily)
        agents = pd.DataFrame(self._agent_rows)
        agents = agents[["date", *[c for c in agents.columns if c != "date"]]]
        ships = pd.DataFrame([s.as_row() for s in self.shipments])
        for c in ("ordered_on", "applied_on", "decided_on", "shipped_on", "due_on",
                  "delivered_on"):
            ships[c] = pd.to_datetime(ships[c])
        for t in (daily, agents):
            t["date"] = pd.to_datetime(t["date"])
        events = pd.DataFrame([{
            "date": e.date, "end": e.end, "kind": e.kind, "label": e.label,
            "materials": ",".join(e.materials),
            "destinations": ",".join(e.destinations) if e.destinations else "all",
            "source": e.source, "fired": e.fired} for e in self.events],
            columns=["date", "end", "kind", "label", "materials", "destinations", "source",
                     "fired"])
        events["date"] = pd.to_datetime(events["date"])
        events["end"] = pd.to_datetime(events["end"])
        return {"daily": daily, "agents": agents, "shipments": ships, "events": events}


class _EventCaller:
    """Binds an event to the model with a strong reference: Mesa keeps only weak
    references to event callbacks, so the model holds these in ``_callers``."""

    def __init__(self, model: SupplyChainModel, ev: PolicyEvent) -> None:
        self.model, self.ev = model, ev
        model.__dict__.setdefault("_callers", []).append(self)

    def __call__(self) -> None:
        self.model.fire(self.ev)
