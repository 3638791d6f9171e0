"""Memory guarding: arrays held by a live graph are read-only (api.md S7).

Locks are reference-counted per array object, so an array used by two live operations
stays read-only until both are released. Each lock remembers whether the array was
writeable "natively", i.e. had mygrad held no lock at all: an array that was read-only
before mygrad saw it stays read-only. NumPy makes a view of a locked array read-only; its
maker may say whether it is natively writeable (:func:`adopt_view`), otherwise it counts
as writeable unless it repeats entries (zero strides, as ``broadcast_to`` views do).

NumPy cannot make a view writeable while the array owning its memory is read-only, so a
released view whose owner is still locked waits for that owner and regains its flag when
the owner is released.

Locking an array that is locked already (a leaf's data or a constant used by one op after
another, the common case) takes no mutex: the op appends the array's entry to ``_PENDING``
and the count is raised later, under the mutex, before any count can reach zero (see
:func:`_drain`). A count's true value is thus ``entry[0]`` plus its pending locks. Every
count reaching zero does so under the mutex, which sets ``entry[0]`` to 0, removes the entry,
then drains: a pending lock on that entry puts it back, and the array stays locked. So an
op that reads a nonzero count *after* appending is safely counted; one that reads 0 raced
with a release and settles at once (:func:`settle`).

Locking a writeable array that owns its memory and has no entry (a parameter's first use
in a step) takes no mutex either (:func:`lock_input`): its entry is created with
``dict.setdefault``, which is atomic, so of two threads creating one at once, the second
finds the first's entry and relocks it as above; under the mutex, entries are created the
same way (:func:`_lock_one`). No lock can be held on such an array (a locked one is
read-only, also while its last lock is being released), so its flag is its native one.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "lock",
    "lock_view",
    "release",
    "lock_fresh",
    "release_fresh",
    "release_batch",
    "is_locked",
    "natively_writeable",
    "lock_count",
    "clear_all_mem_locking_state",
    "adopt_view",
]

# id(array) -> [lock count, the array, was it natively writeable, its shared 1-tuple], or
# the array itself for an op's fresh output under its one lock (count 1, natively
# writeable: lock_fresh), which saves a list per op; other locks on it turn that into a
# list (_lock_one). The 1-tuple ``(entry,)`` is what lock_input gives every op locking just
# this array: one tuple per locked array rather than one per op, since each object a node
# keeps makes Python's cycle collector run (and walk the graph) more often. It refers back
# to its entry, so the entry drops it when it leaves _LOCKS (_release_entry).
_LOCKS: dict[int, Any] = {}
# id(owner) -> released views that become writeable once that owner is released
_WAITING: dict[int, list[weakref.ref[np.ndarray]]] = {}
# id(view) -> (the view, its native flag), for read-only views whose maker knows the flag
_NATIVE: dict[int, tuple[weakref.ref[np.ndarray], bool]] = {}
# lock entries locked once more without the mutex, to be counted by _drain
_PENDING: list[list] = []
# reentrant: the cycle collector may run Node.__del__ (which releases locks) at any
# allocation, also while this thread holds the mutex inside lock()
_MUTEX = threading.RLock()
# (flags are set with ``arr.setflags(bool)``: NumPy implements assigning
# ``arr.flags.writeable`` by calling setflags with keywords, about twice as slow)


def _owner(arr: np.ndarray) -> np.ndarray | None:
    """The ndarray owning ``arr``'s memory, when ``arr`` is a view of one."""
    base = arr.base
    owner = None
    while isinstance(base, np.ndarray):
        owner = base
        base = base.base
    return owner


def _is_broadcast(arr: np.ndarray) -> bool:
    """Whether ``arr`` repeats memory along an axis (NumPy keeps such views read-only)."""
    strides = arr.strides
    if 0 not in strides:  # the common case, cheaply
        return False
    return arr.size > 0 and any(
        stride == 0 and side > 1 for stride, side in zip(strides, arr.shape)
    )


