"""The expression language: maths as people type it, built into sympy expressions.

Two stages, so the window can check syntax instantly without importing sympy:

1. :func:`parse_tree` (in :mod:`calcstudio.core.language.syntax`, with the tokenizer in
   :mod:`calcstudio.core.language.tokens`) turns text into a small syntax tree: pure Python,
   microseconds.
2. :func:`build_sympy` (here) turns that tree into a sympy expression, using only fixed
   tables of functions and constants. No user text ever reaches ``eval``, ``exec``,
   ``sympify`` or ``parse_expr``.

Every rejection is a :class:`ParseError` with a plain-language message and the
character span to highlight.
"""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from calcstudio.core.language.constants import check_constants
from calcstudio.core.language.sympy_functions import language_functions
from calcstudio.core.language.tokens import ParseError
from calcstudio.core.language.tree import Node, SyntaxTree

if TYPE_CHECKING:
    import sympy


class Piece(NamedTuple):
    """A typed function applied to built arguments: ``Piece("log", (x,))``; a power or a
    division is ``Piece("pow", (base, exponent))``."""

    name: str
    args: tuple[Any, ...]
    constant: bool = False
    """Whether it was typed without a variable (``min(2, 2)``, not ``cbrt(x - x)``)."""


MAX_CONSTANT_BITS = 1000
"""Largest exact constant (about 10^300) the parser lets sympy build."""
MAX_EXPONENT = 10_000
"""Largest constant exponent applied to a variable."""


def real_power(base: Any, exponent: Any) -> Any:
    """``base ** exponent`` with the real odd root of a negative base: (-8)^(1/3) = -2.

    Sympy takes the principal complex root, 2*(-1)^(1/3), which has no real value, while
    the expression language (and the window's evaluators) mean the real one; so does
    ``cbrt(-x^2)`` at x = 2 (-1.587), whatever the sign of the base turns out to be.
    """
    import sympy as sp

    if isinstance(exponent, sp.Rational) and not exponent.is_Integer and exponent.q % 2 == 1:
        return language_functions().RealRoot(base, exponent)
    return sp.Pow(base, exponent)


@functools.cache
def _real_abs() -> type:
    """``abs`` for an argument that is real wherever it is defined.

    Sympy can prove ``x`` real but not ``sqrt(x) - 1`` (negative x makes it complex), and it
    differentiates the Abs of such an argument through re, im and atan2, which have no
    real evaluator. Here |u|' = sign(u) u', as for any real u.
    """
    import sympy as sp

    class RealAbs(sp.Function):
        nargs = 1

        @classmethod
        def eval(cls, u: sympy.Expr) -> sympy.Expr | None:
            if u.is_extended_real or u.is_number:
                return sp.Abs(u)  # sympy's own, with all its simplifications
            return None

        def fdiff(self, argindex: int = 1) -> sympy.Expr:
            return sp.sign(self.args[0])

        def _sympystr(self, printer: Any) -> str:
            return f"abs({printer._print(self.args[0])})"

        def _latex(self, printer: Any, exp: str | None = None) -> str:
            body = rf"\left|{printer._print(self.args[0])}\right|"
            return body if exp is None else rf"{body}^{{{exp}}}"

    return RealAbs


def _sympy_tables() -> tuple[dict[str, Any], dict[str, Any]]:
    import sympy as sp

    own = language_functions()

    def cbrt(u: sympy.Expr) -> sympy.Expr:
        return real_power(u, sp.Rational(1, 3))

    def log(u: sympy.Expr, base: sympy.Expr = sp.E) -> sympy.Expr:
        return sp.log(u) if base == sp.E else own.LogBase(u, base)

    def nested(kind: type) -> Any:
        # max(a, b, c) = max(max(a, b), c): the tie convention of torch.maximum, nested.
        return lambda *args: functools.reduce(kind, args)

    functions = {
        "sin": sp.sin,
        "cos": sp.cos,
        "tan": sp.tan,
        "cot": sp.cot,
        "sec": sp.sec,
        "csc": sp.csc,
        "asin": sp.asin,
        "acos": sp.acos,
        "atan": sp.atan,
        "acot": own.Acot,
        "asec": sp.asec,
        "acsc": sp.acsc,
        "sinh": sp.sinh,
        "cosh": sp.cosh,
        "tanh": sp.tanh,
        "coth": sp.coth,
        "sech": sp.sech,
        "csch": sp.csch,
        "asinh": sp.asinh,
        "acosh": sp.acosh,
        "atanh": sp.atanh,
        "exp": sp.exp,
        "ln": sp.log,
        "log": log,
        "log10": lambda u: own.LogBase(u, 10),
        "log2": lambda u: own.LogBase(u, 2),
        "sqrt": sp.sqrt,
        "cbrt": cbrt,
        "abs": _real_abs(),
        "sign": sp.sign,
        "step": own.Step,
        "floor": sp.floor,
        "ceil": sp.ceiling,
        "min": nested(own.Minimum),
        "max": nested(own.Maximum),
        "sigmoid": own.Sigmoid,
        "relu": own.Relu,
        "softplus": own.Softplus,
    }
    constants = {"pi": sp.pi, "E": sp.E, "tau": 2 * sp.pi}
    return functions, constants


