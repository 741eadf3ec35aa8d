#!/usr/bin/env bash
# Serve the site with gunicorn in production mode on a loopback port, run bench/load.py, stop.
# Usage: bench/run_load.sh [clients] [seconds]   (DATABASE_URL, GUNICORN_WORKERS honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${LOAD_PORT:-8765}"
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_SECURE_HSTS_SECONDS=0
export GUNICORN_ACCESS_LOG=""
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_kb -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn kb.wsgi --config gunicorn.conf.py --bind "127.0.0.1:$PORT" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
.venv/bin/python bench/load.py --url "http://127.0.0.1:$PORT" --clients "${1:-32}" --seconds "${2:-20}"
