# codesign: two commands on a fresh machine.
#   make demo   creates .venv, installs, runs the co-design story end to end on bundled data
#   make test   creates .venv if needed, installs, runs lint, types, layers and the whole suite
# `make lab` opens JupyterLab on the demo project's workshop notebook (the demo runs first if missing).

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
	# an unpacked sdist has no links: the editable install reaches the templates through them
	test -e src/codesign/cookiecutter || ln -s ../../cookiecutter src/codesign/cookiecutter
	test -e src/codesign/templates || ln -s ../../templates src/codesign/templates
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The compiled message catalogues gettext reads (git-ignored), from their .po files: the wheel's
# are compiled by hatch_build.py; a working copy's here, whenever a translation changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard src/codesign/locale/*/LC_MESSAGES/codesign.po))

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics --input-file $< --output-file $@

install: $(STAMP) $(MO_FILES)

# The whole story on synthetic data, in $(DEMO_DIR)/ (an earlier demo there is replaced; the
# demo refuses a folder it did not make). It prints the report's path at the end.
demo: install
	$(BIN)/codesign demo --dir $(DEMO_DIR) --force

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Test files run on TEST_JOBS workers (pytest-xdist), each file's tests on one worker, so
# a file's module fixtures (a demo, a server) are built once. TEST_JOBS=0 runs in one process.
TEST_JOBS ?= 3

test: lint
	$(BIN)/pytest --numprocesses $(TEST_JOBS) --dist loadfile

lab: install
	test -d $(DEMO_PROJECT) || $(BIN)/codesign demo --dir $(DEMO_DIR)
	$(BIN)/codesign lab --project $(DEMO_PROJECT) $(LAB_ARGS)

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
