"""A dataset of inputs x and targets y: its sufficient statistics, CSV files, and generated data.

The line-fit lesson never loops over the points to draw its loss surface: the sum of squared
errors of y = mx + c is a quadratic in (m, c) whose six coefficients are sums over the data
(n, Σx, Σx², Σy, Σxy, Σy²), computed once per change of the data.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

MAX_POINTS = 100_000
"""Most points a dataset may have (a file with more is refused, not cut)."""
MAX_FILE_BYTES = 10_000_000
"""Largest CSV file read."""
MAX_VALUE = 1e100
"""Largest |x| or |y|: squares and sums of 100,000 of them stay finite."""


class DatasetError(ValueError):
    """A dataset that cannot be used, with the reason in plain words (and line numbers)."""


def exact_sum(values: np.ndarray) -> float:
    """The sum of ``values`` rounded once (``math.fsum``), whatever their order.

    Read as a list of Python floats: ``fsum`` over a numpy array makes a numpy scalar of
    every element, which doubled its cost (1,000 values: 98 against 50 µs).
    """
    return math.fsum(values.tolist())


def _read_only(values: np.ndarray) -> np.ndarray:
    """``values`` read only, copied first unless already so: a dataset never changes, so what
    is worked out from it once (its columns as plain numbers) stays true, and the caller's
    array stays the caller's."""
    if not values.flags.writeable:
        return values
    values = values.copy()
    values.flags.writeable = False
    return values


@dataclass(frozen=True)
class Statistics:
    """The sums that determine the sum of squared errors of every line.

    The readouts show the raw sums a textbook writes (Σx, Σxy, …); the loss is computed from
    the sums about the means, which keep their precision when x is far from 0 (x near 10⁷
    with a spread of 10: the raw Σx² would lose every digit of the spread).

    Attributes
    ----------
    n
        How many points.
    sx, sxx, sy, sxy, syy
        Σx, Σx², Σy, Σxy and Σy².
    mean_x, mean_y
        x̄ and ȳ.
    cxx, cxy, cyy
        Σ(x − x̄)², Σ(x − x̄)(y − ȳ) and Σ(y − ȳ)².
    """

    n: int
    sx: float
    sxx: float
    sy: float
    sxy: float
    syy: float
    mean_x: float
    mean_y: float
    cxx: float
    cxy: float
    cyy: float


