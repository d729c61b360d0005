"""Generated blocks of ``docs/model.md`` (the day's phases and the event kinds) and of
``README.md`` (the replays' inputs, `sim.ablation.scenario_inputs`).

Each block sits between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` and is written
from the code that owns that knowledge (`sim.phases.PLAN`, `sim.events.KINDS`).
``python -m sim.docs`` rewrites them; a test fails when they are out of date.
"""

from __future__ import annotations

from sim.config.paths import DOCS_DIR, ROOT

import re
import sys
from pathlib import Path

from sim.policy.kinds import kinds_table
from sim.engine.plan import phase_table

BLOCKS = {"phases": phase_table, "event-kinds": kinds_table}
MODEL_MD = DOCS_DIR / "model.md"
README_MD = ROOT / "README.md"


def replays_block() -> str:
    """The inputs of the scenarios the ablation spec replays (README.md)."""
    from sim.experiments.ablation import DEFAULT_SPEC, load_spec, scenario_inputs
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


def main() -> int:
    for path, blocks in ((MODEL_MD, BLOCKS), (README_MD, README_BLOCKS)):
        old = path.read_text()
        new = render(old, blocks)
        if new != old:
            path.write_text(new)
            print(f"updated {path}")
        else:
            print(f"{path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
