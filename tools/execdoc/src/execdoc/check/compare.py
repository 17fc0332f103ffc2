"""Compare a fresh run with its record, number by number.

Every number a snippet prints or records has a **site**, a path that names
where it is: ``cell/output/part/line/number`` for text (part is the stream or
MIME type), ``values/name`` (``values/name/i`` for list items) for values.
Calibration (:mod:`calibrate`) measures how far the number at each site
moves between machine profiles and stores a tolerance per site in the
record; the check allows each number its own tolerance, never less than the
floor: ``atol + rtol·|expected|``, and for a printed decimal one unit of its
last printed digit (the same value can round the other way on another
machine). Integers printed without a decimal point (counts, shapes) have no
such allowance. A cell tagged ``volatile`` has its numbers checked for
presence and shape only; everything else in it is still compared.

Every difference names snippet, cell (and its line in the ``.py`` file),
output, line and number, with the tolerance that was applied.
"""

from __future__ import annotations

import base64
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Iterator, Mapping

import nbformat

from ..text import keep_last_redraw, shorten_site_packages, strip_ansi

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\bnan\b|[-+]?\binf\b")
VOLATILE = "volatile"
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")

NORMALISERS = {
    # Object reprs: <Foo object at 0x7f3a...>
    "addresses": [(re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x<address>")],
    # Durations that differ run to run: "1.23 s", "15ms", "3.2 秒", "0:00:01".
    "timings": [
        (re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:s|ms|µs|us|ns|sec|secs|seconds|秒)(?![\w])"), "<time>"),
        (re.compile(r"\b\d+:\d{2}(?::\d{2})?(?:\.\d+)?\b"), "<time>"),
    ],
    # tqdm-style bars and carriage-return redraws: keep the last state of a line.
    "progress": [
        (lambda text: keep_last_redraw(text), None),
        (re.compile(r"\d+%\|[^|\n]*\|[^\n]*"), "<progress>"),
    ],
    # The kernel's temporary working folder.
    "tmpdirs": [(re.compile(r"/tmp/execdoc-[\w]+"), "<tmp>")],
    # Where packages are installed differs per checkout (warnings name files there).
    "paths": [(lambda text: shorten_site_packages(text, "<site-packages>/"), None)],
}

def normalise(text: str, names: tuple[str, ...]) -> str:
    """Colour codes and trailing blanks always go (they would hide numbers, and
    progress bars pad lines to the width of the previous one); then the named
    normalisers."""
    text = "\n".join(line.rstrip() for line in strip_ansi(text).split("\n"))
    for name in names:
        if name not in NORMALISERS:
            raise ValueError(f"unknown normaliser '{name}' (known: {', '.join(NORMALISERS)})")
        for pattern, replacement in NORMALISERS[name]:
            text = pattern(text) if replacement is None else pattern.sub(replacement, text)
    return text


def print_unit(token: str) -> float:
    """One unit of a printed decimal's last digit (``0.1027`` → 1e-4,
    ``4.01e-07`` → 1e-9); 0 for integers, ``nan`` and ``inf``."""
    mantissa, _, exponent = token.lower().lstrip("+-").partition("e")
    if "." not in mantissa and not exponent or not mantissa[:1].isdigit() and mantissa[:1] != ".":
        return 0.0
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


@dataclass(frozen=True)
class Tolerance:
    """How far each number may move: a floor for all, and per-site measured limits."""

    rtol: float
    atol: float
    measured: Mapping[str, float] = field(default_factory=dict)  # site → absolute tolerance
    factor: float | None = None  # the safety factor calibration used, for messages

    def _parts(self, site: str, expected: float, token: str | None) -> tuple[float, float, float]:
        """(configured floor, last-digit unit, calibrated tolerance): the limit is their largest."""
        configured = self.atol + (self.rtol * abs(expected) if expected else 0.0)
        return configured, print_unit(token) if token is not None else 0.0, self.measured.get(site, 0.0)

    def limit(self, site: str, expected: float, token: str | None = None) -> float:
        return max(self._parts(site, expected, token))

    def close(self, site: str, expected: float, got: float, token: str | None = None) -> bool:
        if math.isnan(expected) or math.isnan(got):
            return math.isnan(expected) and math.isnan(got)
        if math.isinf(expected) or math.isinf(got):
            return expected == got
        # A hair over the limit: 0.1027 - 0.1026 is 1.00000000000001e-4 in binary.
        return abs(expected - got) <= self.limit(site, expected, token) * (1 + 1e-9)

    def describe(self, site: str, expected: float, token: str | None = None) -> str:
        """Which of the three set the limit, in words."""
        configured, unit, measured = self._parts(site, expected, token)
        if measured and measured >= max(configured, unit):
            return f"tolerance ±{measured:.3g}, calibrated: {self.factor:g}× the spread across profiles"
        if unit and unit >= configured:
            return f"tolerance ±{unit:g}, one unit of the last printed digit"
        return f"tolerance rtol={self.rtol:g}, atol={self.atol:g}"


def describe_output(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f"{output['name']} text"
    if kind == "error":
        return f"error {output.get('ename')}"
    return f"{kind} ({', '.join(sorted(output.get('data', {})))})"


def output_texts(output, names: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(part, normalised text) for each text an output holds."""
    kind = output.get("output_type")
    if kind == "stream":
        yield output["name"], normalise(output["text"], names)
    elif kind == "error":
        yield "error", output.get("evalue", "")
    else:
        for mime in TEXT_MIMES:
            if mime in output.get("data", {}):
                yield mime, normalise(output["data"][mime], names)


def text_numbers(text: str, prefix: str) -> Iterator[tuple[str, str]]:
    """(site, token) for every number in ``text``; lines and numbers count from 1."""
    for line_no, line in enumerate(text.split("\n"), start=1):
        for n, token in enumerate(NUMBER.findall(line), start=1):
            yield f"{prefix}/{line_no}/{n}", token


def cell_label(cell, n: int) -> str:
    return cell.metadata.get("title") or f"cell {n}"


def notebook_numbers(notebook, names: tuple[str, ...]) -> dict[str, str]:
    """site → token for every number in every code cell's outputs."""
    found = {}
    for n, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        for k, output in enumerate(cell.get("outputs", []), start=1):
            for part, text in output_texts(output, names):
                found.update(text_numbers(text, f"{cell_label(cell, n)}/{k}/{part}"))
    return found


def value_numbers(values: dict) -> dict[str, float]:
    """site → number for every numeric value (list items one by one)."""
    found = {}
    for name, value in values.items():
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                found[f"values/{name}" + ("" if i is None else f"/{i}")] = float(item)
    return found


def compare_text(expected: str, got: str, tol: Tolerance, prefix: str = "", shape_only: bool = False) -> str | None:
    """None when equal within tolerance, else where and how they first differ."""
    exp_lines, got_lines = expected.split("\n"), got.split("\n")
    for line_no, (a, b) in enumerate(zip(exp_lines, got_lines), start=1):
        a_nums, b_nums = NUMBER.findall(a), NUMBER.findall(b)
        if NUMBER.sub("#", a) != NUMBER.sub("#", b) or len(a_nums) != len(b_nums):
            return f"line {line_no}: expected {a.strip()!r}, got {b.strip()!r}"
        for n, (x, y) in enumerate(zip(a_nums, b_nums), start=1):
            if shape_only:
                # Any value will do, but a run that diverged is no other machine's path.
                if math.isfinite(float(x)) and not math.isfinite(float(y)):
                    return (f"line {line_no}, number {n}: expected a finite number (volatile: any value), "
                            f"got {y} in {b.strip()!r}")
                continue
            site = f"{prefix}/{line_no}/{n}"
            if x != y and not tol.close(site, float(x), float(y), x):
                return (f"line {line_no}, number {n}: expected {x}, got {y} "
                        f"({tol.describe(site, float(x), x)}) in {b.strip()!r}")
    if len(exp_lines) != len(got_lines):
        return f"expected {len(exp_lines)} lines, got {len(got_lines)}"
    return None


def png_size(b64: str) -> tuple[int, int]:
    head = base64.b64decode(b64[:44])
    return struct.unpack(">II", head[16:24])


def compare_outputs(expected: list, got: list, tol: Tolerance, names: tuple[str, ...],
                    label: str = "", shape_only: bool = False) -> str | None:
    if [describe_output(o) for o in expected] != [describe_output(o) for o in got]:
        return (f"outputs differ in kind: expected [{'; '.join(map(describe_output, expected))}], "
                f"got [{'; '.join(map(describe_output, got))}]")
    for n, (a, b) in enumerate(zip(expected, got), start=1):
        prefix = f"output {n} ({describe_output(a)}), "
        for (part, text_a), (_, text_b) in zip(output_texts(a, names), output_texts(b, names)):
            diff = compare_text(text_a, text_b, tol, f"{label}/{n}/{part}", shape_only)
            if diff:
                return prefix + (f"{part} {diff}" if "/" in part else diff)
        if "image/png" in a.get("data", {}):
            wa, ha = png_size(a["data"]["image/png"])
            wb, hb = png_size(b["data"]["image/png"])
            if abs(wa - wb) > 2 or abs(ha - hb) > 2:
                return prefix + f"figure size: expected {wa}x{ha} px, got {wb}x{hb} px"
    return None


def is_timing(name: str) -> bool:
    """Values named ``*seconds`` are wall-clock timings: compared by presence only."""
    return name.endswith("seconds")


def compare_values(expected: dict, got: dict, tol: Tolerance) -> str | None:
    for name in sorted(set(expected) | set(got)):
        if is_timing(name) and name in expected and name in got:
            continue
        if name not in got:
            return f"value '{name}' is gone (was {expected[name]!r})"
        if name not in expected:
            return f"new value '{name}' = {got[name]!r}"
        a, b = expected[name], got[name]
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            pairs = [(f"values/{name}/{i}", x, y) for i, (x, y) in enumerate(zip(a, b))]
        else:
            pairs = [(f"values/{name}", a, b)]
        for site, x, y in pairs:
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y))
            if numeric and not tol.close(site, float(x), float(y)) or not numeric and x != y:
                how = f" ({tol.describe(site, float(x))})" if numeric else ""
                return f"value '{name}': expected {a!r}, got {b!r}{how}"
    return None


def compare(name: str, record: nbformat.NotebookNode, fresh: nbformat.NotebookNode, tol: Tolerance,
            names: tuple[str, ...], lines: Mapping[str, int] | None = None) -> str | None:
    """None when the fresh run matches the record, else one line saying where.

    Outputs are compared first, cell by cell, even when the code changed, so a
    changed learning rate is reported by the number it moved. ``lines`` maps a
    cell's label to its first line in the ``.py`` file.
    """
    lines = lines or {}
    code_changed = ([c.source for c in record.cells if c.cell_type == "code"]
                    != [c.source for c in fresh.cells if c.cell_type == "code"])
    note = (f" (the code differs from the record's too: `execdoc approve {name}` once the new outputs are right)"
            if code_changed else "")
    fresh_by_label = {cell_label(c, k): c for k, c in enumerate(fresh.cells, start=1) if c.cell_type == "code"}
    for n, cell in enumerate(record.cells, start=1):
        if cell.cell_type != "code":
            continue
        label = cell_label(cell, n)
        where = f"{name}.py:{lines[label]}" if label in lines else f"{name}.py"
        if label not in fresh_by_label:
            return f"{where}, cell '{label}': the cell is gone{note}"
        volatile = VOLATILE in cell.metadata.get("tags", ())
        diff = compare_outputs(cell.get("outputs", []), fresh_by_label[label].get("outputs", []), tol, names,
                               label, volatile)
        if diff:
            return f"{where}, cell '{label}': {diff}{note}"
    diff = compare_values(record.metadata.execdoc["values"], fresh.metadata.execdoc["values"], tol)
    if diff:
        return f"{name}.py: {diff}{note}"
    if code_changed:
        return f"{name}.py: the record holds other code; run `execdoc build` or `execdoc approve {name}`"
    return None


def tolerance_of(record: nbformat.NotebookNode, rtol: float, atol: float) -> Tolerance:
    """The tolerance a record's calibration stored, over the configured floor."""
    calibration = record.metadata.get("execdoc", {}).get("calibration") or {}
    return Tolerance(rtol, atol, dict(calibration.get("tolerance", {})), calibration.get("factor"))
