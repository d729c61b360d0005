"""The KPI registry, per plant figures, the run folder and the printed summary."""

import json

import pandas as pd
import pytest

import sim
from sim.kpis import (
    REGISTRY,
    KpiError,
    check_names,
    kpis,
    summary_lines,
)
from sim.kpis.nodes import PLANT_FIELDS, episodes
from sim.outputs.run_folder import RunFolder

from .helpers import ROOT, load


@pytest.fixture(scope="module")
def controls():
    return sim.run(load("controls_2025", "days=400"), progress=False)


def test_every_kpi_has_unit_or_keys_and_description(controls):
    for k in REGISTRY.values():
        assert k.description and (k.unit or k.keys), k.name
    assert list(controls["kpis"]) == list(REGISTRY)


def test_plants_lost_vehicles_add_up_to_the_total(controls):
    k = controls["kpis"]
    autos = {n: p for n, p in k["plants"].items() if p["kind"] == "automaker"}
    assert len(autos) == 5 and k["lost_vehicles"] > 0
    assert sum(p["lost_vehicles"] for p in autos.values()) == pytest.approx(
        k["lost_vehicles"], abs=1.0)
    assert sum(p["lost_revenue_usd"] for p in autos.values()) == pytest.approx(
        k["lost_revenue_usd"], abs=5)
    for n, p in autos.items():
        assert (p["first_halt"] is None) == (k["first_halt"][n] is None)
        assert p["first_halt"] == k["first_halt"][n]
        if p["halt_days"]:
            assert p["buffer_needed_days"] > 0 and p["buffer_carrying_cost_usd_per_yr"] > 0
            # revenue counts the vehicles never made up (make-up is on in controls_2025)
            assert p["lost_vehicles_net"] <= p["lost_vehicles"]
            assert p["lost_revenue_usd"] >= p["lost_vehicles_net"] * 20_000


def test_halt_episodes_match_the_agents_table(controls):
    a = controls["agents"]
    plants = controls["kpis"]["plants"]
    for name, g in a[a["kind"].isin(["automaker", "industry"])].groupby("agent"):
        lost_days = set(g.loc[g["lost"] > 1e-9, "date"].dt.date.astype(str))
        p = plants[name]
        covered = set()
        for e in p["halts"]:
            days = pd.date_range(e["start"], e["end"]).date.astype(str)
            assert len(days) == e["days"] and set(days) <= lost_days, (name, e)
            covered |= set(days)
        assert covered == lost_days and p["halt_days"] == len(lost_days)
        assert p["n_halts"] == len(p["halts"])
        # episodes are separated by at least one day of full output
        for e1, e2 in zip(p["halts"], p["halts"][1:], strict=False):
            assert pd.Timestamp(e2["start"]) - pd.Timestamp(e1["end"]) > pd.Timedelta(days=1)


def test_episodes_helper():
    d = pd.Series(pd.date_range("2025-01-01", periods=8))
    lost = pd.Series([0, 1, 1, 0, 0, 2, 0, 3.0])
    assert episodes(d, lost) == [
        {"start": "2025-01-02", "end": "2025-01-03", "days": 2},
        {"start": "2025-01-06", "end": "2025-01-06", "days": 1},
        {"start": "2025-01-08", "end": "2025-01-08", "days": 1}]
    assert episodes(d, lost * 0) == []


def test_defence_and_buyers_have_their_figures(controls):
    p = controls["kpis"]["plants"]
    prime = p["US-defense-prime"]
    assert prime["kind"] == "defense" and prime["days_below_readiness"] is not None
    assert prime["lost_vehicles"] is None and prime["lost_demand_t"] is not None
    for n, t in controls["kpis"]["lost_demand_t"].items():
        assert p[n]["lost_demand_t"] == pytest.approx(t, abs=1e-3)


def test_price_moves_have_peak_trough_end_with_dates(controls):
    m = controls["kpis"]["price_moves"]["ndfeb_hre"]
    out, inside = m["ex_cn"], m["cn"]
    assert out["peak"] > 2 and out["peak"] == controls["kpis"]["price_peak_ratio"]["ndfeb_hre"]
    assert out["trough"] <= 1 <= out["peak"] and pd.Timestamp(out["peak_date"])
    assert out["end"] == controls["kpis"]["price_end_ratio_ex_cn"]["ndfeb_hre"]
    assert inside["trough"] < 1  # the glut inside China under the controls


