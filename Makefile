# PubHub: `make run` to try it, `make test` to test it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Each test has its own database, so tests run side by side on every core (pytest-xdist).
PYTEST_ARGS ?= -q -p no:cacheprovider -n auto --maxprocesses 4

.PHONY: setup run test test-postgres bench bench-postgres mutation clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Create the SQLite database and a demo agency (first time), then serve on http://127.0.0.1:8080
## The first run writes .env (PUBHUB_DOMAIN, PUBHUB_SCHEME=http), which every `pubhub` command then
## reads too; serve binds the port named in PUBHUB_DOMAIN when it is a loopback address.
run: setup
	test -e .env || printf 'PUBHUB_DOMAIN=%s\nPUBHUB_SCHEME=%s\n' "$${PUBHUB_DOMAIN:-127.0.0.1:8080}" "$${PUBHUB_SCHEME:-http}" > .env
	$(BIN)/pubhub demo
	exec $(BIN)/pubhub serve --host 127.0.0.1

## The whole suite on SQLite (nginx and Chromium, for the deploy and browser tests, installed from Debian's packages if missing)
test: setup
	deploy/ci/ensure-nginx.sh
	deploy/ci/ensure-chromium.sh
	$(BIN)/pytest $(PYTEST_ARGS)

## The whole suite on a throwaway PostgreSQL server (installed from Debian's packages if missing)
test-postgres: setup
	deploy/ci/ensure-nginx.sh
	deploy/ci/ensure-chromium.sh
	deploy/ci/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

## Benchmarks: print figures and ratios to ceilings measured in the same run
bench: setup
	$(BIN)/python -m bench

## The same benchmarks on a throwaway PostgreSQL server, plus the multi-process scale-out
bench-postgres: setup
	deploy/ci/with-postgres.sh $(BIN)/python -m bench

## Mutation testing of the rules that protect people (mutmut, niced; not part of `make test`).
## All modules, from scratch; or `make mutation MODULE=signatures` (names in tests/mutation_plan.py);
## `make mutation MODULE=signatures AGAIN=1` runs only its survivors and the mutants not run yet.
## Each module's results are recorded in tests/mutation_results.json (commit it: a fresh clone starts from them)
mutation: setup
	$(BIN)/pip install -q -e '.[mutation]'
	$(if $(MODULE)$(AGAIN),,rm -rf mutants)
	$(BIN)/python tests/mutation_plan.py $(if $(AGAIN),--again) $(MODULE)
	$(BIN)/python tests/mutation_report.py

clean:
	rm -rf $(VENV) var .pytest_cache mutants
