"""Shared fixtures: the seed content is loaded once per test session.

Tests that use the ``db`` fixture run inside a transaction on top of that
content. Tests that need real transactions (``transactional_db``,
``live_server``) flush the database afterwards, so they load the content
themselves through ``seeded_live_server``; pytest-django runs them last.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_kb", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    client.user = user
    return client
