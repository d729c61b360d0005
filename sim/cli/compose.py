"""Composing a run's config: the one way from a scenario name and overrides to a RunConfig.

The command line, sweeps, the ablation, the buffer search, scripts, tests and the Python
API (`sim.scenario`) all compose through `compose_run`, so a scenario means the same thing
everywhere. Hydra composes the YAML files (`scenarios/`, `experiments/`) over the typed
schema (`sim.config.RunConfig`); `setup` registers what it needs once, when first asked (no
Hydra state at import). Then:

- ``world=2009`` or ``world=PATH`` means ``world.tables=...``;
- an override of a firm by its position in a world table, ``world.automakers.0.review_days=5``
  (or ``world.firms.automakers.0...``), acts on the firms of the scenario's own world: it is
  turned into ``world.firm_overrides.<name>.<field>`` once the world's tables are read, so
  it never swaps in another vintage's firms;
- events given on the command line (``events=[...]``, ``+events=[...]``) are added to the
  scenario's; ``~events`` first removes the scenario's (so ``~events 'events=[...]'``
  replaces them). Either way the run's name says so (``<scenario>+events``, or
  ``<scenario>~events``) and `Composed.notes` says what changed;
- the world is resolved from its tables (`sim.config.resolve`).
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import ConfigCompositionException, HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf, open_dict, read_write
from omegaconf.errors import OmegaConfBaseException

from sim.cli.files import read_yaml
from sim.cli.keys import key_type
from sim.config import EventConf, RunConfig
from sim.config.firm_kinds import FIRM_KINDS
from sim.config.paths import CONFIG_DIR, EXPERIMENTS_DIR
from sim.config.resolve import resolve
from sim.config.synthetic import name_copies
from sim.domain.errors import ConfigError, error, show, suggest
from sim.experiments.specs import SimSweeperConf

FIRM_EDIT = re.compile(r"^world\.(?:firms\.)?(?P<kind>[a-z_0-9]+)\.(?P<i>\d+)\.(?P<rest>.+)$")


def safe_name(name: object) -> str:
    """A name from data as one safe folder name: characters other than letters, digits,
    ``-``, ``_``, ``.``, ``+`` and ``~`` become ``_``; leading dots and tildes go (no ``..``,
    no hidden folders, no home directory)."""
    s = re.sub(r"[^A-Za-z0-9_.+~-]", "_", str(name)).lstrip(".~")[:100]
    return s or "unnamed"


def setup() -> None:
    """Register the schema, the sweeper's config and the ``safe`` resolver (once)."""
    store = ConfigStore.instance()
    if "schema.yaml" not in store.list(""):
        store.store(name="schema", node=RunConfig)
        store.store(group="hydra/sweeper", name="sim", node=SimSweeperConf, provider="sim")
    if not OmegaConf.has_resolver("safe"):
        OmegaConf.register_new_resolver("safe", safe_name)


def experiments_dir() -> Path:
    """The folder of experiment files: ``experiments/``, or ``SIM_EXPERIMENTS_DIR``."""
    return Path(os.environ.get("SIM_EXPERIMENTS_DIR") or EXPERIMENTS_DIR)


def register_experiment(name: str) -> None:
    """``experiment=NAME``: ``<experiments folder>/NAME.yaml`` as a global override file
    (read through the one reader of user files, `sim.cli.files.read_yaml`)."""
    path = experiments_dir() / f"{name}.yaml"
    if path.is_file():
        ConfigStore.instance().store(group="experiment", name=name,
                                     node=OmegaConf.create(read_yaml(path)), package="_global_")


@dataclass
class Composed:
    """A composed run: the config node (with ``hydra``), the typed config, the overrides
    as given, and what the command line changed beyond keys."""

    node: DictConfig
    config: RunConfig
    overrides: list[str]
    notes: list[str] = field(default_factory=list)


