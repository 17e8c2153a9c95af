"""Where a function and its derivatives exist: the domain of what was typed.

Sympy simplifies while it builds: ``sqrt(x)^2`` is ``x``, ``exp(log(x))`` is ``x``,
``sqrt(x)/sqrt(x)`` is ``1``, and d/dx ln(x) = 1/x has values at x < 0. The parser records
every typed piece with a restricted domain or a kink (:class:`~calcstudio.core.language.Piece`),
and each piece states the conditions under which it and its first k derivatives exist:

- ``sqrt(u)`` needs u ≥ 0, and u > 0 for its slope; ``log(u)`` needs u > 0; ``a/b`` needs b ≠ 0;
  ``u^v`` with a variable exponent has slopes where u > 0;
- ``floor(u)`` and ``ceil(u)`` have slope 0 except where u is a whole number (a jump: undefined);
  ``sign(u)`` and ``step(u)`` except at u = 0;
- ``abs(u)``, ``relu(u)``, ``max(u, v)`` and ``min(u, v)`` have a slope everywhere (the
  convention of deep-learning frameworks at the kink) but no second derivative where u = 0
  (or u = v), since the slope jumps there.

The k-th derivative is defined where all conditions of order k hold. A condition that the
formula already enforces (``1/x`` cannot be evaluated at 0) is not repeated; the others are
evaluated by the program (``["where", body, [kind, u], ...]``) and shown with the formula
("1/x, for x > 0").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, NamedTuple

from calcstudio.core.language import Piece
from calcstudio.core.language.printing import language_latex, language_text


class Condition(NamedTuple):
    """``kind`` (a key of :data:`CONDITIONS`) holds for the sympy expression ``value``."""

    kind: str
    value: Any


CONDITIONS: dict[str, tuple[str, str]] = {
    "positive": ("{} > 0", "{} > 0"),
    "nonnegative": ("{} ≥ 0", r"{} \geq 0"),
    "nonzero": ("{} ≠ 0", r"{} \neq 0"),
    "unit": ("-1 ≤ {} ≤ 1", r"-1 \leq {} \leq 1"),
    "open_unit": ("-1 < {} < 1", "-1 < {} < 1"),
    "outside_unit": ("abs({}) ≥ 1", r"\left|{}\right| \geq 1"),
    "open_outside_unit": ("abs({}) > 1", r"\left|{}\right| > 1"),
    "at_least_one": ("{} ≥ 1", r"{} \geq 1"),
    "above_one": ("{} > 1", "{} > 1"),
    "cos_nonzero": ("cos({}) ≠ 0", r"\cos\left({}\right) \neq 0"),
    "sin_nonzero": ("sin({}) ≠ 0", r"\sin\left({}\right) \neq 0"),
    "not_integer": ("{} is not a whole number", r"{} \text{{ is not a whole number}}"),
    "not_one": ("{} ≠ 1", r"{} \neq 1"),
    "defined": ("{} is defined", r"{} \text{{ is defined}}"),
}
"""Each kind of condition written as text and as LaTeX, ``{}`` standing for the value."""

# What a stronger condition on the same value also guarantees.
_IMPLIES = {
    "positive": {"positive", "nonnegative", "nonzero"},
    "open_unit": {"open_unit", "unit"},
    "open_outside_unit": {"open_outside_unit", "outside_unit", "nonzero"},
    "above_one": {"above_one", "at_least_one", "positive", "nonnegative", "nonzero"},
    "at_least_one": {"at_least_one", "positive", "nonnegative", "nonzero"},
}

# Conditions of a function g(u) alone, at every order.
_ALWAYS = {
    "log": "positive",
    "ln": "positive",
    "log10": "positive",
    "log2": "positive",
    "tan": "cos_nonzero",
    "sec": "cos_nonzero",
    "cot": "sin_nonzero",
    "csc": "sin_nonzero",
    "coth": "nonzero",
    "csch": "nonzero",
    "atanh": "open_unit",
}
# (condition of the value, condition of its derivatives).
_VALUE_THEN_SLOPE = {
    "asin": ("unit", "open_unit"),
    "acos": ("unit", "open_unit"),
    "asec": ("outside_unit", "open_outside_unit"),
    "acsc": ("outside_unit", "open_outside_unit"),
    "acosh": ("at_least_one", "above_one"),
}
# (lowest order without a value there, condition): jumps and kinks.
_SWITCHES = {
    "acot": (1, "nonzero"),  # acot(0) = π/2, acot(0⁻) → -π/2: a jump
    "sign": (1, "nonzero"),
    "step": (1, "nonzero"),
    "floor": (1, "not_integer"),
    "ceil": (1, "not_integer"),
    "abs": (2, "nonzero"),
    "relu": (2, "nonzero"),
}


def _power_conditions(base: Any, exponent: Any, order: int) -> list[Condition]:
    if exponent.free_symbols:  # see "variable_power"
        return []
    import sympy as sp

    if exponent.is_Integer:
        return [Condition("nonzero", base)] if exponent < 0 else []
    odd_root = isinstance(exponent, sp.Rational) and exponent.q % 2 == 1
    if (exponent - order).is_negative is not False:  # a slope divides by a power of u
        return [Condition("nonzero" if odd_root else "positive", base)]
    return [] if odd_root else [Condition("nonnegative", base)]


def piece_conditions(piece: Piece, order: int) -> list[Condition]:
    """The conditions under which a typed piece and its first ``order`` derivatives exist."""
    name, args, constant = piece
    if order and constant:
        # A constant does not switch as x moves: only whether it exists at all matters.
        return piece_conditions(piece, 0)
    if name == "pow":
        return _power_conditions(args[0], args[1], order)
    if name == "variable_power":
        # u^v is real where u > 0, or u < 0 and v is whole; its slopes come through
        # e^(v ln u), as the fast path and PyTorch compute them: only where u > 0
        # ((-2)^x has no real slope, and (-x)^sign(x) none either).
        base, exponent = args
        if order:
            return [Condition("positive", base)]
        return [Condition("defined", base**exponent)] if exponent.free_symbols else []
    if name == "log" and len(args) == 2:  # log(u, b) = ln u / ln b: b > 0 and b ≠ 1
        u, b = args
        return [Condition("positive", u), Condition("positive", b), Condition("not_one", b)]
    if name in ("min", "max"):
        return [Condition("nonzero", args[0] - args[1])] if order >= 2 else []
    if name in _ALWAYS:
        return [Condition(_ALWAYS[name], arg) for arg in args]
    if name in _VALUE_THEN_SLOPE:
        return [Condition(_VALUE_THEN_SLOPE[name][min(order, 1)], args[0])]
    if name in _SWITCHES and order >= _SWITCHES[name][0]:
        return [Condition(_SWITCHES[name][1], args[0])]
    return []


def _facts(expr: Any) -> set[Condition]:
    """Conditions the expression enforces by itself: where they fail, it has no value."""
    import sympy as sp

    from calcstudio.core.language.sympy_functions import language_functions

    own = language_functions()
    facts: set[Condition] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_number and node.exp.is_negative:
            odd = isinstance(node.exp, sp.Rational) and node.exp.q % 2 == 1
            facts.add(Condition("nonzero" if odd else "positive", node.base))
        elif isinstance(node, sp.Pow) and node.exp.is_number and not node.exp.is_Integer:
            odd = isinstance(node.exp, sp.Rational) and node.exp.q % 2 == 1
            if not odd:
                facts.add(Condition("nonnegative", node.base))
        elif isinstance(node, own.RealRoot) and node.args[1].is_negative:
            facts.add(Condition("nonzero", node.args[0]))
        elif isinstance(node, sp.log | own.LogBase):
            facts.add(Condition("positive", node.args[0]))
        if isinstance(node, sp.Pow) and node.exp.free_symbols:
            facts.add(Condition("defined", node))
        elif isinstance(node, sp.Function) and node.args:
            name = type(node).__name__
            kind = _ALWAYS.get(name) or _VALUE_THEN_SLOPE.get(name, (None,))[0]
            if kind:
                facts.add(Condition(kind, node.args[0]))
    return facts


def _implied(condition: Condition, facts: set[Condition]) -> bool:
    import sympy as sp

    kind, value = condition
    for fact in facts:
        if fact.value == value and kind in _IMPLIES.get(fact.kind, {fact.kind}):
            return True
    # 1/sqrt(1 - u^2), the slope of asin(u), exists only for -1 < u < 1, and so on.
    related = {
        "open_unit": (1 - value**2,),
        "above_one": (value**2 - 1, value - 1),
        "open_outside_unit": (1 - value**-2,),
    }
    targets = {sp.expand(target) for target in related.get(kind, ())}
    return any(f.kind == "positive" and sp.expand(f.value) in targets for f in facts)


def conditions_for(pieces: Iterable[Piece], order: int, expr: Any) -> tuple[Condition, ...]:
    """The conditions of the ``order``-th derivative that ``expr`` does not enforce itself.

    Parameters
    ----------
    pieces
        The typed pieces of the function (from :func:`~calcstudio.core.language.build_sympy`).
    order
        How many times the function was differentiated (in total, for partial derivatives).
    expr
        The (simplified) sympy expression of that derivative.
    """
    facts = _facts(expr)
    found: list[Condition] = []
    for piece in pieces:
        for condition in piece_conditions(piece, order):
            fresh = condition not in found and not _implied(condition, facts)
            if fresh and not _always_true(condition):
                found.append(condition)
    return tuple(found)


def _always_true(condition: Condition) -> bool:
    """Whether sympy can prove the condition everywhere: 1 + e^-x ≠ 0, x^2 ≥ 0."""
    kind, value = condition
    if not value.free_symbols:  # a constant: decide it (acos(2) has no slope either)
        from calcstudio.core.numeric import condition_holds

        try:
            return condition_holds(kind, float(value))
        except (TypeError, ValueError, OverflowError):
            return False
    if kind == "positive":
        return value.is_extended_positive is True
    if kind == "nonnegative":
        return value.is_extended_nonnegative is True
    if kind == "nonzero":
        return value.is_extended_nonzero is True
    if kind == "not_one":
        return (value - 1).is_extended_nonzero is True
    return False


# Each solvable kind as (relation, what to compare with 0): u ≥ 1 is u - 1 ≥ 0.
_AS_SIGN = {
    "positive": (">", lambda u: u),
    "nonnegative": ("≥", lambda u: u),
    "nonzero": ("≠", lambda u: u),
    "at_least_one": ("≥", lambda u: u - 1),
    "above_one": (">", lambda u: u - 1),
    "unit": ("≥", lambda u: 1 - u**2),
    "open_unit": (">", lambda u: 1 - u**2),
    "outside_unit": ("≥", lambda u: u**2 - 1),
    "open_outside_unit": (">", lambda u: u**2 - 1),
    "not_one": ("≠", lambda u: u - 1),
}


def _reduced(relation: str, value: Any, x: Any) -> list[tuple[str, Any]] | None:
    """``value relation 0`` as conditions on polynomials of degree ≤ 2, or None.

    Roots and absolute values are reduced to their argument: sqrt(p) ≥ 0 where p ≥ 0,
    sqrt(p) > 0 where p > 0, abs(p) > 0 where p ≠ 0.
    """
    import sympy as sp

    if isinstance(value, sp.Abs):
        return [] if relation == "≥" else _reduced("≠", value.args[0], x)
    if value.is_Pow and value.exp.is_Rational and value.exp > 0 and not value.exp.is_Integer:
        return _reduced("≥" if relation == "≥" else ">", value.base, x)
    if not value.is_polynomial(x):
        return None
    polynomial = sp.Poly(value, x)
    if polynomial.degree() > 2 or not (polynomial.domain.is_QQ or polynomial.domain.is_ZZ):
        return None
    return [(relation, polynomial)]


def _holds(relation: str, polynomial: Any, point: Any) -> bool:
    value = polynomial.eval(point)
    if relation == "≥":
        return bool(value.is_nonnegative)
    return bool(value.is_positive) if relation == ">" else not value.is_zero


def _words(segments: list[tuple[Any, Any, bool, bool]], x: Any) -> tuple[str, str]:
    """Intervals (low, high, low included, high included) as ``x > 0``, ``-1 ≤ x < 1``, ..."""
    import sympy as sp

    name, tex = x.name, language_latex(x)
    words = []
    for low, high, low_in, high_in in segments:
        if low == high:
            words.append((f"{name} = {language_text(low)}", f"{tex} = {language_latex(low)}"))
            continue
        left = ("≤", r"\leq") if low_in else ("<", "<")
        right = ("≤", r"\leq") if high_in else ("<", "<")
        if low == -sp.oo:
            words.append(
                (
                    f"{name} {right[0]} {language_text(high)}",
                    rf"{tex} {right[1]} {language_latex(high)}",
                )
            )
        elif high == sp.oo:
            flipped = {"≤": ("≥", r"\geq"), "<": (">", ">")}[left[0]]
            words.append(
                (
                    f"{name} {flipped[0]} {language_text(low)}",
                    rf"{tex} {flipped[1]} {language_latex(low)}",
                )
            )
        else:
            text = f"{language_text(low)} {left[0]} {name} {right[0]} {language_text(high)}"
            latex = rf"{language_latex(low)} {left[1]} {tex} {right[1]} {language_latex(high)}"
            words.append((text, latex))
    return " or ".join(w[0] for w in words), r" \text{ or } ".join(w[1] for w in words)


def _solved(conditions: list[Condition], x: Any) -> tuple[tuple[str, str] | None, list[Condition]]:
    """The conditions that can be solved for ``x``, as one statement, and those that cannot.

    A sign chart: the real roots of the polynomials cut the line into gaps; each gap and each
    root is kept where every condition holds (exact arithmetic, no sympy sets: those take
    50-800 ms, this about 1).
    """
    import sympy as sp

    tests: list[tuple[str, Any]] = []
    rest: list[Condition] = []
    for condition in conditions:
        relation, compared = _AS_SIGN.get(condition.kind, ("", None))
        reduced = _reduced(relation, sp.expand(compared(condition.value)), x) if compared else None
        if reduced is None:
            rest.append(condition)
        else:
            tests.extend(reduced)
    if not tests:
        return None, rest
    roots = sorted({r for _, p in tests for r in sp.real_roots(p)}, key=float)
    edges = [-sp.oo, *roots, sp.oo]
    # Alternate gaps and roots: (low, high, point to test).
    parts: list[tuple[Any, Any, Any]] = []
    for low, high in itertools.pairwise(edges):
        if low.is_finite:
            parts.append((low, low, low))
        inside = (low + high) / 2 if low.is_finite and high.is_finite else None
        if inside is None:
            inside = high - 1 if high.is_finite else (low + 1 if low.is_finite else sp.S.Zero)
        parts.append((low, high, inside))
    keep = [all(_holds(r, p, point) for r, p in tests) for _, _, point in parts]
    if all(keep):
        return ("", ""), rest
    if not any(keep):
        return None, conditions
    if all(kept or low == high for kept, (low, high, _) in zip(keep, parts, strict=True)):
        points = [low for kept, (low, high, _) in zip(keep, parts, strict=True) if not kept]
        text = " and ".join(f"{x.name} ≠ {language_text(p)}" for p in points)
        latex = r" \text{ and } ".join(
            rf"{language_latex(x)} \neq {language_latex(p)}" for p in points
        )
        return (text, latex), rest
    segments: list[tuple[Any, Any, bool, bool]] = []
    for kept, (low, high, _) in zip(keep, parts, strict=True):
        if not kept:
            continue
        point = low == high
        if segments and segments[-1][1] == low and (point or segments[-1][3]):
            start, _, start_in, _ = segments.pop()
            segments.append((start, high, start_in, point))
        else:
            segments.append((low, high, point, point))
    return _words(segments, x), rest


def describe(conditions: Iterable[Condition], symbols: tuple[Any, ...]) -> tuple[str, str]:
    """The conditions in words and as LaTeX, e.g. ``("x > 0", "x > 0")``; empty if none."""

    conditions = list(conditions)
    texts: list[str] = []
    latexes: list[str] = []
    if len(symbols) == 1 and conditions:
        solved, rest = _solved(conditions, symbols[0])
        if solved is not None:
            conditions = rest
            if solved[0]:
                texts.append(solved[0])
                latexes.append(solved[1])
    for condition in conditions:
        text, latex = CONDITIONS[condition.kind]
        texts.append(text.format(language_text(condition.value)))
        latexes.append(latex.format(language_latex(condition.value)))
    return " and ".join(texts), r" \text{ and } ".join(latexes)


__all__ = ["CONDITIONS", "Condition", "conditions_for", "describe", "piece_conditions"]
