"""View semantics of the manipulation ops (api.md §S5, D6): ``base`` is the memory owner,
a view's grad is a view of its base's grad, and writes go through views both ways."""

from __future__ import annotations

import numpy as np
import pytest

import mygrad as mg

# (name, call) pairs: each call makes a view of a (2, 3) tensor
VIEW_CALLS = [
    ("reshape", lambda x: mg.reshape(x, (3, 2))),
    ("reshape-method", lambda x: x.reshape(-1)),
    ("ravel", lambda x: mg.ravel(x)),
    ("squeeze", lambda x: mg.squeeze(x)),
    ("expand_dims", lambda x: mg.expand_dims(x, (0, 2))),
    ("broadcast_to", lambda x: mg.broadcast_to(x, (4, 2, 3))),
    ("atleast_3d", lambda x: mg.atleast_3d(x)),
    ("transpose", lambda x: mg.transpose(x)),
    ("T", lambda x: x.T),
    ("moveaxis", lambda x: mg.moveaxis(x, 0, -1)),
    ("swapaxes", lambda x: mg.swapaxes(x, 0, 1)),
]
COPY_CALLS = [
    ("flatten", lambda x: x.flatten()),
    ("roll", lambda x: mg.roll(x, 1)),
    ("repeat", lambda x: mg.repeat(x, 2, axis=0)),
    ("concatenate", lambda x: mg.concatenate([x])),
    ("stack", lambda x: mg.stack([x])),
]


def fresh() -> mg.Tensor:
    return mg.tensor(np.arange(6.0).reshape(2, 3))


def replay(name: str, array: np.ndarray) -> np.ndarray:
    """The same view op applied to a plain array."""
    call = dict(VIEW_CALLS)[name]
    with mg.no_autodiff:
        return call(mg.Tensor(array, copy=False)).data


@pytest.mark.parametrize("name, call", VIEW_CALLS)
def test_view_ops_record_the_memory_owner_as_base(name, call):
    x = fresh()
    v = call(x)
    assert v.base is x and np.shares_memory(v.data, x.data)
    # a view of a view points at the root, never the intermediate view
    inner = x[:, :]
    w = call(inner)
    assert inner.base is x and w.base is x


@pytest.mark.parametrize("name, call", COPY_CALLS)
def test_copy_ops_never_record_a_base(name, call):
    x = fresh()
    out = call(x)
    assert out.base is None and not np.shares_memory(out.data, x.data)


@pytest.mark.parametrize("name, call", VIEW_CALLS)
def test_view_grad_is_a_view_of_the_base_grad(name, call):
    x = fresh()
    v = call(x)
    (x**2).backward()  # the view takes no part, yet has a grad
    assert v.grad is not None and v.grad.base is x.grad
    np.testing.assert_array_equal(v.grad, replay(name, x.grad))


@pytest.mark.parametrize("name, call", VIEW_CALLS)
def test_backprop_from_a_view_reaches_its_base(name, call):
    x = fresh()
    v = call(x)
    g = np.arange(v.size, dtype=float).reshape(v.shape)
    v.backward(g)
    # the adjoint of a view: x.grad . dv == g . view(dv) for every dv
    dx = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    assert np.isclose(np.sum(x.grad * dx), np.sum(g * replay(name, dx)))


@pytest.mark.parametrize("name, call", [c for c in VIEW_CALLS if c[0] != "broadcast_to"])
def test_writes_through_a_view_reach_the_base_and_back(name, call):
    x = fresh()
    v = call(x)
    v[...] = -v.data - 1  # a write through the view
    np.testing.assert_array_equal(x.data, -np.arange(6.0).reshape(2, 3) - 1)
    x[0, 0] = 100.0  # a write to the base shows in the view
    np.testing.assert_array_equal(v.data, replay(name, x.data))
    (v * 2).sum().backward()
    assert x.grad is not None


def test_writing_into_a_broadcast_view_raises():
    x = fresh()
    v = mg.broadcast_to(x, (2, 2, 3))
    with pytest.raises(ValueError):
        v[0, 0, 0] = 1.0


def test_chained_views_write_back_and_differentiate():
    x = mg.arange(6.0)
    v = x.reshape(2, 3).T  # (3, 2) view of x
    assert v.base is x
    v *= -1
    np.testing.assert_array_equal(x.data, -np.arange(6.0))
    (x**2).sum().backward()
    np.testing.assert_array_equal(x.grad, -2 * np.arange(6.0))
    np.testing.assert_array_equal(v.grad, (-2 * np.arange(6.0)).reshape(2, 3).T)


def test_constant_views_keep_the_base():
    x = fresh()
    v = x.reshape(3, 2, constant=True)
    assert v.constant and v.base is x
    (x * 3).sum().backward()
    assert v.grad is None


def test_no_autodiff_shares_memory_but_tracks_no_views():
    x = fresh()
    with mg.no_autodiff:
        v = x.reshape(3, 2)
        assert v.base is None and np.shares_memory(v.data, x.data)
        v[0, 0] = 7.0
    assert x.data[0, 0] == 7.0


def test_view_grads_are_not_nulled_by_view_ops():
    x = fresh()
    (x * 2).sum().backward()
    assert x.grad is not None
    x.reshape(6)
    _ = x.T
    assert x.grad is not None
    mg.roll(x, 1)  # a non-view op nulls it, as in MyGrad
    assert x.grad is None
