"""Rules for text that every stage shares, each defined once: colour codes,
install paths, carriage-return redraws and truncation. All linear in the
length of the text (a regex with a leading ``[^\\s]*`` is quadratic on a long
line without spaces)."""

from __future__ import annotations

import re

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SITE_PACKAGES = re.compile(r"[/\\]site-packages[/\\]")
PATH_STOPS = " \t\n\r\f\v'\""


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def keep_last_redraw(text: str) -> str:
    """A line redrawn with carriage returns keeps only what follows the last one
    (a ``\\r`` just before the line's ``\\n`` is a line ending)."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        end = len(line) - 1 if n < len(lines) - 1 else len(line)  # a final \r before \n stays
        cut = line.rfind("\r", 0, end)
        if cut != -1:
            lines[n] = line[cut + 1:]
    return "\n".join(lines)


def shorten_site_packages(text: str, replacement: str) -> str:
    """``/any/where/site-packages/keras/a.py`` → ``replacement + keras/a.py``.

    Each marker is found once, and the path before it by looking back to the
    previous blank or quote, never past the end of the previous match."""
    out, done = [], 0
    for match in SITE_PACKAGES.finditer(text):
        stop = max(text.rfind(c, done, match.start()) for c in PATH_STOPS)
        if stop == -1 and out:  # the same path as the previous marker: one replacement for both
            done = match.end()
            continue
        out += [text[done:stop + 1 if stop != -1 else done], replacement]
        done = match.end()
    out.append(text[done:])
    return "".join(out)


def keep_redraws_as_nbclient(text: str) -> str:
    """nbclient's carriage-return rule (``.*\\r(?=[^\\n])`` removed), in linear
    time: in each line, what precedes the last ``\\r`` that is followed by
    something other than a line end is dropped."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        cut = line.rfind("\r", 0, len(line) - 1)
        if cut != -1:
            lines[n] = line[cut + 1:]
    return "\n".join(lines)


def truncate(text: str, limit: int) -> str:
    """At most about ``limit`` bytes: the first three quarters and the last
    quarter, whole lines where there are any, and a note in between."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return truncated(data[: limit * 3 // 4], data[-(limit // 4):], len(data))


def truncated(head: bytes, tail: bytes, total: int) -> str:
    """The text :func:`truncate` keeps, from the first bytes, the last bytes and
    the whole length (so output capped while it streams reads the same)."""
    head_text = head.decode("utf-8", "ignore")
    tail_text = tail.decode("utf-8", "ignore")
    head_text = head_text[: head_text.rfind("\n") + 1] or head_text
    tail_text = tail_text[tail_text.find("\n") + 1:] or tail_text
    note = f"[... execdoc: output truncated, {total:,} bytes in all; first and last lines kept ...]\n"
    return head_text + note + tail_text


class Capped:
    """Text that arrives in pieces, kept as :func:`truncate` would keep the
    whole, in memory bounded by about ``limit`` bytes and time linear in the
    length: all of it while it fits, then the first bytes and a rolling tail."""

    def __init__(self, limit: int):
        self.limit, self.total = limit, 0
        self.pieces: list[str] | None = []  # None once over the limit
        self.head = self.tail = b""

    def add(self, piece: str) -> None:
        size = len(piece) if piece.isascii() else len(piece.encode("utf-8"))
        self.total += size
        if self.pieces is not None:
            self.pieces.append(piece)
            if self.total <= self.limit:
                return
            data, self.pieces = "".join(self.pieces).encode("utf-8"), None
            self.head, self.tail = data[: self.limit * 3 // 4], data[-(self.limit // 4):]
            return
        keep = self.limit // 4
        if size >= keep:  # the last ``keep`` characters hold at least ``keep`` bytes
            self.tail = piece[-keep:].encode("utf-8")[-keep:]
        else:
            self.tail += piece.encode("utf-8")
            if len(self.tail) > 2 * keep:
                self.tail = self.tail[-keep:]

    def text(self) -> str:
        if self.pieces is not None:
            return "".join(self.pieces)
        return truncated(self.head, self.tail[-(self.limit // 4):], self.total)


class Redrawn:
    """A stream that arrives in pieces, with nbclient's carriage-return rule
    applied as it comes (so a progress bar redrawn a thousand times costs what
    its last state costs): finished lines go to ``sink``; only the line still
    open can be redrawn. Linear in the length, bounded by the sink's limit."""

    def __init__(self, sink: Capped):
        self.sink, self.open, self.size = sink, [], 0

    def add(self, piece: str) -> None:
        if "\n" not in piece and "\r" not in piece:
            self.open.append(piece)
            self.size += len(piece)
            if self.size > self.sink.limit:  # one endless line: keep its end open, the rest is final
                line, keep = "".join(self.open), self.sink.limit // 4
                self.sink.add(line[:-keep])
                self.open, self.size = [line[-keep:]], keep
            return
        text = "".join(self.open) + piece
        end = text.rfind("\n")
        if end != -1:
            self.sink.add(keep_redraws_as_nbclient(text[:end + 1]))
            text = text[end + 1:]
        cut = text.rfind("\r", 0, len(text) - 1)
        if cut != -1:
            text = text[cut + 1:]
        self.open, self.size = [text], len(text)

    @property
    def total(self) -> int:
        return self.sink.total + self.size

    def text(self) -> str:
        if self.open:
            self.sink.add(keep_redraws_as_nbclient("".join(self.open)))
            self.open, self.size = [], 0
        return self.sink.text()
