"""The dashboard page (Solara): levers on the left, the answer beside the baseline of the
same seed on the right, and a tab to open saved run folders and sweep roots.

Served by ``magnet-sim dashboard`` (`sim.outputs.dashboard.server`); Solara imports this
module as the app. Every lever is a value from a fixed list, a number or a tick
(`sim.outputs.dashboard.levers`); a run goes through the in-process runner
(`sim.outputs.dashboard.session.Runner`, `sim.run`) in a worker thread, with its progress
shown; the figures are drawn live from the run's tables (`figures`).
"""

from __future__ import annotations

import html
import os
import time

import solara
import solara.lab

from sim.domain.errors import ConfigError
from sim.outputs.dashboard import figures
from sim.outputs.dashboard.levers import MATERIALS, Levers, licensing_variants, scenarios, worlds
from sim.outputs.dashboard.session import (
    Runner,
    open_folder,
    open_job,
    prim_rows,
    summary_rows,
    tables_zip,
)

RUNNER = Runner()
OWN = "(the scenario's)"
ALL = "all plants"
DESTINATIONS = ["US", "DE", "JP", "KR", "VN", "IN", "FR", "GB", "IT", "MX", "TW", "NL"]
FIGURES = (("inventory", "Plants' cover and halts"), ("exports", "Exports by destination"),
           ("prices", "Prices inside and outside China"), ("licences", "Licence queue"))

scenario = solara.reactive("embargo_us")
licensing = solara.reactive(OWN)
world = solara.reactive(OWN)
days = solara.reactive(365)
seed = solara.reactive(1)
keep_events = solara.reactive(True)
emb_on = solara.reactive(True)
emb_start = solara.reactive(30)
emb_days = solara.reactive(180)
emb_to = solara.reactive(["US"])
ctl = solara.reactive([])
ctl_start = solara.reactive(30)
on = {k: solara.reactive(False) for k in ("approval", "delay", "capacity", "cover", "stock",
                                          "floor")}
approval = solara.reactive(0.5)
delay = solara.reactive(45.0)
capacity = solara.reactive(20.0)
cover = solara.reactive(60.0)
cover_plant = solara.reactive(ALL)
stock = solara.reactive(500.0)
floor = solara.reactive(110.0)
message = solara.reactive("")
open_message = solara.reactive("")
status = solara.reactive("")
answer = solara.reactive(None)  # (Outcome, {figure: png}, (kpi rows, plant rows), times)
open_text = solara.reactive(os.environ.get("SIM_DASHBOARD_OPEN", ""))
opened = solara.reactive(None)
job = solara.reactive("")
job_run = solara.reactive(None)
tab = solara.reactive(1 if os.environ.get("SIM_DASHBOARD_OPEN") else 0)
fig_tab = solara.reactive(0)
_SAVED: dict = {}


def saved_pngs(run_: dict) -> dict:
    """The drawn figures of a saved run (kept while it stays open)."""
    if _SAVED.get("run") is not run_:
        _SAVED.clear()
        _SAVED.update(run=run_, pngs={})
    return _SAVED["pngs"]


def defaults(name: str) -> dict:
    return RUNNER.defaults(name)


def pick_scenario(name: str) -> None:
    """A new scenario: its horizon (at most two years) and its own embargo, if any."""
    scenario.set(name)
    d = defaults(name)
    days.set(d["days"])
    e = d["embargo"]
    emb_on.set(e is not None)
    if e is not None:
        emb_start.set(e.start_day)
        emb_days.set(int(e.days or 180))
        emb_to.set(list(e.destinations) or ["US"])


def levers() -> Levers:
    e = defaults(scenario.value)["embargo"]
    edit = e is not None and keep_events.value
    return Levers(
        scenario=scenario.value,
        licensing=None if licensing.value == OWN else licensing.value,
        world=None if world.value == OWN else world.value,
        days=int(days.value), seed=int(seed.value), keep_events=keep_events.value,
        embargo=emb_on.value and not edit,
        embargo_start=int(emb_start.value) if (edit or emb_on.value) else None,
        embargo_days=int(emb_days.value) if (edit or emb_on.value) else None,
        embargo_to=tuple(emb_to.value) if (edit or emb_on.value) else None,
        controls=tuple(ctl.value), controls_start=int(ctl_start.value),
        approval=approval.value if on["approval"].value else None,
        licence_delay=delay.value if on["delay"].value else None,
        ministry_files_per_day=capacity.value if on["capacity"].value else None,
        cover_days=cover.value if on["cover"].value else None,
        cover_plant=None if cover_plant.value == ALL else cover_plant.value,
        stockpile_t=stock.value if on["stock"].value else None,
        price_floor=floor.value if on["floor"].value else None)


