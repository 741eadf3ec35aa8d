"""Production settings, headers, CSP, admin lockout, CSRF, cache and health."""

import importlib
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

import kb.urls

from .services import REDIS_URL, require_service

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "kb.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kb.example.com",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
}


def run_python(*args, env=None, cwd=BASE_DIR):
    """Run Python in a fresh process without this process's DJANGO_* and DATABASE_* settings."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args, env=None):
    return run_python("manage.py", *args, env={**(env or {}), "DJANGO_SETTINGS_MODULE": "kb.settings"})


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    # The web server's entry point: it never falls back to the local development key file.
    result = run_python(
        "-c", "import kb.wsgi", env={"DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "kb.settings"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_manage_py_reports_missing_settings_clearly(tmp_path):
    # A checkout without the local key (e.g. a fresh clone before `make`): a clear message.
    (tmp_path / "manage.py").write_text((BASE_DIR / "manage.py").read_text())
    result = run_python(
        "manage.py", "check", env={"DJANGO_DEBUG": "0", "PYTHONPATH": str(BASE_DIR)}, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "manage.py: DJANGO_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_cache_is_redis_when_configured_and_works_for_real():
    redis = urlsplit(REDIS_URL)
    require_service("Redis", redis.hostname, redis.port or 6379)
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.cache import cache;"
        "print(settings.CACHES['default']['BACKEND']);"
        "cache.set('kb-probe', '缓存', 30); print(cache.get('kb-probe'));"
        "print(settings.SESSION_ENGINE)"
    )
    env = {
        "DJANGO_DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "DJANGO_SETTINGS_MODULE": "kb.settings",
    }
    result = run_python("-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "articles.cache.ResilientRedisCache",
        "缓存",
        "django.contrib.sessions.backends.cached_db",
    ]
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")  # without REDIS_URL


def test_security_headers_and_csp(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


def test_templates_have_no_inline_script_or_style():
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # Scripts only from files (the API documentation page loads Swagger UI's), never inline.
        assert re.findall(r"<script(?![^>]*\bsrc=)", text) == [], path
        assert re.findall(r"<script[^>]*>[^<]+</script>", text) == [], path
        assert "<style" not in text, path
        assert " style=" not in text, path
        assert not any(f" on{event}=" in text for event in ("click", "load", "error", "submit")), path


def test_health_answers_200_or_503(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "not configured"}
    with mock.patch("articles.views.operations.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_csrf_is_enforced_on_every_form():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("admin:login"), {"username": "a", "password": "b"}).status_code == 403
    user = get_user_model().objects.create_user("staff", password="a-long-test-password", is_staff=True)
    user.is_superuser = True
    user.save()
    client.force_login(user)
    response = client.post(reverse("admin:articles_faq_add"), {"title": "x", "slug": "x"})
    assert response.status_code == 403


def test_admin_url_is_configurable():
    try:
        with override_settings(ADMIN_URL="backstage-7f3/"):
            importlib.reload(kb.urls)
            clear_url_caches()
            assert reverse("admin:index") == "/backstage-7f3/"
            assert Client().get("/backstage-7f3/").status_code == 302
            assert Client().get("/admin/").status_code == 404
    finally:
        importlib.reload(kb.urls)
        clear_url_caches()
    assert reverse("admin:index") == "/admin/"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=timedelta(hours=1))
def test_admin_login_locks_out_after_five_failures_for_the_cooloff_time():
    from axes.models import AccessAttempt

    clock = time_machine.travel("2026-03-01 09:00 +0000", tick=False)
    traveller = clock.start()
    get_user_model().objects.create_user(
        "editor", password="the-right-password-123", is_staff=True, is_superuser=True
    )
    client = Client()
    url = reverse("admin:login")
    for attempt in range(5):
        response = client.post(url, {"username": "editor", "password": f"wrong-{attempt}"})
        assert response.status_code in (200, 429), attempt
    # Locked out now, even with the right password.
    response = client.post(url, {"username": "editor", "password": "the-right-password-123"})
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="editor").exists()
    # The same user from another address is not locked (IP + user pair).
    other = Client(REMOTE_ADDR="10.9.8.7")
    response = other.post(
        url, {"username": "editor", "password": "the-right-password-123", "next": "/admin/"}
    )
    assert response.status_code == 302
    # Still locked just before the cool-off time ends (a try while locked counts as a failure,
    # so the hour starts again from it); open again once the hour has passed.
    traveller.shift(timedelta(minutes=59))
    response = client.post(url, {"username": "editor", "password": "the-right-password-123"})
    assert response.status_code == 429
    traveller.shift(timedelta(minutes=61))
    response = client.post(
        url, {"username": "editor", "password": "the-right-password-123", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    clock.stop()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own word, ignored
        (1, "203.0.113.9", "203.0.113.9"),  # one proxy appended the client's address
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # a forged entry to the left is not trusted
        (2, "1.2.3.4, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (1, "not-an-ip", "10.0.0.1"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: fall back to the connection
    ],
)
def test_lockout_address_behind_proxies(rf, proxies, forwarded, expected):
    from axes.helpers import get_client_ip_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert get_client_ip_address(request) == expected
