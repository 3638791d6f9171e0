"""Indexing: basic and advanced ``__getitem__`` (``__setitem__`` lives in ``_inplace``).

The VJP of ``a[index]`` scatters the cotangent back to the entries it was read from. An
index reaches an entry more than once only through integer arrays (repeated or broadcast
positions); those gradients add up. Basic indices and boolean masks reach each entry at
most once, so plain assignment does. For integer arrays the repeated positions are summed
after one sort, by a few vectorised rounds of ``+=`` (``np.add.at`` is ~20x slower, and
``np.add.reduceat`` along a leading axis slower still); indices of unusual shapes (``None``
or boolean masks among integer arrays, integer arrays split by slices) and positions
repeated very often fall back to ``np.add.at``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._lazy import Scatter
from .._op import defop

__all__ = ["getitem"]


def _parts(index: Any) -> tuple[Any, ...]:
    """The index as a tuple, with every array-like part (list, nested tuple) an ndarray."""
    parts = index if type(index) is tuple else (index,)
    return tuple(p if _is_basic(p) else _as_index_array(p) for p in parts)


def _as_index_array(part: Any) -> np.ndarray:
    array = np.asarray(part)
    if array.size == 0 and array.dtype.kind not in "biu":
        return array.astype(np.intp)  # NumPy indexes with an empty list as with intp
    return array


def _is_basic(part: Any) -> bool:
    return part is None or part is Ellipsis or type(part) is slice or _is_int_scalar(part)


def _is_int_scalar(part: Any) -> bool:
    return isinstance(part, (int, np.integer)) and not isinstance(part, (bool, np.bool_))


def _is_int_array(part: Any) -> bool:
    return isinstance(part, np.ndarray) and part.dtype.kind in "iu"


def _bool_to_integer_arrays(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """A boolean mask over k axes is the same index as the k integer arrays of its nonzero()."""
    out: list[Any] = []
    for p in parts:
        if isinstance(p, np.ndarray) and p.dtype == bool:
            out.extend(p.nonzero())
        else:
            out.append(p)
    return tuple(out)


def _integer_run(parts: tuple[Any, ...], ndim: int) -> tuple[tuple[Any, ...], int, int] | None:
    """``(parts, start, stop)`` when the index is slices (and at most one Ellipsis) around a
    single run ``parts[start:stop]`` of integers, at least one of them an integer array;
    the Ellipsis is spelled out as slices, so part i indexes axis i. Else None."""
    ellipses = [i for i, p in enumerate(parts) if p is Ellipsis]
    if len(ellipses) > 1:
        return None
    if ellipses:
        at = ellipses[0]
        parts = parts[:at] + (slice(None),) * (ndim - len(parts) + 1) + parts[at + 1 :]
    integer = [i for i, p in enumerate(parts) if type(p) is not slice]
    if not integer or not all(_is_int_scalar(parts[i]) or _is_int_array(parts[i]) for i in integer):
        return None
    start, stop = integer[0], integer[-1] + 1
    if stop - start != len(integer) or not any(_is_int_array(parts[i]) for i in integer):
        return None
    return parts, start, stop


# Past this many repeats of one position, the rounds below cost more than np.add.at
_MAX_ROUNDS = 16


def _scatter_add_run(
    grad: np.ndarray,
    parts: tuple[Any, ...],
    start: int,
    stop: int,
    g: np.ndarray,
    zeroed: bool = True,
) -> None:
    """``grad[parts] += g`` where ``parts[start:stop]`` are the only integers (``zeroed``:
    grad is all zeros, so where no position repeats a plain assignment does).

    NumPy puts the broadcast shape of those integers at axis ``start`` of ``g`` (the slices
    before them each keep one axis). Their flat positions within the axes they index are
    sorted once: all distinct means one fancy ``+=`` (or assignment). Otherwise round k adds
    the k-th occurrence of every repeated position, by a fancy ``+=`` in which no position repeats;
    occurrences are taken in index order, so the sums are np.add.at's, bit for bit.
    """
    run_shape = grad.shape[start:stop]
    flat = np.asarray(np.ravel_multi_index(parts[start:stop], run_shape, mode="wrap"))
    positions = flat.ravel()
    if positions.size < 2 or grad.size == 0:
        if zeroed:
            grad[parts] = g
        else:
            grad[parts] += g
        return
    order = positions.argsort(kind="stable")
    ordered = positions[order]
    is_first = np.empty(positions.size, dtype=bool)
    is_first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=is_first[1:])
    firsts = np.flatnonzero(is_first)
    if firsts.size == positions.size:
        if zeroed:
            grad[parts] = g  # no repeats
        else:
            grad[parts] += g
        return
    # each sorted entry's rank among the occurrences of its position: 0, 1, ...
    rank = np.arange(positions.size) - firsts[is_first.cumsum() - 1]
    rounds = int(rank.max()) + 1
    if rounds > _MAX_ROUNDS:
        np.add.at(grad, parts, g)
        return
    # g's broadcast-integer axes collapse to one axis of len(positions), at `start`
    g = g.reshape(g.shape[:start] + (positions.size,) + g.shape[start + flat.ndim :])
    for k in range(rounds):
        picked = order[rank == k]
        at = positions[picked]
        run = (at,) if stop - start == 1 else np.unravel_index(at, run_shape)
        index = parts[:start] + run + parts[stop:]
        values = g.take(picked, axis=start)
        if k == 0 and zeroed:
            grad[index] = values
        else:
            grad[index] += values


@defop(view="maybe", name="getitem")
def getitem(a, index):
    """``a[index]`` for any NumPy index; a view exactly when NumPy returns one."""
    return a[index]


@getitem.vjp
def _getitem_vjp(g, out, a, index):
    # laid out like `a`: a view op's VJP then hands its input a grad laid out like that
    # input (w.T[...] gives w a C-ordered grad), which sums with w's other grads at full speed
    g = np.asarray(g)
    dtype = g.dtype if g.dtype is a.dtype else np.result_type(g, a.dtype)
    add = scatter_adder(g, a.ndim, index)
    if dtype == a.dtype:
        # left sparse: the engine adds it into the input's other gradients (or into zeros)
        return Scatter(a, dtype, add)
    grad = np.zeros_like(a, dtype=dtype)
    add(grad, True)
    return grad


def scatter_adder(g: np.ndarray, ndim: int, index: Any) -> Callable[[np.ndarray, bool], None]:
    """``add(grad, zeroed)``: adds the cotangent ``g`` of ``a[index]`` (``a`` with ``ndim``
    axes) into ``grad`` where ``index`` reaches; ``zeroed`` says grad is all zeros (plain
    assignment then does where no position repeats)."""
    parts = index if type(index) is tuple else (index,)
    if not all(type(p) is slice for p in parts):  # (slices alone, the common case, cheaply)
        parts = _parts(index)
    if not any(_is_int_array(p) for p in parts):
        # basic indices and boolean masks reach each entry at most once
        def add_once(grad: np.ndarray, zeroed: bool) -> None:
            if zeroed:
                grad[index] = g
            else:
                grad[index] += g

        return add_once
    run = _integer_run(parts, ndim)
    if run is not None:

        def add_run(grad: np.ndarray, zeroed: bool) -> None:
            _scatter_add_run(grad, *run, g, zeroed)

        return add_run

    def add_at(grad: np.ndarray, zeroed: bool) -> None:
        # repeated integer indices accumulate their gradients
        np.add.at(grad, _bool_to_integer_arrays(parts), g)

    return add_at
