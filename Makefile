# tuiconsole — the README's two commands are `make demo` and `make test`.
# Everything runs from a project-local virtualenv (.venv) made on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: setup demo test lint bench bench-full browser-test clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(BIN)/tuiconsole demo

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

test: setup
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not perf" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m pytest -m perf -p no:xdist -s tests/perf $(PYTEST_ARGS)

bench-full: setup
	TUICONSOLE_BENCH_FULL=1 $(BIN)/python -m pytest -m perf -p no:xdist -s tests/perf $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache

# The console served to a browser: headless Chromium loads `tuiconsole serve --demo` and
# saves a screenshot (build/browser/serve-demo.png); skips with the reason without Chromium.
browser-test: setup
	$(BIN)/python tests/browser/browser_screenshot.py
