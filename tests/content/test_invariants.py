"""Invariants of the shipped knowledge base that hold however much content is added."""

import pytest
from django.db.models import Count, Q
from taggit.models import Tag

from articles import models as m
from articles.kinds import KINDS

from ..helpers import assert_every_record_reached, crawl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "rows", "text"),
    [(m.Challenge, "mitigations", "how"), (m.CaseStudy, "case_factors", "explanation")],
    ids=["challenge strategies say how they apply", "case factors have their explanation"],
)
def test_every_record_has_its_rows_each_with_its_own_text(model, rows, text):
    for record in model.objects.prefetch_related(rows):
        children = list(getattr(record, rows).all())
        assert children, f"{record.slug} has no {rows}"
        assert all(getattr(child, text).strip() for child in children), record.slug


def test_every_strategy_mitigates_a_challenge():
    assert list(m.Strategy.objects.filter(challenges=None).values_list("slug", flat=True)) == []


def test_every_lesson_says_something():
    assert not m.Lesson.objects.filter(Q(title="") | Q(body="")).exists()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_record_has_a_title_summary_and_no_blank_editor_note(kind):
    for record in kind.model.objects.all():
        assert record.title.strip() and record.summary.strip(), record.slug
        # An editor's note is either absent or says something.
        assert record.editor_note == "" or len(record.editor_note.strip()) >= 10, record.slug


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_a_text_that_points_to_the_editors_note_has_one(kind):
    """“见编者注” (see the editor's note) in a summary or body: the note is there."""
    pointing = kind.model.objects.filter(Q(summary__contains="见编者注") | Q(body__contains="见编者注"))
    assert list(pointing.filter(editor_note="").values_list("slug", flat=True)) == []


def test_tags_have_ascii_slugs_and_are_used():
    unused = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).filter(n=0)
    assert list(unused.values_list("name", flat=True)) == []
    assert all(tag.slug.isascii() for tag in Tag.objects.all())


def test_every_internal_link_resolves(client):
    seen, broken = crawl(client)
    assert broken == []
    assert_every_record_reached(seen)
