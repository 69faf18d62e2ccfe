# netral — the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the app and its tests need (installed when run as root and missing)
DEB_PACKAGES := chromium fonts-dejavu-core fonts-noto-core postgresql redis-server tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig poppler-utils

.PHONY: demo test serve lint typecheck deps venv clean benchmarks

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:$$missing (run as root, or install them)"; fi; \
	fi


demo: $(STAMP)
	$(BIN)/netral db upgrade
	$(BIN)/netral demo
	@echo "text screening: the model shipped in the package (an operator's own: netral models train)"
	@echo "netral: http://127.0.0.1:8000  (Ctrl+C to stop)"
	$(BIN)/netral serve --host 127.0.0.1 --port 8000

serve: $(STAMP)
	$(BIN)/netral serve

test: deps $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/nip.py
	$(BIN)/python benchmarks/import_asn.py
	$(BIN)/python benchmarks/intake.py
	$(BIN)/python benchmarks/screening.py
	$(BIN)/python benchmarks/cases.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
