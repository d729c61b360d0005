"""Observed series: the loader refuses bad files with one clear line (the standard of world
tables), the shipped training set reads, and the observable registry computes series from a
run's tables as the daily table and the shipments say."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.config import observed
from sim.domain.errors import ConfigError
from sim.kpis import observables

HEAD = "date,series,value,unit,source\n"
OK = HEAD + "2025-01-01,cn_magnet_exports_t,100,t,customs\n"

BAD = [
    ("empty", "", ["empty"]),
    ("header_only", HEAD, ["no observations"]),
    ("unknown_column", "date,series,value,unit,source,note\n", ["unknown column", "note"]),
    ("typo_column", "date,serie,value,unit,source\n", ["serie", "series"]),
    ("missing_source_column", "date,series,value,unit\n2025-01-01,cn_magnet_exports_t,1,t\n",
     ["missing column", "source"]),
    ("bad_date", HEAD + "2025-13-01,cn_magnet_exports_t,1,t,x\n", [":2:", "date", "2025-13-01"]),
    ("date_out_of_range", HEAD + "1900-01-01,cn_magnet_exports_t,1,t,x\n",
     [":2:", "1900-01-01", "range"]),
    ("unknown_series", HEAD + "2025-01-01,cn_magnet_export_t,1,t,x\n",
     [":2:", "cn_magnet_export_t", "cn_magnet_exports_t"]),
    ("bad_country", HEAD + "2025-01-01,cn_magnet_exports_t/USA,1,t,x\n", [":2:", "USA"]),
    ("bad_product", HEAD + "2025-01-01,price_cn/ndfeb_xx,1,USD/kg,x\n", [":2:", "ndfeb_xx"]),
    ("too_many_parts", HEAD + "2025-01-01,cn_magnet_exports_t/US/DE,1,t,x\n",
     [":2:", "cn_magnet_exports_t/<country>"]),
    ("value_text", HEAD + "2025-01-01,cn_magnet_exports_t,lots,t,x\n", [":2:", "value", "lots"]),
    ("value_nan", HEAD + "2025-01-01,cn_magnet_exports_t,nan,t,x\n", [":2:", "finite"]),
    ("value_negative", HEAD + "2025-01-01,cn_magnet_exports_t,-5,t,x\n", [":2:", "negative"]),
    ("unit_unknown", HEAD + "2025-01-01,cn_magnet_exports_t,1,tonnes,x\n",
     [":2:", "unit", "tonnes"]),
    ("unit_wrong", HEAD + "2025-01-01,cn_magnet_exports_t,1,USD/kg,x\n",
     [":2:", "unit", "'t'", "USD/kg"]),
    ("no_source", HEAD + "2025-01-01,cn_magnet_exports_t,1,t,\n", [":2:", "source", "empty"]),
    ("short_row", HEAD + "2025-01-01,cn_magnet_exports_t,1,t\n", [":2:", "4 cells"]),
    ("duplicate", OK + "2025-01-01,cn_magnet_exports_t,2,t,y\n", [":3:", "twice", "2 and 3"]),
    ("month_not_first", "date,series,value,unit,source,period\n"
     "2025-01-15,cn_magnet_exports_t,1,t,x,month\n", [":2:", "first day"]),
    ("bad_period", "date,series,value,unit,source,period\n"
     "2025-01-01,cn_magnet_exports_t,1,t,x,week\n", [":2:", "period", "week"]),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_observed_files_are_refused_in_one_line(case, tmp_path):
    _, text, expect = case
    f = tmp_path / "obs.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        observed.load(f)
    msg = str(e.value)
    assert "\n" not in msg and str(f) in msg, msg
    assert all(t in msg for t in expect), (expect, msg)


def test_files_that_are_not_text_or_not_there(tmp_path):
    (tmp_path / "utf16.csv").write_bytes(OK.encode("utf-16"))
    (tmp_path / "folder.csv").mkdir()
    for name, expect in [("utf16.csv", "UTF-16"), ("folder.csv", "folder"),
                         ("none.csv", "no such")]:
        with pytest.raises(ConfigError, match=expect):
            observed.load(tmp_path / name)
    with pytest.raises(ConfigError, match="cn_magnet_exports_2025"):
        observed.load("cn_magnet_exports_2024")  # a shipped name mistyped


def test_the_training_set_reads_and_is_the_only_data_set():
    assert list(observed.DATASETS) == ["cn_magnet_exports_2025"]
    ob = observed.load("cn_magnet_exports_2025")
    assert ob.series == ["cn_magnet_exports_t"] and ob.period("cn_magnet_exports_t") == "month"
    v = ob.values("cn_magnet_exports_t")
    assert len(v) == 12 and v.sum() == pytest.approx(57_392, abs=2)  # year total, months rounded
    assert (ob.data["source"].str.len() > 0).all()


def test_daily_series_and_period_inference(tmp_path):
    f = tmp_path / "obs.csv"
    f.write_text(HEAD + "2025-01-01,cover_days/Ulsan,5,days,plant\n"
                 "2025-01-02,cover_days/Ulsan,4,days,plant\n"
                 "2025-02-01,cn_magnet_exports_t,9,t,customs\n", encoding="utf-8")
    ob = observed.load(f)
    assert ob.period("cover_days/Ulsan") == "day"
    assert ob.period("cn_magnet_exports_t") == "month"


@pytest.fixture(scope="module")
def run60():
    return sim.run(sim.scenario("controls_2025", days=120, seed=1), progress=False)


def test_exports_by_destination_add_up_to_the_customs_total(run60):
    tot = observables.compute(run60, "cn_magnet_exports_t")
    s = run60["shipments"]
    countries = sorted(set(s.loc[s["seller_country"] == "CN", "buyer_country"]) - {"CN"})
    by = sum(observables.compute(run60, f"cn_magnet_exports_t/{c}") for c in countries)
    assert list(tot.index.strftime("%Y-%m")) == ["2025-01", "2025-02", "2025-03", "2025-04"]
    pd.testing.assert_series_equal(tot, by, check_names=False, rtol=1e-9)
    d = run60["daily"]
    jan = d.loc[pd.to_datetime(d["date"]).dt.month == 1, "exports_t"].sum()
    assert tot.iloc[0] == pytest.approx(jan)


def test_levels_and_halts_aggregate_as_declared(run60):
    cover = observables.compute(run60, "cover_days/Ulsan")
    a = run60["agents"]
    u = a[a["agent"] == "Ulsan"]
    last_jan = u[pd.to_datetime(u["date"]) == pd.Timestamp("2025-01-31")]["cover_days"]
    assert cover.iloc[0] == pytest.approx(float(last_jan.iloc[0]))
    price = observables.compute(run60, "price_ex_cn/ndfeb_hre")
    d = run60["daily"]
    feb = d.loc[pd.to_datetime(d["date"]).dt.month == 2, "price_ndfeb_hre_ex_cn"].mean()
    assert price.iloc[1] == pytest.approx(feb)
    halts = observables.compute(run60, "halt_days/Ulsan")
    assert halts.iloc[0] == (u[pd.to_datetime(u["date"]).dt.month == 1]["lost"] > 1e-9).sum()
    with pytest.raises(ConfigError, match="Ulsn.*Ulsan"):
        observables.compute(run60, "cover_days/Ulsn")
