"""Strategies for whole calls: keyword arguments that may be left out, ``constant=`` values,
bad inputs, seeds, and the positional/keyword arguments of a ufunc call."""

from __future__ import annotations

import decimal
import fractions
from typing import Any, cast

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis.errors import InvalidArgument

import mygrad as mg

from ._validate import check, check_bool, check_int
from .dtypes import dtype_args
from .elements import elements as domain_elements
from .layouts import layouts, with_layout
from .shapes import MAX_SIZE, mutually_broadcastable_shapes

__all__ = [
    "NO_VALUE",
    "no_value",
    "kwargs",
    "valid_constant_arg",
    "everything_except",
    "seeds",
    "populates_ufunc",
]


class _NoValue:
    """The sentinel meaning "this argument is not passed"."""

    _instance: _NoValue | None = None

    def __new__(cls) -> _NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()


def no_value() -> st.SearchStrategy[_NoValue]:
    """Draws :data:`NO_VALUE`: "leave this argument out" (see :func:`kwargs`)."""
    return st.just(NO_VALUE)


def kwargs(**strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict of keyword arguments in which each key is left out at random (and whenever
    its strategy draws :data:`NO_VALUE`), so that defaults get tested too. Shrinks towards
    the empty dict."""
    for name, strategy in strategies.items():
        check(
            isinstance(strategy, st.SearchStrategy),
            f"kwargs({name}=...) needs a strategy, got {name}={strategy!r}",
        )

    @st.composite
    def draw_kwargs(draw: Any) -> dict[str, Any]:
        out = {}
        for name in sorted(strategies):
            if draw(st.booleans()):
                value = draw(strategies[name])
                if value is not NO_VALUE:
                    out[name] = value
        return out

    return draw_kwargs()


def valid_constant_arg(dtype: Any) -> st.SearchStrategy[bool | None]:
    """Values of ``constant=`` that are valid for an output of ``dtype``: None and True, plus
    False for float dtypes (an integer output cannot be a variable)."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise InvalidArgument(f"dtype must be a dtype, got dtype={dtype!r}") from None
    return st.sampled_from([None, True, False] if dt.kind == "f" else [None, True])


def _catalog() -> list[tuple[type, st.SearchStrategy[Any]]]:
    """(type, strategy) pairs of everyday values; every value a strategy draws is an
    instance of exactly the paired type."""
    small_ints = st.integers(-3, 3)
    return [
        (type(None), st.none()),
        (bool, st.booleans()),
        (int, st.integers(-(2**40), 2**40)),
        (float, st.floats(allow_nan=True, allow_infinity=True)),
        (complex, st.complex_numbers(allow_nan=False, max_magnitude=1e6)),
        (str, st.text(max_size=5)),
        (bytes, st.binary(max_size=5)),
        (list, st.lists(small_ints, max_size=3)),
        (tuple, st.lists(small_ints, max_size=3).map(tuple)),
        (dict, st.dictionaries(st.text(max_size=2), small_ints, max_size=2)),
        (set, st.sets(small_ints, max_size=3)),
        (slice, st.builds(slice, small_ints, small_ints)),
        (type(Ellipsis), st.just(Ellipsis)),
        (fractions.Fraction, st.fractions(max_denominator=10)),
        (decimal.Decimal, st.decimals(allow_nan=False, places=2, max_value=100, min_value=-100)),
        (object, st.builds(object)),
        (type, st.sampled_from([int, float, object, np.ndarray])),
    ]


def everything_except(*excluded: type | tuple[type, ...]) -> st.SearchStrategy[Any]:
    """Values of everyday types that are not instances of any ``excluded`` type (for
    checking that bad input raises a clear error). Types are excluded before drawing, so
    nothing is filtered."""
    types: list[type] = []
    for item in excluded:
        for t in item if isinstance(item, tuple) else (item,):
            check(isinstance(t, type), f"everything_except needs types, got {t!r}")
            types.append(t)
    allowed = [strategy for kind, strategy in _catalog() if not issubclass(kind, tuple(types))]
    check(bool(allowed), f"everything_except{tuple(excluded)!r} leaves no value to draw")
    return st.one_of(allowed)


def seeds() -> st.SearchStrategy[int]:
    """Seeds for stochastic ops (dropout, random initializers)."""
    return st.integers(0, 2**32 - 1)


def _numpy_ufunc(ufunc: Any) -> np.ufunc:
    if isinstance(ufunc, np.ufunc):
        return ufunc
    check(
        isinstance(ufunc, type) and issubclass(ufunc, mg.ufunc),
        f"ufunc must be a mygrad or NumPy ufunc, got ufunc={ufunc!r}",
    )
    np_ufunc = getattr(np, ufunc.__name__, None)
    check(isinstance(np_ufunc, np.ufunc), f"{ufunc!r} has no NumPy counterpart")
    return cast(np.ufunc, np_ufunc)


_REAL_CODES = set("?bhilqBHILQefd")


def _signatures(np_ufunc: np.ufunc) -> list[tuple[np.dtype, ...]]:
    """The input dtypes of each real type signature of a ufunc, e.g. ('ff->f') -> (f4, f4)."""
    out = []
    for sig in np_ufunc.types:
        inputs = sig.split("->")[0]
        if set(sig.replace("->", "")) <= _REAL_CODES:
            out.append(tuple(np.dtype(c) for c in inputs))
    return out


def populates_ufunc(
    ufunc: Any,
    arg_index_to_elements: dict[int, st.SearchStrategy[Any]] | None = None,
    include_where: bool = True,
    tensor_only: bool = False,
    use_ufunc_signature: bool = False,
    *,
    include_out: bool = False,
    include_dtype: bool = False,
    layout: Any = "c",
    max_size: int = MAX_SIZE,
) -> st.SearchStrategy[tuple[tuple[Any, ...], dict[str, Any]]]:
    """``(args, kwargs)`` for a call of ``ufunc`` (mygrad's or NumPy's).

    ``args``: ``nin`` operands of mutually broadcastable shapes; the first is always a
    Tensor, the others (unless ``tensor_only``) may be ndarrays or Python scalars. Their
    dtypes are float64, or drawn from the ufunc's type signatures with
    ``use_ufunc_signature``; elements come from ``arg_index_to_elements`` (default: [-10, 10]).
    ``kwargs`` may hold ``where`` (True or a broadcastable mask), ``out`` (an ndarray or a
    Tensor, possibly a view; with ``include_out``) and ``dtype`` (with ``include_dtype``).
    Operands are in the drawn ``layout`` ("c" by default; "any" for all of them).
    """
    np_ufunc = _numpy_ufunc(ufunc)
    for flag, name in (
        (include_where, "include_where"),
        (tensor_only, "tensor_only"),
        (use_ufunc_signature, "use_ufunc_signature"),
        (include_out, "include_out"),
        (include_dtype, "include_dtype"),
    ):
        check_bool(flag, name)
    check_int(max_size, "max_size", minimum=1)
    element_map = dict(arg_index_to_elements or {})
    for index in element_map:
        check(
            isinstance(index, int) and 0 <= index < np_ufunc.nin,
            f"arg_index_to_elements has key {index!r}, but {np_ufunc.__name__} takes "
            f"{np_ufunc.nin} arguments",
        )
    nin = np_ufunc.nin
    if use_ufunc_signature:
        signatures = _signatures(np_ufunc)
        check(bool(signatures), f"{np_ufunc.__name__} has no real type signature")
        dtype_sets = st.sampled_from(sorted(signatures, key=lambda s: [d.kind != "f" for d in s]))
    else:
        dtype_sets = st.just((np.dtype(np.float64),) * nin)
    layout_names = layouts(layout)

    def operand(draw: Any, i: int, dt: np.dtype, shape: tuple[int, ...]) -> Any:
        elems = element_map.get(i, domain_elements((-10, 10), dt))
        arr = with_layout(draw(hnp.arrays(dt, shape, elements=elems)), draw(layout_names))
        forms = ["tensor"]
        if not (tensor_only or i == 0):
            forms += ["array", "scalar"] if shape == () else ["array"]
        form = draw(st.sampled_from(forms))
        if form == "tensor":
            constant = True if dt.kind != "f" else draw(st.booleans())
            return mg.Tensor(arr, constant=constant, copy=False)
        return arr if form == "array" else arr.item()

    @st.composite
    def draw_call(draw: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
        dts = draw(dtype_sets)
        shapes = draw(mutually_broadcastable_shapes(nin, max_size=max_size))
        args = tuple(
            operand(draw, i, dt, shape)
            for i, (dt, shape) in enumerate(zip(dts, shapes.input_shapes))
        )
        kw: dict[str, Any] = {}
        if include_dtype and draw(st.booleans()):
            kw["dtype"] = draw(dtype_args([np.float64, np.float32, np.float16]))
        if include_where and draw(st.booleans()):
            result = shapes.result_shape
            mask_shape = result[len(result) - draw(st.integers(0, len(result))) :]
            kw["where"] = draw(st.just(True) | hnp.arrays(bool, mask_shape))
        if include_out and draw(st.booleans()):
            raw = [a.data if isinstance(a, mg.Tensor) else a for a in args]
            with np.errstate(all="ignore"):
                template = np.asarray(
                    np_ufunc(*raw, **({"dtype": kw["dtype"]} if "dtype" in kw else {}))
                )
            kw["out"] = _draw_out(draw, template)
        return args, kw

    return draw_call()


def _draw_out(draw: Any, template: np.ndarray) -> Any:
    """An ``out=`` target shaped like the result: an ndarray, a Tensor, or a Tensor view."""
    dt = template.dtype
    values = draw(hnp.arrays(dt, template.shape, elements=domain_elements((-10, 10), dt)))
    form = draw(st.sampled_from(["array", "tensor", "tensor-view"]))
    if form == "array":
        return values
    constant = dt.kind != "f" or draw(st.booleans())
    if form == "tensor":
        return mg.Tensor(values, constant=constant)
    # a view of a larger tensor: in-place writes must reach the base
    return mg.Tensor(np.stack([values, values]), constant=constant)[1]
