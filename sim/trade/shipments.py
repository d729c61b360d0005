"""Shipments (data, not agents), their state machine, and the ledger that conserves tonnes.

Every tonne is always in exactly one place: a holder's stock (a firm, the government), an
order that holds it (reserved in a licence queue or awaiting loading), in transit, or gone
through a recorded sink (consumed, sold inside China, sold to China as oxide, used as
feedstock). Tonnes move only through `Ledger.move`, which books flows across the system's
boundary; `Ledger.net` minus the tonnes held is zero when tonnes are conserved.

A shipment's state changes only through `Shipment.move_to`, which refuses a move the state
machine does not allow; the order book (`sim.orders.OrderBook`) is the only caller.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from enum import StrEnum


class Status(StrEnum):
    """Where an order is. Tonnes are held by the order ("reserved") in QUEUED and
    APPROVED, and while IN_TRANSIT."""

    ORDERED = "ordered"  # placed, not yet allocated by the seller
    QUEUED = "queued"  # tonnes reserved, licence application waiting for a decision
    APPROVED = "approved"  # licensed or no licence needed; ships on its ship_on date
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    DENIED = "denied"
    CANCELLED = "cancelled"
    REVOKED = "revoked"


class Decision(StrEnum):
    """The licensing decision on an order."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    NOT_REQUIRED = "not_required"
    SMUGGLED = "smuggled"  # left without the licence or quota it needed (leakage)


class Licence(StrEnum):
    """Which licence an order travels under."""

    NONE = "none"
    INDIVIDUAL = "individual"
    GENERAL = "general"


# the state machine: from -> allowed next states
MOVES: dict[Status, frozenset[Status]] = {
    Status.ORDERED: frozenset({Status.QUEUED, Status.APPROVED, Status.DENIED,
                               Status.CANCELLED}),
    Status.QUEUED: frozenset({Status.APPROVED, Status.DENIED, Status.CANCELLED,
                              Status.REVOKED}),
    Status.APPROVED: frozenset({Status.IN_TRANSIT, Status.DENIED, Status.CANCELLED,
                                Status.REVOKED}),
    Status.IN_TRANSIT: frozenset({Status.DELIVERED}),
    Status.DELIVERED: frozenset(),
    Status.DENIED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.REVOKED: frozenset(),
}
CLOSED = frozenset({Status.DELIVERED, Status.DENIED, Status.CANCELLED, Status.REVOKED})
IN_BOOK = (Status.ORDERED, Status.QUEUED, Status.APPROVED)  # still in a seller's book


class IllegalMove(RuntimeError):
    """A shipment was asked to move to a state its state machine does not allow."""


@dataclass(slots=True)
class Shipment:
    """One order from a buyer to a seller and what became of it."""

    id: int
    material: str
    tonnes: float
    seller: str
    seller_country: str
    buyer: str
    buyer_country: str
    end_use: str
    ordered_on: dt.date
    applied_on: dt.date | None = None
    decided_on: dt.date | None = None
    licence: Licence = Licence.NONE
    decision: Decision = Decision.PENDING
    shipped_on: dt.date | None = None
    cleared_on: dt.date | None = None  # a Chinese export left China after customs
    due_on: dt.date | None = None
    delivered_on: dt.date | None = None
    status: Status = Status.ORDERED
    reason: str = ""
    accepted_on: dt.date | None = None  # MOFCOM accepted the file: its clock starts
    rfi: bool = False  # the end-use file was incomplete: a request for information
    reserved: bool = False  # tonnes taken from the seller's stock and held by this order
    ship_on: dt.date | None = None  # earliest loading date once released
    expedited: bool = False  # air freight (buyer's expediting); fixed once licensed
    component: bool = False  # a tier-1's components to a plant (magnet tonnes inside)
    held_days: int = 0  # days held at customs by an embargo or denial that began there

    def move_to(self, status: Status) -> None:
        """Change state, refusing moves the state machine does not allow."""
        if status not in MOVES[self.status]:
            raise IllegalMove(f"order {self.id}: {self.status} -> {status} is not allowed")
        self.status = status

    # an order is a holder of tonnes (of its own material, all or nothing)
    def deposit(self, material: str, tonnes: float) -> None:
        assert material == self.material and not self.reserved, "order holds its tonnes once"
        self.reserved = True

    def withdraw(self, material: str, tonnes: float) -> None:
        assert material == self.material and self.reserved, "order holds no tonnes"
        self.reserved = False

    def as_row(self) -> dict:
        row = {f.name: getattr(self, f.name) for f in fields(self)
               if f.name not in ("reserved", "ship_on")}
        for k in ("licence", "decision", "status"):
            row[k] = str(row[k])
        return row


class Ledger:
    """Cumulative flows per material across the system's boundary: sources in, sinks out.

    Sources: ``initial`` (opening stocks and pipeline, stockpiles), ``produced``,
    ``recycled``, ``from_china_balance`` (raw materials a Chinese raw exporter draws from
    China's element balance, `sim.china`), ``raw_outside_model`` (feed that appears with
    ``border.raw_trade`` off). Sinks: ``consumed``, ``sold_in_china``, ``oxide_to_china``,
    ``feedstock``, ``back_to_china_balance``.
    """

    SOURCES = ("initial", "produced", "recycled", "from_china_balance", "raw_outside_model")
    SINKS = ("consumed", "sold_in_china", "oxide_to_china", "feedstock",
             "back_to_china_balance")

    def __init__(self) -> None:
        self.flows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(self, flow: str, material: str, tonnes: float) -> None:
        if tonnes < 0:
            raise ValueError(f"negative flow {flow} {material} {tonnes}")
        self.flows[flow][material] += tonnes

    def move(self, material: str, tonnes: float, src=None, dst=None, flow: str = "") -> None:
        """Move ``tonnes`` of ``material`` from ``src`` to ``dst``: the one way tonnes move.

        A holder is anything with ``deposit``/``withdraw`` (a firm's stock, an order).
        ``src=None`` brings tonnes into the system through the source ``flow``;
        ``dst=None`` takes them out through the sink ``flow``.
        """
        if src is None:
            if flow not in self.SOURCES:
                raise ValueError(f"tonnes entering the system need a source flow, got {flow!r}")
            if tonnes < 0:
                raise ValueError(f"negative flow {flow} {material} {tonnes}")
            self.flows[flow][material] += tonnes
        else:
            src.withdraw(material, tonnes)
        if dst is None:
            if flow not in self.SINKS:
                raise ValueError(f"tonnes leaving the system need a sink flow, got {flow!r}")
            if tonnes < 0:
                raise ValueError(f"negative flow {flow} {material} {tonnes}")
            self.flows[flow][material] += tonnes
        else:
            dst.deposit(material, tonnes)

    def net(self, material: str) -> float:
        """Sources minus sinks: the tonnes that must be somewhere in the system."""
        s = sum(self.flows[f][material] for f in self.SOURCES)
        return s - sum(self.flows[f][material] for f in self.SINKS)
