"""The case library: real companies, each with outcome, layer, region, factors and sources.

Invariants that hold however many cases are added; the thresholds are the floor the
library must not fall below.
"""

import re

import pytest
from django.db.models import Count, Q

from articles import models as m
from articles import search
from articles.kinds import KINDS_BY_KEY

pytestmark = pytest.mark.django_db

Outcome = m.CaseStudy.Outcome


def real_cases():
    return m.CaseStudy.objects.exclude(outcome=Outcome.ILLUSTRATIVE).exclude(source="synthetic")


def test_at_least_36_real_cases_about_half_chinese_with_8_that_did_not_simply_keep_operating():
    cases = real_cases()
    assert cases.count() >= 36
    chinese = cases.filter(region=m.CaseStudy.Region.CHINA).count()
    assert 0.4 <= chinese / cases.count() <= 0.6
    assert cases.exclude(outcome=Outcome.OPERATING).count() >= 8
    assert cases.filter(outcome__in=[Outcome.PIVOTED, Outcome.ACQUIRED, Outcome.SHUT_DOWN]).count() >= 8


def test_the_invented_case_is_labelled_and_the_only_one():
    assert list(m.CaseStudy.objects.filter(outcome=Outcome.ILLUSTRATIVE).values_list("slug", flat=True)) == [
        "company-x-image-recognition"
    ]


def test_every_real_case_has_outcome_layer_region_and_last_verified_date():
    for case in real_cases():
        assert case.outcome and case.layer and case.region and case.access, case.slug
        assert case.last_verified, case.slug
        assert case.organisation and case.founded_year, case.slug
        if case.outcome != Outcome.OPERATING:
            assert case.outcome_date and case.outcome_note, case.slug


def test_every_real_case_has_two_sources_with_web_addresses():
    for case in real_cases().prefetch_related("sources"):
        sources = list(case.sources.all())
        assert len(sources) >= 2, case.slug
        assert all(re.match(r"^https?://[^\s/]+\.[^\s]+$", source.url) for source in sources), case.slug
        assert [source.position for source in sources] == list(range(1, len(sources) + 1)), case.slug


def test_most_real_cases_cite_a_primary_source():
    cases = real_cases().annotate(primary=Count("sources", filter=Q(sources__kind="primary")))
    with_primary = cases.filter(primary__gt=0).count()
    assert with_primary >= 0.75 * cases.count()


def test_every_real_case_has_two_factors_with_explanations_and_a_lesson():
    for case in real_cases().prefetch_related("case_factors", "lessons"):
        factors = list(case.case_factors.all())
        assert len(factors) >= 2, case.slug
        assert all(len(row.explanation) >= 10 for row in factors), case.slug
        assert case.lessons.all(), case.slug


def test_every_key_figure_and_milestone_has_a_date_and_a_source_the_case_has():
    for case in real_cases().prefetch_related("sources", "key_figures", "milestones"):
        assert case.integrity_problems() == [], case.slug
        for figure in case.key_figures.all():
            assert figure.as_of and figure.source, (case.slug, figure.label)
        milestones = list(case.milestones.all())
        assert milestones, case.slug
        for milestone in milestones:
            assert milestone.date and milestone.source, (case.slug, milestone.title)


def test_every_challenge_has_two_strategies_and_two_real_cases():
    for challenge in m.Challenge.objects.all():
        assert challenge.mitigations.count() >= 2, challenge.slug
        cases = real_cases().filter(lessons__challenge=challenge).distinct().count()
        assert cases >= 2, challenge.slug


def test_every_success_factor_is_used_by_a_real_case():
    unused = m.SuccessFactor.objects.exclude(case_factors__case__in=real_cases())
    assert list(unused.values_list("slug", flat=True)) == []


def test_every_case_can_be_found_by_each_of_its_other_names():
    """Search (the same matching the search page runs, every page of it) finds a case by each of
    its other names: founders, products, former names, both spellings."""
    cases = KINDS_BY_KEY["cases"]
    unfound = []
    for case in real_cases():
        names = [name.strip() for name in case.aliases.splitlines() if name.strip()]
        for name in names:
            if not search.matching(cases, name.split()).filter(pk=case.pk).exists():
                unfound.append((case.slug, name))
    assert unfound == []
