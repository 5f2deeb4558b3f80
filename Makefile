# Quick start: `make demo` runs the whole workflow on the bundled sample workspace;
# `make test` runs ruff, mypy and every test. Both set themselves up (a .venv here).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m i18n --version
	@echo "== i18n sync: English articles and UI strings -> templates -> Catalan and Spanish catalogs"
	$(BIN)/i18n sync
	@echo "== i18n sync again: nothing changed, nothing written"
	$(BIN)/i18n sync
	@echo "Catalogs are in locales/<lang>/articles/<yyyy>/<id>.po and locales/<lang>/LC_MESSAGES/messages.po"

lint: $(STAMP)
	$(BIN)/ruff check i18n tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/sync.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
