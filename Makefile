# The two commands a newcomer needs: `make demo` and `make test`. Each sets itself up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8700

.PHONY: demo test lint types web web-check browser unit integration bench-sdk bench-ingest bench-query bench-judges bench-online bench-prompts bench-playground clean openapi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[server,llm,dev]'
	touch $(STAMP)

WEB_STAMP := web/node_modules/.installed

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $(WEB_STAMP)

# The web UI, built into src/assay/server/static (served by `assay serve`).
web: $(WEB_STAMP)
	cd web && npm run build

web-check: $(WEB_STAMP)
	cd web && npm run typecheck && npm run lint && npm test

# The browser the end-to-end tests drive: Debian's chromium (installed when running as root).
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } || { echo "tests/e2e need Debian's chromium: apt-get install chromium"; exit 1; }

demo: $(STAMP) web
	$(BIN)/assay demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples

types: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint types web-check web browser
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

bench-online: $(STAMP)
	$(BIN)/python bench/online.py

bench-prompts: $(STAMP)
	$(BIN)/python bench/prompt_cache.py

bench-playground: $(STAMP) web browser
	$(BIN)/python bench/playground_ttft.py
	$(BIN)/python bench/playground_ttft.py --browser

clean:
	rm -rf $(VENV) .assay-demo build src/*.egg-info web/node_modules src/assay/server/static
