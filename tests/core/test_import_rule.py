"""calcstudio.core stays free of Qt, and cheap to import."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import calcstudio.core
import calcstudio.core.language, calcstudio.core.numeric, calcstudio.core.function
import calcstudio.core.sampling, calcstudio.core.calculus, calcstudio.core.optimize
import calcstudio.core.engine
qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')
            or m.startswith('calcstudio.ui'))
print(','.join(qt))
print('sympy' in sys.modules)
"""


def test_core_imports_no_qt_and_no_sympy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    )
    qt_modules, sympy_loaded = result.stdout.splitlines()
    assert qt_modules == ""
    # sympy costs ~0.5 s; the window imports core and must not pay for it.
    assert sympy_loaded == "False"
