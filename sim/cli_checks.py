"""Checks of the command line and the YAML files it names, before Hydra composes anything.

`preflight` reads the parsed command line and raises `ConfigError` (one line:
``<where>: <what>, got <value>``) for what a person typed or wrote wrong:

- overrides that do not parse, or a sweep (``a=1,2``) without ``-m``;
- unknown keys, checked against the schema (`sim.config.RunConfig`), with a "did you mean";
- unknown scenario, licensing, experiment (or any other group) names, with the list;
  an experiment named without ``-m``;
- every YAML file the run will load (the chosen scenario, licensing variant, experiment):
  malformed YAML (file and line), a scenario or experiment file without its
  ``# @package _global_`` header, unknown keys, wrong kinds of values, and the ``on:`` key
  of an event (YAML reads a bare ``on`` as true: the key is ``date:``).

Value ranges are not checked here: `sim.validate` does that when the run starts. What slips
through to Hydra is translated by `explain`.

Events can be addressed by id instead of list position: ``events.embargo.days=90``.
`event_ids` says which ids a list of events has (`resolve_event_key`).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from omegaconf import OmegaConf

from .errors import ConfigError, error, suggest

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "scenarios"
EXPERIMENTS_DIR = ROOT / "experiments"
GLOBAL_HEADER = "# @package _global_"
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*$")
# groups whose files must carry the _global_ header (their keys are the run's own keys)
GLOBAL_GROUPS = ("scenario", "experiment")
SPECIAL_KEYS = ("defaults", "hydra")


# --------------------------------------------------------------------------- the schema
def _unwrap(tp: Any) -> Any:
    """``Optional[X]`` -> X."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return tp


def _optional(tp: Any) -> bool:
    return (typing.get_origin(tp) in (typing.Union, types.UnionType)
            and type(None) in typing.get_args(tp)) or tp is Any


def _fields(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _root() -> type:
    from .config import RunConfig
    return RunConfig


def _kind(tp: Any) -> str:
    tp = _unwrap(tp)
    if dataclasses.is_dataclass(tp):
        return "a section of keys"
    origin = typing.get_origin(tp)
    if origin in (list, list):
        return "a list"
    if origin in (dict, dict):
        return "a mapping"
    return {int: "an integer", float: "a number", bool: "true or false", str: "a text"}.get(
        tp, "a value")


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value)
    return str(value)


_BOOL_TEXT = {"y", "yes", "on", "true", "n", "no", "off", "false"}


def _scalar_ok(value: Any, tp: Any) -> bool:
    """Whether OmegaConf would accept ``value`` for a field of scalar type ``tp``."""
    if tp is bool:
        return isinstance(value, bool) or (isinstance(value, str) and value.lower() in
                                           _BOOL_TEXT) or value in (0, 1)
    if tp is int:
        if isinstance(value, bool) or isinstance(value, float):
            return False
        if isinstance(value, int):
            return True
        return isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()) is not None
    if tp is float:
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            return True
        try:
            float(value)
            return True
        except (TypeError, ValueError):
            return False
    if tp is str:
        return isinstance(value, (str, int, float, bool))
    return True


