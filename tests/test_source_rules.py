"""Source addresses a reader can rely on: the rules, and where they are enforced (admin, load_kb)."""

import pytest
from django.utils import translation

from articles import models as m
from articles.source_rules import source_problems, url_problems

from .conftest import admin_form_data
from .helpers import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "url",
    [
        "https://openai.com/index/gpt-4-research/",
        "https://github.com/deepseek-ai/DeepSeek-V3/blob/v1.0.0/README.md",
        "https://github.com/openai/gpt-3/blob/d7a9bb505df6f630f9bab3b30c889e52f22eb9ea/README.md",
        "https://huggingface.co/Qwen/Qwen2.5-7B/blob/a09a35458c702b33eeacc393d103063234e8bc28/README.md",
        "https://arxiv.org/abs/2005.14165",
        "https://www.sec.gov/Archives/edgar/data/1769628/000119312525067651/d899798d424b4.htm",
        "https://example.com/search?q=main&page=2",
    ],
)
def test_citable_addresses_pass(url):
    assert url_problems(url) == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.com/a?utm_source=x&utm_medium=y", "utm_medium, utm_source"),
        ("https://www.gadgets360.com/ai/news/x-8796899?from=app", "from"),
        ("https://example.com/a?id=3&ref=homepage", "ref"),
        ("https://example.com/a?sh=1a2b", "sh"),
        ("https://example.com/a?outputType=amp", "outputType"),
        ("https://github.com/PaddlePaddle/Paddle/blob/HEAD/README.md", "tag or commit"),
        ("https://github.com/langgenius/dify/tree/main", "tag or commit"),
        ("https://raw.githubusercontent.com/openai/gpt-3/master/README.md", "tag or commit"),
        ("https://huggingface.co/deepseek-ai/DeepSeek-R1/blob/main/README.md", "tag or commit"),
        ("https://ar5iv.labs.arxiv.org/html/2005.14165", "arxiv.org"),
    ],
)
def test_tracking_moving_and_mirrored_addresses_are_refused(url, problem):
    problems = url_problems(url)
    assert len(problems) == 1 and problem in problems[0], problems


def test_a_repost_site_must_say_whose_article_it_is():
    url = "http://yndtjj.com/caijing/20230317/1743810.html"
    assert len(source_problems("百度发布文心一言", "某网站", url)) == 1
    assert source_problems("百度发布文心一言（转载自澎湃新闻）", "某网站", url) == []
    assert source_problems("Baidu launches Ernie", "Example (via Reuters)", url) == []
    # The original publisher needs no label.
    assert (
        source_problems("百度发布文心一言", "澎湃新闻", "https://www.thepaper.cn/newsDetail_forward_1") == []
    )


def test_the_admin_refuses_a_source_with_a_tracking_parameter(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    before = list(case.sources.values_list("url", flat=True))
    response = staff_client.get(admin_url(m.CaseStudy, "change", case.pk))
    data = admin_form_data(response)
    row = int(data["sources-TOTAL_FORMS"])
    data.update(
        {
            "sources-TOTAL_FORMS": row + 1,
            f"sources-{row}-title": "A new source",
            f"sources-{row}-url": "https://news.example.com/a?utm_source=newsletter",
            f"sources-{row}-kind": "secondary",
            f"sources-{row}-position": row + 1,
        }
    )
    response = staff_client.post(admin_url(m.CaseStudy, "change", case.pk), data)
    assert response.status_code == 200
    assert "utm_source" in response.content.decode()
    assert list(case.sources.values_list("url", flat=True)) == before


def test_an_older_row_does_not_stop_an_editor_fixing_something_else(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    m.Source.objects.filter(case=case, position=1).update(
        url="https://github.com/openai/gpt-3/blob/HEAD/README.md"
    )
    response = staff_client.get(admin_url(m.CaseStudy, "change", case.pk))
    response = staff_client.post(
        admin_url(m.CaseStudy, "change", case.pk), admin_form_data(response, summary="新的摘要")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "新的摘要"


def test_the_source_page_refuses_an_unpinned_repository_link(staff_client):
    source = m.Source.objects.filter(case__slug="openai-gpt3").first()
    response = staff_client.get(admin_url(m.Source, "change", source.pk))
    data = admin_form_data(response, url="https://github.com/openai/gpt-3/blob/main/README.md")
    response = staff_client.post(admin_url(m.Source, "change", source.pk), data)
    assert response.status_code == 200
    assert "仓库链接请固定到某个标签或提交" in response.content.decode()
    source.refresh_from_db()
    assert "/blob/main/" not in source.url
