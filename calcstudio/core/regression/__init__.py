"""The line-fit lesson's maths, Qt-free: datasets (sums, CSV, generated data) and the SSE or
MSE of y = mx + c as a quadratic bowl over (m, c), with its gradient, Hessian, least-squares
bottom, condition number and critical learning rate."""

from __future__ import annotations

from calcstudio.core.regression.bowl import Bowl
from calcstudio.core.regression.dataset import (
    Dataset,
    DatasetError,
    Statistics,
    generate,
    parse_csv,
    read_csv,
    write_csv,
)
from calcstudio.core.regression.line_fit import LineFit

__all__ = [
    "Bowl",
    "Dataset",
    "DatasetError",
    "LineFit",
    "Statistics",
    "generate",
    "parse_csv",
    "read_csv",
    "write_csv",
]
