"""A recorded value as prose writes it."""

from __future__ import annotations


def format_value(value, spec: str, tolerance: float | list | None = None) -> str:
    """A recorded value in prose: ``format(value, spec)``, lists item by item.

    Two prefixes use the value's calibrated tolerance (how far it moves between
    machines; None when it does not move beyond the floor): ``~`` writes "≈"
    before a value that moves, ``±`` appends "± tolerance" to it. A value that
    does not move is written plainly either way.
    """
    if isinstance(value, list):
        tolerances = tolerance if isinstance(tolerance, list) else [None] * len(value)
        return ", ".join(format_value(v, spec, t) for v, t in zip(value, tolerances))
    mark, spec = (spec[0], spec[1:]) if spec[:1] in ("~", "±") else ("", spec)
    text = format(value, spec) if spec else str(value)
    if mark == "~" and tolerance:
        return f"≈{text}"
    if mark == "±" and tolerance:
        return f"{text} ± {format(tolerance, spec) if spec else tolerance}"
    return text
