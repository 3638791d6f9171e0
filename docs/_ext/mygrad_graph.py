"""The ``mygrad-graph`` directive: run Python code and draw the graph it builds.

Its content is shown as a code block and then executed with ``np``, ``mg`` and
``build_graph`` in scope; the code must bind ``graph`` to the ``graphviz.Digraph`` that
``mygrad.computational_graph.build_graph`` returns. The picture is drawn from that graph's
dot source by ``sphinx.ext.graphviz`` (Graphviz's ``dot``), so it always shows what the
current code produces. An exception in the code fails the build.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util.docutils import SphinxDirective


class MygradGraph(SphinxDirective):
    has_content = True
    optional_arguments = 0
    option_spec: dict[str, Any] = {}

    def run(self) -> list[nodes.Node]:
        import numpy as np

        import mygrad as mg
        from mygrad.computational_graph import build_graph

        code = "\n".join(self.content)
        namespace: dict[str, Any] = {"np": np, "mg": mg, "build_graph": build_graph}
        exec(compile(code, f"<mygrad-graph in {self.env.docname}>", "exec"), namespace)
        graph = namespace.get("graph")
        if graph is None or not hasattr(graph, "source"):
            raise self.error("mygrad-graph: the code must bind `graph` to build_graph's result")

        literal = nodes.literal_block(code, code, language="python")
        picture = graphviz()
        picture["code"] = graph.source
        picture["options"] = {"docname": self.env.docname}
        picture["alt"] = "computational graph drawn by mygrad.computational_graph.build_graph"
        picture["classes"] = ["mygrad-graph"]
        return [literal, picture]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("mygrad-graph", MygradGraph)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
