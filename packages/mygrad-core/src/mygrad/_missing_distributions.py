"""A clear error for ``import mygrad.nnet`` / ``mygrad.testing`` when that distribution
is not installed (the three distributions share the ``mygrad`` namespace)."""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from typing import Any

_DISTRIBUTIONS = {"mygrad.nnet": "mygrad-nnet", "mygrad.testing": "mygrad-testing"}


class _MissingDistributionFinder(MetaPathFinder):
    """Consulted last: only reached when no installed distribution provides the module."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        dist = _DISTRIBUTIONS.get(fullname)
        # answer only a real import of the subpackage, not a probe along another path
        if dist is not None and path is getattr(sys.modules.get("mygrad"), "__path__", None):
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: it is provided by the {dist!r} distribution; "
                f"install it with `pip install {dist}`",
                name=fullname,
            )
        return None


def install() -> None:
    if not any(isinstance(f, _MissingDistributionFinder) for f in sys.meta_path):
        sys.meta_path.append(_MissingDistributionFinder())
