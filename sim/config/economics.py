"""Economic inputs of the KPI layer: what a lost vehicle is worth and what stock costs to hold.

These numbers turn tonnes and vehicles into money; the model itself never reads them. They
are recorded in each run's ``meta.json`` (``economics``), so a saved run's money figures can
be recomputed. Set them like any parameter (``economics.holding_cost_rate=0.25``).
"""

# ruff: noqa: UP006, UP035  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Dict

from sim.config.registry import p


@dataclass
class EconomicsConf:
    """Vehicle values and the cost of holding stock."""

    vehicle_value_usd: Dict[str, float] = p(
        unit="USD/vehicle", desc="revenue a plant loses per vehicle not built, by vehicle "
        "type (ice, ev)", source="[assumption] of the order of 2024 new-vehicle transaction "
        "prices [sources: vehicle-value]", lo=0, keys=("vehicle",),
        factory=lambda: {"ice": 30_000.0, "ev": 50_000.0})
    holding_cost_rate: float = p(
        0.20, unit="1/yr", desc="yearly cost of holding stock, as a share of its value "
        "(capital, storage, insurance, obsolescence)", source="[assumption] inside the "
        "20-30 %/yr range operations textbooks use for inventory carrying cost "
        "[sources: holding-cost]", lo=0, hi=1)

    def vehicle_value(self, ev_share: float) -> float:
        """Value of one vehicle of a plant building ``ev_share`` EVs (USD)."""
        v = self.vehicle_value_usd
        return (1.0 - ev_share) * v.get("ice", 0.0) + ev_share * v.get("ev", 0.0)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> EconomicsConf:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})
