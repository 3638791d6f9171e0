"""OpSpec: everything certification needs to know about one op, as plain facts.

An OpSpec joins a registered op's declared facts (``mygrad.extend.ops()[name]``) with its
hints row (``mygrad.testing.hints.HINTS[name]``). It can also be built directly for a
function that is not in the registry (:meth:`OpSpec.from_function`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import OpDef, ops

from ..hints import HINTS, Hints
from ..hints._row import GE_ONE, NONZERO, POSITIVE, REAL, UNIT_OPEN, Domain

__all__ = ["OpSpec", "as_spec"]

# parameters every ufunc front end has; they are certified by the ufunc properties
_UFUNC_KWARGS = frozenset({"out", "where", "dtype", "constant"})
# parameters certify draws by itself for reductions
_REDUCTION_DEFAULTS = frozenset({"axis", "keepdims"})
_NAMED_DOMAINS = {
    "real": REAL,
    "positive": POSITIVE,
    "nonzero": NONZERO,
    "unit_open": UNIT_OPEN,
    "ge_one": GE_ONE,
}


@dataclass(frozen=True, eq=False)
class OpSpec:
    """The facts of one op under certification.

    ``function`` is the public callable; ``reference(*arrays, **params)`` computes the
    expected output on plain ndarrays (NumPy's counterpart, a hints ``reference``, or the
    op's own forward). ``missing`` names required parameters that neither the hints row nor
    the op's kind says how to draw: every property of such a spec fails.
    """

    name: str
    function: Callable[..., Any]
    hints: Hints = field(default_factory=Hints)
    kind: str = "function"
    arrays: int | str = 1
    view: bool | str = False
    differentiable: bool | str = True
    method: tuple[str, ...] = ()
    numpy: Callable[..., Any] | None = None
    package: str = ""
    has_row: bool = True
    missing: tuple[str, ...] = ()
    # the op's plain-array forward: the reference of last resort
    forward: Callable[..., Any] | None = None
    saves: bool = False
    declared_domain: Domain | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_opdef(cls, op: OpDef, hints: Hints | None = None) -> OpSpec:
        """Join a registered op with ``hints`` (default: its row in ``HINTS``, if any)."""
        row = HINTS.get(op.name) if hints is None else hints
        method = op.method if isinstance(op.method, tuple) else ((op.method,) if op.method else ())
        spec = cls(
            name=op.name,
            function=op.public,
            hints=row if row is not None else Hints(),
            kind=op.kind,
            arrays=op.arrays,
            view=op.view,
            differentiable=op.differentiable,
            method=method,
            numpy=op.numpy,
            package=op.package,
            has_row=row is not None,
            forward=op.forward,
            saves=bool(op.saves),
            declared_domain=_as_domain(op.domain),
        )
        return replace(spec, missing=spec._missing_params())

    @classmethod
    def from_function(
        cls,
        function: Callable[..., Any],
        *,
        name: str | None = None,
        arrays: int | str = 1,
        kind: str = "function",
        view: bool | str = False,
        method: str | tuple[str, ...] | None = None,
        hints: Hints | None = None,
    ) -> OpSpec:
        """A spec for a mygrad function that is not a registered op (composite code).

        Without a hints ``reference`` the function itself, run under ``mg.no_autodiff``,
        is the reference, so its gradients are still certified by finite differences.
        """
        methods = method if isinstance(method, tuple) else ((method,) if method else ())
        spec = cls(
            name=name or str(getattr(function, "__name__", repr(function))),
            function=function,
            hints=hints if hints is not None else Hints(),
            kind=kind,
            arrays=arrays,
            view=view,
            method=methods,
            package=getattr(function, "__module__", "") or "",
            has_row=hints is not None,
        )
        return replace(spec, missing=spec._missing_params())

    @classmethod
    def from_operation(
        cls,
        op_class: type,
        *,
        reference: Callable[..., Any] | None = None,
        params: tuple[str, ...] | list[str] = ("x",),
        name: str | None = None,
        hints: Hints | None = None,
    ) -> OpSpec:
        """A spec for an upstream-style ``mygrad.operation_base.Operation`` subclass, run
        through ``mg.execute_op``; ``params`` names its tensor inputs (float tensors drawn
        by the harness), other keyword arguments come from ``hints.params``.

        Without a ``reference`` the operation's own forward is the reference, so its
        ``backward_var`` is still certified against finite differences of it.
        """
        op_name = name or op_class.__name__

        def run(*tensors: Any, constant: bool | None = None, **kwargs: Any) -> Any:
            return mg.execute_op(op_class, *tensors, op_kwargs=kwargs, constant=constant)

        run.__name__ = run.__qualname__ = op_name
        row = hints if hints is not None else Hints()
        if reference is not None:
            row = replace(row, reference=reference)
        view = "maybe" if getattr(op_class, "can_return_view", False) else False
        return cls.from_function(run, name=op_name, arrays=len(params), view=view, hints=row)

    @classmethod
    def from_nondifferentiable(
        cls, func: Callable[..., Any], how: str, hints: Hints | None = None
    ) -> OpSpec:
        """A spec for a NumPy function that mygrad runs without a gradient (api.md §6.1):
        ``how`` is ``"boolean"``, ``"constant_only"`` or ``"passthrough"``. The function
        under test is ``func`` itself, called on tensors (so dispatch is what is certified).
        """
        name = getattr(func, "__name__", repr(func))
        row = HINTS.get(name) if hints is None else hints
        is_ufunc = isinstance(func, np.ufunc)
        n_arrays = func.nin if is_ufunc else _required_positional(func)  # type: ignore[attr-defined]
        spec = cls(
            name=name,
            function=func,
            hints=row if row is not None else Hints(),
            kind="ufunc" if is_ufunc else "function",
            arrays=n_arrays or 1,
            differentiable=False if how == "passthrough" else how,
            numpy=func,
            package="mygrad",
            has_row=row is not None,
        )
        if n_arrays is None and (row is None or row.calls is None):
            # no signature to read: the row must say how to call it
            return replace(spec, missing=("<its arguments: give the row a `calls` strategy>",))
        return spec

    def with_hints(self, hints: Hints) -> OpSpec:
        """The same op under a different hints row."""
        spec = replace(self, hints=hints, has_row=True, missing=())
        return replace(spec, missing=spec._missing_params())

    # ------------------------------------------------------------------ facts
    @property
    def is_ufunc(self) -> bool:
        return self.kind == "ufunc"

    @property
    def is_sequence(self) -> bool:
        return self.arrays == "sequence"

    @property
    def forward_exact(self) -> bool:
        if self.hints.forward_exact is not None:
            return self.hints.forward_exact
        return self.is_ufunc or self.view is not False or self._reference_is_own_forward

    @property
    def _reference_is_own_forward(self) -> bool:
        return self.hints.reference is None and self.numpy is None

    @property
    def supports_where(self) -> bool:
        return self.is_ufunc and "where" in self._signature().parameters

    def grad_domain_of(self, index: int) -> Domain:
        """The element domain of array ``index`` in VJP draws."""
        if self.hints.grad_domain is None and self.declared_domain is not None:
            return self.declared_domain
        return self.hints.domain_of(index, for_grad=True)

    # ------------------------------------------------------------------ calling
    def call(self, args: tuple[Any, ...], params: Mapping[str, Any], **extra: Any) -> Any:
        """Call the public function with array arguments ``args`` and keyword ``params``."""
        return self._invoke(self.function, self._arrays_as_varargs(), args, params, extra, ())

    def call_numpy(self, args: tuple[Any, ...], params: Mapping[str, Any], **extra: Any) -> Any:
        """Call the NumPy counterpart (``np.<f>``) on the same arguments (for dispatch).

        Params NumPy knows by name go by keyword. A leading run of params it does not know
        (mygrad keeps upstream's ``newshape`` where NumPy 2 says ``shape``) goes
        positionally, right after the arrays.
        """
        assert self.numpy is not None
        varargs = bool(self.hints.leading_params) or not self.is_sequence
        known = _parameter_names(self.numpy)
        positional: list[str] = []
        if known is not None:
            for name in self.param_order():
                if name not in params or name in known:
                    break
                positional.append(name)
        return self._invoke(self.numpy, varargs, args, params, extra, tuple(positional))

    def _invoke(
        self,
        fn: Callable[..., Any],
        varargs: bool,
        args: tuple[Any, ...],
        params: Mapping[str, Any],
        extra: Mapping[str, Any],
        positional: tuple[str, ...],
    ) -> Any:
        lead = self.hints.leading_params
        leading = tuple(params[name] for name in lead)
        trailing = tuple(params[name] for name in positional)
        rest = {k: v for k, v in params.items() if k not in lead and k not in positional}
        if self.is_sequence and not varargs:
            return fn(*leading, list(args), *trailing, **rest, **extra)
        return fn(*leading, *args, *trailing, **rest, **extra)

    def param_order(self) -> tuple[str, ...]:
        """The non-array params in the op's own order (its forward's, which ``Call.params``
        and the hints use), for passing them positionally to methods and NumPy."""
        if self.forward is None or self.is_ufunc:
            return tuple(name for name, _ in self.param_names())
        try:
            sig = inspect.signature(self.forward)
        except (TypeError, ValueError):
            return ()
        plain = [
            p for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        n_arrays = 0 if self.is_sequence else int(self.arrays)
        skipped = {"saved", "needs", *self.hints.leading_params}
        return tuple(p.name for p in plain[n_arrays:] if p.name not in skipped)

    @property
    def elementwise(self) -> bool:
        """Every output element depends on one element of each input (not matmul)."""
        return self.is_ufunc and getattr(self.numpy, "signature", None) is None

    def reference(self, arrays: tuple[Any, ...], params: Mapping[str, Any]) -> np.ndarray:
        """The expected output for plain-array (or Python scalar) inputs."""
        with np.errstate(all="ignore"):
            if self.hints.reference is not None:
                out = self.hints.reference(*arrays, **params)
            elif self.numpy is not None:
                out = self.call_numpy(arrays, params)
            elif self.forward is not None:
                out = self.forward(*arrays, **params)
                if self.saves:
                    out = out[0]
            else:
                with mg.no_autodiff:
                    out = self.call(arrays, params)
        if isinstance(out, mg.Tensor):
            out = out.data
        return out if type(out) is np.ndarray else np.asarray(out)

    # ------------------------------------------------------------------ parameters
    def _signature(self) -> inspect.Signature:
        try:
            return inspect.signature(self.function)
        except (TypeError, ValueError):
            return inspect.Signature()

    def _arrays_as_varargs(self) -> bool:
        """Whether a sequence op takes its arrays as ``*arrays`` (else as one list)."""
        params = list(self._signature().parameters.values())
        return self.is_sequence and bool(params) and params[0].kind is params[0].VAR_POSITIONAL

    def param_names(self) -> tuple[tuple[str, bool], ...]:
        """``(name, required)`` for every non-array parameter of the public function."""
        params = [
            p
            for p in self._signature().parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        n_inputs = 0 if self._arrays_as_varargs() else (1 if self.is_sequence else int(self.arrays))
        rest = params[n_inputs:]
        skipped = _UFUNC_KWARGS if self.is_ufunc else frozenset({"constant"})
        skipped |= set(self.hints.leading_params)
        return tuple((p.name, p.default is p.empty) for p in rest if p.name not in skipped)

    def _missing_params(self) -> tuple[str, ...]:
        if self.hints.calls is not None:
            return ()
        drawable = set(self.hints.params)
        if self.kind == "reduction":
            drawable |= _REDUCTION_DEFAULTS
        return tuple(
            name for name, required in self.param_names() if required and name not in drawable
        )

    def default_params(self) -> tuple[str, ...]:
        """Parameters certify draws itself (present in the signature, not in the hints)."""
        names = {name for name, _ in self.param_names()}
        if self.kind != "reduction":
            return ()
        return tuple(sorted((_REDUCTION_DEFAULTS & names) - set(self.hints.params)))

    def __repr__(self) -> str:
        return f"OpSpec({self.name!r}, kind={self.kind!r}, view={self.view!r})"


def _required_positional(fn: Callable[..., Any]) -> int | None:
    """How many array arguments a NumPy function needs: its required positional params
    (two for ``*arrays``); None when it has no readable signature."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return 2
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in params if p.kind in positional and p.default is p.empty)


