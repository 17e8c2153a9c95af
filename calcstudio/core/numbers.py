"""Numbers as a learner reads and types them: one rule for digits, one reader for fields.

The rule for every readout: a value that has a short exact decimal form (up to
:data:`EXACT_DIGITS` significant digits) is written exactly, so 0.5625 stays 0.5625 and the
seventh step of the seed example stays 0.536870912; any other value gets ``digits``
significant digits (:data:`READOUT_DIGITS` by default, enough to tell the numbers of a
lesson apart). Values from 10⁻⁴ up to 10⁶ are written positionally, others as ``1.5e-7``.

:func:`parse_number` reads a number field the way the function editor reads a constant
(``pi/4``, ``2pi``, ``1e-3``, ``√2``), through the same parser: no ``eval``.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import (
    CONSTANTS,
    ParseError,
    canonical_function_name,
    parse_tree,
    tokenize,
)
from calcstudio.core.language.tokens import fold_unicode

EXACT_DIGITS = 10
"""Most significant digits a value may have to be written exactly."""
READOUT_DIGITS = 4
"""Significant digits of a value that has no short exact form."""

_SMALLEST_POSITIONAL = 1e-4
_LARGEST_POSITIONAL = 1e6


def _written(value: float, digits: int) -> str:
    if _SMALLEST_POSITIONAL <= abs(value) < _LARGEST_POSITIONAL:
        return np.format_float_positional(
            value, precision=digits, unique=False, fractional=False, trim="-"
        )
    text = np.format_float_scientific(value, precision=digits - 1, unique=False, trim="-")
    mantissa, exponent = text.split("e")
    return f"{mantissa.rstrip('.')}e{int(exponent)}"


@functools.lru_cache(maxsize=1024)
def _format(value: float, digits: int) -> str:
    # Most values a run writes have no short form: if even EXACT_DIGITS digits land farther
    # than 8 units in the last place, no shorter form is within the 4 below (a shorter
    # decimal is also one of EXACT_DIGITS digits; the roundings to floats add at most 2).
    longest = _written(value, EXACT_DIGITS)
    if abs(float(longest) - value) > 8 * math.ulp(value):
        return _written(value, digits)
    for exact in range(1, EXACT_DIGITS + 1):
        text = _written(value, exact)
        # A few units in the last place: 0.1 + 0.2 is written 0.3.
        if abs(float(text) - value) <= 4 * math.ulp(value):
            return text
    return _written(value, digits)


def format_number(value: float, digits: int = READOUT_DIGITS) -> str:
    """``value`` by the one rule for digits (module docstring): exact when short, else rounded.

    Parameters
    ----------
    value
        The number.
    digits
        Significant digits of a value without a short exact form.

    Returns
    -------
    str
        E.g. ``0.5625``, ``0.536870912``, ``0.8415``, ``-3``, ``1.5e-7``; ``undefined`` for NaN,
        ``infinity`` or ``-infinity``. Never ``-0``.
    """
    value = float(value)
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "infinity" if value > 0 else "-infinity"
    if value == 0:
        return "0"
    # Cached: readouts and graphs write the same values again and again as things move.
    return _format(value, digits)


def parse_number(text: str) -> float:
    """A number typed by a learner, read like a constant in the function editor.

    Accepts ``0.5``, ``-2``, ``−2``, ``1e-3``, ``.5``, ``pi/4``, ``2pi``, ``√2``, ``e^2``.

    Raises
    ------
    ValueError
        With a message in plain words (the editor's style) when ``text`` is not one finite
        number.
    """
    if not text.strip():
        raise ValueError("Type a number, such as 0.5, -2, 1e-3 or pi/4.")
    typed = text.strip()
    if typed.lower() in ("nan", "inf", "-inf", "infinity", "-infinity"):
        raise ValueError(f"'{typed}' is not an ordinary number. Type one such as 0.5 or pi/4.")
    try:
        for token in tokenize(fold_unicode(typed)):
            name = token.text if token.kind == "name" else None
            if name and name not in CONSTANTS and canonical_function_name(name) is None:
                raise ValueError(
                    f"'{typed}' is not a number: it has the name {name} in it. "
                    "Type a number, such as 0.5 or pi/4."
                )
        tree = parse_tree(typed)
    except ParseError as error:
        raise ValueError(f"'{typed}' is not a number: {error.message}.") from None
    evaluators = derivative_evaluators(tree)
    assert evaluators is not None  # a constant is a function of one variable
    value = float(evaluators[0](np.zeros(1))[0])
    if math.isnan(value):
        # The evaluators write NaN for overflow too, so say both.
        raise ValueError(
            f"'{typed}' has no real value or is too large. Type an ordinary number, such as 0.5."
        )
    return value