def check_value(value: Any, tp: Any, where: str, src: str) -> None:
    """Check ``value`` (plain YAML/override data) against schema type ``tp``.

    ``where`` is the key path, ``src`` the place (file or ``command line``)."""
    if isinstance(value, str) and value.startswith("${"):
        return  # an interpolation: OmegaConf resolves it later
    if value is None:
        if not _optional(tp):
            raise error(f"{src}: {where}", f"needs {_kind(tp)}", "null")
        return
    tp = _unwrap(tp)
    if tp is Any:
        return
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise error(f"{src}: {where}", f"expected {_kind(tp)}", _show(value))
        fields = _fields(tp)
        for k, v in value.items():
            key = f"{where}.{k}" if where else str(k)
            if tp.__name__ == "EventConf" and (k is True or k == "on"):
                raise error(f"{src}: {where}", "the key 'on' is read by YAML as true: write "
                            "date: YYYY-MM-DD (or day: N)", f"on: {v}")
            if k not in fields:
                raise error(f"{src}: {key}", f"unknown key {str(k)!r}{suggest(k, fields)}",
                            f"{k}: {_show(v)}" if not isinstance(v, (dict, list)) else None)
            check_value(v, fields[k], key, src)
        if tp.__name__ == "EventConf":
            _check_event_kind(value, where, src)
        return
    origin = typing.get_origin(tp)
    if origin in (list, list):
        if not isinstance(value, list):
            raise error(f"{src}: {where}", f"expected {_kind(tp)}", _show(value))
        (item,) = typing.get_args(tp) or (Any,)
        for i, v in enumerate(value):
            check_value(v, item, f"{where}[{i}]", src)
        return
    if origin in (dict, dict):
        if not isinstance(value, dict):
            raise error(f"{src}: {where}", f"expected {_kind(tp)}", _show(value))
        args = typing.get_args(tp)
        for k, v in value.items():
            check_value(v, args[1] if len(args) == 2 else Any, f"{where}.{k}", src)
        return
    if isinstance(value, (dict, list)):
        raise error(f"{src}: {where}", f"expected {_kind(tp)}", _show(value))
    if not _scalar_ok(value, tp):
        raise error(f"{src}: {where}", f"expected {_kind(tp)}", _show(value))


def _check_event_kind(ev: dict, where: str, src: str) -> None:
    from .events import KINDS as EVENT_KEYS
    kind = ev.get("set")
    if kind is not None and kind not in EVENT_KEYS:
        raise error(f"{src}: {where}.set", f"unknown event kind {kind!r}"
                    f"{suggest(kind, EVENT_KEYS, listing=True)}", kind)


def key_type(parts: list[str], src: str, text: str, extra_roots: Iterable[str] = (),
             info: dict | None = None) -> Any:
    """The schema type at the dotted key ``parts``; raises naming the first unknown part.
    ``info`` (optional) gets ``lists`` (prefixes indexed by number) and ``map_entry`` (the
    key is an entry of a mapping such as ``world.transit_days.BR``)."""
    tp: Any = _root()
    info = info if info is not None else {}
    info.setdefault("lists", [])
    info["map_entry"] = False
    for i, part in enumerate(parts):
        tp = _unwrap(tp)
        if dataclasses.is_dataclass(tp):
            fields = _fields(tp)
            if part not in fields:
                opts = list(fields) + (list(extra_roots) if i == 0 else [])
                raise error(src, f"unknown key {part!r}"
                            f"{' in ' + '.'.join(parts[:i]) if i else ''}{suggest(part, opts)}",
                            text)
            tp = fields[part]
        elif typing.get_origin(tp) in (list, list):
            if not part.isdigit():
                raise error(src, f"{'.'.join(parts[:i])} is a list: address its items by "
                            "number", text)
            info["lists"].append(parts[:i + 1])
            tp = (typing.get_args(tp) or (Any,))[0]
        elif typing.get_origin(tp) in (dict, dict):
            args = typing.get_args(tp)
            tp = args[1] if len(args) == 2 else Any
            info["map_entry"] = i == len(parts) - 1
        elif tp is Any:
            return Any
        else:
            raise error(src, f"{'.'.join(parts[:i])} is {_kind(tp)}, it has no key {part!r}",
                        text)
    return tp


# --------------------------------------------------------------------------- event ids
def event_ids(events: list) -> dict[str, int]:
    """Ids by which sweeps and overrides can address events instead of their position
    (the rule of `sim.event_schedule.event_ids`). ``events.0.days`` (by position) always
    works too."""
    from .event_schedule import event_ids as ids

    evs = [e or {} for e in events]
    names = ids([str(e.get("set", "")) for e in evs], [e.get("id") for e in evs])
    return {name: i for i, name in enumerate(names)}


