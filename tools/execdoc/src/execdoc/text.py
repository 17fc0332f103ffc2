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


def truncate(text: str, limit: int) -> str:
    """At most about ``limit`` bytes: the first three quarters and the last
    quarter, whole lines where there are any, and a note in between."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    head = data[: limit * 3 // 4].decode("utf-8", "ignore")
    tail = data[-(limit // 4):].decode("utf-8", "ignore")
    head = head[: head.rfind("\n") + 1] or head
    tail = tail[tail.find("\n") + 1:] or tail
    note = f"[... execdoc: output truncated, {len(data):,} bytes in all; first and last lines kept ...]\n"
    return head + note + tail
