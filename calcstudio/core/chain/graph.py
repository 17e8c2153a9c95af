"""An expression as a computational graph: a forward pass of values, a backward pass of adjoints.

Inputs (one node per variable, however often it is used) and constants are the leaves; each
operation of the syntax tree is one node. The forward pass writes each node's value at a point;
the backward pass starts with ∂f/∂f = 1 at the output and, node by node from the output back to
the inputs, multiplies each node's adjoint ∂f/∂node by its local derivatives and adds the
products into its inputs' adjoints. The adjoints of the inputs are then the partial derivatives
of f: all of them from one backward pass, which is why backpropagation is cheap.

Local derivatives come from the same rules as the window's fast path
(:func:`calcstudio.core.jets.derivative_evaluators`), applied to each node alone, so the two
agree to rounding and share every convention (the slope chosen at a kink, say).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calcstudio.core.jets import jet_at
from calcstudio.core.language import Node, SyntaxTree

OPERATION_LABELS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "^", "neg": "−"}
"""How a node of each operation is labelled (calls are labelled with the function's name)."""
_PLACEHOLDER = "u"


@dataclass(frozen=True)
class GraphNode:
    """One node of the graph.

    Attributes
    ----------
    kind
        ``"input"``, ``"constant"``, or the operation: ``add``, ``sub``, ``mul``, ``div``,
        ``pow``, ``neg``, ``call``.
    label
        What the node shows: the variable, the constant, the operator or the function name.
    text
        The part of the typed text this node computes.
    inputs
        The indices of the nodes it takes, in order.
    """

    kind: str
    label: str
    text: str
    inputs: tuple[int, ...]


@dataclass(frozen=True)
class ComputationalGraph:
    """The graph of one syntax tree; nodes are in an order where inputs come first.

    Attributes
    ----------
    nodes
        Every node; a node's inputs always have smaller indices.
    variables
        The function's variables, in the tree's order.
    output
        The index of the node whose value is f.
    """

    nodes: tuple[GraphNode, ...]
    variables: tuple[str, ...]
    output: int
    _syntax: tuple[Node | None, ...]

    def input_index(self, variable: str) -> int:
        """The index of ``variable``'s input node."""
        for index, node in enumerate(self.nodes):
            if node.kind == "input" and node.label == variable:
                return index
        raise KeyError(variable)

    def edges(self) -> list[tuple[int, int, int]]:
        """Every edge as ``(node, position, input)``: input feeds ``node`` at ``position``."""
        return [
            (index, position, source)
            for index, node in enumerate(self.nodes)
            for position, source in enumerate(node.inputs)
        ]


@dataclass(frozen=True)
class Passes:
    """The forward and backward passes of a graph at one point.

    Attributes
    ----------
    values
        Each node's value at the point (NaN where undefined).
    local
        ``local[i][p]``: ∂(node i)/∂(its input at position p), at the point.
    adjoints
        ``adjoints[i]``: ∂f/∂(node i), from the backward pass.
    order
        The order in which the backward pass visits the nodes (the output first).
    """

    values: tuple[float, ...]
    local: tuple[tuple[float, ...], ...]
    adjoints: tuple[float, ...]
    order: tuple[int, ...]

    def gradient(self, graph: ComputationalGraph) -> tuple[float, ...]:
        """The partial derivatives of f, one per variable, from the inputs' adjoints."""
        return tuple(self.adjoints[graph.input_index(name)] for name in graph.variables)


def build_graph(tree: SyntaxTree, text: str) -> ComputationalGraph:
    """The computational graph of ``tree``, whose typed text is ``text``.

    Constant subtrees (no variable in them, such as ``2pi``) become one constant node.
    """
    depends = _depends_on_variables(tree)
    nodes: list[GraphNode] = []
    syntax: list[Node | None] = []
    inputs: dict[str, int] = {}
    done: dict[int, int] = {}
    # Iterative post-order walk: a 500-term sum must not hit the recursion limit.
    stack: list[tuple[Node, bool]] = [(tree.root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if node.kind == "name" and depends[key]:
            if node.text not in inputs:
                inputs[node.text] = len(nodes)
                nodes.append(GraphNode("input", node.text, node.text, ()))
                syntax.append(None)
            done[key] = inputs[node.text]
        elif not depends[key]:
            done[key] = len(nodes)
            piece = text[node.start : node.end].strip()
            nodes.append(GraphNode("constant", piece, piece, ()))
            syntax.append(node)
        elif not expanded:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
        else:
            label = node.text if node.kind == "call" else OPERATION_LABELS[node.kind]
            sources = tuple(done[id(arg)] for arg in node.args)
            done[key] = len(nodes)
            nodes.append(GraphNode(node.kind, label, text[node.start : node.end].strip(), sources))
            syntax.append(node)
    return ComputationalGraph(tuple(nodes), tree.variables, done[id(tree.root)], tuple(syntax))


def _depends_on_variables(tree: SyntaxTree) -> dict[int, bool]:
    """For each node (by id), whether a variable occurs in its subtree."""
    depends: dict[int, bool] = {}
    stack: list[tuple[Node, bool]] = [(tree.root, False)]
    while stack:
        node, expanded = stack.pop()
        if not expanded and node.args:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
        elif node.kind == "name":
            depends[id(node)] = node.text in tree.variables
        else:
            depends[id(node)] = any(depends[id(arg)] for arg in node.args)
    return depends


def passes(graph: ComputationalGraph, point: dict[str, float] | float) -> Passes:
    """The forward pass (values, local derivatives) and the backward pass (adjoints).

    Parameters
    ----------
    graph
        From :func:`build_graph`.
    point
        The value of each variable, or one number for a function of one variable.
    """
    if not isinstance(point, dict):
        point = {graph.variables[0]: float(point)}
    values: list[float] = []
    local: list[tuple[float, ...]] = []
    for index, node in enumerate(graph.nodes):
        if node.kind == "input":
            values.append(float(point[node.label]))
            local.append(())
            continue
        syntax = graph._syntax[index]
        assert syntax is not None
        if node.kind == "constant":
            values.append(jet_at(syntax, 0.0, 0)[0])
            local.append(())
            continue
        args = [values[source] for source in node.inputs]
        jets = [
            jet_at(_isolated(syntax, graph, index, args, position), args[position])
            for position in range(len(args))
        ]
        values.append(jets[0][0])
        local.append(tuple(slope for _, slope in jets))
    adjoints = [0.0] * len(graph.nodes)
    adjoints[graph.output] = 1.0
    order = tuple(range(graph.output, -1, -1))
    with np.errstate(all="ignore"):
        for index in order:
            for position, source in enumerate(graph.nodes[index].inputs):
                adjoints[source] += adjoints[index] * local[index][position]
    return Passes(tuple(values), tuple(local), tuple(adjoints), order)


def _isolated(
    syntax: Node, graph: ComputationalGraph, index: int, args: list[float], position: int
) -> Node:
    """The node alone: the input at ``position`` becomes the placeholder variable, every other
    input that is not a constant becomes its value, constants stay as typed (so ``x^(1/3)``
    keeps its exact exponent)."""
    replaced = []
    for at, (arg, source) in enumerate(zip(syntax.args, graph.nodes[index].inputs, strict=True)):
        if at == position:
            replaced.append(Node("name", _PLACEHOLDER, (), arg.start, arg.end))
        elif graph.nodes[source].kind == "constant":
            replaced.append(arg)
        else:
            replaced.append(Node("num", repr(float(args[at])), (), arg.start, arg.end))
    return Node(syntax.kind, syntax.text, tuple(replaced), syntax.start, syntax.end)


def paths_to_output(
    graph: ComputationalGraph, result: Passes, index: int
) -> list[tuple[tuple[int, ...], float]]:
    """Every path from node ``index`` up to the output, with the product of the local
    derivatives along it; the products add up to the node's adjoint ∂f/∂node.

    Each path lists the nodes from ``index`` to the output. A variable used three times has
    three paths; any other node has one (the graph is the syntax tree, with variables shared).
    """
    users: list[list[tuple[int, int]]] = [[] for _ in graph.nodes]
    for target, position, source in graph.edges():
        users[source].append((target, position))
    found: list[tuple[tuple[int, ...], float]] = []
    stack: list[tuple[tuple[int, ...], float]] = [((index,), 1.0)]
    while stack:
        path, product = stack.pop()
        last = path[-1]
        if last == graph.output:
            found.append((path, product))
            continue
        for target, position in users[last]:
            stack.append(((*path, target), product * result.local[target][position]))
    return sorted(found)
