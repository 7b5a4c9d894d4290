# Everything installs into ./.venv; `make run` and `make test` set it up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test lint typecheck unit sandbox clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "seam-tui needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Set up, then open the TUI (on the built-in offline sandbox unless a workspace is set up).
run: setup
	$(BIN)/seam-tui

## Set up, then lint, type-check and run every test.
test: setup lint typecheck unit

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q -n auto

## Set up, then run every test on sandboxes whose changes settle 0.3 s later, as the real
## API's do (pending_mutations, being_deleted); `make test` runs them settled at once.
.PHONY: test-settling
test-settling: setup
	SEAM_TUI_TEST_SETTLE_AFTER=0.3 $(BIN)/pytest -q -n auto

## Set up, then write screenshots/<screen>.svg and .png of every screen, driven headless on a
## fresh sandbox in a temp dir (never your data or keys); PNGs are rendered in system fonts.
.PHONY: screenshots
screenshots: setup
	$(BIN)/python scripts/screenshots.py

## Set up, then seed a sandbox in a temp dir, measure the client (against the official SDK),
## the TUI, the sandbox and the MCP server, print the figures and write BENCHMARKS.md
## (about 5 minutes on 2 cores; `make bench BENCH_ARGS=--quick` for a smaller run).
.PHONY: bench
BENCH_ARGS ?=
bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
