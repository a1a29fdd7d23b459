# The two commands a newcomer needs: `make demo` and `make test`. Each sets itself up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8700

.PHONY: demo test lint types unit integration bench-sdk bench-ingest bench-query bench-judges clean openapi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[server,llm,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/assay demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples

types: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint types
	$(BIN)/pytest -p no:cacheprovider --db all -n 2 --dist loadgroup tests

openapi: $(STAMP)
	$(BIN)/python -m assay.server.openapi > schemas/openapi.json

bench-sdk: $(STAMP)
	$(BIN)/python bench/sdk_overhead.py

bench-ingest: $(STAMP)
	$(BIN)/python bench/ingest.py

bench-query: $(STAMP)
	$(BIN)/python bench/query.py

bench-judges: $(STAMP)
	$(BIN)/python bench/judges.py

clean:
	rm -rf $(VENV) .assay-demo build src/*.egg-info
