"""Running a sweep's jobs beyond this machine: on Ray (a local cluster, or an existing one
by address) and on SLURM through submitit (whose local executor runs the same code as
subprocesses where there is no SLURM, as in the tests).

Jobs go in batches of runs per task (`sim.experiments.runner.batches`): each task runs
`sim.experiments.runner.run_job` on every job of its batch, so a worker pays its set-up
once per batch, and results come back as tasks finish. Hydra's Ray launcher was made for
Ray 1.x and its newer line needs a Hydra 1.4 pre-release, so the runner calls Ray and
submitit directly (``docs/scale-out.md``).

Settings (``hydra.sweeper``): ``backend`` (ray | submitit), ``workers`` (Ray: CPUs of a
local cluster; submitit: array tasks at once), ``batch`` (runs per task), ``address`` (Ray:
an existing cluster, e.g. ``auto`` on a head node), ``cluster`` (keyword arguments: for Ray,
of ``ray.init``; for submitit, of ``update_parameters``, e.g. ``slurm_partition``,
``timeout_min``, ``slurm_mem_gb``; ``cluster.kind: local`` runs submitit's local executor).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sim.experiments.runner import Job, Result, batch_results, batches, cores


def run_cluster(jobs: list[Job], settings: dict, root: Path,
                on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Run ``jobs`` on ``settings["backend"]``; results in job order (module docstring)."""
    workers = settings.get("workers") or cores()
    tasks = batches(list(enumerate(jobs)), workers, settings.get("batch"))
    stream = (_ray(tasks, settings, workers) if settings["backend"] == "ray"
              else _submitit(tasks, settings, workers, root))
    results: list[Result | None] = [None] * len(jobs)
    for i, r in stream:
        results[i] = r
        if on_result is not None:
            on_result(r)
    return results


def _ray(tasks: list[list], settings: dict, workers: int) -> Iterator[tuple[int, Result]]:
    import ray  # an optional dependency: only a Ray sweep needs it

    mine = not ray.is_initialized()
    if mine:
        opts = dict(settings.get("cluster") or {})
        address = settings.get("address")
        if address is None:
            opts.setdefault("num_cpus", workers)
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False, **opts)
    try:
        remote = ray.remote(num_cpus=1, max_retries=0)(batch_results)
        pending = [remote.remote(t) for t in tasks]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield from ray.get(done[0])
    finally:
        if mine:
            ray.shutdown()


def _submitit(tasks: list[list], settings: dict, workers: int,
              root: Path) -> Iterator[tuple[int, Result]]:
    import submitit  # an optional dependency: only a SLURM sweep needs it

    opts = dict(settings.get("cluster") or {})
    kind = opts.pop("kind", None)  # local: submitit's local executor (no SLURM)
    ex = submitit.AutoExecutor(folder=Path(root) / ".submitit" / "%j", cluster=kind)
    opts.setdefault("timeout_min", 60)
    if ex.cluster == "slurm":
        opts.setdefault("slurm_array_parallelism", workers)
        opts.setdefault("cpus_per_task", 1)
    ex.update_parameters(**opts)
    jobs = ex.map_array(batch_results, tasks)
    pending = list(jobs)
    while pending:
        for job in [j for j in pending if j.done()]:
            pending.remove(job)
            yield from job.result()
        if pending:
            time.sleep(0.2)