def _parameter_names(fn: Callable[..., Any]) -> frozenset[str] | None:
    try:
        return frozenset(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return None


def _as_domain(declared: Any) -> Domain | None:
    """``defop``'s ``domain`` fact: a Domain, a named domain, or anything with low/high."""
    if declared is None:
        return None
    if isinstance(declared, Domain):
        return declared
    if isinstance(declared, str):
        try:
            return _NAMED_DOMAINS[declared.lower()]
        except KeyError:
            raise ValueError(
                f"unknown domain name {declared!r}; use one of {sorted(_NAMED_DOMAINS)} "
                "or a mygrad.testing.hints.Domain"
            ) from None
    low, high = getattr(declared, "low", None), getattr(declared, "high", None)
    if low is None or high is None:
        raise TypeError(f"an op's domain must be a Domain or a domain name, got {declared!r}")
    return Domain(float(low), float(high), tuple(getattr(declared, "exclude", ())))


def as_spec(obj: Any, hints: Hints | None = None) -> OpSpec:
    """An OpSpec for ``obj``: an OpSpec, an OpDef, a registered op's public callable, or
    a registered op's name."""
    if isinstance(obj, OpSpec):
        return obj if hints is None else obj.with_hints(hints)
    if isinstance(obj, OpDef):
        return OpSpec.from_opdef(obj, hints)
    if isinstance(obj, str):
        try:
            return OpSpec.from_opdef(ops()[obj], hints)
        except KeyError:
            raise KeyError(f"no registered op named {obj!r}") from None
    op = getattr(obj, "op", None) or getattr(obj, "_op", None)
    if isinstance(op, OpDef):
        return OpSpec.from_opdef(op, hints)
    raise TypeError(
        f"cannot certify {obj!r}: pass an OpSpec, an OpDef, a registered op's public "
        "function or its name (use OpSpec.from_function for other functions)"
    )
