"""No NumPy function may silently drop a gradient (issue 3, item 6).

Every public callable of ``numpy`` and ``numpy.linalg`` is called on small variable float
tensors, with arguments that NumPy itself accepts for plain arrays, and must behave in one
of these ways:

* **differentiable**: it returns Tensors holding NumPy's values, and backpropagating from
  them reaches every variable tensor that was passed in;
* **non-differentiable**: it is registered as such (``register_nondifferentiable`` or an
  override like ``argmax``) and returns no Tensor, only NumPy's result on the tensors'
  data; the piecewise-constant ufuncs (``floor``, ``sign``, ...) instead raise ValueError
  naming the ufunc for variable tensors, and give NumPy's result for constant ones;
* **refused**: NumPy raises its TypeError naming the function, because the Tensor's
  ``__array_function__``/``__array_ufunc__`` declined;
* one of the listed exceptions, each with its reason.

Anything else (an unregistered ndarray result, a Tensor the gradient cannot flow through,
another error) is reported. The test judges behaviour only, so rerun it as ops are added.
"""

from __future__ import annotations

import functools
import inspect
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

import mygrad as mg
from mygrad import _registry

# --------------------------------------------------------------------- listed exceptions

NOT_CALLED = {
    "numpy.test": "runs NumPy's test suite",
    "numpy.linalg.test": "runs NumPy's test suite",
    "numpy.info": "prints documentation",
    "numpy.show_config": "prints the build configuration",
    "numpy.show_runtime": "prints the runtime configuration",
    "numpy.get_include": "returns a path",
    "numpy.get_printoptions": "global print settings",
    "numpy.set_printoptions": "global print settings",
    "numpy.printoptions": "global print settings",
    "numpy.getbufsize": "global ufunc buffer setting",
    "numpy.setbufsize": "global ufunc buffer setting",
    "numpy.geterr": "global floating-point error settings",
    "numpy.seterr": "global floating-point error settings",
    "numpy.geterrcall": "global floating-point error settings",
    "numpy.seterrcall": "global floating-point error settings",
    "numpy.load": "file input",
    "numpy.save": "file output",
    "numpy.savez": "file output",
    "numpy.savez_compressed": "file output",
    "numpy.savetxt": "file output",
    "numpy.loadtxt": "file input",
    "numpy.genfromtxt": "file input",
    "numpy.fromfile": "file input",
    "numpy.fromregex": "file input",
}

# the job of these is to hand back an ndarray of what they are given (``np.asarray(t) is
# t.data`` by the array protocol): conversions, not computations
CONVERSIONS = {
    "numpy.asarray": "array protocol",
    "numpy.array": "array protocol",
    "numpy.asanyarray": "array protocol",
    "numpy.ascontiguousarray": "array protocol",
    "numpy.asfortranarray": "array protocol",
    "numpy.asarray_chkfinite": "array protocol",
    "numpy.asmatrix": "array protocol (a NumPy matrix of the data)",
    "numpy.require": "array protocol (np.asanyarray)",
    # np.full converts a 0-d fill value with np.asarray before copying it (with a dtype given
    # it goes through np.copyto instead, which refuses a variable tensor)
    "numpy.full": "array protocol (np.asarray of the fill value)",
}

# functions of types, dtypes, shapes or Python scalars, or with no array argument at all
NOT_ARRAY_FUNCTIONS = {
    "numpy.isscalar": "type check",
    "numpy.iterable": "type check",
    "numpy.isdtype": "dtype check",
    "numpy.issubdtype": "dtype check",
    "numpy.promote_types": "dtype arithmetic",
    "numpy.mintypecode": "dtype arithmetic",
    "numpy.typename": "dtype naming",
    "numpy.base_repr": "formats a Python int",
    "numpy.binary_repr": "formats a Python int",
    "numpy.format_float_positional": "formats a Python float",
    "numpy.format_float_scientific": "formats a Python float",
    "numpy.frompyfunc": "builds a ufunc from a Python function",
    "numpy.broadcast_shapes": "shape arithmetic",
    "numpy.from_dlpack": "reads a DLPack capsule",
    "numpy.frombuffer": "reads a buffer",
    "numpy.fromstring": "parses a string",
    "numpy.fromiter": "consumes an iterator",
    "numpy.fromfunction": "calls a function of indices",
    "numpy.zeros": "takes a shape",
    "numpy.ones": "takes a shape",
    "numpy.empty": "takes a shape",
    "numpy.eye": "takes sizes",
    "numpy.identity": "takes a size",
    "numpy.tri": "takes sizes",
    "numpy.indices": "takes a shape",
    "numpy.diag_indices": "takes a size",
    "numpy.tril_indices": "takes a size",
    "numpy.triu_indices": "takes a size",
    "numpy.mask_indices": "takes a size",
    "numpy.arange": "takes scalar bounds (a 0-d tensor acts through __index__/__float__)",
    "numpy.bartlett": "takes a window length",
    "numpy.blackman": "takes a window length",
    "numpy.hamming": "takes a window length",
    "numpy.hanning": "takes a window length",
    "numpy.kaiser": "takes a window length and a scalar",
    "numpy.busday_count": "datetime calendar",
    "numpy.busday_offset": "datetime calendar",
    "numpy.is_busday": "datetime calendar",
    "numpy.datetime_as_string": "datetime formatting",
    "numpy.datetime_data": "datetime dtype query",
    "numpy.isnat": "defined only for datetimes, which tensors cannot hold",
    "numpy.isfortran": "reads ndarray.flags (memory layout), which tensors do not have",
    "numpy.nested_iters": "builds iterators over ndarrays",
    "numpy.bmat": "builds a legacy numpy.matrix from blocks",
}

