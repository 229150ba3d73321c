# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LLAMA_STAMP := $(VENV)/.llama-cpp-stamp
LLAMA_CPP_PIN := $(shell grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml | sed 's/\[server\]//')
# A portable llama.cpp build (GGML_NATIVE=OFF) plus the instruction sets this CPU reports in
# /proc/cpuinfo, so a CPU without AVX-512 still gets a working AVX2 build. AMX stays off: the
# native build's AMX kernels fault inside ggml here (SIGILL in ggml_backend_amx_mul_mat) although
# the kernel grants AMX to the process, and a runtime-dispatch build picks the AMX variant first.
CPU_FLAGS := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
GGML_CPU_ARGS := $(if $(filter-out $(CPU_FLAGS),avx512f avx512cd avx512vl avx512dq avx512bw),,-DGGML_AVX512=ON) \
  $(if $(filter avx512_vnni,$(CPU_FLAGS)),-DGGML_AVX512_VNNI=ON) \
  $(if $(filter avx512_bf16,$(CPU_FLAGS)),-DGGML_AVX512_BF16=ON) \
  $(if $(filter avx_vnni,$(CPU_FLAGS)),-DGGML_AVX_VNNI=ON)
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF $(strip $(GGML_CPU_ARGS))
SYSTEM_STAMP := $(VENV)/.system-stamp
CORPUS ?= corpus
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
	$(PY) -m pytest -m "not slow and not corpus" $(PYTEST_ARGS)

eval: setup
	$(PY) -m eval all --dataset eval/datasets/gold-test.jsonl

lint: setup
	$(VENV)/bin/ruff check rag ingest eval tests app.py ui
	$(VENV)/bin/mypy rag
