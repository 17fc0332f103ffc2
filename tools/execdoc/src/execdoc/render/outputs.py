"""HTML for a snippet cell and its recorded outputs, and formatted values.

Pure functions of the record: nothing here executes or reads files.
"""

from __future__ import annotations

import html

from ..check.compare import png_size
from ..i18n import strings
from ..text import strip_ansi

SHOW = ("both", "code", "output")


def _pre(text: str, kind: str) -> str:
    return f'<pre class="execdoc-{kind}"><code>{html.escape(strip_ansi(text))}</code></pre>'


def output_html(output: dict, alt: str) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return _pre(output["text"], "stderr" if output.get("name") == "stderr" else "stdout")
    if kind == "error":
        return _pre(f"{output.get('ename')}: {output.get('evalue')}", "error")
    data = output.get("data", {})
    if "image/png" in data:
        png = data["image/png"].replace("\n", "")
        width, height = png_size(png)
        return (f'<figure class="execdoc-figure"><img src="data:image/png;base64,{png}" '
                f'width="{width}" height="{height}" alt="{html.escape(alt)}" loading="lazy"></figure>')
    if "image/svg+xml" in data:
        return f'<figure class="execdoc-figure">{data["image/svg+xml"]}</figure>'
    if "text/html" in data:
        return f'<div class="execdoc-html">{data["text/html"]}</div>'
    if "text/plain" in data:
        return _pre(data["text/plain"], "result")
    return ""


def outputs_html(outputs: list, where: str, fold: int | None, lang: str) -> str:
    words = strings(lang)
    parts, figures, lines = [], 0, 0
    for output in outputs:
        if "image/png" in output.get("data", {}):
            figures += 1
        alt = f"{words['figure']} {figures} {words['of']} {where}"
        parts.append(output_html(output, alt))
        lines += (output.get("text") or output.get("data", {}).get("text/plain", "")).count("\n")
    body = "".join(p for p in parts if p)
    if not body:
        return ""
    if fold is not None and lines > fold:
        return (f'<details class="execdoc-output execdoc-fold"><summary>{words["output"]} '
                f'({lines} {words["lines"]})</summary>{body}</details>')
    return f'<div class="execdoc-output" aria-label="{words["output"]}">{body}</div>'
