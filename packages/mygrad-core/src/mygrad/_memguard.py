"""Memory guarding: arrays held by a live graph are read-only (api.md S7).

Locks are reference-counted per array object, so an array used by two live operations
stays read-only until both are released. An array that was read-only before mygrad saw
it keeps that state when released.
"""

from __future__ import annotations

import threading
from typing import Iterable

import numpy as np

__all__ = [
    "lock",
    "release",
    "lock_fresh",
    "release_fresh",
    "is_locked",
    "natively_writeable",
    "lock_count",
    "clear_all_mem_locking_state",
]

# id(array) -> [lock count, the array, was it writeable before we locked it]
_LOCKS: dict[int, list] = {}
# ids of fresh op results locked by their producing node alone (see lock_fresh)
_FRESH: dict[int, np.ndarray] = {}
_MUTEX = threading.Lock()


def _owner(arr: np.ndarray) -> np.ndarray | None:
    """The ndarray owning ``arr``'s memory, when ``arr`` is a view of one."""
    base = arr.base
    owner = None
    while isinstance(base, np.ndarray):
        owner = base
        base = base.base
    return owner


def lock(arrays: Iterable[object]) -> tuple[np.ndarray, ...]:
    """Make each ndarray (and the array owning its memory) read-only; return what was locked.

    Each lock is counted, so pass the result to :func:`release` exactly once.
    """
    locked: list[np.ndarray] = []
    with _MUTEX:
        for arr in arrays:
            if type(arr) is not np.ndarray:
                continue
            owner = _owner(arr) if arr.base is not None else None
            for a in (arr,) if owner is None else (owner, arr):
                entry = _LOCKS.get(id(a))
                if entry is None:
                    flags = a.flags
                    writeable = flags.writeable
                    if writeable:
                        flags.writeable = False
                    _LOCKS[id(a)] = [1, a, writeable]
                else:
                    entry[0] += 1
                locked.append(a)
    return tuple(locked)


def release(locked: tuple[np.ndarray, ...]) -> None:
    """Undo one :func:`lock`; arrays whose count drops to zero regain their old flag."""
    with _MUTEX:
        for a in locked:
            entry = _LOCKS.get(id(a))
            if entry is None:
                continue
            entry[0] -= 1
            if entry[0] == 0:
                del _LOCKS[id(a)]
                if entry[2]:
                    _make_writeable(a)


def lock_fresh(arr: np.ndarray) -> bool:
    """Lock an array that only its producing node and tensor hold (a fresh op result).

    No count is needed: the producing node is its only locker, because consumers see that
    the producer holds it. Returns whether the array was writeable (and is now locked).
    """
    flags = arr.flags
    if flags.writeable:
        flags.writeable = False
        _FRESH[id(arr)] = arr
        return True
    return False


def release_fresh(arr: np.ndarray) -> None:
    """Undo :func:`lock_fresh`."""
    _FRESH.pop(id(arr), None)
    _make_writeable(arr)


def _make_writeable(a: np.ndarray) -> None:
    try:
        a.flags.writeable = True
    except ValueError:
        # a view whose owner is still locked elsewhere stays read-only
        pass


def is_locked(arr: np.ndarray) -> bool:
    """Whether mygrad currently holds a lock on this very array object."""
    return id(arr) in _LOCKS or id(arr) in _FRESH


def natively_writeable(arr: np.ndarray) -> bool:
    """Whether ``arr`` was writeable before mygrad locked it (its flag if it is unlocked)."""
    entry = _LOCKS.get(id(arr))
    if entry is not None:
        return entry[2]
    return id(arr) in _FRESH or arr.flags.writeable


def lock_count() -> int:
    """How many arrays are locked right now (a probe for test hygiene)."""
    return len(_LOCKS) + len(_FRESH)


def clear_all_mem_locking_state() -> None:
    """Release every lock, restoring the arrays' original writeable flags."""
    with _MUTEX:
        entries = list(_LOCKS.values())
        _LOCKS.clear()
        fresh = list(_FRESH.values())
        _FRESH.clear()
    for a in fresh:
        _make_writeable(a)
    # owners were locked before their views; restore them first
    for _, a, writeable in entries:
        if writeable and a.base is None:
            a.flags.writeable = True
    for _, a, writeable in entries:
        if writeable and a.base is not None:
            try:
                a.flags.writeable = True
            except ValueError:
                pass
