"""execdoc: run a site's code snippets, keep their outputs as records, check
them on any machine, and render them, their values and quizzes into pages.

The house, one folder a stage: :mod:`config` (typed, checked at load) and
:mod:`host` (what the site's own configuration says); :mod:`snippets` (files,
cells, keys); :mod:`kernel` (fresh kernels, machine profiles, scheduling);
:mod:`records` (the committed notebooks and the read API over them);
:mod:`check` (compare and calibrate); :mod:`report`; :mod:`pipeline` (the
stages put together); :mod:`render` (HTML, values, MathML); :mod:`quiz`;
and the thin front ends :mod:`cli`, :mod:`markdown` (any Python-Markdown
host) and :mod:`mkdocs` (the plugin).
"""

# Part of every record key: bump it when a change here can change outputs.
__version__ = "0.1.0"


class ExecdocError(Exception):
    """Any failure the engine reports to a person: the message says where."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM: the work stops, what was written is whole.
    ``signum`` says which; the command line exits 128 + it (130 or 143)."""

    def __init__(self, signum: int = 2):
        super().__init__(signum)
        self.signum = signum
