"""Settings for the test suite: the real settings, with test-only shortcuts."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")

from kb.settings import *  # noqa: F403

# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]

# django-axes breaks client.login() unless disabled; tests/test_security.py turns it on.
AXES_ENABLED = False
# Tests talk plain HTTP to the test client and live_server.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# Code tests look at freshly rendered pages (and their query counts); tests/test_pagecache.py
# turns the page cache on to test it.
PAGE_CACHE_ENABLED = False
