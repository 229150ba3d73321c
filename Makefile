# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp
CORPUS ?= $(firstword $(wildcard ../shared/corpus))
PYTEST_ARGS ?=

.PHONY: setup system-deps demo ingest app test test-fast eval lint

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build of torch that lies on the machine's disk, before anything that depends on torch.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev,local]"
	touch $(STAMP)

# Debian packages the slow tests use: chromium for the browser test, nginx for the token proxy.
$(SYSTEM_STAMP):
	command -v chromium >/dev/null && command -v nginx >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light >/dev/null; }
	mkdir -p $(VENV) && touch $(SYSTEM_STAMP)

setup: $(STAMP)

system-deps: $(SYSTEM_STAMP)

ingest: setup
	@test -n "$(CORPUS)" || { echo "No corpus found: run make demo CORPUS=/path/to/folder"; exit 2; }
	$(PY) -m ingest "$(CORPUS)"

app: setup
	$(PY) -m streamlit run app.py --server.headless true

demo: ingest app

test: setup system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

eval: setup
	$(PY) -m eval all --dataset eval/datasets/gold-test.jsonl

lint: setup
	$(VENV)/bin/ruff check rag ingest eval tests app.py ui
	$(VENV)/bin/mypy rag
