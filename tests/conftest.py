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
