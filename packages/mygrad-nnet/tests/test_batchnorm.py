"""batchnorm (composed of core ops): forward vs a float64 reference, gradients for x, gamma
and beta, the optional affine parameters, dtypes and errors (api.md §14.3)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet import batchnorm
from mygrad.testing.hints.nnet_reference import batchnorm_reference
from mygrad.testing.oracles import check_vjp

SETTINGS = settings(max_examples=30, deadline=None)
values = st.floats(-5, 5)


@st.composite
def batches(draw):
    """x (N, C, ...) with at least two entries per channel group, gamma and beta (C,)."""
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3))
    shape = (max(shape[0], 2), *shape[1:])
    x = draw(hnp.arrays(np.float64, shape, elements=values))
    # spread each channel so its variance is bounded away from 0 (sqrt's kink)
    x = x + np.arange(x.size).reshape(shape) % 2
    gamma, beta = (draw(hnp.arrays(np.float64, (shape[1],), elements=values)) for _ in range(2))
    return x, gamma, beta


@SETTINGS
@given(drawn=batches(), eps=st.sampled_from([1e-5, 0.1, 1.0]), affine=st.sampled_from(
    ["none", "gamma", "beta", "both"]))
def test_forward_and_gradients(drawn, eps, affine):
    x, gamma, beta = drawn
    use_gamma, use_beta = affine in ("gamma", "both"), affine in ("beta", "both")

    def fn(x, *params):
        it = iter(params)
        return batchnorm(x, gamma=next(it) if use_gamma else None,
                         beta=next(it) if use_beta else None, eps=eps)

    params = [p for p, used in ((gamma, use_gamma), (beta, use_beta)) if used]
    out = fn(x, *params)
    expected = batchnorm_reference(x, gamma if use_gamma else None, beta if use_beta else None,
                                   eps=eps)
    np.testing.assert_allclose(out.data, expected, rtol=1e-9, atol=1e-12)
    check_vjp(fn, x, *params)


def test_normalises_each_channel_over_every_other_axis():
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(8, 3, 4, 5))
    out = batchnorm(x, eps=0).data
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1)


def test_documented_example_and_dtype():
    out = batchnorm(mg.tensor([1.0, 4.0, 1.0]).reshape(3, 1), eps=0)
    np.testing.assert_allclose(out.data, [[-0.70710678], [1.41421356], [-0.70710678]])
    x32 = mg.tensor(np.arange(8, dtype=np.float32).reshape(4, 2))
    assert batchnorm(x32, eps=1e-5, gamma=np.ones(2, np.float32)).dtype == np.float32


def test_gradients_reach_gamma_and_beta_tensors():
    x = mg.tensor(np.random.default_rng(1).normal(size=(5, 2)))
    gamma, beta = mg.tensor([1.0, 2.0]), mg.tensor([0.0, 1.0])
    batchnorm(x, gamma=gamma, beta=beta, eps=1e-3).backward()
    assert gamma.grad.shape == beta.grad.shape == (2,)
    np.testing.assert_allclose(beta.grad, [5.0, 5.0])


def test_constant_flag():
    x = np.random.default_rng(2).normal(size=(4, 2))
    assert batchnorm(x, eps=0.1).constant
    assert not batchnorm(mg.tensor(x), eps=0.1).constant
    assert batchnorm(mg.tensor(x), eps=0.1, constant=True).constant
    assert batchnorm(mg.tensor(x), gamma=np.ones(2), beta=np.ones(2), eps=0.1,
                     constant=True).constant
    assert not batchnorm(x, gamma=mg.tensor([1.0, 1.0]), eps=0.1).constant


def test_errors():
    with pytest.raises(TypeError):
        batchnorm(np.ones((3, 2)))  # eps is a required keyword
    with pytest.raises(TypeError):
        batchnorm(np.ones((3, 2)), np.ones(2), eps=0.1)  # gamma is keyword-only
    with pytest.raises(ValueError, match="two dimensions"):
        batchnorm(np.ones(3), eps=0.1)
    with pytest.raises(ValueError, match="gamma"):
        batchnorm(np.ones((3, 2)), gamma=np.ones(3), eps=0.1)
    with pytest.raises(ValueError, match="beta"):
        batchnorm(np.ones((3, 2)), beta=np.ones((2, 1)), eps=0.1)
    with pytest.raises(TypeError, match="eps"):
        batchnorm(np.ones((3, 2)), eps="small")
