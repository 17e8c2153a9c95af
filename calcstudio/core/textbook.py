"""Derivatives written the way a textbook writes them, in the expression language.

Sympy's raw derivative can hold pieces no learner can type back: ``Derivative(floor(x), x)``,
``Subs(...)``, ``DiracDelta(x)``, or ``sign(x)^2`` where it is 1. :func:`tidy_derivative` writes
them as a textbook does (the slope of a step is 0 away from its jumps, where the domain
bookkeeping of :mod:`calcstudio.core.domain` leaves it undefined) and combines quotients
(``1/(x - 1) - (x + 1)/(x - 1)^2`` is ``-2/(x - 1)^2``). Runs in the worker, with sympy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from calcstudio.core.domain import Condition

MAX_SIMPLIFIED_OPERATIONS = 80
"""Longer derivatives are left as sympy writes them: combining them costs more than it helps."""


def _zero_slopes(expr: Any) -> tuple[Any, list[str]]:
    """Replace the slopes of step functions (0 wherever they exist) by 0."""
    import sympy as sp

    from calcstudio.core.language.sympy_functions import language_functions

    steps = (sp.floor, sp.ceiling, sp.sign, language_functions().Step)
    names: list[str] = []

    def is_step_slope(e: Any) -> bool:
        inner = e.expr if isinstance(e, sp.Subs) else e
        if isinstance(inner, sp.Derivative) and isinstance(inner.expr, steps):
            names.append(
                {"ceiling": "ceil"}.get(type(inner.expr).__name__, type(inner.expr).__name__)
            )
            return True
        if isinstance(e, sp.DiracDelta):
            names.append("sign")
            return True
        return isinstance(e, sp.Subs) and e.expr == 0

    tidy = expr.replace(is_step_slope, lambda e: sp.S.Zero)
    notes = [
        f"Where {name.lower()} jumps there is no derivative; everywhere else the slope of "
        "that part is 0."
        for name in dict.fromkeys(names)
    ]
    return tidy, notes


def _signs_over_abs(expr: Any) -> Any:
    """sign(u)/abs(u) is 1/u (and sign(u) abs(u)^-3 is u^-3): the slope of log(abs(x))."""
    import sympy as sp

    def split(e: Any) -> tuple[Any, Any, Any] | None:
        if not e.is_Mul:
            return None
        for sign in e.args:
            if not isinstance(sign, sp.sign):
                continue
            for power in e.args:
                if (
                    power.is_Pow
                    and isinstance(power.base, sp.Abs)
                    and power.base.args[0] == sign.args[0]
                    and power.exp.is_Integer
                    and power.exp.is_negative
                    and power.exp.is_odd
                ):
                    return sign, power, sign.args[0] ** power.exp
        return None

    return expr.replace(
        lambda e: split(e) is not None,
        lambda e: (lambda s, p, r: e / (s * p) * r)(*split(e)),
    )


def _drop_squared_signs(expr: Any, nonzero: set[Any]) -> Any:
    """sign(u)^2 is 1 where u ≠ 0, which the domain already requires."""
    import sympy as sp

    def is_square(e: Any) -> bool:
        return (
            e.is_Pow
            and isinstance(e.base, sp.sign)
            and e.exp.is_Integer
            and e.exp.is_even
            and (e.base.args[0] in nonzero or -e.base.args[0] in nonzero)
        )

    return expr.replace(is_square, lambda e: sp.S.One)


def textbook_form(expr: Any) -> Any:
    """The shortest of ``expr``, its terms over one denominator, and that factored.

    ``1/(x - 1) - (x + 1)/(x - 1)^2`` becomes ``-2/(x - 1)^2``; an expression with no
    quotient of expressions is left as it is.
    """
    import sympy as sp

    quotients = [
        power
        for power in expr.atoms(sp.Pow)
        if power.exp.is_negative and power.base.free_symbols and not power.base.is_Symbol
    ]
    # Only sums with a quotient of expressions need combining (it costs 20-60 ms).
    if not quotients or sp.count_ops(expr) > MAX_SIMPLIFIED_OPERATIONS:
        return expr
    together = sp.together(expr)
    candidates = [expr, together, sp.factor(together)]
    return min(candidates, key=lambda e: (sp.count_ops(e), len(sp.sstr(e))))


def tidy_derivative(expr: Any, conditions: Iterable[Condition]) -> tuple[Any, list[str]]:
    """A freshly differentiated expression, written as a textbook writes it.

    Parameters
    ----------
    expr
        What ``sympy.diff`` returned.
    conditions
        All conditions of this derivative's order (from
        :func:`~calcstudio.core.domain.piece_conditions`): where they fail the derivative is
        undefined, so the formula need not hold there.

    Returns
    -------
    expr, notes
        The tidy expression, and a note for each kind of jump whose slope was written as 0.
    """
    expr, notes = _zero_slopes(expr)
    nonzero = {condition.value for condition in conditions if condition.kind == "nonzero"}
    expr = _signs_over_abs(_drop_squared_signs(expr, nonzero))
    return textbook_form(expr), notes


__all__ = ["MAX_SIMPLIFIED_OPERATIONS", "textbook_form", "tidy_derivative"]