@dataclass(frozen=True)
class Dataset:
    """Points (x, y), as float arrays of one length.

    Raises
    ------
    DatasetError
        If the arrays differ in length, hold a value that is not finite, or are too long.
    """

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self) -> None:
        x = np.asarray(self.x, dtype=float).reshape(-1)
        y = np.asarray(self.y, dtype=float).reshape(-1)
        if x.shape != y.shape:
            raise DatasetError(f"{x.size} inputs but {y.size} targets: each x needs its y")
        if x.size > MAX_POINTS:
            raise DatasetError(f"{x.size} points is more than the {MAX_POINTS:,} the lesson shows")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise DatasetError("every x and y must be an ordinary (finite) number")
        if x.size and max(np.abs(x).max(), np.abs(y).max()) > MAX_VALUE:
            raise DatasetError(
                f"values beyond ±{MAX_VALUE:g} are too large to square and add up; "
                "rescale the data (for example, in thousands)"
            )
        object.__setattr__(self, "x", _read_only(x))
        object.__setattr__(self, "y", _read_only(y))

    def __len__(self) -> int:
        return int(self.x.size)

    @cached_property
    def columns(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """x and y as tuples of Python floats, made once (a session holds them, and the
        autosave looks at the session every second)."""
        return tuple(self.x.tolist()), tuple(self.y.tolist())

    def statistics(self) -> Statistics:
        """The raw and the centred sums (:func:`exact_sum`: exact to rounding in any order)."""
        x, y = self.x, self.y
        n = len(self)
        sum_x, sum_y = exact_sum(x), exact_sum(y)
        mean_x = sum_x / n if n else 0.0
        mean_y = sum_y / n if n else 0.0
        dx, dy = x - mean_x, y - mean_y
        return Statistics(
            n,
            sum_x,
            exact_sum(x * x),
            sum_y,
            exact_sum(x * y),
            exact_sum(y * y),
            mean_x,
            mean_y,
            exact_sum(dx * dx),
            exact_sum(dx * dy),
            exact_sum(dy * dy),
        )

    def with_point(self, x: float, y: float) -> Dataset:
        """This dataset and one more point."""
        return Dataset(np.append(self.x, x), np.append(self.y, y))

    def moved(self, index: int, x: float, y: float) -> Dataset:
        """This dataset with point ``index`` moved to (x, y)."""
        xs, ys = self.x.copy(), self.y.copy()
        xs[index], ys[index] = x, y
        return Dataset(xs, ys)

    def without(self, index: int) -> Dataset:
        """This dataset without point ``index``."""
        return Dataset(np.delete(self.x, index), np.delete(self.y, index))

    def centred(self) -> Dataset:
        """The same points with x shifted by its mean, so x̄ = 0: the bowl's axes line up with
        m and c and it becomes far less thin; the best m is unchanged and the best c becomes
        the mean of y."""
        return Dataset(self.x - self.statistics().mean_x, self.y)


def parse_csv(text: str) -> Dataset:
    """Read x, y pairs from CSV text: two columns, with or without a header line.

    Blank lines and lines starting with ``#`` are skipped; a first line that is not two
    numbers is taken as a header. Nothing is half-read: any bad row refuses the whole file.

    Raises
    ------
    DatasetError
        Naming each bad line (up to five) and what is wrong with it.
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    xs: list[float] = []
    ys: list[float] = []
    problems: list[str] = []
    seen_data = False
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        values = _numbers(cells)
        if values is None:
            if not seen_data and not xs:
                seen_data = True  # a header: x,y or anything else on the first line
                continue
            problems.append(f"line {number}: {_why(cells)}")
        else:
            xs.append(values[0])
            ys.append(values[1])
        seen_data = True
        if len(xs) > MAX_POINTS:
            raise DatasetError(f"more than {MAX_POINTS:,} points; the lesson shows at most that")
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise DatasetError(f"nothing was loaded: {shown}{more}")
    if not xs:
        raise DatasetError("the file has no x, y pairs")
    return Dataset(np.array(xs), np.array(ys))


def _numbers(cells: list[str]) -> tuple[float, float] | None:
    if len(cells) != 2:
        return None
    try:
        x, y = float(cells[0]), float(cells[1])
    except ValueError:
        return None
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def _why(cells: list[str]) -> str:
    if len(cells) != 2:
        return f"{len(cells)} columns where x and y need 2"
    for name, cell in zip(("x", "y"), cells, strict=True):
        try:
            value = float(cell)
        except ValueError:
            return f"{name} = {cell!r} is not a number"
        if not math.isfinite(value):
            return f"{name} = {cell!r} is not an ordinary number"
    return "not two numbers"


def read_csv(path: str | Path) -> Dataset:
    """Read a CSV file of x, y pairs (see :func:`parse_csv`).

    Raises
    ------
    DatasetError
        If the file cannot be read, is too large, is not text, or has a bad row.
    """
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DatasetError(f"could not read {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DatasetError("the file is not text (UTF-8 CSV expected)") from None
    return parse_csv(text)


def write_csv(dataset: Dataset, path: str | Path) -> None:
    """Write ``dataset`` as CSV with an ``x,y`` header, atomically: beside, then renamed."""
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    lines = ["x,y"] + [
        f"{float(x)!r},{float(y)!r}" for x, y in zip(dataset.x, dataset.y, strict=True)
    ]
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as file:
            file.write("\n".join(lines) + "\n")
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)


def generate(
    slope: float,
    intercept: float,
    noise: float,
    count: int,
    x_range: tuple[float, float] = (0.0, 10.0),
    seed: int = 0,
) -> Dataset:
    """``count`` points on y = slope·x + intercept plus Gaussian noise of standard deviation
    ``noise``, at x evenly spaced from ``x_range[0]`` to ``x_range[1]`` (both ends included;
    the same seed gives the same points).

    Raises
    ------
    DatasetError
        For a count outside 1 to :data:`MAX_POINTS`, a negative noise, numbers that are not
        finite, an x range whose start is not below its end (one point may sit at one x), or
        values beyond ±:data:`MAX_VALUE`.
    """
    if not 1 <= count <= MAX_POINTS:
        raise DatasetError(f"the number of points must be between 1 and {MAX_POINTS:,}")
    if not all(math.isfinite(v) for v in (slope, intercept, noise, *x_range)):
        raise DatasetError("slope, intercept, noise and the x range must be ordinary numbers")
    if noise < 0:
        raise DatasetError("the noise must be 0 or more")
    low, high = x_range
    if count > 1 and not low < high:
        raise DatasetError(
            f"x from {low:g} to {high:g} is not a range: the first number must be the smaller"
        )
    if max(abs(low), abs(high)) > MAX_VALUE:
        raise DatasetError(f"x beyond ±{MAX_VALUE:g} is too large to square and add up")
    x = np.linspace(low, high, count)
    with np.errstate(all="ignore"):  # an overflow becomes inf, which Dataset refuses in words
        y = slope * x + intercept + np.random.default_rng(seed).normal(0.0, noise, count)
    return Dataset(x, y)
