"""Hypothesis strategies for testing mygrad code (api.md §15, design testing.md (a)).

Sizes are capped while drawing, never by filtering; everything shrinks towards small,
contiguous float64 inputs. Importing this module also registers strategies for
``mygrad.typing.DTypeLikeReals`` and ``mygrad.typing.Shape`` with ``st.from_type``.
"""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np

from .calls import (
    NO_VALUE,
    everything_except,
    kwargs,
    no_value,
    populates_ufunc,
    seeds,
    valid_constant_arg,
)
from .dtypes import (
    bool_dtypes,
    constant_only_dtypes,
    differentiable_dtypes,
    dtype_args,
    float_dtypes,
    integer_dtypes,
    promotable_pairs,
)
from .elements import (
    GRAD_BOUND,
    KINK_GAP_REL,
    elements,
    integer_safe,
    kink_gap,
    separated,
    upstream_grads,
)
from .indices import (
    INDEX_CATEGORIES,
    adv_integer_index,
    arbitrary_indices,
    basic_indices,
    index_categories,
    integer_index,
    slice_index,
)
from .layouts import LAYOUTS, layouts, with_layout
from .shapes import (
    MAX_SIZE,
    broadcast_targets,
    broadcastable_shapes,
    mutually_broadcastable_shapes,
    reshape_targets,
    shapes,
    valid_axes,
    valid_shapes,
)
from .tensors import array_likes, tensors

__all__ = [
    "NO_VALUE",
    "everything_except",
    "kwargs",
    "no_value",
    "populates_ufunc",
    "seeds",
    "valid_constant_arg",
    "bool_dtypes",
    "constant_only_dtypes",
    "differentiable_dtypes",
    "dtype_args",
    "float_dtypes",
    "integer_dtypes",
    "promotable_pairs",
    "GRAD_BOUND",
    "KINK_GAP_REL",
    "elements",
    "integer_safe",
    "kink_gap",
    "separated",
    "upstream_grads",
    "INDEX_CATEGORIES",
    "adv_integer_index",
    "arbitrary_indices",
    "basic_indices",
    "index_categories",
    "integer_index",
    "slice_index",
    "LAYOUTS",
    "layouts",
    "with_layout",
    "MAX_SIZE",
    "broadcast_targets",
    "broadcastable_shapes",
    "mutually_broadcastable_shapes",
    "reshape_targets",
    "shapes",
    "valid_axes",
    "valid_shapes",
    "array_likes",
    "tensors",
]


def _register_typing_strategies() -> None:
    """``st.from_type`` support for mygrad.typing's run-time placeholder classes."""
    try:
        from mygrad import typing as mg_typing
    except ImportError:  # a mygrad without mygrad.typing: nothing to register
        return
    dtype_like = st.sampled_from([np.float64, np.float32, np.float16]).flatmap(
        lambda t: st.sampled_from([np.dtype(t), t, np.dtype(t).name])
    )
    dtype_like_reals = st.none() | st.sampled_from([bool, int, float]) | dtype_like
    for name, strategy in (("DTypeLikeReals", dtype_like_reals), ("Shape", shapes())):
        placeholder = getattr(mg_typing, name, None)
        if isinstance(placeholder, type):
            st.register_type_strategy(placeholder, strategy)


_register_typing_strategies()