def resolve_event_key(key: str, events: list, src: str = "sweep") -> str:
    """``events.<id>.rest`` -> ``events.<position>.rest``; positions are checked too."""
    parts = key.split(".")
    if len(parts) < 2 or parts[0] != "events":
        return key
    ids = event_ids(events)
    ref = parts[1]
    if ref.isdigit():
        if int(ref) >= len(events):
            raise error(src, f"there is no event {ref}: the scenario has {len(events)} "
                        f"event(s){' (ids: ' + ', '.join(ids) + ')' if ids else ''}", key)
        return key
    if ref not in ids:
        raise error(src, f"no event with id {ref!r}{suggest(ref, ids)}; the scenario's "
                    f"events: {', '.join(ids) or 'none'}", key)
    return ".".join(["events", str(ids[ref]), *parts[2:]])


# --------------------------------------------------------------------------- files
def read_yaml(path: Path) -> Any:
    """A YAML file's data; malformed YAML raises naming the file and line."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise error(f"{path}:{line}", "not UTF-8 text (line " f"{line})",
                    repr(raw[e.start:e.start + 4])) from None
    try:
        return OmegaConf.to_container(OmegaConf.create(text)) if text.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        n_lines = len(text.splitlines())
        if mark is None or mark.line >= n_lines:  # at the end: where the open part began
            mark = getattr(e, "context_mark", None) or mark
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        got = text.splitlines()[line - 1].strip() if 0 < line <= len(text.splitlines()) else ""
        ctx = getattr(e, "context", None)
        what = f"malformed YAML, line {line}: {problem}" + (f" ({ctx})" if ctx else "")
        raise error(f"{path}:{line}", what, repr(got)) from None
    except Exception as e:  # noqa: BLE001 - OmegaConf's own refusals (e.g. a bad key)
        raise error(str(path), f"cannot be read as a config: {str(e).splitlines()[0]}") \
            from None


def _header(path: Path) -> str | None:
    for line in Path(path).read_text(errors="replace").splitlines():
        s = line.strip()
        if s.startswith("#") and "@package" in s:
            return s
        if s and not s.startswith("#"):
            return None
    return None


def check_file(path: Path, group: str, needs_header: bool) -> None:
    """Check one group file: YAML, header, keys and kinds of values."""
    data = read_yaml(path)
    head = _header(path)
    if needs_header and (head is None or head.split() != GLOBAL_HEADER.split()):
        article = "an" if group[0] in "aeiou" else "a"
        raise error(f"{path}:1", f"{article} {group} file starts with the line '{GLOBAL_HEADER}' "
                    "(its keys are the run's own keys)", repr(head) if head else "no header")
    if data is None:
        return
    if not isinstance(data, dict):
        raise error(str(path), "expected a mapping of keys (key: value lines)",
                    type(data).__name__)
    src = str(path)
    _check_defaults(data.get("defaults"), src, path)
    if group in GLOBAL_GROUPS:
        root = _fields(_root())
        for k, v in data.items():
            if k in SPECIAL_KEYS:
                if k == "hydra":
                    _check_hydra_node(v, src)
                continue
            if k not in root:
                raise error(f"{src}: {k}", f"unknown key {str(k)!r}{suggest(k, root)}",
                            None if isinstance(v, (dict, list)) else f"{k}: {_show(v)}")
            check_value(v, root[k], str(k), src)
        return
    root = _fields(_root())
    if group in root:  # a group named after a section (licensing, world, ...)
        body = {k: v for k, v in data.items() if k not in SPECIAL_KEYS}
        check_value(body, root[group], group, src)


def _check_defaults(items: Any, src: str, path: Path) -> None:
    """``override /group: name`` entries of a file's defaults list name existing options."""
    if not isinstance(items, list):
        return
    conf_root = Path(path).parent.parent
    dirs = [conf_root] + ([CONFIG_DIR] if conf_root != CONFIG_DIR else [])
    for item in items:
        if not isinstance(item, dict):
            continue
        for k, v in item.items():
            group = str(k).split()[-1].strip("/")
            if group.startswith("hydra/") or not isinstance(v, str):
                continue
            opts = group_options(group, dirs, EXPERIMENTS_DIR)
            if opts and v not in opts:
                raise error(f"{src}: defaults", f"unknown {group} {v!r}"
                            f"{suggest(v, opts, listing=True)}", f"{k}: {v}")


