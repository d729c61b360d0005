"""A sweep (``-m``): the jobs of an experiment's grid and samples, checked before the first
job, run through the one runner, resumed, and summarised.

An experiment (``experiments/*.yaml``) selects ``hydra/sweeper: sim`` (see
`sim.experiments.specs.SimSweeperConf`): ``params`` (a grid, as Hydra's: ``key: "a,b,c"`` or
``range(1,6)``), ``samples`` (parameters drawn per job, `sim.experiments.sampling`) and
``compare`` (what the summary compares). Sweeps given on the command line (``seed=1,2,3``)
join the grid. Before any job starts the specs are parsed, every grid value (and each
sampled range's ends) is composed and validated, and the first job runs for a few days, so a
value that does not parse or a KPI that does not exist stops the sweep before its first job.
Events can be addressed by id (``events.embargo.days``); ids become positions.
``calibration=NAME`` with an ensemble (``scenarios/calibration/NAME.ensemble.csv``) makes
every job run once per parameter set of the ensemble, each with its own structural stock
draw (`sim.experiments.ensembles`), so fan charts carry parameter uncertainty.

The sweep folder holds ``sweep.json`` (the job list), ``samples.csv``, ``multirun.yaml``,
one folder per job (``0/``, ``1/``, ...), ``jobs.csv`` (one line per finished job, written as
jobs finish) and the summary. Running the same sweep into the same folder
(``hydra.sweep.dir=...``) finishes only the jobs not yet complete; the summary covers
exactly the sweep's job list (a job folder missing, or one not in the list, is reported).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf, open_dict, read_write
from tqdm.auto import tqdm

import sim
from sim.cli.compose import compose_node
from sim.cli.keys import check_shape, key_type, resolve_event_key
from sim.domain.errors import ConfigError, error, show, suggest
from sim.experiments.ensembles import files_of, load_ensemble
from sim.experiments.runner import Job, Result, composer, cores, run_many
from sim.experiments.sampling import format_value, sample_overrides, sample_table
from sim.experiments.specs import (
    MAX_JOBS,
    Compare,
    check_sweep_size,
    parse_compare,
    parse_dist,
    parse_samples,
    plain,
)
from sim.experiments.summary import aggregate, failed_lines
from sim.outputs.run_folder import RunFolder, write_json

BACKENDS = ("local", "ray", "submitit")


@dataclasses.dataclass(frozen=True)
class Plan:
    """A checked sweep: its folder, jobs, samples table and settings."""

    root: Path
    jobs: list[list[str]]
    table: pd.DataFrame | None
    compare: Compare
    samples: dict | None
    settings: dict


def _grid(params: dict[str, Any], arguments: list[str]) -> list[list[str]]:
    """The grid's jobs: every combination of the sweep overrides, in the order given."""
    parser = OverridesParser.create()
    given = {_key(a) for a in arguments}  # the command line wins over the experiment's grid
    texts = [f"{k}={v}" for k, v in params.items() if k not in given] + list(arguments)
    lists, size = [], 1
    for o in parser.parse_overrides(texts):
        size *= check_sweep_size(o, "sweep")
        if size > MAX_JOBS:
            raise error("sweep", f"the grid has more than {MAX_JOBS:,} jobs", size)
        if o.is_sweep_override():
            key = o.get_key_element()
            vals = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            vals = [o.input_line]
        lists.append(vals)
    return [list(x) for x in itertools.product(*lists)]


def _key(o: str) -> str:
    return o.split("=", 1)[0].lstrip("+~")


def _positions(key: str, events: list) -> str:
    return resolve_event_key(key, events, "hydra.sweeper") if key.split(".")[0] == "events" \
        else key


