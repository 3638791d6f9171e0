"""TODO (#3): upstream-compatible top-level names: submodules (random, linalg, math,
no_grad_funcs, operation_base, tensor_base, ...), dtype mirrors, constants, execute_op,
save/load, sliding_window_view."""

__all__: list[str] = []