def _check_hydra_node(node: Any, src: str) -> None:
    if not isinstance(node, dict) or not isinstance(node.get("sweeper"), dict):
        return
    from .sampling import SimSweeperConf
    fields = [f.name for f in dataclasses.fields(SimSweeperConf)]
    for k in node["sweeper"]:
        if k not in fields:
            raise error(f"{src}: hydra.sweeper.{k}", f"unknown key {k!r}{suggest(k, fields)}")


# --------------------------------------------------------------------------- the command line
def search_dirs(args: argparse.Namespace) -> list[Path]:
    """Config folders in Hydra's search order: ``--config-dir`` first, then the primary."""
    dirs = []
    if getattr(args, "config_dir", None):
        d = Path(args.config_dir).expanduser().resolve()
        if not d.is_dir():
            raise error("--config-dir", "no such folder", str(args.config_dir))
        dirs.append(d)
    primary = Path(args.config_path).expanduser() if getattr(args, "config_path", None) \
        else CONFIG_DIR
    if not primary.is_absolute():
        primary = (CONFIG_DIR.parent / "sim" / primary).resolve()
    if not primary.is_dir():
        raise error("--config-path", "no such folder", str(args.config_path))
    dirs.append(primary)
    return dirs


def groups(dirs: list[Path]) -> set[str]:
    out = {"experiment"}
    for d in dirs:
        out |= {p.name for p in d.iterdir() if p.is_dir() and p.name != "hydra"}
    return out


def group_options(group: str, dirs: list[Path], experiments: Path) -> dict[str, Path | None]:
    """Option name -> its file (None: registered in the ConfigStore only)."""
    out: dict[str, Path | None] = {}
    if group.startswith("hydra/"):
        from hydra.core.config_store import ConfigStore
        from hydra.core.plugins import Plugins
        Plugins.instance()  # registers the plugins' configs
        try:
            out.update({n.removesuffix(".yaml"): None
                        for n in ConfigStore.instance().list(group)})
        except Exception:  # noqa: BLE001 - a group no plugin registered
            pass
    if group == "experiment" and experiments.is_dir():
        out.update({p.stem: p for p in sorted(experiments.glob("*.yaml"))})
    for d in reversed(dirs):  # earlier folders win
        g = d / group
        if g.is_dir():
            out.update({p.stem: p for p in sorted(g.glob("*.yaml"))})
    return out


def primary_defaults(dirs: list[Path], config_name: str) -> dict[str, str]:
    """The group choices of the primary config's defaults list."""
    for d in dirs:
        f = d / f"{config_name}.yaml"
        if f.exists():
            data = read_yaml(f)
            out = {}
            for item in (data or {}).get("defaults", []) if isinstance(data, dict) else []:
                if isinstance(item, dict):
                    for k, v in item.items():
                        if isinstance(v, str) and not str(k).startswith(("override", "hydra")):
                            out[str(k)] = v
            return out
    return {}


