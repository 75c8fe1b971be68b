"""Growth of the plan time with the number of items (bench P2): least-squares fit and verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Timing noise on a shared machine: no point farther than this from the line means the line explains the
# data (a quadratic cost would leave the largest size far above it), even when the slope is too small for R^2.
NOISE_SECONDS = 0.05
NOISE_FRACTION = 0.05
# A curve leaves its largest size well off the best line: 200 items at a quadratic cost puts it about 12 % of the
# growth away. R^2 is no test with four points (that same quadratic scores 0.97), so it is reported, not judged.
MAX_RESIDUAL_OF_GROWTH = 0.05


@dataclass(frozen=True)
class Fit:
    slope: float  # seconds per item
    intercept: float  # seconds
    r2: float  # 1.0 for a perfect line; 1.0 too when every point is equal
    max_residual: float  # seconds: the point farthest from the line


def fit_line(points: Sequence[tuple[float, float]]) -> Fit:
    """Ordinary least squares through (items, seconds)."""
    if len(points) < 2:
        raise ValueError("a line needs at least two points")
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        raise ValueError("a line needs two different item counts")
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for _, y in points)
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in points)
    worst = max(abs(y - (intercept + slope * x)) for x, y in points)
    return Fit(slope=slope, intercept=intercept, r2=1.0 if total == 0 else 1.0 - residual / total, max_residual=worst)


@dataclass(frozen=True)
class Scaling:
    points: list[tuple[int, float]]  # (extra items, best seconds), including the base (0)
    floor: float
    fit: Fit
    growth_at_50: float | None  # overhead with +50 items / base overhead
    linear: bool

    @property
    def ms_per_item(self) -> float:
        return self.fit.slope * 1000


def scaling(points: Sequence[tuple[int, float]], floor: float) -> Scaling:
    """Verdicts on plan times by item count: `points` must include 0 (the base stack)."""
    ordered = sorted(points)
    times = dict(ordered)
    if 0 not in times:
        raise ValueError("the base stack (0 extra items) is needed")
    fit = fit_line([(float(x), y) for x, y in ordered])
    base_overhead = times[0] - floor
    growth = None
    if 50 in times and base_overhead > 0:
        growth = (times[50] - floor) / base_overhead
    growth_total = max(times.values()) - min(times.values())
    tolerance = max(NOISE_SECONDS, NOISE_FRACTION * times[0], MAX_RESIDUAL_OF_GROWTH * growth_total)
    return Scaling(
        points=list(ordered), floor=floor, fit=fit, growth_at_50=growth, linear=fit.max_residual <= tolerance
    )
