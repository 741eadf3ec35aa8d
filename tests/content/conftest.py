"""Content tests check the shipped knowledge base in fixtures/, not the code.

For this package the test data is set aside and the shipped fixtures are loaded
instead, inside a transaction that is rolled back when the package is done, so
the code tests elsewhere still see only their own data.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from taggit.models import Tag

from articles.kinds import KINDS


@pytest.fixture(scope="package", autouse=True)
def shipped_content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for kind in KINDS:
            kind.model.objects.all().delete()
        Tag.objects.all().delete()
        call_command("load_kb", verbosity=0)
        yield
        transaction.set_rollback(True)
