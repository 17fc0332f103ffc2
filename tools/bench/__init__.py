"""The build benchmark: our generator against plain MkDocs and re-executing peers.

Run it from the project folder as ``.venv/bin/python -m tools.bench [--rounds N]
[--snippets a,b|all] [--cases a,b] [--smoke] [--out FILE]`` (``make bench``
installs the peers first; the whole course, 3 rounds, takes about 40 minutes on
2 cores), and ``.venv/bin/python -m tools.bench --approve`` to publish the last
run on the Performance page.

It copies the project's content (``mkdocs.yml``, ``docs/``, ``snippets/``,
``pyproject.toml``, and the theme overrides and hooks the configuration names)
into a temporary folder, keeps only the chosen snippets and the pages that use
nothing else (not the quiz pages: the peers have no quiz; the default language
only, see ``--keep-i18n``), and builds that content these ways, every case in a
folder of its own, A B A B: all cases once per round (those that execute nothing
``--repeat-cheap`` times), the order reversed every other round, medians:

``floor``        plain MkDocs: each ```snippet fence becomes a static ```python
                 block of the cell's code, each ``{{ name.value }}`` the recorded
                 value as plain text; no execdoc, nothing runs. Notebook pages
                 are the same records, rendered by mkdocs-jupyter (execute: false).
``warm``         ours, nothing changed since the last build.
``prose``        ours, after a prose-only edit: one sentence appended to a page
                 and to the first Markdown cell of the edited snippet.
``snippet``      ours, after editing one snippet's code (a comment line in its
                 first code cell, new every round).
``cold``         ours without records (and without build/ and mkdocs-jupyter's cache).
``markdown-exec`` the same cells as ``exec="on"`` blocks in the same pages, one
                 session per page and snippet; a page runs the cells it shows
                 and, hidden, every earlier cell of that snippet (dependencies
                 are not analysed). Notebook pages become Markdown pages of
                 exec blocks. No cache: every build runs everything.
``mkdocs-jupyter`` (``cache`` and ``cache: false``) pages as in the floor; the
                 notebook pages are the snippet files themselves, executed.

For every run: wall time (the build process, from start to exit), executions,
and peak memory (:mod:`.meter`). Executions are counted, not assumed
(:mod:`.count`): ours from execdoc's structured report, cross-checked against
the kernel launches the build's audit hook saw; the peers from that hook.

``--profile warm,cold`` builds those cases once under pyinstrument instead
(text reports in ``build/bench-profile-CASE.txt``).

The modules, one job each: :mod:`.common` (paths, cases, defaults),
:mod:`.mkdocs_yml` (the configuration, tags kept), :mod:`.pages` (pages
rewritten for the floor and markdown-exec), :mod:`.pristine` (the copied
project), :mod:`.cases` (each case's folder, the edits between runs),
:mod:`.meter` (the meter and build processes), :mod:`.count` (one measured
build, its executions), :mod:`.runner` (rounds, A B A B), :mod:`.stats`
(medians, ratios, targets), :mod:`.result` (the JSON, the table, approve).
"""
