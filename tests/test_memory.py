"""The cyclic collector is paused while days are simulated, and restored after."""

import gc

import pytest

import sim
from sim.engine.memory import gc_paused


def test_paused_inside_and_restored_after_even_on_error():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_run_pauses_it_during_its_days_only():
    seen = []
    sim.run(sim.RunConfig(days=3, seed=1), progress=False,
            on_day=lambda done, total: seen.append(gc.isenabled()))
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_trim_heap_hands_memory_back_on_glibc():
    import platform

    from sim.engine.memory import trim_heap

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's")
    assert trim_heap() is True


def test_small_tables_are_not_trimmed():
    from sim.engine.memory import LARGE_ROWS, is_large, trim_heap

    assert not is_large(LARGE_ROWS - 1) and is_large(LARGE_ROWS)
    assert trim_heap(LARGE_ROWS - 1) is False
