"""The chain rule step by step: the chain of links, and each rule a textbook would name.

For ``f(x) = sin((4x)^2)`` the chain is A(u) = sin(u), B(u) = u^2, C(x) = 4x, with the links'
derivatives A′(u) = cos(u), B′(u) = 2u, C′(x) = 4, and f′(x) = A′(B(C(x)))·B′(C(x))·C′(x) =
cos((4x)^2)·2(4x)·4. The derivation steps go through every operation from the outside in, each
with the rule it uses (sum, product, quotient, power, chain rule, ...), its derivative written
from its parts' derivatives, and the numbers at the point. All of it is built from the syntax
tree on the GUI thread, in the expression language; the simplified final form comes from the
symbolic engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from calcstudio.core.chain.formula import (
    Formula,
    add,
    atom,
    call,
    divide,
    from_tree,
    multiply,
    negate,
    number,
    opaque,
    power,
    subtract,
    written_subtrees,
)
from calcstudio.core.chain.graph import ComputationalGraph, Passes
from calcstudio.core.chain.rules import SLOPES, rule_of
from calcstudio.core.language import Node

LINK_NAMES = "ABCDEFGHJKLMNPQRSTUVW"
"""Names of the links of a chain, outer to inner, as the lesson names them."""
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _link_name(index: int) -> str:
    """A, B, C, … for the first links; A₂₂, A₂₃, … past the alphabet, so no name repeats."""
    if index < len(LINK_NAMES):
        return LINK_NAMES[index]
    return "A" + str(index + 1).translate(_SUBSCRIPTS)


_U = atom("u")


@dataclass(frozen=True)
class Link:
    """One link of a chain f = A(B(C(x))).

    Attributes
    ----------
    name
        ``A``, ``B``, ``C``, ...
    variable
        The link's own variable: ``u`` for outer links, the function's variable for the last.
    formula, slope
        The link and its derivative, in its own variable (``sin(u)``, ``cos(u)``); the slope
        is None where the language has no single formula for it (min, max of two variables).
    inner
        What the link's variable stands for (``(4x)^2``): the rest of the chain.
    slope_at_inner
        The slope with the inner expression put in (``cos((4x)^2)``).
    value, slope_value
        The link's output and its slope at the point.
    """

    name: str
    variable: str
    formula: str
    slope: str | None
    inner: str
    slope_at_inner: str | None
    value: float
    slope_value: float


@dataclass(frozen=True)
class Step:
    """One step of a derivation: a rule applied to one operation.

    Attributes
    ----------
    rule
        The rule's name in words (``"product rule"``).
    statement
        The rule as a textbook states it (``"(u·v)′ = u′·v + u·v′"``).
    expression
        The operation's expression.
    derivative
        Its derivative written from its parts' derivatives, or None where the language has
        no single formula for it.
    value
        The derivative's value at the point.
    statement_latex
        The statement as LaTeX, or ``""`` where it is in words (min, max).
    """

    rule: str
    statement: str
    expression: str
    derivative: str | None
    value: float
    statement_latex: str = ""


def _links(
    graph: ComputationalGraph,
    result: Passes,
    variable: str,
    written: dict[int, Formula],
    derived: dict[int, Formula | None],
) -> list[Link]:
    links: list[Link] = []
    index = graph.output
    while True:
        node = graph.nodes[index]
        syntax = graph.syntax[index]
        moving = [p for p, s in enumerate(node.inputs) if graph.nodes[s].kind != "constant"]
        inner_index = node.inputs[moving[0]] if len(moving) == 1 else None
        last = inner_index is None or graph.nodes[inner_index].kind == "input"
        name = _link_name(len(links))
        if node.kind == "input" or syntax is None:
            break
        if inner_index is None or last:
            own = variable if inner_index is None else graph.nodes[inner_index].label
            slope = derived[id(syntax)]
            links.append(
                Link(
                    name,
                    own,
                    written[id(syntax)].text,
                    None if slope is None else slope.text,
                    own,
                    None if slope is None else slope.text,
                    result.values[index],
                    forward_slopes(graph, result, variable)[index],
                )
            )
            break
        inner_syntax = syntax.args[moving[0]]
        formula = from_tree(syntax, {id(inner_syntax): _U})
        args = [written[id(arg)] for arg in syntax.args]
        inner = args[moving[0]]
        slope = _link_slope(syntax, moving[0], _U, args)
        slope_inner = _link_slope(syntax, moving[0], opaque(inner), args)
        links.append(
            Link(
                name,
                "u",
                formula.text,
                None if slope is None else slope.text,
                inner.text,
                None if slope_inner is None else slope_inner.text,
                result.values[index],
                result.local[index][moving[0]],
            )
        )
        index = inner_index
    return links


def chain_product(links: list[Link]) -> str | None:
    """f′ as the product of the links' slopes, each at its inner expression, unsimplified:
    ``cos((4x)^2)*2(4x)*4``. None where a link has no formula."""
    factors = [link.slope_at_inner for link in links]
    if any(factor is None for factor in factors):
        return None
    written = [factor for factor in factors if factor is not None]
    if len(written) == 1:
        return written[0]
    return "*".join(
        f"({factor})" if _needs_brackets(factor, first=index == 0) else factor
        for index, factor in enumerate(written)
    )


def _needs_brackets(text: str, *, first: bool) -> bool:
    """Whether a written slope needs brackets as a factor of a product: a sum does, and a
    negation unless it comes first."""
    if text.startswith("-"):
        return not first
    depth = 0
    for position, character in enumerate(text):
        depth += character == "("
        depth -= character == ")"
        if depth == 0 and character in "+-" and position > 0 and text[position - 1] != "^":
            return True
    return False


def _link_slope(
    node: Node, position: int, inner: Formula, constants: list[Formula]
) -> Formula | None:
    """The slope of one link with respect to its variable part at ``position``, written
    with ``inner`` for that part; ``constants`` are the node's arguments, written."""
    kind = node.kind
    if kind == "call":
        if node.text in SLOPES and len(node.args) == 1:
            return SLOPES[node.text](inner)
        if node.text == "log" and position == 0:  # log(u, b) = ln(u)/ln(b)
            return divide(number(1), multiply(inner, call("ln", constants[1])))
        return None
    if kind == "neg":
        return number(-1)
    if kind == "add":
        return number(1)
    if kind == "sub":
        return number(1 if position == 0 else -1)
    if kind == "mul":
        return constants[1 - position]
    if kind == "div":
        if position == 0:
            return divide(number(1), constants[1])
        return negate(divide(constants[0], power(inner, number(2))))
    base, exponent = constants
    if position == 0:
        exact = _exact(node.args[1])
        lowered = number(exact - 1) if exact is not None else subtract(exponent, number(1))
        return multiply(exponent if exact is None else number(exact), power(inner, lowered))
    raised = power(base, inner)
    if base.text == "e":
        return raised
    return multiply(raised, call("ln", base))


