"""Data files shipped with CalcStudio (presets, icons), installed as ``calcstudio.resources``.

Everything reads them through :func:`read_text` or :func:`path`, never by absolute path, so they
work from a checkout, an editable install and a wheel alike.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["path", "read_json", "read_text"]


def path(name: str) -> str:
    """File-system path of the resource ``name`` (for Qt APIs that want a path)."""
    return str(resources.files(__name__) / name)


def read_text(name: str) -> str:
    """Text of the resource ``name``, decoded as UTF-8."""
    return (resources.files(__name__) / name).read_text(encoding="utf-8")


def read_json(name: str) -> Any:
    """The resource ``name`` parsed as JSON."""
    return json.loads(read_text(name))
