"""TODO: filled in by the ops issue (#3)."""

__all__: list[str] = []
