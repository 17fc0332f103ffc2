"""``{{ snippet.value | spec }}`` in prose, outside code, as the recorded value.

``{{ x.y[0] }}`` takes an item of a list; ``| ~.4f`` writes "≈" before a value
that moves between machines, ``| ±.4f`` appends "± tolerance". Text that
starts like a reference but does not parse fails the page, naming it.
"""

from __future__ import annotations

import html
import re

from markdown.preprocessors import Preprocessor

from .. import ExecdocError, references
from ..render.values import format_value
from ..page import fail, guarded

FENCE = re.compile(r"^\s*(?:[>]\s*)*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


class ValuePreprocessor(Preprocessor):
    """Replace value references outside code fences and code spans."""

    def __init__(self, md, library):
        super().__init__(md)
        self.library = library

    def run(self, lines: list[str]) -> list[str]:
        out, fence = [], None
        for line in lines:
            match = FENCE.match(line)
            if fence is None and match:
                fence = match.group(1)
            elif fence is not None:
                if match and match.group(1).startswith(fence[0]) and len(match.group(1)) >= len(fence):
                    fence = None
            else:
                line = self._line(line)
            out.append(line)
        return out

    def _line(self, line: str) -> str:
        pieces, last = [], 0
        for span in CODE_SPAN.finditer(line):
            pieces.append(self._text(line[last:span.start()]))
            pieces.append(span.group(0))
            last = span.end()
        pieces.append(self._text(line[last:]))
        return "".join(pieces)

    def _text(self, text: str) -> str:
        bad = references.malformed(text)
        if bad:
            raise fail(f"value reference '{bad}'", "looks like a value reference but does not parse "
                                                   "(write {{ snippet.value }} or {{ snippet.value | format }})")
        return references.VALUE.sub(lambda m: guarded("value reference", m.group(0), lambda: self._value(m)), text)

    def _value(self, match: re.Match) -> str:
        name, key, index, spec = match.groups()
        value, tolerance = self.library().value(name, key, int(index) if index is not None else None)
        try:
            text = format_value(value, (spec or "").strip(), tolerance)
        except (ValueError, TypeError) as exc:
            raise ExecdocError(f"cannot format {value!r} with '{spec}': {exc}") from None
        return html.escape(text, quote=False)  # a string value is text on the page, never markup
