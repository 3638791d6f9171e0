"""Backward's shortcuts in summing cotangents (negations left to the engine as subtractions,
``x * x`` computing its gradient once, sums written into arrays nothing else holds) must
give the gradients that plain reverse-mode accumulation gives, and must never write into
an array that someone can see (an input, a tensor's data, another tensor's grad)."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg

BIG = 20_000  # float64: 160 kB, large enough for the engine's in-place sums
UNARY = ("negative", "reciprocal", "square")
BINARY = ("add", "subtract", "multiply", "divide")


def _forward_np(name, a, b):
    return {
        "negative": lambda: -a,
        "reciprocal": lambda: 1.0 / a,
        "square": lambda: a * a,
        "add": lambda: a + b,
        "subtract": lambda: a - b,
        "multiply": lambda: a * b,
        "divide": lambda: a / b,
    }[name]()


def _vjp_np(name, g, a, b):
    """Reference cotangents of (a, b) for the ops beyond the tape's arithmetic (see
    conftest.py), written independently of mygrad's VJPs."""
    if name == "reciprocal":
        return -g / (a * a), None
    if name == "square":
        return 2.0 * a * g, None
    return g / b, -g * a / (b * b)  # divide


def _reference(numpy_tape, program, x, y, seed):
    return numpy_tape(program, x, y, seed, _forward_np, _vjp_np)


def _indices(draw, n_ops):
    program = []
    for k in range(n_ops):
        n = 2 + k
        name = draw(st.sampled_from(UNARY + BINARY))
        i = draw(st.integers(0, n - 1))
        # often the same operand twice: x - x, x * x, x / x
        j = draw(st.one_of(st.just(i), st.integers(0, n - 1)))
        program.append((name, i, j))
    return program


@st.composite
def programs(draw):
    return _indices(draw, draw(st.integers(1, 8)))


@settings(max_examples=60, deadline=None)
@given(program=programs(), size=st.sampled_from([(), (3,), (BIG,)]), keep=st.booleans())
def test_gradients_match_a_plain_tape(numpy_tape, program, size, keep):
    rng = np.random.default_rng(1)
    x_np = rng.uniform(1.0, 2.0, size)
    y_np = rng.uniform(1.0, 2.0, size)
    seed = rng.uniform(-1.0, 1.0, size)
    values, expected = _reference(numpy_tape, program, x_np, y_np, seed)
    _, scale = numpy_tape(program, x_np, y_np, seed, _forward_np, _vjp_np, magnitudes=True)

    x, y = mg.tensor(x_np), mg.tensor(y_np)
    x_before, y_before, seed_before = x.data.copy(), y.data.copy(), seed.copy()
    tensors = [x, y]
    for name, i, j in program:
        a, b = tensors[i], tensors[j]
        tensors.append(getattr(mg, name)(a) if name in UNARY else getattr(mg, name)(a, b))
    kept = tensors if keep else [x, y, tensors[-1]]
    kept_values = [t.data.copy() for t in kept]
    out = tensors[-1]
    if not keep:
        del tensors
    out.backward(seed)

    # nothing anyone can see was written into
    np.testing.assert_array_equal(seed, seed_before)
    np.testing.assert_array_equal(x.data, x_before)
    np.testing.assert_array_equal(y.data, y_before)
    for t, v in zip(kept, kept_values):
        np.testing.assert_array_equal(t.data, v)

    index = {id(t): k for k, t in enumerate(kept)} if keep else None
    for k, t in enumerate(kept):
        ref_index = k if keep else (0, 1, len(values) - 1)[k]
        assert index is None or index[id(t)] == k
        want = expected[ref_index]
        if want is None:
            assert t.grad is None
        else:
            assert type(t.grad) is np.ndarray and t.grad.shape == np.shape(values[ref_index])
            # terms that cancel (x / x) leave rounding of the size of the terms: the engine
            # may sum them in another order, or by another exact formula, than the tape
            bound = 1e-12 + 1e-12 * np.abs(want) + 64 * np.finfo(float).eps * scale[ref_index]
            excess = np.abs(t.grad - want) - bound
            assert not np.any(excess > 0), (t.grad, want, bound)
    # grads are arrays of their own
    grads = [t.grad for t in kept if t.grad is not None]
    for a in range(len(grads)):
        for b in range(a + 1, len(grads)):
            assert not np.shares_memory(grads[a], grads[b])
        for t in kept:
            assert not np.shares_memory(grads[a], t.data)


@pytest.mark.parametrize("shape", [(), (3,), (BIG,)])
def test_the_square_of_a_tensor_by_multiply(shape):
    x = mg.tensor(np.full(shape, 3.0))
    (x * x).backward()
    np.testing.assert_array_equal(x.grad, np.full(shape, 6.0))


@pytest.mark.parametrize("shape", [(), (3,), (BIG,)])
def test_two_tensors_over_one_array_each_get_their_own_gradient(shape):
    # x1 is x2 as arrays, but they are two tensors: each gets g * x, not 2 g x
    arr = np.full(shape, 3.0)
    a, b = mg.tensor(arr, copy=False), mg.tensor(arr, copy=False)
    (a * b).backward()
    np.testing.assert_array_equal(a.grad, np.full(shape, 3.0))
    np.testing.assert_array_equal(b.grad, np.full(shape, 3.0))
    assert not np.shares_memory(a.grad, b.grad)


