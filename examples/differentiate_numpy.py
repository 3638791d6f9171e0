"""Differentiate ordinary NumPy functions by passing mygrad tensors through them.

The two functions below are plain NumPy: they call only ``np.*`` and operators and know
nothing about mygrad. Given tensors, they build a graph; ``backward()`` fills in ``.grad``,
which we check against the derivative worked out by hand.

Run it with ``nox -s demo`` or ``python examples/differentiate_numpy.py``.
"""

from __future__ import annotations

import numpy as np

import mygrad as mg


def logsumexp(z):
    """log(sum(exp(z))), shifted by the max so that exp cannot overflow."""
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


def polynomial_fit_loss(coeffs, x, y):
    """Mean squared error of the polynomial sum_k coeffs[k] * x**k against y."""
    powers = x[:, np.newaxis] ** np.arange(len(coeffs))
    prediction = np.sum(coeffs * powers, axis=1)
    return np.mean((prediction - y) ** 2)


def report(name: str, computed: np.ndarray, by_hand: np.ndarray) -> None:
    np.testing.assert_allclose(computed, by_hand, rtol=1e-12, atol=1e-12)
    print(f"{name}\n  mygrad : {computed}\n  by hand: {by_hand}\n  they agree\n")


def main() -> None:
    z = mg.tensor([1.0, -2.0, 0.5, 3.0])
    lse = logsumexp(z)
    lse.backward()
    # d/dz log(sum(exp(z))) = exp(z) / sum(exp(z)) = exp(z - lse): the softmax of z
    report(f"logsumexp(z) = {lse.item():.6f}, gradient", z.grad, np.exp(z.data - lse.item()))

    rng = np.random.default_rng(0)
    x = np.linspace(-1.0, 1.0, 20)
    y = 0.5 - 2.0 * x + 3.0 * x**2 + rng.normal(scale=0.1, size=x.shape)
    coeffs = mg.tensor([0.0, 0.0, 0.0])
    loss = polynomial_fit_loss(coeffs, x, y)
    loss.backward()
    # loss = mean((V c - y)**2) with V[i, k] = x[i]**k  =>  dloss/dc = 2/n * V^T (V c - y)
    vandermonde = x[:, np.newaxis] ** np.arange(3)
    residual = vandermonde @ coeffs.data - y
    by_hand = 2.0 / len(x) * vandermonde.T @ residual
    report(f"polynomial fit loss = {loss.item():.6f}, gradient", coeffs.grad, by_hand)

    # a few steps of gradient descent through the same unmodified function
    for _ in range(500):
        loss = polynomial_fit_loss(coeffs, x, y)
        loss.backward()
        coeffs = mg.tensor(coeffs.data - 0.5 * coeffs.grad)
    least_squares = np.linalg.lstsq(vandermonde, y, rcond=None)[0]
    print(f"500 steps of gradient descent: coeffs = {coeffs.data}, loss = {loss.item():.6f}")
    print(f"least-squares solution:        coeffs = {least_squares}")


if __name__ == "__main__":
    main()
