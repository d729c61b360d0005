"""The sweeper's logic (`SampleSweeper`): Hydra's grid plus sampled parameters, checks
before the first job, and resuming.

The sweeper class itself lives in ``hydra_plugins/sim_sweeper`` (Hydra loads plugins only
from that namespace); its config, `sim.sweep_specs.SimSweeperConf`, is registered as
``hydra/sweeper: sim`` by `sim.sweep_specs`.

Before any job starts, the specs are parsed (`sim.sweep_specs`); every grid value (and each
sampled range's ends) is composed and validated, and the first job runs for a few days, so a
value that does not parse or a KPI that does not exist stops the sweep before its first job.
Events can be addressed by id (``events.embargo.days``, see `sim.key_checks.event_ids`);
the sweeper turns ids into positions, so job overrides and summaries name positions.

The sweeper writes ``sweep.json`` (job count, start time) and ``samples.csv`` at the sweep
root, and skips jobs whose folder already holds a completed run with the same overrides,
so re-running a sweep into the same ``hydra.sweep.dir`` finishes only what is missing.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.plugins.sweeper import Sweeper
from omegaconf import OmegaConf, flag_override

from sim.domain.errors import (
    ConfigError,
    error,
    show,
    suggest,
)
from sim.experiments.sampling import format_value, sample_overrides, sample_table
from sim.experiments.specs import (
    Compare,
    parse_compare,
    parse_dist,
    parse_samples,
    plain,
)


def completed(job_dir: Path, overrides: list[str]) -> bool:
    """Whether ``job_dir`` holds a finished, successful run of exactly ``overrides``."""
    from sim.outputs.run_folder import RunFolder
    return RunFolder(job_dir).completed(list(overrides))


class SampleSweeper(Sweeper):
    """Hydra's basic sweeper plus sampled parameters, resuming and a job count.

    (Not a BasicSweeper subclass: Hydra's plugin scan re-executes that module, which breaks
    its ``super(BasicSweeper, self)``; its static grid expansion is reused instead.)"""

    def __init__(self, max_batch_size: int | None = None, params=None, samples=None,
                 compare=None) -> None:
        super().__init__()
        self.max_batch_size = max_batch_size
        self.params = dict(params or {})
        self.hydra_context = self.config = self.launcher = None
        self.samples = OmegaConf.to_container(samples, resolve=True) \
            if samples is not None and not isinstance(samples, dict) else samples
        self.compare = compare
        self.compare_spec: Compare | None = None

    def setup(self, *, hydra_context, task_function, config) -> None:
        from hydra.core.plugins import Plugins

        self.hydra_context, self.config = hydra_context, config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    def job_list(self, arguments: list[str]) -> tuple[list[list[str]], pd.DataFrame | None]:
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        params = [f"{k}={v}" for k, v in self.params.items()]
        overrides = parser.parse_overrides(params + list(arguments))
        grid = BasicSweeper.split_arguments(overrides, None)[0]
        self._grid = grid
        if not self.samples:
            return grid, None
        table = sample_table(self.samples)
        rows = sample_overrides(table)
        jobs = []
        for g in grid:
            for r in rows:
                keys = {o.split("=", 1)[0] for o in r}
                jobs.append([o for o in g if o.split("=", 1)[0] not in keys] + r)
        return jobs, table

    # ----------------------------------------------------------------- checks
    def check(self, arguments: list[str]) -> list[str]:
        """Parse the specs, turn event ids into positions (in the grid, the samples, the
        comparison and the saved ``multirun.yaml``); return the sweep overrides."""
        from sim.cli.keys import resolve_event_key

        mb = self.max_batch_size
        if mb is not None and (isinstance(mb, bool) or not isinstance(mb, int) or mb < 1):
            raise error("hydra.sweeper.max_batch_size", "must be an integer >= 1 (or null)",
                        show(mb))
        events = self.config.get("events") if self.config is not None else None
        events = list(OmegaConf.to_container(events, resolve=False)) if events else []

        def pos(key: str) -> str:
            return resolve_event_key(key, events, "hydra.sweeper") \
                if key.split(".")[0] == "events" else key

        self.params = {pos(str(k)): v for k, v in self.params.items()}
        arguments = [self._pos_override(a, pos) for a in arguments]
        samples = None
        if self.samples:
            spec = parse_samples(self.samples)
            samples = {**plain(self.samples),
                       "params": {pos(k): d.as_dict() for k, d in spec.params.items()}}
            self.samples = samples
        compare = parse_compare(self.compare)
        compare = dataclasses.replace(
            compare, variant=pos(compare.variant) if compare.variant else None,
            grid=tuple(pos(g) for g in compare.grid) if compare.grid else None)
        self.compare_spec = compare
        if self.config is not None:
            node = {k: v for k, v in dataclasses.asdict(compare).items() if v is not None}
            node = {k: list(v) if isinstance(v, tuple) else v for k, v in node.items()}
            with flag_override(self.config, ["struct", "readonly"], [False, False]):
                self.config.hydra.sweeper.params = dict(self.params) or None
                self.config.hydra.sweeper.samples = samples
                self.config.hydra.sweeper.compare = node or None
        return arguments

    @staticmethod
    def _pos_override(text: str, pos) -> str:
        k, eq, v = text.partition("=")
        plus = k[:len(k) - len(k.lstrip("+~"))]
        return f"{plus}{pos(k[len(plus):])}{eq}{v}" if eq else text

    def precheck(self, jobs: list[list[str]]) -> None:
        """Before the first job: compose and validate every grid value and each sampled
        parameter's range ends (on top of the first job), run the first job for a few days,
        and check the comparison's names against what is swept and the KPIs it gives."""
        if not jobs or self.hydra_context is None:
            return
        base = list(jobs[0])
        key = lambda o: o.split("=", 1)[0].lstrip("+~")  # noqa: E731
        values: dict[str, list[str]] = {}
        for job in getattr(self, "_grid", None) or jobs:
            for o in job:
                vals = values.setdefault(key(o), [])
                if o.split("=", 1)[1:] and o.split("=", 1)[1] not in vals:
                    vals.append(o.split("=", 1)[1])
        probes = [base]
        sampled = set((self.samples or {}).get("params", {}))
        self._check_keys(values, sampled)
        todo = list(values.items()) + [(k, []) for k in sampled if k not in values]
        for k, vals in todo:
            if k in sampled:
                spec = parse_dist(self.samples["params"][k], k)
                vals = [format_value(v) for v in spec.probe_values()]
            elif len(vals) > 2 and all(_is_number(v) for v in vals):  # ends suffice
                vals = [min(vals, key=float), max(vals, key=float)]
            for v in vals:
                # from the first job without its draws (other sampled keys at defaults)
                p = [o for o in base if key(o) != k and key(o) not in sampled] + [f"{k}={v}"]
                if p[-1] not in base and p not in probes:
                    probes.append(p)
        kpis = None
        for p in probes[1:]:  # one value changed at a time: the message names it
            self._probe(p, changed=p[-1], run=False)
        kpis = self._probe(base, changed=None, run=True)
        swept = {k for k in values if k != "experiment" and "/" not in k} | sampled
        c = getattr(self, "compare_spec", None) or Compare()
        where = "hydra.sweeper.compare"
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
                    raise error(f"{where}.kpis", f"unknown KPI {k!r}"
                                f"{suggest(k, names)}", k)

    def _check_keys(self, values: dict[str, list[str]], sampled: set[str]) -> None:
        """Grid keys and values, and sampled names, against the schema (clear messages
        before Hydra composes anything)."""
        from sim.cli.keys import check_value, key_type

        parser = OverridesParser.create()
        for k, vals in values.items():
            if "/" in k or k.startswith("hydra") or k in ("experiment", "scenario",
                                                          "licensing", "world"):
                continue
            tp = key_type(k.split("."), "hydra.sweeper.params", k)
            for v in vals:
                o = parser.parse_overrides([f"{k}={v}"])[0]
                check_value(o.value(), tp, k, f"hydra.sweeper.params ({k}={v})")
        for k in sampled:
            tp = key_type(k.split("."), "hydra.sweeper.samples.params", k)
            for v in parse_dist(self.samples["params"][k], k).probe_values():
                check_value(v, tp, k, "hydra.sweeper.samples.params")

    def _probe(self, overrides: list[str], changed: str | None, run: bool) -> list | None:
        """Compose one job's config and validate it; ``run``: simulate a few days and
        return the flat KPI names."""
        from sim import run as simulate
        from sim.cli.app import to_config
        from sim.cli.overrides import explain
        from sim.engine.checks import validate

        shown = " ".join(overrides)
        where = f"sweep value {changed}" if changed else \
            f"sweep job 0 ({shown if len(shown) < 100 else shown[:97] + '...'})"
        try:
            cfg = self.hydra_context.config_loader.load_sweep_config(self.config, overrides)
            with flag_override(cfg, ["struct", "readonly"], [False, False]):
                cfg.pop("hydra", None)
            rc = to_config(cfg)
            validate(rc)
            if not run:
                return None
            short = dataclasses.replace(rc, days=min(int(rc.days), 3), plots=False)
            out = simulate(short)
        except ConfigError as e:
            raise ConfigError(f"{where}: {e}") from None
        except Exception as e:  # noqa: BLE001 - Hydra/OmegaConf composition errors
            from hydra.errors import HydraException
            from omegaconf.errors import OmegaConfBaseException
            if isinstance(e, (HydraException, OmegaConfBaseException)):
                raise ConfigError(f"{where}: {explain(e)}") from None
            raise
        return list(_flat_names(out["kpis"]))

    def sweep(self, arguments: list[str]) -> Any:
        arguments = self.check(arguments)
        jobs, table = self.job_list(arguments)
        self.precheck(jobs)
        sweep_dir = Path(self.config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        if table is not None:
            table.rename_axis("job").to_csv(sweep_dir / "samples.csv")
        sub = OmegaConf.to_container(self.config.hydra.sweep)["subdir"]  # unresolved
        done = [completed(sweep_dir / _subdir(sub, i), j) for i, j in enumerate(jobs)]
        (sweep_dir / "sweep.json").write_text(json.dumps(
            {"total": len(jobs), "already_done": sum(done), "started": time.time()}) + "\n")
        if any(done):
            print(f"resuming: {sum(done)} of {len(jobs)} jobs already complete, skipped",
                  flush=True)
        print(f"sweep: {len(jobs) - sum(done)} jobs to run -> {sweep_dir}", flush=True)
        returns = []
        i = 0
        while i < len(jobs):  # launch each contiguous run of pending jobs, numbers kept
            if done[i]:
                i += 1
                continue
            k = i
            while k < len(jobs) and not done[k]:
                k += 1
            step = self.max_batch_size or (k - i)
            for a in range(i, k, step):
                returns.append(self.launcher.launch(jobs[a:min(k, a + step)],
                                                    initial_job_idx=a))
            i = k
        return returns


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


def _subdir(template: str, num: int) -> str:
    """The job folder name; ``${hydra.job.num}`` (the project's setting) or a plain name."""
    return str(template).replace("${hydra.job.num}", str(num))
