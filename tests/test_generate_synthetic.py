"""generate_synthetic adds marked records and never changes real ones."""

import pytest
from django.core.management import CommandError, call_command

from articles import models as m

pytestmark = pytest.mark.django_db

REAL_MODELS = [m.CaseStudy, m.SuccessFactor, m.Challenge, m.Concept, m.Strategy, m.CaseFactor, m.Lesson]


def real_rows():
    return {
        model.__name__: list(model.objects.exclude(**_synthetic(model)).order_by("pk").values())
        for model in REAL_MODELS
    }


def _synthetic(model):
    if model in (m.CaseFactor, m.Lesson):
        return {"case__slug__startswith": "synthetic-"}
    return {"slug__startswith": "synthetic-"}


def test_creates_cases_with_factors_lessons_and_tags_without_touching_real_records():
    before = real_rows()
    call_command("generate_synthetic", cases=25, verbosity=0)
    synthetic = m.CaseStudy.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 25
    case = synthetic.first()
    assert case.case_factors.count() == 3
    assert case.lessons.count() == 2
    assert case.tags.count() == 3
    assert real_rows() == before
    call_command("generate_synthetic", remove=True, verbosity=0)
    assert not m.CaseStudy.objects.filter(slug__startswith="synthetic-").exists()
    assert real_rows() == before


def test_rejects_bad_sizes():
    with pytest.raises(CommandError):
        call_command("generate_synthetic", cases=0)


def test_synthetic_cases_are_indexed_as_a_save_would_index_them():
    from articles import models as m
    from articles import search_index
    from articles.kinds import KINDS_BY_MODEL

    call_command("generate_synthetic", cases=3, verbosity=0)
    kind = KINDS_BY_MODEL[m.CaseStudy]
    for case in m.CaseStudy.objects.filter(slug__startswith="synthetic-"):
        written = m.SearchEntry.objects.get(kind="cases", record_id=case.pk).tokens
        assert set(written.split()) == set(search_index.tokenize(search_index.document(kind, case)).split())
