# Quick start: `make demo` runs the whole workflow on the bundled sample workspace;
# `make test` runs ruff, mypy and every test (in parallel); `make test-quick` skips the slow ones. They set
# themselves up (a .venv here), installing the tested versions pinned in constraints.txt; `make lock`
# refreshes those pins from the registry.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-quick lint typecheck pytest pytest-quick lock bench bench-status bench-pretranslate bench-publish bench-scale clean

CONSTRAINTS := constraints.txt
PY_CHECK := import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -c '$(PY_CHECK)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $(STAMP)

# Refresh constraints.txt: the newest versions pyproject.toml's ranges allow, resolved in a scratch venv.
# Run `make test` and `make demo` afterwards, and commit the file only when both pass.
LOCK_VENV := build/lock-venv
lock:
	$(PYTHON) -c '$(PY_CHECK)'
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet '.[test]'
	{ echo "# Tested versions that 'make demo' and 'make test' install (pip -c). Regenerate with 'make lock'."; \
	  echo "# Library users get the ranges in pyproject.toml; this file pins the quick start only."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable | grep -viE '^(i18n-workflow|pip|setuptools|wheel)(==| @)'; \
	} > $(CONSTRAINTS).new && mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)
	@echo "constraints.txt refreshed: run 'make test' and 'make demo', then commit it"

# The demo works on a fresh copy of the sample workspace in build/demo, so the repository stays as it is:
# one day of a team, from English only, on a pinned date, every command echoed (tools/demo.sh says why).
DEMO := build/demo

demo: $(STAMP)
	@PATH="$(abspath $(BIN)):$$PATH" DEMO=$(DEMO) sh tools/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check i18n tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Tests run in parallel (pytest-xdist): one worker per CPU; `make test PYTEST_WORKERS=0` runs them in one process.
# `make test-quick` skips the tests marked slow (subprocesses, servers, whole-day scenarios): for while you work.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist worksteal

pytest: $(STAMP)
	$(PYTEST)

pytest-quick: $(STAMP)
	$(PYTEST) -m "not slow"

test: lint typecheck pytest

test-quick: lint typecheck pytest-quick

bench: $(STAMP)
	$(BIN)/python benchmarks/sync.py

bench-status: $(STAMP)
	mkdir -p build && $(BIN)/python benchmarks/status.py --json build/bench-status.json

bench-pretranslate: $(STAMP)
	$(BIN)/python benchmarks/pretranslate.py

bench-publish: $(STAMP)
	$(BIN)/python benchmarks/publish.py

# The archive a site grows into: 50,000 articles x 2 languages (issue 14's scale). Hours on 2 cores: the
# anchors (msgmerge on one language, per-language ratio; pocount) and the cold sync run once, the other
# timings three times; publish approves every 10th article (the API takes long); figures in build/bench/.
SCALE := 50000
bench-scale: $(STAMP)
	mkdir -p build/bench
	$(BIN)/python benchmarks/sync.py --articles $(SCALE) --languages ca,es --runs 3 --cold-runs 1 \
	  --anchors msgmerge --anchor-languages ca --anchor-runs 1 --json-out build/bench/sync-scale.json
	$(BIN)/python benchmarks/status.py --articles $(SCALE) --languages ca,es --runs 3 --build-runs 1 \
	  --json build/bench/status-scale.json
	$(BIN)/python benchmarks/publish.py --articles $(SCALE) --format json --runs 3 --approve-every 10

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
