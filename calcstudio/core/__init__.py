"""Qt-free computation core of CalcStudio.

Importing this package is cheap: sympy is imported only by the modules that build
symbolic expressions (``language`` stage two, ``function``, ``engine`` worker side),
and only when they are first used.
"""
