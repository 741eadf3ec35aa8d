"""export_kb writes what load_kb reads: a full round trip is byte-identical."""

import pytest
from django.core.management import call_command
from taggit.models import Tag, TaggedItem

from articles import models as m
from articles.kb_io import TAGS_FILE
from articles.kinds import KINDS

pytestmark = pytest.mark.django_db

KB_MODELS = [kind.model for kind in KINDS] + [Tag, TaggedItem]


def wipe():
    for model in KB_MODELS:
        model.objects.all().delete()
    assert not m.Mitigation.objects.exists() and not m.Lesson.objects.exists()


def read_all(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_round_trip_is_byte_identical_and_keeps_links_tags_and_timestamps(tmp_path, staff_client):
    # An edit gives one record a fresh timestamp with microseconds.
    faq = m.FAQ.objects.get(slug="faq-main-challenges")
    faq.summary = "编辑过的回答"
    faq.save()
    faq.tags.add("新标签")
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_kb", str(first), verbosity=0)
    exported = read_all(first)
    assert set(exported) == {TAGS_FILE, *(kind.fixture for kind in KINDS)}

    wipe()
    call_command("load_kb", str(first), verbosity=0)
    call_command("export_kb", str(second), verbosity=0)
    assert read_all(second) == exported

    restored = m.FAQ.objects.get(slug="faq-main-challenges")
    assert restored.summary == "编辑过的回答"
    assert restored.updated == faq.updated and restored.created == faq.created
    assert "新标签" in {tag.name for tag in restored.tags.all()}
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    assert case.case_factors.count() == 3
    assert case.lessons.get(title="数据隐私问题").challenge.slug == "data-privacy-security"


def test_export_of_the_seed_reloads_into_the_same_content(tmp_path):
    call_command("export_kb", str(tmp_path), verbosity=0)
    counts = {model: model.objects.count() for model in (*KB_MODELS, m.Mitigation, m.CaseFactor, m.Lesson)}
    wipe()
    call_command("load_kb", str(tmp_path), verbosity=0)
    assert {model: model.objects.count() for model in counts} == counts
