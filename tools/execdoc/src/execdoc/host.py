"""Where the project is, and what execdoc reads from the site's own
configuration (``mkdocs.yml`` or ``zensical.toml``): the docs folder and the
theme's language. Nothing else of the host is needed, so the command line and
the Markdown extension agree with the MkDocs plugin without importing MkDocs."""

from __future__ import annotations

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import ExecdocError

FILES = ("mkdocs.yml", "mkdocs.yaml", "zensical.toml")


@dataclass(frozen=True)
class Host:
    file: Path | None
    docs_dir: str = "docs"
    language: str | None = None


class _Tolerant(yaml.SafeLoader):
    """mkdocs.yml's tags (``!ENV``, ``!!python/name:``) read as plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_Tolerant.add_multi_constructor("!", _any_tag)
_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def find(root: Path) -> Path | None:
    for name in FILES:
        if (root / name).is_file():
            return root / name
    return None


def read(root: Path) -> Host:
    file = find(root)
    if file is None:
        return Host(None)
    try:
        if file.suffix == ".toml":
            data = tomllib.loads(file.read_text("utf-8")).get("project", {})
        else:
            data = yaml.load(file.read_text("utf-8"), Loader=_Tolerant) or {}  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ExecdocError(f"{file}: cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ExecdocError(f"{file}: expected a mapping of settings")
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    docs_dir = data.get("docs_dir") or "docs"
    language = theme.get("language") or theme.get("locale")  # Material says language; MkDocs' own themes locale
    return Host(file, str(docs_dir), str(language) if language else None)


def has_table(pyproject: Path) -> bool:
    return pyproject.is_file() and "[tool.execdoc" in pyproject.read_text("utf-8", errors="replace")


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` with a pyproject.toml holding
    [tool.execdoc], or with a site configuration (mkdocs.yml, zensical.toml)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if has_table(folder / "pyproject.toml") or find(folder):
            return folder
    raise ExecdocError(f"no execdoc project at or above {here}: "
                       "no pyproject.toml with [tool.execdoc], no mkdocs.yml or zensical.toml")
