"""The GAN demos assert a rate over seeds, not one chosen seed's luck.

gan_ring and gan_digits train one GAN per seed (at least five) and end with a
`rate` cell whose asserts bound the mean and the worst over the seeds. Read from
the snippets and their committed records, without training anything:

- the `rate` cell asserts every rate named below, with a bar at least the floor
  the course promises (lowering a bar below it fails here);
- the recorded rates pass the snippet's own bars (raising a bar above the
  recorded rate fails here, as the snippet's check would);
- the recorded rates are the mean and the minimum of the recorded per-seed
  results, over at least five seeds.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# snippet -> {rate value: the lowest bar the course accepts}; per-seed list -> (mean, worst)
FLOORS = {
    "gan_ring": {"mean_modes": 6, "worst_modes": 4, "mean_share": 0.5},
    "gan_digits": {"mean_share": 0.5, "worst_share": 0.4, "mean_classes": 8, "worst_classes": 6},
}
PER_SEED = {
    "gan_ring": {"modes_per_seed": ("mean_modes", "worst_modes"), "share_per_seed": ("mean_share", "worst_share")},
    "gan_digits": {"share_per_seed": ("mean_share", "worst_share"),
                   "classes_per_seed": ("mean_classes", "worst_classes")},
}


def rate_cell(name: str) -> str:
    source = (REPO / "snippets" / f"{name}.py").read_text("utf-8")
    cells = re.split(r"^# %% ", source, flags=re.M)
    [cell] = [c for c in cells if c.split("\n", 1)[0].split()[:1] == ["rate"]]
    return cell


def bars(name: str) -> dict[str, float]:
    """{value name: bar} for every `assert NAME >= NUMBER` in the snippet's rate cell."""
    found = {}
    for node in ast.walk(ast.parse(rate_cell(name))):
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare):
            test = node.test
            if (isinstance(test.left, ast.Name) and len(test.ops) == 1 and isinstance(test.ops[0], ast.GtE)
                    and isinstance(test.comparators[0], ast.Constant)):
                found[test.left.id] = test.comparators[0].value
    return found


def values(name: str) -> dict:
    record = json.loads((REPO / "docs" / "notebooks" / f"{name}.ipynb").read_text("utf-8"))
    return record["metadata"]["execdoc"]["values"]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_rate_cell_asserts_every_rate_at_least_at_its_floor(name):
    asserted = bars(name)
    for rate, floor in FLOORS[name].items():
        assert rate in asserted, f"{name}.py: the rate cell does not assert {rate} >= ..."
        assert asserted[rate] >= floor, f"{name}.py: {rate} >= {asserted[rate]} is below the floor {floor}"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_recorded_rates_pass_the_snippets_bars(name):
    recorded = values(name)
    for rate, bar in bars(name).items():
        assert recorded[rate] >= bar, f"{name}: recorded {rate} = {recorded[rate]} is below the asserted {bar}"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_rates_are_mean_and_worst_over_at_least_five_seeds(name):
    recorded = values(name)
    seeds = recorded["seeds"]
    assert len(seeds) >= 5 and len(set(seeds)) == len(seeds), seeds
    for per_seed, (mean, worst) in PER_SEED[name].items():
        results = recorded[per_seed]
        assert len(results) == len(seeds), (per_seed, results)
        assert recorded[mean] == pytest.approx(sum(results) / len(results), rel=1e-6), (mean, results)
        assert recorded[worst] == pytest.approx(min(results)), (worst, results)
