"""Checking records: a fresh run against its record, number by number
(:mod:`compare`), and the tolerances measured across machine profiles
(:mod:`calibrate`)."""
