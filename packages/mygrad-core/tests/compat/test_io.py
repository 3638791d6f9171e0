"""``mygrad.save`` / ``mygrad.load`` (api.md §8, D13)."""

from __future__ import annotations

import io

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg

dtypes = st.sampled_from([np.float16, np.float32, np.float64, np.int32, np.int64, np.bool_])


def _roundtrip(t: mg.Tensor) -> mg.Tensor:
    buf = io.BytesIO()
    mg.save(buf, t)
    buf.seek(0)
    return mg.load(buf)


@settings(max_examples=30, deadline=None)
@given(
    hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)),
    st.booleans(),
)
def test_roundtrip_keeps_data_dtype_and_grad(arr, with_grad):
    t = mg.tensor(arr)
    if with_grad and not t.constant:
        t.backward(np.ones(arr.shape, dtype=arr.dtype))
    loaded = _roundtrip(t)
    assert loaded.dtype == t.dtype and loaded.shape == t.shape
    np.testing.assert_array_equal(loaded.data, t.data)
    assert loaded.constant == (arr.dtype.kind != "f")
    if t.grad is None:
        assert loaded.grad is None
    else:
        np.testing.assert_array_equal(loaded.grad, t.grad)
        assert loaded.grad.dtype == t.dtype
    assert loaded.creator is None


def test_constant_float_tensor_loads_as_variable():
    assert _roundtrip(mg.tensor([1.0], constant=True)).constant is False


def test_path_gets_npz_suffix(tmp_path):
    t = mg.tensor([1.0, 2.0])
    mg.save(str(tmp_path / "x"), t)
    assert (tmp_path / "x.npz").exists()
    np.testing.assert_array_equal(mg.load(tmp_path / "x.npz").data, t.data)
    with np.load(tmp_path / "x.npz") as f:
        assert f.files == ["data"]


def test_save_rejects_non_tensors():
    with pytest.raises(TypeError, match="Tensor"):
        mg.save(io.BytesIO(), np.array([1.0]))


def _archive(**arrays) -> io.BytesIO:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    buf.seek(0)
    return buf


@pytest.mark.parametrize(
    ("arrays", "match"),
    [
        ({"grad": np.ones(2)}, "'data'"),
        ({"data": np.ones(2), "extra": np.ones(2)}, "extra"),
        ({"data": np.ones(2), "grad": np.ones(3)}, "shape"),
        ({"data": np.ones(2, dtype=complex)}, "complex"),
        ({"data": np.array(["a", "b"])}, "dtype"),
        ({"data": np.array([{"a": 1}], dtype=object)}, "unpickling"),
    ],
)
def test_load_validates_the_archive(arrays, match):
    with pytest.raises(ValueError, match=match):
        mg.load(_archive(**arrays))


def test_load_refuses_pickles_and_plain_npy():
    buf = io.BytesIO()
    np.save(buf, np.ones(2))
    buf.seek(0)
    with pytest.raises(ValueError, match="single array"):
        mg.load(buf)
    pickled = io.BytesIO()
    np.save(pickled, np.array([object()], dtype=object), allow_pickle=True)
    pickled.seek(0)
    with pytest.raises(ValueError):
        mg.load(pickled)
