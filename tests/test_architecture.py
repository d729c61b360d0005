"""The shape of the code (architecture v3): packages by concept, no import circles, few
function-local imports, small modules, no module that only re-exports another, and a core
(domain, trade, policy, agents, engine) free of Hydra, plotting and file I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"
CORE = ("domain", "trade", "policy", "agents", "engine")
LOCAL_IMPORTS_ALLOWED = 10
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for f in sorted(SIM.rglob("*.py")):
        parts = f.relative_to(SIM.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


MODULES = _modules()


def _resolve(mod: str, node: ast.ImportFrom | ast.Import, name: str | None = None) -> list[str]:
    """The project modules an import statement names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "sim"]
    base = node.module or ""
    if node.level:
        pkg = mod.split(".") if MODULES[mod].name == "__init__.py" else mod.split(".")[:-1]
        pkg = pkg[:len(pkg) - node.level + 1]
        base = ".".join([*pkg, *([base] if base else [])])
    if base.split(".")[0] != "sim":
        return []
    out = []
    for a in node.names:
        full = f"{base}.{a.name}"
        out.append(full if full in MODULES else base)
    return out


def _imports(mod: str) -> tuple[list[str], list[str]]:
    """(module-level project imports, function-local project imports) of a module."""
    tree = ast.parse(MODULES[mod].read_text())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    for n in tree.body:  # imports under if/try at module level count as module level
        if isinstance(n, (ast.If, ast.Try)):
            top += [x for x in ast.walk(n) if isinstance(x, (ast.Import, ast.ImportFrom))]
    local = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             and n not in top]
    return ([m for n in top for m in _resolve(mod, n)],
            [m for n in local for m in _resolve(mod, n)])


def test_at_most_twelve_entries_directly_under_sim():
    entries = [p.name for p in SIM.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 12, sorted(entries)


def test_no_import_circles():
    g = nx.DiGraph()
    for mod in MODULES:
        g.add_node(mod)
        for target in _imports(mod)[0]:
            if target in MODULES and target != mod:
                g.add_edge(mod, target)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, cycles[:5]


def test_few_function_local_imports_of_the_project():
    local = {mod: _imports(mod)[1] for mod in MODULES}
    found = [(m, t) for m, ts in local.items() for t in ts]
    assert len(found) <= LOCAL_IMPORTS_ALLOWED, found


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_no_module_over_400_lines(mod):
    n = len(MODULES[mod].read_text().splitlines())
    assert n <= MAX_LINES, f"{mod}: {n} lines"


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_no_module_only_re_exports_another(mod):
    """A module's body is more than imports, a docstring and ``__all__`` (an empty package
    marker is allowed)."""
    tree = ast.parse(MODULES[mod].read_text())
    body = [n for n in tree.body if not (
        isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    if not body:
        return  # a package marker: nothing at all
    rest = [n for n in body if not isinstance(n, (ast.Import, ast.ImportFrom)) and not (
        isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                          for t in n.targets))]
    assert rest, f"{mod} only re-exports"


FORBIDDEN_IMPORTS = ("hydra", "omegaconf", "matplotlib", "io", "csv", "pathlib", "os",
                     "shutil", "json", "pickle", "pyarrow", "importlib", "tqdm", "yaml")
FORBIDDEN_CALLS = ("open", "read_text", "write_text", "read_bytes", "write_bytes",
                   "to_parquet", "read_parquet", "to_csv", "read_csv", "savefig")
CORE_MAY_USE = ("sim.domain", "sim.trade", "sim.policy", "sim.agents", "sim.engine",
                "sim.config.registry", "sim.config.firms", "sim.config.border",
                "sim.config.behaviour", "sim.config.economics", "sim.config.markets",
                "sim.config.policy", "sim.config.run", "sim.config.world",
                "sim.config.firm_kinds", "sim.config")


@pytest.mark.parametrize("mod", sorted(m for m in MODULES if m.split(".")[1:2] and
                                       m.split(".")[1] in CORE))
def test_core_imports_no_hydra_plotting_or_file_io(mod):
    tree = ast.parse(MODULES[mod].read_text())
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            names = [a.name for a in n.names]
        elif isinstance(n, ast.ImportFrom) and not n.level:
            names = [n.module or ""]
        elif isinstance(n, ast.Call):
            f = n.func
            called = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
            assert called not in FORBIDDEN_CALLS, f"{mod} calls {called}()"
            continue
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN_IMPORTS, f"{mod} imports {name}"
            if name.split(".")[0] == "sim":
                assert name in CORE_MAY_USE or name.startswith(CORE_MAY_USE[:5]), \
                    f"{mod} imports {name} (outside the core and its config schema)"


def test_the_config_schema_the_core_uses_reads_no_files():
    for mod in CORE_MAY_USE:
        if mod.startswith("sim.config"):
            text = MODULES[mod].read_text()
            for bad in ("import csv", "import io", "read_text(", "open(", "tables import",
                        "resolve import"):
                assert bad not in text, f"{mod}: {bad}"
