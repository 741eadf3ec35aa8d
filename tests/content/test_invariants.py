"""Invariants of the shipped knowledge base that hold however much content is added."""

import re

import pytest
from django.apps import apps
from django.db.models import Count, Q
from taggit.models import Tag

from articles import models as m
from articles.kinds import KINDS

pytestmark = pytest.mark.django_db


def test_every_challenge_has_strategies_that_say_how_they_apply():
    for challenge in m.Challenge.objects.prefetch_related("mitigations"):
        mitigations = list(challenge.mitigations.all())
        assert mitigations, f"{challenge.slug} has no strategy"
        assert all(mitigation.how.strip() for mitigation in mitigations), challenge.slug


def test_every_strategy_mitigates_a_challenge():
    assert list(m.Strategy.objects.filter(challenges=None).values_list("slug", flat=True)) == []


def test_every_case_has_factors_each_with_its_own_explanation():
    for case in m.CaseStudy.objects.prefetch_related("case_factors"):
        factors = list(case.case_factors.all())
        assert factors, f"{case.slug} has no success factor"
        assert all(row.explanation.strip() for row in factors), case.slug


def test_every_lesson_says_something():
    assert not m.Lesson.objects.filter(Q(title="") | Q(body="")).exists()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_record_has_a_title_summary_and_no_blank_editor_note(kind):
    for record in kind.model.objects.all():
        assert record.title.strip() and record.summary.strip(), record.slug
        # An editor's note is either absent or says something.
        assert record.editor_note == "" or len(record.editor_note.strip()) >= 10, record.slug


def test_tags_have_ascii_slugs_and_are_used():
    unused = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).filter(n=0)
    assert list(unused.values_list("name", flat=True)) == []
    assert all(tag.slug.isascii() for tag in Tag.objects.all())


def test_every_model_of_the_app_is_a_kind_or_a_child_row():
    entry_models = {
        model for model in apps.get_app_config("articles").get_models() if issubclass(model, m.Entry)
    }
    assert entry_models == {kind.model for kind in KINDS}


def test_every_internal_link_resolves(client):
    """Crawl every page reachable from the home page; follow links only from pages without a query."""
    seen, queue, broken = set(), ["/"], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if "?" in url:
            continue
        for href in re.findall(r'href="([^"#]*)', response.content.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith(("/static/", "/admin/")):
                queue.append(href)
    assert not broken
    # Every record's page was reached.
    for kind in KINDS:
        for record in kind.model.objects.all():
            assert record.get_absolute_url() in seen, record.slug
