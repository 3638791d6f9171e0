"""The finite-difference oracle: estimates of ``gᵀ ∂f/∂x`` computed in float64.

Every float input is promoted to float64 (exactly), so the oracle differentiates at the very
point the op saw. Steps are made exact (``h = (x + h) - x``) so the step divided by is the
step taken. The estimate carries its own error bound, the cancellation-aware magnitude used
by the tolerance, and a mask of elements where the one-sided quotients reveal a kink.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

__all__ = [
    "VJPEstimate",
    "OracleError",
    "InconclusiveOracle",
    "numerical_vjp",
    "default_directions",
    "FULL_JACOBIAN_MAX",
    "H_REL",
    "REFINE_H_REL",
]

EPS64 = float(np.finfo(np.float64).eps)
# balances the O(h²) truncation and O(eps/h) rounding errors of a central difference
H_REL = EPS64 ** (1 / 3)
# the larger relative step of the Richardson refinement (it cancels the h² term)
REFINE_H_REL = 1e-3
# "auto" perturbs one element at a time up to this many differentiated elements
FULL_JACOBIAN_MAX = 64
# an element is a kink candidate when its one-sided quotients differ by this fraction ...
KINK_CANDIDATE_RTOL = 1e-3
# ... and a kink when halving the step does not halve that difference (to this fraction)
KINK_CONFIRM_RTOL = 5e-2
# truncation allowance of a first-stage central difference, relative to the magnitude
TRUNCATION_RTOL = 1e-7
COMPLEX_H_REL = 1e-30

Mode = Literal["auto", "diagonal", "full", "projected"]
Method = Literal["central", "complex"]


class OracleError(Exception):
    """The oracle cannot give a trustworthy estimate for this function."""


class InconclusiveOracle(OracleError):
    """The point is not one where a derivative can be checked (a kink, or non-finite values).

    ``reason`` is ``"kink"`` or ``"nonfinite"``; a property harness rejects such examples.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class VJPEstimate:
    """The oracle's estimate of one argument's VJP.

    For ``mode="projected"``, ``value`` holds one directional derivative ``<vjp, u>`` per
    direction in ``directions`` (shape ``(k, *arg.shape)``) instead of the full VJP.
    """

    value: np.ndarray
    magnitude: np.ndarray
    oracle_error: np.ndarray
    kink_mask: np.ndarray
    evals: int
    count: np.ndarray
    one_sided: tuple[np.ndarray, np.ndarray] | None
    steps: np.ndarray
    mode: str
    method: str
    arg_index: int
    directions: np.ndarray | None = None
    refined: bool = False
    _refiner: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, int]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def can_refine(self) -> bool:
        return self._refiner is not None and not self.refined

    def refine(self, mask: np.ndarray | None = None) -> VJPEstimate:
        """Richardson-refined estimates (O(h⁴), with their own error estimate) at ``mask``.

        Elements outside ``mask`` keep their first-stage values.
        """
        if self._refiner is None:
            raise OracleError(f"a {self.method} {self.mode} estimate cannot be refined")
        mask = np.ones(self.value.shape, bool) if mask is None else np.asarray(mask, bool)
        value, error, evals = self._refiner(mask)
        return replace(
            self,
            value=np.where(mask, value, self.value),
            oracle_error=np.where(mask, error, self.oracle_error),
            evals=self.evals + evals,
            refined=True,
        )


