# The two commands: `make run` (set up and serve on SQLite) and `make test` (set up and run every test).
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
# The project's own Python code (compiled to bytecode by `make setup`).
PROJECT_CODE := $(patsubst %/__init__.py,%,$(wildcard */__init__.py))
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate demo lint format messages bench bench-web wrk screenshots chromium clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

# Bytecode is compiled at install (`--compile-bytecode`) and for the project's own modules, so a
# process never compiles ~500 modules from source as it starts (0.7 s of a 1 s start-up where
# Python can't write its cache: PYTHONDONTWRITEBYTECODE, a read-only install; docs/performance.md).
$(VENV)/.synced: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced
	@$(PY) -m compileall -q -j 0 $(PROJECT_CODE) >/dev/null

migrate: setup
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo_forum --with-staff

run: demo
	@echo "Serving the rehearsal forum (demo data; the 9th forum of 2022 as a past edition) at http://$(HOST):$(PORT)/ (admin: /admin/)"
	@echo "Emails: printed here and saved in var/emails/, listed at http://$(HOST):$(PORT)/dev/emails/"
	DEBUG=1 SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing (root, as on CI machines).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# axe-core (accessibility engine) for the browser tests, pinned in package-lock.json, into
# node_modules/ beside the project; npm comes from Debian when it is missing (root, as on CI).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's npm for the accessibility tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# Compiled translations (.mo) are committed, so tests need no gettext tools.
test: setup chromium $(AXE)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=forum.settings $(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	DEBUG=1 $(PY) manage.py makemessages -l ko --ignore=.venv --ignore=.tools --ignore=benchmarks --ignore=var --ignore=node_modules
	DEBUG=1 $(PY) manage.py makemessages -d djangojs -l ko --ignore=.venv --ignore=.tools --ignore=var --ignore=node_modules
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules

# The web load benchmark drives the site with wrk, a compiled load generator (Debian's package).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the web load benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: setup wrk
	$(PY) benchmarks/schedule_b2b.py
	$(PY) benchmarks/schedule_large.py
	$(PY) benchmarks/schedule_large.py --case 3000 --seeds 1
	$(PY) benchmarks/recommend.py
	$(PY) benchmarks/web_load.py

bench-web: setup wrk
	$(PY) benchmarks/web_load.py

screenshots: setup chromium
	$(PY) docs/screenshots/take.py
	REGISTRATION_SCREENSHOT=1 MEETINGS_SCREENSHOT=1 $(PY) -m pytest -q \
		tests/e2e/test_registration_journey.py tests/e2e/test_meetings_journey.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/*.sqlite3* var/static
