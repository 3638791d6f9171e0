"""The gradient of :func:`mygrad.einsum` with respect to one operand.

By the product rule it is the einsum of the output's cotangent with every other operand,
written onto that operand's labels. What this contraction looks like (which axes are
summed, transposed and merged, whether it is one matmul) depends only on the labels and
the shapes, so it is worked out once per layout (:func:`_recipe`, cached) and the arrays
then go through a few NumPy calls: a training loop differentiates the same einsum again and
again, and working it out costs several times what NumPy spends on the arithmetic of a
small contraction.
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["operand_grad"]

Shape = tuple[int, ...]

# Unplanned einsum loops over every combination of labels in C, without BLAS. From about
# this many multiply-adds on, a gradient einsum goes to BLAS: one matmul when it is a
# product of two operands, else NumPy's greedy plan (einsum_path costs ~20-50 µs of Python).
# Measured: 64x256x32 takes 150-200 µs unplanned, 35 planned, 25 as one matmul.
PLAN_FROM_WORK = 1 << 16


class _Matmul(NamedTuple):
    """``einsum(f"{la},{lb}->{out}", a, b)`` as one (batched) matmul: each operand summed
    over its own labels, transposed and reshaped into ([batch,] rows, columns) blocks."""

    sum_a: tuple[int, ...]
    perm_a: tuple[int, ...] | None  # None: already in order
    blocks_a: Shape
    sum_b: tuple[int, ...]
    perm_b: tuple[int, ...] | None
    blocks_b: Shape
    product_shape: Shape
    perm_out: tuple[int, ...] | None

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        product = np.matmul(
            _as_blocks(a, self.sum_a, self.perm_a, self.blocks_a),
            _as_blocks(b, self.sum_b, self.perm_b, self.blocks_b),
        )
        product = product.reshape(self.product_shape)
        return product if self.perm_out is None else product.transpose(self.perm_out)


def _as_blocks(
    x: np.ndarray, summed: tuple[int, ...], perm: tuple[int, ...] | None, blocks: Shape
) -> np.ndarray:
    if summed:
        x = x.sum(axis=summed)
    if perm is not None:
        x = x.transpose(perm)
    return x.reshape(blocks)


class _Recipe(NamedTuple):
    """How one operand's gradient is computed from the cotangent and the other operands."""

    matmul: _Matmul | None  # else np.einsum(subscripts, ..., optimize=plan)
    subscripts: str
    plan: Any
    summed: tuple[int, ...]  # axes of size 1 that einsum broadcast: summed back to 1
    missing: tuple[int, ...]  # labels of this operand alone: the grad broadcasts along them
    shape: Shape  # the gradient's shape over the operand's distinct labels
    diagonal: bool  # a label repeats within the operand: the grad is written on a diagonal


def operand_grad(
    g: np.ndarray,
    out_labels: str,
    labels: str,
    array: np.ndarray,
    others: list[tuple[str, np.ndarray]],
    optimize: Any,
) -> np.ndarray:
    """dL/d(array) for one einsum operand whose axes carry ``labels``, given the output's
    cotangent ``g`` (axes ``out_labels``) and the other operands with their labels.

    Two things einsum cannot express are handled around the contraction: a label that is
    summed away within this operand alone (it reappears by broadcasting, as the derivative
    of a sum), and a label repeated within this operand (a diagonal: the grad is zero off
    the diagonal, so it is written through a strided diagonal view of zeros).
    """
    operands = [g, *(a for _, a in others)]
    recipe = _recipe(
        out_labels,
        labels,
        tuple(lbl for lbl, _ in others),
        tuple(np.shape(x) for x in operands),
        array.shape,
        optimize is not False,
        PLAN_FROM_WORK,
    )
    if recipe.matmul is not None:
        grad = recipe.matmul(*operands)
    else:
        grad = np.einsum(recipe.subscripts, *operands, optimize=recipe.plan)
    if recipe.summed:
        grad = grad.sum(axis=recipe.summed, keepdims=True)
    if recipe.missing:
        grad = np.broadcast_to(np.expand_dims(grad, recipe.missing), recipe.shape)
    if not recipe.diagonal:
        return grad
    full = np.zeros(array.shape, dtype=grad.dtype)
    unique = "".join(dict.fromkeys(labels))
    diagonal_strides = [
        sum(full.strides[k] for k, lbl in enumerate(labels) if lbl == u) for u in unique
    ]
    diagonal = as_strided(full, recipe.shape, diagonal_strides, writeable=True)
    diagonal[...] = grad
    return full


