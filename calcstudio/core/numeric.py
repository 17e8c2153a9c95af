"""Fast, NaN-safe numpy evaluation of expressions, without ``exec`` and without pickling.

An expression travels between processes as a *program*: a nested list of plain data
(strings, numbers, lists) such as ``["add", ["pow", ["var", 0], 2], ["const", 1.0]]``.
:func:`to_program` (worker side, needs sympy) writes it; :func:`compile_program`
(GUI side, numpy only) turns it into a closure tree that evaluates float64 arrays.
Every operation comes from the fixed table below, so nothing typed by a user is ever
executed, and no sympy is needed to evaluate.

Semantics, chosen for plotting real functions:

- everything is float64 and computed under ``np.errstate(all="ignore")``;
- values that are undefined, complex or infinite become NaN (``sqrt(-1)``, ``log(0)``);
- rational powers with an odd denominator are real roots (``x^(1/3)`` at -8 is -2);
- constants broadcast to the shape of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from calcstudio.core.curve import evaluation_cost, with_cost

Program = list[Any]
"""A nested-list expression program (see module docstring)."""
Evaluator = Callable[..., np.ndarray]
"""A compiled program: call with one float array per variable."""


def sigmoid(u: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-u) to full relative precision for any u (e^-|u| never overflows)."""
    small = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def step(u: np.ndarray) -> np.ndarray:
    """1 where u > 0, 0 where u ≤ 0 (relu′ as PyTorch computes it), NaN where u is NaN."""
    return np.where(np.isnan(u), np.nan, np.greater(u, 0.0))


def acot(u: np.ndarray) -> np.ndarray:
    """atan(1/u) with acot(0) = π/2 (sympy's value) for 0 and -0 alike."""
    return np.where(np.equal(u, 0.0), np.pi / 2, np.arctan(1.0 / u))


def _reciprocal(function: Callable[[np.ndarray], np.ndarray]) -> Callable[..., np.ndarray]:
    return lambda u: 1.0 / function(u)


def _of_reciprocal(function: Callable[[np.ndarray], np.ndarray]) -> Callable[..., np.ndarray]:
    return lambda u: function(1.0 / u)


UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "cot": _reciprocal(np.tan),
    "sec": _reciprocal(np.cos),
    "csc": _reciprocal(np.sin),
    "asin": np.arcsin,
    "acos": np.arccos,
    "atan": np.arctan,
    "acot": acot,
    "asec": _of_reciprocal(np.arccos),
    "acsc": _of_reciprocal(np.arcsin),
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "coth": _reciprocal(np.tanh),
    "sech": _reciprocal(np.cosh),
    "csch": _reciprocal(np.sinh),
    "asinh": np.arcsinh,
    "acosh": np.arccosh,
    "atanh": np.arctanh,
    "acoth": _of_reciprocal(np.arctanh),
    "asech": _of_reciprocal(np.arccosh),
    "acsch": _of_reciprocal(np.arcsinh),
    "exp": np.exp,
    "log": np.log,
    "abs": np.abs,
    "sign": np.sign,
    "floor": np.floor,
    "ceiling": np.ceil,
    "sigmoid": sigmoid,
    "softplus": lambda u: np.logaddexp(0.0, u),  # ln(1 + e^u) without overflow
    "relu": lambda u: np.maximum(u, 0.0),
    "step": step,
}
"""The only functions a program may call."""

_SYMPY_FUNCTION_NAMES = {
    "Abs": "abs",
    "RealAbs": "abs",
    "ceiling": "ceiling",
    "floor": "floor",
    "Sigmoid": "sigmoid",
    "Softplus": "softplus",
    "Relu": "relu",
    "Step": "step",
}

_CONDITION_TESTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "positive": lambda u: u > 0,
    "nonnegative": lambda u: u >= 0,
    "nonzero": lambda u: u != 0,
    "unit": lambda u: np.abs(u) <= 1,
    "open_unit": lambda u: np.abs(u) < 1,
    "outside_unit": lambda u: np.abs(u) >= 1,
    "open_outside_unit": lambda u: np.abs(u) > 1,
    "at_least_one": lambda u: u >= 1,
    "above_one": lambda u: u > 1,
    "cos_nonzero": lambda u: np.cos(u) != 0,
    "sin_nonzero": lambda u: np.sin(u) != 0,
    "not_integer": lambda u: u != np.floor(u),
    "not_one": lambda u: u != 1,
    "defined": lambda u: np.isfinite(u),
}
"""The conditions of :mod:`calcstudio.core.domain`, as tests on float arrays."""