def _native(arr: np.ndarray) -> bool:
    """Whether ``arr`` would be writeable if mygrad held no lock (call under the mutex)."""
    entry = _LOCKS.get(id(arr))
    if entry is not None:
        return entry is arr or entry[2]
    if arr.flags.writeable:
        return True
    known = _NATIVE.get(id(arr))
    if known is not None and known[0]() is arr:
        return known[1]
    return _guess_native(arr, _owner(arr))


def _guess_native(arr: np.ndarray, owner: np.ndarray | None) -> bool:
    """The native flag of a read-only view that mygrad did not adopt: a view of an owner
    mygrad locked was (most likely) made while that lock was held, and NumPy gives such
    views the owner's flag, so it inherits the owner's native one, unless it repeats
    memory as ``broadcast_to`` views do."""
    if owner is None:
        return False
    owner_entry = _LOCKS.get(id(owner))
    return (
        owner_entry is not None
        and (owner_entry is owner or owner_entry[2])
        and not _is_broadcast(arr)
    )


def _lock_one(a: np.ndarray, native: bool | None = None) -> list:
    """Lock ``a`` once more (call under the mutex); return its entry. ``native``: its native
    flag, when the caller knows it (else it is looked up)."""
    entry = _LOCKS.get(id(a))
    if entry is None:
        new = [1, a, _native(a) if native is None else native, None]
        # (setdefault: lock_input creates entries without the mutex)
        entry = _LOCKS.setdefault(id(a), new)
        if entry is new:
            if a.flags.writeable:
                a.setflags(False)  # type: ignore[call-arg]  # positional: the fast form
            return new
    if entry is a:
        entry = _LOCKS[id(a)] = [2, a, True, None]  # a fresh lock, and this one
    else:
        entry[0] += 1
    return entry


def lock_input(a: np.ndarray) -> tuple[list, ...]:
    """A counted lock on one input array of an op (see :func:`lock`). The common cases take
    no mutex: an array owning its memory that is locked already (a leaf or constant used
    again) or writeable and not locked at all (its first use); see the module docstring."""
    if a.base is None:
        key = id(a)
        entry = _LOCKS.get(key)
        if entry is None and a.flags.writeable:
            new = [1, a, True, None]
            entry = _LOCKS.setdefault(key, new)
            if entry is new:
                a.setflags(False)  # type: ignore[call-arg]  # positional: the fast form
                new[3] = one = (new,)
                return one
        if type(entry) is list:  # (not None, nor a fresh lock's entry)
            _PENDING.append(entry)  # (counted later, under the mutex)
            if not entry[0]:
                return (settle(entry),)
            # a nonzero count read after appending: the entry stays in _LOCKS (see the
            # module docstring), so its shared tuple is not dropped under us
            one = entry[3]
            if one is None:
                one = entry[3] = (entry,)
            return one
    return lock((a,))


def lock(arrays: Iterable[object]) -> tuple[list, ...]:
    """Make each ndarray (and the array owning its memory) read-only; return the lock
    entries taken (a node keeps them, so that releasing needs no lookup).

    Each lock is counted, so pass the result to :func:`release` exactly once.
    """
    locked: list[list] = []
    with _MUTEX:
        for arr in arrays:
            if type(arr) is not np.ndarray:
                continue
            if arr.base is None:
                # the common case (leaf data, a raw array used again): one counted entry
                locked.append(_lock_one(arr))
                continue
            owner = _owner(arr)
            if owner is not None:
                # the owner first: a view's native flag may follow it
                locked.append(_lock_one(owner))
            locked.append(_lock_one(arr))
    return tuple(locked)


def lock_view(view: np.ndarray, native: bool) -> tuple[list, ...]:
    """:func:`lock` for a read-only view an op has just made, whose native flag the caller
    knows: its own entry keeps the flag. Only for a natively writeable view: a natively
    read-only one must be adopted (:func:`adopt_view`), or, once released, the guard would
    guess it writeable."""
    with _MUTEX:
        owner = _owner(view)
        if owner is None:
            return (_lock_one(view, native),)
        return (_lock_one(owner), _lock_one(view, native))


