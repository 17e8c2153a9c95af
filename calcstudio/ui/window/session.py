"""What the window remembers: the learner's session as plain data, in QSettings and in files.

A session is the function text, the tangent point a, the secant step h, the visible range and
the view toggles. It is saved to QSettings when the window closes (so a relaunch continues where
the learner stopped) and to ``.calcstudio`` files (JSON) through File > Save.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

FILE_SUFFIX = ".calcstudio"
"""Extension of saved session files."""
MIN_VIEW_WIDTH = 1e-9
"""Narrowest view range a session may restore."""
MAX_VIEW_WIDTH = 1e12
"""Widest view range (and farthest edge) a session may restore."""


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

    def to_json(self) -> str:
        """The session as indented JSON text."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_mapping(cls, data: Any) -> Session:
        """A session from untrusted data: unknown keys are ignored, bad values become defaults."""
        session = cls()
        if not isinstance(data, dict):
            return session
        if isinstance(data.get("function"), str):
            session.function = data["function"][:1000]
        for name in ("point", "step"):
            value = _finite(data.get(name))
            if value is not None:
                setattr(session, name, value)
        if session.step <= 0:
            session.step = 1.0
        for name in ("x_range", "y_range"):
            pair = _finite_pair(data.get(name))
            if pair is not None:
                setattr(session, name, pair)
        if isinstance(data.get("show_second_derivative"), bool):
            session.show_second_derivative = data["show_second_derivative"]
        if isinstance(data.get("history"), list):
            session.history = [text for text in data["history"] if isinstance(text, str)]
        return session


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _finite_pair(value: Any) -> tuple[float, float] | None:
    """A view range from untrusted data: increasing, and one a plot can show.

    Two finite numbers are not enough: (-1e308, 1e308) is 2e308 wide, which overflows,
    and a range narrower than 1e-9 (or wider than 1e12) has no usable axis labels.
    """
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    low, high = _finite(value[0]), _finite(value[1])
    if low is None or high is None or not low < high:
        return None
    width = high - low
    if not (math.isfinite(width) and MIN_VIEW_WIDTH <= width <= MAX_VIEW_WIDTH):
        return None
    if max(abs(low), abs(high)) > MAX_VIEW_WIDTH:
        return None
    return (low, high)


class SessionFileError(Exception):
    """A session file could not be read; the message says why in plain words."""


def read_session_file(path: str | Path) -> Session:
    """Load a ``.calcstudio`` file.

    Raises
    ------
    SessionFileError
        If the file cannot be read or is not a CalcStudio session.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SessionFileError(f"Could not read {Path(path).name}: {error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SessionFileError(
            f"{Path(path).name} is not a CalcStudio session (it is not JSON: {error.msg})."
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("function"), str):
        raise SessionFileError(f"{Path(path).name} is not a CalcStudio session (no function).")
    return Session.from_mapping(data)


def write_session_file(session: Session, path: str | Path) -> None:
    """Save ``session`` as JSON; raises OSError if the file cannot be written."""
    Path(path).write_text(session.to_json() + "\n", encoding="utf-8")


def load_settings(settings: QSettings) -> Session:
    """The session saved in ``settings`` by :func:`save_settings` (defaults if none)."""
    raw = settings.value("session", "")
    try:
        return Session.from_mapping(json.loads(raw)) if isinstance(raw, str) and raw else Session()
    except json.JSONDecodeError:
        return Session()


def save_settings(settings: QSettings, session: Session) -> None:
    """Store ``session`` in ``settings`` (as JSON, so every platform's backend keeps types)."""
    settings.setValue("session", session.to_json())
