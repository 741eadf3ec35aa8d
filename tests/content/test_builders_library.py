"""The case library serves founders who build on models: its shape, its sources, its freshness.

Every threshold is a floor the shipped library must not fall below; adding or rewording a
case keeps these green as long as it follows the rules.
"""

import datetime
import re

import pytest
from django.db.models import Count, Q
from django.utils import translation

from articles import models as m
from articles.founder import Profile, rank_similar
from articles.listings import case_index
from articles.source_rules import source_problems

pytestmark = pytest.mark.django_db

Case = m.CaseStudy
Outcome, Layer, Region = Case.Outcome, Case.Layer, Case.Region

# The day the shipped cases were last re-read against their sources: no case may claim an
# older check (a later check moves it forward, never back).
LIBRARY_RECHECKED_ON = datetime.date(2026, 12, 4)

GROUPS = {
    "application": Q(layer=Layer.APPLICATION),
    "infrastructure or platform": Q(layer__in=[Layer.INFRASTRUCTURE, Layer.PLATFORM]),
    "shut down": Q(outcome=Outcome.SHUT_DOWN),
}
FLOORS = {"application": 30, "infrastructure or platform": 8, "shut down": 6}


def real_cases():
    return Case.objects.exclude(outcome=Outcome.ILLUSTRATIVE).exclude(source="synthetic")


def test_at_least_80_real_cases_and_40_percent_chinese():
    cases = real_cases()
    total = cases.count()
    assert total >= 80
    assert cases.filter(region=Region.CHINA).count() >= 0.4 * total


@pytest.mark.parametrize("group", list(GROUPS))
def test_each_group_has_its_floor_and_chinese_companies(group):
    cases = real_cases().filter(GROUPS[group])
    assert cases.count() >= FLOORS[group], group
    assert cases.filter(region=Region.CHINA).exists(), f"no Chinese company among {group}"


def test_shut_downs_say_when_and_what_was_left():
    for case in real_cases().filter(outcome=Outcome.SHUT_DOWN):
        assert case.outcome_date, case.slug
        assert len(case.outcome_note) >= 20, case.slug


def test_every_case_was_checked_on_or_after_the_library_recheck():
    stale = real_cases().filter(Q(last_verified__lt=LIBRARY_RECHECKED_ON) | Q(last_verified=None))
    assert list(stale.values_list("slug", flat=True)) == []


def test_changing_figures_carry_an_as_of_date_and_operating_cases_say_as_of_when():
    for case in real_cases().prefetch_related("key_figures"):
        assert all(figure.as_of for figure in case.key_figures.all()), case.slug
        if case.outcome == Outcome.OPERATING:
            assert "截至" in case.outcome_note, case.slug


def test_every_source_address_follows_the_rules():
    with translation.override("en"):
        problems = [
            (source.case.slug, source.position, source.url, problem)
            for source in m.Source.objects.filter(case__in=real_cases()).select_related("case")
            for problem in source_problems(source.title, source.publisher, source.url)
        ]
    assert problems == []


def test_every_case_cites_a_primary_source():
    cases = real_cases().annotate(primary=Count("sources", filter=Q(sources__kind=m.Source.Kind.PRIMARY)))
    assert list(cases.filter(primary=0).values_list("slug", flat=True)) == []


def test_every_source_of_a_case_is_cited_for_something():
    """A source no sentence, milestone or figure cites is either padding or cited for nothing."""
    for case in real_cases().prefetch_related(
        "sources", "milestones", "key_figures", "lessons", "case_factors"
    ):
        text = " ".join(
            [
                case.body,
                case.disagreements,
                case.outcome_note,
                *(lesson.body for lesson in case.lessons.all()),
                *(row.explanation for row in case.case_factors.all()),
            ]
        )
        cited = {int(n) for n in re.findall(r"\[(\d{1,3})\]", text)}
        cited |= {row.source for row in (*case.milestones.all(), *case.key_figures.all()) if row.source}
        uncited = [source.position for source in case.sources.all() if source.position not in cited]
        assert uncited == [], case.slug


def test_every_success_factor_is_shared_by_at_least_three_real_cases():
    counts = m.SuccessFactor.objects.annotate(
        n=Count("case_factors__case", filter=Q(case_factors__case__in=real_cases()), distinct=True)
    )
    assert {f.slug: f.n for f in counts if f.n < 3} == {}


def test_factors_the_editors_added_are_defined_and_marked_as_theirs():
    """The article's factors cite its section; the editors' own have no section and say what they mean."""
    for factor in m.SuccessFactor.objects.filter(source=""):
        assert len(factor.summary) >= 20 and len(factor.body) >= 60, factor.slug


def test_the_self_check_for_a_chinese_application_company_finds_application_companies(rf):
    profile = Profile(region=Region.CHINA, layer=Layer.APPLICATION, access=Case.Access.PRODUCT)
    index = case_index(rf.get("/"))
    ids = [pk for pk, _score in rank_similar(index, profile)]
    similar = Case.objects.filter(pk__in=ids)
    assert len(ids) == 6
    assert all(case.layer == Layer.APPLICATION for case in similar)
    assert sum(case.region == Region.CHINA for case in similar) >= 4


def test_every_real_case_has_a_sector_and_customers():
    missing = [case.slug for case in real_cases() if not case.sectors or not case.customers]
    assert missing == []


def test_the_sector_and_customer_vocabularies_are_used_by_the_library():
    """Every sector and customer type has cases to show (an empty facet value is a dead end)."""
    used_sectors = {s for case in real_cases() for s in case.sectors}
    used_customers = {c for case in real_cases() for c in case.customers}
    assert set(Case.Sector.values) - used_sectors == set()
    assert set(Case.Customer.values) - used_customers == set()
