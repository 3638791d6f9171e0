"""Hatch metadata hook: require mygrad-core at exactly this distribution's own version.

The three mygrad distributions move in lockstep. Hatchling resolves ``version`` (from core's
``_version.py``, see ``[tool.hatch.version]``) before running metadata hooks, so the pin is
derived from it here rather than written by hand. The other requirements are listed under
``[tool.hatch.metadata.hooks.custom]`` in pyproject.toml. Building from an sdist skips this
hook: hatchling then reads version and dependencies from PKG-INFO.
"""

from __future__ import annotations

from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface


class PinCoreMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        others = list(self.config.get("dependencies", []))
        metadata["dependencies"] = [f"mygrad-core=={metadata['version']}", *others]
