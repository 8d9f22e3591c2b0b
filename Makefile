# Two commands for a newcomer: `make run` (the site with demo data, a task worker and the alerts
# dispatcher beside it) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# `make serve`: production settings (DEBUG off, gunicorn, WhiteNoise) against PostgreSQL.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom
SERVE_ENV = DEBUG=0 DATABASE_URL=$(SERVE_DATABASE_URL) HOST=$(HOST) PORT=$(PORT) WEB_CONCURRENCY=2

.PHONY: run serve test check lint format install clean messages compilemessages bench bench-alerts

run: $(STAMP) .env compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_admin
	$(BIN)/python manage.py run_quickstart $(HOST):$(PORT)

serve: $(STAMP) .env compilemessages
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

test: $(STAMP) compilemessages
	$(BIN)/pytest

check: $(STAMP)
	SECRET_KEY=check $(BIN)/python manage.py check
	SECRET_KEY=check $(BIN)/python manage.py makemigrations --check --dry-run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(STAMP) compilemessages

# Translations (locale/<language>/LC_MESSAGES/django.po). Compiling needs only Python (Babel),
# so set-up never needs GNU gettext; the .mo files are build products, never committed.
compilemessages: $(STAMP)
	$(BIN)/pybabel compile --domain=django --directory=locale --statistics

# Extract every marked string into each language's catalogue, then compile. Extraction uses
# Django's makemessages, which needs GNU gettext (apt-get install gettext): a maintainer's
# tool. To add a language: mkdir -p locale/<code>/LC_MESSAGES, then run this (see docs/).
messages: $(STAMP)
	SECRET_KEY=messages $(BIN)/python manage.py makemessages --all --no-obsolete \
		--add-location=file --ignore=tests --ignore=staticfiles --ignore=media --ignore=build
	$(MAKE) compilemessages

# The production server under load at 100,000 releases (bench/run.py; BENCH_COUNT=… to change).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Email alerts: 100,000 subscribers through RQ workers (1, 2, 4) to an SMTP sink (bench/alerts.py).
bench-alerts: $(STAMP)
	$(BIN)/python bench/alerts.py

# The virtualenv is (re)built when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Development values for the quick start only; production sets its own environment.
.env:
	printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