def world_shorthand(override: str) -> str:
    """``world=2009`` or ``world=PATH`` means ``world.tables=...``; ``world.<kind>=[...]``
    means ``world.firms.<kind>=[...]`` and ``world.add_<kind>=[...]`` means
    ``world.add.<kind>=[...]`` (a firm kind's list, `sim.config.firm_kinds`)."""
    key, sep, value = override.partition("=")
    plus = key[:len(key) - len(key.lstrip("+~"))]
    bare = key[len(plus):]
    if sep and bare == "world" and value and not value.lstrip().startswith("{"):
        return f"world.tables={value}"
    parts = bare.split(".")
    if sep and bare == "world.firms" and value.strip().isdigit():  # the synthetic world's size
        return f"world.synthetic_firms={value.strip()}"
    if len(parts) == 2 and parts[0] == "world":
        if parts[1] in FIRM_KINDS:
            return f"++world.firms.{parts[1]}{sep}{value}" if sep else override
        if parts[1].startswith("add_") and parts[1][4:] in FIRM_KINDS:
            return f"++world.add.{parts[1][4:]}{sep}{value}" if sep else override
    return override


def _value(text: str, key: str) -> Any:
    try:
        return OverridesParser.create().parse_overrides([text])[0].value()
    except Exception as e:  # noqa: BLE001 - Hydra's grammar errors
        msg = str(getattr(e, "message", e)).splitlines()[0]
        raise error("command line", f"cannot read override {text!r} ({msg})", key) from None


def _split(overrides: list[str]) -> tuple[list[str], list[tuple], list, bool]:
    """(overrides for Hydra, firm edits by position, events to add, replace events)."""
    keep, edits, events, replace = [], [], [], False
    for text in overrides:
        text = world_shorthand(text)
        key, sep, _ = text.partition("=")
        bare = key.lstrip("+")
        if text.strip() == "~events":
            replace = True
        elif sep and bare == "events":
            value = _value(text.lstrip("+"), key)
            if not isinstance(value, list):
                raise error("command line", "events takes a list of events, e.g. "
                            "'events=[{set: embargo, day: 30, destinations: [US]}]'", text)
            events += value
        elif sep and (m := FIRM_EDIT.match(bare)) and m["kind"] in FIRM_KINDS:
            edits.append((m["kind"], int(m["i"]), m["rest"], _value(text.lstrip("+"), key),
                          text))
        else:
            keep.append(_map_entry(text))
    return keep, edits, events, replace


def _map_entry(text: str) -> str:
    """``key.NEW=value`` on a map of the schema (``world.transit_days.BR=20``) as Hydra
    needs a new entry written (``++``); anything else unchanged."""
    key, sep, _ = text.partition("=")
    if not sep or key.startswith(("+", "~")) or "." not in key or key.startswith("hydra"):
        return text
    info: dict = {}
    try:
        key_type(key.split("."), "command line", text, info=info)
    except ConfigError:
        return text  # Hydra names it
    return "++" + text if info.get("map_entry") else text


