"""What a scenario puts in, as Markdown: its horizon and world, the settings it changes from
the baseline, its events with dates and sources (inputs only, no outcomes). The README's
generated ``replays`` block is made from it (`sim.cli.docs`)."""

from __future__ import annotations

from typing import Any

from sim.cli.compose import compose
from sim.config.firm_kinds import FIRM_KINDS
from sim.config.tables import OTHER_TABLES

# --------------------------------------------------------------------------- inputs
EVENT_META = ("set", "id", "date", "day", "label", "source")


def _flat(d: Any, prefix: str = "") -> dict:
    if isinstance(d, dict) and d:
        out = {}
        for k, v in d.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: d}


def _show(v: Any) -> str:
    if isinstance(v, list):
        return ", ".join(map(_show, v))
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_show(x)}" for k, x in v.items())
    if isinstance(v, float) and v == int(v):
        v = int(v)
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10000 \
        else str(v)


def _firm_changes(flat: dict, ref: dict, tables) -> list[str]:
    """Field-by-field changes to named firms of the same world tables (overrides)."""
    out = []
    for key in sorted(tables):
        rows, was_rows = flat.get(key) or [], ref.get(key) or []
        if not all(isinstance(f, dict) and "name" in f for f in [*rows, *was_rows]):
            if rows != was_rows:  # a table of rows without names (content, china, ...)
                out.append(f"`{key}` edited")
            continue
        old = {f.get("name"): f for f in was_rows}
        for firm in rows:
            was = old.get(firm.get("name"))
            if was is None:
                out.append(f"`{key}` adds {firm.get('name')}")
                continue
            diff = [f"{k} {_show(v)}" for k, v in firm.items() if was.get(k) != v]
            if diff:
                out.append(f"{firm['name']}: " + ", ".join(diff))
    return out


def scenario_inputs(names: tuple[str, ...] | list[str], reference: str = "baseline") -> str:
    """What each scenario puts in (inputs only, no outcomes), as Markdown: its horizon and
    world, the settings it changes from ``scenario=<reference>``, and its events with dates
    and sources. Composed as a run composes it (the README's generated ``replays`` block)."""
    import datetime as dt

    from omegaconf import OmegaConf


    def plain(name: str) -> dict:
        return OmegaConf.to_container(OmegaConf.structured(compose(name)))

    ref = _flat({k: v for k, v in plain(reference).items() if k != "events"})
    out = []
    for name in names:
        d = plain(name)
        end = dt.date.fromisoformat(str(d["start"])) + dt.timedelta(days=int(d["days"]) - 1)
        out += [f"**`scenario={name}`**: {d['start']} to {end} ({d['days']} days), world "
                f"`{d['world']['tables']}`, licensing variant `{d['licensing']['name']}`.", ""]
        flat = _flat({k: v for k, v in d.items() if k != "events"})
        tables = {f"world.firms.{k}" for k in FIRM_KINDS} | {f"world.{t}" for t in OTHER_TABLES}
        changed = [k for k in flat if k not in ("scenario_name", "start", "days")
                   and k not in tables and flat[k] != ref.get(k)]
        notes = [f"`{k}` = {_show(flat[k])}" for k in changed]
        if d["world"]["tables"] == plain(reference)["world"]["tables"]:
            notes += _firm_changes(flat, ref, tables)
        if notes:
            out.append("Settings changed from the baseline: " + "; ".join(notes) + ".")
            out.append("")
        out += ["| date | event | what | label | source |", "|---|---|---|---|---|"]
        for e in d.get("events") or []:
            when = e.get("date") or (f"day {e['day']}" if e.get("day") is not None else "")
            what = "; ".join(f"{k.replace('_', ' ')} {_show(v)}" for k, v in e.items()
                             if k not in EVENT_META and v is not None)
            cells = [when, e["set"], what, e.get("label") or "", e.get("source") or ""]
            out.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n")


