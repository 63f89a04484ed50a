# Two commands do all set-up on a fresh machine:
#   make demo   install into .venv and run the main job on the bundled Yangzhou dataset
#   make serve  install into .venv and open the explorer on the bundled data (no Neo4j): http://127.0.0.1:8000/
#   make test   install (Python packages, Java/Maven/Chromium if missing), run the linter and the type
#               checker (make lint), then every test, starting a throwaway local Neo4j itself
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_FLAGS ?= -q --disable-pip-version-check

.PHONY: demo serve test lint install install-dev system system-browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e .

install-dev: $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev]'

system:
	bash scripts/setup-system.sh

system-browser:
	bash scripts/setup-system.sh --browser

demo: system install
	$(BIN)/chainkg report --out-dir out

serve: system install
	$(BIN)/chainkg serve $(SERVE_ARGS)

test: system-browser install-dev
	$(LINT)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (lint, import order) and mypy (types); config in pyproject.toml
LINT = $(BIN)/ruff check src tests bench && $(BIN)/mypy

lint: install-dev
	$(LINT)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
