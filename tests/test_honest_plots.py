"""Plots that cannot mislead (issue 21, item 3): each fixed plot is checked through its
figure's artists (labels match bars, no text over other text, the axis says what it is).

The figures are captured before they are saved (the save functions are patched)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer

import sim
from sim.experiments import plots as sweep_plots
from sim.experiments.design import param_label
from sim.outputs import plot_style, plots

from .helpers import load


@pytest.fixture(scope="module")
def c25():
    """controls_2025 for 420 days: controls, customs holds, tariffs, a partial denial."""
    return sim.run(load("controls_2025", "days=420", "plots=false"), progress=False)


@pytest.fixture
def captured(monkeypatch):
    """Figures as drawn: run plots (`save_figure`) and sweep plots (`_write`)."""
    figs = []

    def keep(fig, path, *a):
        fig.canvas.draw()
        figs.append(fig)

    monkeypatch.setattr(plots, "save_figure", keep)
    monkeypatch.setattr(sweep_plots, "_write", keep)
    return figs


def _boxes(artists, renderer):
    return [a.get_window_extent(renderer) for a in artists]


def _overlaps(boxes) -> list:
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


# --------------------------------------------------------------------------- run plots
def test_event_markers_never_overlap(c25, captured, tmp_path):
    plots.inventory(c25, tmp_path / "x.png", "controls_2025")
    fig = captured[0]
    r = fig.canvas.get_renderer()
    strip = fig.axes[0]
    patches = [t.get_bbox_patch() for t in strip.texts if t.get_bbox_patch() is not None]
    assert len(patches) >= 8  # the markers are there
    assert not _overlaps(_boxes(patches, r))
    shown = ",".join(t.get_text() for t in strip.texts if t.get_bbox_patch() is not None)
    numbers = set()
    for part in shown.split(","):
        a, _, b = part.partition("-")
        numbers |= set(range(int(a), int(b or a) + 1))
    in_run = [e for e in plot_style.event_rows(c25)
              if c25["daily"]["date"].min() <= e["date"] <= c25["daily"]["date"].max()]
    assert numbers == {e["n"] for e in in_run}  # every event in the run has its marker


def test_the_key_gives_every_label_whole(c25, captured, tmp_path):
    plots.exports(c25, tmp_path / "x.png", "controls_2025")
    fig = captured[0]
    key = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    for e in plot_style.event_rows(c25):
        assert " ".join(e["label"].split()) in key, e["label"]  # not cut at 31 characters
    assert any(len(e["label"]) > 40 for e in plot_style.event_rows(c25))


def test_licences_histogram_and_legend_clear_of_the_key(c25, captured, tmp_path):
    plots.licences(c25, tmp_path / "x.png", "controls_2025")
    fig = captured[0]
    r = fig.canvas.get_renderer()
    key = [t for t in fig.texts if t.get_text().strip()]
    legend = fig.legends[0]
    hist = fig.axes[-1]
    assert hist.get_xlabel().startswith("days from application to decision")
    boxes = [*_boxes(key, r), legend.get_window_extent(r), hist.get_tightbbox(r)]
    assert not _overlaps(boxes)


def test_partial_denial_is_hatched_and_named_not_a_full_ban(c25, captured, tmp_path):
    lanes = plot_style.shock_segments(plot_style.event_rows(c25), c25["daily"]["date"].min(),
                                      c25["daily"]["date"].max())
    deny = [k for k in lanes if k.startswith("deny")]
    assert deny == ["deny (end use military only): ndfeb, ndfeb_hre, smco to JP"]
    assert all(s["partial"] for s in lanes[deny[0]])
    plots.inventory(c25, tmp_path / "x.png", "controls_2025")
    strip = captured[0].axes[0]
    hatched = [p for p in strip.patches if p.get_hatch()]
    assert len(hatched) == 1  # the denial only; the controls are solid


def test_tariffs_customs_holds_and_quotas_are_in_the_shock_strip(c25):
    lanes = plot_style.shock_segments(plot_style.event_rows(c25), c25["daily"]["date"].min(),
                                      c25["daily"]["date"].max())
    assert "tariff US on CN" in lanes and "tariff CN on US" in lanes
    assert [s["value"] for s in lanes["tariff US on CN"]] == ["10%", "20%", "54%", "145%",
                                                             "30%"]
    assert any(k.startswith("customs hold") for k in lanes)
    hold = next(v for k, v in lanes.items() if k.startswith("customs hold"))
    assert str(hold[0]["stop"].date()) == "2025-06-03"  # ends with its 60 days
    t = pd.Timestamp
    rows = [  # the 2010 quota batches, their split and their abolition
        {"n": 1, "date": t("2010-01-01"), "end": None, "kind": "reo_quota", "label": "",
         "what": "", "scope": "", "detail": {"tonnes": "22,282"}, "lift": False},
        {"n": 2, "date": t("2010-07-08"), "end": None, "kind": "reo_quota", "label": "",
         "what": "", "scope": "", "detail": {"tonnes": "7,976"}, "lift": False},
        {"n": 3, "date": t("2011-06-01"), "end": None, "kind": "lift_reo_quota", "label": "",
         "what": "", "scope": "", "detail": {"group": "all"}, "lift": False}]
    q = plot_style.shock_segments(rows, t("2010-01-01"), t("2011-12-31"))
    segs = q["REO export quota (all)"]
    assert [s["value"] for s in segs] == ["22,282", "7,976"]
    assert segs[0]["stop"] == t("2010-07-08") and segs[1]["stop"] == t("2011-06-01")


def test_prices_png_is_usd_per_kg_from_zero_and_skipped_when_flat(c25, captured, tmp_path):
    plots.prices(c25, tmp_path / "x.png", "controls_2025")
    ax = captured[0].axes[1]
    assert "USD/kg" in ax.get_ylabel() and ax.get_ylim()[0] == 0
    top = max(float(np.nanmax(line.get_ydata())) for line in ax.get_lines())
    outside = [c for c in c25["daily"] if c.startswith("price_") and c.endswith("_ex_cn")]
    assert any(top == pytest.approx(c25["daily"][c].max()) for c in outside)  # not a ratio
    assert top > 100  # USD/kg of a magnet or oxide outside China, not a ratio to the start
    flat = dict(c25)
    d = c25["daily"].copy()
    for col in [c for c in d if c.startswith("price_")]:
        d[col] = d[col].iloc[0]
    flat["daily"] = d
    with pytest.raises(plot_style.Skip, match="flat"):
        plots.prices(flat, tmp_path / "y.png", "flat")


# --------------------------------------------------------------------------- sweep plots
def _ctx(**kw):
    return sweep_plots.Context(design=["sampled: something"], scenario="embargo_us", **kw)


def test_sensitivity_panels_each_label_their_own_bars(captured, tmp_path):
    params = ["world.automaker_cover_scale", "world.transit_jitter_days",
              "market.adjust_per_day"]
    sens = pd.DataFrame([
        {"parameter": p, "kpi": k, "method": "morris", "mu_star": v, "mu_star_conf": v / 2}
        for k, vals in (("lost_vehicles", (3.0, 1.0, 2.0)), ("lost_vehicle_share",
                                                             (0.1, 0.3, 0.2)))
        for p, v in zip(params, vals, strict=True)])
    sweep_plots.sensitivity_bars(sens, tmp_path / "s.png", _ctx())
    fig = captured[0]
    for ax, kpi in zip(fig.axes, ("lost_vehicles", "lost_vehicle_share"), strict=True):
        labels = [t.get_text() for t in ax.get_yticklabels()]
        widths = [b.get_width() for b in ax.patches]
        assert labels and all(labels)  # every panel has its own labels
        truth = sens[sens["kpi"] == kpi].set_index("parameter")["mu_star"]
        for lab, w in zip(labels, widths, strict=True):
            key = next(p for p in params if param_label(p) == lab)
            assert w == truth[key], (kpi, lab, w)  # the bar sits on its own row
        assert ax.get_xlim()[0] == 0  # mu* >= 0: no interval below zero


def _comp(n_pairs: int) -> pd.DataFrame:
    return pd.DataFrame([{"variant": "fast_track", "reference": "statutory_45wd",
                          "kpi": "lost_vehicles", "n_pairs": n_pairs, "mean_variant": 1.0,
                          "mean_reference": 2.0, "mean_diff": -1.0,
                          "ci95_low": -1.5 if n_pairs > 1 else np.nan,
                          "ci95_high": -0.5 if n_pairs > 1 else np.nan}])


@pytest.mark.parametrize("n", [1, 5])
def test_paired_differences_state_n_and_draw_no_interval_from_one_pair(captured, tmp_path, n):
    sweep_plots.paired(_comp(n), tmp_path / "p.png", _ctx())
    ax = captured[0].axes[0]
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert bool(bars) == (n >= 2)
    assert f"n={n} pair" in ax.get_xticklabels()[0].get_text()


def _halts(n: int) -> pd.DataFrame:
    return pd.DataFrame([{"variant": "all jobs", "plant": p, "n_runs": n,
                          "halt_probability": 0.5, "mean_halt_days": 3.0,
                          "mean_lost_vehicles": 10.0} for p in ("Aichi", "Ulsan")])


@pytest.mark.parametrize("n,samples,prob", [
    (1, None, False), (12, {"method": "morris"}, False), (20, {"method": "monte_carlo"}, True),
    (5, None, True)])
def test_halt_shares_are_called_probabilities_only_for_random_runs(captured, tmp_path, n,
                                                                   samples, prob):
    sweep_plots.halt_probability(_halts(n), tmp_path / "h.png", _ctx(samples=samples))
    title = captured[0].axes[0].get_title()
    assert ("probability of a production halt" in title) == prob
    legend = captured[0].axes[0].get_legend()
    assert f"n={n} run" in " ".join(t.get_text() for t in legend.get_texts())


def test_heatmap_axes_name_the_event_and_cells_show_n(captured, tmp_path):
    rows = [{"status": "ok", "param.events.0.days": d, "param.world.automaker_cover_days": c,
             "kpi.lost_vehicles": d * 10.0 / c, "seed": s}
            for d in (30, 90) for c in (15, 45) for s in range(1 + (d == 30 and c == 15))]
    df = pd.DataFrame(rows)
    sweep_plots.heatmap(df, tmp_path / "m.png", "lost_vehicles", "events.0.days",
                        "world.automaker_cover_days", _ctx(events=[{"set": "embargo"}]))
    ax = captured[0].axes[0]
    assert ax.get_xlabel() == "embargo length (days)"
    assert ax.get_ylabel() == "every plant's cover, replacing its own (days)"
    cells = [t.get_text() for t in ax.texts]
    assert any("n=2" in c for c in cells) and any("n=1" in c for c in cells)
    assert captured[0].texts and "sampled" in captured[0].texts[-1].get_text()


def test_fan_chart_titled_with_the_scenario_and_shows_the_plants(c25, captured, tmp_path):
    folders = []
    for i in range(2):
        f = tmp_path / str(i)
        sim.save(c25, f, plots=False, report=False)
        folders.append(str(f))
    df = pd.DataFrame({"status": ["ok"] * 2, "folder": folders, "seed": [1, 2],
                       **{f"kpi.plants.{p}.kind": ["automaker"] * 2 for p in ("Aichi",
                                                                               "Ulsan")},
                       "kpi.plants.US-industry.kind": ["industry"] * 2})
    sweep_plots.fan_charts(df, tmp_path / "f.png", None, None, _ctx())
    fig = captured[0]
    assert fig.axes[0].get_title().startswith("embargo_us: ")
    assert [ax.get_ylabel().split("\n")[0] for ax in fig.axes] == ["Aichi", "Ulsan",
                                                                  "cumulative"]


def test_held_cover_cost_grows_with_the_cover_held():
    cost = {c: sim.run(load("embargo_us", "days=20", f"world.automaker_cover_days={c}"),
                       progress=False)["kpis"]["plant_stock_carrying_cost_usd_per_yr"]
            for c in (30, 90)}
    assert cost[30] > 0 and cost[90] == pytest.approx(3 * cost[30], rel=1e-6)


def test_exports_by_destination_plot_shows_what_customs_counts(c25, captured, tmp_path):
    """The stacked exports plot holds exactly the exports of the daily ``exports_t``
    (customs-dated, no home sales to tier-1s in China, no tier-1 components): its bands
    sum to the daily series' total and no band is China itself."""
    from sim.kpis.supply import is_cn_export, monthly_exports
    s = c25["shipments"]
    home = s[(s["seller_country"] == "CN") & (s["buyer_country"] == "CN")]
    assert home["tonnes"].sum() > 0  # the case this guards: China sells to its tier-1s
    assert not is_cn_export(s)[home.index].any() and not is_cn_export(s)[s["component"]].any()
    m = monthly_exports(c25)
    assert "CN" not in m.columns
    assert m.to_numpy().sum() == pytest.approx(c25["daily"]["exports_t"].sum(), rel=1e-9)
    plots.exports(c25, tmp_path / "exports.png", "controls_2025")
    labels = {t.get_text() for leg in captured[-1].legends for t in leg.get_texts()}
    assert "CN" not in labels and {"US", "DE", "JP"} <= labels
    # every month is drawn to the run's end (step plots drop the last one unless told),
    # and the month the run covers in part says so
    from matplotlib.collections import PolyCollection
    from matplotlib.dates import date2num
    ax = next(a for a in captured[-1].axes
              if any(isinstance(c, PolyCollection) for c in a.collections))
    right = max(p.get_paths()[0].vertices[:, 0].max() for p in ax.collections
                if isinstance(p, PolyCollection))
    end = c25["daily"]["date"].max()
    assert right >= date2num(end)
    notes = [t.get_text() for t in ax.texts]
    assert any(f"{end.day} of {end.days_in_month} days" in t for t in notes), notes
