"""World tables: the firms of a world as typed CSV tables, one file per firm kind.

A world is a folder with ``exporters.csv``, ``automakers.csv``, ``industries.csv``,
``defense.csv``, ``mines.csv``, ``makers.csv`` (a missing file: no firms of that
kind), ``links.csv`` (standing supply links: supplier, customer, product, share; the
2024 vintage has none, so buyers pick sellers in proportion to capacity) and
``demand.csv`` (the demand path: from ``date``, buyers of ``kind`` need ``multiplier``
times their table size, applied by `sim.demand`; empty in 2024, OICA vehicle output by
year in 2009; a folder may omit it) and ``end_uses.csv`` (the Dy/Tb-bearing share of each
end use's NdFeB, which splits a buyer's ``ndfeb_tpd`` by its ``end_uses``; checked by
`resolve`). Columns are
the fields of the kind's config class (`sim.config.FIRM_KINDS`, `LinkConf`); a map field
takes one column per key (``capacity_tpy.ndfeb``, ``capacity_additions.2028-01-01.
ndfeb``); numeric columns carry their unit in brackets, checked against the parameter
registry (``capacity_tpy.ndfeb [t/yr]``); an empty cell takes the schema default; the
``source`` column (the firm's ``note``) cites the row's numbers or says ``[assumption]``
and may not be empty. CSV was chosen over YAML because a world is a table an analyst
edits in a spreadsheet, one firm per row, and it diffs line by line.

``world.tables`` names a vintage shipped here (``2024``, ``2009``, read as package data through
`importlib.resources`) or a folder of the user's own tables. `resolve` fills a
`WorldConf`'s firm lists from its tables, appends ``add_*`` firms and applies
``firm_overrides`` by name. The core never reads files: `WorldConf` calls `resolve` when
it is built (tables are read once per process and cached), before any model exists.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import io
from importlib import resources
from pathlib import Path
from typing import Any, get_origin

from sim.config.border import ChinaElementConf, ContentConf
from sim.config.firms import (
    FIRM_KINDS,
    DemandConf,
    EndUseConf,
    LinkConf,
    end_use_error,
    hre_shares,
)
from sim.config.registry import (
    check,
    hints,
    spec_of,
    suggest,
    unwrap,
)
from sim.config.world import WorldConf
from sim.domain.errors import ConfigError

DEFAULT = "2024"
VINTAGES = ("2009", "2024")
"""World vintages shipped with the model (folders of this package), oldest first."""
SOURCE = "source"
TABLES: dict[str, type] = {**FIRM_KINDS, "links": LinkConf, "content": ContentConf,
                           "china": ChinaElementConf, "demand": DemandConf,
                           "end_uses": EndUseConf}
"""Every table of a world: one per firm kind, the supply links, the element content of
magnet grades, China's own balance per element, the demand path and the Dy/Tb-bearing
share of each end use's NdFeB."""
SPLIT_KINDS = ("industries", "defense")
"""Buyers whose NdFeB may be split by end use (``end_uses`` with ``ndfeb_tpd``)."""


def _folder_files(tables: str) -> tuple[str, dict[str, str]]:
    """(label, {file name: text}) of the world named by ``tables``."""
    if tables in VINTAGES:
        root = resources.files("sim.config") / "worlds" / tables
        label = f"world {tables}"
    else:
        root = Path(tables)
        if not root.is_dir():
            raise ConfigError(f"world.tables: no world vintage or folder {tables!r}; "
                              f"vintages: {list(VINTAGES)}{suggest(tables, VINTAGES)}")
        label = str(root)
    files = {}
    for entry in root.iterdir():
        if entry.name.endswith(".csv"):
            files[entry.name] = entry.read_text(encoding="utf-8-sig")  # Excel's BOM too
    known = [f"{k}.csv" for k in TABLES]
    for name in files:
        if name not in known:
            raise ConfigError(f"{label}/{name}: unknown table{suggest(name, known)}; "
                              f"known: {known}")
    return label, files


def _parse(cell: str, typ: Any, where: str) -> Any:
    typ, _ = unwrap(typ)
    try:
        if typ is bool:
            if cell.lower() not in ("true", "false"):
                raise ValueError
            return cell.lower() == "true"
        if typ is int:
            return int(cell)
        if typ is float:
            return float(cell)
    except ValueError:
        raise ConfigError(f"{where}: must be {typ.__name__}, got {cell!r}") from None
    return cell


