"""Everything the chain-rule lesson shows for one function at one point, in one call.

This is the lesson's per-keystroke path: syntax tree in, graph, layout, both passes, the chain
of links and the derivation steps out, with no sympy (the simplified final form comes from the
symbolic engine a moment later).
"""

from __future__ import annotations

from dataclasses import dataclass

from calcstudio.core.chain.graph import ComputationalGraph, Passes, build_graph, passes
from calcstudio.core.chain.layout import Layout, layered_layout
from calcstudio.core.chain.steps import Link, Step, chain_and_steps, chain_product
from calcstudio.core.language import SyntaxTree


@dataclass(frozen=True)
class Explanation:
    """The chain rule at work on one function at one point.

    Attributes
    ----------
    text
        The function as typed.
    graph, layout, result
        The computational graph, where its nodes go, and its forward and backward passes.
    point
        The value of each variable.
    links
        The chain of links (outer to inner) for the first variable.
    product
        f′ as the unsimplified product of the links' slopes, or None.
    steps
        The derivation steps, one list per variable (partial derivatives for several).
    """

    text: str
    graph: ComputationalGraph
    layout: Layout
    result: Passes
    point: dict[str, float]
    links: tuple[Link, ...]
    product: str | None
    steps: dict[str, tuple[Step, ...]]

    @property
    def gradient(self) -> tuple[float, ...]:
        """f′(a), or the partial derivatives of f at the point, from the backward pass."""
        return self.result.gradient(self.graph)


def explain(tree: SyntaxTree, text: str, point: dict[str, float]) -> Explanation:
    """Build the graph of ``tree`` and work both passes and the derivation at ``point``.

    Parameters
    ----------
    tree
        The parsed function.
    text
        Its text as typed (constants are labelled with their typed form).
    point
        A value for each of the tree's variables.
    """
    graph = build_graph(tree, text)
    result = passes(graph, point)
    links, steps = chain_and_steps(graph, result)
    return Explanation(
        text,
        graph,
        layered_layout(graph),
        result,
        dict(point),
        tuple(links),
        chain_product(links),
        {name: tuple(found) for name, found in steps.items()},
    )
