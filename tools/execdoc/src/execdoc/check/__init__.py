"""Checking records on any machine: the machine profiles that emulate other
computers and the fingerprint a record carries (:mod:`machine`), a fresh run
against its record, number by number (:mod:`compare`), and the tolerances
measured across profiles (:mod:`calibrate`)."""
