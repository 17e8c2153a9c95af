"""A layered layout of a computational graph: inputs at the left, the output at the right.

Each operation sits one column right of its furthest input; a constant sits just left of the
operation that uses it, so its edge is short. Within a column, nodes are ordered by the mean
row of their neighbours, sweeping left to right and back a few times (the barycentre heuristic
of Sugiyama-style drawing), which keeps edges from crossing in the common cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from calcstudio.core.chain.graph import ComputationalGraph

_SWEEPS = 4


@dataclass(frozen=True)
class Layout:
    """Where each node goes.

    Attributes
    ----------
    columns
        Each node's column, 0 at the left (inputs) to ``width - 1`` (the output).
    rows
        Each node's row within its column, centred on 0 (may be fractional).
    width, height
        How many columns, and the most nodes in one column.
    """

    columns: tuple[int, ...]
    rows: tuple[float, ...]
    width: int
    height: int


def layered_layout(graph: ComputationalGraph) -> Layout:
    """Place the nodes of ``graph`` in columns and rows."""
    count = len(graph.nodes)
    columns = [0] * count
    for index, node in enumerate(graph.nodes):  # inputs come before the nodes using them
        if node.inputs:
            columns[index] = 1 + max(columns[source] for source in node.inputs)
    users: list[list[int]] = [[] for _ in range(count)]
    for index, node in enumerate(graph.nodes):
        for source in node.inputs:
            users[source].append(index)
    for index, node in enumerate(graph.nodes):
        if node.kind == "constant" and users[index]:
            columns[index] = max(0, min(columns[user] for user in users[index]) - 1)
    width = max(columns) + 1
    layers: list[list[int]] = [[] for _ in range(width)]
    for index in range(count):
        layers[columns[index]].append(index)
    position = {index: float(slot) for layer in layers for slot, index in enumerate(layer)}
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        for layer in layers if forward else reversed(layers):

            def centre(index: int, forward: bool = forward) -> float:
                near = graph.nodes[index].inputs if forward else users[index]
                if not near:
                    return position[index]
                return sum(position[other] for other in near) / len(near)

            layer.sort(key=centre)
            for slot, index in enumerate(layer):
                position[index] = float(slot)
    height = max(len(layer) for layer in layers)
    rows = [0.0] * count
    for layer in layers:
        offset = (len(layer) - 1) / 2
        for slot, index in enumerate(layer):
            rows[index] = slot - offset
    return Layout(tuple(columns), tuple(rows), width, height)
