# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
WORKSPACE ?= data/demo
export ECONN_WORKSPACE ?= $(abspath $(WORKSPACE))

.PHONY: run test install install-test browser demo reset screenshots bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
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
run: $(VENV)/.installed $(WORKSPACE)/econn.duckdb
	@echo "econn : tableaux de bord sur http://127.0.0.1:$(PORT)/voila/render/00_accueil.ipynb"
	$(BIN)/voila notebooks/ --Voila.ip=127.0.0.1 --Voila.port=$(PORT) --Voila.port_retries=0 --no-browser

## Debian's headless chromium for the browser tests (Playwright cannot download its own here).
browser:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## The whole suite: unit tests, notebooks executed by nbval, browser tests of the served dashboards.
test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

screenshots: $(VENV)/.installed-test browser
	ECONN_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/browser -p no:cacheprovider

MINUTES ?= 30
## Long reliability runs (issue #8): concurrency rounds, SIGKILL loops, hypothesis + atheris; then memory bounds.
soak: $(VENV)/.installed-test
	$(BIN)/python benchmarks/soak.py --minutes $(MINUTES)
	$(BIN)/python benchmarks/memory_bounds.py

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) data/demo benchmarks/out
