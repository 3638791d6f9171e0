"""The focal loss (Lin et al., 2017), on probabilities or on scores via a softmax."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import real_scalar
from .._numerics import log_softmax
from ._utils import class_labels

__all__ = ["focal_loss", "softmax_focal_loss"]


def _focal_params(alpha: Any, gamma: Any) -> dict[str, float]:
    alpha = real_scalar("alpha", alpha)
    try:
        gamma = real_scalar("gamma", gamma)
    except TypeError:
        raise ValueError(f"`gamma` must be a real number >= 0, got {gamma!r}") from None
    if not gamma >= 0:
        raise ValueError(f"`gamma` must be a real number >= 0, got {gamma!r}")
    return {"alpha": alpha, "gamma": gamma}


def _modulation_slope(one_minus_p: np.ndarray, gamma: float) -> np.ndarray:
    """gamma * (1 - p)**(gamma - 1), taken as 0 where p == 1 (it always meets a log p == 0
    factor there, and the product's limit is 0)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        slope = gamma * one_minus_p ** (gamma - 1)
    return np.where(one_minus_p > 0, slope, 0)


# ----------------------------------------------------------------------------- focal_loss


@defop(name="focal_loss", arrays=2)
def _focal_loss(class_probs, targets, *, alpha, gamma):
    """-alpha * (1 - p_t)**gamma * log(p_t) per row, p_t = class_probs[i, targets[i]]."""
    labels = class_labels(np.shape(class_probs), targets, "targets")
    p = np.asarray(class_probs)[np.arange(len(labels)), labels]
    return -alpha * (1 - p) ** gamma * np.log(p)


@_focal_loss.vjp
def _focal_loss_vjp(g, out, class_probs, targets, *, alpha, gamma):
    # d/dp [-a (1-p)^y log p] = -a [(1-p)^y / p - y (1-p)^(y-1) log p]
    labels = np.asarray(targets)
    rows = np.arange(len(labels))
    p = class_probs[rows, labels]
    one_minus = 1 - p
    d_p = -alpha * (one_minus**gamma / p - _modulation_slope(one_minus, gamma) * np.log(p))
    grad = np.zeros(np.shape(class_probs), dtype=np.result_type(d_p, g))
    grad[rows, labels] = g * d_p
    return grad, None


@_focal_loss.frontend
def focal_loss(
    class_probs: Any,
    targets: Any,
    *,
    alpha: Any = 1,
    gamma: Any = 0,
    constant: bool | None = None,
) -> mg.Tensor:
    """The per-sample focal loss ``-alpha * (1 - p_t)**gamma * log(p_t)``, shape (N,).

    ``class_probs`` holds probabilities of shape (N, C), ``targets`` integer labels of
    shape (N,), and ``p_t = class_probs[i, targets[i]]``. ``gamma`` must be a real >= 0
    (ValueError otherwise). The result is not averaged.

    >>> import mygrad as mg
    >>> from mygrad.nnet import focal_loss
    >>> focal_loss(mg.tensor([[0.5, 0.5], [0.1, 0.9]]), [0, 1], gamma=0)
    Tensor([0.69314718, 0.10536052])
    """
    return execute(_focal_loss.op, (class_probs, targets), _focal_params(alpha, gamma), constant)


# --------------------------------------------------------------------- softmax_focal_loss


def _target_log_probs(scores: Any, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The whole log-softmax of the scores, and its entry at each row's target."""
    log_p = log_softmax(scores, axis=1)
    return log_p, log_p[np.arange(len(labels)), labels]


@defop(name="softmax_focal_loss", arrays=2)
def _softmax_focal_loss(scores, targets, *, alpha, gamma):
    """The focal loss of softmax(scores), computed from the log-softmax."""
    labels = class_labels(np.shape(scores), targets, "targets")
    _, log_pt = _target_log_probs(scores, labels)
    # 1 - p_t = -expm1(log p_t) keeps its precision as p_t approaches 1
    return -alpha * (-np.expm1(log_pt)) ** gamma * log_pt


@_softmax_focal_loss.vjp
def _softmax_focal_loss_vjp(g, out, scores, targets, *, alpha, gamma):
    # with u = log p_t: loss = -a (1-e^u)^y u, so dloss/du = -a [(1-p)^y - y (1-p)^(y-1) p u],
    # and du/dscores_ij = [j == t_i] - softmax_ij
    labels = np.asarray(targets)
    log_p, log_pt = _target_log_probs(scores, labels)
    one_minus = -np.expm1(log_pt)
    p_t = np.exp(log_pt)
    d_u = -alpha * (one_minus**gamma - _modulation_slope(one_minus, gamma) * p_t * log_pt)
    d_scores = -np.exp(log_p)
    d_scores[np.arange(len(labels)), labels] += 1
    return d_scores * (g * d_u)[:, np.newaxis], None


@_softmax_focal_loss.frontend
def softmax_focal_loss(
    scores: Any,
    targets: Any,
    *,
    alpha: Any = 1,
    gamma: Any = 0,
    constant: bool | None = None,
) -> mg.Tensor:
    """The per-sample focal loss of ``softmax(scores)`` (shape (N,)), computed from the
    log-softmax so that large scores stay finite. With ``alpha=1, gamma=0`` it is the
    per-sample cross-entropy.

    >>> import mygrad as mg
    >>> from mygrad.nnet import softmax_focal_loss
    >>> softmax_focal_loss(mg.tensor([[0.0, 0.0], [1000.0, 0.0]]), [0, 1])
    Tensor([6.93147181e-01, 1.00000000e+03])
    """
    params = _focal_params(alpha, gamma)
    return execute(_softmax_focal_loss.op, (scores, targets), params, constant)
