"""Certify every op mygrad-nnet registers (layers composed from core ops register none)."""

from mygrad.testing import certification_cases, certify

TestNnetOps = certify(certification_cases(package="mygrad.nnet"))
