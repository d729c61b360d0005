"""Where the project's own folders are: scenarios, experiments, docs (one place)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The checkout (the folder holding ``scenarios/``, ``experiments/`` and ``docs/``)."""
CONFIG_DIR = ROOT / "scenarios"
SCENARIOS_DIR = CONFIG_DIR / "scenario"
LICENSING_DIR = CONFIG_DIR / "licensing"
EXPERIMENTS_DIR = ROOT / "experiments"
DOCS_DIR = ROOT / "docs"