# results that depend only on the tensor's shape and dtype, never on its values
VALUE_INDEPENDENT = {
    "numpy.empty_like",
    "numpy.zeros_like",
    "numpy.ones_like",
    "numpy.full_like",
}

# --------------------------------------------------------------------- inputs


def _public_callables() -> dict[str, Callable[..., Any]]:
    """Every public function and ufunc of numpy and numpy.linalg, by dotted name."""
    found = {}
    for module_name, module in (("numpy", np), ("numpy.linalg", np.linalg)):
        for attr in dir(module):
            obj = getattr(module, attr)
            if attr.startswith("_") or isinstance(obj, (type, types.ModuleType)):
                continue
            if callable(obj):
                found[f"{module_name}.{attr}"] = obj
    return found


CALLABLES = _public_callables()


class Arr:
    """A slot for an array argument: a variable tensor, a constant tensor or the ndarray."""

    def __init__(self, value: Any) -> None:
        self.value = np.asarray(value)


_2D = np.array([[0.5, 0.25, 0.75], [0.3, 0.6, 0.9]])
_SQUARE = np.array([[2.0, 0.5, 0.25], [0.5, 3.0, 0.4], [0.25, 0.4, 4.0]])  # SPD
_1D = np.array([0.5, 0.25, 0.75])
_0D = np.array(0.5)
_3D = _2D[..., None]
_INT = np.array([[1, 2, 3], [4, 5, 6]])  # for integer-only ufuncs; integer tensors are constant
BASES = (_2D, _SQUARE, _1D, _0D, _3D, _INT)

# required parameters (after the first array) by name, as functions of the first array;
# unnamed ones receive another array slot like the first
PARAMS: dict[str, Callable[[np.ndarray], Any]] = {
    "axis": lambda a: 0,
    "axis1": lambda a: 0,
    "axis2": lambda a: -1,
    "source": lambda a: 0,
    "destination": lambda a: -1,
    "start": lambda a: 0,
    "shape": lambda a: a.shape[::-1],
    "newshape": lambda a: a.shape[::-1],
    "new_shape": lambda a: a.shape[::-1],
    "indices": lambda a: np.zeros((1,) * max(a.ndim, 1), dtype=np.intp),
    "indices_or_sections": lambda a: 1,
    "repeats": lambda a: 2,
    "reps": lambda a: 2,
    "shift": lambda a: 1,
    "k": lambda a: 1,
    "n": lambda a: 2,
    "q": lambda a: 0.5,
    "decimals": lambda a: 1,
    "condition": lambda a: np.ones(a.shape, dtype=bool),
    "mask": lambda a: np.ones(a.shape, dtype=bool),
    "kth": lambda a: 0,
    "bins": lambda a: 2,
    "xp": lambda a: np.array([0.0, 1.0]),
    "fp": lambda a: np.array([0.0, 2.0]),
    "pad_width": lambda a: 1,
    "obj": lambda a: 0,
    "values": lambda a: np.zeros(a.shape),
    "val": lambda a: 0.0,
    "vals": lambda a: 0.0,
    "fill_value": lambda a: 0.0,
    "func": lambda a: np.sum,
    "func1d": lambda a: np.sum,
    "axes": lambda a: tuple(range(a.ndim))[::-1],
    "dtype": lambda a: np.float32,
    "subscripts": lambda a: "...->...",
    "choicelist": lambda a: [Arr(a)],
    "condlist": lambda a: [np.ones(a.shape, dtype=bool)],
    "funclist": lambda a: [lambda v: v],
    "index": lambda a: 0,
    "ind": lambda a: 0,
    "size": lambda a: 2,
    "dims": lambda a: a.shape,
    "multi_index": lambda a: tuple(np.zeros(1, dtype=np.intp) for _ in a.shape),
    "mask_func": lambda a: np.triu,
    "arys": lambda a: Arr(a),
}

