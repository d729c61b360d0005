"""The product registry: every material the model trades, one row each.

A product has a code, a category (``raw`` material or ``magnet``), the elements it
contains per tonne, its unit and the source of those numbers. Everything else derives
from this table: ``MATERIALS`` (all codes, in registry order), ``MAGNETS`` (the magnet
codes), ``RAW`` (raw materials), the stock columns of the agents table and the price
columns of the daily table. Adding a product (Dy oxide, a new magnet grade) is one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Product:
    """One traded material."""

    code: str
    category: str  # "raw" (oxide, metal) or "magnet"
    description: str
    elements: dict[str, float] = field(default_factory=dict)  # t element per t product
    unit: str = "t"
    source: str = ""


PRODUCTS: tuple[Product, ...] = (
    Product("ndfeb", "magnet", "sintered NdFeB without heavy rare earths",
            {"ndpr": 0.30}, source="NdFeB ~29-32.5 wt% rare earths "
            "[sources: composition] [assumption: 0.30 NdPr]"),
    Product("ndfeb_hre", "magnet", "Dy/Tb-bearing NdFeB grades (caught by the April 2025 "
            "controls)", {"ndpr": 0.27, "dy": 0.03}, source="H grade and up >= 3% Dy/Tb "
            "[sources: composition] [assumption: split]"),
    Product("smco", "magnet", "samarium-cobalt magnets", {"sm": 0.25},
            source="Sm2Co17 ~25% Sm [sources: composition]"),
    Product("oxide", "raw", "separated NdPr oxide feeding non-Chinese magnet makers",
            {"ndpr": 1.0}, source="by definition"),
)
BY_CODE: dict[str, Product] = {p.code: p for p in PRODUCTS}
MATERIALS: tuple[str, ...] = tuple(p.code for p in PRODUCTS)
MAGNETS: tuple[str, ...] = tuple(p.code for p in PRODUCTS if p.category == "magnet")
RAW: tuple[str, ...] = tuple(p.code for p in PRODUCTS if p.category == "raw")
FEEDSTOCK = "oxide"
"""The raw material non-Chinese magnet makers turn into magnets and mines produce."""
