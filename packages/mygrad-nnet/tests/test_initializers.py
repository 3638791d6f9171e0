"""Initializers: shapes, dtypes, leaf/constant flags, argument errors, and the variance
each one promises (D5's published fan formulas; api.md §14.2)."""

from __future__ import annotations

import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet.initializers import (
    constant,
    dirac,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    normal,
    uniform,
)

SETTINGS = settings(max_examples=30, deadline=None)
RANDOM = [uniform, normal, glorot_normal, glorot_uniform, he_normal, he_uniform]
NEEDS_2D = [glorot_normal, glorot_uniform, he_normal, he_uniform, dirac]
FLOAT_ONLY = [uniform, normal, glorot_normal, glorot_uniform, he_normal, he_uniform]
shapes_2d = st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple)


@pytest.mark.parametrize("init", RANDOM + [dirac, constant])
@SETTINGS
@given(shape=shapes_2d, as_tuple=st.booleans())
def test_shape_as_varargs_or_one_tuple(init, shape, as_tuple):
    out = init(shape) if as_tuple else init(*shape)
    assert isinstance(out, mg.Tensor)
    assert out.shape == shape
    assert out.creator is None  # a leaf


@pytest.mark.parametrize("init", RANDOM + [dirac])
def test_float32_by_default_and_dtype_respected(init):
    assert init(3, 4).dtype == np.float32
    out = init(3, 4, dtype=np.float64)
    assert out.dtype == np.float64
    assert not out.constant
    assert init(3, 4, constant=True).constant


@pytest.mark.parametrize("init", FLOAT_ONLY)
@pytest.mark.parametrize("dtype", [np.int32, bool, "not a dtype"])
def test_non_float_dtypes_are_rejected(init, dtype):
    with pytest.raises(ValueError, match="dtype"):
        init(3, 4, dtype=dtype)


@pytest.mark.parametrize("init", NEEDS_2D)
@pytest.mark.parametrize("shape", [(3,), 3, ()])
def test_fewer_than_two_dimensions_is_a_value_error(init, shape):
    # a bare int is a 1-D shape: ValueError like the 1-tuple (not TypeError as in MyGrad 2.5)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init(shape) if shape != () else init()


@pytest.mark.parametrize("init", RANDOM + [constant, dirac])
def test_bad_shape_entries(init):
    with pytest.raises(TypeError, match="shape"):
        init(2, 2.5)
    with pytest.raises(ValueError, match="non-negative"):
        init(2, -1)


def test_uniform_and_normal_argument_errors():
    with pytest.raises(ValueError, match="lower_bound"):
        uniform(2, 2, lower_bound=1, upper_bound=1)
    with pytest.raises(ValueError, match="lower_bound"):
        uniform(2, 2, lower_bound=2, upper_bound=1)
    with pytest.raises(ValueError, match="std"):
        normal(2, 2, std=-0.1)
    with pytest.raises(TypeError, match="gain"):
        he_normal(2, 2, gain="big")


def test_tensor_valued_parameters_are_read_with_item():
    np.random.seed(0)
    out = uniform(1000, lower_bound=mg.tensor(2.0), upper_bound=np.array(3.0))
    assert 2 <= out.data.min() and out.data.max() < 3
    out = normal(1000, mean=mg.tensor(10.0), std=mg.tensor(0.01))
    assert abs(out.data.mean() - 10) < 0.01
    assert glorot_uniform(4, 4, gain=mg.tensor(0.0)).data.max() == 0


def test_uniform_bounds_and_normal_moments():
    np.random.seed(1)
    u = uniform(200, 100, lower_bound=-2, upper_bound=5, dtype=np.float64).data
    assert -2 <= u.min() and u.max() < 5
    assert abs(u.mean() - 1.5) < 0.05
    n = normal(200, 100, mean=3, std=2, dtype=np.float64).data
    assert abs(n.mean() - 3) < 0.05
    assert abs(n.std() - 2) / 2 < 0.02


def _fans(shape):
    field = math.prod(shape[2:])
    return shape[1] * field, shape[0] * field


# (initializer, its promised variance, uniform or not); shapes are large enough that the
# sample variance is within 3% of the truth with overwhelming probability (seeded anyway)
VARIANCES = [
    (glorot_uniform, lambda s, g: g**2 * 2 / sum(_fans(s)), True),
    (glorot_normal, lambda s, g: g**2 * 2 / sum(_fans(s)), False),
    (he_uniform, lambda s, g: g**2 / _fans(s)[0], True),
    (he_normal, lambda s, g: g**2 / _fans(s)[0], False),
]


@pytest.mark.parametrize(("init", "variance", "is_uniform"), VARIANCES)
@pytest.mark.parametrize("shape", [(300, 200), (64, 32, 3, 3), (40, 30, 2, 3, 5)])
@pytest.mark.parametrize("gain", [1.0, math.sqrt(2), 0.5])
def test_variance_is_the_published_one(init, variance, is_uniform, shape, gain):
    np.random.seed(1234)
    values = init(*shape, gain=gain, dtype=np.float64).data
    expected = variance(shape, gain)
    assert abs(values.mean()) < 4 * math.sqrt(expected / values.size)
    assert values.var() == pytest.approx(expected, rel=0.03)
    if is_uniform:
        # U[-b, b] has variance b**2 / 3: the drawn values fill [-b, b]
        bound = math.sqrt(3 * expected)
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.99 * bound


def test_he_uniform_bound_is_gain_sqrt_3_over_fan_in():
    # D5: MyGrad 2.5 drew from about +/-5.77 here
    np.random.seed(0)
    w = he_uniform(50, 100, dtype=np.float64).data
    assert np.abs(w).max() <= math.sqrt(3 / 100)


def test_glorot_normal_uses_the_whole_receptive_field():
    # D5: fan_in = 8*3*3, fan_out = 16*3*3 (MyGrad 2.5 used shape[-1] only)
    np.random.seed(2)
    w = glorot_normal(16, 8, 3, 3, dtype=np.float64).data
    assert w.var() == pytest.approx(2 / (8 * 9 + 16 * 9), rel=0.15)


def test_draws_come_from_numpys_global_rng():
    np.random.seed(7)
    first = he_normal(5, 5).data
    np.random.seed(7)
    np.testing.assert_array_equal(he_normal(5, 5).data, first)


@SETTINGS
@given(shape=shapes_2d)
def test_dirac_places_ones_at_the_centre_of_each_diagonal_filter(shape):
    out = dirac(*shape).data
    expected = np.zeros(shape, dtype=np.float32)
    centre = tuple(n // 2 for n in shape[2:])
    for i in range(min(shape[:2])):
        expected[(i, i, *centre)] = 1
    np.testing.assert_array_equal(out, expected)


def test_dirac_filters_pass_their_input_through_a_convolution():
    x = np.random.default_rng(0).normal(size=(2, 3, 5, 5))
    w = dirac(3, 3, 3, 3, dtype=np.float64)
    out = mg.nnet.conv_nd(x, w, stride=1, padding=1)
    np.testing.assert_allclose(out.data, x)


def test_constant_dtype_follows_the_value():
    assert constant(2, 3).dtype == np.float64
    assert constant(2, 3).data.sum() == 0
    ints = constant(2, 3, value=4)
    assert ints.dtype.kind == "i" and ints.constant
    np.testing.assert_array_equal(ints.data, np.full((2, 3), 4))
    assert constant(2, value=1.5, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError):
        constant(2, value=1, constant=False)


def test_empty_shapes_give_empty_tensors():
    for init in NEEDS_2D:
        assert init(0, 3).shape == (0, 3)
