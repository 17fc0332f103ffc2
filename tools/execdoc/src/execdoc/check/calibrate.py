"""Calibration: measure how far each number moves between machines.

A snippet's record is compared with runs of the same snippet under every
machine profile (:mod:`machine`). For each number (its *site*, see
:mod:`compare`) the spread is the largest distance from the recorded value;
its tolerance is that spread times the configured safety factor, stored in
the record where it exceeds the floor every number has anyway. Numbers whose
relative spread passes ``volatile_spread`` (and whose spread the floor does not
already cover: round-off below ``atol`` is no news) are reported to the author (print
something stable, or tag the cell ``volatile``); text that differs between
profiles in anything but its numbers cannot be covered by a tolerance and
fails the calibration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import nbformat

from . import compare

INFINITE = compare.Tolerance(math.inf, math.inf)


@dataclass
class Site:
    site: str
    expected: float
    spread: float  # largest |run - record|
    worst_profile: str

    @property
    def relative(self) -> float:
        return self.spread / abs(self.expected) if self.expected else self.spread


@dataclass
class Calibration:
    name: str
    profiles: list[str]
    numbers: int = 0  # sites sampled (outside volatile cells)
    volatile_numbers: int = 0  # sites in cells tagged volatile: shape only
    moved: list[Site] = field(default_factory=list)  # sites that differ between runs
    tolerance: dict[str, float] = field(default_factory=dict)  # stored: above the floor
    broken: list[str] = field(default_factory=list)  # differences no tolerance can cover

    def largest(self) -> Site | None:
        return max(self.moved, key=lambda s: s.relative, default=None)

    def metadata(self, factor: float) -> dict:
        return {"factor": factor, "profiles": self.profiles, "numbers": self.numbers,
                "moved": len(self.moved), "tolerance": dict(sorted(self.tolerance.items()))}


def _volatile_cells(notebook: nbformat.NotebookNode) -> set[str]:
    return {compare.cell_label(c, n) for n, c in enumerate(notebook.cells, start=1)
            if c.cell_type == "code" and compare.VOLATILE in c.metadata.get("tags", ())}


def _samples(notebook: nbformat.NotebookNode, normalisers: tuple[str, ...]) -> dict[str, tuple[float, str | None]]:
    """site → (number, printed token or None for a value)."""
    found: dict[str, tuple[float, str | None]] = {
        site: (float(token), token) for site, token in compare.notebook_numbers(notebook, normalisers).items()}
    values = notebook.metadata.execdoc["values"]
    found.update({site: (number, None) for site, number in compare.value_numbers(
        {k: v for k, v in values.items() if not compare.is_timing(k)}).items()})
    return found


def calibrate(name: str, record: nbformat.NotebookNode, runs: dict[str, nbformat.NotebookNode],
              floor: compare.Tolerance, factor: float, normalisers: tuple[str, ...]) -> Calibration:
    """Spreads and tolerances of ``record`` against ``runs`` (profile name → fresh notebook)."""
    result = Calibration(name, sorted(runs))
    for profile, run in sorted(runs.items()):
        diff = compare.compare(name, record, run, INFINITE, normalisers)
        if diff:
            result.broken.append(f"under profile '{profile}': {diff}")
    volatile = _volatile_cells(record)
    expected = _samples(record, normalisers)
    fresh = {profile: _samples(run, normalisers) for profile, run in runs.items()}
    for site, (x, token) in expected.items():
        if site.split("/")[0] in volatile:
            result.volatile_numbers += 1
            continue
        result.numbers += 1
        spread, worst = 0.0, ""
        for profile, samples in sorted(fresh.items()):
            if site in samples and math.isfinite(x) and math.isfinite(samples[site][0]):
                distance = abs(samples[site][0] - x)
                if distance > spread:
                    spread, worst = distance, profile
        if spread > 0:
            result.moved.append(Site(site, x, spread, worst))
            limit = factor * spread
            if limit > floor.limit(site, x, token):
                result.tolerance[site] = float(f"{limit:.3g}")
    return result


def describe(result: Calibration, threshold: float) -> list[str]:
    """Lines for the author: one summary, then each number past ``threshold``."""
    largest = result.largest()
    head = (f"{result.name}: {len(result.profiles)} profiles ({', '.join(result.profiles)}): "
            f"{result.numbers} numbers, {len(result.moved)} differ between profiles")
    if largest:
        head += f", largest relative spread {largest.relative:.2g} at {largest.site} (under {largest.worst_profile})"
    if result.volatile_numbers:
        head += f"; {result.volatile_numbers} in volatile cells, checked for shape only"
    lines = [head + f"; {len(result.tolerance)} tolerances stored"]
    for site in sorted(result.moved, key=lambda s: -s.relative):
        if site.relative > threshold and site.site in result.tolerance:
            lines.append(f"  moves {site.relative:.1%} across machines: {result.name}.py {site.site} "
                         f"(recorded {site.expected:.6g}, off by {site.spread:.3g} under {site.worst_profile}); "
                         "print something stable, or tag the cell volatile")
    lines += [f"  cannot be calibrated: {line}" for line in result.broken]
    return lines
