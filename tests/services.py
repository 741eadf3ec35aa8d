"""Tests that need a real PostgreSQL or Redis: skipped with a reason where the service is missing.

On a laptop with nothing but Python, ``make test`` passes and pytest reports
why these were skipped. CI sets ``KB_REQUIRE_SERVICES=1`` (``.ci/run``), where a
missing service fails the test instead, and where no test may be skipped at all
(see ``pytest_sessionfinish`` in conftest.py).
"""

import os
import socket

import pytest

POSTGRES_URL = os.environ.get("KB_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KB_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def services_required():
    return os.environ.get("KB_REQUIRE_SERVICES") == "1"


def require_service(name, host, port):
    """Skip (or, in CI, fail) unless something answers on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError as exc:
        reason = f"{name} is not reachable at {host}:{port} ({exc}); start it to run this test"
    if services_required():
        pytest.fail(f"{reason} (required: KB_REQUIRE_SERVICES=1)")
    pytest.skip(reason)
