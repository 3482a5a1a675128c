# HES Core — the two commands: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PY    := .venv/bin/python
VENV_STAMP := .venv/.installed
NODE_STAMP := frontend/node_modules/.installed
DIST_STAMP := frontend/dist/index.html
FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json -type f 2>/dev/null)

.PHONY: run test install db lint typecheck test-db test-python test-frontend test-e2e openapi bench-decode bench-ingest bench-api bench-import bench-theft clean

run: install $(DIST_STAMP) ## start the whole system on embedded defaults
	$(PY) -m local.run

test: install lint typecheck test-db test-python test-frontend test-e2e ## every test, lint and type check
	@echo "make test: all checks passed"

install: $(VENV_STAMP) db $(NODE_STAMP)

$(VENV_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

db: ## build the embedded MongoDB-compatible server (no-op when up to date)
	bash scripts/build_db.sh

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

$(DIST_STAMP): $(NODE_STAMP) $(FRONTEND_SRC)
	cd frontend && npm run build

openapi: $(VENV_STAMP) ## regenerate frontend/openapi.json and the TypeScript API types
	$(PY) -m scripts.export_openapi
	cd frontend && npm run gen:api

lint: install
	$(PY) -m ruff check .
	$(PY) -m scripts.export_openapi --check
	cd frontend && npx openapi-typescript openapi.json -o node_modules/.cache/schema.check.d.ts >/dev/null \
	  && diff -q src/lib/api/schema.d.ts node_modules/.cache/schema.check.d.ts \
	  || { echo "frontend API types are stale: run make openapi"; exit 1; }
	cd frontend && npm run lint

typecheck: install
	$(PY) -m mypy
	cd frontend && npm run typecheck

test-db: db ## the Go tests of the patched FerretDB packages (our encoder and decoder, the handler, the write batch)
	cd .build/ferretdb-src && CGO_ENABLED=0 GOFLAGS=-mod=mod go test ./internal/handler/sjson/ ./internal/handler/common/ \
		./internal/backends/sqlite/

test-python: install
	$(PY) -m pytest tests --ignore=tests/e2e

test-frontend: install
	cd frontend && npm test

test-e2e: install $(DIST_STAMP)
	bash scripts/ensure_chromium.sh
	$(PY) -m pytest tests/e2e

bench-decode: install ## push decoding: gurux path vs fast path
	$(PY) -m bench.decode_bench

bench-api: install ## API latency on 10,000 meters x 90 days (prints figures; loading takes several minutes)
	$(PY) -m bench.api_bench

bench-ingest: install ## edge socket capacity and end-to-end ingest (prints figures, ~3 min)
	$(PY) -m bench.connections_bench
	$(PY) -m bench.ingest_bench

bench-import: install ## a 500,000-row interval file through the import API: dry run, import, re-import
	$(PY) -m bench.import_bench

bench-theft: install ## theft detection: 2,000 meters x 180 days through the interval import (prints figures)
	$(PY) -m bench.theft_bench

clean:
	rm -rf .build frontend/dist
