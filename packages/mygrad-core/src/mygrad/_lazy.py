"""Lazy cotangents: gradient terms that a VJP hands the engine uncomputed.

A VJP whose gradient is cheaper to *add* than to *build* returns a :class:`Lazy` instead of
an ndarray: a negation (``Negated``: the engine subtracts instead of negating and adding)
or a scatter (``Scatter``: getitem's gradient is zero outside the indexed entries, so the
engine adds those entries into the input's other gradient instead of allocating a full
array of zeros for them). The engine (``_graph._send_to_parents``) keeps such a term lazy
while it is the only term of its node's cotangent, combines it with later terms, and only
materialises it when a VJP or a tensor needs the cotangent as an array.

Only the engine reads these: a VJP always receives an ndarray. The engine keeps a term lazy
only when it has its parent's exact shape and dtype (``fits``); otherwise it materialises
it and goes the general way (unbroadcast, cast).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ._graph import Node

__all__ = ["Lazy", "Negated", "Scatter", "scratch_variant"]

# (numpy's module __getattr__ keeps CPython 3.11 from specializing ``np.ndarray`` loads)
_ndarray = np.ndarray


class Lazy:
    """A cotangent term left uncomputed (see the module docstring).

    ``shape`` and ``dtype`` are the term's (None when it is not an array yet): attributes
    rather than methods, since the engine reads them for every lazy term it meets.
    """

    __slots__ = ("shape", "dtype")
    shape: tuple[int, ...] | None
    dtype: np.dtype | None
    # whether :meth:`through` may hand the term on past a view op (else never called)
    passes_views = False

    def materialize(self) -> np.ndarray:
        """The term as a new array that nothing else refers to (the caller owns it)."""
        raise NotImplementedError

    def add_into(self, dense: np.ndarray) -> None:
        """``dense += term``; ``dense`` is the caller's to overwrite."""
        raise NotImplementedError

    def added_to(self, dense: np.ndarray, writable: bool) -> np.ndarray:
        """``dense + term`` as an array the caller owns: ``dense`` itself when it is
        ``writable`` (nothing else refers to it), else a new array."""
        if not writable:
            # (order "K" would lay a broadcast's copy out along its zero-stride axis, a
            # transposed layout that makes every later elementwise pass over it strided)
            dense = np.array(dense, copy=True, order="C" if 0 in dense.strides else "K")
        self.add_into(dense)
        return dense

    def combine(self, other: Lazy) -> Lazy | np.ndarray:
        """``self + other``: a lazy term, or an array the caller owns."""
        dense = self.materialize()
        other.add_into(dense)
        return dense

    def through(self, node: Node) -> Lazy | None:
        """This cotangent of ``node``'s output as a lazy cotangent of its single input, when
        the engine may skip materialising it (``node``'s tensor is gone); else None."""
        return None


class Negated(Lazy):
    """The cotangent ``-array``: a VJP returns it where the gradient is a negation
    (subtract's second input, negative, divide's divisor), and the engine subtracts
    ``array`` where it would add the negation, saving a full pass and an array.

    ``fresh`` promises that ``array`` is a new array that nothing else refers to, so the
    engine may write into it.
    """

    __slots__ = ("array", "fresh")

    def __init__(self, array: Any, fresh: bool = False) -> None:
        self.array = array
        self.fresh = fresh
        if type(array) is _ndarray:
            self.shape, self.dtype = array.shape, array.dtype
        else:
            self.shape = self.dtype = None

    def materialize(self) -> np.ndarray:
        a = self.array
        if self.fresh and type(a) is np.ndarray and a.flags.writeable:
            return np.negative(a, out=a)
        # (asarray: negating a 0-d array gives a NumPy scalar)
        return np.asarray(np.negative(a))

    def add_into(self, dense: np.ndarray) -> None:
        np.subtract(dense, self.array, out=dense)

    def added_to(self, dense: np.ndarray, writable: bool) -> np.ndarray:
        # dense - array, into whichever of the two may be written
        if writable:
            return np.subtract(dense, self.array, out=dense)
        if self.fresh:
            return np.subtract(dense, self.array, out=self.array)
        # (asarray: the difference of two 0-d arrays is a NumPy scalar)
        return np.asarray(np.subtract(dense, self.array))

    def combine(self, other: Lazy) -> Lazy | np.ndarray:
        if type(other) is not Negated:
            return super().combine(other)  # -array, then the other added into it
        # -(a + b): the sum stays negated
        a, b = self.array, other.array
        if self.fresh:
            np.add(a, b, out=a)
            return self
        if other.fresh:
            np.add(b, a, out=b)
            return other
        return Negated(np.asarray(np.add(a, b)), fresh=True)


class Scatter(Lazy):
    """A cotangent that is zero outside the entries its adders add: what getitem's VJP
    returns, so that the engine adds those entries into the input's other gradient (or, at
    worst, into one array of zeros) instead of every getitem allocating a full array."""

    __slots__ = ("like", "adders")
    passes_views = True

    def __init__(
        self, like: np.ndarray, dtype: np.dtype, add: Callable[[np.ndarray, bool], None]
    ) -> None:
        self.like = like  # the shape and memory layout of the full cotangent
        self.shape = like.shape
        self.dtype = dtype
        # each add(grad, zeroed) adds its entries into grad (zeroed: grad is all zeros)
        self.adders = [add]

    def materialize(self) -> np.ndarray:
        grad = np.zeros_like(self.like, dtype=self.dtype)
        first, *rest = self.adders
        first(grad, True)
        for add in rest:
            add(grad, False)
        return grad

    def add_into(self, dense: np.ndarray) -> None:
        for add in self.adders:
            add(dense, False)

    def combine(self, other: Lazy) -> Lazy | np.ndarray:
        if type(other) is Scatter:
            self.adders += other.adders  # (both fit the same parent: same shape and dtype)
            return self
        # the other term's array is the cheaper start (no array of zeros)
        dense = other.materialize()
        self.add_into(dense)
        return dense

    def through(self, node: Node) -> Lazy | None:
        # a transparent view op applied to the input's gradient is a writeable view of it,
        # where the entries of the output's gradient belong: they are scattered through it
        op = node.op
        if (
            op is None
            or op.name not in _TRANSPARENT
            or node.where is not True
            or len(node.parents) != 1
            or node.live_tensor() is not None
        ):
            return None
        like = node.arrays[0]
        if like.dtype != self.dtype:
            return None
        forward, params = op.forward, node.params

        def through_view(add: Callable[[np.ndarray, bool], None]) -> Any:
            return lambda grad, zeroed: add(forward(grad, **params), zeroed)

        moved = Scatter(like, self.dtype, through_view(self.adders[0]))
        moved.adders += [through_view(add) for add in self.adders[1:]]
        return moved


# view ops whose forward, applied to an array, always returns a writeable view of all of it
_TRANSPARENT = frozenset({"transpose", "moveaxis", "swapaxes", "expand_dims", "squeeze"})


def scratch_variant(
    variant: Callable[..., Any],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for a VJP: ``variant`` (same signature) computes the same gradients but may
    overwrite ``g`` and return it as the gradient of one input. The engine calls it instead
    when nothing but the backward pass refers to ``g`` (see ``_graph._is_scratch``); the
    plain VJP stays as it was, so the common path pays nothing for this."""

    def mark(vjp: Callable[..., Any]) -> Callable[..., Any]:
        vjp.on_scratch = variant  # type: ignore[attr-defined]
        return vjp

    return mark
