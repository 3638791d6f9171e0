"""``mygrad.computational_graph.build_graph`` (api.md §9, D9).

Needs the ``graphviz`` Python package (the ``mygrad-core[graphviz]`` extra) and Graphviz's
``dot`` program, which renders the graphs these tests read back (as JSON or SVG).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.computational_graph import build_graph

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Drawn:
    """A graph as ``dot`` laid it out: node labels, fills and edges between labels."""

    labels: dict[str, str]  # graphviz node id -> label
    fills: dict[str, str | None]
    edges: set[tuple[str, str]]  # (tail label, head label)
    id_edges: set[tuple[str, str]]  # (tail id, head id)

    def ops(self) -> list[str]:
        return sorted(label for n, label in self.labels.items() if self.fills[n] == "red")

    def nodes_labelled(self, label: str) -> list[str]:
        return [n for n, lab in self.labels.items() if lab == label]

    def canonical_edges(self) -> set[tuple[str, str]]:
        """Edges with each op node named "<op> -> <label of the tensor it produced>"."""
        name = dict(self.labels)
        for tail, head in self.id_edges:
            if self.fills[tail] == "red":
                name[tail] = f"{self.labels[tail]} -> {self.labels[head]}"
        return {(name[t], name[h]) for t, h in self.id_edges}


def drawn(graph) -> Drawn:
    """Run ``dot`` on the graph and read the nodes and edges it laid out."""
    layout = json.loads(graph.pipe(format="json"))
    objects = layout.get("objects", [])
    labels = {o["name"]: o["label"] for o in objects}
    fills = {o["name"]: o.get("fillcolor") for o in objects}
    names = [o["name"] for o in objects]
    id_edges = {(names[e["tail"]], names[e["head"]]) for e in layout.get("edges", [])}
    edges = {(labels[t], labels[h]) for t, h in id_edges}
    return Drawn(labels, fills, edges, id_edges)


def test_renders_an_svg_with_every_tensor_and_op():
    x = mg.tensor([1.0, 2.0])
    w = mg.tensor([3.0, -1.0])
    c = mg.tensor([0.5, 0.5], constant=True)
    f = mg.sum(x * w + c)
    graph = build_graph(f, names={"x": x, "w": w, "c": c, "f": f})
    svg = ET.fromstring(graph.pipe(format="svg"))
    nodes = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = "\n".join(t.text for t in g.iter(f"{SVG}text"))
            shape = next(iter(g.iter(f"{SVG}ellipse")))
            nodes[text] = shape.get("fill")
    assert nodes == {
        "x": "none",
        "w": "none",
        "c\n*Constant*": "none",
        "f": "none",
        "Intermediary Tensor": "none",
        "multiply": "red",
        "add": "red",
        "sum": "red",
    }
    edges = sum(1 for g in svg.iter(f"{SVG}g") if g.get("class") == "edge")
    assert edges == 8  # x, w -> multiply -> t; t, c -> add -> t; t -> sum -> f


def test_edges_run_from_inputs_through_ops_to_outputs():
    x = mg.tensor([1.0, 2.0])
    y = mg.exp(x)
    f = y * x
    d = drawn(build_graph(f, names={"x": x, "y": y, "f": f}))
    assert d.ops() == ["exp", "multiply"]
    assert d.edges == {
        ("x", "exp"),
        ("exp", "y"),
        ("y", "multiply"),
        ("x", "multiply"),
        ("multiply", "f"),
    }


def test_default_labels_are_reprs_and_dead_intermediates():
    x = mg.tensor([1.0, 2.0])
    f = (x * 2.0) * 3.0  # the inner product is gone: only its node remains
    d = drawn(build_graph(f))
    assert d.nodes_labelled(repr(x)) and d.nodes_labelled(repr(f))
    assert len(d.nodes_labelled("Intermediary Tensor")) == 1
    assert len(d.nodes_labelled("*Constant*")) == 2  # the scalars 2.0 and 3.0


def test_with_names_unlisted_intermediates_are_intermediary_and_unlisted_leaves_reprs():
    x = mg.tensor([1.0, 2.0])
    w = mg.tensor([3.0, 4.0])
    y = x * w
    f = mg.sum(y)
    d = drawn(build_graph(f, names={"x": x, "f": f, "not a tensor": 3}))
    assert set(d.labels.values()) == {"x", repr(w), "Intermediary Tensor", "multiply", "sum", "f"}


def test_a_constant_array_shared_by_two_ops_is_drawn_once():
    arr = np.array([1.0, 2.0])
    x = mg.tensor([3.0, 4.0])
    f = x * arr + arr
    d = drawn(build_graph(f, names={"arr": arr}))
    assert len(d.nodes_labelled("arr\n*Constant*")) == 1
    assert {("arr\n*Constant*", "multiply"), ("arr\n*Constant*", "add")} <= d.edges


def test_annotations_match_numpy():
    x_arr = np.array([[1.0, 2.0, 7.0], [4.0, -5.0, 6.0]], dtype=np.float32)
    x = mg.tensor(x_arr)
    f = mg.sum(x)
    d = drawn(build_graph(f, names={"x": x, "f": f}, dims=True, dtypes=True, sum_stats=True))
    label = next(lab for lab in d.labels.values() if lab.startswith("x\n"))
    name, shape, dtype, stats = label.split("\n")
    assert shape == f"shape: {x_arr.shape}" and dtype == "dtype: float32"
    expected = (np.min(x_arr), np.median(x_arr), np.mean(x_arr), np.max(x_arr))
    assert [float(part.split(": ")[1]) for part in stats.split(", ")] == pytest.approx(expected)
    assert d.labels[next(iter(d.nodes_labelled("sum")))] == "sum"  # ops are not annotated


OPS = {
    "multiply": lambda a, b: a * b,
    "add": lambda a, b: a + b,
    "subtract": lambda a, b: a - b,
    "maximum": lambda a, b: mg.maximum(a, b),
}


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(OPS)), st.integers(0, 99), st.integers(0, 99)),
        min_size=1,
        max_size=8,
    )
)
def test_the_drawing_is_the_graph(steps):
    """Random graphs over named tensors: exactly the ops and edges upstream are drawn."""
    tensors = [mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])]
    inputs_of: dict[str, tuple[str, str, str]] = {}  # output name -> (op, input, input)
    for op, i, j in steps:
        a, b = i % len(tensors), j % len(tensors)
        tensors.append(OPS[op](tensors[a], tensors[b]))
        inputs_of[f"t{len(tensors) - 1}"] = (op, f"t{a}", f"t{b}")
    final = f"t{len(tensors) - 1}"
    expected, stack, seen = set(), [final], {final}
    while stack:  # the edges upstream of the final tensor
        out = stack.pop()
        if out not in inputs_of:
            continue
        op, a, b = inputs_of[out]
        op_node = f"{op} -> {out}"
        expected |= {(a, op_node), (b, op_node), (op_node, out)}
        stack += [t for t in (a, b) if t not in seen]
        seen |= {a, b}
    names = {f"t{n}": t for n, t in enumerate(tensors)}
    assert drawn(build_graph(tensors[-1], names=names)).canonical_edges() == expected


def test_a_tensor_without_a_creator_is_a_single_node():
    x = mg.tensor([1.0, 2.0])
    f = x * 2
    f.backward()  # clears the graph: f is a leaf now
    for t in (x, f):
        d = drawn(build_graph(t, names={"t": t}))
        assert list(d.labels.values()) == ["t"] and d.edges == set()


def test_drawing_leaves_the_graph_working():
    x = mg.tensor([1.0, 2.0])
    f = mg.sum(mg.exp(x) * x)
    build_graph(f, dims=True, dtypes=True, sum_stats=True)
    assert not x.data.flags.writeable  # still guarded by the live graph
    f.backward()
    np.testing.assert_allclose(x.grad, np.exp(x.data) * (x.data + 1))


def test_a_deep_chain_is_walked_without_recursion():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        x = mg.tensor(1.0)
        y = x
        for _ in range(10_000):
            y = y * 1.0
        graph = build_graph(y)
    finally:
        sys.setrecursionlimit(old)
    # x, 10,000 ops, their outputs and their scalar constants, and the edges between them
    nodes = [line for line in graph.body if "->" not in line]
    assert len(nodes) == 1 + 3 * 10_000


def test_save_renders_the_file_computational_graph(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = mg.tensor([1.0, 2.0])
    graph = build_graph(mg.sum(x * x), names={"x": x}, save=True)
    assert (tmp_path / "computational_graph").read_text() == graph.source
    rendered = tmp_path / f"computational_graph.{graph.format}"
    assert rendered.stat().st_size > 0


def test_render_false_returns_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = mg.tensor([1.0, 2.0])
    assert build_graph(x * x, render=False) is None
    assert build_graph(x * x, render=False, save=True) is None
    assert (tmp_path / "computational_graph").exists()


def test_without_graphviz_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    x = mg.tensor([1.0, 2.0])
    f = x * x
    with pytest.raises(ImportError, match=r"mygrad-core\[graphviz\]"):
        build_graph(f)
    assert f.creator is not None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fin": np.ones(2)}, "`fin`.*ndarray"),
        ({"names": [("x", 1)]}, "`names`.*list"),
        ({"render": 1}, "`render`"),
        ({"save": "yes"}, "`save`"),
        ({"dims": None}, "`dims`"),
        ({"dtypes": 0}, "`dtypes`"),
        ({"sum_stats": "no"}, "`sum_stats`"),
    ],
)
def test_arguments_are_type_checked(tmp_path, monkeypatch, kwargs, match):
    monkeypatch.chdir(tmp_path)
    x = mg.tensor([1.0, 2.0])
    arguments = {"fin": x * x, **kwargs}
    with pytest.raises(TypeError, match=match):
        build_graph(**arguments)
    assert not (tmp_path / "computational_graph").exists()
