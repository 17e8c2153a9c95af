"""The Qt libraries' import costs, made smaller: the same libraries, working as before."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import calcstudio.ui  # imports pyqtgraph the window's way
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
import pyqtgraph as pg
from pyqtgraph.Qt import QtWidgets
modules = [PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets]
created = sum(len(m.__dict__) for m in modules)
listed = sum(len(dir(m)) for m in modules)
app = pg.mkQApp()
plot = pg.PlotWidget()
plot.plot([0, 1, 2], [0, 1, 4])
print(json.dumps({
    "created": created,
    "listed": listed,
    "same_class": QtWidgets.QGraphicsView is PySide6.QtWidgets.QGraphicsView,
    "opengl_shim": hasattr(QtWidgets, "QOpenGLWidget"),
    "plot_ok": plot.getPlotItem().listDataItems()[0].getData()[1].tolist() == [0, 1, 4],
}))
"""


def test_pyqtgraph_comes_without_creating_every_qt_class() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # pyqtgraph's own import would have created all the classes PySide6 lists (about 730).
    assert found["created"] < 0.5 * found["listed"], found
    assert found["listed"] > 600  # PySide6 still lists every name: dir() is its own again
    assert found["same_class"] and found["opengl_shim"] and found["plot_ok"], found


CHECK_PROBE = """
import json, sys, types
import calcstudio.ui  # installs the quicker check
check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
answers = [(m.__name__, check(m), check.original(m)) for m in modules]
print(json.dumps({
    "quick": check.original is not None,
    "checked": len(answers),
    "differ": [name for name, quick, own in answers if quick != own],
    "using": sum(quick for _, quick, _ in answers),
}))
"""


def test_pysides_check_of_each_module_gives_its_own_answers_more_quickly() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["quick"] and found["checked"] > 200, found
    assert found["differ"] == [], found  # the same answer for every module loaded
    assert found["using"] > 10, found  # calcstudio's and pyqtgraph's modules use PySide6