def compose_node(overrides: list[str], dirs: list[Path] | None = None,
                 config_name: str = "config") -> DictConfig:
    """Hydra's composition of ``overrides`` (with the ``hydra`` node)."""
    setup()
    for o in overrides:
        k, _, v = o.partition("=")
        if k.lstrip("+") == "experiment" and v:
            register_experiment(v)
    dirs = dirs or [CONFIG_DIR]
    extra = [f"hydra.searchpath=[{','.join('file://' + str(d) for d in dirs[:-1])}]"] \
        if len(dirs) > 1 else []
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(dirs[-1]), version_base="1.3"):
            try:
                return hydra_compose(config_name=config_name, overrides=[*overrides, *extra],
                                     return_hydra_config=True)
            except ConfigCompositionException as e:
                again = calibration_form(overrides, str(e))
                if again is None:
                    raise
                return hydra_compose(config_name=config_name, overrides=[*again, *extra],
                                     return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as e:  # one line naming what is wrong
        raise ConfigError(explain(e)) from None
    finally:
        GlobalHydra.instance().clear()


def calibration_form(overrides: list[str], message: str) -> list[str] | None:
    """``calibration=NAME`` and ``+calibration=NAME`` mean the same: a scenario that selects
    a calibration (``/calibration: NAME`` in its defaults) takes the first, any other the
    second; the form Hydra refused is swapped for the other (None: nothing to swap)."""
    if "calibration" not in message:
        return None
    out, changed = [], False
    for o in overrides:
        k, eq, v = o.partition("=")
        if eq and k == "calibration" and "No match in the defaults list" in message:
            o, changed = f"+calibration={v}", True
        elif eq and k == "+calibration" and ("Multiple values" in message
                                             or "more than once" in message):
            o, changed = f"calibration={v}", True
        out.append(o)
    return out if changed else None


def run_node(node: DictConfig) -> DictConfig:
    """The run's part of a composed node: a copy without ``hydra`` and ``experiment``."""
    plain = copy.deepcopy(node)
    with read_write(plain), open_dict(plain):
        plain.pop("hydra", None)
        plain.pop("experiment", None)
    return plain


def to_config(node: DictConfig) -> RunConfig:
    """The typed config of a composed node (without ``hydra``), its world resolved."""
    rc = OmegaConf.to_object(run_node(node))
    resolve(rc.world)
    name_copies(rc)
    return rc


def _firm_names(node: DictConfig) -> dict[str, list[str]]:
    world = OmegaConf.to_object(node.world)
    world.firm_overrides, world.add = {}, {}
    resolve(world)
    return {k: [f.name for f in items] for k, items in world.firms.items()}


def _apply_edits(node: DictConfig, edits: list[tuple]) -> None:
    """Firm edits by table position become ``world.firm_overrides`` by name."""
    names = _firm_names(node)
    with open_dict(node):
        for kind, i, rest, value, text in edits:
            have = names[kind]
            if i >= len(have):
                raise error("command line", f"world.{kind} of world {node.world.tables!r} has "
                            f"{len(have)} firm(s) (0..{len(have) - 1}), no item {i}", text)
            path = rest.split(".")
            tree: Any = value
            for part in reversed(path[1:]):
                tree = {part: tree}
            overrides = node.world.firm_overrides
            if have[i] not in overrides:
                overrides[have[i]] = {}
            old = overrides[have[i]].get(path[0])
            if isinstance(old, DictConfig) and isinstance(tree, dict):
                tree = OmegaConf.merge(old, tree)
            overrides[have[i]][path[0]] = tree


def compose_run(overrides: list[str] = (), dirs: list[Path] | None = None,
                config_name: str = "config") -> Composed:
    """Compose a run from command-line ``overrides`` (module docstring)."""
    overrides = list(overrides)
    keep, edits, events, replace = _split(overrides)
    node = compose_node(keep, dirs, config_name)
    notes = []
    if events or replace:
        had = len(node.events)
        with open_dict(node):
            if replace:
                node.events = []
            for ev in events:
                if not isinstance(ev, dict):
                    raise error("command line", "each event is a mapping, e.g. {set: embargo, "
                                "day: 30, destinations: [US]}", show(ev))
                node.events.append(OmegaConf.merge(OmegaConf.structured(EventConf), ev))
            node.scenario_name = f"{node.scenario_name}{'~' if replace else '+'}events"
        notes.append(f"events: the scenario's {had} replaced by {len(events)} from the command"
                     " line" if replace else f"events: {len(events)} from the command line "
                     f"added to the scenario's {had}")
    if edits:
        _apply_edits(node, edits)
    return Composed(node, to_config(node), overrides, notes)


def compose(scenario: str = "baseline", overrides: list[str] = ()) -> RunConfig:
    """The typed config of a named scenario with ``overrides`` (as the command line)."""
    return compose_run([f"scenario={scenario}", *overrides]).config


def explain(exc: BaseException) -> str:
    """One line for an exception Hydra or OmegaConf raised while composing."""
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
                         None if value is None else show(value)))
    return str(error("config", head))


def is_user_error(e: BaseException) -> bool:
    """A mistake in what the user gave (one line, no traceback), not a bug."""
    return isinstance(e, (ConfigError, HydraException, OmegaConfBaseException))


def _first(s: str) -> str:
    lines = [ln.strip() for ln in str(s).splitlines() if ln.strip()]
    return " ".join(lines[:2]) if lines else s
