"""The printed summary of a run: plants by first halt, money, prices, policy events."""

from __future__ import annotations

import pandas as pd


def usd(x) -> str:
    """USD with a sensible unit: 1.23 bn, 45.6 M, 789 k."""
    if x is None:
        return "n/a"
    a = abs(x)
    for div, suf in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if a >= div:
            return f"USD {x / div:,.{1 if a < 100 * div else 0}f}{suf}"
    return f"USD {x:,.0f}"


def _n(x, fmt: str = ",.0f", none: str = "-") -> str:
    return none if x is None or (isinstance(x, float) and pd.isna(x)) else format(x, fmt)


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    w = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: indent + "  ".join(  # noqa: E731
        str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i]) for i, c in enumerate(r))
    return [fmt(header), *[fmt(r) for r in rows]]


def plant_lines(k: dict) -> list[str]:
    """Automakers sorted by first halt (never-halted last)."""
    plants = {n: p for n, p in (k.get("plants") or {}).items() if p["kind"] == "automaker"}
    if not plants:
        return []
    order = sorted(plants, key=lambda n: (plants[n]["first_halt"] or "9999", n))
    first_out = k.get("tier_first_out") or {}
    made_up = any(p.get("deferred_vehicles") for p in plants.values())
    rows = []
    for n in order:
        p = plants[n]
        row = [n, p["first_halt"] or "never", _n(p["halt_days"]), _n(p["n_halts"]),
               _n(p["lost_vehicles"])]
        if made_up:
            row.append(_n(p.get("lost_vehicles_net")))
        row += [usd(p["lost_revenue_usd"]) if p["lost_revenue_usd"] else "-",
                _n(p["min_cover_days"], ".1f"), _n(p["buffer_needed_days"], ".1f"),
                usd(p["buffer_carrying_cost_usd_per_yr"]) + "/yr"
                if p["buffer_carrying_cost_usd_per_yr"] else "-"]
        if first_out:
            f = first_out.get(n)
            row.append(f"{f['ran_out_first']} ({(f['tier1_out'] or {}).get(f['ran_out_first'])})"
                       if f and f["ran_out_first"] != "plant" else (f and "plant") or "-")
        rows.append(row)
    head = ["plant", "first halt", "halt days", "episodes", "lost vehicles"]
    head += ["never made up"] if made_up else []
    head += ["lost revenue", "min cover d", "buffer needed d", "buffer carrying cost"]
    head += ["ran out first (day)"] if first_out else []
    return _table(head, rows)


def _price_lines(k: dict) -> list[str]:
    moves = k.get("price_moves") or {}
    rows = []
    for m, sides in moves.items():
        for side, v in sides.items():
            where = "outside CN" if side == "ex_cn" else "inside CN"
            flat = v["peak"] - v["trough"] < 0.005
            rows.append([f"{m} ({where})", f"{v['start_usd_per_kg']:,.0f} USD/kg",
                         "flat" if flat else f"x{v['peak']:.2f} {v['peak_date']}",
                         "flat" if flat else f"x{v['trough']:.2f} {v['trough_date']}",
                         f"x{v['end']:.2f}"])
    return _table(["price", "start", "peak", "trough", "end"], rows) if rows else []


def event_lines(out: dict) -> list[str]:
    """One line per policy event applied (events table, fired; government levers are events
    too)."""
    rows = []
    ev = out.get("events")
    if ev is not None and len(ev):
        for _, e in ev[ev["fired"].astype(bool)].iterrows():
            end = f" until {e['end']:%Y-%m-%d}" if pd.notna(e["end"]) else ""
            rows.append((e["date"].date().isoformat(), f"{e['label']} [{e['kind']}]{end}"))
    return [f"  {i:>2}. {d}  {lab}" for i, (d, lab) in enumerate(sorted(rows), 1)]


def kpi_lines(k: dict) -> list[str]:
    """The headline numbers (no tables): output, trade, licences, markets, defence."""
    halts = {a: d for a, d in k["first_halt"].items() if d}
    lic = (f"{k['licence_wait_days_p50']:.0f} / {k['licence_wait_days_p90']:.0f} days"
           if k["licence_wait_days_p50"] is not None else "no licence decisions")
    rows = [
        ("lost vehicles", f"{k['lost_vehicles']:,.0f} ({k['lost_vehicle_share']:.2%} of plan)"
         f", {len(halts)} of {len(k['first_halt'])} plants halted"),
        *([("made up with overtime", f"{k['deferred_vehicles']:,.0f} vehicles (never made "
             f"up: {k['lost_vehicles_net']:,.0f})")] if k.get("deferred_vehicles") else []),
        ("lost revenue", usd(k.get("lost_revenue_usd"))),
        ("extra magnet spend", usd(k.get("extra_magnet_spend_usd")) + " (price rises)"),
        ("buffer carrying cost", usd(k.get("buffer_carrying_cost_usd_per_yr")) + "/yr "
         "(stock that would have avoided every halt)"),
        ("Chinese exports", f"{k['exports_t_per_month']:,.0f} t/month"),
        ("licence wait p50 / p90", lic),
        ("price peak / start", ", ".join(f"{m} x{r:.2f}" for m, r in
                                         k["price_peak_ratio"].items())),
        ("mines closed", str(k.get("mines_closed", 0))),
        ("non-CN supply share (end)", f"{k['non_china_supply_share_end']:.1%}"
         if k.get("non_china_supply_share_end") is not None else "n/a"),
        ("defence min cover / days not ready",
         f"{_n(k.get('defense_min_cover_days'), '.0f')} days / "
         f"{_n(k.get('defense_days_not_ready'))} days"),
    ]
    smuggled = [f"{m} to {c} {t:,.1f} t" for m, by in (k.get("smuggled_t") or {}).items()
                for c, t in by.items()]
    if smuggled:
        rows.append(("smuggled (leakage)", ", ".join(smuggled)))
    held = k.get("held_at_customs_t") or {}
    if held:
        rows.append(("held at customs by bars", ", ".join(f"to {c} {t:,.1f} t"
                                                          for c, t in held.items())))
    lost_t = {b: t for b, t in (k.get("lost_demand_t") or {}).items() if t > 0}
    rows.append(("buyers' lost demand", ", ".join(f"{b} {t:,.1f} t" for b, t in lost_t.items())
                 or "none"))
    w = max(len(r[0]) for r in rows)
    return [f"  {a:<{w}}  {b}" for a, b in rows]


def calibration_lines(meta: dict) -> list[str]:
    """What a calibration set in this run and where the values come from."""
    c = meta.get("calibrated") or {}
    if not c.get("name"):
        return []
    values = ", ".join(f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}"
                       for k, v in (c.get("values") or {}).items())
    return [f"  calibrated ({c['name']}): {values}", f"    [{c.get('source', '')}]"]


def summary_lines(out: dict) -> list[str]:
    """The whole printed summary of a run (``out``: tables, ``kpis`` and ``meta``)."""
    k = out["kpis"]
    lines = kpi_lines(k) + calibration_lines(out.get("meta") or {})
    pl = plant_lines(k)
    if pl:
        lines += ["", "plants, by first halt:", *pl]
    pr = _price_lines(k)
    if pr:
        lines += ["", "prices (ratios to the first day, with dates):", *pr]
    ev = event_lines(out)
    lines += ["", "policy events applied:" if ev else "policy events applied: none", *ev]
    return lines
