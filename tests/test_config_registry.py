"""The parameter registry: complete entries, derived checks, the generated table, world
tables (load, round trip, edits by name)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from sim import validate
from sim.config import FIRM_KINDS, RunConfig, WorldConf
from sim.config.parameters import (
    DOC,
    main,
    markdown,
    rows,
    table,
)
from sim.config.registry import UNITS, Spec, p
from sim.config.resolve import resolve
from sim.config.tables import load_tables, write_tables
from sim.domain.errors import ConfigError

from .helpers import load, resolved

LEAVES = [r for r in table() if r.source != "see the fields' rows"]


def test_every_field_has_unit_description_and_source():
    missing = [r.path for r in LEAVES if r.unit not in UNITS or not r.desc.strip()
               or not r.source.strip()]
    assert not missing, f"fields without unit/description/source: {missing}"
    assert len(LEAVES) > 150


def test_unit_outside_the_vocabulary_is_refused():
    with pytest.raises(ValueError, match="kt/yr"):
        p(1.0, unit="kt/yr", desc="d", source="s")


def test_docs_parameters_md_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == markdown(), \
        "docs/parameters.md is stale: run magnet-sim docs"


def test_parameters_command_lists_every_field(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for r in LEAVES:
        assert r.path in out
    for hidden in ("world.automakers[].lead_smoothing", "world.makers[].oxide_cover_days",
                   "metrics.end_window_days", "metrics.supply_share_window_days",
                   "world.routing_snap_share", "world.defense[].cover_response"):
        assert hidden in out


def test_hidden_constants_default_to_todays_values():
    c = resolved(RunConfig())
    assert c.world.automakers[0].lead_smoothing == 0.25
    assert c.world.makers[0].oxide_cover_days == 60.0  # middle of stocks.csv's maker_raw 30-90
    own = RunConfig()
    own.world.stock_ranges = False  # the world table's own value
    assert resolved(own).world.makers[0].oxide_cover_days == 30.0
    assert c.metrics.end_window_days == 90
    assert c.metrics.supply_share_window_days == 30.0
    assert c.world.routing_snap_share == 0.99
    from sim.config import DefenseConf
    assert DefenseConf().cover_response == 0.0


# ------------------------------------------------------- derived bound checks, every field
def _target(cfg: RunConfig, path: str):
    """(object, attribute) addressed by a table path (``[]``: the first list item)."""
    obj = cfg
    parts = path.split(".")
    for part in parts[:-1]:
        if part.endswith("[]"):
            seq = getattr(obj, part[:-2])
            if not seq:
                return None
            obj = seq[0]
        else:
            obj = getattr(obj, part)
    return obj, parts[-1]


def _specs():
    out = []
    for r in LEAVES:
        cls_field = _field_of(r.path)
        if cls_field is not None:
            out.append((r.path, cls_field))
    return out


def _field_of(path: str):
    cfg = resolved(RunConfig())  # the world's firms, from its tables
    tgt = _target(cfg, path)
    if tgt is None:
        return None
    obj, name = tgt
    f = {x.name: x for x in dataclasses.fields(obj)}[name]
    return f.metadata["spec"]


NUMERIC = [(path, s) for path, s in _specs() if s.lo is not None or s.hi is not None]


def _bad_value(s: Spec) -> float:
    if s.lo is not None:
        return s.lo if s.lo_open else s.lo - 1
    return s.hi if s.hi_open else s.hi + 1


SAMPLE_KEY = {"country": "US", "magnet": "ndfeb", "material": "ndfeb", "exporter": "JL Mag",
              "firm": "Detroit-A", "date": "2026-01-01", "vehicle": "ice", "end_use": "other",
              "sector": "industry"}


def _set(cfg, path, value):
    obj, name = _target(cfg, path)
    old = getattr(obj, name)
    spec = {x.name: x for x in dataclasses.fields(obj)}[name].metadata["spec"]
    if isinstance(old, dict):  # a map: put the bad number under its first (or a valid) key
        node = old
        for level, vocab in enumerate(spec.keys):
            key = next(iter(node), SAMPLE_KEY[vocab])
            if level == len(spec.keys) - 1:
                node[key] = value
            else:
                node = node.setdefault(key, {})
        return True
    if path.endswith(("days", "_days")) and isinstance(old, int) and not isinstance(old, bool):
        value = int(value)
    setattr(obj, name, type(old)(value) if isinstance(old, (int, float)) and
            not isinstance(old, bool) else value)
    return True


@pytest.mark.parametrize("path,spec", NUMERIC, ids=[p for p, _ in NUMERIC])
def test_out_of_bounds_is_refused_for_every_field(path, spec):
    cfg = resolved(RunConfig())
    if not _set(cfg, path, _bad_value(spec)):
        pytest.skip("empty map by default")
    last = path.split(".")[-1]
    with pytest.raises(ConfigError, match=last) as e:
        validate(cfg)
    assert "must be" in str(e.value)


FLOATS = [(path, s) for path, s in NUMERIC
          if isinstance(getattr(*_target(resolved(RunConfig()), path)), (float, dict))]


@pytest.mark.parametrize("path,spec", FLOATS, ids=[p for p, _ in FLOATS])
def test_nan_and_infinity_are_refused_for_every_float(path, spec):
    for bad in (math.nan, math.inf):
        cfg = resolved(RunConfig())
        if not _set(cfg, path, bad):
            pytest.skip("empty map by default")
        with pytest.raises(ConfigError, match="finite number"):
            validate(cfg)


def test_defaults_pass_validation():
    validate(RunConfig())


# ------------------------------------------------------------------ world tables
def test_default_world_tables_load_typed_and_sourced():
    w = load_tables("2024")
    assert [f.name for f in w["exporters"]][0] == "JL Mag"
    for key, kind in FIRM_KINDS.items():
        assert all(isinstance(f, kind.conf) and f.note.strip() for f in w[key]), key


def test_world_tables_round_trip(tmp_path):
    w = resolved(RunConfig()).world
    write_tables(w, tmp_path / "w")
    again = resolve(WorldConf(tables=str(tmp_path / "w")))
    for kind in FIRM_KINDS:
        assert getattr(w, kind), kind  # the 2024 world has firms of every kind
        assert getattr(again, kind) == getattr(w, kind), kind


def test_a_resolved_world_is_its_own_copy_of_the_tables():
    """Editing a firm of one resolved world (a map too) leaves the vintage's tables, and so
    every later world, unchanged."""
    a = resolved(RunConfig()).world
    ndfeb = a.exporters[0].capacity_tpy["ndfeb"]
    a.exporters[0].capacity_tpy["ndfeb"] = -1.0
    a.automakers[0].vehicles_per_day = 1.0
    b = resolved(RunConfig()).world
    assert b.exporters[0].capacity_tpy["ndfeb"] == ndfeb
    assert b.automakers[0].vehicles_per_day != 1.0
    assert load_tables("2024")["exporters"][0].capacity_tpy["ndfeb"] == ndfeb


def test_world_table_saved_by_excel_with_a_bom_loads(tmp_path):
    w = resolved(RunConfig()).world
    folder = write_tables(w, tmp_path / "w")
    f = folder / "mines.csv"
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    assert w.mines and resolve(WorldConf(tables=str(folder))).mines == w.mines


def test_world_tables_from_a_folder_on_the_command_line(tmp_path):
    # the 2024 world with its first two automakers (their links and tier-1s kept, the
    # others' left out, as `resolve` does for a replaced list)
    w = resolve(WorldConf(automakers=resolved(RunConfig()).world.automakers[:2]))
    w.automakers[0].vehicles_per_day = 1234.0
    write_tables(w, tmp_path / "mine")
    cfg = load("baseline", f"world.tables={tmp_path / 'mine'}")
    assert [a.name for a in cfg.world.automakers] == ["Detroit-A", "Detroit-B"]
    assert cfg.world.automakers[0].vehicles_per_day == 1234.0
    validate(cfg)


def test_scenarios_add_and_override_firms_by_name():
    war = load("price_war")
    assert [m.name for m in war.world.mines] == ["Lynas-like", "US-new-mine"]
    d = load("defense_2027")
    smco = {m.name: m.capacity_tpy for m in d.world.makers}
    assert smco["US-SmCo maker"] == {"smco": 30.0}
    assert smco["JP-EU makers"] == {"ndfeb": 7500.0, "ndfeb_hre": 2500.0}


def test_python_api_takes_firms_and_events_as_mappings():
    c = RunConfig(events=[{"set": "controls", "day": 3}],
                  world=WorldConf(add_mines=[{"name": "New", "country": "US"}],
                                  firm_overrides={"Detroit-A": {"vehicles_per_day": 10.0}}))
    assert c.events[0].set == "controls"
    c2 = RunConfig(licensing={"approval_default": 0.5, "delay": {"dist": "fixed"}},
                   world={"add_mines": [{"name": "New", "country": "US"}]})
    validate(c2)  # resolves the world: the added mine joins the tables' mines
    assert c2.licensing.delay.dist == "fixed" and c2.world.mines[-1].name == "New"
    import datetime as dt
    c3 = RunConfig(start=dt.date(2026, 1, 1), events=[{"set": "controls",
                                                       "date": dt.date(2026, 2, 1)}])
    assert c3.start == "2026-01-01" and c3.events[0].date == "2026-02-01"
    validate(c)
    assert c.world.mines[-1].name == "New"
    assert c.world.automakers[0].vehicles_per_day == 10.0


def test_world_declares_a_list_and_an_add_list_for_every_firm_kind():
    """The world's list fields are its other tables; every firm kind of the registry has a
    list (``world.<kind>``, ``world.firms[<kind>]``) and an add list (``world.add_<kind>``,
    ``world.add[<kind>]``) of its config class, as keywords, mappings and attributes."""
    import typing

    from sim.config import (
        ChinaElementConf,
        ContentConf,
        DemandConf,
        LinkConf,
    )
    from sim.config.firms import EndUseConf
    from sim.config.registry import hints, unwrap
    from sim.config.stocks import StockRangeConf
    th = hints(WorldConf)
    lists = {}
    for f in dataclasses.fields(WorldConf):
        typ, _ = unwrap(th[f.name])
        if typing.get_origin(typ) is list:
            lists[f.name] = typing.get_args(typ)[0]
    assert lists == {"links": LinkConf, "demand": DemandConf, "content": ContentConf,
                     "china": ChinaElementConf, "end_uses": EndUseConf,
                     "stocks": StockRangeConf}
    for key, kind in FIRM_KINDS.items():
        for w in (WorldConf(**{key: [{"name": "X"}], f"add_{key}": [{"name": "Y"}]}),
                  RunConfig(world={key: [{"name": "X"}], f"add_{key}": [{"name": "Y"}]}).world):
            assert [type(f) for f in getattr(w, key)] == [kind.conf], key
            assert [type(f) for f in getattr(w, f"add_{key}")] == [kind.conf], key
            assert w.firms[key] == getattr(w, key) and w.add[key] == getattr(w, f"add_{key}")
        w = WorldConf()
        setattr(w, key, [])
        assert w.firms[key] == [] and getattr(w, key) == []
    assert set(resolved(RunConfig()).world.firms) == set(FIRM_KINDS)


def test_rows_cover_nested_groups_once():
    paths = [r.path for r in rows(RunConfig)]
    assert "licensing.delay.high" in paths and "market.china.cut" in paths
    assert not any(p.startswith("world.add_mines[]") for p in paths)
    assert len(paths) == len(set(paths))


def test_worlds_command_exports_and_checks_a_folder(tmp_path, capsys):
    from sim.cli.main import main

    def worlds(args):
        return main(["worlds", *args])

    assert worlds(["export", str(tmp_path / "w")]) == 0
    assert worlds(["check", str(tmp_path / "w")]) == 0
    assert "4 exporters, 1 raw_exporters, 2 makers, 1 mines, 5 automakers" in \
        capsys.readouterr().out
    (tmp_path / "w" / "exporters.csv").unlink()
    assert worlds(["check", str(tmp_path / "w")]) == 2
    assert "world.exporters: the world needs at least one Chinese exporter" in \
        capsys.readouterr().err
