# Two commands for a fresh machine: `make run` and `make test` (see README.md).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local defaults: the site runs as in production (debug off, styled error pages), over plain
# HTTP on this machine, with a secret key generated once into .secret_key (git-ignored).
# Production sets these in its own environment (README, Operations).
export DJANGO_DEBUG ?= 0
ifndef DJANGO_SECRET_KEY
DJANGO_SECRET_KEY := $(shell cat .secret_key 2>/dev/null || $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' | tee .secret_key)
endif
export DJANGO_SECRET_KEY
export DJANGO_SECURE_SSL_REDIRECT ?= 0
export DJANGO_SECURE_COOKIES ?= 0
export DJANGO_SECURE_HSTS_SECONDS ?= 0

.PHONY: run serve install install-runtime migrate load static test lint format check pytest pytest-postgres messages compilemessages loadtest bench faults pagetimes clean

# Two sets of requirements, every version pinned: requirements.txt is what production runs
# (`make run` needs no more); requirements-dev.txt adds the tests, lint and benchmarks
# (`make install`, and every target that runs them). Each stamp is redone when its files change.
$(VENV)/.installed-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed

install-runtime: $(VENV)/.installed-runtime

migrate: install-runtime
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_kb

static: install-runtime
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: load static serve

serve:
	$(VENV)/bin/gunicorn kb.wsgi --config gunicorn.conf.py --bind 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

pytest: install
	@test -x /usr/bin/chromium || echo "NOTE: /usr/bin/chromium is missing, so the browser tests in tests/browser/ will be SKIPPED (apt-get install -y chromium fonts-noto-cjk to run them)."
	$(PY) -m pytest

test: lint check pytest

pytest-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(PY) -m pytest

# After changing interface strings: update locale/zh_Hans, translate, then compile (.mo is committed).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore .venv --ignore staticfiles

compilemessages: install
	$(PY) manage.py compilemessages --ignore .venv

# Bounded load test on loopback: 32 clients for 20 s against gunicorn (prints its figures).
loadtest: install
	bench/run_load.sh 32 20

# Throughput per page as a ratio to the stylesheet, seed size and 10,000 cases on SQLite
# (and 100,000 on PostgreSQL when DATABASE_URL points at one); needs wrk. See README.
# Measures rendering (page cache off); the page cache's hits are a second, labelled column group.
bench: install
	$(PY) bench/bench.py

# Fault drill: the site under load while Redis stops, hangs and returns, the database refuses,
# and a worker is killed (bench/faults.py). Every phase states the status it expects per URL
# (database down: cached pages 200, the others 503); exits non-zero on anything else.
faults: install
	$(PY) bench/faults.py

# Server time and query count per page against the configured database (reads only): rendering
# with the page cache off, and the page cache's hits as a second, labelled column group.
pagetimes: static
	$(PY) bench/page_times.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
