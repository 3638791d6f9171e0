"""Meta-tests of the value strategies: elements stay in their domain and away from kinks by
more than the oracle's largest step, separated values respect their gap, layouts have the
claimed strides, and tensors/array_likes honour their options."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import mygrad as mg
from mygrad.testing.hints._row import NONZERO, POSITIVE, REAL, UNIT_OPEN, Domain
from mygrad.testing.oracles.finite_diff import REFINE_H_REL
from mygrad.testing.strategies import (
    GRAD_BOUND,
    LAYOUTS,
    array_likes,
    elements,
    float_dtypes,
    integer_safe,
    kink_gap,
    promotable_pairs,
    separated,
    tensors,
    upstream_grads,
    with_layout,
)

FEW = settings(deadline=None, max_examples=100)
domains = st.sampled_from(
    [REAL, NONZERO, POSITIVE, UNIT_OPEN, Domain(-3.0, 5.0, exclude=(1.0, 2.0))]
)


@FEW
@given(
    domain=domains,
    dtype=float_dtypes(),
    kinks=st.lists(st.sampled_from([0.0, -1.0, 0.5, 3.0]), max_size=2),
    data=st.data(),
)
def test_grad_elements_keep_the_oracles_steps_clear_of_kinks(domain, dtype, kinks, data):
    x = data.draw(elements(domain, dtype, for_grad=True, kinks=kinks))
    assert domain.low <= x <= domain.high
    assert abs(x) <= GRAD_BOUND[np.dtype(dtype)]
    assert dtype.type(x) == x  # representable, so promoting to float64 is exact
    # at least 4 of the oracle's largest (refinement) steps between x and every kink
    refine_step = REFINE_H_REL * max(1.0, abs(x))
    for point in list(kinks) + list(domain.exclude):
        assert abs(x - point) >= kink_gap(point) * 0.999
        assert abs(x - point) > 4 * refine_step
    assert x == 0 or abs(x) >= np.finfo(dtype).tiny  # no subnormals


@FEW
@given(domain=domains, dtype=st.sampled_from([np.int8, np.int64, np.uint16, bool]), data=st.data())
def test_integer_and_bool_elements(domain, dtype, data):
    x = data.draw(elements(domain, dtype))
    if dtype is bool:
        assert isinstance(x, bool)
    else:
        assert domain.low <= x <= domain.high and x not in domain.exclude
        assert np.iinfo(dtype).min <= x <= np.iinfo(dtype).max


@FEW
@given(
    domain=domains,
    dtype=float_dtypes(),
    gap=st.sampled_from([None, 0.05, 0.3]),
    data=st.data(),
)
def test_separated_values_respect_their_gap(domain, dtype, gap, data):
    wanted = gap if gap is not None else 1e-2 * max(1.0, abs(domain.low), abs(domain.high))
    usable = domain.high - domain.low - sum(2 * kink_gap(p) for p in domain.exclude)
    n = data.draw(st.integers(0, min(20, int(0.95 * usable / wanted) + 1)))
    values = data.draw(separated(n, domain, dtype, gap=gap))
    assert values.shape == (n,) and values.dtype == dtype
    assert np.all((values >= domain.low) & (values <= domain.high))
    for a, b in itertools.combinations(values.astype(np.float64), 2):
        assert abs(a - b) > wanted
    for point in domain.exclude:
        assert np.all(np.abs(values - point) >= kink_gap(point) * 0.999)


@FEW
@given(domain=domains, dtype=float_dtypes(), data=st.data())
def test_integer_safe_values_stay_away_from_integers(domain, dtype, data):
    x = data.draw(integer_safe(domain, dtype, gap=0.05))
    assert domain.low <= x <= domain.high
    assert abs(x - round(x)) > 0.05


@FEW
@given(
    shape=st.lists(st.integers(0, 3), max_size=3).map(tuple), dtype=float_dtypes(), data=st.data()
)
def test_upstream_grads_are_nonzero_and_bounded(shape, dtype, data):
    g = data.draw(upstream_grads(shape, dtype))
    assert g.shape == shape and g.dtype == dtype
    assert np.all((np.abs(g) >= 0.099) & (np.abs(g) <= 2.0))


@FEW
@given(pair=promotable_pairs(k=3, kinds="fi"))
def test_promotable_pairs(pair):
    assert len(pair) == 3 and all(dt.kind in "fi" for dt in pair)
    np.result_type(*pair)


_CHECK_LAYOUT = {
    "c": lambda a: a.flags.c_contiguous,
    "f": lambda a: a.flags.f_contiguous,
    "strided": lambda a: a.ndim == 0 or a.size <= 1 or not a.flags.c_contiguous,
    "reversed": lambda a: all(s <= 0 for s in a.strides) or a.size <= 1,
    "broadcast": lambda a: not a.flags.writeable,
    "offset": lambda a: (
        a.base is not None
        and a.__array_interface__["data"][0] != a.base.__array_interface__["data"][0]
    ),
}


@FEW
@given(
    arr=st.lists(st.integers(1, 3), max_size=3).flatmap(
        lambda s: st.builds(
            lambda v: np.array(v, dtype=float).reshape(s),
            st.lists(
                st.sampled_from([0.0, 1.5, -2.0]),
                min_size=int(np.prod(s)),
                max_size=int(np.prod(s)),
            ),
        )
    ),
    layout=st.sampled_from(LAYOUTS),
)
def test_layouts_keep_values_and_have_the_claimed_strides(arr, layout):
    out = with_layout(arr, layout)
    np.testing.assert_array_equal(out, arr)
    assert not np.shares_memory(out, arr)
    assert _CHECK_LAYOUT[layout](out), (layout, out.strides)


def test_broadcast_layout_uses_stride_zero_on_constant_axes():
    out = with_layout(np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]), "broadcast")
    assert out.strides[0] == 0 and not out.flags.writeable


@FEW
@given(
    t=tensors(
        dtype=st.sampled_from([np.float64, np.float16, np.int32]),
        include_grad=True,
        grad_elements_bounds=(-1.0, 1.0),
        layout="any",
        ndmin=1,
    )
)
def test_tensors_honour_dtype_constant_grad_and_ndmin(t):
    assert isinstance(t, mg.Tensor) and t.ndim >= 1
    if t.dtype.kind != "f":
        assert t.constant and t.grad is None
    elif not t.constant:
        assert t.grad.dtype == t.dtype and t.grad.shape == t.shape
        assert np.all(np.abs(t.grad) <= 1.0)


@FEW
@given(t=tensors(shape=(2, 3), read_only=True, constant=False))
def test_read_only_tensors(t):
    assert t.shape == (2, 3) and not t.constant and not t.data.flags.writeable


@FEW
@given(x=array_likes(shape=st.sampled_from([(), (2,), (2, 1)])))
def test_array_likes_are_scalars_lists_or_arrays(x):
    assert isinstance(x, (int, float, list, np.ndarray))
    assert np.asarray(x).dtype.kind in "fi"


@pytest.mark.parametrize(
    "make, bad",
    [
        (lambda: elements((3, 1), np.float64), "domain=(3, 1)"),
        (lambda: elements(REAL, "not-a-dtype"), "dtype='not-a-dtype'"),
        (lambda: elements(Domain(-0.001, 0.001, exclude=(0.0,)), np.float64), "away from"),
        (lambda: separated(3, REAL, np.int32), "dtype=<class 'numpy.int32'>"),
        (lambda: separated(500, UNIT_OPEN, np.float64), "500 values"),
        (lambda: separated(3, REAL, gap=-1.0), "gap=-1.0"),
        (lambda: integer_safe(REAL, gap=0.7), "gap=0.7"),
        (lambda: float_dtypes(sizes=(8,)), "sizes=(8,)"),
        (lambda: promotable_pairs(kinds="fz"), "kinds='fz'"),
        (lambda: tensors(grad_dtype=np.float32), "grad_dtype=<class 'numpy.float32'>"),
        (lambda: tensors(ndmin=-1), "ndmin=-1"),
        (lambda: tensors(layout="diagonal"), "layout='diagonal'"),
        (lambda: with_layout(np.ones(2), "z"), "layout='z'"),
    ],
)
def test_bad_arguments_raise_invalid_argument_naming_the_value(make, bad):
    with pytest.raises(InvalidArgument) as info:
        make()
    assert bad in str(info.value)
