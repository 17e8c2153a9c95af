"""The one way CalcStudio reads its data files (presets, icons) from ``resources/``.

In a source checkout (and an editable install) the files sit in ``resources/`` beside the
package; a wheel installs the same files as ``calcstudio/resources/``. Both places are found
relative to this module, never by an absolute path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_json", "read_text", "resource_path"]

_PACKAGE = Path(__file__).resolve().parent


def _directory() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"CalcStudio's resources folder is missing (looked beside {_PACKAGE})")


def resource_path(name: str) -> Path:
    """Path of the resource file ``name``, e.g. ``resource_path("presets.json")``.

    Raises
    ------
    FileNotFoundError
        If there is no such resource.
    """
    path = _directory() / name
    if not path.is_file():
        raise FileNotFoundError(f"CalcStudio has no resource named {name!r}")
    return path


def read_text(name: str) -> str:
    """Text of the resource ``name``, decoded as UTF-8."""
    return resource_path(name).read_text(encoding="utf-8")


def read_json(name: str) -> Any:
    """The resource ``name`` parsed as JSON."""
    return json.loads(read_text(name))
