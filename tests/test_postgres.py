"""The same knowledge base on a real PostgreSQL as on SQLite: migrate, load, export, compare.

Runs in every ``make test`` where PostgreSQL answers (CI requires it); the whole
suite also runs on PostgreSQL in CI (``.ci/run``). Skipped with a reason elsewhere.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from .conftest import TEST_KB
from .services import POSTGRES_URL, require_service

pytestmark = pytest.mark.django_db

SCRATCH_DB = "kb_test_scratch"


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "kb.settings_test"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def read_all(directory):
    return {path.name: path.read_bytes() for path in sorted(Path(directory).iterdir())}


def test_postgres_holds_exactly_what_sqlite_holds(tmp_path):
    parts = urlsplit(POSTGRES_URL)
    require_service("PostgreSQL", parts.hostname, parts.port or 5432)
    import psycopg

    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
        connection.execute(f"CREATE DATABASE {SCRATCH_DB}")
    try:
        scratch_url = urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))
        manage("migrate", "--noinput", database_url=scratch_url)
        manage("load_kb", str(TEST_KB), database_url=scratch_url)
        manage("export_kb", str(tmp_path / "postgres"), database_url=scratch_url)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    call_command("export_kb", str(tmp_path / "here"), verbosity=0)
    assert read_all(tmp_path / "postgres") == read_all(tmp_path / "here")
