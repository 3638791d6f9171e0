"""Losses: forward vs float64 references, gradients vs finite differences, stability for
large logits, the conventions at hinge kinks, and input validation (api.md §14.4)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet.losses import (
    focal_loss,
    margin_ranking_loss,
    multiclass_hinge,
    negative_log_likelihood,
    softmax_crossentropy,
    softmax_focal_loss,
)
from mygrad.testing.hints import Call
from mygrad.testing.hints import nnet_reference as ref
from mygrad.testing.hints.nnet_losses import (
    focal_calls,
    hinge_calls,
    margin_ranking_calls,
    scores_and_labels,
    softmax_focal_calls,
)
from mygrad.testing.oracles import check_vjp

SETTINGS = settings(max_examples=30, deadline=None)


@st.composite
def crossentropy_calls(draw):
    return Call(draw(scores_and_labels()), {})


CASES = [
    (softmax_crossentropy, ref.softmax_crossentropy_reference, crossentropy_calls()),
    (multiclass_hinge, ref.multiclass_hinge_reference, hinge_calls()),
    (margin_ranking_loss, ref.margin_ranking_loss_reference, margin_ranking_calls()),
    (focal_loss, ref.focal_loss_reference, focal_calls()),
    (softmax_focal_loss, ref.softmax_focal_loss_reference, softmax_focal_calls()),
]


@pytest.mark.parametrize(("fn", "reference", "calls"), CASES)
@SETTINGS
@given(data=st.data())
def test_forward_and_gradients(fn, reference, calls, data):
    call = data.draw(calls)
    out = fn(*call.arrays, **call.params)
    expected = reference(*call.arrays, **call.params)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    check_vjp(fn, *call.arrays, kwargs=call.params)


@SETTINGS
@given(drawn=scores_and_labels(), weighted=st.booleans(), data=st.data())
def test_negative_log_likelihood(drawn, weighted, data):
    x, labels = drawn
    kwargs = {}
    if weighted:
        kwargs["weights"] = data.draw(hnp.arrays(np.float64, x.shape[1:],
                                                 elements=st.floats(0, 3)))
    out = negative_log_likelihood(x, labels, **kwargs)
    np.testing.assert_allclose(out.data, ref.negative_log_likelihood_reference(x, labels,
                                                                              **kwargs))
    check_vjp(negative_log_likelihood, x, labels, kwargs=kwargs)


def test_negative_log_likelihood_divides_by_n_not_by_the_weights():
    x = mg.tensor([[-4.6, -4.6, -0.02]])
    assert negative_log_likelihood(x, mg.tensor([0]), weights=mg.tensor([2, 1, 1])).item() \
        == pytest.approx(9.2)
    x = np.log(np.full((2, 2), 0.5))
    out = negative_log_likelihood(x, [0, 1], weights=np.array([3.0, 0.0]))
    assert out.item() == pytest.approx(3 * np.log(2) / 2)


def test_crossentropy_focal_and_nll_agree_where_they_should():
    x = np.random.default_rng(0).normal(size=(5, 4))
    y = np.array([0, 3, 1, 1, 2])
    ce = softmax_crossentropy(x, y).item()
    assert ce == pytest.approx(softmax_focal_loss(x, y).data.mean())
    assert ce == pytest.approx(negative_log_likelihood(mg.nnet.logsoftmax(x), y).item())
    probs = mg.nnet.softmax(x).data
    np.testing.assert_allclose(focal_loss(probs, y, gamma=2).data,
                               softmax_focal_loss(x, y, gamma=2).data)


@pytest.mark.parametrize("fn", [softmax_crossentropy, softmax_focal_loss])
def test_stable_for_huge_logits(fn):
    x = mg.tensor([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0], [-1e300, 0.0, 1e300]])
    y = np.array([0, 0, 2])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = fn(x, y)
        out.backward()
    assert np.isfinite(out.data).all()
    np.testing.assert_allclose(out.data.sum() if out.ndim else out.item(),
                               1e4 if fn is softmax_focal_loss else 1e4 / 3)
    assert np.isfinite(x.grad).all()


def test_focal_loss_at_p_equal_one_has_a_finite_gradient():
    for gamma in (0.0, 0.5, 2.0):
        p = mg.tensor([[1.0, 0.0], [0.3, 0.7]])
        out = focal_loss(p, [0, 1], gamma=gamma)
        out.backward()
        assert out.data[0] == 0
        assert np.isfinite(p.grad).all()
        s = mg.tensor([[50.0, -50.0]])
        softmax_focal_loss(s, [0], gamma=gamma).backward()
        assert np.isfinite(s.grad).all()


def test_hinge_kinks_give_zero_gradient():
    # margin exactly 0: x_01 - x_00 + hinge = 0
    x = mg.tensor([[1.0, 0.0, -5.0]])
    multiclass_hinge(x, [0], hinge=1.0).backward()
    np.testing.assert_array_equal(x.grad, [[0, 0, 0]])
    a, b = mg.tensor([1.5]), mg.tensor([1.0])
    margin_ranking_loss(a, b, 1, margin=0.5).backward()
    assert a.grad[0] == 0 and b.grad[0] == 0


def test_documented_values():
    assert multiclass_hinge(mg.tensor([[1.0, 0.5, -1.0]]), [0]).item() == 0.5
    assert margin_ranking_loss(mg.tensor([1.0, 0.0]), mg.tensor([0.0, 0.5]), 1,
                               margin=0.5).item() == 0.5
    np.testing.assert_allclose(focal_loss(mg.tensor([[0.5, 0.5], [0.1, 0.9]]), [0, 1]).data,
                               -np.log([0.5, 0.9]))


def test_output_shapes_and_dtypes():
    x32 = mg.tensor(np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32))
    y = [0, 1, 2]
    assert softmax_crossentropy(x32, y).shape == ()
    assert softmax_crossentropy(x32, y).dtype == np.float32
    assert multiclass_hinge(x32, y).dtype == np.float32
    assert focal_loss(mg.nnet.softmax(x32), y).shape == (3,)
    assert softmax_focal_loss(x32, y).dtype == np.float32
    assert negative_log_likelihood(x32, y).dtype == np.float32
    assert margin_ranking_loss(x32, x32 + 1, np.ones(3, dtype=int), 0.1).dtype == np.float32
    assert softmax_crossentropy(np.arange(6).reshape(2, 3), [0, 1]).dtype == np.float64


def test_labels_may_be_tensors_and_never_get_gradients():
    x = mg.tensor(np.zeros((2, 3)))
    y = mg.tensor([1, 2])
    softmax_crossentropy(x, y).backward()
    assert y.grad is None and x.grad.shape == (2, 3)


LABELLED = [
    softmax_crossentropy,
    multiclass_hinge,
    focal_loss,
    softmax_focal_loss,
    negative_log_likelihood,
]


@pytest.mark.parametrize("fn", LABELLED)
def test_label_and_score_validation(fn):
    x = np.full((2, 3), 0.5)
    with pytest.raises(TypeError, match="integer"):
        fn(x, [0.0, 1.0])
    with pytest.raises(TypeError, match="integer"):
        fn(x, mg.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        fn(x, [0, 1, 2])
    with pytest.raises(ValueError, match="shape"):
        fn(x, [[0, 1]])
    with pytest.raises(ValueError, match=r"\(N, C\)"):
        fn(np.full(3, 0.5), [0, 1, 2])


@pytest.mark.parametrize("fn", [focal_loss, softmax_focal_loss])
def test_gamma_must_be_a_non_negative_real(fn):
    for gamma in (-0.5, "2", None):
        with pytest.raises(ValueError, match="gamma"):
            fn(np.full((1, 2), 0.5), [0], gamma=gamma)


def test_negative_log_likelihood_weights_shape():
    with pytest.raises(ValueError, match="weights"):
        negative_log_likelihood(np.zeros((2, 3)), [0, 1], weights=np.ones(2))


def test_margin_ranking_validation():
    a = np.zeros(3)
    with pytest.raises(ValueError, match="x1"):
        margin_ranking_loss(np.zeros((3, 2, 1)), np.zeros((3, 2, 1)), 1, 0.1)
    with pytest.raises(ValueError, match="same shape"):
        margin_ranking_loss(a, np.zeros(4), 1, 0.1)
    with pytest.raises(TypeError, match="floats"):
        margin_ranking_loss(np.zeros(3, dtype=int), a, 1, 0.1)
    with pytest.raises(TypeError, match="floats"):
        margin_ranking_loss(a, mg.tensor([0, 1, 2]), 1, 0.1)
    with pytest.raises(ValueError, match="margin"):
        margin_ranking_loss(a, a, 1, -0.1)
    with pytest.raises(ValueError, match="margin"):
        margin_ranking_loss(a, a, 1, "1")
    with pytest.raises(ValueError, match="`y`"):
        margin_ranking_loss(a, a, np.ones(2), 0.1)


@pytest.mark.parametrize(
    "call",
    [
        lambda x, **kw: softmax_crossentropy(x, [0, 1], **kw),
        lambda x, **kw: multiclass_hinge(x, [0, 1], **kw),
        lambda x, **kw: focal_loss(x, [0, 1], **kw),
        lambda x, **kw: softmax_focal_loss(x, [0, 1], **kw),
        lambda x, **kw: negative_log_likelihood(x, [0, 1], **kw),
        lambda x, **kw: margin_ranking_loss(x, x * 2, 1, 0.5, **kw),
    ],
)
def test_constant_flag(call):
    x = np.full((2, 2), 0.25)
    assert call(x).constant
    assert not call(mg.tensor(x)).constant
    assert call(mg.tensor(x), constant=True).constant
