"""Every citation points inside the repo: at a row of ``docs/sources.md``.

A sourced number says ``[sources: <id>]`` (or ``[sources: <id>, <id>]``); a link
``docs/sources.md#<id>`` is read the same way. The ids are the anchors of the rows of
``docs/sources.md``. Nothing may cite the project's files outside the repo (the facts
table, the design notes, the seed news articles, issue numbers).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "sources.md"
SCOPE = ("sim", "scenarios", "experiments", "docs", "README.md")
TEXT = {".py", ".md", ".yaml", ".yml", ".csv", ".txt", ".toml", ".cfg", ".json", ".rst"}

# References to files outside the repo (the word "seeds" alone is a random-number seed).
OUTSIDE = [
    (re.compile(r"\bFACTS\b|(?i:facts\.md)"), "the facts table (FACTS.md)"),
    (re.compile(r"DESIGN\.md", re.IGNORECASE), "DESIGN.md"),
    (re.compile(r"\bshared/"), "a file under shared/"),
    (re.compile(r"\bissue\s*#?\s*4\b", re.IGNORECASE), "issue 4"),
    (re.compile(r"\bseeds?\s*[(/_-]?\s*0\d\d\b", re.IGNORECASE), "a seeds file"),
    (re.compile(r"\bseeds/"), "the seeds folder"),
    (re.compile(r"\bseed\s+(?:articles?|files?|texts?)\b", re.IGNORECASE), "the seed articles"),
]
# `[sources: a, b]` and `docs/sources.md#a` / `sources.md#a`.
CITE = re.compile(r"\[sources:\s*([^\]]*)\]")
LINK = re.compile(r"sources\.md#([A-Za-z0-9_-]+)")
ANCHOR = re.compile(r"""<a\s+id=["']([A-Za-z0-9_-]+)["']""")


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", *SCOPE], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        names = [n for n in out.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        names = [str(p.relative_to(ROOT)) for s in SCOPE for p in
                 ([ROOT / s] if (ROOT / s).is_file() else (ROOT / s).rglob("*"))
                 if p.is_file()]
    return [ROOT / n for n in names
            if Path(n).suffix in TEXT and (ROOT / n).is_file()]


def source_ids() -> set[str]:
    return set(ANCHOR.findall(SOURCES.read_text(encoding="utf-8")))


def outside_references(text: str) -> list[tuple[int, str]]:
    """(line number, what) for each reference to a file outside the repo."""
    return [(i, what) for i, line in enumerate(text.splitlines(), 1)
            for rx, what in OUTSIDE if rx.search(line)]


def cited_ids(text: str) -> list[tuple[int, str]]:
    """(line number, id) for each id cited with [sources: ...] or sources.md#id."""
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        for group in CITE.findall(line):
            out += [(i, x.strip()) for x in group.split(",")]
        out += [(i, x) for x in LINK.findall(line)]
    return out


FILES = tracked_files()


def test_files_found():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "docs/sources.md" in names and "README.md" in names
    assert any(n.startswith("sim/config/worlds/") and n.endswith(".csv") for n in names)
    assert any(n.startswith("scenarios/") for n in names)


def test_sources_ids_are_unique_and_many():
    ids = ANCHOR.findall(SOURCES.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), sorted(x for x in ids if ids.count(x) > 1)
    assert len(ids) >= 30


def test_nothing_cites_files_outside_the_repo():
    bad = [f"{p.relative_to(ROOT)}:{i}: cites {what}" for p in FILES
           for i, what in outside_references(p.read_text(encoding="utf-8"))]
    assert not bad, "cite a row of docs/sources.md as [sources: <id>] instead:\n" + \
        "\n".join(bad)


def test_every_cited_id_is_a_row_of_docs_sources_md():
    ids = source_ids()
    bad = [f"{p.relative_to(ROOT)}:{i}: [sources: {x}] is not a row of docs/sources.md"
           for p in FILES for i, x in cited_ids(p.read_text(encoding="utf-8"))
           if x not in ids and x != "<id>"]
    assert not bad, "\n".join(bad)


def test_every_config_field_source_cites_known_ids():
    from sim.config.parameters import table

    ids = source_ids()
    bad = [f"{r.path}: {x}" for r in table() for _, x in cited_ids(r.source) if x not in ids]
    assert not bad, bad


@pytest.mark.parametrize("text, found", [
    ("source=\"FACTS: Reuters\"", ["the facts table (FACTS.md)"]),
    ("see shared/FACTS.md", ["the facts table (FACTS.md)", "a file under shared/"]),
    ("see DESIGN.md", ["DESIGN.md"]),
    ("facts.md; the static facts of a node", ["the facts table (FACTS.md)"]),
    ("(issue 4, DFARS-style)", ["issue 4"]),
    ("FACTS: seeds 004", ["the facts table (FACTS.md)", "a seeds file"]),
    ("seeds (004)", ["a seeds file"]),
    ("the seed articles", ["the seed articles"]),
    ("x 5 seeds, paired on seeds (seeds pooled); search_seeds: 5; seed 42", []),
    ("issue 12 item 4; [sources: london]", []),
])
def test_outside_reference_patterns(text, found):
    assert [w for _, w in outside_references(text)] == found


def test_cited_id_patterns():
    text = "a [sources: london, clepa] b (docs/sources.md#wto) c [sources: nope]"
    assert sorted(x for _, x in cited_ids(text)) == ["clepa", "london", "nope", "wto"]
    assert "nope" not in source_ids() and {"london", "clepa", "wto"} <= source_ids()
