"""Base class of every firm: a name, a country and stocks per material."""

from __future__ import annotations

from bisect import insort
from operator import attrgetter

import mesa

from sim.agents.row import STOCK, Recorded
from sim.domain.products import MATERIALS
from sim.trade.shipments import Status

_ID = attrgetter("id")


def backlog(book) -> dict[str, float]:
    """Tonnes per material of the orders in ``book`` not yet allocated (ORDERED)."""
    out: dict[str, float] = {}
    for s in book:
        if s.status == Status.ORDERED:
            out[s.material] = out.get(s.material, 0.0) + s.tonnes
    return out


class Firm(Recorded, mesa.Agent):
    """A firm with stocks (tonnes) of each material.

    Args:
        model: the SupplyChainModel.
        name: unique firm name.
        country: ISO 3166 alpha-2 code.
    """

    __slots__ = ("name", "country", "stock")
    """The attributes read most are slots (here and in the kinds a world has thousands
    of: buyers, automakers, tier-1s, defence primes): each at a fixed place in the
    object, read without a dict lookup. An agent keeps a ``__dict__`` (Mesa's agent has
    one) for the rest, which stays under 30 keys, so Python shares its keys between
    agents of a class; an automaker with 32 attributes in its dict had a dict of its own
    (1.6 kB) and was read by hash. 10,000 firms, 60 days: 12% faster (recorder 30%).
    A new kind may add attributes freely (they go to its dict, or to its own
    ``__slots__``); a class attribute of its own must not take a slot's name."""
    kind = "firm"
    roles: frozenset = frozenset()  # set from its firm-kind registry row by the builder
    ROW = {"agent": "name", "kind": "kind", "country": "country", STOCK: None}

    def __init__(self, model, name: str, country: str) -> None:
        super().__init__(model)
        self.name = name
        self.country = country
        self.stock: dict[str, float] = {m: 0.0 for m in MATERIALS}

    def deposit(self, material: str, tonnes: float) -> None:
        """Add tonnes to stock (called by `Ledger.move` only)."""
        self.stock[material] += tonnes

    def withdraw(self, material: str, tonnes: float) -> None:
        """Remove tonnes from stock; never below zero (called by `Ledger.move` only)."""
        stock = self.stock
        have = stock[material]
        if tonnes > have + 1e-9:
            raise RuntimeError(f"{self.name}: taking {tonnes} t {material} from {have} t")
        left = have - tonnes
        stock[material] = left if left > 0.0 else 0.0  # max(0, left)

    def move(self, material: str, tonnes: float, to=None, flow: str = "") -> None:
        """Move tonnes out of this firm's stock to ``to`` (None: out through sink ``flow``)."""
        self.model.ledger.move(material, tonnes, self, to, flow)

    def bring_in(self, material: str, tonnes: float, flow: str) -> None:
        """Tonnes enter this firm's stock from outside the system (source ``flow``)."""
        self.model.ledger.move(material, tonnes, None, self, flow)


class Seller(Firm):
    """A firm that makes magnets to order: capacity per material and a book of orders."""

    ROW = {"output": "produced_today", "lost": "ZERO", "cover_days": "NAN"}

    def __init__(self, model, name: str, country: str, capacity_tpy: dict) -> None:
        super().__init__(model, name, country)
        self.capacity_tpd = {m: v / 365.0 for m, v in capacity_tpy.items()}
        # its orders to act on (new or released), in the order they came (id order);
        # an order waiting for its export licence is the Ministry's until decided
        self.book: list = []
        self.produced_today = 0.0

    def readmit(self, s) -> None:
        """An order back from the licence queue, released: into the book at its place."""
        insort(self.book, s, key=_ID)

    def offers(self, material: str) -> float:
        """Capacity (t/day) for a material: the weight buyers route orders by."""
        return self.capacity_tpd.get(material, 0.0)

    def backlog(self) -> dict[str, float]:
        """Tonnes per material of orders taken but not yet allocated."""
        return backlog(self.book)