def _sum_to_shape(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast result back to ``shape`` (the adjoint of broadcasting)."""
    lead = a.ndim - len(shape)
    if lead:
        a = a.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and a.shape[i] != 1)
    if axes:
        a = a.sum(axis=axes, keepdims=True)
    return a.reshape(shape)


def _to_float64(a: Any) -> Any:
    if isinstance(a, (np.ndarray, np.generic)) and np.dtype(a.dtype).kind == "f":
        return np.asarray(a, dtype=np.float64)
    return a


def _default_wrt(args: Sequence[Any]) -> tuple[int, ...]:
    return tuple(
        i
        for i, a in enumerate(args)
        if (isinstance(a, (np.ndarray, np.generic)) and np.dtype(a.dtype).kind == "f")
        or type(a) is float
    )


def _validate_wrt(args: Sequence[Any], wrt: Any) -> tuple[int, ...]:
    if wrt is None:
        return _default_wrt(args)
    if isinstance(wrt, (int, np.integer)) and not isinstance(wrt, bool):
        wrt = (wrt,)
    wrt = tuple(wrt)
    for i in wrt:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < len(args):
            raise ValueError(f"wrt={wrt!r} must hold indices of the {len(args)} args")
    wrt = tuple(int(i) for i in wrt)
    for i in wrt:
        kind = np.asarray(args[i]).dtype.kind
        if kind not in "fiub":
            raise ValueError(
                f"wrt={wrt!r}: argument {i} has dtype {np.asarray(args[i]).dtype}, "
                "which cannot be differentiated"
            )
    if len(set(wrt)) != len(wrt):
        raise ValueError(f"wrt={wrt!r} repeats an index")
    return wrt


def default_directions(shape: tuple[int, ...], k: int = 2, seed: int = 0) -> np.ndarray:
    """``k`` deterministic, non-uniform directions (shape ``(k, *shape)``), each entry in
    ±[0.5, 1]. A local seeded generator, so the global RNG is never touched."""
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(0.5, 1.0, size=(k, *shape))
    return np.where(rng.random((k, *shape)) < 0.5, -magnitude, magnitude)


class _Problem:
    """``f`` at a fixed point: the promoted args, kwargs, the cotangent and f(x)."""

    def __init__(self, f: Callable[..., Any], args: list[Any], kwargs: Mapping[str, Any]) -> None:
        self.f = f
        self.args = args
        self.kwargs = dict(kwargs)
        self.evals = 0
        self.f0 = self.call({})
        self.g: np.ndarray = np.empty(0)

    def call(self, replaced: Mapping[int, Any], *, complex_ok: bool = False) -> np.ndarray:
        args = list(self.args)
        for i, value in replaced.items():
            args[i] = value
        self.evals += 1
        # values outside f's domain become non-finite estimates, reported as inconclusive
        with np.errstate(all="ignore"):
            out = np.asarray(self.f(*args, **self.kwargs))
        if out.dtype.kind not in ("fiubc" if complex_ok else "fiub"):
            raise OracleError(f"the reference returned dtype {out.dtype}; a real array is needed")
        out = out.astype(np.complex128 if out.dtype.kind == "c" else np.float64)
        if replaced and out.shape != self.f0.shape:
            raise OracleError(
                f"the reference's output shape changed from {self.f0.shape} to {out.shape} "
                "under a perturbation of its input"
            )
        return out

    def set_cotangent(self, g: Any) -> None:
        g = np.asarray(g, dtype=np.float64)
        try:
            self.g = np.broadcast_to(g, self.f0.shape)
        except ValueError:
            raise ValueError(
                f"the cotangent g of shape {g.shape} does not broadcast to the output "
                f"shape {self.f0.shape}"
            ) from None


@dataclass
class _Quotients:
    """Central and one-sided difference quotients, reduced to one value per element."""

    central: np.ndarray
    magnitude: np.ndarray
    count: np.ndarray
    noise: np.ndarray
    forward: np.ndarray
    backward: np.ndarray
    curvature: np.ndarray  # the per-output one-sided disagreement, reduced with |.|
    kink_scale: np.ndarray
    kink_noise: np.ndarray
    disagreement: np.ndarray  # output-space one-sided disagreement (kink confirmation)
    mean_step: Any


def _quotients(
    fp: np.ndarray,
    f0: np.ndarray,
    fm: np.ndarray,
    sp: Any,
    sm: Any,
    g: np.ndarray,
    reduce: Callable[[np.ndarray], np.ndarray],
) -> _Quotients:
    with np.errstate(invalid="ignore", over="ignore"):
        contrib = g * (fp - fm) / (sp + sm)
        size = np.maximum(np.maximum(np.abs(fp), np.abs(fm)), np.abs(f0))
        forward = g * (fp - f0) / sp
        backward = g * (f0 - fm) / sm
        disagreement = forward - backward
        return _Quotients(
            central=reduce(contrib),
            magnitude=reduce(np.abs(contrib)),
            count=reduce((contrib != 0).astype(np.float64)),
            # rounding of f(x+h) - f(x-h), plus an allowance for truncation
            noise=reduce(2 * EPS64 * np.abs(g) * size / ((sp + sm) / 2))
            + TRUNCATION_RTOL * reduce(np.abs(contrib)),
            forward=reduce(forward),
            backward=reduce(backward),
            curvature=reduce(np.abs(disagreement)),
            kink_scale=reduce(np.abs(forward) + np.abs(backward)),
            kink_noise=reduce(16 * EPS64 * np.abs(g) * size / np.minimum(sp, sm)),
            disagreement=disagreement,
            mean_step=(sp + sm) / 2,
        )


def _is_kink(first: _Quotients, half: _Quotients, reduce: Callable[..., np.ndarray]) -> np.ndarray:
    """Smooth f: the one-sided disagreement is ≈ h·f'', so halving h halves it; at a kink
    it is the jump in the derivative, whatever h."""
    with np.errstate(invalid="ignore", over="ignore"):
        predicted = half.disagreement * (first.mean_step / half.mean_step)
        mismatch = reduce(np.abs(first.disagreement - predicted))
    return mismatch > KINK_CONFIRM_RTOL * first.kink_scale + 2 * (
        first.kink_noise + half.kink_noise
    )


def _candidates(q: _Quotients) -> np.ndarray:
    return q.curvature > KINK_CANDIDATE_RTOL * q.kink_scale + q.kink_noise


def _step(x: np.ndarray, h_rel: float) -> np.ndarray:
    return h_rel * np.maximum(1.0, np.abs(x))


def _perturbed(
    x: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x ± delta and the exact steps taken: ``(x + d) - x`` and ``x - (x - d)``."""
    xp = x + delta
    xm = x - delta
    return xp, xm, xp - x, x - xm


def _richardson(d1: np.ndarray, s1: Any, d2: np.ndarray, s2: Any) -> tuple[np.ndarray, np.ndarray]:
    """Eliminate the h² term of two central differences D(s) = f' + c·s² + O(s⁴)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        s1sq, s2sq = np.square(s1), np.square(s2)
        value = (s1sq * d2 - s2sq * d1) / (s1sq - s2sq)
    return value, np.abs(d2 - d1)


class _ArgOracle:
    """The estimators for one differentiated argument ``k``."""

    def __init__(self, problem: _Problem, k: int, method: Method) -> None:
        self.p = problem
        self.k = k
        self.x = np.asarray(problem.args[k], dtype=np.float64)
        self.method = method

    def _at(self, xk: np.ndarray) -> np.ndarray:
        return self.p.call({self.k: xk}, complex_ok=self.method == "complex")

    # ---- diagonal: every element at once (elementwise f) ----------------------------------

    def _diag_reduce(self, a: np.ndarray) -> np.ndarray:
        return _sum_to_shape(a, self.x.shape)

    def _diag_steps(self, s: np.ndarray) -> np.ndarray:
        try:
            return np.broadcast_to(s, self.p.f0.shape)
        except ValueError:
            raise OracleError(
                f"mode='diagonal' needs an elementwise f, but argument {self.k} of shape "
                f"{self.x.shape} does not broadcast to the output shape {self.p.f0.shape}"
            ) from None

    def _diag_quotients(self, h: np.ndarray) -> _Quotients:
        xp, xm, sp, sm = _perturbed(self.x, h)
        fp, fm = self._at(xp), self._at(xm)
        return _quotients(
            fp,
            self.p.f0,
            fm,
            self._diag_steps(sp),
            self._diag_steps(sm),
            self.p.g,
            self._diag_reduce,
        )

    def _diag_central(self, h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        xp, xm, sp, sm = _perturbed(self.x, h)
        fp, fm = self._at(xp), self._at(xm)
        q = _quotients(
            fp,
            self.p.f0,
            fm,
            self._diag_steps(sp),
            self._diag_steps(sm),
            self.p.g,
            self._diag_reduce,
        )
        return q.central, q.noise, (sp + sm) / 2

    def diagonal(self, step: Any) -> VJPEstimate:
        h = _step(self.x, H_REL) if step is None else np.broadcast_to(step, self.x.shape)
        start = self.p.evals
        if self.method == "complex":
            return self._complex(h, mode="diagonal", start=start)
        q = self._diag_quotients(h)
        kinks = _candidates(q)
        if kinks.any():
            kinks &= _is_kink(q, self._diag_quotients(h / 2), self._diag_reduce)

        def refine(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
            before = self.p.evals
            big = _step(self.x, REFINE_H_REL)
            d1, _, s1 = self._diag_central(big)
            d2, noise2, s2 = self._diag_central(big / 2)
            value, error = _richardson(d1, s1, d2, s2)
            return value, error + noise2, self.p.evals - before

        return VJPEstimate(
            value=q.central,
            magnitude=q.magnitude,
            oracle_error=q.noise,
            kink_mask=kinks,
            evals=self.p.evals - start,
            count=q.count,
            one_sided=(q.forward, q.backward),
            steps=np.asarray(h),
            mode="diagonal",
            method="central",
            arg_index=self.k,
            _refiner=refine if step is None else None,
        )

    # ---- full: one element at a time -------------------------------------------------------

    def _element_quotients(self, i: int, h_i: float) -> _Quotients:
        flat_delta = np.zeros(self.x.size)
        flat_delta[i] = h_i
        xp, xm, sp, sm = _perturbed(self.x, flat_delta.reshape(self.x.shape))
        fp, fm = self._at(xp), self._at(xm)
        flat = np.unravel_index(i, self.x.shape)
        return _quotients(fp, self.p.f0, fm, sp[flat], sm[flat], self.p.g, np.sum)

    def full(self, step: Any) -> VJPEstimate:
        h = _step(self.x, H_REL) if step is None else np.broadcast_to(step, self.x.shape)
        start = self.p.evals
        if self.method == "complex":
            return self._complex(h, mode="full", start=start)
        hs = h.ravel()
        stats = [self._element_quotients(i, hs[i]) for i in range(self.x.size)]
        kinks = np.zeros(self.x.size, bool)
        for i, q in enumerate(stats):
            if _candidates(q):
                kinks[i] = bool(_is_kink(q, self._element_quotients(i, hs[i] / 2), np.sum))

        def gather(name: str) -> np.ndarray:
            return np.array([getattr(q, name) for q in stats], dtype=np.float64).reshape(
                self.x.shape
            )

        def refine(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
            before = self.p.evals
            big = _step(self.x, REFINE_H_REL).ravel()
            value = np.full(self.x.size, np.nan)
            error = np.full(self.x.size, np.nan)
            for i in map(int, np.flatnonzero(mask.ravel())):
                q1 = self._element_quotients(i, big[i])
                q2 = self._element_quotients(i, big[i] / 2)
                value[i], err = _richardson(q1.central, q1.mean_step, q2.central, q2.mean_step)
                error[i] = err + q2.noise
            return value.reshape(self.x.shape), error.reshape(self.x.shape), self.p.evals - before

        return VJPEstimate(
            value=gather("central"),
            magnitude=gather("magnitude"),
            oracle_error=gather("noise"),
            kink_mask=kinks.reshape(self.x.shape),
            evals=self.p.evals - start,
            count=gather("count"),
            one_sided=(gather("forward"), gather("backward")),
            steps=np.asarray(h),
            mode="full",
            method="central",
            arg_index=self.k,
            _refiner=refine if step is None else None,
        )

    # ---- projected: random directions ------------------------------------------------------

    def _direction_quotients(self, u: np.ndarray, h: float) -> tuple[_Quotients, np.ndarray]:
        xp, xm, sp, sm = _perturbed(self.x, h * u)
        fp, fm = self._at(xp), self._at(xm)
        # the exact perturbations define the direction the analytic side is projected on
        return _quotients(fp, self.p.f0, fm, h, h, self.p.g, np.sum), (sp + sm) / (2 * h)

    def projected(self, directions: np.ndarray) -> VJPEstimate:
        if self.method == "complex":
            raise ValueError("method='complex' supports only mode='diagonal' or mode='full'")
        if directions.shape[1:] != self.x.shape:
            raise ValueError(
                f"the directions for argument {self.k} have shape {directions.shape}; "
                f"expected (k, *{self.x.shape})"
            )
        start = self.p.evals
        scale = np.max(np.abs(directions), axis=tuple(range(1, directions.ndim)), initial=0.0)
        if not np.all(scale > 0):
            raise ValueError("each projection direction needs a non-zero entry")
        units = directions / scale.reshape((-1,) + (1,) * self.x.ndim)
        h = H_REL * max(1.0, float(np.max(np.abs(self.x), initial=0.0)))
        stats, effective = [], []
        kinks = []
        for u in units:
            q, d = self._direction_quotients(u, h)
            stats.append(q)
            effective.append(d)
            kink = bool(_candidates(q)) and bool(
                _is_kink(q, self._direction_quotients(u, h / 2)[0], np.sum)
            )
            kinks.append(kink)

        def gather(name: str) -> np.ndarray:
            return np.array([getattr(q, name) for q in stats], dtype=np.float64)

        def refine(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
            before = self.p.evals
            big = REFINE_H_REL * max(1.0, float(np.max(np.abs(self.x), initial=0.0)))
            value = np.full(len(units), np.nan)
            error = np.full(len(units), np.nan)
            for j in np.flatnonzero(mask):
                q1 = self._direction_quotients(effective[j], big)[0]
                q2 = self._direction_quotients(effective[j], big / 2)[0]
                value[j], err = _richardson(q1.central, big, q2.central, big / 2)
                error[j] = err + q2.noise
            return value, error, self.p.evals - before

        return VJPEstimate(
            value=gather("central"),
            magnitude=gather("magnitude"),
            oracle_error=gather("noise"),
            kink_mask=np.array(kinks, dtype=bool),
            evals=self.p.evals - start,
            count=gather("count"),
            one_sided=(gather("forward"), gather("backward")),
            steps=np.full(len(units), h),
            mode="projected",
            method="central",
            arg_index=self.k,
            directions=np.stack(effective) if effective else np.zeros((0, *self.x.shape)),
            _refiner=refine,
        )

    # ---- complex step ----------------------------------------------------------------------

    def _complex(self, h: np.ndarray, *, mode: str, start: int) -> VJPEstimate:
        """``Im f(x + i·h) / h``: no subtraction, so no cancellation; holomorphic f only."""
        g = self.p.g
        value: np.ndarray
        magnitude: np.ndarray
        count: np.ndarray
        if mode == "diagonal":
            out = self._at(self.x + 1j * h)
            contrib = g * np.imag(out) / self._diag_steps(h)
            value, magnitude = self._diag_reduce(contrib), self._diag_reduce(np.abs(contrib))
            count = self._diag_reduce((contrib != 0).astype(np.float64))
        else:
            hs = h.ravel()
            value = np.empty(self.x.size)
            magnitude = np.empty(self.x.size)
            count = np.empty(self.x.size)
            for i in range(self.x.size):
                xc = self.x.astype(np.complex128).ravel()
                xc[i] += 1j * hs[i]
                contrib = g * np.imag(self._at(xc.reshape(self.x.shape))) / hs[i]
                value[i], magnitude[i] = contrib.sum(), np.abs(contrib).sum()
                count[i] = np.count_nonzero(contrib)
            value, magnitude, count = (a.reshape(self.x.shape) for a in (value, magnitude, count))
        return VJPEstimate(
            value=value,
            magnitude=magnitude,
            oracle_error=4 * EPS64 * magnitude,
            kink_mask=np.zeros(self.x.shape, bool),
            evals=self.p.evals - start,
            count=count,
            one_sided=None,
            steps=np.asarray(h),
            mode=mode,
            method="complex",
            arg_index=self.k,
        )


def _check_holomorphic(
    problem: _Problem, wrt: tuple[int, ...], estimates: list[VJPEstimate]
) -> int:
    """Compare the complex-step VJP with one projected central difference (np.var on complex
    input, for instance, has a zero imaginary part and would report a zero gradient)."""
    before = problem.evals
    xs = [np.asarray(problem.args[k], dtype=np.float64) for k in wrt]
    us = [default_directions(x.shape, 1, seed=1)[0] for x in xs]
    h = H_REL * max([1.0] + [float(np.max(np.abs(x), initial=0.0)) for x in xs])
    plus, minus, steps = {}, {}, []
    for k, x, u in zip(wrt, xs, us):
        xp, xm, sp, sm = _perturbed(x, h * u)
        plus[k], minus[k] = xp, xm
        steps.append((sp + sm) / (2 * h))
    fp, fm = problem.call(plus), problem.call(minus)
    contrib = problem.g * (fp - fm) / (2 * h)
    central = float(contrib.sum())
    projected = sum(float(np.sum(e.value * d)) for e, d in zip(estimates, steps))
    scale = float(np.abs(contrib).sum()) + sum(
        float(np.sum(np.abs(e.value * d))) for e, d in zip(estimates, steps)
    )
    noise = 2 * EPS64 / h * float(np.sum(np.abs(problem.g * problem.f0)))
    if not abs(projected - central) <= 1e-5 * scale + noise + 1e-12:
        raise OracleError(
            "reference is not holomorphic: along a test direction the complex step gives "
            f"{projected!r} but central differences give {central!r}; use method='central'"
        )
    return problem.evals - before


def _resolve_mode(mode: str, sizes: Sequence[int], elementwise: bool) -> str:
    if mode not in ("auto", "diagonal", "full", "projected"):
        raise ValueError(f"mode must be 'auto', 'diagonal', 'full' or 'projected', got {mode!r}")
    if mode != "auto":
        return mode
    if elementwise:
        return "diagonal"
    return "full" if sum(sizes) <= FULL_JACOBIAN_MAX else "projected"


def numerical_vjp(
    f: Callable[..., Any],
    args: Sequence[Any],
    g: Any,
    *,
    wrt: int | Sequence[int] | None = None,
    kwargs: Mapping[str, Any] | None = None,
    mode: Mode = "auto",
    method: Method = "central",
    elementwise: bool = False,
    directions: Sequence[np.ndarray] | None = None,
    step: Any = None,
) -> tuple[VJPEstimate, ...]:
    """Estimate ``gᵀ ∂f(*args)/∂args[k]`` for each ``k`` in ``wrt``, in float64.

    ``f`` takes the (float64-promoted) ``args`` positionally plus ``kwargs`` and returns an
    array-like; ``g`` broadcasts to its output. ``wrt`` defaults to every float ndarray or
    float scalar argument. ``mode``: ``"diagonal"`` (elementwise f, 2 calls per argument),
    ``"full"`` (one element at a time, 2n + 1 calls), ``"projected"`` (``directions``: one
    ``(k, *shape)`` array per ``wrt`` argument, default two deterministic ones) or
    ``"auto"`` (diagonal when ``elementwise``, full up to ``FULL_JACOBIAN_MAX`` elements,
    else projected). ``method="complex"`` uses the complex step and is guarded by a
    central-difference check (``OracleError`` if f is not holomorphic). ``step`` overrides
    the relative step with an absolute one (the legacy oracles use it; no refinement then).

    >>> import numpy as np
    >>> (est,) = numerical_vjp(np.exp, [np.array([0.0, 1.0])], np.ones(2), elementwise=True)
    >>> np.allclose(est.value, np.exp([0.0, 1.0]))
    True
    """
    if method not in ("central", "complex"):
        raise ValueError(f"method must be 'central' or 'complex', got {method!r}")
    args = [_to_float64(a) for a in args]
    wrt = _validate_wrt(args, wrt)
    for k in wrt:
        args[k] = np.asarray(args[k], dtype=np.float64)
    problem = _Problem(f, args, kwargs or {})
    problem.set_cotangent(g)
    resolved = _resolve_mode(mode, [args[k].size for k in wrt], elementwise)
    if directions is not None and resolved != "projected":
        raise ValueError(f"directions are used only by mode='projected', not {resolved!r}")
    if directions is None and resolved == "projected":
        directions = [default_directions(args[k].shape) for k in wrt]
    if directions is not None and len(directions) != len(wrt):
        raise ValueError(f"got {len(directions)} direction arrays for {len(wrt)} wrt arguments")
    estimates: list[VJPEstimate] = []
    for j, k in enumerate(wrt):
        oracle = _ArgOracle(problem, k, method)
        if resolved == "diagonal":
            estimates.append(oracle.diagonal(step))
        elif resolved == "full":
            estimates.append(oracle.full(step))
        else:
            assert directions is not None
            estimates.append(oracle.projected(np.asarray(directions[j], dtype=np.float64)))
    extra = 1  # the shared f(x)
    if method == "complex" and estimates:
        extra += _check_holomorphic(problem, wrt, estimates)
    if estimates:
        estimates[0] = replace(estimates[0], evals=estimates[0].evals + extra)
    return tuple(estimates)
