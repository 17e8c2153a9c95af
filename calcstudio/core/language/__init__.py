"""The expression language: maths as people type it, built into sympy expressions.

- :mod:`.tokens`: characters to tokens (numbers, names, operators, pasted Unicode).
- :mod:`.vocabulary`: the fixed tables of functions and constants a learner may use.
- :mod:`.syntax`: tokens to a small syntax tree (pure Python, microseconds, no sympy).
- :mod:`.tree`: the syntax tree's types (:class:`Node`, :class:`SyntaxTree`) and its free names.
- :mod:`.build`: the tree to a sympy expression, from those tables only; no user text ever
  reaches ``eval``, ``exec``, ``sympify`` or ``parse_expr``.

This package is the public entry point: ``from calcstudio.core.language import parse_tree``.
"""

from __future__ import annotations

from calcstudio.core.language.build import (
    MAX_CONSTANT_BITS,
    MAX_EXPONENT,
    Piece,
    build_sympy,
)
from calcstudio.core.language.syntax import MAX_DEPTH, MAX_LENGTH, check_syntax, parse_tree
from calcstudio.core.language.tokens import MAX_DIGITS, ParseError, Token, tokenize
from calcstudio.core.language.tree import Node, SyntaxTree
from calcstudio.core.language.vocabulary import (
    CONSTANTS,
    FUNCTION_ALIASES,
    FUNCTION_ARITY,
    canonical_function_name,
)

__all__ = [
    "CONSTANTS",
    "FUNCTION_ALIASES",
    "FUNCTION_ARITY",
    "MAX_CONSTANT_BITS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "Node",
    "ParseError",
    "Piece",
    "SyntaxTree",
    "Token",
    "build_sympy",
    "canonical_function_name",
    "check_syntax",
    "parse_tree",
    "tokenize",
]