@pytest.mark.parametrize("shape", [(), (3,), (BIG,)])
def test_subtracting_a_tensor_from_itself_and_negations(shape):
    x = mg.tensor(np.full(shape, 2.0))
    (x - x).backward()
    np.testing.assert_array_equal(x.grad, np.zeros(shape))
    (mg.negative(-x) - x / x).backward()
    np.testing.assert_array_equal(x.grad, np.ones(shape))
    y = mg.tensor(np.full(shape, 4.0))
    (-x - y - mg.reciprocal(y)).backward()
    np.testing.assert_array_equal(x.grad, np.full(shape, -1.0))
    np.testing.assert_array_equal(y.grad, np.full(shape, -1.0 + 1.0 / 16.0))
    assert type(x.grad) is np.ndarray and type(y.grad) is np.ndarray


def test_a_negated_gradient_that_broadcasts_or_changes_dtype():
    x = mg.tensor(np.ones((4, 3), dtype=np.float32))
    b = mg.tensor(np.full(3, 2.0))  # float64: the result is float64, b's grad sums rows
    out = x - b - mg.negative(b) / b
    out.backward()
    np.testing.assert_array_equal(b.grad, np.full(3, -4.0 + 4.0 * 0.0))
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, np.ones((4, 3)))


def test_a_negated_gradient_under_where_and_anomaly_checks():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = mg.tensor([4.0, 5.0, 6.0])
    out = mg.subtract(x, y, where=np.array([True, False, True]), out=np.zeros(3))
    out.backward()
    np.testing.assert_array_equal(y.grad, [-1.0, 0.0, -1.0])
    with mg.detect_anomaly:
        (x - y).backward()
    np.testing.assert_array_equal(y.grad, [-1.0, -1.0, -1.0])


@pytest.mark.parametrize(
    "program",
    [
        # b's first term is a negation the engine made (divide), its second the g that add
        # also hands to x: the sum must not be written into that shared g
        [("add", 1, 0), ("divide", 2, 1)],
        [("add", 0, 1), ("divide", 2, 0)],
        # a negation of a shared g (subtract) met by a fresh term, and by another negation
        [("subtract", 0, 1), ("multiply", 2, 1)],
        [("subtract", 0, 1), ("subtract", 2, 1), ("negative", 3, 3)],
        [("negative", 0, 0), ("subtract", 2, 0), ("reciprocal", 3, 3), ("add", 4, 0)],
        [("multiply", 0, 0), ("subtract", 2, 2), ("divide", 0, 3)],
    ],
)
@pytest.mark.parametrize("size", [(3,), (BIG,)])
def test_programs_that_meet_each_accumulation_case(numpy_tape, program, size):
    rng = np.random.default_rng(2)
    x_np = rng.uniform(1.0, 2.0, size)
    y_np = rng.uniform(1.0, 2.0, size)
    seed = rng.uniform(-1.0, 1.0, size)
    values, expected = _reference(numpy_tape, program, x_np, y_np, seed)
    tensors = [mg.tensor(x_np), mg.tensor(y_np)]
    for name, i, j in program:
        a, b = tensors[i], tensors[j]
        tensors.append(getattr(mg, name)(a) if name in UNARY else getattr(mg, name)(a, b))
    tensors[-1].backward(seed)
    for t, want in zip(tensors, expected):
        if want is None:
            assert t.grad is None
        else:
            np.testing.assert_allclose(t.grad, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(), (3,), (BIG,)])
def test_a_tensor_times_itself_in_every_form(shape):
    x0 = np.full(shape, 3.0)
    # where=: masked-out positions get no gradient
    x = mg.tensor(x0)
    mask = np.full(shape, True)
    mask.flat[0] = False
    mg.multiply(x, x, where=mask).backward()
    np.testing.assert_array_equal(x.grad, np.where(mask, 6.0, 0.0))
    # where= with out=: the old value of the target takes the masked-out gradient
    x = mg.tensor(x0)
    target = mg.tensor(np.full(shape, 5.0))
    mg.multiply(x, x, where=mask, out=target)
    target.backward()
    np.testing.assert_array_equal(x.grad, np.where(mask, 6.0, 0.0))
    # in place on an intermediate
    x = mg.tensor(x0)
    y = x + 0.0
    y *= y
    y.backward()
    np.testing.assert_array_equal(x.grad, np.full(shape, 6.0))
    # a grad seed of another dtype, and a constant partner over the same array
    x = mg.tensor(x0.astype(np.float32))
    (x * x).backward(np.full(shape, 2.0))
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, np.full(shape, 12.0))
    x = mg.tensor(x0)
    (x * mg.tensor(x.data, constant=True, copy=False)).backward()
    np.testing.assert_array_equal(x.grad, np.full(shape, 3.0))
