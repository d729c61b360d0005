"""The Hydra entry: compose a scenario, run it, write the run folder, print KPIs.

The schema dataclasses of `sim.config` are registered in Hydra's ConfigStore, so an unknown
key or a wrongly typed value fails while the config is composed, naming the key. Errors in
the scenario's values (`sim.errors.ConfigError`) print one line and exit with status 2.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from . import run, save
from .config import RunConfig
from .errors import ConfigError
from .kpis import summary_lines

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "scenarios"

ConfigStore.instance().store(name="schema", node=RunConfig)


def register_experiments(folder: Path = ROOT / "experiments") -> None:
    """Each ``experiments/NAME.yaml`` becomes ``experiment=NAME`` (a global override file;
    its sweeper, ``hydra/sweeper: sim``, is registered by `sim.sampling`)."""
    import hydra_plugins

    from . import sampling  # noqa: F401 - registers hydra/sweeper=sim

    # the sweeper plugin lives in ROOT/hydra_plugins: findable from any working directory
    if (ROOT / "hydra_plugins").is_dir() and str(ROOT / "hydra_plugins") not in list(
            hydra_plugins.__path__):
        hydra_plugins.__path__.append(str(ROOT / "hydra_plugins"))
    for path in sorted(folder.glob("*.yaml")):
        ConfigStore.instance().store(group="experiment", name=path.stem,
                                     node=OmegaConf.load(path), package="_global_")


register_experiments()


def to_config(cfg: DictConfig) -> RunConfig:
    """The composed DictConfig as the typed RunConfig the model takes."""
    plain = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "experiment"]) \
        if "experiment" in cfg else cfg
    return OmegaConf.to_object(plain)


def run_job(cfg: DictConfig) -> dict | None:
    """Run one composed config into Hydra's output folder. Errors are recorded, not
    raised: a user mistake prints one line; an unexpected failure also writes its
    traceback to ``error.txt`` and ``meta.json`` in the job folder."""
    from .results import write_json

    folder = Path(HydraConfig.get().runtime.output_dir)
    for noisy in ("MESA", "matplotlib"):  # Mesa logs every step at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        rc = to_config(cfg)
        out = run(rc)
        save(out, folder, plots=rc.plots)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        write_json(folder / "meta.json", {"status": "failed", "error": str(e)})
        return None
    except Exception as e:  # noqa: BLE001 - recorded so a sweep keeps its other jobs
        (folder / "error.txt").write_text(traceback.format_exc())
        write_json(folder / "meta.json", {"status": "failed",
                                          "error": f"{type(e).__name__}: {e}"})
        print(f"error: {type(e).__name__}: {e} (traceback in {folder / 'error.txt'})",
              file=sys.stderr)
        return None
    if HydraConfig.get().mode.name == "MULTIRUN":  # one line per job in a sweep
        k = out["kpis"]
        print(f"job {folder.name}: lost vehicles {k['lost_vehicles']:,.0f}, exports "
              f"{k['exports_t_per_month']:,.0f} t/month -> {folder}")
        return out["kpis"]
    print(f"\n{rc.scenario_name} ({rc.start} + {rc.days} days, seed {rc.seed}, "
          f"licensing {rc.licensing.name})")
    print("\n".join(summary_lines(out)))
    for name, why in (out["meta"].get("plots_skipped") or {}).items():
        print(f"plot {name} skipped: {why}")
    print(f"results: {folder}")
    return out["kpis"]


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def main(cfg: DictConfig) -> None:
    """`python -m sim [scenario=NAME] [key=value ...]`"""
    kpis = run_job(cfg)
    if kpis is None and not HydraConfig.get().mode.name == "MULTIRUN":
        sys.exit(2)