@functools.lru_cache(maxsize=512)
def _recipe(
    out_labels: str,
    labels: str,
    other_labels: tuple[str, ...],
    shapes: tuple[Shape, ...],
    shape: Shape,
    planned: bool,
    plan_from: int,
) -> _Recipe:
    """The recipe for the operand with ``labels`` and ``shape``; ``shapes`` are those of the
    cotangent (``out_labels``) and the other operands (``other_labels``), in that order."""
    unique = "".join(dict.fromkeys(labels))
    specs = [out_labels, *other_labels]
    available = set().union(*specs)
    computable = "".join(lbl for lbl in unique if lbl in available)

    size: dict[str, int] = {}
    same_sizes = True  # False when einsum broadcasts a label of size 1 against a longer one
    for spec, operand_shape in zip(specs, shapes):
        for label, n in zip(spec, operand_shape):
            known = size.setdefault(label, n)
            if known != n:
                same_sizes = False
                size[label] = max(known, n)
    large = len(specs) > 1 and math.prod(size.values()) >= plan_from
    matmul = None
    if large and len(specs) == 2 and same_sizes:
        matmul = _matmul_recipe(specs[0], specs[1], computable, size)
    plan = "greedy" if large or planned else False

    own = dict(zip(labels, shape))
    summed = tuple(k for k, lbl in enumerate(computable) if own[lbl] == 1 and size[lbl] != 1)
    missing = tuple(k for k, lbl in enumerate(unique) if lbl not in available)
    return _Recipe(
        matmul=matmul,
        subscripts=",".join(specs) + "->" + computable,
        plan=plan,
        summed=summed,
        missing=missing,
        shape=tuple(own[lbl] for lbl in unique),
        diagonal=len(unique) != len(labels),
    )


def _matmul_recipe(la: str, lb: str, out_labels: str, size: dict[str, int]) -> _Matmul | None:
    """``einsum(f"{la},{lb}->{out_labels}")`` as one (batched) matmul, or None when a label
    repeats within an operand. Every label has one ``size``; every output label must be one
    of the operands'."""
    if len(set(la)) < len(la) or len(set(lb)) < len(lb):
        return None
    # a label of one operand only, absent from the output, is summed away up front
    sum_a, la = _summed_away(la, keep=lb + out_labels)
    sum_b, lb = _summed_away(lb, keep=la + out_labels)
    batch = [c for c in out_labels if c in la and c in lb]
    inner = [c for c in la if c in lb and c not in out_labels]
    left = [c for c in la if c not in lb]
    right = [c for c in lb if c not in la]

    def blocks(labels: str, *groups: list[str]) -> tuple[tuple[int, ...] | None, Shape]:
        # axes grouped ([batch,] rows, columns), each group merged into one axis
        groups = groups if batch else groups[1:]
        perm = tuple(labels.index(c) for group in groups for c in group)
        merged = tuple(math.prod([size[c] for c in group]) for group in groups)
        return (None if perm == tuple(range(len(perm))) else perm), merged

    perm_a, blocks_a = blocks(la, batch, left, inner)
    perm_b, blocks_b = blocks(lb, batch, inner, right)
    product_labels = batch + left + right
    perm_out = tuple(product_labels.index(c) for c in out_labels)
    return _Matmul(
        sum_a=sum_a,
        perm_a=perm_a,
        blocks_a=blocks_a,
        sum_b=sum_b,
        perm_b=perm_b,
        blocks_b=blocks_b,
        product_shape=tuple(size[c] for c in product_labels),
        perm_out=None if perm_out == tuple(range(len(perm_out))) else perm_out,
    )


def _summed_away(labels: str, keep: str) -> tuple[tuple[int, ...], str]:
    """The axes of an operand whose labels are not in ``keep``, and the labels left."""
    axes = tuple(k for k, c in enumerate(labels) if c not in keep)
    return axes, "".join(c for c in labels if c in keep)
