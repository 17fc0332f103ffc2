"""HTML and SVG that a snippet outputs, made safe to publish.

A ``text/html`` output (a DataFrame, a ``_repr_html_``) or an ``image/svg+xml``
one is markup the site would serve from its own origin, where quiz progress
lives in localStorage: a script or an ``onerror`` in it would run for every
reader. Every such output passes through an allowlist sanitiser (nh3, the
binding to Rust's ammonia) when its record is made, so cell fences, notebook
pages and downloads all carry the cleaned markup. A cell that really needs raw
HTML says so, visibly, in the snippet: ``# %% widget tags=["raw-html"]``.
"""

from __future__ import annotations

import nh3

RAW_HTML = "raw-html"

SVG_TAGS = {"svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "text", "tspan",
            "title", "desc", "defs", "clipPath", "use", "linearGradient", "radialGradient", "stop", "symbol",
            "marker", "pattern", "mask", "image"}
SVG_ATTRIBUTES = {"id", "class", "d", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
                  "viewBox", "preserveAspectRatio", "transform", "xmlns", "version", "points", "fill", "fill-opacity",
                  "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
                  "stroke-opacity", "opacity", "font-size", "font-family", "font-weight", "text-anchor",
                  "dominant-baseline", "clip-path", "clipPathUnits", "offset", "stop-color", "stop-opacity",
                  "gradientUnits", "href", "markerWidth", "markerHeight", "refX", "refY", "orient", "mask",
                  "patternUnits"}


def clean_html(markup: str) -> str:
    return nh3.clean(markup)


def clean_svg(markup: str) -> str:
    return nh3.clean(markup, tags=SVG_TAGS, attributes={"*": SVG_ATTRIBUTES}, url_schemes={"data", "https"})


def clean_outputs(cell) -> None:
    """Sanitise the cell's HTML and SVG outputs in place, unless it is tagged raw-html."""
    if RAW_HTML in cell.get("metadata", {}).get("tags", ()):
        return
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if isinstance(data.get("text/html"), str):
            data["text/html"] = clean_html(data["text/html"])
        if isinstance(data.get("image/svg+xml"), str):
            data["image/svg+xml"] = clean_svg(data["image/svg+xml"])


def for_download(record: bytes) -> bytes:
    """The notebook a learner downloads: the record's cells and outputs, without
    ``metadata.execdoc`` (its values, key, calibration and the fingerprint of the
    machine that ran it) at notebook or cell level. The record itself keeps them."""
    import json

    notebook = json.loads(record)
    notebook.get("metadata", {}).pop("execdoc", None)
    for cell in notebook.get("cells", []):
        cell.get("metadata", {}).pop("execdoc", None)
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