def _too_big(value: Any) -> bool:
    """Whether a sympy number is beyond what float64 (and a learner) can use."""
    import sympy as sp

    if isinstance(value, sp.Rational):
        if abs(int(value.p)).bit_length() > MAX_CONSTANT_BITS:
            return True
        # A long denominator is too big only if the number is not simply tiny (1e-400).
        return (
            abs(int(value.q)).bit_length() > MAX_CONSTANT_BITS and _log10_magnitude(value) >= -300
        )
    if isinstance(value, sp.Float):
        return not math.isfinite(float(value)) or abs(float(value)) > 1e300
    return False


def _too_small(value: Any) -> bool:
    """Whether a sympy number is nonzero and below 10^-300, where float64 would make it 0.

    The constants' own check (:mod:`.constants`) cannot see ``x*1e-200*1e-200``: sympy
    gathers the two numbers into one coefficient only while building.
    """
    import sympy as sp

    if isinstance(value, sp.Rational):  # typed decimals are exact: 1e-200*1e-200 is 1/10^400
        return value != 0 and _log10_magnitude(value) < -300
    return isinstance(value, sp.Float) and not value.is_zero and abs(value) < sp.Float("1e-300")


def _coefficients(value: Any) -> tuple[Any, Any]:
    """The numeric factor of a product and the constant term of a sum."""
    return value.as_coeff_Mul()[0], value.as_coeff_Add()[0]


def _log10_magnitude(value: Any) -> float:
    """Roughly log10(|value|) for a sympy number, without computing huge powers."""
    import sympy as sp

    if value == 0:
        return -math.inf
    if isinstance(value, sp.Rational):
        return math.log10(abs(int(value.p))) - math.log10(abs(int(value.q)))
    return math.log10(abs(float(value)))


def _check_power(base: Any, exponent: Any, node: Node) -> None:
    """Reject powers whose size would explode before sympy tries to compute them.

    Sympy multiplies out on its own: ``(2x)^n`` becomes ``2^n x^n`` and ``(x^a)^b``
    becomes ``x^(ab)``, so the numeric factor and the inner exponents of a product
    are checked as well as a plain number base.
    """
    import sympy as sp

    if not isinstance(exponent, sp.Number):
        return
    coefficient = base if isinstance(base, sp.Number) else base.as_coeff_Mul()[0]
    if coefficient != 0 and abs(coefficient) != 1:
        magnitude = float(exponent) * _log10_magnitude(coefficient)
        if abs(magnitude) > 300:
            raise ParseError(
                "this number is too large or too small to work with (beyond 10^±300)",
                node.start,
                node.end,
            )
    if isinstance(base, sp.Number):
        return
    inner = [factor.as_base_exp()[1] for factor in sp.Mul.make_args(base)]
    largest = max((abs(float(e)) for e in inner if isinstance(e, sp.Number)), default=1.0)
    if largest * abs(float(exponent)) > MAX_EXPONENT:
        raise ParseError(
            f"exponents above {MAX_EXPONENT} are too large to work with", node.start, node.end
        )


def _check_log_base(args: list[Any], node: Node) -> None:
    """Reject log(x, b) for a constant b that is not a base: sympy gives log(x, 0) = 0."""
    if len(args) == 2 and args[1].is_number and (args[1].is_positive is False or args[1] == 1):
        raise ParseError("the base of a log must be positive and not 1", node.start, node.end)


def _check_comparable(args: list[Any], node: Node) -> None:
    """Reject min or max of a constant with no real value (sympy cannot compare it)."""
    if any(arg.is_number and arg.is_extended_real is False for arg in args):
        raise ParseError(
            f"{node.text} compares real numbers, and a value here has an imaginary part",
            node.start,
            node.end,
        )


