# One entry point for set-up, the example app and the tests.
#
#   make synth   set up, synthesize the example apps into cdk.out/<app>/, lint them,
#                deploy them into the embedded emulator, run a job on each queue, summarize
#   make test    set up, then ruff, mypy and the import contracts on src/ and the whole pytest suite
#
# Set-up is idempotent: a virtualenv in .venv and, where the machine's Node.js
# is older than 22, a Node.js 22 from the npm registry in .tools/.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NODE_VERSION := 22.23.3
ARCH := $(shell uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
NODE_PKG := node-linux-$(ARCH)
NODE_BIN := $(CURDIR)/.tools/node/node_modules/$(NODE_PKG)/bin
SYSTEM_NODE_MAJOR := $(shell node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')

ifeq ($(shell [ "0$(SYSTEM_NODE_MAJOR)" -ge 22 ] && echo yes),yes)
NODE_STAMP :=
else
NODE_STAMP := $(NODE_BIN)/node
export PATH := $(NODE_BIN):$(PATH)
endif

.PHONY: setup synth test lint unit bench clean

setup: $(VENV)/.installed $(NODE_STAMP)

$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "==> [1/3] creating the virtualenv in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] upgrading pip"
	$(PY) -m pip install --progress-bar on --upgrade pip
	@echo "==> [3/3] installing cdk-batch with its dev and test extras (aws-cdk-lib is large: a few minutes on a cold cache)"
	$(PY) -m pip install --progress-bar on -c constraints.txt -e ".[dev]"
	touch $@

$(NODE_BIN)/node:
	@echo "==> installing Node.js $(NODE_VERSION) into .tools/node (the machine's Node.js is older than 22)"
	mkdir -p .tools/node
	npm install --no-save --no-audit --no-fund --prefix .tools/node $(NODE_PKG)@$(NODE_VERSION)

synth: setup
	$(PY) -m examples.main

PY_DIRS := $(wildcard src tests examples bench)

lint: setup
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports --no-cache

unit: setup
	$(PY) -m pytest

test: lint unit

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .tools cdk.out .pytest_cache .mypy_cache .ruff_cache