def condition_holds(kind: str, value: float) -> bool:
    """Whether a condition of :mod:`calcstudio.core.domain` holds for one number."""
    with np.errstate(all="ignore"):
        return bool(np.isfinite(value) and _CONDITION_TESTS[kind](np.float64(value)))


# sympy objects that are 0 wherever they exist; the key says what note to attach.
_ZERO_ALMOST_EVERYWHERE = {"DiracDelta", "Derivative", "Subs"}


def to_program(
    expr: Any, variables: Sequence[Any], conditions: Sequence[tuple[str, Any]] = ()
) -> tuple[Program, list[str]]:
    """Translate a trusted sympy expression into a plain-data program.

    Parameters
    ----------
    expr
        A sympy expression built by :mod:`calcstudio.core.language` (or derived from one).
    variables
        The sympy symbols, in argument order.
    conditions
        ``(kind, value)`` pairs (:class:`calcstudio.core.domain.Condition`): the program is
        NaN wherever one fails, as ``["where", body, [kind, value], ...]``.

    Returns
    -------
    program, notes
        The program, and notes about parts that were replaced by 0 because they only
        exist at isolated points (the derivative of ``floor`` or ``sign``).

    Raises
    ------
    ValueError
        If the expression contains something outside the table.
    """
    import sympy as sp

    from calcstudio.core.language.sympy_functions import language_functions

    own = language_functions()
    index = {symbol: i for i, symbol in enumerate(variables)}
    notes: list[str] = []

    def walk(e: Any) -> Program:
        if e in index:
            return ["var", index[e]]
        if e is sp.I or (e.is_number and e.is_real is False):
            # d/dx (-0.5)^x has log(-0.5) = log(0.5) + i*pi in it: no real value, so NaN.
            return ["const", float("nan")]
        if e.is_Number or e.is_NumberSymbol:
            value = float(e)
            return ["const", value]
        if e.is_number and any(part.is_extended_real is False for part in sp.preorder_traversal(e)):
            # abs(2^acos(2)) is real to sympy, but acos(2) has no real value: undefined.
            return ["const", float("nan")]
        if e.is_Add:
            one, term = e.args if len(e.args) == 2 else (0, 0)
            if one in (1, -1) and isinstance(-one * term, own.Sigmoid):
                # 1 - sigmoid(u) is sigmoid(-u), to full precision where sigmoid(u) ≈ 1.
                complement = ["call", "sigmoid", walk(-(-one * term).args[0])]
                return complement if one == 1 else ["mul", ["const", -1.0], complement]
            return ["add", *(walk(arg) for arg in e.args)]
        if e.is_Mul:
            return ["mul", *(walk(arg) for arg in e.args)]
        if e.is_Pow:
            base, exponent = e.args
            if exponent.is_Rational and not exponent.is_Integer:
                return ["root", walk(base), int(exponent.p), int(exponent.q)]
            return ["pow", walk(base), walk(exponent)]
        if isinstance(e, sp.log) and isinstance(e.args[0], own.Sigmoid):
            # The logistic loss: ln(sigmoid(u)) = -softplus(-u), exact where sigmoid(u) ≈ 1
            # and finite where it underflows.
            inner = walk(-e.args[0].args[0])
            return ["mul", ["const", -1.0], ["call", "softplus", inner]]
        if isinstance(e, sp.Min | sp.Max):
            return ["min" if isinstance(e, sp.Min) else "max", *(walk(arg) for arg in e.args)]
        if isinstance(e, own.Minimum | own.Maximum):
            return [e.name, *(walk(arg) for arg in e.args)]
        if isinstance(e, own.RealRoot):
            return ["root", walk(e.args[0]), int(e.args[1].p), int(e.args[1].q)]
        if isinstance(e, own.LogBase):
            return ["mul", ["call", "log", walk(e.args[0])], walk(1 / sp.log(e.args[1]))]
        name = type(e).__name__
        if name in _ZERO_ALMOST_EVERYWHERE:
            what = type(e.args[0]).__name__ if name == "Derivative" else "the function"
            notes.append(
                f"Where {what} jumps there is no derivative; everywhere else this part "
                "of the derivative is 0, so it is drawn as 0."
            )
            return ["const", 0.0]
        name = _SYMPY_FUNCTION_NAMES.get(name, name)
        if name in UNARY and len(e.args) == 1:
            return ["call", name, walk(e.args[0])]
        if isinstance(e, sp.log) and len(e.args) == 1:
            return ["call", "log", walk(e.args[0])]
        raise ValueError(f"cannot evaluate {type(e).__name__} numerically")

    with np.errstate(all="ignore"):
        program = walk(expr)
        if conditions:
            tests = [[kind, walk(value)] for kind, value in conditions]
            program = ["where", program, *tests]
    return program, sorted(set(notes))


