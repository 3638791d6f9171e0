"""mygrad.testing: hypothesis strategies, finite-difference oracles and op certification.

Certify a registered op (one written with ``mygrad.extend.defop``) in a test module:

>>> import numpy as np
>>> from mygrad.testing import Hints, certify
>>> from mygrad.extend import defop
>>> @defop(name="doc_cube")
... def doc_cube(x):
...     return x ** 3
>>> @doc_cube.vjp
... def _doc_cube_vjp(g, out, x):
...     return 3 * g * x ** 2
>>> TestDocCube = certify(doc_cube, hints=Hints(reference=lambda x: x ** 3))
>>> sorted(name for name in vars(TestDocCube) if name.startswith("test_"))[:3]
['test_constant', 'test_dtype', 'test_forward']

Everything here is re-exported from its home module: ``mygrad.testing.strategies``,
``mygrad.testing.oracles``, ``mygrad.testing.certify``, ``mygrad.testing.checkers``.
"""

from mygrad.extend import clear_all_mem_locking_state

from . import oracles as _oracles
from . import strategies as _strategies
from .certify import OpSpec, SampleCall, certification_cases, certify, check
from .certify.compat import backprop_test_factory, fwdprop_test_factory
from .checkers import check_consistent_grad_dtype, expected_constant, is_float_arr
from .hints import Call, Domain, Hints
from .oracles import *  # noqa: F403
from .strategies import *  # noqa: F403

__all__ = [
    "certify",
    "certification_cases",
    "check",
    "OpSpec",
    "SampleCall",
    "Hints",
    "Call",
    "Domain",
    "expected_constant",
    "check_consistent_grad_dtype",
    "is_float_arr",
    "clear_all_mem_locking_state",
    "fwdprop_test_factory",
    "backprop_test_factory",
    *_strategies.__all__,
    *_oracles.__all__,
]
