"""execdoc: execute, record, verify and render the course's code snippets.

Stages, one module each: :mod:`collect` (snippets, cells, keys),
:mod:`execute` (fresh kernels), :mod:`record` (the committed notebooks),
:mod:`compare` (check against the record), :mod:`render` (HTML for pages).
:mod:`pipeline` ties them together; :mod:`cli`, :mod:`markdown` and
:mod:`mkdocs_plugin` are thin front ends.
"""

# Part of every record key: bump it when a change here can change outputs.
__version__ = "0.1.0"


class ExecdocError(Exception):
    """Any failure the engine reports to a person: the message says where."""
