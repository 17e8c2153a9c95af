"""CalcStudio: see the calculus behind machine learning."""

__version__ = "0.1.0"
