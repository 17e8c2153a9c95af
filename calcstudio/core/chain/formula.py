"""Small formulas written in the expression language, with the brackets they need.

The derivation steps build derivatives piece by piece (``cos(u)``, ``2u``, a product of links);
these helpers join pieces with the fewest brackets that keep the meaning, and tidy the obvious
(``1·u`` is ``u``, ``u + 0`` is ``u``, ``2·3`` is ``6``), so every text parses back with
:func:`calcstudio.core.language.parse_tree` to the function it stands for. Deeper
simplification is the symbolic engine's job.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction

from calcstudio.core.language import Node

SUM, PRODUCT, NEGATION, POWER, ATOM = 1, 2, 3, 4, 5
"""How tightly a formula's outermost operation binds (brackets go around looser ones)."""


@dataclass(frozen=True)
class Formula:
    """A formula's text and how tightly its outermost operation binds.

    Attributes
    ----------
    text
        In the expression language (``*`` for products, ``^`` for powers).
    level
        One of :data:`SUM`, :data:`PRODUCT`, :data:`NEGATION`, :data:`POWER`, :data:`ATOM`.
    number
        The exact value when the formula is a plain rational number, else None.
    coefficient, factors
        For a product made by :func:`multiply`: its number in front and its other factors,
        so a product of products is written as one (``4·(2·(4x))`` is ``32x``).
    """

    text: str
    level: int
    number: Fraction | None = None
    coefficient: Fraction = Fraction(1)
    factors: tuple[Formula, ...] = ()

    def bracketed(self, below: int) -> str:
        """The text, in brackets if it binds more loosely than ``below``."""
        return f"({self.text})" if self.level < below else self.text


@functools.lru_cache(maxsize=4096)
def number(value: Fraction | int | float) -> Formula:
    """A number; whole and simple rational values are written exactly (``1/3``)."""
    exact = Fraction(value).limit_denominator(10**6) if not isinstance(value, Fraction) else value
    if isinstance(value, float) and float(exact) != value:
        text = repr(value)
        return Formula(text, NEGATION if value < 0 else ATOM)
    if exact.denominator == 1:
        text, level = str(exact.numerator), ATOM
    else:
        text, level = f"{exact.numerator}/{exact.denominator}", PRODUCT
    return Formula(text, NEGATION if exact < 0 else level, exact)


def atom(text: str) -> Formula:
    """A name, a call such as ``sin(x)``, or anything already in brackets."""
    return Formula(text, ATOM)


def call(name: str, *arguments: Formula) -> Formula:
    """``name(argument, ...)``."""
    return atom(f"{name}({', '.join(argument.text for argument in arguments)})")


def negate(formula: Formula) -> Formula:
    """``-formula``; a product keeps its factors, so ``2·(−sin x)`` is written ``-2sin(x)``."""
    if formula.number is not None:
        return number(-formula.number)
    coefficient, factors = _as_product(formula)
    if formula.level == NEGATION:
        return Formula(formula.text[1:], PRODUCT, None, -coefficient, factors)
    return Formula(f"-{formula.bracketed(PRODUCT)}", NEGATION, None, -coefficient, factors)


def _as_product(formula: Formula) -> tuple[Fraction, tuple[Formula, ...]]:
    """``formula`` as a number times factors."""
    if formula.number is not None:
        return formula.number, ()
    if formula.factors:
        return formula.coefficient, formula.factors
    return Fraction(1), (formula,)


def opaque(formula: Formula) -> Formula:
    """``formula`` as one factor that products do not look into: ``2·(4x)`` stays ``2(4x)``,
    as a chain of links is written before it is simplified."""
    return Formula(formula.text, formula.level, formula.number)


def add(*terms: Formula) -> Formula:
    """The sum of ``terms`` in their order: numbers added up where the first of them stands,
    zeros left out, a negative term written as a difference (``1 - sigmoid(u)``)."""
    constant = sum((term.number for term in terms if term.number is not None), Fraction(0))
    kept: list[Formula] = []
    placed = False
    for term in terms:
        if term.number is None:
            kept.append(term)
        elif not placed:
            placed = True
            if constant:
                kept.append(number(constant))
    if not kept:
        return number(0)
    if len(kept) == 1:
        return kept[0]
    text = kept[0].text
    for term in kept[1:]:
        if term.level == NEGATION:
            text += f" - {term.text[1:]}"
        else:
            text += f" + {term.text}"
    return Formula(text, SUM)


def subtract(left: Formula, right: Formula) -> Formula:
    """``left - right``."""
    return add(left, negate(right))


