"""A session as data: its fields, and each checked with what was wrong said in words.

:class:`Session` is what puts the window back as it was; :func:`parse_session` builds one
from untrusted data (a file, the remembered settings), naming each wrong field in the
window's words. Reading and writing files is :mod:`calcstudio.core.session_file`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from calcstudio.core.analysis import quote
from calcstudio.core.language import MAX_LENGTH
from calcstudio.core.session_text import field_texts, object_text

MAX_HISTORY = 100
"""Most entries of the Recent list kept."""
MIN_VIEW_WIDTH = 1e-9
"""Narrowest view range a session may restore."""
MAX_VIEW_WIDTH = 1e12
"""Widest view range (and farthest edge) a session may restore."""
MAX_POINT = 1e12
"""Farthest tangent point a session may restore."""

_FIELDS = {
    "function": "the function",
    "point": "the point a",
    "step": "the step h",
    "x_range": "the view's x range",
    "y_range": "the view's y range",
    "show_second_derivative": "showing f″",
    "history": "the Recent list",
    "lesson": "the lesson on show",
    "lessons": "the lessons' settings",
}
"""Each field of a session file, and what it is in the words of the window."""


@dataclass
class Session:
    """Everything needed to put the window back as it was."""

    function: str = "x^2"
    point: float = 1.0
    step: float = 1.0
    x_range: tuple[float, float] = (-5.0, 5.0)
    y_range: tuple[float, float] = (-2.0, 10.0)
    show_second_derivative: bool = False
    history: list[str] = field(default_factory=list)
    lesson: str = ""
    """Key of the lesson on show (``""``: the first)."""
    lessons: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each lesson's ``state()``, by lesson key."""

    def to_json(self) -> str:
        """The session as JSON text, a line a field (non-ASCII kept readable where it can be).

        Raises
        ------
        ValueError
            If a lesson's state holds what JSON cannot (NaN, infinity, other objects).
        """
        return self.texts()[0]

    def comparable(self) -> str:
        """The session as JSON without the Recent list: equal texts mean nothing to save."""
        return self.texts()[1]

    def texts(self) -> tuple[str, str]:
        """:meth:`to_json` and :meth:`comparable` at once (each field written once).

        Raises
        ------
        ValueError
            If a lesson's state holds what JSON cannot (NaN, infinity, other objects).
        """
        named = [(item.name, getattr(self, item.name)) for item in fields(self)]
        try:
            texts = field_texts(named, ascii_only=False)
            whole = object_text(texts)
            whole.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a paste: escape, still valid JSON
            texts = field_texts(named, ascii_only=True)
            whole = object_text(texts)
        except TypeError as error:
            raise ValueError(f"a lesson's settings are not plain data ({error})") from None
        except ValueError:
            raise ValueError("a lesson's settings hold a number that is not finite") from None
        comparable = object_text(
            text for (name, _), text in zip(named, texts, strict=True) if name != "history"
        )
        return whole, comparable


def parse_session(data: Any, base: Session | None = None) -> tuple[Session, list[str]]:
    """A session from untrusted data, and what was wrong with it.

    Parameters
    ----------
    data
        Decoded JSON (or anything else: then nothing is taken from it).
    base
        Values for fields that are missing or wrong (the defaults if None).

    Returns
    -------
    session, problems
        ``problems`` names each wrong field and why, in words (``"point: 'abc' is not a
        number"``); missing fields are not problems. Unknown fields are named as ignored.
    """
    session = replace(base) if base is not None else Session()
    if not isinstance(data, dict):
        return session, ["the file holds no session (it is not a JSON object)"]
    problems: list[str] = []
    for name, value in data.items():
        if name not in _FIELDS:
            problems.append(f"{_shown(name)} is not a session field, so it was ignored")
            continue
        checked = _CHECKS[name](value)
        if isinstance(checked, _Wrong):
            problems.append(f"{_FIELDS[name]} ({name}): {checked.why}")
        else:
            setattr(session, name, checked)
    if "history" in data and isinstance(data["history"], list):
        session.history = session.history[-MAX_HISTORY:]
    return session, problems


