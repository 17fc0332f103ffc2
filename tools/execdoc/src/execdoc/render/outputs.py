"""HTML for a snippet cell and its recorded outputs, and formatted values.

Pure functions of the record: nothing here executes or reads files.
"""

from __future__ import annotations

import html

from .. import ExecdocError
from ..check.compare import png_size
from ..i18n import strings
from ..text import strip_ansi

SHOW = ("both", "code", "output")


def _pre(text: str, kind: str) -> str:
    return f'<pre class="execdoc-{kind}"><code>{html.escape(strip_ansi(text))}</code></pre>'


def output_html(output: dict, caption: str | None = None) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return _pre(output["text"], "stderr" if output.get("name") == "stderr" else "stdout")
    if kind == "error":
        return _pre(f"{output.get('ename')}: {output.get('evalue')}", "error")
    data = output.get("data", {})
    below = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    if "image/png" in data:
        png = data["image/png"].replace("\n", "")
        width, height = png_size(png)
        return (f'<figure class="execdoc-figure"><img src="data:image/png;base64,{png}" '
                f'width="{width}" height="{height}" alt="{html.escape(caption or "")}" loading="lazy">{below}</figure>')
    if "image/svg+xml" in data:
        return f'<figure class="execdoc-figure">{data["image/svg+xml"]}{below}</figure>'
    if "text/html" in data:
        return f'<div class="execdoc-html">{data["text/html"]}</div>'
    if "text/plain" in data:
        return _pre(data["text/plain"], "result")
    return ""


def check_caption(outputs: list, caption: str | None) -> None:
    """A fence's ``caption`` describes the one figure it shows; a PNG needs one (its alt text)."""
    figures = sum(1 for o in outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {})))
    if caption is not None and (figures != 1 or not caption.strip()):
        raise ExecdocError(f'caption="{caption}" describes one figure, and this fence shows {figures}: '
                           "show one cell per fence")
    if caption is None and any("image/png" in o.get("data", {}) for o in outputs):
        raise ExecdocError('its figure has no caption: describe it on the fence, caption="…" '
                           "(shown under the figure, read as its alt text)")


def outputs_html(outputs: list, fold: int | None, lang: str, caption: str | None = None) -> str:
    words = strings(lang)
    parts, lines = [], 0
    for output in outputs:
        parts.append(output_html(output, caption))
        lines += (output.get("text") or output.get("data", {}).get("text/plain", "")).count("\n")
    body = "".join(p for p in parts if p)
    if not body:
        return ""
    if fold is not None and lines > fold:
        return (f'<details class="execdoc-output execdoc-fold"><summary>{words["output"]} '
                f'({lines} {words["lines"]})</summary>{body}</details>')
    return f'<div class="execdoc-output" aria-label="{words["output"]}">{body}</div>'
