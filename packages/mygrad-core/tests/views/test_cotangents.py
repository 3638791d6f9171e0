"""The engine hands every VJP an ndarray cotangent, also a 0-d one that was summed from
two consumers (0-d + 0-d is a NumPy scalar in NumPy)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import mygrad as mg
from mygrad._registry import OPS


@pytest.mark.parametrize(
    "combine, dz_dy",
    [
        (lambda y: y * y, lambda y: 2 * y),
        (lambda y: y + y, lambda y: 2.0),
        (lambda y: mg.sum(y) + y, lambda y: 2.0),
    ],
)
def test_a_summed_0d_cotangent_reaches_the_vjp_as_an_ndarray(
    monkeypatch: pytest.MonkeyPatch, combine: Any, dz_dy: Any
) -> None:
    op = OPS["sin"]
    vjp = op._vjp
    seen: list[type] = []

    def spy(g: Any, *rest: Any, **params: Any) -> Any:
        seen.append(type(g))
        return vjp(g, *rest, **params)  # type: ignore[misc]

    monkeypatch.setattr(op, "_vjp", spy)
    x = mg.tensor(0.5)
    y = mg.sin(x)
    z = combine(y)
    del y  # the node stays in z's graph; no tensor is left to own the summed cotangent
    z.backward()
    assert seen == [np.ndarray]
    assert type(x.grad) is np.ndarray and x.grad.shape == ()
    np.testing.assert_allclose(x.grad, dz_dy(np.sin(0.5)) * np.cos(0.5))