def _exact(node: Node) -> Fraction | None:
    """The exact value of a plain number or a fraction of plain numbers (``1/3``, ``-2``)."""
    if node.kind == "num" and node.text.replace(".", "", 1).isdigit():
        return Fraction(node.text)
    if node.kind == "neg":
        inner = _exact(node.args[0])
        return None if inner is None else -inner
    if node.kind == "div":
        top, bottom = _exact(node.args[0]), _exact(node.args[1])
        return None if top is None or not bottom else top / bottom
    return None


def _derive(root: Node, variable: str, written: dict[int, Formula]) -> dict[int, Formula | None]:
    """Each subtree's derivative formula, by id; iterative post-order. ``written`` holds
    every subtree's own formula."""
    derived: dict[int, Formula | None] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if not expanded and node.args:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
            continue
        parts = [derived[id(arg)] for arg in node.args]
        args = [written[id(arg)] for arg in node.args]
        derived[id(node)] = _derive_one(node, parts, args, variable)
    return derived


def _derive_one(
    node: Node, parts: list[Formula | None], args: list[Formula], variable: str
) -> Formula | None:
    kind = node.kind
    if kind == "num":
        return number(0)
    if kind == "name":
        return number(1 if node.text == variable else 0)
    if any(part is None for part in parts):
        return None
    slopes = [part for part in parts if part is not None]
    if kind == "neg":
        return negate(slopes[0])
    if kind == "add":
        return add(*slopes)
    if kind == "sub":
        return subtract(*slopes)
    if kind == "mul":
        (u, v), (du, dv) = args, slopes
        return add(multiply(du, v), multiply(u, dv))
    if kind == "div":
        (u, v), (du, dv) = args, slopes
        if dv.number == 0:
            return divide(du, v)
        return divide(subtract(multiply(du, v), multiply(u, dv)), power(v, number(2)))
    if kind == "pow":
        (u, v), (du, dv) = args, slopes
        if dv.number == 0:
            return multiply(_link_slope(node, 0, u, args) or number(0), du)
        if du.number == 0:
            return multiply(_link_slope(node, 1, v, args) or number(0), dv)
        log_part = add(multiply(dv, call("ln", u)), divide(multiply(v, du), u))
        return multiply(power(u, v), log_part)
    if kind == "call" and len(args) == 1:
        outer = _link_slope(node, 0, args[0], args)
        return None if outer is None else multiply(outer, slopes[0])
    moving = [p for p, slope in enumerate(slopes) if slope.number != 0]
    if not moving:
        return number(0)
    if len(moving) == 1:
        outer = _link_slope(node, moving[0], args[moving[0]], args)
        return None if outer is None else multiply(outer, slopes[moving[0]])
    return None


