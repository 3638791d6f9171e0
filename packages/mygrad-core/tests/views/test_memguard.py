"""Memory guarding (api.md §S7): arrays a live graph holds are read-only until every graph
holding them is cleared, backpropagated or collected; native read-only arrays stay so;
views regain writeability with their owner; per thread; nothing is locked when off."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import mygrad as mg
from mygrad.errors import InvalidBackprop
from mygrad.extend import lock_count


def writeable(x: object) -> bool:
    return (x.data if isinstance(x, mg.Tensor) else x).flags.writeable


@pytest.fixture(autouse=True)
def no_leaked_locks():
    gc.collect()  # graphs left for the collector by earlier tests release their locks now
    before = lock_count()
    yield
    gc.collect()
    assert lock_count() == before, "a test left memory locks behind"


@pytest.mark.parametrize("release", ["backward", "clear_graph", "del"])
def test_inputs_and_outputs_are_locked_while_the_graph_lives(release):
    x = mg.tensor([1.0, 2.0])
    raw = np.array([3.0, 4.0])
    y = x * raw
    z = y + 1
    for arr in (x.data, raw, y.data, z.data):
        assert not writeable(arr)
    with pytest.raises(ValueError):
        raw[0] = 0.0
    y_data, z_data = y.data, z.data
    if release == "backward":
        z.backward()
    elif release == "clear_graph":
        z.clear_graph()
    else:
        del y, z
    for arr in (x.data, raw, y_data, z_data):
        assert writeable(arr)


def test_locks_are_counted_across_graphs():
    x = mg.tensor([1.0, 2.0])
    raw = np.ones(2)
    w = x * raw
    z = raw * x[...]
    del w
    assert not writeable(x) and not writeable(raw)
    del z
    assert writeable(x) and writeable(raw)


def test_read_only_arrays_stay_read_only():
    frozen = np.ones(3)
    frozen.flags.writeable = False
    x = mg.tensor([1.0, 2.0, 3.0])
    (x * frozen).backward()
    assert not frozen.flags.writeable and writeable(x)


@pytest.mark.parametrize("owner_writeable", [True, False])
def test_a_view_regains_writeability_when_its_owner_is_released(owner_writeable):
    x = mg.tensor([1.0, 2.0, 3.0])
    y = np.arange(3.0)
    y.flags.writeable = owner_writeable
    view_y = y[...]
    w = y * x
    z = x * view_y
    del z  # view_y's own lock is gone, but its owner y is still locked by w
    assert not writeable(view_y) and not writeable(y)
    del w
    assert writeable(y) is owner_writeable and writeable(view_y) is owner_writeable


def test_a_view_made_while_its_owner_was_locked_is_writeable_after_release():
    x = mg.arange(4.0)
    y = 2 * x  # x's data is locked
    v = x[:2]  # NumPy makes v's array read-only, because x's is, for now
    (v**2).backward()
    del y
    assert writeable(v) and writeable(x)
    with mg.no_autodiff:
        v[0] = 7.0  # still the same memory as x's
    assert x.data[0] == 7.0
    v += 1  # v is independent now (its graph was cleared): x is left alone
    np.testing.assert_array_equal(v.data, [8.0, 2.0])
    np.testing.assert_array_equal(x.data, [7.0, 1.0, 2.0, 3.0])


def test_inplace_on_a_tensor_that_feeds_a_live_graph_is_allowed():
    x = mg.tensor([1.0, 2.0])
    y = x * 3
    x += 1  # copy-on-write: y's graph keeps the old, locked array
    y2 = 2 * x
    y2.backward()
    y.backward()
    assert writeable(x)


def test_memory_guard_switches_take_no_locks():
    x = mg.tensor([1.0, 2.0])
    with mg.mem_guard_off:
        y = x * 2
        assert mg.mem_guard_active() is False
        with mg.mem_guard_on:
            z = x * 3
            assert not writeable(x)
        del z
    assert writeable(x) and writeable(y)

    @mg.mem_guard_off
    def unguarded(t: mg.Tensor) -> mg.Tensor:
        return t * 2

    out = unguarded(x)
    assert writeable(x) and writeable(out)
    mg.turn_memory_guarding_off()
    try:
        assert mg.mem_guard_active() is False
        kept = x * 2
        assert writeable(x)

        @mg.mem_guard_on
        def guarded(t: mg.Tensor) -> mg.Tensor:
            return t * 2

        locked = guarded(x)
        assert not writeable(x)
        del locked, kept
    finally:
        mg.turn_memory_guarding_on()
    assert mg.mem_guard_active() is True and writeable(x)


def test_no_locks_under_no_autodiff_and_existing_locks_are_kept():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    with mg.no_autodiff:
        z = x + 1
        assert not writeable(x)  # y's lock is not released
        free = mg.tensor([1.0]) * 2
    assert writeable(free) and writeable(z)
    del y
    assert writeable(x)


def test_guarding_is_per_thread():
    x = mg.tensor([1.0, 2.0])
    seen = {}

    def worker() -> None:
        with mg.mem_guard_off:
            seen["out"] = x * 2
            seen["guard"] = mg.mem_guard_active()

    with mg.mem_guard_on:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert mg.mem_guard_active() is True
    assert seen["guard"] is False and writeable(x) and writeable(seen["out"])


# The producer of an array locks it once; its consumers do not lock it again, because
# they hold the producer. These tests check that this is sound.


def test_a_consumer_keeps_an_array_locked_through_its_producer():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    z = y * 3
    data = y.data
    del y  # the producer node lives on in z's graph
    assert not writeable(data)
    y_again = z.creator.parents[0]
    assert y_again.out is data
    del z, y_again
    assert writeable(data)


def test_a_consumer_keeps_the_old_value_locked_after_the_producer_is_rebound():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    z = y * 3
    old = y.data
    y += 1
    assert y.data is not old and not writeable(old)
    del z
    assert not writeable(old)  # still the input of y's in-place node
    y.clear_graph()
    assert writeable(old)


def test_clearing_the_producer_cannot_corrupt_a_consumers_gradient():
    # once y's graph is cleared its array is writeable again, though z still holds it; but
    # every backward through z now raises, so no gradient can be computed from a changed y
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    z = y * x
    y.backward()
    assert writeable(y)
    y.data[0] = 100.0
    with pytest.raises(InvalidBackprop):
        z.backward()


def test_views_of_a_fresh_output_are_locked_with_it():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 2
    v = y[1:]
    w = v * 1
    owner = y.data
    del y
    assert not writeable(v) and not writeable(owner)
    w.backward()
    v.clear_graph()
    assert writeable(owner) and writeable(v)


def test_a_constant_view_made_while_its_source_was_locked_is_writeable_after_release():
    c = mg.tensor([1.0, 2.0, 3.0], constant=True)
    y = c * mg.tensor([1.0, 1.0, 1.0])
    v = c[:2]  # a constant view: mygrad holds no lock on it
    assert not v.data.flags.writeable
    y.backward()
    assert c.data.flags.writeable and v.data.flags.writeable


@pytest.mark.parametrize("target", [(1, 3), (2, 3)])  # repeating nothing / repeating
def test_a_broadcast_made_while_its_source_was_locked_stays_read_only(target):
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 2
    b = mg.broadcast_to(x, target)
    vb = b[..., :2]  # a view of a broadcast is read-only in NumPy too
    r = mg.reshape(vb, (-1,)) if target == (1, 3) else vb
    y.backward()
    for t in (b, vb, r):
        t.clear_graph()
    assert x.data.flags.writeable
    assert not b.data.flags.writeable and not vb.data.flags.writeable
    assert not r.data.flags.writeable
    with pytest.raises(ValueError):
        b[...] = 0.0


def test_views_refreshed_by_an_update_of_their_base_keep_numpys_flags():
    x = mg.tensor([1.0, 2.0, 3.0])
    b = mg.broadcast_to(x, (1, 3))  # read-only by nature
    v = x[:2]
    x += 1.0  # b and v are re-derived from x's new (locked) value
    assert not v.data.flags.writeable and not b.data.flags.writeable
    mg.sum(x).backward()
    for t in (b, v):
        t.clear_graph()  # their nodes (re-derived from x) held x's new value
    assert v.data.flags.writeable and not b.data.flags.writeable


# view ops applied one after another to a (2, 3) array; some copy on some layouts
_CHAIN_STEPS = {
    "broadcast_to_same": lambda m, a: m.broadcast_to(a, a.shape),  # read-only by nature
    "ravel": lambda m, a: m.ravel(a),  # a view only of contiguous memory
    "transpose": lambda m, a: m.transpose(a),
    "reverse": lambda m, a: a[::-1],
    "first_row": lambda m, a: a[:1],
    "reshape_flat": lambda m, a: m.reshape(a, (-1,)),
}


_CHAINS = st.lists(st.sampled_from(sorted(_CHAIN_STEPS)), min_size=1, max_size=4)


def _view_chain(x, steps, stop_at_copy=False):
    """The chain of ``steps`` applied to ``x``, and the same chain applied by NumPy to a
    plain, writeable copy of x's data (its first item the copy); ``stop_at_copy`` ends the
    chain at its first copy (its own tensor from there on)."""
    mirror = np.array(x.data, order="K")
    views, mirrored = [], [mirror]
    for step in steps:
        views.append(_CHAIN_STEPS[step](mg, views[-1] if views else x))
        mirrored.append(_CHAIN_STEPS[step](np, mirrored[-1]))
        if stop_at_copy and not np.shares_memory(mirrored[-1], mirror):
            break
    return views, mirrored


def _assert_numpys_flags(views, mirrored):
    """Once nothing holds them, the views are writeable exactly where NumPy's chain is."""
    gc.collect()
    native = [np.asarray(m).flags.writeable for m in mirrored[1:]]
    assert [writeable(v) for v in views] == native


