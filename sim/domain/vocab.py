"""The model's vocabularies, each listed once: buyer kinds and the sectors named by events,
the two meanings of "end use", vehicle types, mine states, quota groups and regions.

Two different things are called an "end use" in the sources, so they have two names here:

- `LICENCE_END_USES`: the end use a Chinese export licence is decided on (military or
  civil; MOFCOM refuses military end use);
- `APPLICATIONS`: what NdFeB magnets go into (traction motors, wind, electronics, ...), whose
  Dy/Tb-bearing share a world's ``end_uses.csv`` gives and by which a buyer's ``end_uses``
  field splits its NdFeB.
"""

from __future__ import annotations

BUYER_KINDS: tuple[str, ...] = ("automaker", "industry", "defense")
"""Kinds of end users of magnets (the agents' ``kind``): assembly plants, other industry,
defence primes. Approval events name them as ``sectors``; demand paths step them."""
SECTORS = BUYER_KINDS
"""Buyer sectors an ``approval`` event or the sector approval odds can name."""
NODE_KINDS: tuple[str, ...] = ("automaker", "tier1", "industry", "defense")
"""Kinds with per-node figures (halts, lost output, buffers): end users and tier-1s."""
DEMAND_KINDS: tuple[str, ...] = (*BUYER_KINDS, "all")
"""Who a demand-path step applies to."""

LICENCE_END_USES: tuple[str, ...] = ("military", "civil")
"""End use a licence is decided on (a shipment's ``end_use``)."""
DENY_END_USES: tuple[str, ...] = (*LICENCE_END_USES, "all")
"""End uses a ``deny`` event can refuse."""
APPLICATIONS: tuple[str, ...] = ("traction_motor", "industrial_motor", "electronics", "wind",
                                 "air_conditioner", "defence", "other")
"""Applications of NdFeB magnets (rows of a world's ``end_uses.csv``, keys of a buyer's
``end_uses``)."""

VEHICLE_TYPES: tuple[str, ...] = ("ice", "ev")
MINE_STATES: tuple[str, ...] = ("planned", "construction", "rampup", "operating",
                                "care_and_maintenance", "restart")
QUOTA_GROUPS: tuple[str, ...] = ("light", "heavy", "all")
"""Groups of China's aggregate raw-material export quota (light, medium/heavy, or all)."""
REGIONS: dict[str, tuple[str, ...]] = {
    "EU": ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
           "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
    "ASEAN": ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"),
}
"""Declared regions. No field takes a region yet (the model matches destinations by
country), so a region where a country is expected is refused with its member list."""
