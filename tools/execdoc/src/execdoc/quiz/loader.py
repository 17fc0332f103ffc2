"""A bank file as YAML that remembers where everything was written.

:func:`read` gives :class:`Map` and :class:`Seq` (a dict and a list that know
the line of every key and item, and each scalar as written) and turns every
problem of the file itself into a :class:`QuizError` naming ``file:line``:
bytes that are not UTF-8, YAML syntax, a key written twice in one mapping, a
key that is not text. :class:`Where` makes those messages for the later stages.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import ExecdocError


class QuizError(ExecdocError):
    """A bank that cannot be used; the message starts with ``file:line``."""


class Where:
    """Where we are in a bank, for messages: the file and the question being read."""

    def __init__(self, file: str):
        self.file = file
        self.question: str | None = None

    def fail(self, line: int, problem: str) -> QuizError:
        where = f"question '{self.question}': " if self.question else ""
        return QuizError(f"{self.file}:{line}: {where}{problem}")


class Map(dict):
    """A YAML mapping with the line of the mapping and of each key (1-based), and each
    scalar value as written (``raw``), for text that YAML would read as a number."""
    line = 0
    lines: dict
    raw: dict

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping where it is missing."""
        return self.lines.get(key, self.line)


class Seq(list):
    """A YAML sequence with the line of the sequence and of each item."""
    line = 0
    lines: list


class _Duplicate(Exception):
    def __init__(self, key, line, first):
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _BadKey(Exception):
    def __init__(self, key, line):
        super().__init__(key)
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader, node):
    loader.flatten_mapping(node)
    out = Map()
    out.line, out.lines, out.raw = node.start_mark.line + 1, {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise _BadKey(key, line)
        if key in out.lines:
            raise _Duplicate(key, line, out.lines[key])
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            out.raw[key] = value_node.value  # as written: `0.50` stays text where text is meant
    return out


def _construct_seq(loader, node):
    out = Seq(loader.construct_object(item, deep=True) for item in node.value)
    out.line, out.lines = node.start_mark.line + 1, [item.start_mark.line + 1 for item in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def read(file: Path, where: Where):
    """The YAML document in ``file`` (UTF-8), as :class:`Map`, :class:`Seq` and scalars."""
    if not file.is_file():
        raise QuizError(f"{where.file}: no such question bank")
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise where.fail(raw[:exc.start].count(b"\n") + 1,
                         f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the bank as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _BadKey as exc:
        key = list(exc.key) if isinstance(exc.key, list) else exc.key
        raise where.fail(exc.line, f"a key must be text, got {key!r}") from None
    except _Duplicate as exc:
        raise where.fail(exc.line,
                         f"key '{exc.key}' appears twice in one mapping (first on line {exc.first})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc
        raise where.fail(mark.line + 1 if mark else 1, f"not valid YAML: {problem}") from None


def find_banks(docs: Path) -> list[str]:
    """Every bank under ``docs``: ``quiz.yml`` in a chapter folder, ``NAME.quiz.yml`` beside a page."""
    docs = Path(docs)
    found = set(docs.rglob("quiz.yml")) | set(docs.rglob("*.quiz.yml"))
    return sorted(p.relative_to(docs).as_posix() for p in found if not any(part.startswith(".") for part in p.parts))
