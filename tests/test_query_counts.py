"""Every page runs a fixed number of queries, with the test data and with 500+ more cases."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from articles import models as m
from tests.helpers import body

pytestmark = pytest.mark.django_db

# Ceiling per page (what each page runs today); the same ceiling must hold at both data sizes.
PAGES = {
    "/": 14,
    "/cases/": 4,
    "/cases/?factor=strong-team&factor=open-collaboration&tag=nlp": 4,
    "/cases/?outcome=listed&outcome=operating&region=china&layer=foundation": 4,
    "/cases/?page=2": 4,
    "/cases/?c=openai-gpt3&c=baidu-paddle-ernie": 5,
    "/self-check/": 1,
    "/self-check/?check=1&region=china&layer=foundation&access=api&factor=strong-team"
    "&challenge=data-privacy-security&challenge=compute-demand": 10,
    "/compare/?c=openai-gpt3&c=baidu-paddle-ernie": 9,
    "/insights/": 5,
    "/insights/timeline/?outcome=operating&outcome=listed": 3,
    "/cases/openai-gpt3/": 9,
    "/factors/": 2,
    "/factors/strong-team/": 4,
    "/challenges/": 3,
    "/challenges/data-privacy-security/": 9,
    "/strategies/": 3,
    "/strategies/data-encryption/": 4,
    "/concepts/": 2,
    "/concepts/transformer/": 5,
    "/timeline/": 4,
    "/timeline/?year=2020": 5,
    "/advantages/": 2,
    "/advantages/technical-breakthrough/": 2,
    "/trends/": 4,
    "/trends/larger-models/": 4,
    "/advice/": 3,
    "/faq/": 2,
    "/resources/": 4,
    "/resources/?kind=paper&tag=nlp": 4,
    "/tags/": 1,
    "/tags/nlp/": 5,
    "/search/?q=隐私": 21,  # with the content version the synonym table is kept by
    "/search/?q=案例&type=cases": 4,
    "/open-data/": 0,
    "/feeds/": 10,
    "/feeds/cases/": 1,
    "/feeds/tags/nlp/": 11,
    "/feeds/challenges/data-privacy-security/": 4,
    "/sitemap.xml": 28,
    "/sitemap-cases.xml": 1,
    "/sitemap-pages.xml": 1,
    "/robots.txt": 0,
    "/changes/": 3,
    "/history/case/openai-gpt3/": 4,
    "/feeds/changes/": 2,
    "/report/?about=case/openai-gpt3": 1,
    "/report/thanks/": 0,
    "/cases/export.csv?region=china": 9,
    "/cases/export.csv": 9,
    "/cases/export.json?outcome=listed": 22,
    "/open-data/knowledge-base.json": 32,
    "/api/cases/": 9,
    "/api/cases/?outcome=operating&factor=strong-team": 9,
    "/api/cases/openai-gpt3/": 8,
    "/api/challenges/": 4,
    "/api/resources/?kind=paper": 4,
    "/api/search/?q=隐私": 12,
    "/api/search/?q=隐私&type=cases": 4,
}


def slugs_exist():
    """Guard against a page silently becoming a 404 (which runs fewer queries)."""
    assert m.Advantage.objects.filter(slug="technical-breakthrough").exists()
    assert m.Trend.objects.filter(slug="larger-models").exists()


# A faceted list's first request after a change builds its in-memory index (articles/facet_index.py):
# a fixed number of queries too, whatever the number of records.
# Built once per content version: the case list's index reads one query per facet (sector and
# customers included) and the ordering; search reads the synonym table.
INDEX_BUILD = {"/cases/": 17, "/resources/": 8, "/search/?q=隐私": 22}


def check_pages(client, django_assert_max_num_queries):
    # Content types are cached once per process, not per request.
    ContentType.objects.get_for_models(*apps.get_app_config("articles").get_models())
    for url, ceiling in INDEX_BUILD.items():
        with django_assert_max_num_queries(ceiling, info=f"{url} (index build)"):
            assert client.get(url).status_code == 200
    for url, ceiling in PAGES.items():
        with django_assert_max_num_queries(ceiling, info=url):
            response = client.get(url)
            body(response)  # a download's rows are read while it streams
        assert response.status_code == 200, url


def test_query_counts_with_the_test_data(client, django_assert_max_num_queries):
    slugs_exist()
    check_pages(client, django_assert_max_num_queries)


def test_query_counts_with_500_more_cases(client, django_assert_max_num_queries):
    call_command("generate_synthetic", cases=520, verbosity=0)
    assert m.CaseStudy.objects.count() == 523
    check_pages(client, django_assert_max_num_queries)
