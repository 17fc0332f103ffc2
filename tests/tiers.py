"""Each test module's tier (a registered marker) and the modules that run on one xdist worker.

conftest.py applies them; ``test_tiers`` checks that every module has one and that groups hold."""

TIERS = {
    "test_compare": "unit", "test_digits": "unit", "test_host": "unit", "test_keys": "unit",
    "test_layout": "unit", "test_mathml": "unit", "test_quiz_course": "unit", "test_quiz_languages": "unit",
    "test_workflow": "unit", "test_plugin_units": "unit", "test_tiers": "unit",
    "test_generalisation": "unit", "test_course_rules": "unit", "test_cnn_port": "unit", "test_gan_rates": "unit",
    "test_engine": "kernel", "test_hostile": "kernel", "test_limits": "kernel", "test_machines": "kernel", "test_mutations": "kernel",
    "test_quiz": "kernel", "test_quiz_export": "kernel", "test_render": "kernel", "test_values": "kernel",
    "test_fail_closed": "kernel", "test_quiz_generators": "kernel", "test_plugin_items": "kernel", "test_warm": "kernel",
    "test_mkdocs": "site", "test_scaffold": "site", "test_zensical": "site", "test_install": "site",
    "test_repository": "site", "test_bench": "site", "test_serve": "site",
    "test_site": "browser", "test_quiz_browser": "browser", "test_hostile_browser": "browser",
    "test_quiz_a11y": "browser", "test_math_render": "browser", "test_search": "browser",
    "test_weight_layout": "browser", "test_languages": "browser", "test_review_lazy": "browser",
}
# Modules whose module-scoped fixtures build a site or start a browser: one xdist worker runs each
# module (with --dist loadgroup), so that work is done once, not once per worker. What all of them
# share (the course build, the quiz project) is built once per run by `shared`.
GROUPED = {"test_site", "test_repository", "test_math_render", "test_quiz_browser", "test_quiz_a11y", "test_install",
           "test_search", "test_weight_layout", "test_languages", "test_review_lazy"}

# The order `make test` hands work to its workers (with --no-loadscope-reorder, xdist keeps the
# collection's order): first a module that builds the course, so that one worker builds it while
# the other checks snippets (longest first, from their records); then the modules that cost the
# most (measured: CPU seconds of a whole run, the browser's included), the rest by tier, and the
# unit tests last, so that the run ends on short items with both cores busy.
BUILDS_FIRST = "test_search"
COSTLIEST = ("test_weight_layout", "test_math_render", "test_languages", "test_site", "test_quiz_browser",
             "test_install", "test_bench", "test_machines", "test_mutations", "test_quiz_a11y", "test_engine",
             "test_review_lazy", "test_serve", "test_limits")
TIER_ORDER = ("browser", "site", "kernel", "unit")


def tier(module: str) -> str:
    """A module's tier; one not listed is ``kernel``: it stays out of the fast loop until someone says it is fast."""
    return TIERS.get(module, "kernel")


def rank(module: str | None) -> tuple[int, int]:
    """Where a module's tests go in the run (``None``: a snippet check)."""
    if module == BUILDS_FIRST:
        return (0, 0)
    if module is None:
        return (1, 0)
    if module in COSTLIEST:
        return (2, COSTLIEST.index(module))
    return (3, TIER_ORDER.index(tier(module)))
