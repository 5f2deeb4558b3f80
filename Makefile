# Quick start: `make demo` runs the whole workflow on the bundled sample workspace;
# `make test` runs ruff, mypy and every test. Both set themselves up (a .venv here).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench bench-status bench-pretranslate clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The demo works on a fresh copy of the sample workspace in build/demo, so the repository stays as it is.
DEMO := build/demo
I18N := $(BIN)/i18n -C $(DEMO)

demo: $(STAMP)
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@cp -r i18n.toml glossary.toml content site locales $(DEMO)/
	@$(BIN)/i18n --version
	@echo "== i18n sync: English articles and UI strings -> templates -> Catalan and Spanish catalogs"
	$(I18N) sync
	@echo "== i18n sync again: nothing changed, nothing written"
	$(I18N) sync
	@echo "== i18n engines: which machine-translation engines can run here"
	$(I18N) engines
	@if command -v apertium >/dev/null 2>&1 && apertium -l 2>/dev/null | grep -qE '^\s*eng-cat$$'; then \
	  echo "== i18n pretranslate ca: machine drafts from Apertium for the untranslated Catalan entries"; \
	  $(I18N) pretranslate ca --engine apertium; \
	else \
	  echo "== (skipped) i18n pretranslate ca: Apertium is not installed: apt-get install apertium apertium-eng-cat"; \
	fi
	@echo "== i18n check ca: quality checks on every Catalan translation (exit 3 if any error)"
	-$(I18N) check ca
	@echo "== i18n status: reconcile the catalogs into the status tracker (.i18n/tracker.sqlite3), then per language"
	$(I18N) status
	@echo "== i18n status ca --by article: each article's state in Catalan (its worst entry's state)"
	$(I18N) status ca --by article
	@echo "== i18n status --due 7: articles to finish this week, and overdue ones"
	$(I18N) status --due 7
	@echo "== i18n log: one article's history in Catalan"
	$(I18N) log 2026-11-14-gut-feelings --lang ca
	@echo "== i18n db export: back up approvals and history (JSON)"
	$(I18N) db export $(DEMO)/tracker-backup.json
	@echo "The demo workspace is $(DEMO): catalogs in $(DEMO)/locales/<lang>/articles/<yyyy>/<id>.po"

lint: $(STAMP)
	$(BIN)/ruff check i18n tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/sync.py

bench-status: $(STAMP)
	$(BIN)/python benchmarks/status.py

bench-pretranslate: $(STAMP)
	$(BIN)/python benchmarks/pretranslate.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