def plan(arguments: list[str], dirs: list[Path] | None = None) -> Plan:
    """Parse and check an experiment's sweep (module docstring); no job runs yet."""
    node = compose_node([a for a in arguments if not _is_sweep(a)], dirs)
    sw = OmegaConf.to_container(node.hydra.sweeper, resolve=True)
    backend = sw.get("backend", "local")
    if backend not in BACKENDS:
        raise error("hydra.sweeper.backend", f"unknown backend{suggest(backend, BACKENDS)}; "
                    f"known: {', '.join(BACKENDS)}", show(backend))
    if sw.get("keep", "summary") not in ("summary", "tables"):
        raise error("hydra.sweeper.keep", "must be summary or tables", show(sw.get("keep")))
    for k in ("workers", "batch"):
        v = sw.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
            raise error(f"hydra.sweeper.{k}", "must be an integer >= 1 (or null)", show(v))
    events = OmegaConf.to_container(node.events, resolve=False) if node.events else []
    params = {_positions(str(k), events): v for k, v in (sw.get("params") or {}).items()}
    arguments = [_rekey(a, events) for a in arguments]
    samples = None
    if sw.get("samples"):
        spec = parse_samples(sw["samples"])
        if spec.n > MAX_JOBS:
            raise error("hydra.sweeper.samples.n", f"at most {MAX_JOBS:,} jobs", spec.n)
        samples = {**plain(sw["samples"]), "params": {_positions(k, events): d.as_dict()
                                                      for k, d in spec.params.items()}}
    compare = parse_compare(sw.get("compare"))
    found = compare.discovery
    if found and found.get("inputs"):  # inputs by event id, as the samples' columns
        found = {**found, "inputs": [_positions(k, events) for k in found["inputs"]]}
    compare = dataclasses.replace(
        compare, variant=_positions(compare.variant, events) if compare.variant else None,
        grid=tuple(_positions(g, events) for g in compare.grid) if compare.grid else None,
        discovery=found)
    grid = _grid(params, arguments)
    table = None
    jobs = grid
    if samples:
        table = sample_table(samples)
        rows = sample_overrides(table)
        if len(grid) * len(rows) > MAX_JOBS:
            raise error("sweep", f"grid x samples is more than {MAX_JOBS:,} jobs",
                        len(grid) * len(rows))
        jobs = [[o for o in g if _key(o) not in {_key(x) for x in r}] + r
                for g in grid for r in rows]
    for a in arguments:  # -m calibration=NAME: over its ensemble
        k, eq, v = a.partition("=")
        if eq and k.lstrip("+") == "calibration" and not _is_sweep(a) and files_of(v)[1].exists():
            rows = load_ensemble(v).overrides()
            if len(jobs) * len(rows) > MAX_JOBS:
                raise error("sweep", f"jobs x ensemble is more than {MAX_JOBS:,} jobs",
                            len(jobs) * len(rows))
            jobs = [[o for o in j if _key(o) not in {_key(x) for x in r}] + r
                    for j in jobs for r in rows]
    settings = {"backend": backend, "workers": sw.get("workers"), "batch": sw.get("batch"),
                "address": sw.get("address"), "cluster": sw.get("cluster"),
                "keep": sw.get("keep", "summary")}
    return Plan(Path(node.hydra.sweep.dir), jobs, table, compare, samples, settings)


def _is_sweep(text: str) -> bool:
    try:
        return OverridesParser.create().parse_overrides([text])[0].is_sweep_override()
    except Exception:  # noqa: BLE001 - the preflight reported unreadable overrides
        return False


def _rekey(text: str, events: list) -> str:
    k, eq, v = text.partition("=")
    plus = k[:len(k) - len(k.lstrip("+~"))]
    return f"{plus}{_positions(k[len(plus):], events)}{eq}{v}" if eq else text


