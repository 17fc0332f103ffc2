"""Light pages: what a page would carry many times over is published once.

- A notebook page (mkdocs-jupyter) loses the JupyterLab CSS that nbconvert
  inlines into each one (about 590 KB a page) and links the one shared,
  trimmed stylesheet ``execdoc/notebook.css`` instead.
- A PNG embedded as base64 (a figure of a snippet's output or a notebook's)
  becomes a file, ``execdoc/figures/<hash>.png``, named by its content so both
  languages share it; its ``<img>`` gets its width and height and loads
  lazily, and a link around it opens the figure at full size. The file is
  re-encoded smaller first (:func:`light_png`).
- The review page keeps each bank's keys, not its questions: those go into
  ``execdoc/review/<bank>.<lang>.<hash>.js``, a script that hands their HTML to
  quiz.js, which adds it (as ``<script src>``: it works from ``file://``,
  unlike fetch) only when the reader has a question of that bank due.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import io
import json
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..check.compare import png_size
from ..files import write_atomic
from ..markdown.extension import ASSETS
from ..quiz.html import BANK_END, BANK_START, slug
from ..quiz.safe import embed_json

NOTEBOOK_CSS = "execdoc/notebook.css"
FIGURES = "execdoc/figures"
REVIEW = "execdoc/review"

WRAPPER = '<div class="jupyter-wrapper">'
WRAPPER_END = "<!-- jupyter-wrapper -->"
STYLE = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.S | re.I)
# nbconvert's mermaid loader (11 KB a page): it imports mermaid from a CDN once a page holds a diagram.
MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?\.jp-Mermaid > pre\.mermaid.*?</script>', re.S)
# A channel of a palette pixel may differ from the original by this much at most (of 255), else the
# figure stays lossless (a photograph, a smooth gradient wider than 256 colours).
PALETTE_ERROR = 24
REVIEW_BANK = re.compile(re.escape(BANK_START).replace(r"\{lang\}", r"(?P<lang>\S+)").replace(
    r"\{path\}", r"(?P<path>.*?)") + "(?P<items>.*?)" + re.escape(BANK_END), re.S)
# A question of the review's, as quiz/html.py starts it (bank text cannot write "<li").
QUESTION = re.compile(r'<li class="quiz-q" id="[^"]*" data-key="[^"#]*#(?P<id>[^"]*)" data-hash="(?P<hash>[^"]*)"')
PNG = re.compile(r'(?P<link><a\b[^>]*>\s*)?<img\b(?P<before>[^>]*?)\s'
                 r'src="data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)"(?P<after>[^>]*?)\s*/?>')


def notebook_css_file(config):
    """The shared notebook stylesheet, as a file of the site."""
    from mkdocs.structure.files import File

    return File.generated(config, NOTEBOOK_CSS, abs_src_path=str(ASSETS / "notebook.css"))


def lighten(content: str, page, config) -> str:
    """``content`` (a page's HTML) with its notebook CSS linked and its PNGs as files."""
    here = posixpath.dirname(page.file.dest_uri)
    if WRAPPER in content:
        content = _link_notebook_css(content, posixpath.relpath(NOTEBOOK_CSS, here or "."))
    if "data:image/png;base64," in content:
        content = PNG.sub(lambda m: _figure(m, here, Path(config.site_dir), page.file.src_uri), content)
    if BANK_END in content:
        content = REVIEW_BANK.sub(lambda m: _review_bank(m, here, Path(config.site_dir)), content)
    return content


def _review_bank(match: re.Match, here: str, site: Path) -> str:
    """A bank's questions on the review page as a script file; in their place, the bank's keys."""
    bank = html.unescape(match["path"])
    script = f"execdocQuizBank({json.dumps(bank)},\n{json.dumps(match['items'], ensure_ascii=False)});\n".encode()
    name = f"{REVIEW}/{slug(bank)}.{match['lang']}.{hashlib.sha256(script).hexdigest()[:12]}.js"
    target = site / name
    if not target.exists():
        write_atomic(target, script)
    keys = {"bank": bank, "src": posixpath.relpath(name, here or "."),
            "q": {html.unescape(m["id"]): m["hash"] for m in QUESTION.finditer(match["items"])}}
    return f'<script type="application/json" class="quiz-bank">{embed_json(keys)}</script>'


def _link_notebook_css(content: str, href: str) -> str:
    """nbconvert writes its styles before the notebook and after it; styles inside
    (an output's own, a Markdown cell's) belong to the notebook and stay."""
    head, _, body = content.partition(WRAPPER)
    body, end, tail = body.rpartition(WRAPPER_END) if WRAPPER_END in body else (body, "", "")
    head = STYLE.sub("", head)
    if "jp-Mermaid" not in body:
        head = MERMAID.sub("", head)
    return f'<link rel="stylesheet" href="{href}">' + head + WRAPPER + body + end + STYLE.sub("", tail)


def _figure(match: re.Match, here: str, site: Path, where: str) -> str:
    data = re.sub(r"\s+", "", match["data"])
    try:
        png = base64.b64decode(data, validate=True)
    except binascii.Error as exc:
        raise PluginError(f"execdoc: {where}: an embedded image/png is not base64 ({exc})") from None
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise PluginError(f"execdoc: {where}: an embedded image/png is not a PNG (it starts {png[:8]!r})")
    width, height = png_size(data)
    png = light_png(png)
    name = f"{FIGURES}/{hashlib.sha256(png).hexdigest()[:16]}.png"
    target = site / name
    if not target.exists():  # by content: the same figure is written once
        write_atomic(target, png)
    src = posixpath.relpath(name, here or ".")
    attrs = f'{match["before"]}{match["after"]}'
    for key, value in (("width", width), ("height", height), ("loading", "lazy")):
        if not re.search(rf"\s{key}=", attrs):
            attrs += f' {key}="{value}"'
    img = f'<img src="{src}"{attrs}>'
    if match["link"]:  # an image that already links somewhere keeps its link
        return match["link"] + img
    return f'<a class="execdoc-zoom" href="{src}">{img}</a>'


_LIGHT: dict[bytes, bytes] = {}  # sha256 of a figure -> its light encoding: each language's page shares it


def light_png(png: bytes) -> bytes:
    """``png`` re-encoded smaller, the same bytes for the same input (the file is named by them).

    Measured on the course's 30 figures (matplotlib, opaque RGBA, 1.27 MB): lossless RGB with
    ``optimize=True`` saves 12 % (1.12 MB); a 256-colour palette 62 % (0.48 MB). A plot has few
    colours. MAXCOVERAGE, without dithering, keeps those of a figure with 256 or fewer (5 of the 30)
    exactly (checked: else it stays lossless) and brings every pixel of the others within 13/255 of
    its original on every channel, white staying white: side by side at 100 %, no difference shows.
    FASTOCTREE is smaller (0.43 MB) but turns the white background off-white (254 or 250: a grey box
    on a white page) and is inexact even with 256 colours; MEDIANCUT is larger (0.51 MB) and moves
    thin lines' colours by up to 64/255. A figure with transparency, or one the palette would change
    by more than PALETTE_ERROR, stays lossless. Pillow's encoder is deterministic for one version;
    without Pillow (it comes with matplotlib, not with execdoc) figures are published as they are.
    """
    key = hashlib.sha256(png).digest()
    if key not in _LIGHT:
        _LIGHT[key] = _reencode(png)
    return _LIGHT[key]


def _reencode(png: bytes) -> bytes:
    try:
        from PIL import Image, ImageChops
    except ImportError:
        return png
    try:
        image = Image.open(io.BytesIO(png))
        image.load()
    except Exception:  # Pillow cannot read it: browsers may; it is published as it is
        return png
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")  # matplotlib writes opaque figures as RGBA
    smaller = image
    if image.mode == "RGB":
        colours = image.getcolors(256)  # None: more than 256
        smaller = image.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
        error = max(high for _, high in ImageChops.difference(image, smaller.convert("RGB")).getextrema())
        if error > (0 if colours else PALETTE_ERROR):
            smaller = image
    out = io.BytesIO()
    smaller.save(out, "PNG", optimize=True)
    return min(out.getvalue(), png, key=len)
