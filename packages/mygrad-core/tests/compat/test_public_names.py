"""The upstream-compatible top-level surface: submodules, re-exported NumPy objects, dtype
mirrors, constants and every core name of the shared name list (api.md §2.8, §2.9, §3.6, §17)."""

from __future__ import annotations

import importlib
import pathlib
import types

import numpy as np
import pytest

import mygrad as mg

SUBMODULES = [
    "errors",
    "indexing_routines",
    "linalg",
    "math",
    "nnet",
    "no_grad_funcs",
    "operation_base",
    "random",
    "tensor_base",
    "tensor_creation",
    "tensor_manip",
    "typing",
    "ufuncs",
]
DTYPES = [
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "intp", "uintp", "float16", "float32", "float64", "half", "single", "double", "longdouble",
]
NO_GRAD = {
    "boolean": [
        "isnan", "isfinite", "isinf", "isnat", "signbit", "logical_not", "logical_and",
        "logical_or", "logical_xor", "greater", "greater_equal", "less", "less_equal", "equal",
        "not_equal",
    ],
    "constant_only": [
        "floor_divide", "remainder", "mod", "fmod", "divmod", "rint", "sign", "floor", "ceil",
        "trunc",
    ],
    "passthrough": [
        "allclose", "bincount", "can_cast", "copyto", "isclose", "may_share_memory",
        "min_scalar_type", "result_type", "shares_memory", "shape",
    ],
}
NAMES_FILE = pathlib.Path("/work/shared/spec/names.txt")


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodules_are_attributes(name):
    module = getattr(mg, name)
    assert isinstance(module, types.ModuleType)
    assert module is importlib.import_module(f"mygrad.{name}")


@pytest.mark.parametrize("name", DTYPES)
def test_dtype_mirrors_are_the_numpy_scalar_types(name):
    assert getattr(mg, name) is getattr(np, name)


@pytest.mark.parametrize("name", ["e", "euler_gamma", "inf", "nan", "pi", "newaxis"])
def test_constants(name):
    value = getattr(mg, name)
    assert value is getattr(mg.math.consts, name)
    if name == "newaxis":
        assert value is None
    else:
        assert type(value) is float
        np.testing.assert_equal(value, getattr(np, name))


def test_no_grad_funcs_are_the_numpy_objects():
    names = [n for group in NO_GRAD.values() for n in group]
    assert sorted(mg.no_grad_funcs.__all__) == sorted(names) and len(names) == 35
    for name in names:
        assert getattr(mg, name) is getattr(np, name) is getattr(mg.no_grad_funcs, name)
    assert mg.mod is np.remainder


def test_passthrough_functions_see_the_tensors_arrays():
    x = mg.tensor([1.0, 2.0, 3.0])
    assert np.shape(x) == (3,) and mg.shape(x) == (3,)
    assert mg.allclose(x, [1.0, 2.0, 3.0]) is True
    np.testing.assert_array_equal(mg.isclose(x, x.data), [True, True, True])
    assert mg.shares_memory(x, x.data) and mg.may_share_memory(x, x.data)
    assert mg.result_type(x, np.float32) == np.float64
    assert mg.can_cast(x, np.float32) is False
    np.testing.assert_array_equal(mg.bincount(mg.tensor([0, 1, 1])), [1, 2])
    assert mg.min_scalar_type(mg.tensor(3)) == np.uint8


def test_copyto_writes_into_the_data_and_respects_locks():
    x = mg.tensor([1.0, 2.0])
    np.copyto(x, [5.0, 6.0])
    np.testing.assert_array_equal(x.data, [5.0, 6.0])
    y = x * 2  # x's data is now held (and locked) by a live graph
    with pytest.raises(ValueError):
        np.copyto(x, [0.0, 0.0])
    y.backward()
    np.copyto(x, [0.0, 0.0])


def test_no_grad_functions_never_return_tensors():
    x = mg.tensor([0.5, -1.5])
    c = mg.tensor([0.5, -1.5], constant=True)
    for name in NO_GRAD["boolean"]:
        func = getattr(mg, name)
        if name == "isnat":
            continue  # datetime-only
        out = func(x) if func.nin == 1 else func(x, x)
        assert isinstance(out, np.ndarray) and out.dtype == bool
    for name in NO_GRAD["constant_only"]:
        func = getattr(mg, name)
        args = (c,) * func.nin
        expected = func(*(a.data for a in args))
        out = func(*args)
        for got, want in zip(out if isinstance(out, tuple) else (out,),
                             expected if isinstance(expected, tuple) else (expected,)):
            assert not isinstance(got, mg.Tensor)
            np.testing.assert_array_equal(got, want)
        with pytest.raises(ValueError, match="non-constant"):
            func(*((x,) * func.nin))


def test_math_package_reexports_the_top_level_functions():
    for name in ("add", "sin", "exp", "tanh", "sqrt", "sum", "mean", "max", "argmax", "pi"):
        assert getattr(mg.math, name) is getattr(mg, name)


def test_alias_modules_reexport_their_ops():
    for module, names in (
        (mg.tensor_creation, ["zeros", "ones_like", "arange", "linspace", "full"]),
        (mg.indexing_routines, ["where"]),
        (mg.linalg, ["norm"]),
    ):
        for name in names:
            assert name in module.__all__
    for name in mg.tensor_creation.__all__:
        assert getattr(mg.tensor_creation, name) is getattr(mg, name)
    for name in mg.tensor_manip.__all__:
        assert getattr(mg.tensor_manip, name) is getattr(mg, name)
    assert mg.indexing_routines.where is mg.where


def test_execute_op_save_load_are_top_level():
    assert mg.execute_op == mg.Tensor._op
    assert mg.save is mg._io.save and mg.load is mg._io.load


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def test_every_core_name_of_the_shared_list_resolves():
    if not NAMES_FILE.exists():
        pytest.skip("the shared name list is not available on this machine")
    names = [
        line.strip()
        for line in NAMES_FILE.read_text().splitlines()
        if line.strip()
        and not line.startswith("#")
        and not line.startswith(("mygrad.nnet", "mygrad.testing"))
    ]
    missing = [n for n in names if not _resolves(n)]
    assert not missing, f"{len(missing)} public names do not resolve: {missing}"