def precheck(p: Plan, dirs: list[Path] | None = None) -> None:
    """Before the first job: compose and validate every grid value and each sampled
    parameter's range ends (on top of the first job), run the first job for a few days,
    and check the comparison's names against what is swept and the KPIs it gives."""
    if not p.jobs:
        return
    base = list(p.jobs[0])
    values: dict[str, list[str]] = {}
    prefix: dict[str, str] = {}  # ``+``/``++`` as given (a probe keeps it)
    for job in p.jobs:
        for o in job:
            prefix.setdefault(_key(o), o[:len(o) - len(o.lstrip("+~"))])
            vals = values.setdefault(_key(o), [])
            v = o.split("=", 1)[1] if "=" in o else None
            if v is not None and v not in vals:
                vals.append(v)
    sampled = set((p.samples or {}).get("params", {}))
    _check_keys(values, sampled, p.samples)
    probes = []
    for k, vals in [*values.items(), *((k, []) for k in sampled if k not in values)]:
        if k in sampled:
            vals = [format_value(v) for v in parse_dist(p.samples["params"][k], k).probe_values()]
        elif len(vals) > 2 and all(_is_number(v) for v in vals):  # the ends suffice
            vals = [min(vals, key=float), max(vals, key=float)]
        for v in vals:
            probe = [o for o in base if _key(o) != k and _key(o) not in sampled] + [
                f"{prefix.get(k, '')}{k}={v}"]
            if probe[-1] not in base and probe not in probes:
                probes.append(probe)
    for probe in probes:  # one value changed at a time: the message names it
        _probe(probe, f"sweep value {probe[-1]}", dirs, run=False)
    shown = " ".join(base)
    kpis = _probe(base, f"sweep job 0 ({shown if len(shown) < 100 else shown[:97] + '...'})",
                  dirs, run=True)
    swept = {k for k in values if k != "experiment" and "/" not in k
             and len(values[k]) > 1} | sampled
    c, where = p.compare, "hydra.sweeper.compare"
    for name in ([c.variant] if c.variant else []) + list(c.grid or ()):
        if name not in swept:
            what = "variant" if name == c.variant else "grid"
            raise error(f"{where}.{what}", f"{name!r} is not swept"
                        f"{suggest(name, swept, listing=True)}", name)
    if c.variant and c.reference is not None and c.variant in values and \
            str(c.reference) not in values[c.variant]:
        raise error(f"{where}.reference", f"not a value of {c.variant}"
                    f"{suggest(c.reference, values[c.variant], listing=True)}",
                    show(c.reference))
    if c.kpis and kpis is not None:
        names = set(kpis)
        for k in list(kpis):
            parts = k.split(".")
            names |= {".".join(parts[:j]) for j in range(1, len(parts))}
        for k in c.kpis:
            if k not in names:
                raise error(f"{where}.kpis", f"unknown KPI {k!r}{suggest(k, names)}", k)
    if c.discovery:
        k = c.discovery["kpi"]
        if kpis is not None and k not in kpis:
            raise error(f"{where}.discovery.kpi", f"unknown KPI {k!r}{suggest(k, kpis)}", k)
        for name in c.discovery.get("inputs") or ():
            if name not in swept:
                raise error(f"{where}.discovery.inputs", f"{name!r} is not swept"
                            f"{suggest(name, swept, listing=True)}", name)


def _check_keys(values: dict[str, list[str]], sampled: set[str], samples) -> None:
    """Grid keys and values, and sampled names, against the schema."""
    parser = OverridesParser.create()
    for k, vals in values.items():
        if "/" in k or k.startswith("hydra") or k in (
                "experiment", "scenario", "licensing", "world", "calibration") or k in sampled:
            continue  # (a sampled key's values are its draws: checked below as such)
        tp = key_type(k.split("."), "hydra.sweeper.params", k)
        for v in vals:
            o = parser.parse_overrides([f"{k}={v}"])[0]
            check_shape(o.value(), tp, k, f"hydra.sweeper.params ({k}={v})")
    for k in sampled:
        tp = key_type(k.split("."), "hydra.sweeper.samples.params", k)
        for v in parse_dist(samples["params"][k], k).probe_values():
            check_shape(v, tp, k, "hydra.sweeper.samples.params")


def _compose(overrides: list[str], dirs) -> Any:
    """A job's config as its worker composes it (`runner.composer`: Hydra's work cached,
    so probing every sampled range end costs one composition, not one each)."""
    return composer(tuple(str(d) for d in dirs or ()))(list(overrides)).config


def _probe(overrides: list[str], where: str, dirs, run: bool) -> list | None:
    """Compose one job's config and validate it; ``run``: simulate a few days and return
    the flat KPI names."""
    try:
        cfg = _compose(overrides, dirs)
        sim.validate(cfg)
        if not run:
            return None
        out = sim.run(dataclasses.replace(cfg, days=min(int(cfg.days), 3), plots=False))
    except ConfigError as e:
        raise ConfigError(f"{where}: {e}") from None
    return list(_flat_names(out["kpis"]))


def estimate(p: Plan, n: int, dirs: list[Path] | None = None, probe_days: int = 20) -> str:
    """Roughly how long ``n`` runs take, from a short probe of the first job (its set-up
    and ``probe_days`` days, scaled to its horizon) and the workers that run them."""
    if not n:
        return "nothing to run"
    t0 = time.perf_counter()
    cfg = _compose(list(p.jobs[0]), dirs)  # each job composes its config too
    model = sim.build(dataclasses.replace(cfg, plots=False))
    t1 = time.perf_counter()
    steps = min(probe_days, int(cfg.days))
    for _ in range(steps):
        model.step()
    per_day = (time.perf_counter() - t1) / max(steps, 1)
    per_run = (t1 - t0) + 1.3 * per_day * int(cfg.days) + 0.5  # + KPIs and saving
    workers = min(p.settings.get("workers") or cores(), n) if p.settings["backend"] == \
        "local" else None
    total = per_run * n / (workers or 1)
    when = f"{total / 60:.0f} min" if total >= 90 else f"{total:.0f} s"
    on = f"on {workers} worker{'s' if workers != 1 else ''}" if workers else "on the cluster"
    return (f"{int(cfg.days)} days each, about {per_run:.1f} s per run {on}: roughly {when}"
            + ("" if workers else " of compute"))


