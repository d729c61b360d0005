"""The parameter table: every config field with type, unit, default, bounds, text, source.

``python -m sim.config.parameters`` prints it; ``... --write`` regenerates
``docs/parameters.md`` (a test checks that file is up to date). Both derive from the
registry entries of `sim.config` (see `sim.config.registry.p`).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from sim.config import RunConfig
from sim.config.firm_kinds import FIRM_KINDS
from sim.config.paths import DOCS_DIR
from sim.config.registry import (
    DATE_MAX,
    DATE_MIN,
    MAX_DAYS,
    REGIONS,
    UNITS,
    hints,
    spec_of,
    type_name,
    unwrap,
)


@dataclass
class Row:
    """One line of the parameter table."""

    path: str
    type: str
    unit: str
    default: Any
    bounds: str
    desc: str
    source: str
    name: str = ""  # a short name for axes (the registry's ``name``)
    acts_in: str = ""  # a run in which it changes a KPI (the registry's ``acts_in``)


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _list_rows(path: str, type_text: str, desc: str, item: type, seen: dict) -> list[Row]:
    if item in seen:
        desc += f" (fields as {seen[item]}[])"
    out = [Row(path, type_text, "-", None, "", desc, "see the fields' rows")]
    if item not in seen:
        seen[item] = path
        out += rows(item, f"{path}[]", seen)
    return out


def rows(cls: type, prefix: str = "", _seen: dict | None = None) -> list[Row]:
    """The parameter table of config class ``cls``: one row per leaf field (nested
    configs are walked; a list of configs gets a row, then ``list[].field`` rows the first
    time its item class appears, e.g. ``world.mines[]`` but not ``world.add_mines[]``)."""
    out: list[Row] = []
    th = hints(cls)
    seen = {} if _seen is None else _seen
    for f in dataclasses.fields(cls):
        path = f"{prefix}.{f.name}" if prefix else f.name
        typ, _ = unwrap(th[f.name])
        if dataclasses.is_dataclass(typ):
            out += rows(typ, path, seen)
            continue
        if f.metadata.get("kinds"):  # world.firms / world.add: one list per firm kind
            for key, kind in FIRM_KINDS.items():
                out += _list_rows(f"{prefix}.{key}" if f.name == "firms" else
                                  f"{prefix}.{f.name}.{key}", f"list[{kind.conf.__name__}]",
                                  f"{kind.doc} ({f.metadata['group']})", kind.conf, seen)
            continue
        if get_origin(typ) is list and dataclasses.is_dataclass(get_args(typ)[0]):
            item = get_args(typ)[0]
            desc = f.metadata.get("group", "")
            if item in seen:
                desc += f" (fields as {seen[item]}[])"
            out.append(Row(path, type_name(th[f.name]), "-", _default(f), "", desc,
                           "see the fields' rows"))
            if item not in seen:
                seen[item] = path
                out += rows(item, f"{path}[]", seen)
            continue
        s = spec_of(f)
        if s is None:
            out.append(Row(path, type_name(th[f.name]), "", _default(f), "", "", ""))
            continue
        bounds = s.bounds_text()
        vocab = [f"keys: {k}" for k in s.keys] + ([f"names a {s.kind}"] if s.kind else [])
        bounds = "; ".join(x for x in [bounds, *vocab] if x)
        out.append(Row(path, type_name(th[f.name]), s.unit, _default(f), bounds, s.desc,
                       s.source, s.name, s.acts_in))
    return out


DOC = DOCS_DIR / "parameters.md"
COLUMNS = ("path", "type", "unit", "default", "bounds", "desc", "source")


def table() -> list[Row]:
    """Every leaf parameter of a run, in schema order (firm kinds as ``list[].field``)."""
    return rows(RunConfig)


def _get(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def changed(cfg: RunConfig) -> list[dict]:
    """The settings of ``cfg`` that differ from the schema's defaults (leaf parameters, not
    the world's firm tables or the events): [{path, value, default, unit, source}]."""
    ref = RunConfig()
    out = []
    for r in table():
        if "[]" in r.path or r.path in ("scenario_name", "world.firm_overrides") or \
                r.source == "see the fields' rows":
            continue
        v, d = _get(cfg, r.path), _get(ref, r.path)
        if v != d and not (v is None and d is None):
            out.append({"path": r.path, "value": _fmt(v), "default": _fmt(d), "unit": r.unit,
                        "source": r.source})
    return out


def _fmt(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list) and value and hasattr(value[0], "__dataclass_fields__"):
        return f"{len(value)} {type(value[0]).__name__}"
    return str(value)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """``docs/parameters.md``: the units vocabulary, then the parameter table."""
    head = [
        "# Parameters",
        "",
        "Generated by `magnet-sim docs` from the registry entries of",
        "`sim/config/` (do not edit by hand; `tests/test_config_registry.py` checks it).",
        "Firm rows (`world.<kind>[].field`) are the columns of the world tables",
        "(`sim/config/worlds/2024/<kind>.csv`, see `sim/config/tables.py`); `[assumption]` "
        "marks",
        "numbers no source pins down; `[sources: <id>]` points to a row of `docs/sources.md`.",
        "To add a parameter, declare one `p(default, unit=..., desc=..., source=..., lo=...)`",
        "field in the module of its concept (`sim/config/firms.py`, `world.py`, `policy.py`,",
        "`markets.py`, `run.py`) and rerun `magnet-sim docs`.",
        "",
        f"Dates must lie between {DATE_MIN} and {DATE_MAX}; a run lasts at most {MAX_DAYS} days.",
        "Countries are ISO 3166-1 alpha-2 codes; declared regions (not yet accepted by any",
        f"field): {', '.join(f'{k} ({len(v)} countries)' for k, v in REGIONS.items())}.",
        "",
        "## Units",
        "",
        "| unit | meaning |",
        "|---|---|",
        *(f"| `{u}` | {_md_cell(m)} |" for u, m in UNITS.items()),
        "",
        "## Parameters",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    body = [
        "| " + " | ".join([f"`{r.path}`", _md_cell(f"`{r.type}`"), f"`{r.unit}`", _md_cell(_fmt(
            r.default)), _md_cell(r.bounds), _md_cell(r.desc), _md_cell(r.source)]) + " |"
        for r in table()
    ]
    return "\n".join(head + body) + "\n"


def text() -> str:
    """The table as plain text, one block per parameter."""
    out = []
    for r in table():
        bounds = f"  [{r.bounds}]" if r.bounds else ""
        out.append(f"{r.path}  ({r.type}, {r.unit})  default {_fmt(r.default)}{bounds}\n"
                   f"    {r.desc}\n    source: {r.source}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.config.parameters", description=__doc__)
    ap.add_argument("--write", action="store_true", help=f"regenerate {DOC}")
    ap.add_argument("--markdown", action="store_true", help="print the markdown table")
    args = ap.parse_args(argv)
    if args.write:
        DOC.write_text(markdown(), encoding="utf-8")
        print(f"wrote {DOC} ({len(table())} parameters)")
    else:
        sys.stdout.write(markdown() if args.markdown else text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