def _header(col: str, cls: type, where: str) -> tuple[list[str], Any]:
    """Split ``field.key [unit]`` into its path and the type of its cells."""
    name, _, unit = col.partition(" [")
    path = name.strip().split(".")
    th, fields = hints(cls), {f.name: f for f in dataclasses.fields(cls)}
    field = "note" if path[0] == SOURCE else path[0]
    if field not in fields or field == "note" and path[0] != SOURCE:
        known = [SOURCE if f == "note" else f for f in fields]
        raise ConfigError(f"{where}: unknown column {path[0]!r}{suggest(path[0], known)}; "
                          f"known: {known}")
    typ, _ = unwrap(th[field])
    depth = 0
    while get_origin(typ) is dict:
        typ, depth = typ.__args__[1], depth + 1
    if depth != len(path) - 1:
        raise ConfigError(f"{where}: column {name!r} needs {depth} key(s) after "
                          f"{field!r} (e.g. {field}.ndfeb)")
    spec = spec_of(fields[field])
    unit = unit.rstrip("]").strip() if unit else ""
    if typ in (int, float) and spec is not None and unit != spec.unit:
        raise ConfigError(f"{where}: column {name!r} is in {spec.unit!r}, write its header "
                          f"as '{name} [{spec.unit}]', got {col!r}")
    return [field, *path[1:]], typ


def read_table(kind: str, text: str, label: str) -> list:
    """The rows of one table (firms of a kind, or links) as typed, checked configs."""
    cls = TABLES[kind]
    where = f"{label}/{kind}.csv"
    reader = csv.reader(io.StringIO(text))
    head = next(reader, None)
    if not head:
        return []
    cols = [_header(c, cls, f"{where}: header") for c in head]
    seen = [".".join(path) for path, _ in cols]
    for name in seen:
        if seen.count(name) > 1:
            raise ConfigError(f"{where}: header: column {name!r} appears {seen.count(name)} "
                              "times")
    firms = []
    for line, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(cols):
            raise ConfigError(f"{where}:{line}: {len(row)} cells for {len(cols)} columns")
        data: dict[str, Any] = {}
        for (path, typ), cell in zip(cols, row, strict=True):
            cell = cell.strip()
            if cell == "":
                continue
            node = data
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = _parse(cell, typ, f"{where}:{line}.{'.'.join(path)}")
        if not data.get("note"):
            raise ConfigError(f"{where}:{line}: the {SOURCE!r} cell is empty; cite the row's "
                              "numbers or write [assumption]")
        firm = cls(**data)
        check(firm, f"{where}:{line}")
        firms.append(firm)
    return firms


def _load(tables: str) -> dict[str, tuple]:
    """A vintage's tables are read once per process; a user's folder at every call (so
    edits to it are seen)."""
    return _load_vintage(tables) if tables in VINTAGES else _read(tables)


@functools.lru_cache(maxsize=len(VINTAGES))
def _load_vintage(tables: str) -> dict[str, tuple]:
    return _read(tables)


def _read(tables: str) -> dict[str, tuple]:
    label, files = _folder_files(tables)
    return {k: tuple(read_table(k, files[f"{k}.csv"], label)) if f"{k}.csv" in files else ()
            for k in TABLES}


def load_tables(tables: str = "2024") -> dict[str, list]:
    """The firms of a world (a vintage or a folder), by kind; fresh copies each call."""
    return {k: [copy.deepcopy(f) for f in firms] for k, firms in _load(str(tables)).items()}


def _override(firm: Any, changes: dict, where: str) -> None:
    names = [f.name for f in dataclasses.fields(firm)]
    for key, value in changes.items():
        if key not in names or key == "name":
            raise ConfigError(f"{where}.{key}: not a field of {type(firm).__name__} that "
                              f"can be overridden{suggest(key, names)}")
        old = getattr(firm, key)
        if isinstance(old, dict) and isinstance(value, dict):
            value = {**old, **value}
        setattr(firm, key, value)


