"""A synthetic world of any size: ``world=synthetic world.firms=N``.

It copies the 2024 world's buyer chain ``k`` times (each assembly plant with its own
tier-1 suppliers and their links, every industrial buyer and the defence prime), each copy
at ``1/k`` of its table size (vehicles a day, tonnes a day), so ``k x 23`` buyer firms use
exactly what the 2024 world's 23 do: Chinese exports and prices hold at any size. The
sellers (exporters, raw-material exporters, non-Chinese makers, mines), China's balance,
the content and end-use tables are the 2024 world's. ``k`` is ``N / 23`` rounded (at least
1). Licence files scale with orders: they are per exporter-buyer pair and order, so a
world of ``k`` copies files about ``k`` times as many applications, each ``1/k`` the size.
Every row's source says it is a synthetic copy (``[assumption]``). A scenario that names
base firms runs on it: an override of a base firm changes each of its copies, sizes split
among them (`per_copy`), and a buyer named in an event or a licensing list stands for its
copies (`name_copies`).
"""

from __future__ import annotations

import dataclasses

from sim.config.tables import DEFAULT, SYNTHETIC, Tables, load

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


SIZE_FIELDS = ("vehicles_per_day", "need_tpd", "ndfeb_tpd")
"""The fields a copy holds at ``1/k`` of its base firm's value (`_scaled`)."""


def copies_of(name: str, names) -> list[str]:
    """The synthetic copies of the base firm ``name`` among ``names`` (``name#0``,
    ``name#1``, ...), in copy order; none when ``name`` was not copied."""
    head = name + PER_COPY
    found = [(int(n[len(head):]), n) for n in names
             if n.startswith(head) and n[len(head):].isdigit()]
    return [n for _, n in sorted(found)]


def per_copy(changes: dict, k: int) -> dict:
    """A base firm's overrides as each of its ``k`` copies takes them: the sizes
    (`SIZE_FIELDS`) at ``1/k``, as the copies hold the base firm's, so the copies
    together change what the base firm would; every other field as given."""
    def part(v):
        return v / k if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    return {key: ({m: part(t) for m, t in v.items()} if isinstance(v, dict) else part(v))
            if key in SIZE_FIELDS else v for key, v in changes.items()}


def name_copies(cfg) -> None:
    """In a synthetic world, a buyer a scenario names by its base firm (events'
    ``customers``, ``licensing.general_licence_customers`` and
    ``licensing.fast_track_whitelist``) stands for each of its copies, as
    ``world.firm_overrides`` does (`sim.config.resolve`); other names are left as given
    (the checks name any that match no firm)."""
    if cfg.world.tables != SYNTHETIC:
        return
    copies: dict[str, list[str]] = {}
    for items in cfg.world.firms.values():
        for f in items:
            base, _, r = f.name.rpartition(PER_COPY)
            if base and r.isdigit():
                copies.setdefault(base, []).append(f.name)

    def expand(names):
        if not isinstance(names, list):
            return names
        return [c for n in names for c in copies.get(n, [n])]

    lic = cfg.licensing
    lic.general_licence_customers = expand(lic.general_licence_customers)
    lic.fast_track_whitelist = expand(lic.fast_track_whitelist)
    for ev in cfg.events or ():
        if hasattr(ev, "customers"):
            ev.customers = expand(ev.customers)
