"""Checks of the command line, before Hydra composes anything.

`preflight` reads the parsed command line and raises `ConfigError` (one line:
``<where>: <what>, got <value>``) for what a person typed or wrote wrong:

- overrides that do not parse, or a sweep (``a=1,2``) without ``-m``;
- unknown keys, checked against the schema (`sim.cli.keys.key_type`), with a "did you
  mean"; values of the wrong kind (`sim.cli.keys.check_shape`);
- unknown scenario, licensing, experiment (or any other group) names, with the list;
  an experiment named without ``-m``;
- every YAML file the run will load (the chosen scenario, licensing variant, experiment):
  see `sim.yaml_checks.check_file`.

Value ranges are not checked here: `sim.validate` does that when the run starts. What slips
through to Hydra is translated by `explain`. Event ids in keys (``events.embargo.days=90``)
become positions (`sim.cli.keys.resolve_event_key`).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import OverrideParseException
from omegaconf import OmegaConf

from sim.cli.compose import (
    FIRM_EDIT,
    compose_node,
    experiments_dir,
    run_node,
    setup,
    world_shorthand,
)
from sim.cli.files import (
    CONFIG_DIR,
    GLOBAL_GROUPS,
    check_file,
    group_options,
    groups,
    primary_defaults,
)
from sim.cli.keys import check_shape, key_type, resolve_event_key
from sim.config.firm_kinds import FIRM_KINDS
from sim.domain.errors import (
    error,
    suggest,
)
from sim.experiments.specs import SimSweeperConf, check_sweep_size

NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*$")


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


def preflight(args: argparse.Namespace, config_name: str = "config") -> list[str]:
    """Check the command line; return its overrides with event ids turned into positions
    (see `resolve_event_key`). Raises ConfigError."""
    setup()  # the schema and the ``sim`` sweeper registered, so hydra/sweeper=sim is known
    experiments = experiments_dir()
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
    for o in overrides:  # a sweep's size before any of its values is expanded
        check_sweep_size(o)
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
        if key == "events":  # a whole list: added to the scenario's (~events: replaced)
            if not o.is_delete():
                check_shape(o.value(), key_type(parts, "command line", text), key,
                            "command line")
            continue
        edit = FIRM_EDIT.match(key)
        if edit and edit["kind"] in FIRM_KINDS:  # a firm by its table position
            tp = key_type(edit["rest"].split("."), "command line", text,
                          root=FIRM_KINDS[edit["kind"]].conf)
            check_shape(o.value(), tp, key, "command line")
            continue
        if parts[0] == "events" and len(parts) > 1 and not parts[1].isdigit():
            tp = key_type(["events", "0", *parts[2:]], "command line", text, info=info)
        else:
            tp = key_type(parts, "command line", text, extra_roots=known_groups, info=info)
        if info["lists"] or parts[0] == "events":
            needs_compose.append(i)  # list positions (and event ids) need the composed lists
        values = list(o.sweep_iterator()) if o.is_sweep_override() else [o.value()]
        for v in values:
            check_shape(v, tp, key, "command line")
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
        cfg = _composed(dirs, config_name,  # as rewritten (new map entries with ++); sweep
                        [t for j, t in enumerate(rewritten)  # values (a,b,c) cannot compose one run
                         if j not in needs_compose and not _sweeps(t)])
        events = list(cfg.get("events") or [])
        for i in needs_compose:
            k, _, v = texts[i].partition("=")
            plus = re.match(r"^[+~]*", k).group(0)
            k = resolve_event_key(k[len(plus):], events, "command line")
            _check_positions(k, cfg, texts[i])
            rewritten[i] = f"{plus}{k}={v}"
    return rewritten


def _sweeps(text: str) -> bool:
    try:
        return OverridesParser.create().parse_overrides([text])[0].is_sweep_override()
    except OverrideParseException:
        return False


def check_overrides(texts: list[str], multirun: bool = False) -> list[str]:
    """`preflight` for overrides given without the command line's flags (subcommands,
    specs): the overrides with event ids turned into positions."""
    args = argparse.Namespace(overrides=[world_shorthand(o) for o in texts],
                              multirun=multirun, config_dir=None, config_path=None,
                              config_name=None)
    return preflight(args)


def _sweeper_override(text: str, key: str, o: Any) -> str:
    """Check ``hydra.sweeper.<field>``; its open mappings (params, samples, compare) are
    merged with ``++`` so that new entries (a parameter to sample) need no ``+``."""

    fields = [f.name for f in dataclasses.fields(SimSweeperConf)]
    part = key.split(".")[2]
    if part not in fields:
        raise error("command line", f"unknown key {part!r} in hydra.sweeper"
                    f"{suggest(part, fields)}", text)
    if part in ("params", "samples", "compare") and not o.is_delete():
        return "++" + text.lstrip("+")
    return text


def _composed(dirs: list[Path], config_name: str, overrides: list[str]) -> dict:
    """The run's config composed from ``overrides`` (plain data, without ``hydra``), the
    experiment's scenario and events included (`sim.cli.compose.compose_node`)."""
    keep = [t for t in overrides if not t.startswith("hydra")]
    return OmegaConf.to_container(run_node(compose_node(keep, dirs, config_name)))


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
