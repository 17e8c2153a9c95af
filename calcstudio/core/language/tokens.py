"""Reading characters: the tokenizer of the expression language, and its error type.

The first step of parsing (see :mod:`calcstudio.core.language.syntax`). Pure Python, no sympy.
Unicode that people paste (``x²``, ``−``, ``×``, ``π``, ``√``) is read here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_DIGITS = 40
"""Most characters in one number literal."""
MAX_MAGNITUDE = 300
"""Numbers (typed or computed) lie within 10^-MAX_MAGNITUDE and 10^MAX_MAGNITUDE, or are 0."""


class ParseError(ValueError):
    """Text that is not a valid function.

    Parameters
    ----------
    message
        What is wrong, in words a learner understands.
    start, end
        Character span (0-based, end exclusive) to highlight in the text.
    """

    def __init__(self, message: str, start: int = 0, end: int = 0) -> None:
        self.message = message
        self.start = start
        self.end = max(end, start)
        super().__init__(str(self))

    def __str__(self) -> str:
        first, last = self.start + 1, max(self.end, self.start + 1)
        where = f"{first}" if first == last else f"{first}-{last}"
        return f"{self.message} at {where}"


def _is_ascii_digit(ch: str) -> bool:
    """True for 0-9 only: ``str.isdigit`` also accepts superscripts such as '²'."""
    return "0" <= ch <= "9"


_UNICODE_REPLACEMENTS = {
    "−": "-",
    "–": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "÷": "/",
    "（": "(",
    "）": ")",
}
_SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text and where it stands in the input."""

    kind: str  # "num", "name", "op", "(", ")", ",", "|", "sqrt", "sup", "end"
    text: str
    start: int
    end: int


_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# A letter, then letters and ASCII digits (single underscores allowed inside: w_1).
# Written out rather than with \w, which would swallow superscripts such as x².
_LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u209f\u03c0\u03c4]"
_NAME = re.compile(rf"{_LETTER}(?:{_LETTER}|[0-9]|_(?=[0-9]|{_LETTER}))*")


def _is_name_part(ch: str) -> bool:
    # \w also matches numerals such as '½' and 'Ⅻ', which are not letters.
    return ch.isalpha() or _is_ascii_digit(ch) or ch == "_"


def _name_end(text: str, start: int) -> int:
    """Where the name starting at ``start`` ends (``start`` itself if there is none)."""
    match = _NAME.match(text, start)
    if match is None:
        return start
    end = start
    while end < match.end() and _is_name_part(text[end]):
        end += 1
    while end > start and text[end - 1] == "_":
        end -= 1
    return end


def is_name(text: str) -> bool:
    """Whether ``text`` is one whole name as the tokenizer reads names (``w1``, ``theta``)."""
    return bool(text) and _name_end(text, 0) == len(text)


def _fold(ch: str) -> str:
    if ch.isascii() or ch in _SUPERSCRIPTS or "\u2070" <= ch <= "\u207f":
        return ch  # superscripts are exponents, not digits or letters
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1 and folded.isascii() and (folded.isalnum() or folded in "+-*/^()|,.="):
        return folded
    return ch


def fold_unicode(text: str) -> str:
    """Replace look-alike characters pasted from typeset maths by their plain form.

    Italic and bold maths letters (``𝑥``), full-width forms (``ｘ``), subscript digits
    (``w₁``) and the script ``ℯ`` become ``x``, ``w1`` and ``e``. Each character maps to
    one character, so error spans still point into the text as typed.

    Parameters
    ----------
    text
        The text as typed.

    Returns
    -------
    str
        The folded text, of the same length.
    """
    if text.isascii():
        return text
    return "".join(_fold(ch) for ch in text)


def _check_magnitude(number: re.Match[str], start: int, end: int) -> None:
    """Refuse a literal beyond 10^±300: float64 would turn 1e-99999 into 0 unsaid."""
    value = float(number.group(0))
    if value > 10.0**MAX_MAGNITUDE:
        raise ParseError(f"this number is too large (beyond 10^{MAX_MAGNITUDE})", start, end)
    if value < 10.0**-MAX_MAGNITUDE and any(ch in "123456789" for ch in number.group(1)):
        raise ParseError(
            f"this number is too small (below 10^-{MAX_MAGNITUDE}), and it is not 0", start, end
        )


def tokenize(text: str) -> list[Token]:
    """Split text into tokens, rejecting any character the language does not use.

    Parameters
    ----------
    text
        The expression as typed.

    Returns
    -------
    list of Token
        Ending with an ``end`` token.

    Raises
    ------
    ParseError
        For an unknown character or a malformed number.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = _UNICODE_REPLACEMENTS.get(text[i], text[i])
        if ch.isspace():
            i += 1
            continue
        if ch in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            digits = "".join(_SUPERSCRIPTS[c] for c in text[i:j])
            if not re.fullmatch(r"-?\d+", digits):
                raise ParseError(f"cannot read the exponent '{text[i:j]}'", i, j)
            if len(digits) > MAX_DIGITS:  # the same limit as for typed numbers
                raise ParseError(
                    f"this exponent is too long (at most {MAX_DIGITS} characters)", i, j
                )
            tokens.append(Token("sup", digits, i, j))
            i = j
            continue
        if _is_ascii_digit(ch) or (ch == "." and i + 1 < n and _is_ascii_digit(text[i + 1])):
            match = _NUMBER.match(text, i)
            assert match is not None
            j = match.end()
            if len(match.group(0)) > MAX_DIGITS:
                raise ParseError(f"this number is too long (at most {MAX_DIGITS} characters)", i, j)
            if j < n and text[j] == ".":
                raise ParseError("a number can have only one decimal point", i, j + 1)
            _check_magnitude(match, i, j)
            tokens.append(Token("num", match.group(0), i, j))
            i = j
            continue
        if ch == "*" and text[i : i + 2] == "**":
            tokens.append(Token("op", "^", i, i + 2))
            i += 2
            continue
        if ch in "+-*/^":
            tokens.append(Token("op", ch, i, i + 1))
            i += 1
            continue
        if ch in "()[],|":
            kind = {"[": "(", "]": ")"}.get(ch, ch)
            tokens.append(Token(kind, kind, i, i + 1))
            i += 1
            continue
        if ch == "√":
            tokens.append(Token("sqrt", ch, i, i + 1))
            i += 1
            continue
        if ch == "π" or ch == "τ":
            tokens.append(Token("name", ch, i, i + 1))
            i += 1
            continue
        j = _name_end(text, i)
        if j > i:
            tokens.append(Token("name", text[i:j], i, j))
            i = j
            continue
        if ch == "_":
            if tokens and tokens[-1].kind == "name" and tokens[-1].end == i:
                raise ParseError("'_' must join two parts of a name, as in w_1", i, i + 1)
            raise ParseError("names cannot start with '_'", i, i + 1)
        if ch == ".":
            raise ParseError("a '.' must be part of a number, like 0.5", i, i + 1)
        if ch == "=":
            if text.count("=") > 1:
                raise ParseError("only one '=' is allowed, as in f(x) = x^2", i, i + 1)
            raise ParseError("'=' must follow a name such as f(x) or y, as in f(x) = x^2", i, i + 1)
        raise ParseError(f"'{text[i]}' is not part of the maths language", i, i + 1)
    tokens.append(Token("end", "", n, n))
    return tokens
