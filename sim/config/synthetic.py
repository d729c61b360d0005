"""A synthetic world of any size: ``world=synthetic world.firms=N``.

It copies the 2024 world's buyer chain ``k`` times (each assembly plant with its own
tier-1 suppliers and their links, every industrial buyer and the defence prime), each copy
at ``1/k`` of its table size (vehicles a day, tonnes a day), so ``k x 23`` buyer firms use
exactly what the 2024 world's 23 do: Chinese exports and prices hold at any size. The
sellers (exporters, raw-material exporters, non-Chinese makers, mines), China's balance,
the content and end-use tables are the 2024 world's. ``k`` is ``N / 23`` rounded (at least
1). Licence files scale with orders: they are per exporter-buyer pair and order, so a
world of ``k`` copies files about ``k`` times as many applications, each ``1/k`` the size.
Every row's source says it is a synthetic copy (``[assumption]``).
"""

from __future__ import annotations

import dataclasses

from sim.config.tables import DEFAULT, Tables, load

COPIED = ("automakers", "industries", "defense", "tier1s")
"""The kinds copied (the buyers and the tier-1s between them and the sellers)."""
PER_COPY = "#"


def copies_for(n: int) -> int:
    """How many copies of the 2024 buyer chain make about ``n`` buyer firms."""
    base = load(DEFAULT)
    per = sum(len(base.rows[k]) for k in COPIED)
    return max(1, round(n / per))


def _scaled(firm, k: int, r: int):
    f = dataclasses.replace(firm, name=f"{firm.name}{PER_COPY}{r}",
                            note=f"[assumption] synthetic copy {r} of {firm.name} at 1/{k} "
                            "of its size (sim/config/synthetic.py)")
    if hasattr(f, "vehicles_per_day"):
        f.vehicles_per_day = firm.vehicles_per_day / k
    if hasattr(f, "need_tpd"):
        f.need_tpd = {m: t / k for m, t in firm.need_tpd.items()}
    if getattr(f, "ndfeb_tpd", None) is not None:
        f.ndfeb_tpd = firm.ndfeb_tpd / k
    return f


def synthetic(n: int) -> Tables:
    """The tables of a synthetic world of about ``n`` buyer firms (module docstring)."""
    base = load(DEFAULT)
    k = copies_for(n)
    rows, lines = dict(base.rows), {}
    for kind in COPIED:
        rows[kind] = tuple(_scaled(f, k, r) for r in range(k) for f in base.rows[kind])
    rows["links"] = tuple(
        dataclasses.replace(x, supplier=f"{x.supplier}{PER_COPY}{r}",
                            customer=f"{x.customer}{PER_COPY}{r}")
        for r in range(k) for x in base.rows["links"])
    lines = {t: tuple(range(2, 2 + len(v))) for t, v in rows.items()}
    return Tables(f"synthetic world of {k} copies", rows, lines)
