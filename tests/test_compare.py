"""The compare report: its numbers match a hand computation on a small case, a run's report
is written from the runs' series (plots, CSVs, a self-contained page), and a saved sweep is
compared without running again."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.cli.main import main as cli
from sim.config.observed import parse_text
from sim.experiments import fit
from sim.experiments.compare import Evaluation, Setup, error_table, plant_table

MONTHS = pd.DatetimeIndex(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"])
CSV = ("date,series,value,unit,source\n" + "".join(
    f"{d:%Y-%m-%d},cn_magnet_exports_t,{v},t,hand\n" for d, v in zip(
        MONTHS, (100, 50, 80, 120), strict=True)))


def small_case() -> tuple[Setup, Evaluation]:
    ob = parse_text(CSV, "hand.csv")
    s = Setup(ob, fit.parse_window("2025-01:2025-02", "reference", "r"),
              fit.parse_window("2025-01:2025-02", "train", "t"),
              fit.parse_window("2025-03:2025-04", "validation", "v"))
    runs = pd.DataFrame({"a": [100.0, 60, 90, 100], "b": [110.0, 40, 70, 130]}, index=MONTHS)
    kpis = [{"plants": {"P": {"kind": "automaker", "lost_vehicles": 10.0,
                              "halts": [{"days": 3}, {"days": 5}]}}},
            {"plants": {"P": {"kind": "automaker", "lost_vehicles": 0.0, "halts": []}}}]
    return s, Evaluation({"cn_magnet_exports_t": runs}, kpis, ["a", "b"])


def test_error_table_matches_a_hand_computation():
    s, ev = small_case()
    e = error_table(ev, s).set_index("window")
    # ratios to the Jan-Feb mean: observed 75 -> 1.3333 0.6667 1.0667 1.6;
    # run a (80) -> 1.25 0.75 1.125 1.25; run b (75) -> 1.4667 0.5333 0.9333 1.7333;
    # mean of the runs' ratios: 1.35833 0.64167 1.02917 1.49167
    assert e.loc["train", "n"] == 2 and e.loc["validation", "n"] == 2
    assert e.loc["train", "mae_ratio"] == pytest.approx(0.025)
    assert e.loc["train", "bias_ratio"] == pytest.approx(0.0, abs=1e-12)
    assert e.loc["validation", "mae_ratio"] == pytest.approx((0.0375 + 0.108333) / 2, rel=1e-4)
    assert e.loc["validation", "bias_ratio"] == pytest.approx(-(0.0375 + 0.108333) / 2,
                                                              rel=1e-4)
    # levels: the runs' mean 105 50 80 115 against 100 50 80 120
    assert e.loc["train", "mae"] == pytest.approx(2.5)
    assert e.loc["train", "bias"] == pytest.approx(2.5)
    assert e.loc["validation", "mae"] == pytest.approx(2.5)
    assert e.loc["validation", "bias"] == pytest.approx(-2.5)
    # the 10-90% band of two runs (linear): Jan [101, 109] misses 100; the rest inside
    assert e.loc["train", "coverage"] == pytest.approx(0.5)
    assert e.loc["validation", "coverage"] == pytest.approx(1.0)
    assert e.loc["all", "n"] == 4 and e.loc["all", "coverage"] == pytest.approx(0.75)
    loss = fit.loss({"cn_magnet_exports_t": s.observed.values("cn_magnet_exports_t")},
                    ev.series, s.train, s.reference)
    assert loss == pytest.approx(0.025)


def test_plant_table_over_the_runs():
    _, ev = small_case()
    p = plant_table(ev).set_index("plant").loc["P"]
    assert p["runs"] == 2 and p["halted_share"] == 0.5
    assert p["lost_vehicles_mean"] == 5.0 and p["longest_halt_days_mean"] == 2.5


@pytest.fixture(scope="module")
def observed_csv(tmp_path_factory):
    f = tmp_path_factory.mktemp("obs") / "mine.csv"
    f.write_text("date,series,value,unit,source\n"
                 "2025-01-01,cn_magnet_exports_t,5000,t,test\n"
                 "2025-02-01,cn_magnet_exports_t,4500,t,test\n"
                 "2025-01-01,cn_magnet_exports_t/US,800,t,test\n"
                 "2025-02-01,cn_magnet_exports_t/US,700,t,test\n", encoding="utf-8")
    return f


def test_compare_a_scenario_writes_its_report(tmp_path, observed_csv, capsys):
    out = tmp_path / "cmp"
    code = cli(["compare", "scenario=baseline", "days=59", "--observed", str(observed_csv),
                "--seeds", "2", "--workers", "1", "--reference", "2025-01:2025-01",
                "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    errs = pd.read_csv(out / "errors.csv")
    assert set(errs["series"]) == {"cn_magnet_exports_t", "cn_magnet_exports_t/US"}
    series = pd.read_csv(out / "series.csv")
    tot = series[series["series"] == "cn_magnet_exports_t"].set_index("period")
    row = errs[(errs["series"] == "cn_magnet_exports_t") & (errs["window"] == "all")].iloc[0]
    assert row["n"] == 2
    assert row["mae"] == pytest.approx((tot["mean"] - tot["observed"]).abs().mean())
    page = (out / "report.html").read_text()
    assert "data:image/png;base64," in page and "http" not in page.split("<body>")[1]
    assert (out / "plots" / "cn_magnet_exports_t.png").is_file()


def test_compare_a_saved_sweep(tmp_path, observed_csv, capsys):
    root = tmp_path / "sweep"
    assert cli(["-m", "scenario=baseline", "days=59", "seed=1,2", "plots=false",
                f"hydra.sweep.dir={root}"]) == 0
    out = tmp_path / "cmp"
    code = cli(["compare", str(root), "--observed", str(observed_csv), "--out", str(out),
                "--reference", "2025-01:2025-01"])
    err = capsys.readouterr().err
    assert code == 2 and "hydra.sweeper.keep=tables" in err  # by destination: shipments
    lean = tmp_path / "total.csv"
    lean.write_text("\n".join(observed_csv.read_text().splitlines()[:3]) + "\n")
    assert cli(["compare", str(root), "--observed", str(lean), "--out", str(out),
                "--reference", "2025-01:2025-01"]) == 0
    assert pd.read_csv(out / "errors.csv")["n"].max() == 2
