"""The syntax tree: its node types and the walk that finds its free names.

:mod:`calcstudio.core.language.syntax` builds a :class:`SyntaxTree` from text;
:mod:`calcstudio.core.language.build`, the jets and the lessons read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from calcstudio.core.language.vocabulary import CONSTANTS


@dataclass(frozen=True, slots=True)
class Node:
    """A syntax-tree node.

    ``kind`` is one of ``num`` (value in ``text``), ``name`` (a variable or a constant),
    ``call`` (function ``text`` applied to ``args``), ``neg``, ``add``, ``sub``, ``mul``,
    ``div`` and ``pow`` (operands in ``args``).
    """

    kind: str
    text: str
    args: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SyntaxTree:
    """The result of the first parsing stage.

    Attributes
    ----------
    root
        The expression's tree.
    variables
        Free variable names, in the order the definition gave (``f(w1, w2) = ...``)
        or in natural order (``x`` before ``y``, ``w2`` before ``w10``).
    declared
        Whether the variables came from an ``f(...) =`` definition.
    text
        The text parsed (look-alike Unicode folded, same length), which node spans index.
    """

    root: Node
    variables: tuple[str, ...]
    declared: bool
    text: str = ""


def free_names(root: Node) -> dict[str, Node]:
    """The free names of a tree, each with its first node in reading order.

    Iterative: a 500-term sum is a tree 500 levels deep.
    """
    found: dict[str, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind == "name" and node.text not in CONSTANTS.values():
            found.setdefault(node.text, node)
        stack.extend(reversed(node.args))
    return found
