"""Notebook pages and downloads in the language being built.

A record holds the prose of every language (:mod:`execdoc.records.localise`
says how a snippet writes it). In a site with several ``languages``, each
record gets one copy per language, ``build/pages/<lang>/<record path>``,
written only when it changes, and the notebook page of each language is
converted from its copy: its prose, title (the first heading), table of
contents, and so the navigation and the footer, are in that language alone.
mkdocs-jupyter caches conversions by content and, after each language's pass,
deletes those the pass did not use: every copy is marked used in every pass,
so that one language's pass does not throw away the other's. A language's
downloads live under its prefix (``en/downloads/``), the ``.ipynb`` being its
copy. In every site, each figure on a notebook page gets its caption as alt
text (nbconvert's own is "No description has been provided for this image"),
and each heading the id its table of contents links to.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

from nbformat import NotebookNode, v4

from .. import ExecdocError
from ..config import Config
from ..files import write_atomic
from ..i18n import base
from ..records import localise, store
from . import prerender

# nbconvert's alt text on an image output (an <img> inside an HTML output is the output's own business)
FIGURE = re.compile(r'(<div class="jp-RenderedImage[^>]*>\s*<img )'
                    r'alt="No description has been provided for this image"')

# record path -> (its time, size and settings, {language: (the copy, or the record itself, and its captions)})
_made: dict[str, tuple[tuple, dict[str, tuple[Path, list[str]]]]] = {}


def current(config, project: Config) -> str:
    """The language this pass builds: mkdocs-static-i18n's, else the theme's, else the first."""
    i18n = config.plugins.get("i18n")
    found = getattr(i18n, "current_language", None) or config.theme.get("language") or project.languages[0]
    return base(found)


def prefix(config) -> str:
    """Where this pass's pages go: "" for the default language, "en/" for another (mkdocs-static-i18n)."""
    i18n = config.plugins.get("i18n")
    if i18n is None or getattr(i18n, "current_language", None) == getattr(i18n, "default_language", None):
        return ""
    return f"{i18n.current_language}/"


