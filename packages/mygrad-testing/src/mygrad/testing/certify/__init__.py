"""Op certification: every registered op is checked against NumPy and the oracle.

>>> from mygrad.testing.certify import certification_cases, certify
>>> TestCoreOps = certify(certification_cases(package="mygrad"))  # doctest: +SKIP
"""

from .harness import RunStats, applicable, certification_cases, certify, check, run_property
from .properties import PROPERTIES
from .sample import ABSENT, SampleCall
from .spec import OpSpec, as_spec

__all__ = [
    "certify",
    "certification_cases",
    "check",
    "run_property",
    "applicable",
    "RunStats",
    "OpSpec",
    "as_spec",
    "SampleCall",
    "ABSENT",
    "PROPERTIES",
]
