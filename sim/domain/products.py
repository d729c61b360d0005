"""The product registry: every material the model trades, one row each.

A product has a code, a category (``raw`` material or ``magnet``), the elements it
contains per tonne (in tonnes of rare-earth oxide, REO, the unit of China's quotas and
mining statistics), its unit, the source of those numbers and, for raw materials, the
quota group (``light`` or ``heavy``: China's export quotas were split into light and
medium/heavy rare earths from 2012). Everything else derives from this table:
``MATERIALS`` (all codes, in registry order), ``MAGNETS``, ``RAW``, the stock columns of
the agents table and the price and export columns of the daily table. Adding a product
(a new magnet grade, another element) is one row.

A magnet's element content here is the default; a world vintage's ``content.csv`` sets
it for that world (more Dy per tonne in 2009 than today). A raw product's content is
stoichiometry and does not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ELEMENTS: tuple[str, ...] = ("ndpr", "dy", "tb", "sm", "other")
"""The elements of China's balance: NdPr, dysprosium, terbium, samarium, and every other
rare earth together (La, Ce, Y, ...), each counted in tonnes of oxide (REO)."""


@dataclass(frozen=True)
class Product:
    """One traded material."""

    code: str
    category: str  # "raw" (oxide, metal) or "magnet"
    description: str
    elements: dict[str, float] = field(default_factory=dict)  # t REO per t product
    unit: str = "t"
    source: str = ""
    group: str = ""  # raw materials: "light" or "heavy" (quota category)

    @property
    def reo(self) -> float:
        """Tonnes of rare-earth oxide in one tonne of the product."""
        return sum(self.elements.values())


_STOICH = "oxide per tonne of metal from molar masses [sources: stoichiometry]"
PRODUCTS: tuple[Product, ...] = (
    Product("ndfeb", "magnet", "sintered NdFeB without heavy rare earths",
            {"ndpr": 0.35}, source="NdFeB ~29-32.5 wt% rare earths [sources: composition]; "
            "0.30 t NdPr metal = 0.35 t REO [assumption]"),
    Product("ndfeb_hre", "magnet", "Dy/Tb-bearing NdFeB grades (caught by the April 2025 "
            "controls)", {"ndpr": 0.315, "dy": 0.03, "tb": 0.005},
            source="H grade and up >= 3% Dy/Tb [sources: composition] [assumption: split]"),
    Product("smco", "magnet", "samarium-cobalt magnets", {"sm": 0.29},
            source="Sm2Co17 ~25% Sm = 0.29 t Sm2O3 [sources: composition]"),
    Product("ndpr_oxide", "raw", "separated NdPr oxide", {"ndpr": 1.0},
            source="by definition", group="light"),
    Product("ndpr_metal", "raw", "NdPr metal", {"ndpr": 1.166}, source=_STOICH,
            group="light"),
    Product("dy_oxide", "raw", "dysprosium oxide", {"dy": 1.0}, source="by definition",
            group="heavy"),
    Product("dy_metal", "raw", "dysprosium metal", {"dy": 1.148}, source=_STOICH,
            group="heavy"),
    Product("tb_oxide", "raw", "terbium oxide (Tb4O7)", {"tb": 1.0}, source="by definition",
            group="heavy"),
    Product("tb_metal", "raw", "terbium metal", {"tb": 1.176}, source=_STOICH,
            group="heavy"),
    Product("sm_oxide", "raw", "samarium oxide (a medium rare earth: quota group heavy)",
            {"sm": 1.0}, source="by definition; medium/heavy group [sources: quotas]",
            group="heavy"),
    Product("other_reo", "raw", "other rare earths (La, Ce, Y, ...), as oxides and "
            "compounds", {"other": 1.0}, source="by definition", group="light"),
)
BY_CODE: dict[str, Product] = {p.code: p for p in PRODUCTS}
MATERIALS: tuple[str, ...] = tuple(p.code for p in PRODUCTS)
MAGNETS: tuple[str, ...] = tuple(p.code for p in PRODUCTS if p.category == "magnet")
RAW: tuple[str, ...] = tuple(p.code for p in PRODUCTS if p.category == "raw")
FEEDSTOCK = "ndpr_oxide"
"""The raw material non-Chinese mines produce (NdPr oxide)."""
OXIDE_OF: dict[str, str] = {e: f"{e}_oxide" if f"{e}_oxide" in BY_CODE else "other_reo"
                            for e in ELEMENTS}
"""The raw product in which a buyer outside China buys each element."""


def reo(code: str) -> float:
    """Tonnes of REO per tonne of product ``code``."""
    return BY_CODE[code].reo
