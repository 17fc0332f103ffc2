"""Kernels: each snippet runs in a fresh Jupyter kernel (:mod:`run`), with
hidden set-up and value collection (:mod:`hidden`), under a machine profile
(:mod:`execdoc.check.machine`), several at once, longest first (:mod:`schedule`)."""
