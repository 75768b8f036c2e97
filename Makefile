# codesign: two commands on a fresh machine.
#   make demo   creates .venv, installs, runs the co-design story end to end on bundled data
#   make test   creates .venv if needed, installs, runs lint, types, layers and the whole suite
# `make lab` opens JupyterLab on the demo project's workshop notebook (scaffolded if missing).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= codesign-demo
DEMO_PROJECT := $(DEMO_DIR)/nurse-triage-assistant
# Jupyter refuses to run as root unless told (containers); LAB_ARGS=--no-browser for a headless box.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install demo test lint lab clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "codesign needs Python >= 3.11 (PYTHON=$(PYTHON))"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Until the demo issue lands this runs the part of the story that exists: `codesign new`
# scaffolds the triage use case into $(DEMO_PROJECT) (once; an existing one is kept), then its
# charter is validated and the project's own tests run.
demo: install
	test -d $(DEMO_PROJECT) || $(BIN)/codesign new "Nurse triage assistant" --preset triage --no-input --output-dir $(DEMO_DIR)
	$(BIN)/codesign charter validate $(DEMO_PROJECT)
	cd $(DEMO_PROJECT) && $(abspath $(BIN))/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

lab: install
	test -d $(DEMO_PROJECT) || $(BIN)/codesign new "Nurse triage assistant" --preset triage --no-input --output-dir $(DEMO_DIR)
	$(BIN)/codesign lab --project $(DEMO_PROJECT) $(LAB_ARGS)

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