def preflight(args: argparse.Namespace, experiments: Path = EXPERIMENTS_DIR,
              config_name: str = "config") -> list[str]:
    """Check the command line; return its overrides with event ids turned into positions
    (see `resolve_event_key`). Raises ConfigError."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import OverrideParseException

    dirs = search_dirs(args)
    config_name = getattr(args, "config_name", None) or config_name
    if not any((d / f"{config_name}.yaml").exists() for d in dirs):
        raise error("--config-name", f"no config {config_name!r} in {dirs[-1]}", config_name)
    parser = OverridesParser.create()
    texts = list(args.overrides or [])
    overrides = []
    for text in texts:
        if "=" not in text and not text.startswith("~"):
            raise error("command line", f"{text!r} is not key=value (e.g. days=365)", text)
        try:
            overrides.extend(parser.parse_overrides([text]))
        except OverrideParseException as e:
            msg = str(e.message).splitlines()[0].strip()
            raise error("command line", f"cannot read override {text!r} ({msg})", text) \
                from None
    multirun = bool(getattr(args, "multirun", False))
    known_groups = groups(dirs)
    choices = primary_defaults(dirs, config_name)
    group_files: dict[str, list[Path]] = {}
    rewritten = list(texts)
    needs_compose: list[int] = []
    for i, (text, o) in enumerate(zip(texts, overrides, strict=True)):
        key = o.key_or_group
        if not key:
            raise error("command line", "an override needs a key before '='", text)
        if o.is_sweep_override() and not multirun:
            raise error("command line", f"{key} has several values (a sweep): add -m to run "
                        f"one job per value, e.g. python -m sim -m {text}", text)
        is_group = "/" in key or key in known_groups
        if is_group:
            if key == "experiment" and not multirun:
                raise error("command line", "an experiment is a sweep: run it with -m, e.g. "
                            f"python -m sim -m {text}", text)
            if key.startswith("hydra/") and not o.is_delete():
                opts = group_options(key, dirs, experiments)
                values = (list(o.sweep_string_iterator()) if o.is_sweep_override()
                          else [o.value()])
                for v in values:
                    if opts and str(v) not in opts:
                        raise error("command line", f"unknown {key} {v!r}"
                                    f"{suggest(v, opts, listing=True)}", text)
                continue
            if o.is_delete():
                continue
            values = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.value()]
            opts = group_options(key, dirs, experiments)
            files = []
            for v in values:
                if v is None or v == "" or (isinstance(v, str) and v.lower() == "null"):
                    if key in ("scenario",):
                        raise error("command line", f"{key} needs a name"
                                    f"{suggest('', opts, listing=True)}", text)
                    continue
                v = str(v)
                if not NAME_RE.match(v) or ".." in v.split("/"):
                    raise error("command line", f"{key} takes a name, not a path"
                                f"{suggest(Path(v).name, opts, listing=True)}", v)
                if v not in opts:
                    raise error("command line", f"unknown {key} {v!r}"
                                f"{suggest(v, opts, listing=True)}", text)
                if opts[v] is not None:
                    files.append(opts[v])
            group_files[key] = files
            choices.pop(key, None)
            continue
        if key.startswith("hydra.sweeper."):
            rewritten[i] = _sweeper_override(text, key, o)
            continue
        if key.startswith("hydra.") or key == "hydra":
            continue
        parts = key.split(".")
        info: dict = {}
        if parts[0] == "events" and len(parts) > 1 and not parts[1].isdigit():
            tp = key_type(["events", "0", *parts[2:]], "command line", text, info=info)
        else:
            tp = key_type(parts, "command line", text, extra_roots=known_groups, info=info)
        if info["lists"] or parts[0] == "events":
            needs_compose.append(i)  # list positions (and event ids) need the composed lists
        values = list(o.sweep_iterator()) if o.is_sweep_override() else [o.value()]
        for v in values:
            check_value(v, tp, key, "command line")
        if o.is_delete():
            raise error("command line", f"{key} is a setting of the model and cannot be "
                        "removed; set a value instead", text)
        if info["map_entry"] and not o.is_force_add():
            rewritten[i] = "++" + text.lstrip("+")  # a new map entry: checked by validation
        elif o.is_add() and not o.is_force_add():
            raise error("command line", f"{key} is already a setting: set it without '+', "
                        f"e.g. {text[1:]}", text)
    # the files the run will load: named groups and the primary config's default choices
    for group, name in choices.items():
        opts = group_options(group, dirs, experiments)
        if name in opts and opts[name] is not None:
            group_files.setdefault(group, []).append(opts[name])
    for group, files in group_files.items():
        for f in files:
            needs_header = group in GLOBAL_GROUPS and not (
                group == "experiment" and f.parent == experiments)
            check_file(f, group, needs_header)
    if needs_compose:
        cfg = _composed(dirs, config_name,
                        [t for j, t in enumerate(texts) if j not in needs_compose])
        events = list(cfg.get("events") or [])
        for i in needs_compose:
            k, _, v = texts[i].partition("=")
            plus = re.match(r"^[+~]*", k).group(0)
            k = resolve_event_key(k[len(plus):], events, "command line")
            _check_positions(k, cfg, texts[i])
            rewritten[i] = f"{plus}{k}={v}"
    return rewritten


def _sweeper_override(text: str, key: str, o: Any) -> str:
    """Check ``hydra.sweeper.<field>``; its open mappings (params, samples, compare) are
    merged with ``++`` so that new entries (a parameter to sample) need no ``+``."""
    from .sampling import SimSweeperConf

    fields = [f.name for f in dataclasses.fields(SimSweeperConf)]
    part = key.split(".")[2]
    if part not in fields:
        raise error("command line", f"unknown key {part!r} in hydra.sweeper"
                    f"{suggest(part, fields)}", text)
    if part in ("params", "samples", "compare") and not o.is_delete():
        return "++" + text.lstrip("+")
    return text


def _composed(dirs: list[Path], config_name: str, overrides: list[str]) -> dict:
    """The run's config composed from ``overrides`` (plain data, without ``hydra``)."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    extra = [f"hydra.searchpath=[{','.join('file://' + str(d) for d in dirs[:-1])}]"] \
        if len(dirs) > 1 else []
    keep = [t for t in overrides if not t.startswith("hydra") and not t.startswith(
        "experiment")]
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(dirs[-1]), version_base="1.3"):
            cfg = compose(config_name=config_name, overrides=keep + extra)
    finally:
        GlobalHydra.instance().clear()
    return OmegaConf.to_container(cfg)


