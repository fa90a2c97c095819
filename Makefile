# Set-up and checks for skimgclf. Every target creates .venv with the
# system python3 when it is missing and installs the project into it.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test docs clean

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip

# The stamps record which extras are installed; they are redone when
# pyproject.toml changes.
$(VENV)/.stamp-base: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.stamp-docs: pyproject.toml | $(VPY)
	$(VPY) -m pip install --quiet -e ".[test,docs]"
	touch $@

demo: $(VENV)/.stamp-base
	$(VENV)/bin/skimgclf compare --output compare-output

test: $(VENV)/.stamp-test
	$(VPY) -m pytest $(PYTEST_ARGS)

docs: $(VENV)/.stamp-docs
	$(VPY) -m sphinx -W --keep-going -b html docs docs/_build/html

clean:
	rm -rf docs/_build docs/auto_examples docs/generated compare-output