def _root(transposed: bool) -> mg.Tensor:
    """A tensor over a (2, 3) array, C-ordered or not."""
    array = np.arange(6.0).reshape(2, 3)
    return mg.Tensor(array.T.copy().T if transposed else array)


@given(steps=_CHAINS, transposed_root=st.booleans())
@example(steps=["broadcast_to_same", "ravel"], transposed_root=False)
def test_refreshed_view_chains_keep_numpys_flag_whatever_the_layout(steps, transposed_root):
    # a chain re-derived after an in-place update of its root must be read-only after
    # release exactly when NumPy's own chain is (regression: ravel after broadcast_to
    # became writeable, the stand-in asked had another layout than the root)
    x = _root(transposed_root)
    views, mirrored = _view_chain(x, steps, stop_at_copy=True)
    x += 1.0  # every live view is re-derived from x's new, locked value
    mg.sum(x).backward()
    for t in (x, *views):
        t.clear_graph()
    _assert_numpys_flags(views, mirrored)


@given(steps=_CHAINS, transposed_root=st.booleans())
@example(steps=["broadcast_to_same", "first_row"], transposed_root=False)
def test_view_chains_made_of_a_locked_root_keep_numpys_flag(steps, transposed_root):
    # each view is made read-only (its source is locked) and locked by its own node, which
    # records its native flag with the lock: after release it must be NumPy's
    x = _root(transposed_root)
    y = x * 2.0  # locks x's data before any view is made
    views, mirrored = _view_chain(x, steps)
    assert not any(writeable(v) for v in views)
    loss = mg.sum(y) + sum(mg.sum(v) for v in views)
    loss.backward()
    _assert_numpys_flags(views, mirrored)
    assert writeable(x)


