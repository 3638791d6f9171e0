"""Draw the computational graph that produced a tensor, with graphviz (api.md §9, D9).

Call :func:`build_graph` **before** ``backward()``, which clears the graph. It needs the
optional ``graphviz`` package (``pip install 'mygrad-core[graphviz]'``); rendering to a file
also needs Graphviz's ``dot`` program. For example::

    x = mg.tensor([1.0, 2.0])
    f = mg.sum(x * x)
    build_graph(f, names={"x": x, "f": f}, dims=True)  # a graphviz.Digraph
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._graph import Node
from ._tensor import Tensor

if TYPE_CHECKING:
    import graphviz  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = ["build_graph"]

_MISSING_GRAPHVIZ = (
    "mygrad.computational_graph.build_graph needs the optional graphviz package; install it "
    "with `pip install 'mygrad-core[graphviz]'` (rendering files also needs Graphviz's `dot`)"
)


def build_graph(
    fin: Tensor,
    names: dict[str, Any] | None = None,
    *,
    render: bool = True,
    save: bool = False,
    dims: bool = False,
    dtypes: bool = False,
    sum_stats: bool = False,
) -> graphviz.Digraph | None:
    """A graphviz ``Digraph`` of the operations and tensors that produced ``fin``.

    Tensors are labelled by their key in ``names`` (a ``{label: tensor}`` dict, e.g.
    ``locals()``), otherwise by their repr, "Intermediary Tensor" for an op's output that
    ``names`` does not list (or that no longer exists), and "*Constant*" for an input that
    receives no gradient. Op nodes are filled red and labelled by the op's name. ``dims``,
    ``dtypes`` and ``sum_stats`` add each array's shape, dtype and min/median/mean/max.
    ``save=True`` renders the file ``computational_graph`` (and its picture) in the current
    directory. Returns the graph when ``render`` is true, else None.
    """
    _check_arguments(fin, names, render=render, save=save, dims=dims, dtypes=dtypes,
                     sum_stats=sum_stats)
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(_MISSING_GRAPHVIZ) from error

    labeller = _Labeller(names, dims=dims, dtypes=dtypes, sum_stats=sum_stats)
    graph = graphviz.Digraph(strict=True)
    graph.node_attr.update(fontsize="12")
    if fin.creator is None:
        graph.node(f"t{id(fin)}", labeller.variable(fin, fin.data, has_op=False))
    else:
        _draw_from(fin.creator, graph, labeller)
    if save:
        graph.render(filename="computational_graph")
    return graph if render else None


def _check_arguments(fin: Any, names: Any, **flags: Any) -> None:
    if not isinstance(fin, Tensor):
        raise TypeError(f"build_graph: `fin` must be a mygrad Tensor, got {type(fin).__name__}")
    if names is not None and not isinstance(names, dict):
        raise TypeError(
            f"build_graph: `names` must be a dict {{label: tensor}} or None, got "
            f"{type(names).__name__}"
        )
    for flag, value in flags.items():
        if type(value) is not bool:
            raise TypeError(f"build_graph: `{flag}` must be a bool, got {value!r}")


def _draw_from(root: Node, graph: graphviz.Digraph, labeller: _Labeller) -> None:
    """Add every node upstream of ``root``; an explicit stack, so deep graphs cannot recurse."""
    stack = [root]
    seen = {id(root)}
    while stack:
        node = stack.pop()
        tensor_id = _tensor_node(node, graph, labeller)
        if node.op is None:
            continue  # a leaf: no op, no inputs
        op_id = f"op{id(node)}"
        graph.node(op_id, node.op.name, style="filled", fillcolor="red")
        graph.edge(op_id, tensor_id)
        for i, parent in enumerate(node.parents):
            if parent is None:
                graph.edge(_constant_node(node, i, graph, labeller), op_id)
                continue
            graph.edge(f"t{id(parent)}", op_id)
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)


def _tensor_node(node: Node, graph: graphviz.Digraph, labeller: _Labeller) -> str:
    """Draw the tensor that ``node`` produced (alive or not); return its graphviz id."""
    tensor = node.live_tensor()
    node_id = f"t{id(node)}"
    graph.node(node_id, labeller.variable(tensor, node.out, has_op=node.op is not None))
    return node_id


def _constant_node(node: Node, i: int, graph: graphviz.Digraph, labeller: _Labeller) -> str:
    """Draw input ``i`` of ``node``, which gets no gradient; return its graphviz id."""
    value = node.arrays[i]
    # one graphviz node per ndarray, so a constant shared by several ops is drawn once
    node_id = f"c{id(value)}" if type(value) is np.ndarray else f"c{id(node)}_{i}"
    graph.node(node_id, labeller.constant(value))
    return node_id


class _Labeller:
    """Node labels: a name from ``names`` or a default, plus the requested annotations."""

    def __init__(
        self, names: dict[str, Any] | None, *, dims: bool, dtypes: bool, sum_stats: bool
    ) -> None:
        self._names = names
        # tensors and arrays are matched by identity (they are unhashable or compare elementwise)
        self._by_id: dict[int, str] = {}
        for label, value in (names or {}).items():
            if isinstance(value, (Tensor, np.ndarray)):
                self._by_id.setdefault(id(value), str(label))
        self._dims, self._dtypes, self._sum_stats = dims, dtypes, sum_stats

    def variable(self, tensor: Tensor | None, data: np.ndarray, *, has_op: bool) -> str:
        name = None if tensor is None else self._by_id.get(id(tensor))
        if name is None:
            if tensor is None or (self._names is not None and has_op):
                name = "Intermediary Tensor"
            else:
                name = repr(tensor)
        return self._annotate(name, data)

    def constant(self, value: Any) -> str:
        name = self._by_id.get(id(value)) or self._named_tensor_over(value)
        label = "*Constant*" if name is None else f"{name}\n*Constant*"
        return self._annotate(label, np.asarray(value))

    def _named_tensor_over(self, array: Any) -> str | None:
        """The name of a listed constant tensor whose data is ``array``, if any."""
        for label, value in (self._names or {}).items():
            if isinstance(value, Tensor) and value.data is array:
                return str(label)
        return None

    def _annotate(self, label: str, data: np.ndarray) -> str:
        lines = [label]
        if self._dims:
            lines.append(f"shape: {data.shape}")
        if self._dtypes:
            lines.append(f"dtype: {data.dtype}")
        if self._sum_stats:
            lines.append(_stats(data))
        return "\n".join(lines)


def _stats(data: np.ndarray) -> str:
    if data.size == 0:
        return "(empty)"
    values = data.astype(np.float64) if data.dtype.kind == "b" else data
    return (
        f"min: {np.min(values):.4g}, median: {np.median(values):.4g}, "
        f"mean: {np.mean(values):.4g}, max: {np.max(values):.4g}"
    )
