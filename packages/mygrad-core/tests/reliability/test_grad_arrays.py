"""Every stored gradient is an ndarray of its tensor's shape and dtype, writeable and shared
with no other tensor's gradient (api.md §4.2, §S2), whatever the shape, 0-d included."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

import mygrad as mg

# graphs where a gradient reaches x along one path, or accumulates over two
EXPRESSIONS = {
    "x * 3": lambda x: x * 3,
    "x * x": lambda x: x * x,
    "x + x": lambda x: x + x,
    "x * 2 + x": lambda x: x * 2 + x,
    "exp(x) * x": lambda x: mg.exp(x) * x,
    "x[...] * x": lambda x: x[...] * x,
}


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        st.sampled_from([np.float16, np.float32, np.float64]),
        hnp.array_shapes(min_dims=0, max_dims=2),
        elements={"min_value": -3, "max_value": 3},
    ),
    st.sampled_from(list(EXPRESSIONS)),
)
def test_every_grad_is_an_owned_writeable_array(arr, expression):
    x = mg.tensor(arr)
    out = EXPRESSIONS[expression](x)
    out.backward()
    for t in (x, out):
        g = t.grad
        assert type(g) is np.ndarray, f"{expression}: the grad is a {type(g).__name__}"
        assert g.shape == t.shape and g.dtype == t.dtype
        assert g.flags.writeable
    assert not np.shares_memory(x.grad, out.grad)
