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
# What serving needs (make run, make serve), then the test tools on top (make test).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# Where `make run` serves: `make run PORT=8001`, `make run HOST=0.0.0.0`. A HOST inherited
# from the shell is the machine's name in some setups, not an address to listen on.
ifeq ($(origin HOST),environment)
HOST := 127.0.0.1
endif
HOST ?= 127.0.0.1
PORT ?= 8000
# IPv6 addresses go in brackets; a wildcard address is browsed through the loopback.
ADDRESS := $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)
SITE := http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(if $(filter ::,$(HOST)),[::1],$(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)))):$(PORT)

.PHONY: help venv dev run serve test test-postgres lint fixture migrate data clean .port-free

help:
	@echo "make run            set up, migrate, load the data and serve on http://127.0.0.1:8000"
	@echo "                    (make run PORT=8001 HOST=0.0.0.0 to serve elsewhere)"
	@echo "make serve          production: checks, collectstatic, migrate, then gunicorn"
	@echo "make test           set up and run the whole test suite (SQLite)"
	@echo "make test-postgres  the suite again on PostgreSQL (DATABASE_URL, default local server)"
	@echo "make venv           .venv/ with what serving needs; make dev adds the test tools"
	@echo "make fixture        rebuild fixtures/alliance.json from seeds/"
	@echo "make lint           ruff check and format check"
	@echo "make bench          load-test gunicorn on generated data (wrk), report in bench/"
	@echo "make lighthouse     Lighthouse scores of three pages in Debian's Chromium (npm)"

# The project runs from this folder and is not installed itself: only its dependencies
# are (pip's --only-deps), which spares a build of the project at every change.
$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "Python 3.12 or newer is needed (Django 6.1 refuses older ones). Install it and retry."; \
		exit 1; fi
	@test -x $(PYTHON) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	@# --only-deps needs a newer pip than the one venv bundles.
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet --only-deps .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PYTHON) -m pip install --quiet --only-deps ".[test]"
	@touch $(TEST_STAMP)

venv: $(STAMP)

dev: $(TEST_STAMP)

# A development .env: DEBUG on and a random secret key, never a shared one.
.env:
	@echo "DEBUG=1" > .env
	@echo "SECRET_KEY=$$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 50)" >> .env
	@echo "Wrote .env for local development."

migrate: $(STAMP) .env
	$(PYTHON) manage.py migrate --noinput

data: migrate
	$(PYTHON) manage.py load_record

# Checked before the set-up, so that a taken port is said at once, not after it.
export PORT_FREE
define PORT_FREE
import errno, socket, sys

host, port, also = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def free(port):
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver binds
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                sys.exit(f"Cannot serve on {host}:{port}: {error.strerror or error}.")
            return False
    return True


if not free(port):
    other = next((p for p in range(port + 1, port + 100) if free(p)), port + 1)
    sys.exit(
        f"Port {port} is already in use on {host}: another server is running there.\n"
        f"Serve on another port:\n    make run PORT={other}{also}"
    )
endef

.port-free:
	@$(or $(PYTHON_FOR_VENV),python3) -c "$$PORT_FREE" "$(HOST)" "$(PORT)" "$(if $(filter 127.0.0.1,$(HOST)),, HOST=$(HOST))"

# runserver's own warning says not to use it in production: that is `make serve`.
run: export DJANGO_RUNSERVER_HIDE_WARNING = true
run: .port-free data
	@echo
	@echo "The site:      $(SITE)/"
	@echo "The API docs:  $(SITE)/api/docs/"
	@echo "The admin:     $(SITE)/admin/"
	@echo "To edit in the admin, create your own account (there is no default one):"
	@echo "    $(PYTHON) manage.py create_editor YOURNAME     (an editor: content only)"
	@echo "    $(PYTHON) manage.py createsuperuser            (everything, users included)"
	@echo
	@$(PYTHON) manage.py runserver $(ADDRESS)

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

# Each run ends with its ten slowest tests, so that a test growing slow is seen.
test: $(TEST_STAMP)
	$(PYTHON) -m pytest --durations=10

test-postgres: $(TEST_STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alliance} $(PYTHON) -m pytest --durations=10

fixture: $(STAMP)
	$(PYTHON) manage.py build_fixture

lint: $(TEST_STAMP)
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

# Lighthouse (npm's, through npx) on the home, an organisation and the article page, served
# by gunicorn with DEBUG off; reports in lighthouse/. Fails below 95 in any category.
.PHONY: lighthouse
lighthouse: data
	$(PYTHON) -m alliance.bench.lighthouse