def test_a_view_made_under_no_autodiff_of_a_locked_array_is_writeable_after_release():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * 2  # locks x's data
    with mg.no_autodiff:
        v, col = x[:2], mg.reshape(x, (3, 1))  # NumPy: read-only views of a locked array
        b = mg.broadcast_to(x, (2, 3))  # read-only by nature
    assert not any(writeable(t) for t in (v, col, b))
    y.backward()
    assert writeable(x) and writeable(v) and writeable(col) and not writeable(b)
    with mg.no_autodiff:
        v[0] = -1.0  # and it still shares x's memory
    assert x.data[0] == -1.0


@pytest.mark.parametrize("shape", [(1,), (2, 3)])
def test_a_broadcast_of_a_locked_tensor_stays_read_only_through_later_graphs(shape):
    # broadcast_to's view of a locked array is locked by its own node; it is read-only by
    # nature, which the guard must still know once that node is gone and the view, now
    # independent, enters a new graph (regression: it was guessed writeable there)
    x = mg.tensor(np.array(-2.0))
    y = x * 2.0  # locks x's data before the view is made
    v = mg.broadcast_to(x, shape)
    (y + v).sum().backward()
    assert not writeable(v)
    z = v * 3.0
    with pytest.raises(ValueError, match="read-only"):
        v[...] = 1.0
    z.backward(np.ones(shape))
    assert not writeable(v)
