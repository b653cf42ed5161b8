# One entry point for a fresh machine (Python 3.11, pip, make, gcc):
#   make demo   install the three packages and run the quickstart pipeline and the gokart command
#   make test   set everything up and run the whole test suite (compiled leg, then pure leg)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUNTIME_STAMP := $(VENV)/.runtime-stamp
UPSTREAM := .venv-upstream
# ours with only what `pip install gokart` brings: the start-up rows of bench-compare run there
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp
UPSTREAM_STAMP := $(UPSTREAM)/.installed-stamp
UPSTREAM_MYPY_STAMP := $(UPSTREAM)/.mypy-stamp
UPSTREAM_REMOTE_STAMP := $(UPSTREAM)/.remote-stamp
PYTEST_ARGS ?=

.PHONY: help install upstream bench-venv services demo test test-ext test-pure test-reliability bench-smoke bench bench-compare lint typecheck golden build changelog clean clean-ext

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# The three packages and their runtime dependencies only: all that `make demo` needs.
$(RUNTIME_STAMP): packages/core/pyproject.toml packages/fastio/pyproject.toml packages/fastio/setup.py packages/cli/pyproject.toml $(wildcard packages/fastio/src/gokart_fastio/*.pyx)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q -e packages/fastio -e packages/core -e packages/cli
	touch $@

$(STAMP): $(RUNTIME_STAMP) pyproject.toml
	$(BIN)/python -m pip install -q --group dev
	touch $@

install: $(STAMP) ## create .venv with the three packages (editable, fastio compiled) and dev tools

$(UPSTREAM_STAMP):
	test -x $(UPSTREAM)/bin/python || $(PY) -m venv $(UPSTREAM)
	$(UPSTREAM)/bin/python -m pip install -q "gokart==1.12.2" "luigi==3.8.1" polars
	touch $@

# mypy beside gokart 1.12.2, the version .venv runs, for the differential typing test (tests/typing/);
# redone when .venv is reinstalled (its mypy may have changed).
$(UPSTREAM_MYPY_STAMP): $(UPSTREAM_STAMP) $(STAMP)
	$(UPSTREAM)/bin/python -m pip install -q "mypy==$$($(BIN)/python -c 'import mypy.version; print(mypy.version.__version__)')"
	touch $@

# boto3 beside gokart 1.12.2, for the side-by-side S3 builds (benchmarks/remote/compare_remote.py)
$(UPSTREAM_REMOTE_STAMP): $(UPSTREAM_STAMP)
	$(UPSTREAM)/bin/python -m pip install -q boto3
	touch $@

$(BENCH_STAMP): packages/core/pyproject.toml packages/fastio/pyproject.toml packages/cli/pyproject.toml
	test -x $(BENCH_VENV)/bin/python || $(PY) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade "pip>=25.1"
	$(BENCH_VENV)/bin/python -m pip install -q -e packages/fastio -e packages/core -e packages/cli
	touch $@

bench-venv: $(BENCH_STAMP) ## create .venv-bench: the three packages and their runtime dependencies only

upstream: $(UPSTREAM_STAMP) $(UPSTREAM_MYPY_STAMP) $(UPSTREAM_REMOTE_STAMP) ## create .venv-upstream with gokart 1.12.2 and mypy and boto3 (black box for differential tests)

services: ## install the servers the tests start (redis-server)
	@command -v redis-server >/dev/null 2>&1 || $(BIN)/python -c "import shutil,sys; sys.exit(0 if shutil.which('redis-server') else 1)" 2>/dev/null \
	  || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
	       || $(BIN)/python -m pip install -q redis-server; }

demo: $(RUNTIME_STAMP) ## install the three packages only (no dev tools), run the quickstart, then examples/pipeline.py with the gokart command
	$(BIN)/python examples/quickstart.py
	$(BIN)/gokart run examples/pipeline.py:Report --n=4
	$(BIN)/gokart why examples/pipeline.py:Report --n=5

test: install upstream services ## static checks, then the whole suite twice (compiled fastio, then the pure twin), then the benchmark smoke
	$(MAKE) lint typecheck
	$(MAKE) test-ext
	$(MAKE) test-pure
	$(MAKE) bench-smoke

test-ext: ## the suite on the compiled fastio twin (part of make test)
	@echo "=== test leg: compiled gokart_fastio ==="
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

test-pure: ## the suite on the pure-Python fastio twin (part of make test)
	@echo "=== test leg: pure-Python gokart_fastio (GOKART_FASTIO_NO_EXTENSIONS=1) ==="
	GOKART_FASTIO_NO_EXTENSIONS=1 $(BIN)/python -m pytest tests --no-c-extensions $(PYTEST_ARGS)

test-reliability: install upstream services ## only the reliability tests (real processes and signals, luigid, redis; also part of make test)
	$(BIN)/python -m pytest tests -m reliability $(PYTEST_ARGS)

bench-smoke: ## the benchmark bodies once, timings off (part of make test)
	@echo "=== benchmark bodies run once (timings disabled), so they do not rot ==="
	$(BIN)/python -m pytest benchmarks --benchmark-disable -q $(PYTEST_ARGS)

bench: install ## run the pytest-benchmark suite
	$(BIN)/python -m pytest benchmarks --benchmark-enable --benchmark-autosave $(PYTEST_ARGS)

bench-compare: install upstream bench-venv ## run identical workloads on gokart 1.12.2 and ours, print ratios
	$(BIN)/python benchmarks/compare_ids.py --ours $(BIN)/python --upstream $(UPSTREAM)/bin/python
	$(BIN)/python benchmarks/compare.py --ours $(BIN)/python --upstream $(UPSTREAM)/bin/python $(COMPARE_ARGS)
	$(BIN)/python benchmarks/compare_data.py --ours $(BIN)/python --upstream $(UPSTREAM)/bin/python \
	    --ours-startup $(BENCH_VENV)/bin/python $(COMPARE_DATA_ARGS)
	$(BIN)/python benchmarks/remote/compare_remote.py --ours $(BIN)/python --upstream $(UPSTREAM)/bin/python $(COMPARE_REMOTE_ARGS)

golden: install upstream ## regenerate golden vectors from gokart 1.12.2
	$(UPSTREAM)/bin/python scripts/gen_golden.py

lint: install ## ruff (lint and format check) and import-linter
	$(BIN)/ruff check packages tests benchmarks scripts examples conftest.py
	$(BIN)/ruff format --check packages tests benchmarks scripts examples conftest.py
	$(BIN)/lint-imports

typecheck: install ## mypy over all three packages
	$(BIN)/mypy

build: install ## wheels and sdists of the three packages into dist/
	for pkg in fastio core cli; do $(BIN)/python -m build --outdir dist packages/$$pkg || exit 1; done

changelog: install ## render changes/ fragments into CHANGES.md (VERSION=x.y.z)
	$(BIN)/towncrier build --yes --version $(VERSION)

clean-ext: ## remove the compiled twin (rebuilt by the next make install)
	rm -f packages/fastio/src/gokart_fastio/*.so packages/fastio/src/gokart_fastio/*.c $(STAMP) $(RUNTIME_STAMP)

clean: clean-ext ## remove the venvs, build outputs and resources/
	rm -rf $(VENV) $(UPSTREAM) $(BENCH_VENV) build dist resources .benchmarks