def _is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _flat_names(d: dict, prefix: str = ""):
    for k, v in d.items():
        if isinstance(v, dict) and v:
            yield from _flat_names(v, f"{prefix}{k}.")
        yield f"{prefix}{k}"


def run_sweep(arguments: list[str], dirs: list[Path] | None = None) -> int:
    """Plan, check, run (resuming) and summarise a sweep; the exit status (0 ok, 1 some
    jobs failed)."""
    p = plan(arguments, dirs)
    precheck(p, dirs)
    root = p.root
    root.mkdir(parents=True, exist_ok=True)
    job_list = [" ".join(j) for j in p.jobs]
    old = json.loads((root / "sweep.json").read_text()) if (root / "sweep.json").exists() \
        else None
    if old is not None and old.get("jobs") != job_list:
        raise error(f"{root}", "holds another sweep (a different job list); give a new "
                    "hydra.sweep.dir (nothing was overwritten)", f"{len(old.get('jobs', []))} "
                    f"jobs there, {len(job_list)} asked")
    node = compose_node([a for a in arguments if not _is_sweep(a)], dirs)
    with read_write(node), open_dict(node):  # events by position, as the jobs' overrides
        for k in ("variant", "grid"):        # and the summary's columns (replot reads it)
            if getattr(p.compare, k):
                v = getattr(p.compare, k)
                node.hydra.sweeper.compare[k] = list(v) if isinstance(v, tuple) else v
    OmegaConf.save(node, root / "multirun.yaml", resolve=False)
    if p.table is not None:
        p.table.rename_axis("job").to_csv(root / "samples.csv")
    done = [RunFolder(root / str(i)).completed(j) for i, j in enumerate(p.jobs)]
    write_json(root / "sweep.json", {"total": len(p.jobs), "already_done": sum(done),
                                     "started": time.time(), "jobs": job_list,
                                     "settings": p.settings})
    todo = [Job(tuple(j), str(root / str(i)), dirs=tuple(str(d) for d in dirs or ()),
                tables=p.settings["keep"] == "tables")
            for i, j in enumerate(p.jobs) if not done[i]]
    for job in todo:  # a job of this sweep that failed or was cut short runs again afresh
        if Path(job.folder).is_dir():
            shutil.rmtree(job.folder)
    if any(done):
        print(f"resuming: {sum(done)} of {len(p.jobs)} jobs already complete, skipped",
              flush=True)
    print(f"sweep: {len(todo)} runs to go ({p.settings['backend']}), "
          f"{estimate(p, len(todo), dirs)} -> {root}", flush=True)
    _run(todo, p.settings, root)
    settings = {"compare": {k: (list(v) if isinstance(v, tuple) else v) for k, v in
                            dataclasses.asdict(p.compare).items() if v is not None},
                "samples": p.samples}
    df = aggregate([root / str(i) for i in range(len(p.jobs))], root, settings["compare"],
                   p.samples)
    failed = df[df["status"] != "ok"] if len(df) else df
    if len(failed):
        print("\n".join(failed_lines(failed, len(df), root)), file=sys.stderr, flush=True)
        return 1
    return 0


def _run(todo: list[Job], settings: dict, root: Path) -> list[Result]:
    """Run the jobs through the chosen backend, a progress bar and ``jobs.csv``."""
    log = root / "jobs.csv"
    new = not log.exists()
    with open(log, "a") as f, tqdm(total=len(todo), unit="job", desc="sweep", disable=None,
                                   file=sys.stderr) as bar:
        if new:
            f.write("job,status,wall_time_s,error\n")

        def seen(r: Result) -> None:
            err = (r.error or "").replace('"', "'").replace("\n", " ")
            f.write(f'{Path(r.job.folder).name},{r.status},{r.wall_time_s:.3f},"{err}"\n')
            f.flush()
            bar.update()

        if settings["backend"] == "local":
            return run_many(todo, settings["workers"], settings["batch"], on_result=seen)
        from sim.experiments.cluster import run_cluster  # Ray or submitit: only when asked

        return run_cluster(todo, settings, root, on_result=seen)