class _Builder:
    """Second stage: syntax tree to sympy, from fixed tables only."""

    def __init__(self, variables: tuple[str, ...], pieces: list[Piece] | None) -> None:
        import sympy as sp

        self.sp = sp
        self.pieces = pieces
        self.varies: dict[int, bool] = {}  # by id of a node: whether x appears in it
        self.functions, self.constants = _sympy_tables()
        self.symbols = {name: sp.Symbol(name, real=True) for name in variables}

    def build(self, node: Node) -> Any:
        sp = self.sp
        kind = node.kind
        if kind == "num":
            if re.fullmatch(r"\d+", node.text):
                value = sp.Integer(int(node.text))
            else:
                number = float(node.text)
                if not math.isfinite(number) or abs(number) > 1e300:
                    raise ParseError("this number is too large", node.start, node.end)
                # Exact, as typed: 0.5(x-3)^2 has the derivative x - 3, not 1.0*x - 3.0.
                value = sp.Rational(node.text)
        elif kind == "name":
            value = self.constants.get(node.text) or self.symbols[node.text]
        elif kind == "neg":
            value = -self.build(node.args[0])
        elif kind == "call":
            args = [self.build(arg) for arg in node.args]
            if node.text == "log":
                _check_log_base(args, node)
            if node.text in ("min", "max", "relu"):
                _check_comparable(args, node)
            value = self.functions[node.text](*args)
            self._record(node.text, args, node.args)
        elif kind == "pow":
            # Two plain calls, not a generator: each level of a 500-term sum then costs
            # one stack frame, so the longest accepted text stays far from the limit.
            base, exponent = self.build(node.args[0]), self.build(node.args[1])
            _check_power(base, exponent, node)
            value = real_power(base, exponent)
            self._record("pow", [base, exponent], node.args)
        else:
            left, right = self.build(node.args[0]), self.build(node.args[1])
            if kind == "add":
                value = left + right
            elif kind == "sub":
                value = left - right
            elif kind == "mul":
                value = left * right
            else:
                if right == 0:
                    raise ParseError("division by zero", node.start, node.end)
                value = left / right
                self._record("pow", [right, sp.S.NegativeOne], node.args[1:])
        # Sympy gathers numbers into a product's or a sum's coefficient (x*10^300*10^300
        # is 10^600*x), so those are checked too, not only plain numbers.
        numbers = (value,) if isinstance(value, sp.Number) else _coefficients(value)
        if any(_too_big(number) for number in numbers):
            raise ParseError("this number is too large to work with", node.start, node.end)
        if any(_too_small(number) for number in numbers):
            raise ParseError(
                "this number is too small to work with (below 10^-300), and it is not 0",
                node.start,
                node.end,
            )
        if self.pieces is not None:
            typed_variable = kind == "name" and node.text not in self.constants
            self.varies[id(node)] = typed_variable or any(self.varies[id(a)] for a in node.args)
        return value

    def _record(self, name: str, args: list[Any], nodes: tuple[Node, ...]) -> None:
        """Keep a typed piece whose domain or smoothness sympy's simplification may hide."""
        if self.pieces is None:
            return
        # Typed as a constant (min(2, 2)), it cannot switch as x moves; x - x can.
        constant = not any(self.varies[id(node)] for node in nodes)
        if name in ("min", "max"):
            head = args[0]
            for arg in args[1:]:  # nested from the left, as they are built
                self.pieces.append(Piece(name, (head, arg), constant))
                head = self.functions[name](head, arg)
        elif name == "pow" and len(nodes) == 2 and self.varies[id(nodes[1])]:
            # An exponent typed with x in it (x^x, even log(x, x) that sympy makes 1).
            self.pieces.append(Piece("variable_power", tuple(args), constant))
        elif name == "pow":
            exponent = args[1]
            if exponent.free_symbols or not (exponent.is_Integer and exponent >= 0):
                self.pieces.append(Piece(name, tuple(args), constant))
        elif name in ("sqrt", "cbrt"):
            root = self.sp.Rational(1, 2 if name == "sqrt" else 3)
            self.pieces.append(Piece("pow", (args[0], root), constant))
        else:
            self.pieces.append(Piece(name, tuple(args), constant))


def build_sympy(
    tree: SyntaxTree, pieces: list[Piece] | None = None
) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    """Second stage: build the sympy expression for a syntax tree.

    Parameters
    ----------
    tree
        From :func:`parse_tree`.
    pieces
        If given, every typed piece with a restricted domain or a kink (``sqrt(u)``,
        ``log(u)``, a division, ``abs(u)``, ``floor(u)``, ...) is appended to it, as
        written before sympy simplifies: ``sqrt(x)^2`` becomes ``x``, but its piece
        ``sqrt(x)`` keeps the domain x ≥ 0 (see :mod:`calcstudio.core.domain`).

    Returns
    -------
    expr, symbols
        The expression and the real sympy symbols of ``tree.variables``, in order.

    Raises
    ------
    ParseError
        If a value explodes (``9^9^9^9``), divides by zero, or is not a real number.
    """
    import sympy as sp

    root = tree.root
    check_constants(tree)  # bounds sympy's work on constants: see that module
    builder = _Builder(tree.variables, pieces)
    try:
        expr = builder.build(root)
    except ParseError:
        raise
    except (OverflowError, MemoryError, RecursionError) as error:
        raise ParseError("this is too large to work with", root.start, root.end) from error
    except (ValueError, TypeError, ArithmeticError) as error:
        # Sympy's own complaints (a comparison it cannot decide, a precision it cannot
        # reach) are still only ParseErrors to the caller.
        raise ParseError(
            "this could not be worked out exactly; try writing it more simply",
            root.start,
            root.end,
        ) from error
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ParseError(
            "this is undefined everywhere (a division by zero or log(0))", root.start, root.end
        )
    if expr.has(sp.I):
        raise ParseError(
            "this has an imaginary part (such as the square root of a negative number)",
            root.start,
            root.end,
        )
    return expr, tuple(builder.symbols[name] for name in tree.variables)
