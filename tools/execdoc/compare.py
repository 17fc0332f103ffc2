"""Compare a fresh run with its record: text with numeric tolerance after
named normalisers, figures by presence and size, values with tolerance.

Every difference names snippet, cell and the first differing number.
"""

from __future__ import annotations

import base64
import math
import re
import struct
from dataclasses import dataclass

import nbformat

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\bnan\b|[-+]?\binf\b")

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
        (re.compile(r"[^\n]*\r(?!\n)"), ""),
        (re.compile(r"\d+%\|[^|\n]*\|[^\n]*"), "<progress>"),
    ],
    # The kernel's temporary working folder.
    "tmpdirs": [(re.compile(r"/tmp/execdoc-[\w]+"), "<tmp>")],
    # Where packages are installed differs per checkout (warnings name files there).
    "paths": [(re.compile(r"[^\s'\"]*[/\\]site-packages[/\\]"), "<site-packages>/")],
}


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float

    def close(self, expected: float, got: float) -> bool:
        if math.isnan(expected) or math.isnan(got):
            return math.isnan(expected) and math.isnan(got)
        return abs(expected - got) <= self.atol + self.rtol * abs(expected)


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def normalise(text: str, names: tuple[str, ...]) -> str:
    """Colour codes always go (they would hide numbers); then the named normalisers."""
    text = ANSI.sub("", text)
    for name in names:
        if name not in NORMALISERS:
            raise ValueError(f"unknown normaliser '{name}' (known: {', '.join(NORMALISERS)})")
        for pattern, replacement in NORMALISERS[name]:
            text = pattern.sub(replacement, text)
    return text


def _number(token: str) -> float:
    return float(token)


def compare_text(expected: str, got: str, tol: Tolerance) -> str | None:
    """None when equal within tolerance, else where and how they first differ."""
    exp_lines, got_lines = expected.split("\n"), got.split("\n")
    for line_no, (a, b) in enumerate(zip(exp_lines, got_lines), start=1):
        a_nums, b_nums = NUMBER.findall(a), NUMBER.findall(b)
        if NUMBER.sub("#", a) != NUMBER.sub("#", b) or len(a_nums) != len(b_nums):
            return f"line {line_no}: expected {a.strip()!r}, got {b.strip()!r}"
        for n, (x, y) in enumerate(zip(a_nums, b_nums), start=1):
            if x != y and not tol.close(_number(x), _number(y)):
                return (f"line {line_no}, number {n}: expected {x}, got {y} "
                        f"(rtol={tol.rtol:g}, atol={tol.atol:g}) in {b.strip()!r}")
    if len(exp_lines) != len(got_lines):
        return f"expected {len(exp_lines)} lines, got {len(got_lines)}"
    return None


def png_size(b64: str) -> tuple[int, int]:
    head = base64.b64decode(b64[:44])
    return struct.unpack(">II", head[16:24])


def _describe(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f"{output['name']} text"
    if kind == "error":
        return f"error {output.get('ename')}"
    return f"{kind} ({', '.join(sorted(output.get('data', {})))})"


def compare_outputs(expected: list, got: list, tol: Tolerance, names: tuple[str, ...]) -> str | None:
    if [_describe(o) for o in expected] != [_describe(o) for o in got]:
        return (f"outputs differ in kind: expected [{'; '.join(map(_describe, expected))}], "
                f"got [{'; '.join(map(_describe, got))}]")
    for n, (a, b) in enumerate(zip(expected, got), start=1):
        prefix = f"output {n} ({_describe(a)}), "
        if a["output_type"] == "stream":
            diff = compare_text(normalise(a["text"], names), normalise(b["text"], names), tol)
            if diff:
                return prefix + diff
        elif a["output_type"] == "error":
            diff = compare_text(a.get("evalue", ""), b.get("evalue", ""), tol)
            if diff:
                return prefix + diff
        else:
            for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
                if mime in a["data"]:
                    diff = compare_text(normalise(a["data"][mime], names), normalise(b["data"][mime], names), tol)
                    if diff:
                        return prefix + f"{mime} {diff}"
            if "image/png" in a["data"]:
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
        pairs = list(zip(a, b)) if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) else [(a, b)]
        for x, y in pairs:
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y))
            if numeric and not tol.close(float(x), float(y)) or not numeric and x != y:
                return f"value '{name}': expected {a!r}, got {b!r} (rtol={tol.rtol:g}, atol={tol.atol:g})"
    return None


def compare(name: str, record: nbformat.NotebookNode, fresh: nbformat.NotebookNode,
            tol: Tolerance, names: tuple[str, ...]) -> str | None:
    """None when the fresh run matches the record, else one line saying where."""
    if [c.source for c in record.cells] != [c.source for c in fresh.cells]:
        return f"{name}.py: the record holds other code; run `execdoc build` or `execdoc approve {name}`"
    for n, (a, b) in enumerate(zip(record.cells, fresh.cells), start=1):
        if a.cell_type != "code":
            continue
        diff = compare_outputs(a.get("outputs", []), b.get("outputs", []), tol, names)
        if diff:
            return f"{name}.py, cell '{a.metadata.get('title') or f'cell {n}'}': {diff}"
    diff = compare_values(record.metadata.execdoc["values"], fresh.metadata.execdoc["values"], tol)
    return f"{name}.py: {diff}" if diff else None
