"""What the Qt libraries cost the window's start, made smaller.

**pyqtgraph without creating every Qt class.** pyqtgraph's Qt layer
(``pyqtgraph/Qt/__init__.py``, ``_copy_attrs``) mirrors QtCore, QtGui and QtWidgets into
modules of its own by reading every name PySide6 lists. PySide6 creates a class
the first time it is asked for, so that loop creates all 720 of them: 130 ms on the 2-core
machine, for classes the window never uses.

:func:`import_pyqtgraph` puts the three mirrors in place first, as modules that fetch a name
from PySide6 when it is first asked for and keep it, and lets the loop see only the names
PySide6 has created so far. Everything pyqtgraph reads through its mirrors is then PySide6's
own object, and what pyqtgraph adds to them (``QtWidgets.QOpenGLWidget``) stays on them.

**PySide6's check of each imported module, without inspect.** PySide6 looks at every module
imported after it for the text "PySide6" (``shibokensupport.feature._mod_uses_pyside``: only
such a module may switch on its ``__feature__`` options) and reads it with
``inspect.getsource``, which matches the file against every loaded module first: 55-64 ms
for the 390 modules the window imports. :func:`check_modules_quickly` makes it read a
module's ``.py`` file as bytes and look for the same text: 10-17 ms, the same answers (a test
compares them for every module loaded).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
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


def check_modules_quickly() -> None:
    """Make PySide6's check of each newly imported module read its file as bytes.

    Does nothing where PySide6 has no such check (``shibokensupport.feature`` is not loaded or
    has no ``_mod_uses_pyside``) or it is replaced already. Modules without a ``.py`` file,
    or whose file cannot be read, are left to PySide6's own check.
    """
    importlib.import_module("PySide6.QtCore")  # loads shibokensupport
    feature = sys.modules.get("shibokensupport.feature")
    own_check = getattr(feature, "_mod_uses_pyside", None)
    if own_check is None or getattr(own_check, "original", None) is not None:
        return
    feature._mod_uses_pyside = _quick_check(own_check)  # type: ignore[union-attr]


def _quick_check(own_check: Callable[[types.ModuleType], bool]) -> Callable[..., bool]:
    def uses_pyside(module: types.ModuleType) -> bool:
        """Whether the module's source holds the text "PySide6", as PySide6 asks."""
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return own_check(module)
        try:
            return b"PySide6" in Path(path).read_bytes()
        except OSError:
            return own_check(module)

    uses_pyside.original = own_check  # type: ignore[attr-defined]
    return uses_pyside


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


__all__ = ["MIRRORED", "check_modules_quickly", "import_pyqtgraph"]
