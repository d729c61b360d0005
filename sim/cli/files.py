"""Checks of the YAML files a run will load, and the config folders' groups and options.

`check_file` checks one group file (the chosen scenario, licensing variant, experiment):
malformed YAML (file and line, `read_yaml`), a scenario or experiment file without its
``# @package _global_`` header, unknown keys and wrong kinds of values (`sim.key_checks`),
the ``on:`` key of an event, ``override /group: name`` entries of its defaults list, and the
keys of its ``hydra.sweeper`` node. `group_options` lists a group's options (files, or
configs registered by plugins); `primary_defaults` the primary config's group choices.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml
from omegaconf import OmegaConf

from sim.cli.keys import check_shape, field_types, run_schema
from sim.config.paths import CONFIG_DIR, EXPERIMENTS_DIR
from sim.config.reader import read_text
from sim.domain.errors import ConfigError, error, show, suggest
from sim.experiments.specs import SimSweeperConf

GLOBAL_HEADER = "# @package _global_"
# groups whose files must carry the _global_ header (their keys are the run's own keys)
GLOBAL_GROUPS = ("scenario", "experiment", "calibration")
SPECIAL_KEYS = ("defaults", "hydra")


# --------------------------------------------------------------------------- files
MAX_YAML_NODES = 200_000
"""Most values a YAML file may expand to (aliases counted as often as they are used), so a
small file of nested aliases (a "billion laughs") is refused before it is expanded."""


def _expanded_size(node: yaml.Node, memo: dict, budget: int) -> int:
    """How many values ``node`` becomes once its aliases are expanded (stops past budget)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = budget + 1  # a node that contains itself expands without end
    if isinstance(node, yaml.ScalarNode):
        n = 1
    elif isinstance(node, yaml.SequenceNode):
        n = 1
        for v in node.value:
            n += _expanded_size(v, memo, budget)
            if n > budget:
                break
    else:
        n = 1
        for k, v in node.value:
            n += _expanded_size(k, memo, budget) + _expanded_size(v, memo, budget)
            if n > budget:
                break
    memo[key] = n
    return n


def read_yaml(path: Path) -> Any:
    """A YAML file's data, read through the one reader of user files (regular file, size,
    encoding); a file expanding to more than `MAX_YAML_NODES` values is refused before it
    is expanded; malformed YAML raises naming the file and line."""
    text = read_text(path, "YAML file")
    try:
        for doc in yaml.compose_all(text, Loader=yaml.SafeLoader):  # aliases not expanded
            if doc is not None and _expanded_size(doc, {}, MAX_YAML_NODES) > MAX_YAML_NODES:
                raise error(str(path), f"expands to more than {MAX_YAML_NODES:,} values "
                            "(nested aliases); write the values out", "a YAML alias bomb")
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
    except ConfigError:
        raise
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
        root = field_types(run_schema())
        for k, v in data.items():
            if k in SPECIAL_KEYS:
                if k == "hydra":
                    _check_hydra_node(v, src)
                continue
            if k not in root:
                raise error(f"{src}: {k}", f"unknown key {str(k)!r}{suggest(k, root)}",
                            None if isinstance(v, (dict, list)) else f"{k}: {show(v)}")
            check_shape(v, root[k], str(k), src)
        return
    root = field_types(run_schema())
    if group in root:  # a group named after a section (licensing, world, ...)
        body = {k: v for k, v in data.items() if k not in SPECIAL_KEYS}
        check_shape(body, root[group], group, src)


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
    fields = [f.name for f in dataclasses.fields(SimSweeperConf)]
    for k in node["sweeper"]:
        if k not in fields:
            raise error(f"{src}: hydra.sweeper.{k}", f"unknown key {k!r}{suggest(k, fields)}")


# --------------------------------------------------------------------------- folders
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
