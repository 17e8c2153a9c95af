"""``Function``: a parsed mathematical function with its derivatives and a fast evaluator."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from calcstudio.core.domain import Condition, conditions_for, describe, piece_conditions
from calcstudio.core.language import ParseError, Piece, build_sympy, parse_tree
from calcstudio.core.language.printing import language_latex, language_text
from calcstudio.core.numeric import Evaluator, Program, compile_program, to_program

if TYPE_CHECKING:
    import sympy


@lru_cache(maxsize=2048)
def _term_derivative(term: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """d(term)/d(symbol), kept: the terms of a sum typed one after another recur."""
    import sympy as sp

    return sp.diff(term, symbol)


def _derivative(expr: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """d(expr)/d(symbol), as sympy's ``diff`` works it out: a sum term by term, each term
    from :func:`_term_derivative` (typing a 30-term polynomial, each keystroke's f′ and
    f″ differentiated every term again).
    """
    import sympy as sp

    if not expr.is_Add:
        return sp.diff(expr, symbol)
    return sp.Add(*(_term_derivative(term, symbol) for term in expr.args))


class Function:
    """A real function of one or more named variables.

    Build one with :func:`parse`. Calling it evaluates on float arrays (broadcast
    together) and returns float64 with NaN wherever it is undefined. A function and all its
    derivatives keep the domain of what was typed, even where sympy simplified it away:
    ``parse("sqrt(x)^2")`` is written ``x`` but is undefined at -4, and its
    :attr:`condition` says ``x ≥ 0``.

    Parameters
    ----------
    expr
        A sympy expression whose free symbols are among ``symbols``.
    symbols
        The variables as real sympy symbols, in argument order.
    pieces
        The typed pieces with a restricted domain or a kink (see
        :mod:`calcstudio.core.domain`); none for a plain sympy expression.
    order
        How many times the typed function was differentiated to give ``expr``.
    notes
        Remarks for the learner about how the derivative was written.

    Examples
    --------
    >>> f = parse("x^2")
    >>> f.derivative().text
    '2*x'
    >>> float(f.derivative()(3.0))
    6.0
    """

    def __init__(
        self,
        expr: sympy.Expr,
        symbols: tuple[sympy.Symbol, ...],
        pieces: Sequence[Piece] = (),
        order: int = 0,
        notes: Sequence[str] = (),
    ) -> None:
        self.expr = expr
        self.symbols = symbols
        self.pieces = tuple(pieces)
        self.order = order
        self._notes = tuple(notes)
        self._first_derivatives: dict[sympy.Symbol, Function] = {}

    @property
    def variables(self) -> tuple[str, ...]:
        """Variable names in argument order, e.g. ``('x',)`` or ``('w1', 'w2')``."""
        return tuple(symbol.name for symbol in self.symbols)

    @cached_property
    def text(self) -> str:
        """Canonical text in the expression language, e.g. ``32*x*cos(16*x^2)``.

        It parses back to a function equal to this one wherever this one is defined; where
        that is less than the text alone says, :attr:`condition` tells where.
        """
        return language_text(self.expr)

    @cached_property
    def conditions(self) -> tuple[Condition, ...]:
        """Where the function is defined, beyond what its formula enforces by itself."""
        return conditions_for(self.pieces, self.order, self.expr)

    @cached_property
    def _described(self) -> tuple[str, str]:
        return describe(self.conditions, self.symbols)

    @property
    def condition(self) -> str:
        """Where the formula holds, in words (``x > 0``), or ``""`` if wherever it has a value.

        ``parse("log(x)").derivative()`` is written ``1/x``, for x > 0.
        """
        return self._described[0]

    @property
    def shown(self) -> str:
        """The text with its condition, as the window shows it: ``1/x, for x > 0``."""
        return f"{self.text}, for {self.condition}" if self.condition else self.text

    @cached_property
    def latex(self) -> str:
        """The formula as LaTeX, with its condition (``x \\quad \\text{for } x \\geq 0``)."""

        formula = language_latex(self.expr)
        condition = self._described[1]
        return rf"{formula} \quad \text{{for }} {condition}" if condition else formula

    @cached_property
    def _compiled(self) -> tuple[Program, list[str], Evaluator]:
        program, notes = to_program(self.expr, self.symbols, self.conditions)
        return program, notes, compile_program(program, len(self.symbols))

    @property
    def program(self) -> Program:
        """The plain-data program that :func:`~calcstudio.core.numeric.compile_program` runs."""
        return self._compiled[0]

    @property
    def notes(self) -> tuple[str, ...]:
        """Remarks for the learner, e.g. where a derivative was drawn as 0 at jumps."""
        return tuple(dict.fromkeys((*self._notes, *self._compiled[1])))

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
        """The ``order``-th derivative with respect to ``var`` (the only variable if None).

        Written in the expression language as a textbook would (see
        :mod:`calcstudio.core.textbook`), defined where the typed function and its
        derivatives up to that order are (see :mod:`calcstudio.core.domain`).
        """
        from calcstudio.core.textbook import tidy_derivative

        if order < 0:
            raise ValueError("order must be 0 or more")
        symbol = self._symbol(var)
        if order == 0:
            return self
        first = self._first_derivatives.get(symbol)
        if first is None:  # f′ once, whether f′ or f″ is asked first
            step = self.order + 1
            conditions = [c for piece in self.pieces for c in piece_conditions(piece, step)]
            expr, notes = tidy_derivative(_derivative(self.expr, symbol), conditions)
            first = Function(expr, self.symbols, self.pieces, step, [*self._notes, *notes])
            self._first_derivatives[symbol] = first
        return first.derivative(var, order - 1)

    def gradient(self) -> tuple[Function, ...]:
        """The partial derivatives, one per variable, in order."""
        return tuple(self.derivative(name) for name in self.variables)

    def hessian(self) -> tuple[tuple[Function, ...], ...]:
        """The matrix of second partial derivatives."""
        return tuple(
            tuple(self.derivative(a).derivative(b) for b in self.variables) for a in self.variables
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
    pieces: list[Piece] = []
    expr, symbols = build_sympy(parse_tree(text), pieces)
    return Function(expr, symbols, pieces)


__all__ = ["Function", "ParseError", "parse"]