class LongInteger(str):
    """The digits of an integer too long to be a session's number (kept as text)."""


# --- the fields ---------------------------------------------------------------


@dataclass(frozen=True)
class _Wrong:
    why: str


def _power(limit: float) -> str:
    """1e12 as a learner reads it: 10¹²."""
    exponent = round(math.log10(limit))
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _shown(value: Any, limit: int = 40) -> str:
    if isinstance(value, str):
        return quote(value, limit)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any, limit: float = math.inf) -> float | _Wrong:
    if isinstance(value, LongInteger):
        digits = len(value.lstrip("-"))
        return _Wrong(f"a number of {digits:,} digits is too large (at most {_power(limit)})")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _Wrong(f"{_shown(value)} is not a number")
    number = float(value)
    if math.isnan(number):
        return _Wrong("NaN is not a number")
    if math.isinf(number) or abs(number) > limit:
        return _Wrong(f"{_shown(value)} is too large (at most {_power(limit)})")
    return number


def _function(value: Any) -> str | _Wrong:
    if not isinstance(value, str):
        return _Wrong(f"{_shown(value)} is not text")
    if len(value) > MAX_LENGTH:
        return _Wrong(f"it has {len(value):,} characters, more than the {MAX_LENGTH:,} allowed")
    return value


def _point(value: Any) -> float | _Wrong:
    return _number(value, MAX_POINT)


def _step(value: Any) -> float | _Wrong:
    number = _number(value, MAX_VIEW_WIDTH)
    if isinstance(number, float) and number <= 0:
        return _Wrong(f"{_shown(value)} is not above 0")
    return number


def _view_range(value: Any) -> tuple[float, float] | _Wrong:
    """A range a plot can show: increasing, at least 1e-9 wide, within ±1e12.

    Two finite numbers are not enough: (-1e308, 1e308) is 2e308 wide, which overflows, and a
    range narrower than 1e-9 has no usable axis labels.
    """
    wrong = _Wrong(
        f"{_shown(value)} is not a range from low to high within ±10¹² (and at least 10⁻⁹ wide)"
    )
    if not isinstance(value, list) or len(value) != 2:
        return wrong
    low, high = _number(value[0], MAX_VIEW_WIDTH), _number(value[1], MAX_VIEW_WIDTH)
    if isinstance(low, _Wrong) or isinstance(high, _Wrong) or high - low < MIN_VIEW_WIDTH:
        return wrong
    return (low, high)


def _flag(value: Any) -> bool | _Wrong:
    return value if isinstance(value, bool) else _Wrong(f"{_shown(value)} is not true or false")


def _history(value: Any) -> list[str] | _Wrong:
    if not isinstance(value, list) or not all(
        isinstance(text, str) and len(text) <= MAX_LENGTH for text in value
    ):
        return _Wrong(f"it is not a list of functions of at most {MAX_LENGTH:,} characters")
    return value


def _lesson(value: Any) -> str | _Wrong:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_-]{0,40}", value):
        return _Wrong(f"{_shown(value)} is not the name of a lesson")
    return value


def _lessons(value: Any) -> dict[str, dict[str, Any]] | _Wrong:
    if not isinstance(value, dict):
        return _Wrong("it is not an object of lesson states")
    wrong = [key for key, state in value.items() if not isinstance(state, dict)]
    if wrong:
        return _Wrong(f"the state of {', '.join(map(_shown, wrong))} is not an object")
    return value


_CHECKS = {
    "function": _function,
    "point": _point,
    "step": _step,
    "x_range": _view_range,
    "y_range": _view_range,
    "show_second_derivative": _flag,
    "history": _history,
    "lesson": _lesson,
    "lessons": _lessons,
}


__all__ = ["LongInteger", "Session", "parse_session"]
