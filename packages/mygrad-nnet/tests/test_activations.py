"""Activations: gradients vs finite differences, forward vs float64 references, the
conventions at kinks, numerical stability, dtypes and argument errors (api.md §14.1)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet.activations import (
    elu,
    glu,
    hard_tanh,
    leaky_relu,
    logsoftmax,
    relu,
    selu,
    sigmoid,
    soft_sign,
    softmax,
)
from mygrad.testing.hints import nnet_reference as ref
from mygrad.testing.oracles import check_vjp
from mygrad.testing.strategies import valid_axes

SETTINGS = settings(max_examples=30, deadline=None)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)
# values at least 0.01 away from the kinks at 0 and +/-1
away_from_kinks = st.floats(-5, 5).filter(lambda v: min(abs(v), abs(abs(v) - 1)) > 1e-2)
# (no subnormals: a product with one, e.g. GLU's a * sigmoid(b), is quantised so coarsely
# that the finite-difference oracle sees a kink where the function is smooth)
reals = st.floats(-10, 10, allow_subnormal=False)
scalars = st.floats(0.1, 3.0)


def arrays(elements=reals, shape=SHAPES, dtype=np.float64):
    return hnp.arrays(dtype, shape, elements=elements)


def grad_of(fn, x, **kwargs):
    t = mg.tensor(x)
    fn(t, **kwargs).backward()
    return t.grad


ELEMENTWISE = [
    (relu, ref.relu_reference, {}),
    (selu, ref.selu_reference, {}),
    (sigmoid, ref.sigmoid_reference, {}),
    (soft_sign, ref.soft_sign_reference, {}),
    (hard_tanh, ref.hard_tanh_reference, {}),
    (leaky_relu, ref.leaky_relu_reference, {"slope": 0.3}),
    (elu, ref.elu_reference, {"alpha": 1.7}),
]


@pytest.mark.parametrize(("fn", "reference", "kwargs"), ELEMENTWISE)
@SETTINGS
@given(x=arrays(away_from_kinks))
def test_elementwise_gradients_match_finite_differences(fn, reference, kwargs, x):
    check_vjp(fn, x, kwargs=kwargs)


@pytest.mark.parametrize(("fn", "reference", "kwargs"), ELEMENTWISE)
@SETTINGS
@given(x=arrays(), dtype=st.sampled_from([np.float64, np.float32]))
def test_elementwise_forward_matches_the_float64_reference(fn, reference, kwargs, x, dtype):
    x = x.astype(dtype)
    out = fn(mg.tensor(x), **kwargs)
    expected = reference(x, **kwargs)
    assert out.dtype == expected.dtype == dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-6 if dtype == np.float32 else 1e-12,
                               atol=1e-7)


# away from 0 and from every half-integer (the bounds drawn for hard_tanh)
off_grid = st.floats(-5, 5).filter(lambda v: abs(v) > 1e-2 and abs(v % 0.5) > 1e-2
                                   and abs(v % 0.5 - 0.5) > 1e-2)


@SETTINGS
@given(x=arrays(off_grid), slope=st.floats(-2, 2), lower=st.integers(-6, -1),
       width=st.integers(1, 8))
def test_parametrised_gradients(x, slope, lower, width):
    bounds = {"lower_bound": lower / 2, "upper_bound": (lower + width) / 2}
    check_vjp(hard_tanh, x, kwargs=bounds)
    check_vjp(leaky_relu, x, kwargs={"slope": slope})
    check_vjp(elu, x, kwargs={"alpha": abs(slope) + 0.1})


def test_gradients_at_the_kinks():
    at = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(grad_of(relu, at), [0, 0, 1])
    np.testing.assert_array_equal(grad_of(leaky_relu, at, slope=0.1), [0.1, 0, 1])
    np.testing.assert_allclose(grad_of(elu, at, alpha=2.0), [2 * np.exp(-1), 1, 1])
    assert grad_of(selu, np.array([0.0]))[0] == ref.SELU_SCALE
    np.testing.assert_array_equal(grad_of(hard_tanh, np.array([-1.0, 0.0, 1.0])), [0, 1, 0])
    np.testing.assert_array_equal(
        grad_of(hard_tanh, np.array([-2.0, 0.0, 3.0]), lower_bound=-2, upper_bound=3), [0, 1, 0]
    )


def test_relu_gives_negative_zero_below_zero():
    out = relu(mg.tensor([-2.0, 3.0])).data
    assert out[0] == 0 and np.signbit(out[0])


@SETTINGS
@given(x=hnp.arrays(st.sampled_from([np.float64, np.float32, np.float16]), SHAPES,
                    elements=st.floats(allow_nan=True, allow_infinity=True, width=16)))
def test_relu_of_floats_keeps_positives_and_gives_negative_zero_elsewhere(x):
    out = relu(x).data
    assert out.dtype == x.dtype
    positive, negative = x > 0, x < 0
    np.testing.assert_array_equal(out[positive], x[positive])
    assert (out[negative] == 0).all() and np.signbit(out[negative]).all()  # -inf too
    assert np.isnan(out[np.isnan(x)]).all()
    assert (out[x == 0] == 0).all()


def test_sigmoid_is_stable_for_large_inputs():
    x = mg.tensor([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = sigmoid(x)
        out.backward()
    np.testing.assert_allclose(out.data, ref.sigmoid_reference(x.data), rtol=1e-12, atol=0)
    assert np.isfinite(x.grad).all()
    assert sigmoid(mg.tensor(np.float32(-100.0))).item() > 0
    # float64 flushes only results below the smallest normal number to zero
    assert sigmoid(mg.tensor(-708.0)).item() == pytest.approx(np.exp(-708.0), rel=1e-12)
    with np.errstate(over="raise"):
        assert sigmoid(mg.tensor(-745.0)).item() == 0


def test_softmax_and_logsoftmax_are_stable_for_huge_scores():
    x = np.array([[2e50, 2e50, 1e50], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = softmax(x)
        ls = logsoftmax(x)
    np.testing.assert_allclose(s.data, [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(ls.data, [[-np.log(2), -np.log(2), -1e50], [-2000, -1000, 0]])


@st.composite
def arrays_and_axes(draw, min_dims=0):
    x = draw(arrays(shape=hnp.array_shapes(min_dims=min_dims, max_dims=3, max_side=4)))
    return x, draw(valid_axes(x.ndim))


@pytest.mark.parametrize(("fn", "reference"), [(softmax, ref.softmax_reference),
                                                (logsoftmax, ref.logsoftmax_reference)])
@SETTINGS
@given(drawn=arrays_and_axes())
def test_softmax_family_over_any_axes(fn, reference, drawn):
    x, axis = drawn
    np.testing.assert_allclose(fn(x, axis).data, reference(x, axis), rtol=1e-10, atol=1e-12)
    check_vjp(fn, x, kwargs={"axis": axis})


@SETTINGS
@given(drawn=arrays_and_axes(min_dims=1))
def test_softmax_sums_to_one_over_its_axes(drawn):
    x, axis = drawn
    total = softmax(x, axis=axis).data.sum(axis=axis)
    np.testing.assert_allclose(total, 1.0)


def test_softmax_dtypes_and_0d_inputs():
    assert softmax(mg.tensor(3.0)).item() == 1.0
    assert logsoftmax(mg.tensor(3.0)).item() == 0.0
    assert softmax(np.arange(3)).dtype == np.float64
    assert softmax(np.arange(3, dtype=np.float32)).dtype == np.float32
    assert logsoftmax(np.arange(3, dtype=np.float32)).dtype == np.float32
    x = mg.tensor(2.0)
    softmax(x).backward()
    assert x.grad == 0


@SETTINGS
@given(x=arrays(shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)), data=st.data())
def test_glu_matches_its_reference_and_differentiates(x, data):
    even_axes = [i for i, n in enumerate(x.shape) if n % 2 == 0]
    if not even_axes:
        x = np.concatenate([x, x], axis=-1)
        even_axes = [x.ndim - 1]
    axis = data.draw(st.sampled_from(even_axes + [a - x.ndim for a in even_axes]))
    np.testing.assert_allclose(glu(x, axis).data, ref.glu_reference(x, axis), rtol=1e-12)
    check_vjp(glu, x, kwargs={"axis": axis})


def test_glu_errors():
    with pytest.raises(ValueError, match="even"):
        glu(mg.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="axis"):
        glu(mg.tensor([1.0, 2.0]), axis=0.0)
    with pytest.raises(ValueError, match="out of bounds"):
        glu(mg.tensor([1.0, 2.0]), axis=1)


@pytest.mark.parametrize("bad", ["0.1", [0.1, 0.2], 1j, None])
def test_scalar_parameters_must_be_real_scalars(bad):
    x = mg.tensor([1.0, -1.0])
    with pytest.raises(TypeError, match="slope"):
        leaky_relu(x, bad)
    with pytest.raises(TypeError, match="alpha"):
        elu(x, bad)
    with pytest.raises(TypeError, match="lower_bound"):
        hard_tanh(x, lower_bound=bad)


def test_size_one_arrays_and_tensors_are_read_as_scalars():
    x = mg.tensor([-2.0, 2.0])
    np.testing.assert_allclose(leaky_relu(x, mg.tensor(0.5)).data, [-1.0, 2.0])
    np.testing.assert_allclose(elu(x, np.array([1.0])).data, [np.expm1(-2.0), 2.0])
    np.testing.assert_allclose(hard_tanh(x, upper_bound=mg.tensor(1.5)).data, [-1.0, 1.5])


@pytest.mark.parametrize(
    "fn", [relu, selu, sigmoid, soft_sign, hard_tanh, softmax, logsoftmax, glu,
           lambda x, **kw: leaky_relu(x, 0.2, **kw), lambda x, **kw: elu(x, 1.0, **kw)]
)
def test_constant_propagation(fn):
    x = mg.tensor([[1.0, -2.0], [0.5, 3.0]])
    assert not fn(x).constant
    assert fn(x, constant=True).constant
    assert fn(mg.tensor(x, constant=True)).constant
    assert fn(x.data).constant
    assert not fn(x.data, constant=False).constant


def test_float32_stays_float32_with_python_scalar_parameters():
    x = mg.tensor([-1.0, 1.0], dtype=np.float32)
    for out in (leaky_relu(x, 0.1), elu(x, 0.5), hard_tanh(x, lower_bound=-0.5), selu(x),
                glu(x), sigmoid(x)):
        assert out.dtype == np.float32


@pytest.mark.parametrize("keep_activation", [False, True])
def test_relu_multiplies_into_a_cotangent_only_the_backward_pass_holds(
    monkeypatch, keep_activation
):
    # x @ w's cotangent for a gone relu output is the matmul VJP's fresh array: relu's
    # scratch variant writes its gradient into it; kept, the output's grad must stay intact
    scratch = relu.op._vjp.on_scratch
    calls = []

    def counted(g, out, x):
        calls.append(g.shape)
        return scratch(g, out, x)

    monkeypatch.setattr(relu.op._vjp, "on_scratch", counted)
    rng = np.random.default_rng(3)
    x, w, v = rng.normal(size=(128, 64)), rng.normal(size=(64, 256)), rng.normal(size=(256, 8))
    xt = mg.tensor(x)
    h = relu(xt @ w)
    if not keep_activation:
        del h
        (relu(xt @ w) @ v).sum().backward()
    else:
        (h @ v).sum().backward()
        np.testing.assert_array_equal(h.grad, np.ones((128, 8)) @ v.T)
    assert calls == ([] if keep_activation else [(128, 256)])
    expected = ((np.ones((128, 8)) @ v.T) * (x @ w > 0)) @ w.T
    np.testing.assert_allclose(xt.grad, expected, rtol=1e-12)
