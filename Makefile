# Bulletin Watch: every target sets itself up (a virtualenv in .venv).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install browser demo test test-fast check-install lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Chromium for the browser tests and `render:` sources (skips with a notice
# where none can be installed; those tests then skip and say why).
browser:
	@bash scripts/install-browser.sh

demo: install
	$(BIN)/bulletins demo

# The whole suite on every core: tests share no port, file or schema (each binds port 0
# and gets its own temporary directory and PostgreSQL schema).
test: install browser
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The edit-run loop (under a minute on 2 cores): everything but whole crawls, the daemon,
# Chromium, tests that start another process (`child_process`, found in tests/lanes.py)
# and the PostgreSQL variants (their SQLite twins run); `make test` runs them all.
FAST_LANE := not e2e and not daemon and not browser and not child_process and not postgres
test-fast: install
	$(BIN)/python -m pytest -m "$(FAST_LANE)" -n auto --dist loadfile $(PYTEST_ARGS)

# Plain `pip install .` (no extras) into a fresh virtualenv outside the checkout: a crawl
# stores every release, `extract`, `serve` and `doctor` work.
check-install: install
	PYTHON=$(BIN)/python bash scripts/check-install.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache demo-data
