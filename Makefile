# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
## LOWEST=1: the targets below work in .venv-min instead, where each direct dependency is pinned to the lowest
## version its range in pyproject.toml allows (tools/min_constraints.py); `make test-min` is `make test LOWEST=1`.
LOWEST ?=
VENV := $(if $(LOWEST),.venv-min,.venv)
BIN := $(VENV)/bin
CONSTRAINTS := $(if $(LOWEST),$(VENV)/constraints.txt)
PIP_INSTALL = $(BIN)/python -m pip install --quiet $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
PORT ?= 8866
WORKSPACE ?= data/demo
export ECONN_WORKSPACE ?= $(abspath $(WORKSPACE))

.PHONY: run test test-min test-under-load install install-test browser demo reset screenshots bench soak docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/constraints.txt: pyproject.toml tools/min_constraints.py | $(BIN)/python
	$(BIN)/python tools/min_constraints.py test > $@.tmp
	mv $@.tmp $@

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(WORKSPACE)/econn.duckdb: | $(VENV)/.installed
	$(BIN)/econn demo --out $(WORKSPACE)

demo: $(WORKSPACE)/econn.duckdb

## Trainer mode: bring the demo workspace back to its initial state.
reset: $(VENV)/.installed $(WORKSPACE)/econn.duckdb
	$(BIN)/econn demo --reset --out $(WORKSPACE)

## Serve the dashboards with Voilà on 127.0.0.1:$(PORT) (settings in voila.json).
## `econn ui` prints the address and starts Voilà with econn's template (share/jupyter) in its path.
run: $(VENV)/.installed $(WORKSPACE)/econn.duckdb
	$(BIN)/econn ui --workspace $(WORKSPACE) --port $(PORT)

## Debian's headless chromium for the browser tests (Playwright cannot download its own here).
browser:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## The whole suite: unit tests, notebooks executed by nbval, browser tests of the served dashboards, on
## WORKERS processes (pytest-xdist; conftest.py keeps the browser tests, and each notebook's cells, together).
WORKERS ?= 2
test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider \
	  -n $(WORKERS)

## The same suite on the lowest versions the dependency ranges allow (in .venv-min, see LOWEST above).
test-min:
	$(MAKE) test LOWEST=1

ROUNDS ?= 3
## The browser tests, ROUNDS times in a row, with two CPU-bound processes beside them: a test that waits
## for time instead of an end state fails here first.
test-under-load: $(VENV)/.installed-test browser
	$(BIN)/python benchmarks/browser_under_load.py --rounds $(ROUNDS) --burners 2

## Regenerate the pages of docs/ derived from the code (docs/findings.md); tests/test_docs.py checks them.
docs: $(VENV)/.installed
	$(BIN)/python tools/gen_docs.py

## Regenerate docs/screenshots/*.png (the README's images) from the browser tests, then check that the
## README shows exactly the screenshots the tests take.
## test_all_pages.py runs last: its screenshots, framed
## on each page's result, are the ones kept when another test takes the same name. The pages use emoji
## (✅ ❌ 💡): without a colour emoji font, headless chromium draws empty boxes where browsers show them.
screenshots: $(VENV)/.installed-test browser
	@fc-list 2>/dev/null | grep -qi "color emoji" || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-noto-color-emoji; }
	ECONN_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -p no:cacheprovider \
	  $(filter-out tests/browser/test_all_pages.py,$(sort $(wildcard tests/browser/test_*.py))) \
	  tests/browser/test_all_pages.py tests/test_screenshots_listed.py

MINUTES ?= 30
RECEPTION_EXAMPLES ?= 2000
## Long reliability runs (issue #8): concurrency rounds, SIGKILL loops, hypothesis + atheris; then new generated
## order files through analyze and integration (issue #18, RECEPTION_EXAMPLES of them); then memory bounds.
soak: $(VENV)/.installed-test
	$(BIN)/python benchmarks/soak.py --minutes $(MINUTES)
	HYPOTHESIS_PROFILE=explore RECEPTION_EXAMPLES=$(RECEPTION_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
	  --hypothesis-show-statistics tests/test_reception_property.py -k any_order_file
	$(BIN)/python benchmarks/memory_bounds.py

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf .venv .venv-min data/demo benchmarks/out
