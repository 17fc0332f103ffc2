"""Snippet checks as test items (see :mod:`execdoc.pytest_plugin`): sharding by
recorded seconds, and what a failure tells GitHub Actions."""
