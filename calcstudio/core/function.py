"""``Function``: a parsed mathematical function with its derivatives and a fast evaluator."""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from calcstudio.core.language import ParseError, build_sympy, parse_tree
from calcstudio.core.numeric import Evaluator, Program, compile_program, to_program

if TYPE_CHECKING:
    import sympy

# sympy's spelling of a function -> the expression language's, for canonical text.
_LANGUAGE_NAMES = {
    "Abs": "abs",
    "Max": "max",
    "Min": "min",
    "ceiling": "ceil",
    "Heaviside": "heaviside",
}
_SYMPY_NAMES = re.compile(r"\b(" + "|".join(_LANGUAGE_NAMES) + r")\(")


class Function:
    """A real function of one or more named variables.

    Build one with :func:`parse`. Calling it evaluates on float arrays (broadcast
    together) and returns float64 with NaN wherever it is undefined.

    Parameters
    ----------
    expr
        A sympy expression whose free symbols are among ``symbols``.
    symbols
        The variables as real sympy symbols, in argument order.

    Examples
    --------
    >>> f = parse("x^2")
    >>> f.derivative().text
    '2*x'
    >>> float(f.derivative()(3.0))
    6.0
    """

    def __init__(self, expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]) -> None:
        self.expr = expr
        self.symbols = symbols

    @property
    def variables(self) -> tuple[str, ...]:
        """Variable names in argument order, e.g. ``('x',)`` or ``('w1', 'w2')``."""
        return tuple(symbol.name for symbol in self.symbols)

    @cached_property
    def text(self) -> str:
        """Canonical text in the expression language, e.g. ``32*x*cos(16*x^2)``."""
        import sympy as sp

        text = sp.sstr(self.expr, full_prec=False).replace("**", "^")
        return _SYMPY_NAMES.sub(lambda m: _LANGUAGE_NAMES[m.group(1)] + "(", text)

    @cached_property
    def latex(self) -> str:
        """The formula as LaTeX."""
        import sympy as sp

        return sp.latex(self.expr)

    @cached_property
    def _compiled(self) -> tuple[Program, list[str], Evaluator]:
        program, notes = to_program(self.expr, self.symbols)
        return program, notes, compile_program(program, len(self.symbols))

    @property
    def program(self) -> Program:
        """The plain-data program that :func:`~calcstudio.core.numeric.compile_program` runs."""
        return self._compiled[0]

    @property
    def notes(self) -> tuple[str, ...]:
        """Remarks for the learner, e.g. where a derivative was drawn as 0 at jumps."""
        return tuple(self._compiled[1])

    def __call__(self, *values: Any) -> np.ndarray:
        """Evaluate at float arrays, one per variable; NaN where undefined."""
        return self._compiled[2](*values)

    def _symbol(self, var: str | None) -> sympy.Symbol:
        if var is None:
            if len(self.symbols) != 1:
                raise ValueError(
                    f"this function has variables {', '.join(self.variables)}; say which one"
                )
            return self.symbols[0]
        for symbol in self.symbols:
            if symbol.name == var:
                return symbol
        raise ValueError(f"'{var}' is not a variable of this function")

    def derivative(self, var: str | None = None, order: int = 1) -> Function:
        """The ``order``-th derivative with respect to ``var`` (the only variable if None)."""
        import sympy as sp

        if order < 0:
            raise ValueError("order must be 0 or more")
        expr = sp.diff(self.expr, self._symbol(var), order) if order else self.expr
        return Function(expr, self.symbols)

    def gradient(self) -> tuple[Function, ...]:
        """The partial derivatives, one per variable, in order."""
        return tuple(self.derivative(name) for name in self.variables)

    def hessian(self) -> tuple[tuple[Function, ...], ...]:
        """The matrix of second partial derivatives."""
        import sympy as sp

        return tuple(
            tuple(Function(sp.diff(self.expr, a, b), self.symbols) for b in self.symbols)
            for a in self.symbols
        )

    def __repr__(self) -> str:
        return f"Function({', '.join(self.variables)} -> {self.text})"


def parse(text: str) -> Function:
    """Parse text in the expression language into a :class:`Function`.

    Parameters
    ----------
    text
        For example ``"x^2"``, ``"sin((4x)^2)"``, ``"w1^2 + 2w2^2"`` or
        ``"f(x) = 1/(1+e^-x)"``.

    Raises
    ------
    ParseError
        With a plain-language message and the character span at fault.
    """
    expr, symbols = build_sympy(parse_tree(text))
    return Function(expr, symbols)


__all__ = ["Function", "ParseError", "parse"]
