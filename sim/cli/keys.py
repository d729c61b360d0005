"""Keys and values checked against the run's schema (`sim.config.RunConfig`), and event ids.

`key_type` walks a dotted key (``world.transit_days.BR``) through the schema and raises
`ConfigError` naming the first unknown part, with a "did you mean"; `check_shape` checks
plain data (a YAML node or an override's value) against a schema type: unknown keys, wrong
kinds of values, and the ``on:`` key of an event (YAML reads a bare ``on`` as true: the key
is ``date:``). Value ranges are not checked here: `sim.validate` does that when the run
starts.

Events can be addressed by id instead of list position: ``events.embargo.days=90``.
`event_ids` says which ids a list of events has (`resolve_event_key`).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from sim.config import RunConfig
from sim.domain.errors import error, show, suggest
from sim.policy.kinds import KINDS as EVENT_KINDS
from sim.policy.schedule import event_ids as schedule_ids


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


def field_types(cls: type) -> dict[str, Any]:
    """A dataclass's field names and their types."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def run_schema() -> type:
    """The schema of a run's config (the root of every key)."""
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


def check_shape(value: Any, tp: Any, where: str, src: str) -> None:
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
            raise error(f"{src}: {where}", f"expected {_kind(tp)}", show(value))
        fields = field_types(tp)
        for k, v in value.items():
            key = f"{where}.{k}" if where else str(k)
            if tp.__name__ == "EventConf" and (k is True or k == "on"):
                raise error(f"{src}: {where}", "the key 'on' is read by YAML as true: write "
                            "date: YYYY-MM-DD (or day: N)", f"on: {v}")
            if k not in fields:
                raise error(f"{src}: {key}", f"unknown key {str(k)!r}{suggest(k, fields)}",
                            f"{k}: {show(v)}" if not isinstance(v, (dict, list)) else None)
            check_shape(v, fields[k], key, src)
        if tp.__name__ == "EventConf":
            _check_event_kind(value, where, src)
        return
    origin = typing.get_origin(tp)
    if origin in (list, list):
        if not isinstance(value, list):
            raise error(f"{src}: {where}", f"expected {_kind(tp)}", show(value))
        (item,) = typing.get_args(tp) or (Any,)
        for i, v in enumerate(value):
            check_shape(v, item, f"{where}[{i}]", src)
        return
    if origin in (dict, dict):
        if not isinstance(value, dict):
            raise error(f"{src}: {where}", f"expected {_kind(tp)}", show(value))
        args = typing.get_args(tp)
        for k, v in value.items():
            check_shape(v, args[1] if len(args) == 2 else Any, f"{where}.{k}", src)
        return
    if isinstance(value, (dict, list)):
        raise error(f"{src}: {where}", f"expected {_kind(tp)}", show(value))
    if not _scalar_ok(value, tp):
        raise error(f"{src}: {where}", f"expected {_kind(tp)}", show(value))


def _check_event_kind(ev: dict, where: str, src: str) -> None:
    kind = ev.get("set")
    if kind is not None and kind not in EVENT_KINDS:
        raise error(f"{src}: {where}.set", f"unknown event kind {kind!r}"
                    f"{suggest(kind, EVENT_KINDS, listing=True)}", kind)


def key_type(parts: list[str], src: str, text: str, extra_roots: Iterable[str] = (),
             info: dict | None = None, root: type | None = None) -> Any:
    """The schema type at the dotted key ``parts``; raises naming the first unknown part.
    ``info`` (optional) gets ``lists`` (prefixes indexed by number) and ``map_entry`` (the
    key is an entry of a mapping such as ``world.transit_days.BR``)."""
    tp: Any = root or run_schema()
    info = info if info is not None else {}
    info.setdefault("lists", [])
    info["map_entry"] = False
    for i, part in enumerate(parts):
        tp = _unwrap(tp)
        if dataclasses.is_dataclass(tp):
            fields = field_types(tp)
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
    (the rule of `sim.policy.schedule.event_ids`). ``events.0.days`` (by position) always
    works too."""
    evs = [e or {} for e in events]
    names = schedule_ids([str(e.get("set", "")) for e in evs], [e.get("id") for e in evs])
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
