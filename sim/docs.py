"""Generated blocks of ``docs/model.md``: the day's phases and the event kinds.

Each block sits between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` and is written
from the code that owns that knowledge (`sim.phases.PLAN`, `sim.events.KINDS`).
``python -m sim.docs`` rewrites them; a test fails when they are out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .events import kinds_table
from .phases import phase_table

BLOCKS = {"phases": phase_table, "event-kinds": kinds_table}
MODEL_MD = Path(__file__).resolve().parent.parent / "docs" / "model.md"


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    for name, make in BLOCKS.items():
        pat = re.compile(rf"(<!-- {name}:begin -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if not pat.search(text):
            raise ValueError(f"docs/model.md has no '<!-- {name}:begin -->' block")
        text = pat.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main() -> int:
    old = MODEL_MD.read_text()
    new = render(old)
    if new != old:
        MODEL_MD.write_text(new)
        print(f"updated {MODEL_MD}")
    else:
        print(f"{MODEL_MD} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