# explicit argument lists for functions the signature rules cannot serve
RECIPES: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "numpy.einsum": [(("ij->ji", Arr(_2D)), {}), (("ij,jk->ik", Arr(_2D), Arr(_SQUARE)), {})],
    "numpy.einsum_path": [(("ij,jk->ik", Arr(_2D), Arr(_SQUARE)), {})],
    "numpy.full": [((3, Arr(_0D)), {})],
    "numpy.linspace": [((Arr(_0D), Arr(1.5)), {"num": 4})],
    "numpy.logspace": [((Arr(_0D), Arr(1.5)), {"num": 4})],
    "numpy.geomspace": [((Arr(_0D), Arr(1.5)), {"num": 4})],
    "numpy.where": [((np.array([True, False, True]), Arr(_1D), Arr(_1D[::-1])), {})],
    "numpy.clip": [((Arr(_2D), 0.3, 0.7), {})],
    "numpy.concatenate": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.concat": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.stack": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.hstack": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.vstack": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.dstack": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.row_stack": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.column_stack": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.block": [(([Arr(_2D), Arr(_2D)],), {})],
    "numpy.choose": [((np.array([0, 1, 0]), [Arr(_1D), Arr(_1D[::-1])]), {})],
    "numpy.select": [(([np.array([True, False, True])], [Arr(_1D)]), {})],
    "numpy.piecewise": [((Arr(_1D), [np.array([True, False, True])], [lambda v: v * 2]), {})],
    # a tuple: NumPy's lexsort dispatches on a tuple of keys, not on the items of a list
    "numpy.lexsort": [(((Arr(_1D), Arr(_1D[::-1])),), {})],
    "numpy.bincount": [((Arr(np.array([0, 1, 1])),), {"weights": Arr(_1D)})],
    "numpy.can_cast": [((Arr(_1D), np.float32), {})],
    "numpy.ldexp": [((Arr(_1D), Arr(np.array([1, 2, 3]))), {})],
    "numpy.digitize": [((Arr(_1D), np.array([0.0, 0.5, 1.0])), {})],
    "numpy.searchsorted": [((Arr(np.sort(_1D)), Arr(_1D)), {})],
    "numpy.interp": [((Arr(_1D), np.array([0.0, 1.0]), np.array([0.0, 2.0])), {})],
    "numpy.put": [((Arr(_1D), [0], [1.0]), {})],
    "numpy.place": [((Arr(_1D), np.array([True, False, True]), [1.0]), {})],
    "numpy.putmask": [((Arr(_1D), np.array([True, False, True]), 1.0), {})],
    "numpy.put_along_axis": [((Arr(_2D), np.zeros((2, 1), dtype=np.intp), 1.0, 1), {})],
    "numpy.take_along_axis": [((Arr(_2D), np.zeros((2, 1), dtype=np.intp), 1), {})],
    "numpy.fill_diagonal": [((Arr(_SQUARE), 1.0), {})],
    "numpy.copyto": [((Arr(_1D), Arr(_1D[::-1])), {})],
    "numpy.histogram2d": [((Arr(_1D), Arr(_1D[::-1])), {})],
    "numpy.histogramdd": [((Arr(_2D.T),), {})],
    "numpy.ix_": [((Arr(np.array([0, 1])), Arr(np.array([1, 2]))), {})],
    "numpy.ravel_multi_index": [(((Arr(np.array([0, 1])), Arr(np.array([1, 2]))), (2, 3)), {})],
    "numpy.unravel_index": [((Arr(np.array([1, 4])), (2, 3)), {})],
    "numpy.packbits": [((Arr(np.array([1, 0, 1], dtype=np.uint8)),), {})],
    "numpy.unpackbits": [((Arr(np.array([5], dtype=np.uint8)),), {})],
    "numpy.apply_along_axis": [((np.sum, 0, Arr(_2D)), {})],
    "numpy.apply_over_axes": [((np.sum, Arr(_2D), [0]), {})],
    "numpy.vander": [((Arr(_1D),), {})],
    "numpy.polyfit": [((Arr(_1D), Arr(_1D[::-1]), 1), {})],
    "numpy.polydiv": [((Arr(_1D), Arr(np.array([1.0, 2.0]))), {})],
    "numpy.matmul": [((Arr(_2D), Arr(_SQUARE)), {})],
    "numpy.linalg.matmul": [((Arr(_2D), Arr(_SQUARE)), {})],
    "numpy.linalg.multi_dot": [(([Arr(_2D), Arr(_SQUARE), Arr(_1D)],), {})],
    "numpy.linalg.tensorsolve": [((Arr(_SQUARE), Arr(_1D)), {})],
    "numpy.linalg.solve": [((Arr(_SQUARE), Arr(_1D)), {})],
    "numpy.linalg.lstsq": [((Arr(_SQUARE), Arr(_1D)), {})],
    "numpy.linalg.matrix_power": [((Arr(_SQUARE), 2), {})],
    "numpy.linalg.tensorinv": [((Arr(_SQUARE),), {"ind": 1})],
    "numpy.linalg.cross": [((Arr(_1D), Arr(_1D[::-1])), {})],
    "numpy.cross": [((Arr(_1D), Arr(_1D[::-1])), {})],
    # NumPy < 2.3 gives these builtins no inspectable signature (and reshape's shape a
    # default), so the signature rules above cannot build their calls there
    **{
        f"numpy.{name}": [((Arr(base), Arr(base)), {}) for base in BASES]
        for name in ("dot", "inner", "vdot", "shares_memory", "may_share_memory")
    },
    "numpy.reshape": [((Arr(base), base.shape[::-1]), {}) for base in BASES],
}


