"""Composing many runs fast: a sweep's jobs differ mostly in leaf values (a seed, a cover,
an elasticity), so Hydra composes each combination of structural overrides once and each
job's leaf values are set on a copy of the typed, resolved config.

`Composer` returns the same config as `sim.cli.compose.compose_run` (a test checks it on
every experiment's jobs). An override is a leaf when it sets a scalar (number, text,
boolean, null) on a field of the schema or an entry of one of its maps, without ``+``,
``~`` or an interpolation; anything else (a group choice, events, a firm by its table
position, lists, mappings, ``hydra.*``) makes the whole job go through `compose_run`.
The cache lives in the process: a worker composing a batch of jobs pays Hydra once.
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser

from sim.cli.compose import Composed, compose_run, world_shorthand
from sim.cli.keys import field_types
from sim.config import RunConfig
from sim.config.registry import unwrap
from sim.config.resolve import resolve
from sim.config.synthetic import name_copies

_LEAF_TYPES = (int, float, bool, str)
STRUCTURAL = ("hydra", "world.tables", "events", "world.stock_draw", "world.stock_ranges")
"""Keys whose value changes what is composed or resolved, never set as a leaf."""


def _target(cfg: RunConfig, parts: list[str]) -> tuple[Any, str, Any] | None:
    """(object, attribute or key, the field's type) that ``parts`` addresses, or None when
    the path is not a plain field or map entry of the schema."""
    obj: Any = cfg
    tp: Any = type(cfg)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if dataclasses.is_dataclass(obj):
            fields = field_types(type(obj))
            if part not in fields:
                return None
            tp, _ = unwrap(fields[part])
            if last:
                return obj, part, tp
            obj = getattr(obj, part)
        elif isinstance(obj, dict) and typing.get_origin(tp) is dict:
            tp, _ = unwrap(typing.get_args(tp)[1])
            if last:
                return obj, part, tp
            if part not in obj:
                return None
            obj = obj[part]
        else:
            return None
    return None


def _leaf(text: str) -> tuple[list[str], Any] | None:
    """(key parts, value) of a leaf override (module docstring), else None."""
    text = world_shorthand(text)
    key, sep, raw = text.partition("=")
    if not sep or key.startswith(("+", "~")) or "${" in raw or key.startswith(STRUCTURAL):
        return None
    if "." not in key and key not in ("seed", "days", "start", "plots", "scenario_name"):
        return None  # a group choice (scenario, licensing, experiment) or a whole section
    o = OverridesParser.create().parse_overrides([text])[0]
    if o.is_sweep_override():
        return None
    v = o.value()
    return (key.split("."), v) if v is None or isinstance(v, _LEAF_TYPES) else None


class Composer:
    """Composes runs from overrides, caching Hydra's work (module docstring)."""

    def __init__(self, dirs: list[Path] | None = None) -> None:
        self.dirs = dirs
        self._base: dict[tuple[str, ...], Composed] = {}

    def __call__(self, overrides: list[str]) -> Composed:
        leaves, rest = [], []
        for o in overrides:
            leaf = _leaf(o)
            (rest if leaf is None else leaves).append(o if leaf is None else leaf)
        key = tuple(rest)
        base = self._base.get(key)
        if base is None:
            base = self._base[key] = compose_run(list(rest), self.dirs)
        cfg = copy.deepcopy(base.config)
        for parts, value in leaves:
            where = _target(cfg, parts)
            if where is None:  # not a plain leaf of this config: the slow, sure way
                return compose_run(list(overrides), self.dirs)
            obj, name, tp = where
            if tp is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if isinstance(obj, dict):
                obj[name] = value
            else:
                setattr(obj, name, value)
        resolve(cfg.world)  # world-wide values (a plants' cover) act on the firms again
        name_copies(cfg)
        return Composed(None, cfg, list(overrides), list(base.notes))
