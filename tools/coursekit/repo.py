"""The course's repository: the link in every page's header, and what the
"Running locally" commands clone.

``REPO_URL`` in the environment names it; the Pages workflow sets it to the
repository it builds, so a fork's site links to the fork. Without it, the
checkout's ``origin`` remote when it is a web address, else DEFAULT.
``mkdocs.yml`` reads it as ``repo_url: !!python/name:coursekit.repo.URL`` and
``repo_name: !!python/name:coursekit.repo.NAME`` (Material shows both in the
header), and a page writes commands that use it in a custom fence (registered
through pymdownx.superfences)::

    ```clone
    git clone {repo} dl-course && cd dl-course
    ```

which is a bash block with ``{repo}`` replaced by the URL.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT = "https://github.com/execdoc/dl-course"


def _origin() -> str | None:
    """The checkout's ``origin`` as a web address (``git@host:o/n.git`` too), if it has one."""
    try:
        out = subprocess.run(["git", "remote", "get-url", "origin"], cwd=Path(__file__).resolve().parent,
                             capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if out.startswith("git@") and ":" in out:
        host, _, path = out[4:].partition(":")
        out = f"https://{host}/{path}"
    return out.removesuffix(".git") if out.startswith("https://") else None


URL = os.environ.get("REPO_URL") or _origin() or DEFAULT
NAME = urlsplit(URL).path.strip("/").removesuffix(".git") or URL  # "owner/name", shown beside the link


def fence_format(src, language, class_name, options, md, **kwargs) -> str:
    """superfences formatter for ```clone fences: the commands, highlighted as bash."""
    highlighter = md.preprocessors["fenced_code_block"]
    return highlighter.highlight(src=src.replace("{repo}", URL), language="bash", options={}, md=md,
                                 classes=[], id_value="", attrs={})
