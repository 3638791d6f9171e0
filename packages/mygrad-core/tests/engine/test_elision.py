"""Temporary elision (``x * y + x`` adding into the product's array, see _elision.py) must
be invisible: every value, dtype and gradient as without it and as NumPy gives, no input or
named intermediate ever written, and no elision where the overwritten array could still
be read (a named tensor, a VJP that reads it, C code holding the operand)."""

from __future__ import annotations

import contextlib
import functools
import operator

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import mygrad as mg
import mygrad._elision as elision
import mygrad._tensor as tensor_module

SHAPE = (200, 200)  # 320 kB of float64: above the elision threshold

LEAVES = ("x", "y", "z", "c", "r", "2.0", "3")
FORMS = (
    "({} + {})",
    "({} - {})",
    "({} * {})",
    "({} / {})",
    "np.exp({} / 4)",
    "np.square({})",
    "np.swapaxes({}, -1, -2)",  # a view
    "(-{})",
)


@st.composite
def expressions(draw, names, depth=0, array=True):
    """An expression over ``names``; with ``array``, one whose value is an array."""
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from([n for n in names if not (array and n[0].isdigit())]))
    form = draw(st.sampled_from(FORMS))
    if form.count("{}") == 1:  # swapaxes, exp and square of an array
        return form.format(draw(expressions(names, depth + 1)))
    # a binary operator gives an array when either side is one
    parts = [draw(expressions(names, depth + 1, array)), draw(expressions(names, depth + 1, False))]
    if draw(st.booleans()):
        parts.reverse()
    return form.format(*parts)


@st.composite
def programs(draw):
    """The source of ``program(x, y, z, c, r, np)``: named intermediates built from nested
    expressions, each returned in a list."""
    names = list(LEAVES)
    lines = ["def program(x, y, z, c, r, np):"]
    for k in range(draw(st.integers(1, 5))):
        lines.append(f"    v{k} = {draw(expressions(tuple(names)))}")
        names.append(f"v{k}")
    lines.append(f"    return [{', '.join(n for n in names if n.startswith('v'))}]")
    return "\n".join(lines)


def _compile(source):
    namespace = {}
    exec(compile(source, "<program>", "exec"), namespace)
    return namespace["program"]


def _inputs():
    rng = np.random.default_rng(0)
    return {
        "x": rng.uniform(1.0, 2.0, SHAPE),
        "y": rng.uniform(1.0, 2.0, SHAPE),
        "z": rng.uniform(1.0, 2.0, SHAPE).astype(np.float32),  # dtype promotion
        "c": rng.uniform(1.0, 2.0, (1, SHAPE[1])),  # broadcasts into the others
        "r": rng.uniform(1.0, 2.0, (3, *SHAPE)),  # the others broadcast into it
    }


def _run_tensors(program, arrays):
    x, y, z = (mg.tensor(arrays[k]) for k in "xyz")
    c, r = arrays["c"].copy(), arrays["r"].copy()
    outs = program(x, y, z, c, r, np)
    # (a program may return constants; the inputs' own sums keep the loss a variable)
    terms = [mg.sum(t) for t in (x, y, z)] + [mg.sum(v * (k + 1.5)) for k, v in enumerate(outs)]
    functools.reduce(operator.add, terms).backward()
    assert np.array_equal(c, arrays["c"]) and np.array_equal(r, arrays["r"])
    return [np.array(mg.asarray(v)) for v in outs], [t.grad for t in (x, y, z)]


@contextlib.contextmanager
def elision_off():
    threshold = tensor_module._ELIDE_BYTES
    tensor_module._ELIDE_BYTES = 1 << 62
    try:
        yield
    finally:
        tensor_module._ELIDE_BYTES = threshold


@given(source=programs())
def test_programs_give_numpys_values_and_the_gradients_without_elision(source):
    program = _compile(source)
    arrays = _inputs()
    expected = program(**{k: v.copy() for k, v in arrays.items()}, np=np)
    values, grads = _run_tensors(program, arrays)
    for got, want in zip(values, expected):
        want = np.asarray(want)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    with elision_off():
        values_off, grads_off = _run_tensors(program, arrays)
    for got, want in zip(values, values_off):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(grads, grads_off):
        np.testing.assert_array_equal(got, want)


@pytest.fixture
def elided(monkeypatch):
    """The names of the ops that wrote into a temporary, in order."""
    names: list[str] = []
    record = elision.record

    def spy(op, *args, **kwargs):
        names.append(op.name)
        return record(op, *args, **kwargs)

    monkeypatch.setattr(elision, "record", spy)
    return names


def _big(seed=1):
    rng = np.random.default_rng(seed)
    return mg.tensor(rng.uniform(1.0, 2.0, SHAPE)), mg.tensor(rng.uniform(1.0, 2.0, SHAPE))


def test_a_temporary_whose_memory_nobody_reads_again_is_written_into(elided):
    x, y = _big()
    (x * y + x).sum().backward()
    (x * y - 1.0).sum().backward()
    (2.0 - x * y).sum().backward()
    ((x * y) / y).sum().backward()
    assert elided == ["add", "subtract", "subtract", "divide"]


def test_the_result_is_guarded_like_any_output(elided):
    x, y = _big()
    out = x * y + x
    assert elided == ["add"] and not out.data.flags.writeable
    out.backward(np.ones(SHAPE))
    assert out.data.flags.writeable
    np.testing.assert_array_equal(x.grad, y.data + 1.0)


def _never(x, y):
    named = x * y
    yield named + x  # a named tensor can be read again
    yield operator.add(x * y, x)  # called by C code holding the operand
    yield functools.reduce(operator.add, [x * y, x])
    yield np.exp(x) + 1.0  # exp's VJP reads its output
    yield (x * y) * x  # multiply's VJP reads both inputs
    yield x / (x * y)  # divide's VJP reads its divisor
    yield (x * y).T + 1.0  # a view
    yield (x * y) + mg.tensor(np.ones((3, *SHAPE)))  # the result is larger
    yield (x.astype(np.float32) * np.float32(2)) + x  # promotes to float64
    with mg.no_autodiff:
        yield x * y + x


def test_no_elision_where_the_array_may_be_read_again(elided):
    x, y = _big()
    for out in _never(x, y):
        del out
    assert elided == []


def test_an_elided_temporary_used_twice_is_still_whole():
    """(x * y) used by two later expressions must be named, and then is never overwritten."""
    x, y = _big()
    xy = x * y
    a = xy + 1.0
    b = xy - 2.0
    np.testing.assert_array_equal(xy.data, x.data * y.data)
    (a * b).sum().backward()
    np.testing.assert_allclose(x.grad, (2 * x.data * y.data - 1.0) * y.data)


def test_small_arrays_are_never_elided(elided):
    x, y = mg.tensor(np.arange(1.0, 5.0)), mg.tensor(np.arange(2.0, 6.0))
    (x * y + x).sum().backward()
    assert elided == []
