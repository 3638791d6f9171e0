"""no_autodiff and the memory-guard switches: context managers, decorators, per thread (D12)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import mygrad as mg


def test_no_autodiff_context_and_truthiness():
    assert bool(mg.no_autodiff) is True
    x = mg.tensor([1.0, 2.0])
    with mg.no_autodiff:
        assert bool(mg.no_autodiff) is False
        y = x * 2
        assert y.creator is None and x.data.flags.writeable
    assert bool(mg.no_autodiff) is True


def test_no_autodiff_nests_and_restores_on_exceptions():
    with pytest.raises(RuntimeError):
        with mg.no_autodiff:
            with mg.no_autodiff:
                pass
            assert not mg.no_autodiff
            raise RuntimeError
    assert mg.no_autodiff


def test_no_autodiff_decorator_and_to_numpy():
    @mg.no_autodiff
    def f(x):
        """doc"""
        return x * 2

    assert f.__name__ == "f" and f.__doc__ == "doc"
    assert f(mg.tensor(1.0)).creator is None
    g = mg.no_autodiff(lambda x: x * 2, to_numpy=True)
    out = g(mg.tensor([1.0]))
    assert type(out) is np.ndarray and out[0] == 2.0


def test_no_autodiff_writes_in_place_into_the_array():
    arr = np.array([1.0, 2.0])
    t = mg.astensor(arr)
    with mg.no_autodiff:
        t += 1
        t[0] = 5
    np.testing.assert_array_equal(arr, [5.0, 3.0])


def test_copy_on_write_under_tracking():
    arr = np.array([1.0, 2.0])
    t = mg.astensor(arr)
    t[0] = 5
    t += 1
    np.testing.assert_array_equal(arr, [1.0, 2.0])
    np.testing.assert_array_equal(t.data, [6.0, 3.0])


def test_memory_guard_locks_while_the_graph_lives():
    arr = np.array([1.0, 2.0])
    x = mg.tensor([3.0, 4.0])
    y = x * arr
    assert not arr.flags.writeable and not x.data.flags.writeable and not y.data.flags.writeable
    with pytest.raises(ValueError):
        arr[0] = 0
    y.backward()
    assert arr.flags.writeable and x.data.flags.writeable


def test_memory_guard_released_when_graph_is_deleted():
    arr = np.array([1.0, 2.0])
    y = mg.tensor([3.0, 4.0]) * arr
    del y
    assert arr.flags.writeable


def test_read_only_arrays_stay_read_only():
    arr = np.array([1.0, 2.0])
    arr.flags.writeable = False
    (mg.tensor([3.0, 4.0]) * arr).backward()
    assert not arr.flags.writeable


def test_locks_are_reference_counted():
    arr = np.array([1.0, 2.0])
    x = mg.tensor([3.0, 4.0])
    y = x * arr
    z = x + arr
    y.backward()
    assert not arr.flags.writeable  # z still holds it
    del z
    assert arr.flags.writeable


def test_mem_guard_off_takes_no_locks_and_mem_guard_on_reenables():
    assert mg.mem_guard_active()
    arr = np.array([1.0])
    with mg.mem_guard_off:
        assert not mg.mem_guard_active()
        y = mg.tensor([1.0]) * arr
        assert arr.flags.writeable
        with mg.mem_guard_on:
            z = mg.tensor([1.0]) * arr
            assert not arr.flags.writeable
    assert mg.mem_guard_active()
    del y, z


def test_mem_guard_decorators_and_global_switch():
    @mg.mem_guard_off
    def inside():
        return mg.mem_guard_active()

    assert inside() is False and mg.mem_guard_active()
    mg.turn_memory_guarding_off()
    try:
        assert not mg.mem_guard_active()
        with mg.mem_guard_on:
            assert mg.mem_guard_active()
    finally:
        mg.turn_memory_guarding_on()
    assert mg.mem_guard_active()


def test_no_autodiff_takes_no_locks_and_does_not_change_guard_flag():
    arr = np.array([1.0])
    with mg.no_autodiff:
        assert mg.mem_guard_active()
        _ = mg.tensor([1.0]) * arr
        assert arr.flags.writeable


@pytest.mark.parametrize(
    "value, expected", [("False", False), ("0", False), ("true", True), ("1", True)]
)
def test_env_var_sets_the_default(value, expected):
    code = "import mygrad; print(mygrad.mem_guard_active())"
    env = {**os.environ, "MYGRAD_MEM_GUARD": value}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(expected)


def test_env_var_garbage_warns_and_keeps_guarding_on():
    code = (
        "import warnings; warnings.simplefilter('always'); import mygrad; "
        "print(mygrad.mem_guard_active())"
    )
    env = {**os.environ, "MYGRAD_MEM_GUARD": "maybe"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True" and "MYGRAD_MEM_GUARD" in out.stderr


def test_modes_are_per_thread():  # D12
    inside = threading.Event()
    release = threading.Event()

    def parked():
        with mg.no_autodiff, mg.mem_guard_off:
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=parked)
    worker.start()
    try:
        inside.wait(10)
        assert mg.no_autodiff and mg.mem_guard_active()
        x = mg.tensor([1.0, 2.0])
        (x * x).backward()
        np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    finally:
        release.set()
        worker.join()


def test_modes_are_per_async_task():
    async def tracked():
        await asyncio.sleep(0)
        return bool(mg.no_autodiff)

    async def untracked():
        with mg.no_autodiff:
            await asyncio.sleep(0.01)
            return bool(mg.no_autodiff)

    async def main():
        return await asyncio.gather(untracked(), tracked())

    assert asyncio.run(main()) == [False, True]
