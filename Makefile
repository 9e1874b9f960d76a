# Coproduce: `make run` serves the demo, `make test` runs every check. Both set up a fresh
# Debian machine from nothing but Python 3.11: the virtual environment, npm assets and Chromium.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test install assets lint typecheck unit browser chromium node pango redis clean serve bench

run: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	@echo "Coproduce is at http://127.0.0.1:$(PORT)/"
	@# The task worker sends emails and runs background jobs; it stops with the server.
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install assets chromium redis lint typecheck
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest

install: $(VENV)/.installed pango

# WeasyPrint draws the annual report's PDF with Pango, and its fonts come from the machine.
pango:
	@$(PYTHON) -c 'import ctypes.util as u, sys; sys.exit(not u.find_library("pangoft2-1.0"))' && \
	  fc-list 2>/dev/null | grep -q Liberation || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Coproduce needs Python 3.11")'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || ($(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node:
	@command -v npm >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm)

node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: build/static/coproduce.css

build/static/coproduce.css: node_modules/.installed $(wildcard coproduce/core/scss/*.scss)
	mkdir -p build/static
	npm run --silent build

chromium:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-liberation)

# The scale-out test shares a batch of suggestions between two RQ workers through a Redis it
# starts itself on a free port; only the server program is needed, never a running service.
redis:
	@command -v redis-server >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y redis-server)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

unit: install assets
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m "not browser"

browser: install assets chromium
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m browser

serve: install assets
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 8

bench: install assets
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules build staticfiles .mypy_cache .ruff_cache .pytest_cache
