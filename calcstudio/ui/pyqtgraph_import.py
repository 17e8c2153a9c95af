"""Import pyqtgraph without creating every Qt class: a sixth of the window's start.

pyqtgraph's Qt layer (``pyqtgraph/Qt/__init__.py``, ``_copy_attrs``) mirrors QtCore, QtGui and
QtWidgets into modules of its own by reading every name PySide6 lists. PySide6 creates a class
the first time it is asked for, so that loop creates all 720 of them: 130 ms on the 2-core
machine, for classes the window never uses.

:func:`import_pyqtgraph` puts the three mirrors in place first, as modules that fetch a name
from PySide6 when it is first asked for and keep it, and lets the loop see only the names
PySide6 has created so far. Everything pyqtgraph reads through its mirrors is then PySide6's
own object, and what pyqtgraph adds to them (``QtWidgets.QOpenGLWidget``) stays on them.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

MIRRORED = ("QtCore", "QtGui", "QtWidgets")
"""The PySide6 modules pyqtgraph copies into ``pyqtgraph.Qt``."""


def import_pyqtgraph() -> None:
    """Import pyqtgraph, with its Qt mirrors filled on demand; as is if they are not empty.

    Does nothing if pyqtgraph is already imported. A pyqtgraph whose mirror packages hold
    code of their own (not the empty ``__init__.py`` of versions 0.13 and 0.14) is imported
    the ordinary way.
    """
    if "pyqtgraph" in sys.modules or not _mirrors_are_empty():
        return
    sources = {name: importlib.import_module(f"PySide6.{name}") for name in MIRRORED}
    for name, source in sources.items():
        sys.modules[f"pyqtgraph.Qt.{name}"] = _mirror(name, source)
    own_dir = {name: source.__dict__.get("__dir__") for name, source in sources.items()}
    try:
        for source in sources.values():
            # What the copying loop lists: the classes already made, not all of them.
            source.__dir__ = lambda source=source: list(source.__dict__)  # type: ignore[misc]
        importlib.import_module("pyqtgraph")
    finally:
        for name, source in sources.items():
            if own_dir[name] is None:
                del source.__dir__
            else:
                source.__dir__ = own_dir[name]  # type: ignore[misc]


def _mirror(name: str, source: types.ModuleType) -> types.ModuleType:
    """A module ``pyqtgraph.Qt.<name>`` that takes each name from ``source`` when asked."""
    mirror = types.ModuleType(f"pyqtgraph.Qt.{name}", f"PySide6.{name}, fetched on demand.")

    def fetch(attribute: str) -> object:
        value = getattr(source, attribute)
        setattr(mirror, attribute, value)  # from now on a plain attribute
        return value

    mirror.__getattr__ = fetch  # type: ignore[method-assign]
    mirror.__dir__ = lambda: sorted(set(dir(source)) | set(mirror.__dict__))  # type: ignore[method-assign]
    return mirror


def _mirrors_are_empty() -> bool:
    """Whether pyqtgraph's mirror packages are empty files (so replacing them loses nothing)."""
    try:
        spec = importlib.util.find_spec("pyqtgraph")
        if spec is None or not spec.submodule_search_locations:
            return False
        root = Path(next(iter(spec.submodule_search_locations))) / "Qt"
        return all(not (root / name / "__init__.py").read_text().strip() for name in MIRRORED)
    except (OSError, ImportError, ValueError):
        return False


__all__ = ["MIRRORED", "import_pyqtgraph"]