def release(locked: tuple[list, ...]) -> None:
    """Undo one :func:`lock`; arrays whose count drops to zero regain their native flag."""
    with _MUTEX:
        for entry in locked:
            _release_entry(entry)


def _release_entry(entry: list) -> None:
    """Undo one counted lock (call under the mutex)."""
    n = entry[0]
    if n > 1:
        entry[0] = n - 1
        return
    if n < 1:
        return  # dropped by clear_all_mem_locking_state
    entry[0] = 0  # (before the entry goes: see the module docstring)
    a = entry[1]
    key = id(a)
    if _LOCKS.get(key) is entry:
        del _LOCKS[key]
    if _PENDING and _relocked(key, entry):
        return
    entry[3] = None  # (its shared tuple refers back to it)
    if entry[2]:
        if a.base is None and not _WAITING:
            a.setflags(True)  # (an owner: always possible)
        else:
            _restore(a)


def release_batch(entries: list[list], fresh: list[np.ndarray] | None = None) -> None:
    """Undo many locks at once (the entries :func:`lock` gave, in locking order), taking
    the mutex once: a cleared graph releases all its nodes' locks together. ``fresh`` are
    outputs locked by :func:`lock_fresh` (arrays owning their memory, natively writeable),
    each still referred to by its node (``Node.out``): one that nothing else refers to
    keeps its flag (see _UNSEEN_FRESH_REFS)."""
    locks = _LOCKS
    with _MUTEX:
        if fresh:
            for a in fresh:
                entry = locks.pop(id(a), None)
                if entry is a:
                    # its only lock (this one): it ends here
                    if _WAITING:
                        _restore(a)
                    elif _getrefcount(a) > _UNSEEN_FRESH_REFS:
                        a.setflags(True)  # (it owns its memory)
                    # else nothing but the cleared node can reach the array (no tensor,
                    # view, consumer or user holds it): it dies with the node, and its flag
                    # is never seen, so restoring it would be wasted work
                elif entry is not None:
                    # other locks joined the fresh one (a counted entry)
                    locks[id(a)] = entry
                    _release_entry(entry)
        for entry in entries:
            n = entry[0]
            if n > 1:
                entry[0] = n - 1
            else:
                _release_entry(entry)


# references to a released fresh output that nobody can see: the ``fresh`` list, its
# node's ``out``, release_batch's loop name, its local ``entry`` (the array itself) and
# getrefcount's argument.
# Python 3.14 borrows stack references (fewer counted): there every flag is restored.
_UNSEEN_FRESH_REFS = 5 if sys.version_info < (3, 14) else -1
_getrefcount = sys.getrefcount


def _release_one(a: np.ndarray) -> None:
    entry = _LOCKS.get(id(a))
    if entry is a:  # a fresh lock, the only one
        del _LOCKS[id(a)]
        _restore(a)
    elif entry is not None:
        _release_entry(entry)


def _drain(dying: list | None = None) -> None:
    """Count the pending locks (call under the mutex). A pending lock on a removed entry
    (count 0) was taken while its last lock was being released: ``dying``, the entry this
    release has just removed, is put back; any other such release is complete, so the
    array is locked anew (or counted once more, if locked again since)."""
    # (pop, not iteration: a nested drain, from a Node.__del__ run by the cycle collector
    # at an allocation in here, takes its own share)
    while _PENDING:
        entry = _PENDING.pop()
        if entry[0]:
            entry[0] += 1
            continue
        a = entry[1]
        if entry is dying and id(a) not in _LOCKS:
            entry[0] = 1
            _LOCKS[id(a)] = entry
        else:
            _lock_one(a)  # (counted in the array's live entry, or a new one)


def _relocked(key: int, entry: list) -> bool:
    """After ``entry``'s last lock was released and it left _LOCKS: whether a pending lock
    on its array put it back (then the array stays read-only)."""
    _drain(entry)
    return _LOCKS.get(key) is entry


