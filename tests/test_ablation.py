"""Ablation tables (`sim.ablation`) and month-by-month tables (`sim.months`)."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.domain.errors import ConfigError
from sim.domain.products import PRODUCTS
from sim.experiments import ablation, months
from sim.experiments.ablation_spec import (
    ALL_ON,
    DEFAULT_SPEC,
    REFERENCE,
    Spec,
    load_spec,
    parse_spec,
)

from .helpers import load

# the provincial review on (15 working days before the clock), so switching it off matters
REVIEW_ON = "licensing.provincial_review={dist:fixed,low:15,mode:15,high:15}"
REVIEW_OFF = "licensing.provincial_review={dist:fixed,low:0,mode:0,high:0}"
SMALL = {"scenarios": ["controls_2025"], "seed": 3, "overrides": ["days=240", REVIEW_ON],
         "headline": ["lost_vehicles", "licence_wait_days_p50", "sum(plants.*.halt_days)",
                      "price_peak_ratio"],
         "switches": {"provincial_review": [REVIEW_OFF],
                      "leakage": ["border.leakage=0"]}}


@pytest.fixture(scope="module")
def small_tables():
    spec = parse_spec(SMALL)
    return spec, ablation.run(spec, progress=False)["controls_2025"]


# --------------------------------------------------------------------------- the spec
def test_shipped_spec_parses_and_its_overrides_check():
    spec = load_spec(DEFAULT_SPEC)
    assert {"controls_2025", "embargo_2010"} <= set(spec.scenarios) and spec.switches
    ablation.check_variants(ablation.variants(spec))  # every switch key is in the schema


@pytest.mark.parametrize("raw, where, what", [
    ({**SMALL, "sedd": 1}, "ablation spec", "unknown key 'sedd' (did you mean 'seed'?"),
    ({k: v for k, v in SMALL.items() if k != "switches"}, "ablation spec", "needs 'switches'"),
    ({**SMALL, "headline": ["lost_vehicle"]}, "headline[0]", "unknown KPI 'lost_vehicle'"),
    ({**SMALL, "headline": ["exports_t_per_month/baseline"]}, "headline", "needs a baseline"),
    ({**SMALL, "switches": {"x": "days"}}, "switches.x", "is not key=value"),
    ({**SMALL, "seed": -1}, "seed", "expected a whole number"),
])
def test_bad_spec_is_one_line_naming_the_key(raw, where, what):
    with pytest.raises(ConfigError) as e:
        parse_spec(raw)
    msg = str(e.value)
    assert where in msg and what in msg and "\n" not in msg


def test_unknown_switch_key_names_the_switch():
    spec = parse_spec({**SMALL, "switches": {"review": ["licensing.provincal_review.low=0"]}})
    with pytest.raises(ConfigError) as e:
        ablation.check_variants(ablation.variants(spec), "s.yaml")
    msg = str(e.value)
    assert msg.startswith("s.yaml: switches.review: unknown key 'provincal_review'")
    assert "did you mean 'provincial_review'" in msg and "\n" not in msg


def test_cli_bad_spec_exits_2_with_one_line(tmp_path, capsys):
    from sim.cli.main import main

    f = tmp_path / "spec.yaml"
    f.write_text("scenarios: [controls_2025]\nheadline: [lost_vehicles]\nswitches: {}\n"
                 "extra: 1\n")
    assert main(["ablation", str(f), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {f}: unknown key 'extra'") and "\n" not in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- the table
def test_table_has_all_on_and_one_row_per_switch(small_tables):
    spec, df = small_tables
    assert list(df["variant"]) == [ALL_ON, *(f"without {s}" for s in spec.switches)]
    assert {"lost_vehicles", "licence_wait_days_p50", "sum(plants.*.halt_days)"} <= set(df)
    assert "price_peak_ratio.ndfeb_hre" in df  # a map KPI by its name: one column per key


def test_switch_that_matters_changes_its_row(small_tables):
    _, df = small_tables
    on, off = df.iloc[0], df.set_index("variant").loc["without provincial_review"]
    # 15 working days of review before the 45-day clock: off, licences come ~3 weeks sooner
    assert off["licence_wait_days_p50"] <= on["licence_wait_days_p50"] - 15
    assert off["lost_vehicles diff"] < 0 and off["note"] == ""
    assert off["licence_wait_days_p50 diff"] == pytest.approx(
        off["licence_wait_days_p50"] - on["licence_wait_days_p50"])


def test_switch_without_effect_is_flagged(small_tables):
    _, df = small_tables
    row = df.set_index("variant").loc["without leakage"]  # already 0 in 2025: off anyway
    assert row["note"] == "no effect" and row["lost_vehicles diff"] == 0
    text = ablation.markdown(df)
    assert text.count("\n") == len(df) + 1 and "| without leakage |" in text
    assert "no effect |" in text and "(=)" in text


def test_reference_row_and_ratio_to_baseline():
    flat = {"exports_t_per_month": 80.0, "plants.A.halt_days": 3, "plants.B.halt_days": 4,
            "price_moves.x.cn.peak": 2.0, "price_moves.x.ex_cn.peak": 3.0}
    base = {**flat, "exports_t_per_month": 100.0}
    fig = ablation.figures(("exports_t_per_month/baseline", "sum(plants.*.halt_days)",
                            "price_moves.*.cn.peak"), flat, base)
    assert fig == {"exports_t_per_month / baseline": 0.8, "sum(plants.*.halt_days)": 7,
                   "price_moves.x.cn.peak": 2.0}
    spec = Spec(scenarios=("s",), headline=("exports_t_per_month/baseline",), switches={},
                baseline=("events=[]",))
    df = ablation.ablation_table(spec, "s", {ALL_ON: {"kpis": flat},
                                             REFERENCE: {"kpis": base}})
    assert list(df["variant"]) == [ALL_ON, REFERENCE]
    assert list(df["exports_t_per_month / baseline"]) == [0.8, 1.0]


def test_cli_writes_the_tables(tmp_path, capsys):
    from sim.cli.main import main

    f = tmp_path / "spec.yaml"
    f.write_text("scenarios: [controls_2025]\nseed: [1, 2]\nheadline: [exports_t_per_month]\n"
                 "switches: {relations: [licensing.relations_sensitivity=0]}\n")
    assert main(["ablation", str(f), "days=60", "--out", str(tmp_path / "out")]) == 0
    assert "## controls_2025" in capsys.readouterr().out
    csv = pd.read_csv(tmp_path / "out" / "ablation.csv")
    assert list(csv["variant"]) == [ALL_ON, "without relations"]
    runs = tmp_path / "out" / "runs" / "controls_2025"
    folder = runs / "without_relations" / "seed_2"
    assert sim.RunFolder(folder).overrides()[-1] == "licensing.relations_sensitivity=0"
    per_seed = [sim.RunFolder(runs / "all_on" / f"seed_{s}").kpis()["exports_t_per_month"]
                for s in (1, 2)]
    assert per_seed[0] != per_seed[1]  # the seeds differ, and the table gives their mean
    assert csv.loc[0, "exports_t_per_month"] == pytest.approx(sum(per_seed) / 2)


def test_several_seeds_no_effect_needs_every_seed_equal():
    spec = Spec(scenarios=("s",), headline=("lost_vehicles",), switches={"a": ("x=1",),
                                                                         "b": ("x=2",)},
                seeds=(1, 2))
    k = [{"lost_vehicles": 10.0, "other": 1}, {"lost_vehicles": 20.0, "other": 1}]
    res = {ALL_ON: [{"kpis": k[0]}, {"kpis": k[1]}],
           "without a": [{"kpis": k[0]}, {"kpis": k[1]}],
           "without b": [{"kpis": k[0]}, {"kpis": {**k[1], "other": 2}}]}
    df = ablation.ablation_table(spec, "s", res).set_index("variant")
    assert df.loc[ALL_ON, "lost_vehicles"] == 15.0
    assert df.loc["without a", "note"] == "no effect"
    assert df.loc["without b", "note"] == "no effect on these figures"


# --------------------------------------------------------------------------- months
@pytest.fixture(scope="module")
def controls_run():
    return sim.run(load("controls_2025", "days=200"), progress=False)


def test_months_exports_sum_to_the_shipments_table(controls_run):
    secs = months.sections(controls_run)
    s, d = controls_run["shipments"], controls_run["daily"]
    when = s["cleared_on"] if "cleared_on" in s else s["shipped_on"]
    cn = s[(s["seller_country"] == "CN") & when.between(d["date"].min(), d["date"].max())]
    by_product, by_dest = secs["exports by product (t)"], secs["exports by destination (t)"]
    assert by_product["total"].sum() == pytest.approx(cn["tonnes"].sum())
    assert by_dest["total"].sum() == pytest.approx(cn["tonnes"].sum())
    for mat, t in cn.groupby("material")["tonnes"].sum().items():
        assert by_product[mat].sum() == pytest.approx(t)
    for c, t in cn.groupby("buyer_country")["tonnes"].sum().items():
        assert by_dest[c].sum() == pytest.approx(t)
    recorded = sum(d[f"exports_{p.code}_t"].sum() for p in PRODUCTS)  # the recorder's
    assert by_product["total"].sum() == pytest.approx(recorded)
    assert list(by_product.index) == sorted(d["date"].dt.strftime("%Y-%m").unique())


def test_months_prices_queue_halts_and_events(controls_run):
    secs = months.sections(controls_run)
    from sim.domain.products import PRODUCTS
    cats = dict.fromkeys(p.category for p in PRODUCTS)
    prices = pd.concat([secs[f"prices (USD/kg, monthly mean): {c}"] for c in cats], axis=1)
    assert sorted(prices) == sorted(f"{p.code} {w}" for p in PRODUCTS for w in ("CN", "ex-CN"))
    d = controls_run["daily"]
    jun = d[d["date"].dt.strftime("%Y-%m") == "2025-06"]
    assert prices.loc["2025-06", "ndfeb_hre ex-CN"] == pytest.approx(
        jun["price_ndfeb_hre_ex_cn"].mean())
    q = secs["licence queue"]
    assert q.loc["2025-02"].sum() == 0 and q.loc["2025-05", "ndfeb_hre t (mean)"] > 0
    halts = secs["halts and events"]
    a = controls_run["agents"]
    lost = a[(a["lost"] > 1e-9) & a["kind"].isin(["automaker", "industry", "defense"])]
    written = sum(int(x.rsplit(" ", 1)[1]) for cell in halts["halted (days in month)"]
                  if cell for x in cell.split(", "))
    assert written == len(lost)
    assert halts["lost vehicles"].sum() == pytest.approx(controls_run["kpis"]["lost_vehicles"])
    assert "Apr 4 controls" in halts.loc["2025-04", "events"]
    assert "Apr 4 controls" not in halts.loc["2025-03", "events"]


def test_months_cli_reads_a_run_folder(tmp_path, controls_run, capsys):
    from sim.cli.main import main

    folder = sim.save(controls_run, tmp_path / "run", plots=False)
    assert main(["months", str(folder), "--csv", str(tmp_path / "m.csv")]) == 0
    out = capsys.readouterr().out
    assert "## Exports by destination (t)" in out and "| 2025-04 |" in out
    csv = pd.read_csv(tmp_path / "m.csv", index_col="month")
    d = controls_run["daily"]
    assert csv["exports by product (t): total"].sum() == pytest.approx(
        sum(d[f"exports_{p.code}_t"].sum() for p in PRODUCTS))
    assert main(["months", str(tmp_path / "missing")]) == 2
    assert main(["months", "controls_2025", "days=x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(e.startswith("error: ") for e in err)


# --------------------------------------------------------------------------- README
def test_readme_replay_inputs_are_up_to_date():
    from sim.cli.docs import README_BLOCKS, README_MD, render

    text = README_MD.read_text()
    assert render(text, README_BLOCKS) == text, "run: .venv/bin/python -m sim.outputs.docs"
    block = text.split("<!-- replays:begin -->")[1].split("<!-- replays:end -->")[0]
    for name in load_spec(DEFAULT_SPEC).scenarios:
        assert f"**`scenario={name}`**" in block
    assert "| 2010-09-21 | embargo |" in block and "[sources: april-2025]" in block
