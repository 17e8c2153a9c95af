"""Sympy expressions written back in the expression language and in LaTeX.

Both printers write huge exact numbers that are a few digits times a power of ten in
scientific notation: a typed ``1e-300*x`` is the exact rational x/10³⁰⁰ inside, which sympy
would print with three hundred zeros. ``1e300`` parses back to the same exact number, so the
canonical text still round-trips. Built lazily: sympy costs 0.5 s to import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

# Integers longer than this are candidates for scientific notation; shorter ones read fine.
_LONGEST_PLAIN_INTEGER = 15
# ... and only when at most this many significant digits remain (2^64 stays as it is).
_MOST_SIGNIFICANT_DIGITS = 6

# sympy's spelling of a function -> the expression language's, for canonical text.
_LANGUAGE_NAMES = {"Abs": "abs", "Max": "max", "Min": "min", "ceiling": "ceil"}
_SYMPY_NAMES = re.compile(r"\b(" + "|".join(_LANGUAGE_NAMES) + r")\(")


def scientific_parts(value: int) -> tuple[str, int] | None:
    """``(mantissa, exponent)`` of a long integer of few significant digits, else None.

    >>> scientific_parts(10**300)
    ('1', 300)
    >>> scientific_parts(-25 * 10**40)
    ('-2.5', 41)
    >>> scientific_parts(2**64) is None
    True
    """
    digits = str(abs(value))
    significant = digits.rstrip("0")
    if len(digits) <= _LONGEST_PLAIN_INTEGER or len(significant) > _MOST_SIGNIFICANT_DIGITS:
        return None
    mantissa = significant[0] + ("." + significant[1:] if len(significant) > 1 else "")
    return ("-" if value < 0 else "") + mantissa, len(digits) - 1


def _integer_text(value: int) -> str:
    parts = scientific_parts(value)
    return f"{parts[0]}e{parts[1]}" if parts else str(value)


def _integer_latex(value: int) -> str:
    parts = scientific_parts(value)
    if parts is None:
        return str(value)
    mantissa, exponent = parts
    if mantissa in ("1", "-1"):
        return f"{mantissa[:-1]}10^{{{exponent}}}"
    return rf"{mantissa} \cdot 10^{{{exponent}}}"


@functools.lru_cache(maxsize=64)
def _ordered_terms(expr: Any, order: str | None) -> tuple[Any, ...]:
    """The terms of a sum in the order both printers write them, sorted once for both: a
    function's text and its LaTeX (each of f, f′, f″) sorted every sum twice, the longest
    part of printing a polynomial."""
    return tuple(expr.as_ordered_terms(order=order))


class _SharedOrder:
    """A printer mix-in: sums ordered through :func:`_ordered_terms`."""

    def _as_ordered_terms(self, expr: Any, order: str | None = None) -> list[Any]:
        order = order or self.order  # type: ignore[attr-defined]
        if order in ("old", "none"):
            return super()._as_ordered_terms(expr, order)  # type: ignore[misc]
        return list(_ordered_terms(expr, order))


REMEMBERED = 4096
"""Most products (and powers) whose text a printer keeps (then it starts afresh)."""


class _RememberedProducts:
    """A printer mix-in: the text of each product is kept, so the next keystroke's f, f′
    and f″, which share most of their terms with this one's, print only what is new. A
    product's text depends on the product alone (the printer's settings are fixed; even
    a float inside one is always printed nested), not on where it stands."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[Any, str] = {}

    def _remembered(self, expr: Any, print_anew: Callable[[Any], str]) -> str:
        text = self._kept.get(expr)
        if text is None:
            if len(self._kept) >= REMEMBERED:
                self._kept.clear()
            text = self._kept[expr] = print_anew(expr)
        return text

    def _print_Mul(self, expr: Any) -> str:  # noqa: N802 (sympy's name)
        return self._remembered(expr, super()._print_Mul)  # type: ignore[misc]


class _RememberedPowers(_RememberedProducts):
    """Products and powers kept (the LaTeX printer's powers take no other argument)."""

    def _print_Pow(self, expr: Any) -> str:  # noqa: N802 (sympy's name)
        return self._remembered(expr, super()._print_Pow)  # type: ignore[misc]


@functools.cache
def _printers() -> tuple[Any, Any]:
    from sympy.printing.latex import LatexPrinter
    from sympy.printing.str import StrPrinter

    class LanguagePrinter(_RememberedProducts, _SharedOrder, StrPrinter):
        def _print_Integer(self, expr: Any) -> str:  # noqa: N802 (sympy's name)
            return _integer_text(int(expr))

        def _print_Rational(self, expr: Any) -> str:  # noqa: N802 (sympy's name)
            if expr.q == 1:
                return _integer_text(int(expr.p))
            return f"{_integer_text(int(expr.p))}/{_integer_text(int(expr.q))}"

    class LanguageLatexPrinter(_RememberedPowers, _SharedOrder, LatexPrinter):
        def _print_Rational(self, expr: Any) -> str:  # noqa: N802 (sympy's name)
            if scientific_parts(int(expr.p)) is None and scientific_parts(int(expr.q)) is None:
                return super()._print_Rational(expr)
            if expr.q == 1:
                return _integer_latex(int(expr.p))
            sign = "- " if expr.p < 0 else ""
            numerator, denominator = _integer_latex(abs(int(expr.p))), _integer_latex(int(expr.q))
            return rf"{sign}\frac{{{numerator}}}{{{denominator}}}"

    return LanguagePrinter(settings={"full_prec": False}), LanguageLatexPrinter()


def language_text(expr: Any) -> str:
    """A sympy expression written in the expression language, e.g. ``32*x*cos(16*x^2)``."""
    text = _printers()[0].doprint(expr).replace("**", "^")
    return _SYMPY_NAMES.sub(lambda m: _LANGUAGE_NAMES[m.group(1)] + "(", text)


def language_latex(expr: Any) -> str:
    r"""A sympy expression as LaTeX, huge round numbers as powers of ten (``10^{300}``)."""
    return _printers()[1].doprint(expr)


__all__ = ["language_latex", "language_text", "scientific_parts"]
