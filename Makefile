# The two commands that matter: `make run` and `make test`. Both set everything up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6.1 needs Python >= 3.12: take the first interpreter that is new enough.
PYTHON_FOR_VENV := $(shell for candidate in python3.14 python3.13 python3.12 python3; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	   echo $$candidate; break; fi; done)
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv run serve test test-postgres lint fixture migrate data clean

help:
	@echo "make run            set up, migrate, load the data and serve on http://127.0.0.1:8000"
	@echo "make serve          production: checks, collectstatic, migrate, then gunicorn"
	@echo "make test           set up and run the whole test suite (SQLite)"
	@echo "make test-postgres  the suite again on PostgreSQL (DATABASE_URL, default local server)"
	@echo "make fixture        rebuild fixtures/alliance.json from seeds/"
	@echo "make lint           ruff check and format check"
	@echo "make bench          load-test gunicorn on generated data (wrk), report in bench/"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "Python 3.12 or newer is needed (Django 6.1 refuses older ones). Install it and retry."; \
		exit 1; fi
	@test -x $(PYTHON) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

# A development .env: DEBUG on and a random secret key, never a shared one.
.env:
	@echo "DEBUG=1" > .env
	@echo "SECRET_KEY=$$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 50)" >> .env
	@echo "Wrote .env for local development."

migrate: $(STAMP) .env
	$(PYTHON) manage.py migrate --noinput

data: migrate
	$(PYTHON) manage.py load_record

run: data
	@echo
	@echo "To edit in the admin (http://127.0.0.1:8000/admin/), create your own account:"
	@echo "    $(PYTHON) manage.py create_editor YOURNAME     (an editor: content only)"
	@echo "    $(PYTHON) manage.py createsuperuser            (everything, users included)"
	@echo
	$(PYTHON) manage.py runserver 127.0.0.1:8000

# Production, from the environment alone (README, "Deployment"): DEBUG is forced off and
# every unsafe setting stops it before it serves. MIGRATE=0 on all app servers but one.
MIGRATE ?= 1
serve: export DEBUG = 0
serve: export CONN_MAX_AGE ?= 60
serve: $(STAMP)
	$(PYTHON) manage.py check --deploy --fail-level WARNING
	$(PYTHON) manage.py collectstatic --noinput --verbosity 0
	@if [ "$(MIGRATE)" = 1 ]; then $(PYTHON) manage.py migrate --noinput; fi
	exec $(VENV)/bin/gunicorn --config python:alliance.gunicorn alliance.wsgi

test: $(STAMP)
	$(PYTHON) -m pytest

test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alliance} $(PYTHON) -m pytest

fixture: $(STAMP)
	$(PYTHON) manage.py build_fixture

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Load test on generated data (gunicorn + wrk); the report lands in bench/. BENCH_ARGS
# passes options, e.g. `make bench BENCH_ARGS="--tiny --seconds 1"` (see --help).
.PHONY: bench
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk || \
		(apt-get update && apt-get install -y wrk) || \
		{ echo "make bench needs wrk (Debian: apt-get install -y wrk); it could not be installed."; exit 1; }
	$(PYTHON) -m alliance.bench $(BENCH_ARGS)