def copies(project: Config, record: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each language's notebook and its figures' captions. With one language the
    notebook is the record itself; with several, a copy written (when it changed)
    under ``build/pages/<lang>/``. An ExecdocError says what the snippet lacks."""
    record = Path(record)
    stat = record.stat()
    version = (stat.st_mtime_ns, stat.st_size, project.languages, str(project.report))
    seen = _made.get(str(record))
    if seen and seen[0] == version and all(p.exists() for p, _ in seen[1].values()):
        return seen[1]
    text = record.read_text("utf-8")
    notebook, stored = v4.reads(text), json.loads(text)  # sources joined (for the digest), and as on disk
    made = {}
    for lang in project.languages:
        copy, captions = localise.localise(notebook, lang, project.languages)
        if len(project.languages) == 1:
            made[lang] = (record, captions)
            continue
        target = project.report.parent / "pages" / lang / record.resolve().relative_to(project.root.resolve())
        written = localise.localise(stored, lang, project.languages)[0]  # the same cells, written as a record is
        digest = store.digest(NotebookNode(copy))  # sealed: the copy is a whole record, in one language
        written["metadata"] = {**stored["metadata"], "execdoc": {**stored["metadata"]["execdoc"], "digest": digest}}
        text = json.dumps(written, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        if not target.exists() or target.read_text("utf-8") != text:
            write_atomic(target, text)
        made[lang] = (target, captions)
    _made[str(record)] = (version, made)
    return made


def page_sources(project: Config, record: Path) -> list[Path]:
    """The notebooks the pages of ``record`` convert, one per language; none where
    the snippet lacks something (its page says what, when it renders)."""
    try:
        return sorted({path for path, _ in copies(project, record).values()})
    except (ExecdocError, OSError, ValueError):
        return []


def _is_record(file, project: Config, config) -> bool:
    records = project.records.resolve().relative_to(Path(config.docs_dir).resolve()).as_posix()
    return file.src_uri.endswith(".ipynb") and posixpath.dirname(file.src_uri) == records


def localise_pages(files, config, project: Config) -> dict[str, list[str]]:
    """Point each notebook page at its notebook in this pass's language; return
    each page's figure captions, by source path. Raises ExecdocError naming the page."""
    lang, captions, used = current(config, project), {}, []
    pages = [f for f in files if _is_record(f, project, config) and f.is_documentation_page()]
    if pages and lang not in project.languages:
        raise ExecdocError(f"this site builds '{lang}', which [tool.execdoc] languages "
                           f"({', '.join(project.languages)}) does not name")
    for file in pages:
        try:
            made = copies(project, Path(file.abs_src_path))
        except (ExecdocError, ValueError, KeyError) as exc:  # a record that is no notebook: its name, its problem
            raise ExecdocError(f"{file.src_uri}: {Path(file.abs_src_path).stem}.py, {exc}") from None
        path, captions[file.src_uri] = made[lang]
        file.abs_src_path = str(path)
        used += [p for p, _ in made.values()]
    if len(project.languages) > 1:
        _keep_cached(config, used)
    return captions


def _keep_cached(config, paths: list[Path]) -> None:
    """Mark every language's notebooks used in mkdocs-jupyter's cache for this pass."""
    jupyter, internals = config.plugins.get("mkdocs-jupyter"), prerender._internals()
    used = getattr(jupyter, "_used_cache_paths", None)
    if internals is None or not isinstance(used, set):
        return
    plugin, _ = internals
    try:
        for path in set(paths):
            key = plugin._compute_cache_key(str(path), jupyter.config, jupyter.config["execute"])
            used.add(plugin._get_cache_path(jupyter.config["cache_dir"], key))
    except Exception:  # another mkdocs-jupyter: it converts again, nothing worse
        return


def localise_downloads(downloads: list, config, project: Config) -> list:
    """This pass's downloads under its prefix, each record replaced by its copy
    (where records are notebook pages: a site without them publishes records as they are)."""
    from mkdocs.structure.files import File

    if len(project.languages) == 1 or config.plugins.get("mkdocs-jupyter") is None:
        return downloads
    lang, out = current(config, project), []
    for file in downloads:
        content = file.content_bytes
        if file.src_uri.endswith(".ipynb"):  # a record: this language's copy
            name = posixpath.basename(file.src_uri)[: -len(".ipynb")]
            try:
                content = copies(project, store.path(project, name))[lang][0].read_bytes()
            except (ExecdocError, ValueError, KeyError) as exc:
                raise ExecdocError(f"{file.src_uri}: {name}.py, {exc}") from None
        out.append(File.generated(config, prefix(config) + file.src_uri, content=content))
    return out


def finish(content: str, page, captions: dict[str, list[str]]) -> str:
    """A notebook page's figures described by their captions, its headings given the
    ids its table of contents links to."""
    wanted = captions.get(page.file.src_uri)
    if wanted is None:
        return content
    found = len(FIGURE.findall(content))
    if found != len(wanted):
        raise ExecdocError(f"{page.file.src_uri}: {found} figure(s) without alt text on the page, "
                           f"{len(wanted)} caption(s) in its notebook")
    texts = iter(wanted)
    content = FIGURE.sub(lambda m: f'{m[1]}alt="{_attribute(next(texts))}"', content)
    return _heading_ids(content, page.toc)


def _attribute(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=True)


HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#[^"]*">')


def _heading_ids(content: str, toc) -> str:
    """nbconvert drops what is not ASCII from a heading's id (a Chinese heading
    gets ``id=""``), while the table of contents, the skip link and the search
    index use Python-Markdown's ids (``_1``): the headings take the latter, in order."""
    anchors, pending = [], list(toc or [])
    while pending:
        item = pending.pop(0)
        anchors.append(item.id)
        pending[:0] = list(item.children)
    if len(HEADING.findall(content)) != len(anchors):
        return content  # headings the table of contents does not list (in an output): leave them
    ids = iter(anchors)

    def rename(match: re.Match) -> str:
        anchor = html.escape(next(ids), quote=True)
        return f'<h{match[1]} id="{anchor}">{match[3]}<a class="anchor-link" href="#{anchor}">'

    return HEADING.sub(rename, content)
