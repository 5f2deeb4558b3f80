# Quick start: `make demo` runs the whole workflow on the bundled sample workspace;
# `make test` runs ruff, mypy and every test. Both set themselves up (a .venv here), installing the
# tested versions pinned in constraints.txt; `make lock` refreshes those pins from the registry.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest lock bench bench-status bench-pretranslate bench-publish clean

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
	  echo "== i18n pretranslate ca --dry-run: the drafts are made (and kept in the tracker): 0 characters left to send"; \
	  $(I18N) pretranslate ca --dry-run; \
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
	@echo "== i18n review ca: Catalan articles awaiting review, the next due first, with their check results"
	$(I18N) review ca
	@echo "== i18n approve: a reviewer approves two fully translated Catalan articles that pass the checks"
	$(I18N) check ca --article 2025-12-30-clock-work --article 2026-11-14-gut-feelings
	$(I18N) approve ca 2025-12-30-clock-work 2026-11-14-gut-feelings --reviewer "Jordi Vidal"
	@echo "== i18n approve ca @ui: and the Catalan UI catalog (the mirror's menus, dates, credits), so pages show Catalan chrome"
	$(I18N) approve ca @ui --reviewer "Jordi Vidal"
	$(I18N) status ca
	@echo "== i18n log: one article's history in Catalan"
	$(I18N) log 2026-11-14-gut-feelings --lang ca
	@echo "== i18n db export: back up approvals and history (JSON)"
	$(I18N) db export $(DEMO)/tracker-backup.json
	@echo "== i18n assign: who translates and reviews an article, due the day before it appears"
	$(I18N) assign ca 2026-11-22-patching-up-the-heart --translator "Marta Puig" --reviewer "Jordi Vidal"
	@echo "== i18n report: the coordinator's dashboard, a static HTML page"
	$(I18N) report --out $(DEMO)/build/report
	@echo "Open the dashboard: $(DEMO)/build/report/index.html (from disk; no server needed)"
	@echo "== i18n publish: the approved, due Catalan articles to the mirrors (html, markdown, json); exit 3 lists what is blocked"
	-$(I18N) publish --as-of 2026-11-21
	@echo "== i18n export ca --format mo: the approved UI strings (approved above with @ui), compiled, for a build script"
	$(I18N) export ca --format mo --out $(DEMO)/build/export
	@echo "Open the Catalan HTML mirror: $(DEMO)/build/mirrors/catalan/index.html"
	@echo "The demo workspace is $(DEMO): catalogs in $(DEMO)/locales/<lang>/articles/<yyyy>/<id>.po"

lint: $(STAMP)
	$(BIN)/ruff check i18n tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/sync.py

bench-status: $(STAMP)
	mkdir -p build && $(BIN)/python benchmarks/status.py --json build/bench-status.json

bench-pretranslate: $(STAMP)
	$(BIN)/python benchmarks/pretranslate.py

bench-publish: $(STAMP)
	$(BIN)/python benchmarks/publish.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
