"""gru: forward vs the textbook recurrence, full and truncated backpropagation through time
vs finite differences, dropout, s0, dtypes and errors (api.md §14.3, D8)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet import gru
from mygrad.testing.hints.nnet_layers import gru_arrays, gru_calls
from mygrad.testing.hints.nnet_reference import gru_reference, gru_truncated_objective
from mygrad.testing.oracles import assert_grads_close, check_vjp, numerical_vjp

SETTINGS = settings(max_examples=25, deadline=None)
sizes = st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))


@SETTINGS
@given(call=gru_calls())
def test_forward_matches_the_reference(call):
    out = gru(*call.arrays, **call.params)
    np.testing.assert_allclose(out.data, gru_reference(*call.arrays, **call.params),
                               rtol=1e-12, atol=1e-12)


@SETTINGS
@given(call=gru_calls())
def test_full_backprop_through_time_matches_finite_differences(call):
    check_vjp(gru, *call.arrays, kwargs=call.params)


@st.composite
def truncated_problems(draw):
    T, N, C, D = draw(sizes)
    arrays = draw(gru_arrays(T, N, C, D))
    s0 = draw(hnp.arrays(np.float64, (N, D), elements=st.floats(-1, 1)))
    bp_lim = draw(st.integers(0, T - 1))
    return arrays, s0, bp_lim


@SETTINGS
@given(problem=truncated_problems())
def test_truncated_backprop_is_the_gradient_through_bp_lim_steps(problem):
    arrays, s0, bp_lim = problem
    tensors = [mg.tensor(a) for a in arrays]
    out = gru(*tensors, s0=s0, bp_lim=bp_lim)
    g = np.random.default_rng(len(arrays[0])).uniform(0.5, 1.5, size=out.shape)
    out.backward(g)
    # the gradient of sum_t <g_t, s_t>, each s_t rebuilt from the fixed state s_{t-bp_lim-1}
    states = gru_reference(*arrays, s0=s0)
    estimates = numerical_vjp(
        lambda *a: np.asarray(gru_truncated_objective(g, bp_lim, states, *a)),
        arrays,
        np.array(1.0),
        wrt=range(10),
    )
    for t, estimate in zip(tensors, estimates):
        assert_grads_close(t.grad, estimate, dtype=np.float64, label=f"bp_lim={bp_lim}")


def test_bp_lim_of_t_minus_one_is_full_backprop_and_zero_is_no_recurrence():
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=s) for s in [(4, 2, 3)] + [(3, 2), (2, 2), (2,)] * 3]
    grads = {}
    for lim in (None, 3, 0):
        tensors = [mg.tensor(a) for a in arrays]
        gru(*tensors, bp_lim=lim)[-1].sum().backward()
        grads[lim] = [t.grad for t in tensors]
    for a, b in zip(grads[None], grads[3]):
        np.testing.assert_array_equal(a, b)
    # only the last step sees the loss, so without recurrence X_t for t < T-1 gets nothing
    np.testing.assert_array_equal(grads[0][0][:-1], 0)
    assert np.any(grads[None][0][:-1] != 0)


def _masks(seed, keep, N, D):
    """The masks gru draws (documented order: input-projection masks, then weight masks)."""
    np.random.seed(seed)
    u = np.random.binomial(1, keep, size=(3, N, D)) / keep
    w = np.random.binomial(1, keep, size=(3, D, D)) / keep
    return u, w


@SETTINGS
@given(dims=sizes, dropout=st.sampled_from([0.2, 0.5, 0.9]), seed=st.integers(0, 100),
       data=st.data())
def test_dropout_forward_uses_bernoulli_masks_scaled_by_the_keep_rate(dims, dropout, seed, data):
    T, N, C, D = dims
    arrays = data.draw(gru_arrays(T, N, C, D))
    masks = _masks(seed, 1 - dropout, N, D)
    np.random.seed(seed)
    out = gru(*arrays, dropout=dropout)
    np.testing.assert_allclose(out.data, gru_reference(*arrays, masks=masks), rtol=1e-12,
                               atol=1e-12)


@SETTINGS
@given(dims=sizes, dropout=st.sampled_from([0.3, 0.6]), seed=st.integers(0, 100),
       bp_lim=st.integers(0, 3), data=st.data())
def test_dropout_gradients_match_finite_differences(dims, dropout, seed, bp_lim, data):
    T, N, C, D = dims
    arrays = data.draw(gru_arrays(T, N, C, D))

    def with_fixed_masks(*a):
        np.random.seed(seed)  # the same masks on every evaluation
        return gru(*a, dropout=dropout)

    check_vjp(with_fixed_masks, *arrays)


def test_dropout_masks_rows_and_weights():
    np.random.seed(0)
    ones = [np.ones(s) for s in [(5, 50, 2)] + [(2, 3), (3, 3), (3,)] * 3]
    out = gru(*ones, dropout=0.5).data
    plain = gru(*ones).data
    # every batch row sees the same inputs: rows differ only through their masks
    assert len({tuple(row) for row in out[-1].round(12)}) > 1
    assert len({tuple(row) for row in plain[-1].round(12)}) == 1


def test_s0_is_the_first_output_and_receives_no_gradient():
    rng = np.random.default_rng(3)
    arrays = [rng.normal(size=s) for s in [(3, 2, 1)] + [(1, 2), (2, 2), (2,)] * 3]
    s0 = mg.tensor(rng.normal(size=(2, 2)), constant=True)
    out = gru(*arrays, s0=s0)
    np.testing.assert_array_equal(out.data[0], s0.data)
    np.testing.assert_array_equal(gru(*arrays).data[0], 0)
    out.backward()
    assert s0.grad is None
    # a variable s0 is refused, unless the whole output is constant anyway
    with pytest.raises(ValueError, match="s0"):
        gru(*arrays, s0=mg.tensor(s0.data))
    assert gru(*arrays, s0=mg.tensor(s0.data), constant=True).constant
    with pytest.raises(ValueError, match="s0"):
        gru(*arrays, s0=s0.data.tolist())
    with pytest.raises(ValueError, match="s0"):
        gru(*arrays, s0=np.zeros((3, 2)))


def test_dtypes():
    shapes = [(3, 2, 2)] + [(2, 4), (4, 4), (4,)] * 3
    f32 = [mg.tensor(np.full(s, 0.1, dtype=np.float32)) for s in shapes]
    out = gru(*f32)
    assert out.dtype == np.float32
    out.backward()
    assert all(t.grad.dtype == np.float32 for t in f32)
    mixed = [*f32[:-1], np.full((4,), 0.1)]
    assert gru(*mixed).dtype == np.float64
    f16 = [np.full(s, 0.1, dtype=np.float16) for s in shapes]
    out16 = gru(*f16)
    assert out16.dtype == np.float16
    np.testing.assert_allclose(out16.data, gru_reference(*f16).astype(np.float64), rtol=2e-3)


def test_constant_flag():
    arrays = [np.full(s, 0.1) for s in [(2, 1, 1)] + [(1, 1), (1, 1), (1,)] * 3]
    assert gru(*arrays).constant
    assert not gru(mg.tensor(arrays[0]), *arrays[1:]).constant
    assert gru(mg.tensor(arrays[0]), *arrays[1:], constant=True).constant


def test_errors_name_the_problem():
    good = [np.zeros(s) for s in [(3, 2, 4)] + [(4, 5), (5, 5), (5,)] * 3]
    with pytest.raises(ValueError, match="`X`"):
        gru(np.zeros((3, 4)), *good[1:])
    bad = list(good)
    bad[5] = np.zeros((5, 4))
    with pytest.raises(ValueError, match="`Wr`"):
        gru(*bad)
    bad = list(good)
    bad[7] = np.zeros((3, 5))
    with pytest.raises(ValueError, match="`Uh`"):
        gru(*bad)
    for lim in (-1, 3):
        with pytest.raises(ValueError, match="bp_lim"):
            gru(*good, bp_lim=lim)
    with pytest.raises(TypeError, match="bp_lim"):
        gru(*good, bp_lim=1.0)
    for p in (-0.1, 1.0, "0.5"):
        with pytest.raises(ValueError, match="dropout"):
            gru(*good, dropout=p)