@solara.lab.task
def run(lv: Levers) -> None:
    """Run the variant beside its baseline and draw; the answer's time is measured from
    the click to the last figure."""
    t0 = time.perf_counter()
    message.set("")
    shown = [0.0]

    def progress(what: str, share: float) -> None:
        now = time.perf_counter()
        if now - shown[0] > 0.4 or share >= 1:  # a page update costs time: a few a second
            shown[0] = now
            status.set(what)
            run.progress = round(100 * share)

    try:
        out = RUNNER.run(lv, progress)
        t1 = time.perf_counter()
        status.set("drawing")
        pngs = {"inventory": figures.png(figures.inventory(out.variant, out.baseline))}
        tables = (figures.kpi_rows(out.variant, out.baseline),
                  figures.plant_rows(out.variant, out.baseline))
        answer.set((out, pngs, tables, {"total": time.perf_counter() - t0, "run": t1 - t0}))
    except ConfigError as e:
        message.set(str(e))
    status.set("")


def table(rows: list[dict], test_id: str) -> solara.Element:
    """A plain HTML table of text cells (escaped: nothing from data is markup)."""
    if not rows:
        return solara.Text("(none)")
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r.values())
                   + "</tr>" for r in rows)
    return solara.HTML(tag="div", unsafe_innerHTML=f"<table class='sim-table'><thead><tr>"
                       f"{head}</tr></thead><tbody>{body}</tbody></table>",
                       style="overflow-x: auto; max-width: 100%",
                       attributes={"data-testid": test_id})


def optional(key: str, label: str, body) -> None:
    """A lever the scenario sets unless ticked: its tick, and its inputs when ticked."""
    solara.Checkbox(label=label, value=on[key])
    if on[key].value:
        with solara.Column(style={"padding-left": "24px"}):
            body()


@solara.component
def LeverPanel():
    d = defaults(scenario.value)
    solara.Select("scenario", values=scenarios(), value=scenario.value, on_value=pick_scenario)
    solara.Select("licensing variant", values=[OWN, *licensing_variants()], value=licensing)
    solara.Select("world", values=[OWN, *worlds()], value=world)
    solara.SliderInt(f"horizon: {days.value} days", value=days, min=30,
                     max=max(d["scenario_days"], 30), step=5)
    solara.InputInt("seed (the baseline uses the same)", value=seed)
    solara.Checkbox(label="keep the scenario's own events", value=keep_events)
    with solara.Details(f"scenario events ({len(d['events'])})"):
        for e in d["events"][:40]:
            solara.Text(e, style={"font-size": "11px", "display": "block"})
    own = d["embargo"] is not None and keep_events.value
    solara.Text("embargo: the scenario's (edit it)" if own else "embargo",
                style={"font-weight": "bold", "display": "block", "margin-top": "8px"})
    if not own:
        solara.Checkbox(label="add an embargo", value=emb_on)
    if own or emb_on.value:
        solara.SliderInt(f"starts on day {emb_start.value}", value=emb_start, min=0,
                         max=int(days.value), step=5)
        solara.SliderInt(f"lasts {emb_days.value} days", value=emb_days, min=5, max=730, step=5)
        solara.SelectMultiple("to", values=emb_to.value, all_values=DESTINATIONS,
                              on_value=emb_to.set)
    solara.Text("controls (licence needed) from a day", style={"font-weight": "bold",
                                                                "display": "block"})
    solara.SelectMultiple("on products", values=ctl.value, all_values=list(MATERIALS),
                          on_value=ctl.set)
    if ctl.value:
        solara.SliderInt(f"from day {ctl_start.value}", value=ctl_start, min=0,
                         max=int(days.value), step=5)
    optional("approval", "approval rate", lambda: solara.SliderFloat(
        f"share approved: {approval.value:.0%}", value=approval, min=0, max=1, step=0.05))
    optional("delay", "licence delay", lambda: solara.SliderFloat(
        f"{delay.value:g} working days", value=delay, min=0, max=120, step=5))
    optional("capacity", "Ministry capacity", lambda: solara.SliderFloat(
        f"{capacity.value:g} files per working day", value=capacity, min=1, max=200, step=1))

    def cover_inputs():
        solara.SliderFloat(f"{cover.value:g} days of use", value=cover, min=0, max=180, step=5)
        solara.Select("for", values=[ALL, *d["plants"]], value=cover_plant)

    optional("cover", "target cover", cover_inputs)
    optional("stock", "government stockpile (released to defence primes)",
             lambda: solara.SliderFloat(f"{stock.value:,.0f} t of Dy/Tb NdFeB and of SmCo",
                                        value=stock, min=0, max=3000, step=50))
    optional("floor", "price floor for mines", lambda: solara.SliderFloat(
        f"{floor.value:g} USD/kg of oxide", value=floor, min=0, max=250, step=5))


@solara.component
def Progress():
    """While a run is on: what runs and how far (only this re-renders as it moves)."""
    if run.pending:
        solara.ProgressLinear(value=run.progress if run.progress else True)
        solara.Text(f"{status.value or 'starting'}...", classes=["sim-status"])
    if message.value:
        solara.Error(message.value, classes=["sim-error"])


@solara.component
def RunButton():
    solara.Button("Run", on_click=lambda: run(levers()), color="primary",
                  disabled=run.pending, classes=["sim-run"], block=True)


