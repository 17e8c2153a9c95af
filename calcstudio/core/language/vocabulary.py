"""The vocabulary of the expression language: which names are functions, constants, variables.

The parser (:mod:`calcstudio.core.language.syntax`) accepts only these names as functions;
:mod:`calcstudio.core.language` maps each to its sympy object, and
:mod:`calcstudio.core.jets` to its numeric rule. Any other name is a variable, declared
by an optional ``f(x, y) =`` prefix or ordered by :func:`variable_order`.
"""

from __future__ import annotations

import re

from calcstudio.core.language.tokens import ParseError, is_name

_DEFINITION = re.compile(
    r"\s*(?:[^\W\d_]\w*\s*\(\s*([^()=]*)\)|[yz])\s*=(?!=)\s*",
)

FUNCTION_ARITY: dict[str, tuple[int, int]] = {
    **{
        name: (1, 1)
        for name in (  # noqa: SIM905 - a word list reads better than 30 quoted names
            "sin cos tan cot sec csc asin acos atan acot asec acsc sinh cosh tanh "
            "coth sech csch asinh acosh atanh exp ln log10 log2 sqrt cbrt abs sign "
            "floor ceil step sigmoid relu softplus "
        ).split()
    },
    "log": (1, 2),
    "min": (2, 8),
    "max": (2, 8),
}
"""Allowed function names and their (fewest, most) arguments."""

FUNCTION_ALIASES = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arsinh": "asinh",
    "arcosh": "acosh",
    "artanh": "atanh",
    "ceiling": "ceil",
    "sgn": "sign",
}
"""Other spellings of functions, mapped to their names in :data:`FUNCTION_ARITY`."""

CONSTANTS = {"pi": "pi", "π": "pi", "e": "E", "tau": "tau", "τ": "tau"}
"""Constant names as typed, mapped to the name the syntax tree uses."""


def canonical_function_name(name: str) -> str | None:
    """Return the table name of a function (resolving aliases), or None if unknown."""
    name = FUNCTION_ALIASES.get(name, name)
    return name if name in FUNCTION_ARITY else None


def known_prefix(name: str) -> str | None:
    """The longest function or constant name that ``name`` starts with, if any."""
    candidates = [*FUNCTION_ARITY, *FUNCTION_ALIASES, "pi"]
    best = None
    for candidate in candidates:
        longer = name.startswith(candidate) and len(name) > len(candidate)
        if longer and (best is None or len(candidate) > len(best)):
            best = candidate
    return best


def variable_order(name: str) -> tuple[int, str, int]:
    """Sort key for variables: ``x``, ``y``, ``z`` first, then by name, ``w2`` before ``w10``."""
    order = {"x": 0, "y": 1, "z": 2}
    match = re.fullmatch(r"(.*?)(\d+)", name)
    if match:
        return (order.get(match.group(1), 3), match.group(1), int(match.group(2)))
    return (order.get(name, 3), name, -1)


def split_definition(text: str) -> tuple[int, tuple[str, ...] | None]:
    """Find an optional ``f(x, y) =`` or ``y =`` prefix.

    Returns
    -------
    offset, variables
        Where the expression starts, and the declared variables (None when there is no
        prefix or it declares none, as ``y =`` does).

    Raises
    ------
    ParseError
        For a missing, repeated or reserved variable name.
    """
    match = _DEFINITION.match(text)
    if not match:
        return 0, None
    if match.group(1) is None:
        return match.end(), None
    names = tuple(part.strip() for part in match.group(1).split(","))
    span = match.start(1), match.end(1)
    for name in names:
        if not name:
            raise ParseError("a variable name is missing, as in f(x, y) =", *span)
        if not is_name(name) or canonical_function_name(name) or name in CONSTANTS:
            raise ParseError(f"'{name}' cannot be a variable name", *span)
    if len(set(names)) != len(names):
        raise ParseError("a variable is listed twice", 0, match.end())
    return match.end(), names
