# codesign: two commands on a fresh machine.
#   make demo   creates .venv, installs, runs the co-design story end to end on bundled data
#   make test   creates .venv if needed, installs, runs lint, types, layers and the whole suite
# `make lab` opens JupyterLab on the demo project.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= codesign-demo

.PHONY: install demo test lint lab clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "codesign needs Python >= 3.11 (PYTHON=$(PYTHON))"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Until the demo issue lands this runs the part of the story that exists: the triage charter
# preset is written to $(DEMO_DIR)/codesign.yaml (never over an existing one) and validated.
demo: install
	mkdir -p $(DEMO_DIR)
	test -f $(DEMO_DIR)/codesign.yaml || $(BIN)/python -c "import sys; from codesign.charter import CharterFile, preset_text; CharterFile.from_text(preset_text('triage'), sys.argv[1]).save()" $(DEMO_DIR)/codesign.yaml
	$(BIN)/codesign charter validate $(DEMO_DIR)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

lab: install
	$(BIN)/codesign lab --project $(DEMO_DIR)

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
