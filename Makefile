# The two commands a newcomer needs: `make book` and `make test`.
# Both set up everything they need on a fresh machine (venv, pinned requirements).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export SPARSELIB_OFFLINE ?= 1
# Executed chapters are pages: no progress-bar widgets in their outputs.
export SPARSELIB_PROGRESS ?= 0
# Browser assets for the offline book (MathJax, widget manager, axe-core), from npm.
ASSETS := _assets/.stamp

.PHONY: test book venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(ASSETS): tools/assets/package.json tools/assets/package-lock.json tools/book_assets.py | $(STAMP)
	$(PY) tools/book.py assets

# Regenerate the student notebooks from the chapters (students/, committed), execute the
# chapters (cached in .jupyter_cache) and build every language into _build/html.
book: $(STAMP) $(ASSETS)
	$(PY) tools/students.py
	$(PY) tools/book.py build

# Library tests, nbval on the chapters, a strict fresh book build, browser checks;
# prints the time of every stage at the end (tools/run_tests.py).
test: $(STAMP) $(ASSETS)
	$(PY) tools/run_tests.py
