"""Generated blocks of ``docs/model.md`` (the day's phases, the event kinds, the mechanism
switches) and of ``README.md`` (the replays' inputs, `sim.experiments.inputs`).

Each block sits between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` and is written
from the code that owns that knowledge (`sim.engine.plan.PLAN`, `sim.policy.kinds.KINDS`,
`sim.config.switches.SWITCHES`). ``magnet-sim docs`` rewrites them and
``docs/parameters.md`` (``--check``: exit 1 when any is out of date); tests fail when they
are out of date.
"""

from __future__ import annotations

import re

from sim.config.parameters import DOC as PARAMETERS_MD
from sim.config.parameters import markdown as parameters_markdown
from sim.config.paths import DOCS_DIR, ROOT
from sim.config.switches import switches_table
from sim.domain.errors import ConfigError
from sim.engine.plan import phase_table
from sim.experiments.ablation_spec import DEFAULT_SPEC, load_spec
from sim.experiments.inputs import scenario_inputs
from sim.policy.kinds import kinds_table

BLOCKS = {"phases": phase_table, "event-kinds": kinds_table, "switches": switches_table}
MODEL_MD = DOCS_DIR / "model.md"
README_MD = ROOT / "README.md"


def replays_block() -> str:
    """The inputs of the scenarios the ablation spec replays (README.md)."""
    return scenario_inputs(load_spec(DEFAULT_SPEC).scenarios)


README_BLOCKS = {"replays": replays_block}


def render(text: str, blocks: dict | None = None) -> str:
    """``text`` with every generated block replaced by its current content."""
    for name, make in (BLOCKS if blocks is None else blocks).items():
        pat = re.compile(rf"(<!-- {name}:begin -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if not pat.search(text):
            raise ValueError(f"no '<!-- {name}:begin -->' block to generate")
        text = pat.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim docs [--check]``: regenerate the generated docs (``--check``: change
    nothing, exit 1 when any is out of date)."""
    check = list(argv or []) == ["--check"]
    if argv and not check:
        raise ConfigError(f"magnet-sim docs: takes only --check, got {' '.join(argv)}")
    stale = []
    pages = [(MODEL_MD, lambda text: render(text, BLOCKS)),
             (README_MD, lambda text: render(text, README_BLOCKS)),
             (PARAMETERS_MD, lambda _text: parameters_markdown())]
    for path, make in pages:
        old = path.read_text()
        new = make(old)
        if new == old:
            print(f"{path} is up to date")
        elif check:
            stale.append(path)
            print(f"{path} is out of date")
        else:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path}")
    return 1 if stale else 0
