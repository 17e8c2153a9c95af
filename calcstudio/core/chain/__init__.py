"""The chain rule lesson's maths, Qt-free.

- :mod:`.graph`: the expression as a computational graph; forward values, backward adjoints.
- :mod:`.steps`: the chain of links A(B(C(x))) and the derivation steps with their rules.
- :mod:`.formula`: small formulas in the expression language, with the brackets they need.
- :mod:`.layout`: a layered layout of the graph, inputs left, output right.
- :mod:`.depth`: deep chains whose gradients vanish or explode.
- :mod:`.explain`: all of it for one function at one point (the lesson's per-keystroke path).
"""

from __future__ import annotations

from calcstudio.core.chain.depth import DeepChain, chain_text, deep_chain
from calcstudio.core.chain.explain import Explanation, explain
from calcstudio.core.chain.graph import ComputationalGraph, GraphNode, Passes, build_graph, passes
from calcstudio.core.chain.steps import Link, Step

__all__ = [
    "ComputationalGraph",
    "DeepChain",
    "Explanation",
    "GraphNode",
    "Link",
    "Passes",
    "Step",
    "build_graph",
    "chain_text",
    "deep_chain",
    "explain",
    "passes",
]