def _materialize(x: Any, make: Callable[[np.ndarray], Any]) -> Any:
    if isinstance(x, Arr):
        return make(x.value)
    if type(x) in (list, tuple):
        return type(x)(_materialize(i, make) for i in x)
    if type(x) is dict:
        return {k: _materialize(v, make) for k, v in x.items()}
    return x


def _signature_calls(func: Callable[..., Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Argument lists from ``func``'s signature, for each base array."""
    if isinstance(func, np.ufunc):
        for base in BASES:
            yield tuple(Arr(base) for _ in range(func.nin)), {}
        return
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        params = [inspect.Parameter("a", inspect.Parameter.POSITIONAL_ONLY)]
    for base in BASES:
        args: list[Any] = []
        for i, p in enumerate(params):
            if p.kind is p.VAR_POSITIONAL:
                args += [Arr(base)] if args else [Arr(base), Arr(base)]
                break
            if p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) or p.default is not p.empty:
                continue
            recipe = PARAMS.get(p.name) if i else None
            args.append(Arr(base) if recipe is None else recipe(base))
        yield tuple(args), {}


def _calls(name: str, func: Callable[..., Any]) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    return RECIPES.get(name) or list(_signature_calls(func))


def _quiet_call(func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _flatten(result: Any) -> list[Any]:
    if type(result) in (list, tuple):
        return [leaf for item in result for leaf in _flatten(item)]
    return [result]


def _data(x: Any) -> Any:
    return x.data if isinstance(x, mg.Tensor) else x


def _assert_same_values(got: Any, expected: Any, name: str) -> None:
    got_leaves, want_leaves = _flatten(got), _flatten(expected)
    assert len(got_leaves) == len(want_leaves), (
        f"{name}: {len(got_leaves)} outputs, NumPy has {len(want_leaves)}"
    )
    for g, w in zip(got_leaves, want_leaves):
        g = _data(g)
        if isinstance(w, (np.ndarray, np.generic, float, int, bool, complex)):
            np.testing.assert_allclose(
                np.asarray(g), np.asarray(w), rtol=1e-12, atol=1e-12, err_msg=name, equal_nan=True
            )
        else:
            assert type(g) is type(w), f"{name}: gave {type(g).__name__}, NumPy {type(w).__name__}"


def _is_refusal(error: TypeError, name: str) -> bool:
    """A TypeError naming the function: NumPy's, for a protocol that returned NotImplemented
    (for an alias such as ``row_stack`` it names the function NumPy dispatched: ``vstack``),
    or mygrad's own refusal of a variable tensor (``numpy.copyto``)."""
    msg = str(error)
    return (
        "no implementation found for 'numpy." in msg
        or "returned NotImplemented from __array_ufunc__(<ufunc '" in msg
        or (name in msg and "mygrad tensor" in msg)
    )


def _registered_nondifferentiable(func: Any) -> bool:
    return func in _registry.NONDIFF or func in _registry.OVERRIDES


def judge(name: str, func: Callable[..., Any]) -> str:
    """Call ``func`` on tensors and return how it behaved; raise AssertionError if badly."""
    if name in NOT_CALLED:
        return "not called: " + NOT_CALLED[name]
    if name in NOT_ARRAY_FUNCTIONS:
        return "not an array function: " + NOT_ARRAY_FUNCTIONS[name]
    tried: list[str] = []
    for args, kwargs in _calls(name, func):
        try:
            expected = _quiet_call(func, _materialize(args, np.copy), _materialize(kwargs, np.copy))
        except Exception as e:  # noqa: BLE001 - NumPy rejects this argument list: try another
            tried.append(f"numpy: {type(e).__name__}: {e}")
            continue
        return _judge_call(name, func, args, kwargs, expected)
    raise AssertionError(f"{name}: no argument list that NumPy accepts; add a recipe ({tried})")


def _judge_call(name: str, func: Callable[..., Any], args: Any, kwargs: Any, expected: Any) -> str:
    inputs: list[mg.Tensor] = []

    def variable(value: np.ndarray) -> mg.Tensor:
        t = mg.tensor(value)
        inputs.append(t)
        return t

    try:
        result = _quiet_call(func, _materialize(args, variable), _materialize(kwargs, variable))
    except TypeError as e:
        if _is_refusal(e, name):
            return "refused"
        raise AssertionError(f"{name}: TypeError not from NumPy's protocols: {e}") from e
    except ValueError as e:
        if "cannot involve non-constant mygrad tensors" in str(e):
            return _judge_constant_only(name, func, args, kwargs, expected, e)
        raise AssertionError(f"{name}: raised ValueError where NumPy succeeds: {e}") from e
    except Exception as e:  # noqa: BLE001
        raise AssertionError(f"{name}: raised {type(e).__name__} where NumPy succeeds: {e}") from e

    tensors = [r for r in _flatten(result) if isinstance(r, mg.Tensor)]
    if tensors:
        if name in VALUE_INDEPENDENT:
            for got, want in zip(_flatten(result), _flatten(expected)):
                assert (got.shape, got.dtype) == (want.shape, want.dtype), name
            return "value-independent leaf"
        _assert_same_values(result, expected, name)
        _assert_gradient_reaches(name, tensors, inputs)
        return "differentiable"
    if name in CONVERSIONS:
        _assert_same_values(result, expected, name)
        return "conversion: " + CONVERSIONS[name]
    if _registered_nondifferentiable(func):
        _assert_same_values(result, expected, name)
        return "non-differentiable"
    raise AssertionError(
        f"{name} returned {type(result).__name__} for variable tensors without being registered "
        "as non-differentiable: the gradient is silently dropped"
    )


def _assert_gradient_reaches(name: str, outputs: list[mg.Tensor], inputs: list[mg.Tensor]) -> None:
    variables = [t for t in outputs if not t.constant]
    float_outputs = [t for t in outputs if t.dtype.kind == "f"]
    assert variables or not float_outputs, f"{name}: float result of variable tensors is constant"
    if not variables:
        return
    loss = functools.reduce(lambda a, b: a + b, [t.sum() for t in variables])
    loss.backward()
    for i, t in enumerate(inputs):
        assert t.grad is not None, f"{name}: no gradient reached tensor argument {i}"
        assert t.grad.shape == t.shape, f"{name}: gradient of argument {i} has the wrong shape"


def _judge_constant_only(
    name: str, func: Any, args: Any, kwargs: Any, expected: Any, error: ValueError
) -> str:
    assert _registry.NONDIFF.get(func) == "constant_only", (
        f"{name} refuses variable tensors but is not registered as constant-only: {error}"
    )
    short = getattr(func, "__name__", name)
    assert short in str(error), f"{name}: the error does not name the function: {error}"
    result = _quiet_call(
        func,
        _materialize(args, lambda v: mg.tensor(v, constant=True)),
        _materialize(kwargs, lambda v: mg.tensor(v, constant=True)),
    )
    assert not any(isinstance(r, mg.Tensor) for r in _flatten(result)), name
    _assert_same_values(result, expected, name)
    return "constant-only"


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_numpy_callable_on_tensors(name):
    judge(name, CALLABLES[name])


# names that some supported NumPy releases no longer have (row_stack: removed in NumPy 2.5)
REMOVED_IN_NEWER_NUMPY = {"numpy.row_stack"}


def test_listed_exceptions_are_real_numpy_names():
    listed = {*NOT_CALLED, *CONVERSIONS, *NOT_ARRAY_FUNCTIONS, *VALUE_INDEPENDENT, *RECIPES}
    unknown = listed - set(CALLABLES) - REMOVED_IN_NEWER_NUMPY
    assert not unknown, sorted(unknown)