@solara.component
def Answer():
    if answer.value is None:
        solara.Info("Set the levers and press Run: the variant runs beside the baseline of "
                    "the same seed.")
        return
    out, pngs, (kpis, plants), took = answer.value
    lv = out.levers
    solara.Text(f"{lv.scenario}, seed {lv.seed}, {lv.days} days: answered in "
                f"{took['total']:.1f} s (runs {took['run']:.1f} s"
                + (", baseline from the cache)" if out.baseline_cached else ")"),
                classes=["sim-answered"])
    solara.HTML(tag="code", unsafe_innerHTML=html.escape("magnet-sim " + " ".join(
        out.overrides)), classes=["sim-command"])
    if out.same:
        solara.Info("No lever moved: this run is the baseline.", dense=True)
    with solara.Row(style={"flex-wrap": "wrap", "gap": "16px"}):
        with solara.Column():
            solara.Text("headline numbers", style={"font-weight": "bold"})
            table(kpis, "kpis")
        with solara.Column():
            solara.Text("plants: this run (baseline)", style={"font-weight": "bold"})
            table(plants, "plants")
    solara.FileDownload(lambda: tables_zip(out.variant, out.overrides),
                        filename=f"{lv.scenario}_seed{lv.seed}_tables.zip",
                        label="Download this run's tables (zip: Parquet, CSV, KPIs)")
    Figures(out.variant, out.baseline, pngs)


@solara.component
def Figures(var: dict, base: dict | None, pngs: dict):
    """The four figures in tabs; one is drawn when first shown (the plants' at once)."""
    with solara.lab.Tabs(value=fig_tab):
        for i, (name, title) in enumerate(FIGURES):
            with solara.lab.Tab(title):
                if i != fig_tab.value:
                    continue  # drawn only when shown
                if name not in pngs:
                    pngs[name] = figures.png(getattr(figures, name)(var, base))
                solara.Image(pngs[name], classes=["sim-fig", f"sim-fig-{name}"])


@solara.component
def Saved():
    def do_open():
        open_message.set("")
        job.set("")
        job_run.set(None)
        try:
            opened.set(open_folder(open_text.value))
        except ConfigError as e:
            opened.set(None)
            open_message.set(str(e))

    def pick_job(j: str):
        job.set(j)
        open_message.set("")
        try:
            job_run.set(open_job(opened.value, j))
        except ConfigError as e:
            job_run.set(None)
            open_message.set(str(e))

    solara.use_effect(lambda: do_open() if open_text.value and opened.value is None
                      else None, [])
    with solara.Row(style={"align-items": "center"}):
        solara.InputText("a run folder or a sweep root (read only)", value=open_text,
                         style={"min-width": "560px"})
        solara.Button("Open", on_click=do_open, color="primary", classes=["sim-open"])
    if open_message.value:
        solara.Error(open_message.value, classes=["sim-open-error"])
    o = opened.value
    if o is None:
        return
    if o.kind == "sweep":
        solara.Text(f"sweep {o.path}: {len(o.jobs)} job folders", classes=["sim-opened"])
        if o.prim is not None and len(o.prim):
            solara.Text("PRIM boxes (prim_boxes.csv): the restricted inputs",
                        style={"font-weight": "bold", "display": "block"})
            table(prim_rows(o.prim), "prim")
        if o.summary is not None:
            solara.Text(f"summary ({len(o.summary)} jobs; the first 50)",
                        style={"font-weight": "bold", "display": "block"})
            table(summary_rows(o.summary), "summary")
        if o.jobs:
            solara.Select("open a job", values=o.jobs, value=job.value or None,
                          on_value=pick_job)
        run_ = job_run.value
    else:
        solara.Text(f"run {o.path}", classes=["sim-opened"])
        run_ = o.run
    if run_ is not None:
        meta = run_.get("meta", {})
        solara.Text(f"{meta.get('scenario', 'run')}, seed {meta.get('seed')}, "
                    f"{meta.get('start')} to {meta.get('end')}", classes=["sim-run-title"])
        with solara.Row(style={"flex-wrap": "wrap", "gap": "16px"}):
            table(figures.kpi_rows(run_, None), "saved-kpis")
            table(figures.plant_rows(run_, None), "saved-plants")
        solara.FileDownload(lambda: tables_zip(run_), filename="run_tables.zip",
                            label="Download its tables")
        Figures(run_, None, saved_pngs(run_))


CSS = """
.sim-table { border-collapse: collapse; font-size: 13px; }
.sim-table th, .sim-table td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: right; }
.sim-table th:first-child, .sim-table td:first-child { text-align: left; }
.sim-fig, .sim-fig img { max-width: 100%; height: auto; }
.sim-command { display: block; font-size: 12px; margin: 4px 0 8px; white-space: pre-wrap; }
"""


@solara.component
def Page():
    solara.Title("magnet-sim dashboard")
    solara.Style(CSS)
    solara.AppBarTitle("magnet-sim: export controls and your plants")
    solara.use_effect(lambda: (pick_scenario(scenario.value), run(levers())), [])
    with solara.Sidebar():
        RunButton()
        LeverPanel()
    with solara.lab.Tabs(value=tab):
        with solara.lab.Tab("Explore"):
            Progress()
            Answer()
        with solara.lab.Tab("Open a saved run or sweep"):
            Saved()
