# The few commands a person types. `make build` and `make test` set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup build check serve test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: setup            ## build the sample site from content/ into output/
	$(BIN)/pia build

check: setup            ## validate content/ only
	$(BIN)/pia check

test: setup             ## run the whole test suite
	$(BIN)/pytest -q
	$(BIN)/ruff check pia_build tests
	$(BIN)/mypy

bench: setup            ## the timings in docs/benchmarks.md
	$(BIN)/python scripts/bench.py

clean:
	rm -rf output .pytest_cache
