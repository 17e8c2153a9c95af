"""Which names are variables, and what a name that is not one probably meant.

The rule (also in README, "The expression language"): a variable is

- a single letter (``x``, ``w``, ``θ``), optionally followed by digits or a subscript
  (``w1``, ``x12``, ``w_1``, ``x_min``),
- a Greek letter's name (``theta``, ``alpha``, ``lambda``), with the same digits or subscript
  (``theta0``, ``theta_1``),
- or any name an ``f(w) = ...`` definition lists.

Any other run of letters is not a new variable: while typing it is usually an unfinished
function name (``si`` on the way to ``sin(``) or a product written without spaces (``xsin(x)``,
``xe^x``, ``xx``), so the parser rejects it with a hint instead of plotting nonsense.
"""

from __future__ import annotations

import re

from calcstudio.core.language.vocabulary import CONSTANTS, FUNCTION_ALIASES, FUNCTION_ARITY

GREEK_NAMES = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho "  # noqa: SIM905
    "sigma upsilon phi chi psi omega".split()
)
"""Greek letters' names that are variables (pi and tau are constants)."""

_VARIABLE = re.compile(
    rf"(?:{'|'.join(sorted(GREEK_NAMES, key=len, reverse=True))}|[^\W\d_])"
    r"(?:[0-9]+|_[^\W_]+)?"
)
_FUNCTIONS = sorted([*FUNCTION_ARITY, *FUNCTION_ALIASES], key=len, reverse=True)
_CALLS = tuple(f"{name}(" for name in FUNCTION_ARITY)
_CONSTANT_NAMES = sorted((name for name in CONSTANTS if name.isascii()), key=len, reverse=True)


def is_variable_name(name: str, declared: tuple[str, ...] | None = None) -> bool:
    """Whether ``name`` is a variable by the rule above (``declared``: the definition's names)."""
    if declared is not None and name in declared:
        return True
    return _VARIABLE.fullmatch(name) is not None and name not in CONSTANTS


def _split(name: str, declared: tuple[str, ...], argument: str) -> str | None:
    """``name`` as a product of variables, constants and function calls, or None.

    ``argument`` is the bracketed text after the name (empty if none), which a function at
    the end of the name takes: ``xsin`` + ``(x)`` -> ``x·sin(x)``.
    """
    if not name:
        return argument
    for function in _FUNCTIONS:
        if name.startswith(function):
            rest = name[len(function) :]
            if not rest:
                return f"{function}{argument or '(…)'}"
            inner = _split(rest, declared, "") if rest else None
            if inner:
                return f"{function}({inner}){argument}"
    pieces = [*sorted(declared, key=len, reverse=True), *_CONSTANT_NAMES]
    match = _VARIABLE.match(name)
    if match is not None:
        pieces.append(match.group(0))
    for piece in pieces:
        if name.startswith(piece):
            rest = _split(name[len(piece) :], declared, argument)
            if rest is not None:
                return f"{piece}·{rest}" if rest and rest[0] != "(" else f"{piece}{rest}"
    return None


def _completion(name: str, argument: str) -> str | None:
    """The shortest function or Greek name that ``name`` is the beginning of."""
    longer = [
        candidate
        for candidate in (*FUNCTION_ARITY, *GREEK_NAMES)
        if candidate.startswith(name) and candidate != name
    ]
    if not longer:
        return None
    best = min(longer, key=lambda candidate: (len(candidate), candidate))
    if best not in FUNCTION_ARITY:
        return best
    return f"{best}{argument}" if argument.startswith("(") else f"{best}(…)"


def not_a_variable(name: str, declared: tuple[str, ...] | None, argument: str) -> str:
    """The message for a name that is neither a function, a constant nor a variable.

    Parameters
    ----------
    name
        The name as typed, e.g. ``xsin``.
    declared
        The variables an ``f(...) =`` definition lists, if any.
    argument
        What follows the name up to the end of its bracket or exponent (``(x)``, ``^x``),
        quoted in the suggestion.

    Returns
    -------
    str
        E.g. ``'xsin' is not a variable; did you mean x·sin(x)?``.
    """
    lower = name.lower()
    if lower != name and lower in FUNCTION_ARITY:
        return f"unknown function '{name}'; did you mean {lower}?"
    ideas = []
    completion = _completion(name, argument)
    if completion is not None:
        ideas.append(completion)
    split = _split(name, declared or (), argument if argument.startswith("(") else "")
    # Three or more letters in a row are rarely a product (``foo``), so those get no split.
    letters = [piece for piece in (split or "").split("·") if not piece.startswith(_CALLS)]
    if split and len(letters) <= 2:
        ideas.append(split if argument.startswith("(") else f"{split}{argument}")
    if ideas:
        return f"'{name}' is not a variable; did you mean {' or '.join(ideas)}?"
    if argument.startswith("("):
        return f"unknown function '{name}'"
    return (
        f"'{name}' is not a variable: variables are one letter (x, w1, x_2) or a Greek name "
        f"(theta); write f({name}) = … to use this name"
    )
