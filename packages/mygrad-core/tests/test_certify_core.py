"""Certify every op mygrad-core registers: one test per property, parametrized by op.

A new ``defop`` is certified on the next run; one without a hints row whose parameters
certify cannot draw fails, naming them; ``test_coverage`` fails for an uncertified op.
"""

from mygrad.testing import certification_cases, certify

TestCoreOps = certify(certification_cases(package="mygrad"))
