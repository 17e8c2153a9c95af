"""f, f' and f'' straight from the syntax tree, without sympy: forward differentiation.

Each node evaluates to a *jet*: its value and its derivatives with respect to the one
variable, up to the order asked for (``(value,)``, ``(value, first)`` or ``(value, first,
second)``). Sums, products and the chain rule combine jets exactly, so the numbers equal the
symbolic derivatives up to rounding. A constant subtree evaluates to a plain float (all its
derivatives are 0), so a product with a constant is a scaling and ``3x^30`` costs one power.
This module compiles a tree into closures once; the rules they apply are in
:mod:`calcstudio.core.jet_arithmetic`.

This is the window's fast path. Sympy needs 5 to 300 ms per keystroke to differentiate (more
for deep compositions), while a jet costs microseconds, so the plot can follow every typed
character within one frame; the symbolic engine's formulas follow a moment later.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from calcstudio.core.curve import marked_smooth_everywhere, with_cost
from calcstudio.core.exact_constants import exact_constant
from calcstudio.core.jet_arithmetic import (
    Array,
    Value,
    as_jet,
    chain,
    constant,
    extreme,
    finite_or_nan,
    jet_sum,
    product,
)
from calcstudio.core.jet_rules import (
    LOG_SIGMOID,
    RECIPROCAL,
    RULES,
    SHARED_SQUARES,
    Jet,
    power_rule,
)
from calcstudio.core.language import Node, SyntaxTree
from calcstudio.core.polynomials import polynomial_coefficients, polynomial_rule
from calcstudio.core.smoothness import smooth_everywhere

CONSTANTS = {"pi": math.pi, "E": math.e, "tau": math.tau}
_LN = RULES["ln"]
_EXP = RULES["exp"]


_PERIODIC = {"sin", "cos", "tan", "cot", "sec", "csc"}

Compiled = Callable[[Jet], Value]
"""A compiled subtree: the variable's jet in, the subtree's jet (or constant) out."""
_MINUS_ONE = np.float64(-1.0)


def _compile(node: Node, order: int, variables: tuple[str, ...] = ()) -> tuple[Compiled, bool]:
    """Turn a subtree into closures once, so each evaluation is only numpy work.

    Returns the closure and whether the subtree depends on the variable. One that does
    not is evaluated here, once: ``3x^30`` becomes a scaling by 3 of a power whose rule
    is already chosen. With several ``variables`` the closure takes a tuple of jets, one
    per variable (see :func:`directional_evaluator`); else the one variable's jet.
    """
    if node.kind == "name" and node.text not in CONSTANTS:
        if len(variables) > 1:
            index = variables.index(node.text)
            return (lambda x: x[index]), True
        return (lambda x: x), True
    if node.kind == "pow":
        compiled, variable = _compile_power(node, order, variables)
    elif node.kind in _CHAINS:
        compiled, variable = _compile_chain(node, order, variables)
    else:
        children = [_compile(arg, order, variables) for arg in node.args]
        compiled = _compile_node(node, [child for child, _ in children], order)
        variable = any(depends for _, depends in children)
    if variable:
        return compiled, True
    fixed = compiled(())
    if node.kind == "call" and node.text in _PERIODIC and abs(fixed) < 1e-15:
        # sin(pi) is 1.2e-16 in floats but exactly 0 to sympy (and to a learner).
        fixed = constant(0.0)
    return (lambda x: fixed), False


def _compile_node(node: Node, parts: list[Compiled], order: int) -> Compiled:
    kind = node.kind
    if kind == "num":
        number = constant(float(node.text))
        return lambda x: number
    if kind == "name":
        named = constant(CONSTANTS[node.text])
        return lambda x: named
    if kind == "call":
        inner = node.args[0]
        if node.text in ("ln", "log") and len(node.args) == 1 and inner.text == "sigmoid":
            # The logistic loss, in its stable form.
            argument = _compile(inner.args[0], order)[0]
            return lambda x: chain(LOG_SIGMOID, argument(x))
        return _compile_call(node.text, parts, order)
    if kind == "neg":
        (inner,) = parts
        return lambda x: product(_MINUS_ONE, inner(x))
    raise ValueError(f"no jet rule for a {kind!r} node")


_CHAINS = {
    "add": ("add", "sub"),
    "sub": ("add", "sub"),
    "mul": ("mul", "div"),
    "div": ("mul", "div"),
}


def _compile_chain(
    node: Node, order: int, variables: tuple[str, ...] = ()
) -> tuple[Compiled, bool]:
    """A run of sums (``a + b - c + ...``) or of products (``2x*2x/x...``) as one loop.

    The parser builds such a run as a left-leaning tree as deep as it is long (a 500-term
    sum is 500 levels); walking and evaluating it level by level would pass Python's
    recursion limit, so the operands are gathered iteratively and combined in a loop,
    in the same order, so the numbers are the same.
    """
    kinds = _CHAINS[node.kind]
    operands: list[tuple[str, Node]] = []
    while node.kind in kinds:
        operands.append((node.kind, node.args[1]))
        node = node.args[0]
    operands.append((kinds[0], node))
    operands.reverse()
    if kinds[0] == "add" and len(variables) <= 1:
        coefficients = polynomial_coefficients(operands)
        if coefficients is not None:  # 3x^30 + 2x^29 + … as a whole: one table of powers
            rule = polynomial_rule(coefficients)
            return (lambda x: chain(rule, x)), True
    compiled = [(kind, *_compile(operand, order, variables)) for kind, operand in operands]
    variable = any(depends for _, _, depends in compiled)
    first = compiled[0][1]
    rest = [(kind, part) for kind, part, _ in compiled[1:]]
    if kinds[0] == "add":

        def total(x: Jet) -> Value:
            value = first(x)
            for kind, part in rest:
                value = jet_sum(value, part(x), 1.0 if kind == "add" else -1.0)
            return value

        return total, variable

    def factors(x: Jet) -> Value:
        value = first(x)
        for kind, part in rest:
            factor = part(x)
            value = product(value, factor if kind == "mul" else chain(RECIPROCAL, factor))
        return value

    return factors, variable


def _compile_call(name: str, parts: list[Compiled], order: int) -> Compiled:
    if name in ("min", "max"):
        return lambda x: extreme(name, [part(x) for part in parts], order)
    if name == "log" and len(parts) == 2:  # log(u, b) = ln(u) / ln(b)
        value, base = parts
        return lambda x: product(chain(_LN, value(x)), chain(RECIPROCAL, chain(_LN, base(x))))
    rule = power_rule(1 / 3, Fraction(1, 3)) if name == "cbrt" else RULES[name]
    (inner,) = parts
    return lambda x: chain(rule, inner(x))


def _compile_power(
    node: Node, order: int, variables: tuple[str, ...] = ()
) -> tuple[Compiled, bool]:
    base_node, exponent_node = node.args
    (base, in_base), (exponent, in_exponent) = (
        _compile(base_node, order, variables),
        _compile(exponent_node, order, variables),
    )
    if not in_exponent:
        exact = exact_constant(exponent_node)
        try:
            c = float(exact) if exact is not None else float(exponent(()))
        except OverflowError:  # an exact 1e400: as a float it is inf, as numpy computes it
            exact, c = None, float(exponent(()))
        if exact is None and exponent_node.kind != "num":
            # A computed exponent such as e^0/3 is exactly 1/3 to sympy, so x^(e^0/3) has
            # a real cube root for x < 0 (typed decimals are already exact).
            nearest = Fraction(c).limit_denominator(1000) if np.isfinite(c) else None
            if nearest is not None and abs(float(nearest) - c) <= 1e-12 * max(1.0, abs(c)):
                exact = nearest
        if not np.isfinite(c):
            # An exponent beyond float64 ((2^64)^64): the power is undefined everywhere, as
            # the symbolic engine, which refuses it in words, will say.
            undefined = constant(np.nan)
            return (lambda x: undefined), False
        if exact == 0:  # u^0 is 1, a constant, as sympy has it (even 0^0)
            one = constant(1.0)
            return (lambda x: one), False
        rule = power_rule(c, exact)
        return (lambda x: chain(rule, base(x))), in_base

    def general(x: Jet) -> Value:
        # The slopes of u^v come from exp(v ln u) (they need u > 0); the value itself is
        # also defined at negative u where v is a whole number, as in (-2)^(-2).
        u, v = base(x), exponent(x)
        through_log = chain(_EXP, product(v, chain(_LN, u)))
        u_value = u if isinstance(u, float) else u[0]
        v_value = v if isinstance(v, float) else v[0]
        # numpy's 1^NaN is 1; an undefined exponent leaves the power undefined.
        value = np.where(np.isnan(v_value), np.nan, u_value**v_value)
        return (value, *through_log[1:])

    return general, True


def _count_nodes(root: Node) -> int:
    count, stack = 0, [root]
    while stack:  # iteratively: a 500-term sum is 500 levels deep
        node = stack.pop()
        count += 1
        stack.extend(node.args)
    return count


def derivative_evaluators(
    tree: SyntaxTree,
) -> tuple[Callable[[Array], Array], Callable[[Array], Array], Callable[[Array], Array]] | None:
    """Evaluators of f, f' and f'' for a one-variable syntax tree, or None for more variables.

    Each maps a float array to a new float64 array of the same shape, NaN where the value is
    undefined or not finite, like the evaluators the symbolic engine's programs compile to.
    Each computes only the derivatives it needs: f costs one numpy operation per node.

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> f, df, d2f = derivative_evaluators(parse_tree("x^3"))
    >>> float(df(np.array([2.0]))[0]), float(d2f(np.array([2.0]))[0])
    (12.0, 12.0)
    """
    if len(tree.variables) != 1:
        return None
    root = tree.root
    nodes = _count_nodes(root)
    smooth = smooth_everywhere(root)  # then so is every derivative: no breaks to look for

    def part(order: int) -> Callable[[Array], Array]:
        compiled: list[Compiled] = []  # on first use: a keystroke plots f and f′, not f″

        def evaluate(x: Array) -> Array:
            points = np.asarray(x, dtype=float)
            with np.errstate(all="ignore"):  # constant subtrees are evaluated while compiling
                if not compiled:
                    compiled.append(_compile(root, order)[0])
                SHARED_SQUARES.share(points)
                try:
                    jet = as_jet(compiled[0]((points, 1.0, 0.0)[: order + 1]), order)
                finally:
                    SHARED_SQUARES.forget()
                if not points.shape:  # one point (a descent's step): as below, in floats
                    value = float(jet[order])
                    if not math.isfinite(value) or (order and not math.isfinite(float(jet[0]))):
                        value = math.nan
                    return np.array(value)
                values = finite_or_nan(jet[order], points.shape)
                if order:  # no slope where f itself is undefined (NaN) or overflows
                    values[~np.isfinite(np.broadcast_to(jet[0], points.shape))] = np.nan
            return values

        # Each node costs about one array operation for f, three for f', six for f''.
        return marked_smooth_everywhere(with_cost(evaluate, nodes * (1, 3, 6)[order]), smooth)

    return part(0), part(1), part(2)


def directional_jets(tree: SyntaxTree, order: int) -> Callable[[Sequence[Jet]], Value]:
    """The raw closure behind :func:`directional_evaluator`: seeds in, the jet (or a constant)
    out, with no conversion, broadcasting or NaN clean-up. For a single point, seeds of
    ``np.float64`` numbers make it several times faster than the array evaluator; call it
    under ``np.errstate(all="ignore")``."""
    variables = tuple(tree.variables)
    with np.errstate(all="ignore"):
        compiled = _compile(tree.root, order, variables)[0]
    if len(variables) > 1:
        return compiled
    return lambda seeds: compiled(seeds[0])


def directional_evaluator(tree: SyntaxTree, order: int) -> Callable[[Sequence[Jet]], Jet]:
    """f and its derivatives along a line, for a syntax tree of any number of variables.

    The evaluator takes one jet per variable, ``(w_i, d_i)`` or ``(w_i, d_i, 0.0)`` (the
    point and the direction's component), and returns ``(f, ∇f·d, dᵀ H d)`` cut to
    ``order``: the one-variable jets of ``t ↦ f(w + t d)`` at ``t = 0``. Three directions
    give a whole Hessian (see :mod:`calcstudio.core.surface.fields`). Every part is a float64
    array of the broadcast shape, NaN where undefined or not finite (and the derivatives NaN
    wherever f is).

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> along = directional_evaluator(parse_tree("w1^2 + 2w2^2"), 1)
    >>> [float(part) for part in along(((1.0, 1.0), (-2.0, 0.0)))]
    [9.0, 2.0]
    """
    compiled = directional_jets(tree, order)

    def evaluate(seeds: Sequence[Jet]) -> Jet:
        seeds = tuple(tuple(np.asarray(part, dtype=float) for part in seed) for seed in seeds)
        shape = np.broadcast_shapes(*(seed[0].shape for seed in seeds))
        with np.errstate(all="ignore"):
            jet = as_jet(compiled(seeds), order)
            parts = [finite_or_nan(part, shape) for part in jet]
        for part in parts[1:]:
            part[np.isnan(parts[0])] = np.nan
        return tuple(parts)

    return evaluate


def jet_at(root: Node, at: float, order: int = 1) -> tuple[float, ...]:
    """The value and the derivatives up to ``order`` of a one-variable tree at one point.

    Like the evaluators of :func:`derivative_evaluators` (NaN where undefined, no slope where
    the value is undefined), for one point and one compilation: the chain-rule lesson calls
    it for every node of a graph.
    """
    with np.errstate(all="ignore"):
        compiled = _compile(root, order)[0]
        point = np.array([float(at)])
        jet = as_jet(compiled((point, 1.0, 0.0)[: order + 1]), order)
        parts = [float(np.ravel(part)[0]) for part in jet]
    if not math.isfinite(parts[0]):
        return tuple(math.nan for _ in parts)
    return tuple(part if math.isfinite(part) else math.nan for part in parts)