def settle(entry: list) -> list:
    """For an op whose lock-free lock on ``entry`` raced with a release: count the pending
    locks now, and return the entry that holds its lock (``entry``, or a new one if that
    release was complete)."""
    with _MUTEX:
        _drain()
        live = _LOCKS.get(id(entry[1]))
        # (None only if clear_all_mem_locking_state dropped the pending lock)
        return live if type(live) is list else _lock_one(entry[1])


def _restore(a: np.ndarray) -> None:
    """Make an unlocked, natively writeable array writeable, or let it wait for its owner."""
    try:
        a.setflags(True)  # type: ignore[call-arg]  # positional: the fast form
    except ValueError:
        owner = _owner(a)
        if owner is not None:
            _WAITING.setdefault(id(owner), []).append(weakref.ref(a))
        return
    if not _WAITING:
        return
    for ref in _WAITING.pop(id(a), ()):
        view = ref()
        if view is not None and id(view) not in _LOCKS:
            _restore(view)


def lock_fresh(arr: np.ndarray) -> bool:
    """Lock an op's freshly made output (an array with no owner); return whether it was
    writeable, i.e. whether :func:`release_fresh` must be called for it.

    Its consumers need not lock it again: they hold its producer, which keeps the lock.
    No other thread can know an array this op has just made, so adding its entry needs no
    mutex (a single dict assignment is atomic); this is the hot path of every recorded op.
    """
    if not arr.flags.writeable:
        return False
    _LOCKS[id(arr)] = arr  # (the entry of a fresh lock)
    arr.setflags(False)  # type: ignore[call-arg]  # positional: the fast form
    return True


def release_fresh(arr: np.ndarray) -> None:
    """Undo :func:`lock_fresh`."""
    # (under the mutex, as every release that may end a lock: see the module docstring)
    _MUTEX.acquire()
    try:
        _release_one(arr)
    finally:
        _MUTEX.release()


def adopt_view(view: np.ndarray, native: bool) -> None:
    """Tell the guard whether a new, read-only view would be writeable if mygrad held no
    lock: NumPy makes a view of a locked array read-only, and makes some views read-only
    by nature (``broadcast_to``). A natively writeable view regains writeability once its
    owner is released, even if mygrad never locks the view itself."""
    if view.flags.writeable:
        return
    with _MUTEX:
        owner = _owner(view)
        key = id(view)
        _NATIVE[key] = (weakref.ref(view, lambda _: _NATIVE.pop(key, None)), native)
        if native and owner is not None and id(view) not in _LOCKS:
            if id(owner) in _LOCKS:
                waiting = _WAITING.setdefault(id(owner), [])
                if len(waiting) >= 16 and len(waiting) & (len(waiting) - 1) == 0:
                    # views of a long-locked owner come and go: drop the dead ones
                    waiting[:] = [r for r in waiting if r() is not None]
                waiting.append(weakref.ref(view))
            else:
                _restore(view)  # nothing holds its owner (any more): writeable now


def is_locked(arr: np.ndarray) -> bool:
    """Whether mygrad currently holds a lock on this very array object."""
    return id(arr) in _LOCKS


def natively_writeable(arr: np.ndarray) -> bool:
    """Whether ``arr`` would be writeable if mygrad held no lock on any array."""
    with _MUTEX:
        return _native(arr)


def lock_count() -> int:
    """How many arrays are locked right now (a probe for test hygiene)."""
    return len(_LOCKS)


def clear_all_mem_locking_state() -> None:
    """Release every lock, restoring the arrays' native writeable flags."""
    with _MUTEX:
        _PENDING.clear()
        entries: list[list[Any]] = [
            [1, e, True, None] if type(e) is np.ndarray else e for e in _LOCKS.values()
        ]
        _LOCKS.clear()
        for entry in entries:
            entry[0] = 0  # (lock-free lockers that saw these entries settle)
            entry[3] = None
        # owners before views: NumPy refuses a writeable view of a read-only owner
        for _, a, native, _ in sorted(entries, key=lambda e: e[1].base is not None):
            if native:
                _restore(a)
        _WAITING.clear()
