"""Shipments (data, not agents) and the ledger that conserves tonnes.

Every tonne is always in exactly one place: an agent's stock, reserved for an order in a
licence queue or awaiting shipment, in transit, or gone through a recorded sink (consumed,
sold inside China, sold to China as oxide, used as feedstock). `Ledger.balance` checks it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields

# Order states. Tonnes are held by the order ("reserved") in QUEUED and APPROVED.
ORDERED = "ordered"  # placed, not yet allocated by the seller
QUEUED = "queued"  # tonnes reserved, licence application waiting for a decision
APPROVED = "approved"  # licensed or no licence needed; ships today
IN_TRANSIT = "in_transit"
DELIVERED = "delivered"
DENIED = "denied"
CANCELLED = "cancelled"
REVOKED = "revoked"
OPEN = (ORDERED, QUEUED, APPROVED, IN_TRANSIT)


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
    licence: str = "none"  # none | individual | general
    decision: str = "pending"  # approved | denied | not_required | pending
    shipped_on: dt.date | None = None
    due_on: dt.date | None = None
    delivered_on: dt.date | None = None
    status: str = ORDERED
    reason: str = ""
    rfi: bool = False  # the end-use file was incomplete: a request for information
    reserved: bool = False  # tonnes taken from the seller's stock and held by this order
    ship_on: dt.date | None = None  # earliest loading date once released

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("reserved", "ship_on")}


class Ledger:
    """Cumulative flows per material: sources in, sinks out.

    Sources: ``initial`` (opening stocks and pipeline, stockpiles), ``produced``,
    ``recycled``. Sinks: ``consumed``, ``sold_in_china``, ``oxide_to_china``, ``feedstock``.
    """

    SOURCES = ("initial", "produced", "recycled")
    SINKS = ("consumed", "sold_in_china", "oxide_to_china", "feedstock")

    def __init__(self) -> None:
        self.flows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(self, flow: str, material: str, tonnes: float) -> None:
        if tonnes < 0:
            raise ValueError(f"negative flow {flow} {material} {tonnes}")
        self.flows[flow][material] += tonnes

    def net(self, material: str) -> float:
        """Sources minus sinks: the tonnes that must be somewhere in the system."""
        s = sum(self.flows[f][material] for f in self.SOURCES)
        return s - sum(self.flows[f][material] for f in self.SINKS)
