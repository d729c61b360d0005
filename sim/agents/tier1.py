"""Tier-1 component makers: buy magnets, hold their own stock, supply plants components."""

from __future__ import annotations

from sim.agents.buyer import Buyer
from sim.agents.firm import backlog
from sim.config import Tier1Conf
from sim.trade.shipments import IN_BOOK, Decision, Status


class Tier1(Buyer):
    """A tier-1 supplier of magnet-bearing components (motors and e-axles, steering,
    pumps, seat motors, sensors) between magnet sellers and assembly plants.

    As a buyer it orders magnets by the buyer's rule (`Buyer`) toward its own
    ``target_cover_days``, for a daily need equal to what its linked plants use of each
    magnet times its share of their supply (``world.links``; recomputed on review days,
    so demand paths and thrifting at the plants reach it). It files the end-use documents
    for those magnets: the licence applicant's buyer is the tier-1 and its
    ``supplier_tiers`` set how often the file is incomplete.

    As a seller it takes its plants' orders for components (t of magnet inside) first
    come, first served per magnet, making each day up to ``capacity_factor`` times its
    plants' daily use from its magnet stock; an order it can fill only in part ships that
    part and the rest waits in its book. Components travel ``transit_days`` over land,
    or by sea from a tier-1 in China. Components made in China are not magnet exports:
    the Ministry never sees them (Announcement No. 18 lists magnets and materials, not the
    goods made with them [sources: component-exemption]).

    Tonnes stay tonnes of magnet all the way: the tier-1's stock and the plant's
    component stock are magnets (inside components), so conservation is unchanged.
    """

    __slots__ = ("customers", "plants", "book", "made_today", "shipped_today")
    kind = "tier1"
    ROW = {"output": "shipped_today", "lost": "ZERO"}

    def __init__(self, model, conf: Tier1Conf, index: int) -> None:
        tiers = model.orders.tier_links  # (plant, product) -> {tier-1: share}
        # {(plant, product): this tier-1's share of that plant's supply}
        self.customers = {key: shares[conf.name] / sum(shares.values())
                          for key, shares in tiers.items() if conf.name in shares}
        self.plants = {name: model.by_name[name] for name, _ in self.customers}
        super().__init__(model, conf, self.customer_need(), index)
        self.end_use = ("military" if any(p.end_use == "military"
                                          for p in self.plants.values()) else "civil")
        self.book: list = []
        self.made_today: dict[str, float] = {}
        self.shipped_today = 0.0

    def customer_need(self) -> dict[str, float]:
        """Daily use of each magnet by the linked plants, times this tier-1's share."""
        need: dict[str, float] = {}
        for (plant, m), share in self.customers.items():
            need[m] = need.get(m, 0.0) + self.plants[plant].need.get(m, 0.0) * share
        return need

    # ---------------------------------------------------------------- buying magnets
    def use(self) -> None:  # a tier-1 uses nothing itself: its plants' orders draw on it
        self.output_today = self.lost_today = 0.0

    def order(self) -> None:
        """Follow the plants' use, then order magnets on review days (`Buyer.order`)."""
        if (self.model.day + self.offset) % self.review == 0:
            for m, n in self.customer_need().items():
                if m in self.need:
                    self.need[m] = n
        super().order()

    # ---------------------------------------------------------------- selling components
    def offers(self, material: str) -> float:
        return self.conf.capacity_factor * self.need.get(material, 0.0)

    def backlog(self) -> dict[str, float]:
        """Tonnes per magnet of its plants' orders not yet made."""
        return backlog(self.book)

    def allocate(self) -> None:
        """Make components for the plants' orders from magnet stock, first come first
        served per magnet, up to today's capacity; a part-filled order ships its part and
        the rest stays in the book as an order of its own (phase 5)."""
        book = self.model.orders
        room = {m: self.offers(m) for m in self.need}
        self.made_today = {}
        waiting = []
        for s in self.book:
            if s.status != Status.ORDERED:
                continue
            can = min(room.get(s.material, 0.0), self.stock[s.material])
            if can <= 1e-9:
                continue
            if can + 1e-9 < s.tonnes:
                waiting.append(book.split_off(s, can))
            book.reserve(s)
            book.approve(s, Decision.NOT_REQUIRED)
            room[s.material] -= s.tonnes
            self.made_today[s.material] = self.made_today.get(s.material, 0.0) + s.tonnes
        self.book.extend(waiting)

    def ship(self) -> None:
        """Ship the components made today (phase 7)."""
        book = self.model.orders
        self.shipped_today = 0.0
        for s in self.book:
            if s.status == Status.APPROVED:
                book.dispatch(s)
                self.shipped_today += s.tonnes
        self.book = [s for s in self.book if s.status in IN_BOOK]
