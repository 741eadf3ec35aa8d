"""The registry of record kinds is complete: every kind is reachable, searchable, exported and versioned."""

import json

import pytest
import reversion
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from articles import models as m
from articles.kb_io import TAGS_FILE
from articles.kinds import KINDS, child_models, kind_of, load_order, navigation_items

from .helpers import hrefs

pytestmark = pytest.mark.django_db

PARAMS = pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)


def test_every_record_model_of_the_app_is_a_kind():
    entry_models = {
        model
        for model in apps.get_app_config("articles").get_models()
        if issubclass(model, m.Entry) and not model._meta.proxy  # the review queue is a page
    }
    assert entry_models == {kind.model for kind in KINDS}
    assert len({kind.key for kind in KINDS}) == len(KINDS)
    assert len({kind.fixture for kind in KINDS}) == len(KINDS)


def test_every_other_model_of_the_app_is_a_versioned_child_row():
    others = {
        model for model in apps.get_app_config("articles").get_models() if not issubclass(model, m.Entry)
    }
    # The synonym table is search's own vocabulary, not a record's row; it is content all the same
    # (an edit changes the content version, tests/test_search_synonyms.py).
    assert others == {*child_models(), m.ContentVersion, m.SearchEntry, m.ReaderReport, m.SynonymGroup}


def test_load_order_puts_every_kind_after_what_it_refers_to():
    order = load_order()
    assert sorted(kind.key for kind in order) == sorted(kind.key for kind in KINDS)
    loaded = set()
    for kind in order:
        assert kind.dependencies <= loaded, kind.key
        loaded.add(kind.model)


@PARAMS
def test_kind_is_in_the_navigation_and_on_the_home_page(client, kind):
    assert (kind.list_url_name, kind.label) in navigation_items()
    response = client.get("/")
    list_url = reverse(kind.list_url_name)
    nav = [item["url"] for item in response.context["navigation"]]
    assert list_url in nav
    assert kind in [section for section, _count in response.context["sections"]]
    assert f"{list_url}" in hrefs(response.content.decode())


@PARAMS
def test_kind_list_and_detail_pages_answer_with_breadcrumbs(client, kind):
    record = kind.model.objects.order_by("position").first()
    assert record is not None, f"tests/data/kb has no {kind.key}"
    assert kind_of(record) is kind
    assert client.get(reverse(kind.list_url_name)).status_code == 200
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    assert response.context["breadcrumbs"] == [(kind.label, kind.list_url_name)]
    assert record.title in response.content.decode()


@PARAMS
def test_kind_is_searchable_by_title(client, kind):
    record = kind.model.objects.order_by("position").first()
    response = client.get(reverse("articles:search"), {"q": record.title[:20], "type": kind.key})
    assert record in response.context["results"]


@PARAMS
def test_kind_is_exported_in_its_own_file(tmp_path, kind):
    call_command("export_kb", str(tmp_path), verbosity=0)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [TAGS_FILE, *(k.fixture for k in KINDS)]
    )
    exported = json.loads((tmp_path / kind.fixture).read_text(encoding="utf-8"))
    assert {record["slug"] for record in exported} == set(kind.model.objects.values_list("slug", flat=True))


@PARAMS
def test_kind_is_versioned_with_its_tags_and_child_rows(kind):
    assert reversion.is_registered(kind.model)
    options = reversion.revisions._get_options(kind.model)
    assert set(options.follow) == {"tagged_items", *kind.versioned_children}
    assert kind.model in admin.site._registry
