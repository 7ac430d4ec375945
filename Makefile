# Two commands: `make run` (set up and start on SQLite with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := webapp

.PHONY: run run-prod-local test bench bench-before-after install install-dev lint migrate-check clean help

help:
	@echo "make run   - set up and start OnDeck on http://$(HOST):$(PORT) (SQLite, captured mail)"
	@echo "make test  - set up and run the whole suite (SQLite, then PostgreSQL when installed)"
	@echo "make lint  - ruff, the import-layer contracts, mypy on rules and services, djlint"
	@echo "make bench - load benchmark at full scale into bench/RESULTS.md (SCALE=quick: short run)"
	@echo "make bench-before-after - two full runs, response cache off then on, side by side"
	@echo "make run-prod-local - the production stack of docs/deploy.md on this machine"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Emailed links, the join link and the printed login follow where `make run` serves.
run: export PUBLIC_URL ?= http://$(HOST):$(PORT)
# FAKE_STRIPE=1: card payments against localstripe (a fake Stripe API, GPL-3.0, from the dev
# dependencies) on STRIPE_PORT, so a newcomer can try them; paste any sk_test_/pk_test_ keys.
FAKE_STRIPE ?=
STRIPE_PORT ?= 8420
ifeq ($(FAKE_STRIPE),1)
run: export STRIPE_API_BASE = http://127.0.0.1:$(STRIPE_PORT)
run: export STRIPE_JS_URL = http://127.0.0.1:$(STRIPE_PORT)/js.stripe.com/v3/
run: install-dev
endif
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@# The outbox relay (and the fake Stripe, when asked for) run beside the web server and
	@# stop with it.
	$(BIN)/flask outbox send --watch & relay=$$!; \
	stripe=; if [ "$(FAKE_STRIPE)" = "1" ]; then \
		$(BIN)/localstripe --port $(STRIPE_PORT) --from-scratch & stripe=$$!; fi; \
	trap 'kill $$relay $$stripe 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# docs/deploy.md on this machine: PostgreSQL, migrations, gunicorn, relay, SMTP; Ctrl-C stops all.
run-prod-local: install-dev
	$(BIN)/python deploy/prod_local.py --port $(PORT)

# PostgreSQL runs too when its server binaries exist; in CI (CI=true) they must.
# One worker per core (JOBS=1 for one process); a test file stays on one worker, so its
# module-wide servers start once.
JOBS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(JOBS) --dist loadfile
# The response cache is on for the SQLite run and off for the PostgreSQL one, so the whole
# suite passes both ways; its own tests (staleness included) run with it on, on both engines.
test: install-dev
	$(PYTEST) --db=sqlite --response-cache=memory
	@if command -v initdb >/dev/null && command -v pg_ctl >/dev/null || [ "$${CI:-}" = "true" ]; then \
		$(PYTEST) --db=postgresql --response-cache=off; \
	else \
		echo "PostgreSQL binaries not found: skipped the PostgreSQL run of the suite."; \
	fi

# Load benchmark (bench/README.md): a throwaway PostgreSQL, gunicorn on loopback, wrk.
SCALE ?= full
bench: install
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; \
		else echo "Install wrk first: sudo apt-get install wrk"; exit 1; fi; }
	$(BIN)/python -m bench --scale $(SCALE) $(BENCH_OUTPUT)

# Two full runs back to back, the response cache off then on; RESULTS.md gets both side by side.
bench-before-after: install
	RESPONSE_CACHE=off $(MAKE) bench BENCH_OUTPUT=--output=bench/RESULTS-cache-off.md
	$(BIN)/python -m bench.settle
	$(MAKE) bench
	$(BIN)/python -m bench.compare bench/RESULTS-cache-off.md bench/RESULTS.md

# Style, the layer contracts (pyproject.toml [tool.importlinter]), types of rules and services,
# and the templates. CONTRIBUTING.md says what each one guards.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/djlint webapp/templates --lint

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
