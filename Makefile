# Two commands for a newcomer: `make run` (the site with demo data, a task worker and the alerts
# dispatcher beside it) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on one pytest-xdist worker per core; TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

# `make serve` is production: DEBUG=0 whatever .env says (it never writes one), and the rest
# from the environment: SECRET_KEY (required), DATABASE_URL (PostgreSQL, default below),
# CACHE_URL, WEB_CONCURRENCY (default: one process per core), SECURE (on; SECURE=0 only for
# plain HTTP without TLS in front).
SERVE_ENV = DEBUG=0 DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom}" \
	HOST=$(HOST) PORT=$(PORT) LISTEN_URL=$(LISTEN_URL)
# Where the site listens: the address emails and printouts give unless SITE_URL says otherwise
# (in the environment or .env).
LISTEN_URL = http://$(HOST):$(PORT)

.PHONY: run serve test check lint format install clean messages compilemessages bench bench-alerts \
	lighthouse

# The quick start: DEBUG=1 is given here, on the command line; .env holds only the secret key.
run: $(STAMP) .env compilemessages
	@# Older versions wrote DEBUG=1 in .env: it goes (portable, unlike sed -i).
	@$(BIN)/python -c "import pathlib; p = pathlib.Path('.env'); \
		p.write_text(''.join(l for l in p.read_text().splitlines(True) if not l.startswith('DEBUG=')))"
	$(BIN)/python manage.py migrate --noinput
	LISTEN_URL=$(LISTEN_URL) $(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_admin
	DEBUG=1 LISTEN_URL=$(LISTEN_URL) $(BIN)/python manage.py run_quickstart $(HOST):$(PORT)

serve: $(STAMP) compilemessages
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py render_bodies --outdated
	$(SERVE_ENV) $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

test: $(STAMP) compilemessages
	$(BIN)/pytest -n $(TEST_WORKERS)

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
	$(BIN)/pybabel compile --domain="django djangojs" --directory=locale --statistics

# Extract every marked string into each language's catalogue, then compile. Extraction uses
# Django's makemessages, which needs GNU gettext (apt-get install gettext): a maintainer's
# tool. Its options are the project's makemessages (newsroom/management/commands/), which
# tests/test_message_extraction.py runs too. To add a language: mkdir -p
# locale/<code>/LC_MESSAGES, then run this (see docs/).
messages: $(STAMP)
	SECRET_KEY=messages $(BIN)/python manage.py makemessages --all
	SECRET_KEY=messages $(BIN)/python manage.py makemessages --domain=djangojs --all
	$(MAKE) compilemessages

# The production server at 100,000 releases: uncached against plain Django, under load, at a
# go-live, and behind nginx (bench/run.py; BENCH_COUNT=… to change).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Lighthouse on every public page kind, English and French, phone and desktop (needs npm and
# Debian's Chromium); the table goes to bench/results/lighthouse.md.
lighthouse: $(STAMP) compilemessages
	$(BIN)/python bench/lighthouse.py

# Email alerts: 100,000 subscribers through RQ workers (1, 2, 4) to an SMTP sink (bench/alerts.py).
bench-alerts: $(STAMP)
	$(BIN)/python bench/alerts.py

# The virtualenv is (re)built when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The quick start's secret key (never DEBUG: settings refuse DEBUG=1 from .env alone).
.env:
	printf 'SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