def test_unknown_kpi_is_a_clear_error():
    check_names(["lost_vehicles", "price_peak_ratio.ndfeb", "plants.Ulsan.halt_days"])
    with pytest.raises(KpiError, match="lost_cars"):
        check_names(["lost_vehicles", "lost_cars"])
    with pytest.raises(KpiError, match="plants.Ulsan.halt_weeks"):
        check_names(["plants.Ulsan.halt_weeks"])
    with pytest.raises(KpiError, match="lost_vehicles.x"):
        check_names(["lost_vehicles.x"])  # a scalar KPI has no keys


def test_every_experiment_compares_registered_kpis():
    from omegaconf import OmegaConf
    for f in sorted((ROOT / "experiments").glob("*.yaml")):
        compare = OmegaConf.load(f).hydra.sweeper.get("compare") or {}
        check_names(list(compare.get("kpis") or []), f.name)


def test_plant_fields_documented():
    assert {"halts", "halt_days", "lost_vehicles", "lost_revenue_usd",
            "extra_magnet_spend_usd", "min_cover_days", "time_to_survive_days",
            "time_to_recover_days", "buffer_needed_days", "buffer_carrying_cost_usd_per_yr",
            "days_below_readiness", "lost_demand_t"} <= set(PLANT_FIELDS)


def test_save_load_round_trip_and_run_folder(tmp_path, controls):
    folder = sim.save(controls, tmp_path / "run", plots=False)
    rf = RunFolder(folder)
    assert rf.is_run() and rf.is_ok() and rf.has_tables()
    back = sim.load(folder)
    def ns(df):  # parquet may change the datetime unit, not the values
        return df.apply(lambda c: c.astype("datetime64[ns]") if c.dtype.kind == "M" else c)
    for t in ("daily", "agents", "shipments", "events", "plants"):
        pd.testing.assert_frame_equal(ns(back[t]), ns(controls[t]), check_dtype=False)
    assert back["kpis"] == json.loads(json.dumps(controls["kpis"]))
    assert back["meta"]["nodes"]["Ulsan"]["ev_share"] == 0.1
    # KPIs recomputed from the saved folder equal the stored ones
    assert json.loads(json.dumps(kpis(back, back["meta"]))) == back["kpis"]
    assert not RunFolder(tmp_path).is_run()
    with pytest.raises(FileNotFoundError):
        RunFolder(tmp_path).read()


def test_resume_check_needs_same_overrides(tmp_path, controls):
    rf = RunFolder(tmp_path / "0")
    sim.save(controls, rf.path, plots=False)
    rf.hydra_dir.mkdir()
    rf.overrides_path.write_text("- seed=1\n")
    assert rf.completed(["seed=1"]) and not rf.completed(["seed=2"])
    rf.write_failure("boom")
    assert not rf.completed(["seed=1"])


def test_printed_summary(controls):
    text = "\n".join(summary_lines(controls))
    assert "plants, by first halt:" in text and "lost revenue" in text
    assert "policy events applied:" in text and "Apr 4 controls" in text
    assert "USD" in text and "t/month" in text
    rows = [ln for ln in text.splitlines() if ln.startswith("  ") and "-" in ln[13:25]]
    firsts = [ln.split()[1] for ln in text.split("plants, by first halt:")[1].splitlines()[2:7]]
    assert firsts == sorted(firsts), firsts  # sorted by first halt
    assert rows


def test_sweep_defaults_and_summary_columns_are_registered_kpis():
    from sim.experiments.summary import DEFAULT_KPIS, flat_kpis
    check_names(DEFAULT_KPIS)
    flat = flat_kpis({"lost_vehicles": 1.0, "plants": {"Ulsan": {"halt_days": 3, "halts": [
        {"start": "2025-01-01", "end": "2025-01-03", "days": 3}]}}})
    assert flat == {"lost_vehicles": 1.0, "plants.Ulsan.halt_days": 3}  # lists left out
    check_names(list(flat))
