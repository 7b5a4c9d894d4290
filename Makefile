# Everything installs into ./.venv; `make run` and `make test` set it up on first use.
# `make setup` (and `make run`) install seam-tui and its runtime dependencies only;
# `make setup-dev` (and `make test`) add the test and lint tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-stamp
DEV := $(VENV)/.dev-stamp
# `make bench UPDATE=1` / `make screenshots UPDATE=1` replace the tracked files; else build/.
UPDATE ?=

.PHONY: setup setup-dev run test lint typecheck unit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "seam-tui needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(DEV): pyproject.toml $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV)

setup: $(RUNTIME)

setup-dev: $(DEV)

## Set up (runtime only), then open the TUI (on the built-in offline sandbox unless a
## workspace is set up).
run: setup
	$(BIN)/seam-tui

## Set up with the dev tools, then lint, type-check and run every test.
test: setup-dev lint typecheck unit

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup-dev
	$(BIN)/mypy

unit: setup-dev
	$(BIN)/pytest -q -n auto --dist worksteal

## Set up, then run every test on sandboxes whose changes settle 0.3 s later, as the real
## API's do (pending_mutations, being_deleted); `make test` runs them settled at once.
.PHONY: test-settling
test-settling: setup-dev
	SEAM_TUI_TEST_SETTLE_AFTER=0.3 $(BIN)/pytest -q -n auto --dist worksteal

## Set up, then write build/screenshots/<screen>.svg and .png of every screen (UPDATE=1: the
## tracked screenshots/), driven headless on a fresh sandbox in a temp dir (never your data or
## keys); PNGs are rendered in system fonts.
.PHONY: screenshots
screenshots: setup-dev
	$(BIN)/python scripts/screenshots.py $(if $(UPDATE),--update)

## Set up, then seed a sandbox in a temp dir, measure the client (against the official SDK),
## the TUI, the sandbox and the MCP server, print the figures and write build/BENCHMARKS.md
## (UPDATE=1: the tracked BENCHMARKS.md, from a full run only; about 5 minutes on 2 cores;
## `make bench BENCH_ARGS=--quick` for a smaller run).
.PHONY: bench
BENCH_ARGS ?=
bench: setup-dev
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS) $(if $(UPDATE),--update)

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
