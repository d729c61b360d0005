"""A shareable answer (issue 21, item 4): every run and sweep writes a self-contained
``report.html`` through the one report writer, CSV copies of the plants and KPI tables;
sweeps print their headline comparison and say how many runs and roughly how long before
they start; ``replot RUN`` redraws a run's own plots; a sweep's report needs only its
summary and the daily series the sweep keeps."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import sim
from sim.cli.main import main
from sim.outputs.report import Section, write_report

from .helpers import load


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = sim.run(load("controls_2025", "days=200"), progress=False)
    return sim.save(out, tmp_path_factory.mktemp("run") / "c25"), out


def _self_contained(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html)
    assert "<link" not in html and "<script" not in html
    assert "<style>" in html


def test_a_run_writes_a_self_contained_report(run_folder):
    folder, out = run_folder
    html = (folder / "report.html").read_text()
    _self_contained(html)
    pngs = sorted(p.stem for p in (folder / "plots").glob("*.png"))
    assert pngs and html.count("data:image/png;base64,") == len(pngs)
    for section in ("Headline", "Plants", "Plots", "What this run changed",
                    "Inputs and their sources"):
        assert f">{section}</h2>" in html
    for plant in ("Detroit-A", "Stuttgart", "Ulsan"):
        assert plant in html
    assert "[sources: april-2025]" in html  # an input with its source
    assert "licensing.approval_default" in html  # a setting the scenario changes
    assert "lost vehicles" in html


def test_a_run_writes_csv_copies_of_the_plants_and_kpi_tables(run_folder):
    folder, out = run_folder
    plants = pd.read_csv(folder / "plants.csv")
    assert set(plants["node"]) == set(out["plants"]["node"])
    k = pd.read_csv(folder / "kpis.csv").set_index("kpi")
    kj = json.loads((folder / "kpis.json").read_text())
    assert float(k.loc["lost_vehicles", "value"]) == pytest.approx(kj["lost_vehicles"])
    assert k.loc["lost_vehicles", "unit"] == "vehicles"
    assert float(k.loc["plants.Ulsan.halt_days", "value"]) == kj["plants"]["Ulsan"]["halt_days"]


def test_replot_redraws_a_runs_own_plots(tmp_path, capsys):
    out = sim.run(load("embargo_us", "days=60"), progress=False)
    folder = sim.save(out, tmp_path / "r", plots=False, report=False)
    assert not (folder / "plots").exists() and not (folder / "report.html").exists()
    assert main(["replot", str(folder)]) == 0
    assert (folder / "plots" / "inventory.png").exists()
    html = (folder / "report.html").read_text()
    assert "data:image/png;base64," in html and "inventory.png" in html
    assert "report:" in capsys.readouterr().out


def test_the_report_writer_takes_generic_sections(tmp_path):
    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    p = write_report(tmp_path, "t <1>", "sub", [
        Section("A", paragraphs=["x & y"], facts={"k": "v"}, pre="pre",
                tables=[("cap", pd.DataFrame({"n": [1234.5], "s": ["a"]}))],
                images=[("img", png)])])
    html = p.read_text()
    assert p.name == "report.html" and "t &lt;1&gt;" in html and "x &amp; y" in html
    assert "1,234" in html or "1,235" in html
    _self_contained(html)


def test_a_sweep_says_its_size_prints_its_headline_and_writes_its_report(tmp_path, capsys):
    root = tmp_path / "lp"
    rc = main(["-m", "experiment=licensing_policies", "seed=1,2", "days=25",
               f"hydra.sweep.dir={root}"])
    assert rc == 0
    out = capsys.readouterr().out
    first = next(ln for ln in out.splitlines() if ln.startswith("sweep:"))
    assert "8 runs to go" in first and "roughly" in first and "25 days each" in first
    assert "each licensing minus statutory_45wd on the same seeds:" in out
    assert "what the sweep varied:" in out and "licensing: 4 values" in out
    html = (root / "report.html").read_text()
    _self_contained(html)
    assert "Headline comparison" in html and "What was sampled or varied" in html
    assert "fast_track" in html and "data:image/png;base64," in html
    # the report needs only the summary and the series the sweep keeps
    for job in (j for j in root.iterdir() if j.is_dir() and j.name.isdigit()):
        for t in ("daily", "agents", "shipments", "events"):
            (job / f"{t}.parquet").unlink(missing_ok=True)
    (root / "report.html").unlink()
    assert main(["replot", str(root)]) == 0
    assert (root / "report.html").exists() and (root / "plots" / "fan_charts.png").exists()
