"""Regenerate tests/baseline.json: `python -m tests.update_baseline` (explicitly only)."""

import json

from .baseline_summary import FILE, summary

if __name__ == "__main__":
    FILE.write_text(json.dumps(summary(), indent=2) + "\n")
    print(f"wrote {FILE}")