def resolve(world: WorldConf) -> WorldConf:
    """Fill ``world``'s firm lists from its tables (lists left null), append the
    ``add_*`` firms and apply ``firm_overrides``; then clear those edits, so resolving
    again changes nothing. Returns ``world`` (changed in place)."""
    base, default = None, None
    from_tables: set[str] = set()
    for kind in TABLES:
        given = getattr(world, kind)
        if given is not None and kind in ("links", "tier1s"):
            default = default or _load(DEFAULT)
            if tuple(given) == default[kind]:  # the schema's default (as the CLI passes it)
                from_tables.add(kind)
        if given is not None and world.tables != DEFAULT:
            default = default or _load(DEFAULT)
            if tuple(given) == default[kind]:
                given = None  # the schema's default list: take the named tables' instead
        if given is None:
            base = base or load_tables(world.tables)
            setattr(world, kind, base[kind])
            from_tables.add(kind)
    for kind in FIRM_KINDS:
        added = getattr(world, f"add_{kind}")
        if added:  # a new list: the caller's own list object is left as it was
            setattr(world, kind, [*getattr(world, kind), *added])
            setattr(world, f"add_{kind}", [])
    by_name = {f.name: f for kind in FIRM_KINDS for f in getattr(world, kind)}
    for name, changes in world.firm_overrides.items():
        where = f"world.firm_overrides.{name}"
        if name not in by_name:
            raise ConfigError(f"{where}: no firm named {name!r}{suggest(name, by_name)}; "
                              f"known: {sorted(by_name)}")
        if not isinstance(changes, dict):
            raise ConfigError(f"{where}: must be a mapping {{field: value}}, got {changes!r}")
        _override(by_name[name], dict(changes), where)
    world.firm_overrides = {}
    _prune_table_links(world, from_tables)
    shares = hre_shares(world)
    seen: set[str] = set()
    for i, row in enumerate(world.end_uses or ()):
        if row.end_use in seen:
            raise ConfigError(f"world.end_uses[{i}].end_use: {row.end_use!r} given twice")
        seen.add(row.end_use)
    for kind in SPLIT_KINDS:
        for i, firm in enumerate(getattr(world, kind) or ()):
            why = end_use_error(firm, shares)
            if why:
                raise ConfigError(f"world.{kind}[{i}].{why} ({firm.name})")
    return world


def _prune_table_links(world: WorldConf, from_tables: set[str]) -> None:
    """Links that came from the tables describe the tables' firms: where the caller gave
    its own firm lists, drop the table links naming firms no longer in the world, then
    the table tier-1s left with no plant. Links and tier-1s the caller gave are kept
    (and checked: an unknown name is an error)."""
    if "links" not in from_tables:
        return
    names = {f.name for kind in FIRM_KINDS for f in getattr(world, kind) or ()}
    world.links = [x for x in world.links or () if x.supplier in names and x.customer in names]
    if "tier1s" in from_tables and world.tier1s:
        linked = {x.supplier for x in world.links}
        world.tier1s = [t for t in world.tier1s if t.name in linked]


def write_tables(world: WorldConf, folder: str | Path) -> Path:
    """Write ``world``'s firms as tables into ``folder`` (the inverse of `load_tables`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for kind, cls in TABLES.items():
        firms = getattr(world, kind) or []
        th = hints(cls)
        cols: list[tuple[str, list[str]]] = []
        for f in dataclasses.fields(cls):
            if f.name == "note":
                continue
            paths = list(dict.fromkeys(k for x in firms for k in _flat_keys(getattr(x, f.name))))
            typ, _ = unwrap(th[f.name])
            unit = f" [{spec_of(f).unit}]" if _numeric(typ) else ""
            if get_origin(typ) is dict:
                cols += [(f"{f.name}.{'.'.join(k)}{unit}", [f.name, *k]) for k in paths]
            else:
                cols.append((f"{f.name}{unit}", [f.name]))
        cols.append((SOURCE, ["note"]))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([c for c, _ in cols])
        for x in firms:
            w.writerow([_cell(x, path) for _, path in cols])
        (folder / f"{kind}.csv").write_text(buf.getvalue(), encoding="utf-8")
    return folder


def _flat_keys(value: Any, prefix: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in _flat_keys(v, (*prefix, key))]
    return [prefix] if prefix else []


def _numeric(typ: Any) -> bool:
    while get_origin(typ) is dict:
        typ = typ.__args__[1]
    return typ in (int, float)


def _cell(firm: Any, path: list[str]) -> str:
    value: Any = getattr(firm, path[0])
    for key in path[1:]:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)
