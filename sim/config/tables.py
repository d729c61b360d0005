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
`importlib.resources`) or a folder of the user's own tables. `sim.config.resolve` fills
a `WorldConf`'s firm lists from its tables. The core never reads files.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, get_origin

from sim.config.border import ChinaElementConf, ContentConf
from sim.config.firm_kinds import FIRM_KINDS
from sim.config.firms import DemandConf, EndUseConf, LinkConf
from sim.config.reader import MAX_CELL_CHARS, read_text
from sim.config.registry import check, hints, spec_of, unwrap
from sim.config.stocks import StockRangeConf
from sim.domain.errors import ConfigError, suggest

DEFAULT = "2024"
VINTAGES = ("2009", "2024")
"""World vintages shipped with the model (``sim/config/worlds/<vintage>``), oldest first."""
SYNTHETIC = "synthetic"
"""``world.tables=synthetic``: copies of the 2024 buyer chain (`sim.config.synthetic`)."""
SOURCE = "source"
OTHER_TABLES: dict[str, type] = {"links": LinkConf, "content": ContentConf,
                                 "china": ChinaElementConf, "demand": DemandConf,
                                 "end_uses": EndUseConf, "stocks": StockRangeConf}
"""The tables of a world besides one per firm kind: the supply links, the element content
of magnet grades, China's own balance per element, the demand path and the Dy/Tb-bearing
share of each application's NdFeB, and the structural stock ranges (`sim.config.stocks`:
one shared table, ``sim/config/data/stocks.csv``, unless a world's folder holds its own)."""
SHARED = {"stocks.csv": "data/stocks.csv"}
"""Tables every world shares unless its folder has its own (package data of sim.config)."""


def table_classes() -> dict[str, type]:
    """Every table of a world and the config class of its rows (firm kinds first)."""
    return {**{k: kind.conf for k, kind in FIRM_KINDS.items()}, **OTHER_TABLES}


@dataclass(frozen=True)
class Tables:
    """A world's tables as read: rows per table and the line of each row."""

    label: str
    rows: dict[str, tuple]
    lines: dict[str, tuple]


def _folder_files(tables: str) -> tuple[str, dict[str, str]]:
    """(label, {file name: text}) of the world named by ``tables``."""
    known = [f"{k}.csv" for k in table_classes()]
    if tables == SYNTHETIC:
        raise ConfigError("world.tables: the synthetic world is made, not read: it has no "
                          "folder of tables")
    if tables in VINTAGES:
        root = resources.files("sim.config") / "worlds" / tables
        return f"world {tables}", _shared({e.name: e.read_text(encoding="utf-8")
                                           for e in root.iterdir() if e.name.endswith(".csv")})
    root = Path(tables)
    if not root.is_dir():
        raise ConfigError(f"world.tables: no world vintage or folder {tables!r}; "
                          f"vintages: {list(VINTAGES)}{suggest(tables, VINTAGES)}")
    files = {}
    for entry in sorted(root.iterdir()):
        if entry.name.endswith(".csv"):
            if entry.name not in known:
                raise ConfigError(f"{root}/{entry.name}: unknown table"
                                  f"{suggest(entry.name, known)}; known: {known}")
            files[entry.name] = read_text(entry, "world table")
    return str(root), _shared(files)


def _shared(files: dict[str, str]) -> dict[str, str]:
    """``files`` with the shared tables (`SHARED`) it lacks."""
    for name, rel in SHARED.items():
        if name not in files:
            files[name] = (resources.files("sim.config") / rel).read_text(encoding="utf-8")
    return files


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


def required_columns(cls: type) -> list[str]:
    """Columns a table of ``cls`` must have: every field but maps (one column per key,
    any keys) and the firm's ``note`` (the ``source`` column, checked on its own)."""
    th = hints(cls)
    return [f.name for f in dataclasses.fields(cls)
            if f.name != "note" and get_origin(unwrap(th[f.name])[0]) is not dict]


def read_table(kind: str, text: str, label: str) -> tuple[list, list[int]]:
    """The rows of one table as typed, checked configs, and the line of each.

    Every column of the schema must be there (`required_columns`; an empty cell takes the
    schema default, which `python -m sim.config.parameters` lists); a missing one is an
    error naming it, so a world never silently runs on defaults it did not choose."""
    cls = table_classes()[kind]
    where = f"{label}/{kind}.csv"
    reader = csv.reader(io.StringIO(text))
    head = next(reader, None)
    if not head:
        return [], []
    cols = [_header(c, cls, f"{where}: header") for c in head]
    seen = [".".join(path) for path, _ in cols]
    for name in seen:
        if seen.count(name) > 1:
            raise ConfigError(f"{where}: header: column {name!r} appears {seen.count(name)} "
                              "times")
    missing = [c for c in required_columns(cls) if c not in {p[0] for p, _ in cols}]
    if missing:
        raise ConfigError(f"{where}: header: missing column(s) {missing}; give each (an "
                          "empty cell takes the schema default), got "
                          f"{[c.partition(' [')[0] for c in head]}")
    if "note" not in seen:
        raise ConfigError(f"{where}: header: missing column 'source' (each row cites its "
                          "numbers)")
    rows, lines = [], []
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
            if len(cell) > MAX_CELL_CHARS:
                raise ConfigError(f"{where}:{line}.{'.'.join(path)}: a cell of {len(cell):,} "
                                  f"characters (at most {MAX_CELL_CHARS:,}), got "
                                  f"{cell[:20]!r}...")
            node = data
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = _parse(cell, typ, f"{where}:{line}.{'.'.join(path)}")
        if not data.get("note"):
            raise ConfigError(f"{where}:{line}: the {SOURCE!r} cell is empty; cite the row's "
                              "numbers or write [assumption]")
        firm = cls(**data)
        check(firm, f"{where}:{line}")
        rows.append(firm)
        lines.append(line)
    return rows, lines


@functools.lru_cache(maxsize=len(VINTAGES))
def _load_vintage(tables: str) -> Tables:
    return _read(tables)


def _read(tables: str) -> Tables:
    label, files = _folder_files(tables)
    rows, lines = {}, {}
    for k in table_classes():
        rows[k], lines[k] = (tuple(x) for x in read_table(k, files[f"{k}.csv"], label)) \
            if f"{k}.csv" in files else ((), ())
    return Tables(label, rows, lines)


def load(tables: str = DEFAULT) -> Tables:
    """A world's tables (a vintage is read once per process; a user's folder at every call,
    so edits to it are seen). Rows are shared: copy before changing them."""
    tables = str(tables)
    return _load_vintage(tables) if tables in VINTAGES else _read(tables)


def load_tables(tables: str = DEFAULT) -> dict[str, list]:
    """The rows of a world's tables by table; fresh copies each call."""
    return {k: [copy.deepcopy(f) for f in rows] for k, rows in load(tables).rows.items()}


def write_tables(world: Any, folder: str | Path, overwrite: bool = False) -> Path:
    """Write ``world``'s firms as tables into ``folder`` (the inverse of `load_tables`).

    A folder that already holds tables is refused (nothing is overwritten) unless
    ``overwrite``."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: exists and is not a folder")
    if not overwrite and folder.is_dir() and any(folder.glob("*.csv")):
        raise ConfigError(f"{folder}: already holds world tables; give a new folder (nothing "
                          "was overwritten)")
    folder.mkdir(parents=True, exist_ok=True)
    for kind, cls in table_classes().items():
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