def _real_root(base: np.ndarray, p: int, q: int) -> np.ndarray:
    """``base ** (p/q)`` with real odd roots of negative numbers."""
    if q % 2 == 1:
        magnitude = np.power(np.abs(base), p / q)
        return magnitude * np.sign(base) ** (p % 2) if p % 2 else magnitude
    if p == 1 and q == 2:
        return np.sqrt(base)
    return np.power(base, p / q)


def _compile(node: Program) -> Callable[[tuple[np.ndarray, ...]], np.ndarray | float]:
    op = node[0]
    if op == "const":
        value = float(node[1])
        return lambda args: value
    if op == "var":
        i = int(node[1])
        return lambda args: args[i]
    if op == "call":
        function = UNARY[node[1]]
        inner = _compile(node[2])
        return lambda args: function(inner(args))
    if op == "root":
        inner = _compile(node[1])
        p, q = int(node[2]), int(node[3])
        return lambda args: _real_root(np.asarray(inner(args), dtype=float), p, q)
    if op == "pow":
        base, exponent = _compile(node[1]), _compile(node[2])

        def power(args: tuple[np.ndarray, ...]) -> np.ndarray:
            e = np.asarray(exponent(args), dtype=float)
            # numpy's 1^NaN is 1; an undefined exponent leaves the power undefined.
            return np.where(np.isnan(e), np.nan, np.power(np.asarray(base(args), dtype=float), e))

        return power
    if op == "where":
        body = _compile(node[1])
        tests = [(_CONDITION_TESTS[kind], _compile(value)) for kind, value in node[2:]]

        def where(args: tuple[np.ndarray, ...]) -> np.ndarray:
            values = np.array(body(args), dtype=float)
            shape = np.broadcast_shapes(values.shape, *(np.shape(a) for a in args))
            values = np.array(np.broadcast_to(values, shape))
            for test, value in tests:
                inside = np.asarray(value(args), dtype=float)
                values[~np.broadcast_to(np.isfinite(inside) & test(inside), shape)] = np.nan
            return values

        return where
    children = [_compile(child) for child in node[1:]]
    if op == "add":
        first, rest = children[0], children[1:]

        def add(args: tuple[np.ndarray, ...]) -> np.ndarray | float:
            total = first(args)
            for child in rest:
                total = total + child(args)
            return total

        return add
    if op == "mul":
        first, rest = children[0], children[1:]

        def mul(args: tuple[np.ndarray, ...]) -> np.ndarray | float:
            product = first(args)
            for child in rest:
                product = product * child(args)
            return product

        return mul
    if op in ("min", "max"):
        reduce = np.minimum if op == "min" else np.maximum

        def extreme(args: tuple[np.ndarray, ...]) -> np.ndarray | float:
            result = children[0](args)
            for child in children[1:]:
                result = reduce(result, child(args))
            return result

        return extreme
    raise ValueError(f"unknown program operation {op!r}")


def compile_program(program: Program, arity: int) -> Evaluator:
    """Compile a program into a vectorised, NaN-safe evaluator.

    Parameters
    ----------
    program
        From :func:`to_program`.
    arity
        Number of variables the evaluator takes.

    Returns
    -------
    Evaluator
        ``evaluator(*arrays)`` returns a float64 array of the broadcast shape of the
        arrays, with NaN wherever the value is undefined, complex or infinite.
    """
    body = _compile(program)

    def evaluate(*values: Any) -> np.ndarray:
        if len(values) != arity:
            raise TypeError(f"expected {arity} argument(s), got {len(values)}")
        arrays = tuple(np.asarray(v, dtype=float) for v in values)
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        with np.errstate(all="ignore"):
            # Always a fresh array: the program may return an input unchanged (f(x) = x).
            result = np.array(np.broadcast_to(body(arrays), shape), dtype=float)
            result[~np.isfinite(result)] = np.nan
        return result

    return with_cost(evaluate, _count_operations(program))


def _count_operations(program: Program) -> int:
    count, stack = 0, [program]
    while stack:  # iteratively, like every walk of a possibly long expression
        node = stack.pop()
        count += 1
        stack.extend(part for part in node[1:] if isinstance(part, list))
    return count


def restricted_to(f: Evaluator, g: Evaluator) -> Evaluator:
    """``g`` where ``f`` is defined, NaN elsewhere.

    A derivative only exists where its function does: sympy's d/dx ln(x) = 1/x has values at
    x < 0, but ln(x) has no slope there, so the plot must not draw one.
    """

    def evaluate(x: np.ndarray) -> np.ndarray:
        values = g(x)
        values[np.isnan(f(x))] = np.nan
        return values

    return with_cost(evaluate, evaluation_cost(f) + evaluation_cost(g))
