# The two commands: `make site` (set up + build), `make test` (the suite).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0

.PHONY: site test test-fast serve check approve snippets bench clean

# The generator is its own distribution (tools/execdoc), installed from its
# folder; the course (coursekit, the theme) depends on it.
$(STAMP): requirements.lock pyproject.toml tools/execdoc/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e tools/execdoc -e .
	@touch $@

# The suite's own tools (pytest, the browser driver, zensical): only for `make test`.
TEST_STAMP := $(VENV)/.installed-test
$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	@touch $@

## site: set up .venv, execute stale snippets, build site/ strictly
site: $(STAMP)
	$(BIN)/execdoc build
	$(BIN)/mkdocs build --strict

## test: ruff, then the whole suite over every core (pytest-xdist), every snippet an item checked
## against its record on this machine (pytest --execdoc, execdoc's plugin).
## PROFILE=all: under every emulated machine profile as well (what CI runs: five times the kernels).
## PYTEST_ARGS: more, e.g. "-k cnn" or "-m execdoc --execdoc-shard 1/3" (the CI matrix).
## JOBS: workers, one per core and one more: some tests wait (a served site, a timeout, a child that
## sleeps) and the extra worker keeps every core busy meanwhile. --no-loadscope-reorder keeps the order
## tests/tiers.py plans (xdist would start with the largest groups, and one worker would wait for the
## other's course build).
PROFILE ?= native
CORES := $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
JOBS ?= $(shell echo $$(( $(CORES) + 1 )))
PYTEST_ARGS ?=
test: $(TEST_STAMP)
	$(BIN)/ruff check .
	EXECDOC_CHECK_PROFILE=$(PROFILE) $(BIN)/python -m pytest -n $(JOBS) --dist loadgroup --no-loadscope-reorder \
		--execdoc-profile $(PROFILE) $(PYTEST_ARGS)

## test-fast: ruff and the unit tests only (no kernel, no site, no browser): seconds, one worker a core
## (none of them waits)
test-fast: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n $(CORES) --no-execdoc -m unit $(PYTEST_ARGS)

## serve: live preview; an edited snippet re-executes alone
serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload

## snippets: execute stale snippets only (no site)
snippets: $(STAMP)
	$(BIN)/execdoc build

## approve: accept new outputs on purpose (NAMES="cnn gan" for some)
approve: $(STAMP)
	$(BIN)/execdoc approve $(NAMES)

## bench: builds side by side against plain MkDocs and the peers (BENCH_ARGS="--rounds 5")
DEV_STAMP := $(VENV)/.installed-dev
$(DEV_STAMP): $(TEST_STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $@

bench: $(DEV_STAMP)
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

clean:
	rm -rf site build
