"""Shared by the engine's cotangent tests: a plain reverse-mode tape over NumPy."""

from __future__ import annotations

import pytest

# reference cotangents of (a, b) for the arithmetic both test files use, written
# independently of mygrad's VJPs
_ARITHMETIC_VJPS = {
    "add": lambda g, a, b: (g, g),
    "subtract": lambda g, a, b: (g, -g),
    "multiply": lambda g, a, b: (g * b, g * a),
    "negative": lambda g, a, b: (-g, None),
}


def _numpy_tape(program, x, y, seed, forward, vjp, magnitudes=False):
    """Values and gradients of ``program`` (``(name, i, j)`` steps over earlier values) by
    a plain tape: ``forward(name, a, b)``, and the cotangents of add, subtract, multiply and
    negative from the table above, of every other op from ``vjp(name, g, a, b)``; every
    contribution is added to a new array in the order it is produced.

    ``magnitudes``: instead of the gradients, the sums of the absolute values of every term
    that reaches them (for VJPs whose terms are products, ``|J|^T |seed|``): the scale of the
    rounding error that two correct ways of summing them may differ by."""
    values = [x, y]
    for name, i, j in program:
        values.append(forward(name, values[i], values[j]))
    grads = [None] * len(values)
    grads[-1] = abs(seed) if magnitudes else seed
    for k in range(len(values) - 1, 1, -1):
        g = grads[k]
        if g is None:
            continue
        name, i, j = program[k - 2]
        arithmetic = _ARITHMETIC_VJPS.get(name)
        if arithmetic is not None:
            gi, gj = arithmetic(g, values[i], values[j])
        else:
            gi, gj = vjp(name, g, values[i], values[j])
        for idx, term in ((i, gi), (j, gj)):
            if term is not None:
                term = abs(term) if magnitudes else term
                grads[idx] = term if grads[idx] is None else grads[idx] + term
    return values, grads


@pytest.fixture(scope="session")
def numpy_tape():
    """The reference tape (session-scoped, so hypothesis tests may take it)."""
    return _numpy_tape
