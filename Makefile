# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LLAMA_STAMP := $(VENV)/.llama-cpp-stamp
LLAMA_CPP_PIN := $(shell grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml | sed 's/\[server\]//')
# A portable llama.cpp build. The default (-march=native) compiles AMX kernels in when the CPU
# advertises AMX; on virtual machines that advertise it without enabling it, the first batched
# matrix product dies with SIGILL (seen here: `tilezero` in ggml_backend_amx_mul_mat).
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF
SYSTEM_STAMP := $(VENV)/.system-stamp
CORPUS ?= $(firstword $(wildcard ../shared/corpus))
PYTEST_ARGS ?=

.PHONY: setup system-deps demo ingest app test test-fast eval lint

# Built apart, without pip's wheel cache, so that a wheel built natively earlier is never reused.
$(LLAMA_STAMP):
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-cache-dir --force-reinstall --no-deps "$(LLAMA_CPP_PIN)"
	touch $(LLAMA_STAMP)

$(STAMP): pyproject.toml $(LLAMA_STAMP)
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