def chain_and_steps(
    graph: ComputationalGraph, result: Passes
) -> tuple[list[Link], dict[str, list[Step]]]:
    """:func:`chain_links` for the first variable and :func:`derivation` for each, with every
    subtree written and derived once."""
    root = graph.syntax[graph.output]
    if root is None:
        return [], {name: [] for name in graph.variables}
    written = written_subtrees(root)
    derived = {name: _derive(root, name, written) for name in graph.variables}
    first = graph.variables[0]
    links = _links(graph, result, first, written, derived[first])
    steps = {name: _steps(graph, result, name, written, derived[name]) for name in graph.variables}
    return links, steps


def _steps(
    graph: ComputationalGraph,
    result: Passes,
    variable: str,
    written: dict[int, Formula],
    derived: dict[int, Formula | None],
) -> list[Step]:
    slopes = forward_slopes(graph, result, variable)
    uses = _uses_variable(graph, variable)
    steps: list[Step] = []
    seen: set[int] = set()
    stack = [graph.output]
    while stack:
        index = stack.pop()
        node, syntax = graph.nodes[index], graph.syntax[index]
        if index in seen or syntax is None or not uses[index]:
            continue
        seen.add(index)
        rule, statement, statement_latex = rule_of(graph, index, uses)
        derivative = derived[id(syntax)]
        text = None if derivative is None else derivative.text
        expression = written[id(syntax)].text
        steps.append(Step(rule, statement, expression, text, slopes[index], statement_latex))
        stack.extend(reversed(node.inputs))
    return steps


def _uses_variable(graph: ComputationalGraph, variable: str) -> list[bool]:
    """For each node, whether ``variable`` is among its inputs, near or far."""
    uses = [False] * len(graph.nodes)
    for index, node in enumerate(graph.nodes):  # inputs come before the nodes using them
        if node.kind == "input":
            uses[index] = node.label == variable
        else:
            uses[index] = any(uses[source] for source in node.inputs)
    return uses


def forward_slopes(graph: ComputationalGraph, result: Passes, variable: str) -> list[float]:
    """d(node)/d(variable) at the point for every node, by forward accumulation of the local
    derivatives (the other variables held)."""
    slopes = [0.0] * len(graph.nodes)
    for index, node in enumerate(graph.nodes):
        if node.kind == "input":
            slopes[index] = 1.0 if node.label == variable else 0.0
            continue
        total = 0.0
        for position, source in enumerate(node.inputs):
            if slopes[source] != 0:
                total += result.local[index][position] * slopes[source]
        slopes[index] = total
    return slopes