def _check_positions(key: str, cfg: dict, text: str) -> None:
    """Every number in ``key`` that indexes a list is within that list."""
    node: Any = cfg
    parts = key.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise error("command line", f"{'.'.join(parts[:i])} has {len(node)} item(s) "
                            f"(0..{len(node) - 1}), no item {part}", text)
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return


# --------------------------------------------------------------------------- Hydra's errors
def explain(exc: BaseException) -> str:
    """One line for an exception Hydra or OmegaConf raised while composing."""
    from hydra.errors import MissingConfigException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, MissingConfigException):
        missing = str(exc.missing_cfg_file or "")
        group, _, name = missing.rpartition("/")
        if exc.options is not None and name:
            return str(error("config", f"unknown {group or 'config'} {name!r}"
                                       f"{suggest(name, exc.options, listing=True)}", missing))
        return str(error("config", _first(str(exc))))
    cause = exc if isinstance(exc, OmegaConfBaseException) else exc.__cause__
    head = _first(str(exc))
    head = re.sub(r"\s*To append to your config use \+\S+", "", head)
    if isinstance(cause, OmegaConfBaseException):
        key = getattr(cause, "full_key", None) or getattr(cause, "key", None)
        msg = str(getattr(cause, "msg", None) or cause).strip().splitlines()[0]
        options: list[str] = []
        obj = getattr(cause, "object_type", None)
        if obj is not None and dataclasses.is_dataclass(obj):
            options = [f.name for f in dataclasses.fields(obj)]
        name = str(getattr(cause, "key", "") or "")
        hint = suggest(name, options) if options and "not in" in msg else ""
        where = head.split(":")[0] if head.startswith("In '") else "config"
        value = getattr(cause, "value", None)
        return str(error(f"{where.rstrip(':')}", f"{key}: {msg}{hint}" if key else msg + hint,
                         None if value is None else _show(value)))
    return str(error("config", head))


def _first(s: str) -> str:
    lines = [ln.strip() for ln in str(s).splitlines() if ln.strip()]
    return " ".join(lines[:2]) if lines else s
