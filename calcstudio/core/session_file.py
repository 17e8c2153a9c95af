"""Session files: the learner's session as plain JSON, read warily and written atomically.

A session is what puts the window back as it was: the function text, the tangent point a,
the secant step h, the visible range, the view toggles, the Recent list, the lesson on show
and each lesson's own state (plain JSON data from ``Lesson.state()``).

Reading trusts nothing: the size read is capped, anything but a regular file is refused, a
UTF-8 byte-order mark is accepted, nesting deeper than :data:`MAX_NESTING` is refused before
parsing, and every field is checked; :func:`parse_session` names each wrong field in words.
Writing goes to a temporary file beside the target, is flushed to the disk, then renamed over
it, so a full disk or any other failure leaves the old file as it was.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from calcstudio.core.language import MAX_LENGTH, ParseError, parse_tree

FILE_SUFFIX = ".calcstudio"
"""Extension of saved session files."""
MAX_FILE_BYTES = 2_000_000
"""Largest session file read (lessons' data included); larger ones are refused unread."""
MAX_NESTING = 40
"""Deepest nesting of JSON lists and objects accepted in a session file."""
MAX_HISTORY = 100
"""Most entries of the Recent list kept."""
MAX_INTEGER_DIGITS = 30
"""Longer integers in a file are not converted (a 5,000-digit ``1000…0`` is a number too
large, not a slow conversion that Python refuses past 4,300 digits)."""
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
        """The session as indented JSON text (non-ASCII kept readable where it can be)."""
        data = asdict(self)
        try:
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a paste: escape, still valid JSON
            text = json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False)
        return text

    def comparable(self) -> str:
        """The session as JSON without the Recent list: equal texts mean nothing to save."""
        return replace(self, history=[]).to_json()


class SessionFileError(Exception):
    """A session file could not be read or written; the message says why in plain words."""


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


def loads_session(text: str, base: Session | None = None) -> tuple[Session, list[str]]:
    """:func:`parse_session` of JSON text; raises SessionFileError if it is not usable JSON."""
    return parse_session(_decode(text), base)


def read_session_file(path: str | Path, base: Session | None = None) -> tuple[Session, list[str]]:
    """Load a ``.calcstudio`` file.

    Parameters
    ----------
    path
        The file.
    base
        Values for fields that are missing or wrong (see :func:`parse_session`).

    Returns
    -------
    session, problems
        The session and the wrong fields, in words (empty if all were right).

    Raises
    ------
    SessionFileError
        If the file cannot be read, is not a CalcStudio session, or its function cannot be
        read: nothing of it should be used then.
    """
    name = Path(path).name
    raw = _read_capped(Path(path), name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SessionFileError(f"{name} is not a CalcStudio session (it is not text).") from error
    try:
        data = _decode(text)
    except SessionFileError as error:
        raise SessionFileError(f"{name} is not a CalcStudio session ({error}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("function"), str):
        raise SessionFileError(f"{name} is not a CalcStudio session (it has no function).")
    try:
        parse_tree(data["function"])
    except ParseError as error:
        raise SessionFileError(
            f"The function in {name}, {_shown(data['function'])}, cannot be read: {error}."
        ) from None
    return parse_session(data, base)


def write_session_file(session: Session, path: str | Path) -> None:
    """Save ``session`` as JSON, atomically: on any failure the old file stays as it was.

    Raises
    ------
    SessionFileError
        If the file cannot be written; the message says why.
    """
    write_atomically(Path(path), (session.to_json() + "\n").encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data``: write beside it, flush to the disk, then rename.

    Raises
    ------
    SessionFileError
        If it cannot be written (disk full, no permission, …); ``path`` is untouched then.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise SessionFileError(f"Could not save {path.name}: {_reason(error)}.") from error
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; keep the mode of the file it replaces, or the usual.
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise SessionFileError(f"Could not save {path.name}: {_reason(error)}.") from error
        raise
    _sync_directory(path.parent)


# --- reading ------------------------------------------------------------------


def _read_capped(path: Path, name: str) -> bytes:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # /dev/zero, a pipe, a folder
            raise SessionFileError(f"{name} is not a file that holds a session.")
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SessionFileError(f"Could not read {name}: {_reason(error)}.") from error
    if len(raw) > MAX_FILE_BYTES:
        raise SessionFileError(
            f"{name} is too large to be a session (more than {MAX_FILE_BYTES // 1_000_000} MB)."
        )
    return raw


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _nesting(text: str) -> int:
    """How deeply JSON lists and objects nest in ``text`` (strings do not count)."""
    brackets = "".join(re.findall(r"[\[\]{}]", _STRING.sub("", text)))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    return int(np.cumsum(np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)).max())


class _LongInteger(str):
    """The digits of an integer too long to be a session's number (kept as text)."""


def _bounded_integer(digits: str) -> int | str:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _LongInteger(digits)
    return int(digits)


def _decode(text: str) -> Any:
    """JSON text to data; SessionFileError (a short reason) if it is not usable JSON."""
    if len(text) > MAX_FILE_BYTES:
        raise SessionFileError("it is too large")
    text = text.removeprefix("\ufeff")
    if _nesting(text) > MAX_NESTING:
        raise SessionFileError(f"it nests more than {MAX_NESTING} levels deep")
    try:
        return json.loads(text, parse_int=_bounded_integer)
    except json.JSONDecodeError as error:
        raise SessionFileError(f"it is not JSON: {error.msg} at line {error.lineno}") from None
    except (ValueError, RecursionError) as error:
        raise SessionFileError(f"it is not JSON: {error}") from None


# --- the fields ---------------------------------------------------------------


@dataclass(frozen=True)
class _Wrong:
    why: str


def _power(limit: float) -> str:
    """1e12 as a learner reads it: 10¹²."""
    exponent = round(math.log10(limit))
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _shown(value: Any, limit: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else "'" + value + "'"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any, limit: float = math.inf) -> float | _Wrong:
    if isinstance(value, _LongInteger):
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


# --- writing ------------------------------------------------------------------


def _reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)


def _read_umask() -> int:
    # Read once at import: os.umask sets while it reads, which a writing thread must not race.
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _read_umask()


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable where the system allows it (POSIX)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is already on disk
    finally:
        os.close(descriptor)


__all__ = [
    "FILE_SUFFIX",
    "Session",
    "SessionFileError",
    "loads_session",
    "parse_session",
    "read_session_file",
    "write_atomically",
    "write_session_file",
]
