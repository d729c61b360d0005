"""Generated documentation matches the code that owns the knowledge."""

from sim.cli.docs import MODEL_MD, render
from sim.engine import model as model_module
from sim.engine.plan import PLAN, phase_table


def test_model_md_blocks_are_up_to_date():
    text = MODEL_MD.read_text()
    assert render(text) == text, "run: .venv/bin/magnet-sim docs"


def test_docs_phase_table_is_the_models_plan():
    text = MODEL_MD.read_text()
    for i, p in enumerate(PLAN):  # phase 0 is `reset`
        assert f"| {i} | `{p.name}` |" in text


def test_model_docstring_lists_the_plan():
    assert phase_table() in model_module.__doc__
    assert model_module.SupplyChainModel.plan is PLAN
