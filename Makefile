# Agenda commun: `make run` (the whole product on SQLite with the offline demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
NODE_STAMP := node_modules/.package-lock.json
TRANSLATIONS := agenda/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)

.PHONY: install run test test-sqlite lint services bench clean messages

install: $(STAMP) $(CATALOGUES:.po=.mo)

# The compiled catalogues (pybabel refuses a catalogue marked fuzzy).
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing user-facing text: extract the msgids and update every catalogue, then translate.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l -k lazy_gettext --no-location --sort-output --project="Agenda commun" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --width=100 --no-fuzzy-matching --ignore-obsolete

$(STAMP): requirements.txt requirements-dev.txt requirements-search.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-search.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: install
	$(BIN)/agenda init
	$(BIN)/agenda demo
	AGENDA_ALLOW_PRIVATE_URLS=1 $(BIN)/agenda serve --demo --port $(PORT)

# ical.js, the independent parser the export tests read our calendars back with (pinned).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

services:
	./scripts/ensure-services
	./scripts/ensure-browser

test: install services $(NODE_STAMP)
	$(BIN)/python -m pytest

test-sqlite: install $(NODE_STAMP)
	AGENDA_TEST_BACKENDS=sqlite $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check agenda tests benchmarks

bench: install
	$(BIN)/python benchmarks/collect.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
