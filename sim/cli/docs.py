"""Generated blocks of ``docs/model.md`` (the day's phases, the event kinds, the mechanism
switches) and of ``README.md`` (the replays' inputs, `sim.experiments.inputs`).

Each block sits between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` and is written
from the code that owns that knowledge (`sim.engine.plan.PLAN`, `sim.policy.kinds.KINDS`,
`sim.config.switches.SWITCHES`). ``magnet-sim docs`` rewrites them (``--check``: exit 1
when any is out of date); a test fails when they are out of date.
"""

from __future__ import annotations

import re
import sys

from sim.config.paths import DOCS_DIR, ROOT
from sim.config.switches import switches_table
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
