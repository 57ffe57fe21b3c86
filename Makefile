# Two entry points (see README): `make run` builds everything on the embedded
# store; `make test` sets up and runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

JS_STAMP := tests/js/node_modules/.installed

.PHONY: run test setup lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# graphology-gexf (Gephi Lite's GEXF parser) for tests/test_network_exports.py.
$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	@if command -v npm >/dev/null; then \
		cd tests/js && npm ci --no-audit --no-fund --silent && touch node_modules/.installed; \
	else echo "npm not found: the graphology-gexf tests need Node.js and npm"; fi

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/osce-kg build -o dist

# One worker process per core; a test module stays in one worker (its servers
# and fixtures start once).
test: $(STAMP) $(JS_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=25

lint: $(STAMP)
	$(BIN)/ruff check cli tests benchmarks
	$(BIN)/ruff format --check cli tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache tests/js/node_modules
