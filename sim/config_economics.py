"""Economic inputs of the KPI layer: what a lost vehicle is worth and what stock costs to hold.

These numbers turn tonnes and vehicles into money; the model itself never reads them. They
are recorded in each run's ``meta.json`` (``economics``), so a saved run's money figures can
be recomputed. ``sim.run(cfg, economics=EconomicsConf(...))`` changes them for one run.
Every field's metadata holds ``unit``, ``help`` and ``source`` (an entry of
``docs/sources.md`` or ``[assumption]``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


def _f(default=None, *, unit: str, help: str, source: str, factory=None):
    meta = {"unit": unit, "help": help, "source": source}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class EconomicsConf:
    """Vehicle values and the cost of holding stock."""

    vehicle_value_usd: dict[str, float] = _f(
        unit="USD/vehicle",
        help="revenue a plant loses per vehicle not built, by vehicle type (ice, ev)",
        source="[assumption] of the order of 2024 new-vehicle transaction prices "
        "(docs/sources.md#vehicle-value)",
        factory=lambda: {"ice": 30_000.0, "ev": 50_000.0})
    holding_cost_rate: float = _f(
        0.20, unit="1/yr",
        help="yearly cost of holding stock, as a share of its value (capital, storage, "
        "insurance, obsolescence)",
        source="[assumption] inside the 20-30 %/yr range operations textbooks use for "
        "inventory carrying cost (docs/sources.md#holding-cost)")

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
