"""execdoc: execute, record, verify and render the course's code snippets.

Stages, one module each: :mod:`config` (typed, checked at load),
:mod:`collect` (snippets, cells, keys), :mod:`machine` (fingerprints and the
profiles that emulate other machines), :mod:`execute` (fresh kernels),
:mod:`record` (the committed notebooks), :mod:`sanitise` (HTML and SVG outputs),
:mod:`compare` (check against the record, number by number),
:mod:`calibrate` (tolerances measured across profiles), :mod:`report`,
:mod:`render` (HTML for pages). :mod:`pipeline` ties them together;
:mod:`cli`, :mod:`markdown` and :mod:`mkdocs_plugin` are thin front ends.
"""

# Part of every record key: bump it when a change here can change outputs.
__version__ = "0.1.0"


class ExecdocError(Exception):
    """Any failure the engine reports to a person: the message says where."""