def multiply(*factors: Formula) -> Formula:
    """The product of ``factors``: numbers multiplied out in front, ones left out, variables
    before the functions of them (``32x*cos(16x^2)``)."""
    coefficient = Fraction(1)
    others: list[Formula] = []
    for factor in factors:
        scale, parts = _as_product(factor)
        coefficient *= scale
        others.extend(parts)
    if coefficient == 0:
        return number(0)
    if not others:
        return number(coefficient)
    if coefficient < 0:
        return negate(multiply(number(-coefficient), *others))
    if coefficient == 1 and len(others) == 1:
        return others[0]
    others.sort(key=lambda factor: not _is_power_of_name(factor.text))
    text = "" if coefficient == 1 else number(coefficient).bracketed(ATOM)
    for factor in others:
        piece = factor.bracketed(POWER if text else PRODUCT)
        text = _juxtapose(text, piece) if text else piece
    return Formula(text, PRODUCT, None, coefficient, tuple(others))


def _is_power_of_name(text: str) -> bool:
    name = text.split("^", 1)[0]
    return name.isidentifier() and "(" not in text


def divide(numerator: Formula, denominator: Formula) -> Formula:
    """``numerator / denominator``."""
    if denominator.number == 1:
        return numerator
    if numerator.number is not None and denominator.number not in (None, 0):
        return number(numerator.number / denominator.number)
    if numerator.number == 0:
        return number(0)
    top = numerator.bracketed(PRODUCT) if numerator.level != NEGATION else f"({numerator.text})"
    return Formula(f"{top}/{denominator.bracketed(POWER)}", PRODUCT)


def power(base: Formula, exponent: Formula) -> Formula:
    """``base^exponent``; an exponent of 1 is left out."""
    if exponent.number == 1:
        return base
    if exponent.number == 0:
        return number(1)
    return Formula(f"{base.bracketed(ATOM)}^{exponent.bracketed(ATOM)}", POWER)


_CONSTANT_TEXT = {"E": "e"}


def from_tree(root: Node, replaced: dict[int, Formula] | None = None) -> Formula:
    """The formula of a syntax tree, with the fewest brackets.

    Parameters
    ----------
    root
        The tree (or a subtree).
    replaced
        Subtrees (by ``id``) to write as the given formulas instead, such as a placeholder
        ``u`` for the inner function of a chain-rule link.
    """
    return written_subtrees(root, replaced)[id(root)]


def written_subtrees(root: Node, replaced: dict[int, Formula] | None = None) -> dict[int, Formula]:
    """The formula of every subtree of ``root``, by ``id``, written once each."""
    replaced = replaced or {}
    written: dict[int, Formula] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:  # iterative: a 500-term sum must not hit the recursion limit
        node, expanded = stack.pop()
        key = id(node)
        if key in replaced:
            written[key] = replaced[key]
        elif not expanded and node.args:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
        else:
            written[key] = _write(node, [written[id(arg)] for arg in node.args])
    return written


def _write(node: Node, args: list[Formula]) -> Formula:
    kind = node.kind
    if kind == "num":
        return Formula(node.text, ATOM, Fraction(node.text) if _is_plain(node.text) else None)
    if kind == "name":
        return atom(_CONSTANT_TEXT.get(node.text, node.text))
    if kind == "call":
        return call(node.text, *args)
    if kind == "neg":
        return negate(args[0])
    left, right = args
    if kind in ("add", "sub"):
        sign = "+" if kind == "add" else "-"
        written = f"({right.text})" if right.level in (SUM, NEGATION) else right.text
        return Formula(f"{left.text} {sign} {written}", SUM)
    if kind == "mul":
        (left_scale, left_parts), (right_scale, right_parts) = _as_product(left), _as_product(right)
        text = _juxtapose(left.bracketed(PRODUCT), right.bracketed(POWER))
        return Formula(text, PRODUCT, None, left_scale * right_scale, left_parts + right_parts)
    if kind == "div":
        top = left.bracketed(PRODUCT) if left.level != NEGATION else f"({left.text})"
        return Formula(f"{top}/{right.bracketed(POWER)}", PRODUCT)
    return Formula(f"{left.bracketed(ATOM)}^{right.bracketed(ATOM)}", POWER)


def _is_plain(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


def _juxtapose(left: str, right: str) -> str:
    """``left`` times ``right`` as a textbook writes it: ``4x``, ``2(x+1)``, else ``a*b``."""
    number_first = left.replace(".", "", 1).isdigit()
    if number_first and right[:1] not in ("e", "E", "") and (right[0].isalpha() or right[0] == "("):
        return left + right
    return f"{left}*{right}"


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_NUMBER_TIMES = re.compile(r"(?<![\w.])(\d+)\*(?=[a-df-zA-DF-Z(])")
"""A whole number times a name or a bracket, written as a textbook does: ``32x``, ``2(x+1)``."""
_WHOLE_EXPONENT = re.compile(r"\^(\(-\d+\)|-?\d+)(?![\d.])")


def display(text: str) -> str:
    """A formula as a textbook prints it: ``·`` for ``*``, whole exponents raised
    (``32x*cos((4x)^2)`` reads ``32x·cos((4x)²)``). For reading only: the project's parser
    reads it back too (it takes ``·`` and superscripts)."""
    raised = _WHOLE_EXPONENT.sub(lambda m: m.group(1).strip("()").translate(_SUPERSCRIPTS), text)
    return _NUMBER_TIMES.sub(r"\1", raised).replace("*", "·")
