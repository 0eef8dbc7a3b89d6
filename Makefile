# The few commands a person types. `make build` and `make test` set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Debian packages the tests drive as real clients: poppler (PDF text and fonts), LibreOffice
# (opens the DOCX; its Calc module opens the XLSX), Chromium (the site in a browser, through
# Playwright), and a Japanese font for LibreOffice (without one it draws the DOCX's Japanese as
# boxes, so its PDFs are not what a body's Word would print). Installed only when missing; a tool
# named by its path is looked for as a file.
SYSTEM_TOOLS := pdftotext:poppler-utils pdffonts:poppler-utils soffice:libreoffice-writer-nogui \
                /usr/lib/libreoffice/program/libsclo.so:libreoffice-calc-nogui chromium:chromium \
                /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:fonts-noto-cjk

.PHONY: setup system-deps build check serve test lint bench clean form-docs

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  tool=$${pair%%:*}; [ -e "$$tool" ] || command -v "$$tool" >/dev/null 2>&1 \
	    || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

build: setup            ## build the sample site from content/ into output/site
	$(BIN)/pia build

serve: setup            ## build, serve output/site on 127.0.0.1:8000, rebuild and reload on change
	$(BIN)/pia serve

form-docs: setup        ## regenerate docs/forms/ from pia_build/forms/*.yml (tests/test_form_docs.py)
	$(BIN)/python -m pia_build.formdoc docs/forms

check: setup            ## validate content/ only
	$(BIN)/pia check

test: setup system-deps ## run the whole test suite, then lint and type-check
	$(BIN)/pytest -q
	$(BIN)/ruff check pia_build tests scripts
	$(BIN)/mypy

bench: setup            ## the timings in docs/benchmarks.md
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_site.py
	$(BIN)/python scripts/bench_formats.py
	$(BIN)/python scripts/bench_adopt.py

clean:
	rm -rf output .pytest_cache
