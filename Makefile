# AgriTrace: `make demo` runs the platform with demo data; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-postgres fuzz gallery ci lint bench install vendor messages clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	scripts/system-deps.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "Python 3.12+ is needed (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[postgres,server,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/agritrace demo $(ARGS)

test: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	scripts/with-postgres.sh $(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src scripts bench
	$(BIN)/lint-imports --no-cache
	AGRITRACE_HOME=$$(mktemp -d) $(BIN)/agritrace makemigrations --check --dry-run
	AGRITRACE_HOME=$$(mktemp -d) $(BIN)/agritrace spectacular --validate --fail-on-warn --file /dev/null

fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz_api.py $(FUZZ_ARGS)

gallery: $(STAMP)
	$(BIN)/python scripts/gallery.py $(GALLERY_ARGS)

ci: PYTEST_ARGS += --hypothesis-show-statistics
ci: lint test test-postgres fuzz gallery

bench: $(STAMP)
	scripts/system-deps.sh bench
	scripts/with-postgres.sh $(BIN)/python bench/run.py

vendor:
	$(PYTHON) scripts/vendor_assets.py

messages: $(STAMP)
	cd src/agritrace && ../../$(BIN)/agritrace makemessages -l en --no-obsolete && \
		../../$(BIN)/agritrace compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
