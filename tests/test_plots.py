"""Plots: an image regression test of the inventory plot of a short fixed run, plus checks
that every plot is drawn or skipped with a reason and that no warning is raised.

Regenerate the baseline image (only when a change to the plot is intended):
    .venv/bin/python -m tests.test_plots
"""

import warnings
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

import sim
from sim.outputs import plot_style, plots

from .helpers import load

BASELINE = Path(__file__).with_name("baseline_images") / "inventory_embargo_us_150d.png"
TOL = 3.0  # RMS of pixel differences (0-255): font hinting noise passes, a moved line fails


def fixed_run() -> dict:
    return sim.run(load("embargo_us", "days=150", "seed=1", "world.stock_ranges=false"),
                   progress=False)  # the tables' own stocks: plants halt within 150 days


def draw(path: Path, out: dict | None = None) -> Path:
    out = out or fixed_run()
    plots.inventory(out, path, out["meta"]["scenario"])
    return path


@pytest.fixture(scope="module")
def run():
    return fixed_run()


def test_inventory_matches_baseline_image(tmp_path, run):
    got = draw(tmp_path / "inventory.png", run)
    diff = compare_images(str(BASELINE), str(got), tol=TOL)
    assert diff is None, diff


def test_image_regression_can_fail(tmp_path, run):
    changed = dict(run)
    a = run["agents"].copy()
    a.loc[a["agent"] == "Detroit-A", "cover_days"] *= 0.5
    changed["agents"] = a
    got = draw(tmp_path / "inventory.png", changed)
    assert compare_images(str(BASELINE), str(got), tol=TOL) is not None


def test_every_plot_drawn_or_skipped_with_reason_without_warnings(tmp_path, run):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths, skipped = plots.draw_all(run, tmp_path, "embargo_us")
    names = {p.stem for p in paths} | set(skipped)
    assert names == set(plots.PLOTS)
    assert paths[0].stem == "inventory"
    assert "licences" in skipped and "no licence" in skipped["licences"]  # none under embargo
    assert all(p.exists() for p in paths)
    assert not (tmp_path / "plots" / "licences.png").exists()


def test_event_rows_are_numbered_by_date(run):
    rows = plot_style.event_rows(run)
    assert [r["n"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["kind"] == "embargo"


if __name__ == "__main__":
    BASELINE.parent.mkdir(exist_ok=True)
    print(draw(BASELINE))
