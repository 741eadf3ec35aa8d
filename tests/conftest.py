"""Shared fixtures. Code tests run on their own small knowledge base, never on the shipped one.

``tests/data/kb/`` is a small, hand-written knowledge base in the fixture format
(three cases, three challenges, five factors …); it is loaded once per test
session, and the code tests assert exact results on it. Adding records to
``fixtures/`` therefore changes no code test. The shipped content is checked by
the tests in ``tests/content/``, which load it themselves.

Tests that use the ``db`` fixture run inside a transaction on top of the test
data. Tests that need real transactions (``transactional_db``, ``live_server``)
flush the database afterwards, so they load it themselves (``load_test_kb``);
pytest-django runs them last.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles import facet_index

TEST_KB = Path(__file__).resolve().parent / "data" / "kb"


def load_test_kb():
    call_command("load_kb", str(TEST_KB), verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_test_kb()


@pytest.fixture(autouse=True)
def cold_facet_index():
    """Every test starts with no facet index built (``articles.facet_index._INDEXES``).

    The index is kept per process and keyed by the content version, and tests that change no
    content share one version: without this, a test that counts the queries of an index build
    would measure whatever an earlier test left behind.
    """
    with facet_index._LOCK:
        facet_index._INDEXES.clear()
    yield
    with facet_index._LOCK:
        facet_index._INDEXES.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty default cache: rendered cards and pages are keyed by the
    content version, which a rolled-back test gives back to the next one with other data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    client.user = user
    return client


def admin_form_data(response, **changes):
    """The POST data an editor's browser would send for an admin change/revert form as rendered."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "tags":
            tags = value if isinstance(value, list | tuple) else []
            value = ", ".join(f'"{getattr(tag, "name", tag)}"' for tag in tags) if tags else (value or "")
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[f"{formset.formset.prefix}-{index}-{name}"] = value
    data.update(changes)
    return data


def pytest_sessionfinish(session, exitstatus):
    """In CI (KB_REQUIRE_SERVICES=1) every test must run: a skipped test fails the run."""
    if os.environ.get("KB_REQUIRE_SERVICES") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"KB_REQUIRE_SERVICES=1: {len(skipped)} test(s) skipped; CI runs every test.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
