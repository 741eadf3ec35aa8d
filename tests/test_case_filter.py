"""Case studies filtered by success factor and tag: results, counts, chips, clear-all, bad values."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles import models as m

from .helpers import hrefs

pytestmark = pytest.mark.django_db

URL = reverse("articles:case-list")


def case_titles(response):
    return [case.title for case in response.context["object_list"]]


def facet(response, param):
    return {value.slug: value for f in response.context["facets"] if f.param == param for value in f.values}


def test_unfiltered_list_shows_all_three_cases(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert len(case_titles(response)) == 3
    counts = {slug: value.count for slug, value in facet(response, "factor").items()}
    assert counts["strong-team"] == 2
    assert counts["open-collaboration"] == 2
    assert counts["clear-positioning"] == 1
    assert "3 个案例" in response.content.decode()
    # Topics come most-used first.
    tag_counts = [value.count for value in facet(response, "tag").values()]
    assert tag_counts == sorted(tag_counts, reverse=True)


def test_filter_by_strong_team(client):
    response = client.get(URL, {"factor": "strong-team"})
    titles = case_titles(response)
    assert len(titles) == 2
    assert any("OpenAI" in t for t in titles)
    assert any("公司X" in t for t in titles)
    assert not any("百度" in t for t in titles)
    # Counts are computed within the current result.
    counts = {slug: value.count for slug, value in facet(response, "factor").items()}
    assert counts == {
        "strong-team": 2,
        "ample-compute": 1,
        "open-collaboration": 1,
        "deep-expertise": 0,
        "clear-positioning": 1,
    }
    assert facet(response, "factor")["strong-team"].selected


def test_two_factors_narrow_the_result(client):
    response = client.get(URL, {"factor": ["strong-team", "open-collaboration"]})
    titles = case_titles(response)
    assert len(titles) == 1 and "OpenAI" in titles[0]
    counts = {slug: value.count for slug, value in facet(response, "factor").items()}
    assert counts["strong-team"] == 1
    assert counts["clear-positioning"] == 0


def test_factor_and_tag_together(client):
    response = client.get(URL, {"factor": "strong-team", "tag": "nlp"})
    titles = case_titles(response)
    assert len(titles) == 1 and "OpenAI" in titles[0]
    response = client.get(URL, {"factor": "deep-expertise", "tag": "nlp"})
    assert len(case_titles(response)) == 1 and "百度" in case_titles(response)[0]


def test_chips_and_clear_all_links(client):
    response = client.get(URL, {"factor": ["strong-team", "open-collaboration"]})
    body = response.content.decode()
    chips = response.context["chips"]
    assert [(label, url) for _facet, label, url in chips] == [
        ("强大的技术团队", f"{URL}?factor=open-collaboration"),
        ("开放的合作生态", f"{URL}?factor=strong-team"),
    ]
    assert f"{URL}?factor=open-collaboration" in hrefs(body)
    assert re.search(rf'<a class="clear-all" href="{URL}">清除全部</a>', body)


def test_facet_values_are_plain_links_that_add_a_value(client):
    response = client.get(URL, {"factor": "strong-team"})
    value = facet(response, "factor")["clear-positioning"]
    assert value.url == f"{URL}?factor=strong-team&factor=clear-positioning"
    assert f"{URL}?factor=strong-team&factor=clear-positioning" in hrefs(response.content.decode())
    # A zero-count value is shown but not offered as a link.
    assert facet(response, "factor")["deep-expertise"].count == 0
    assert 'class="facet-value is-empty" data-facet="factor" data-value="deep-expertise"' in (
        response.content.decode()
    )


def test_unknown_values_are_reported_not_ignored(client):
    response = client.get(URL, {"factor": ["strong-team", "no-such-factor"], "tag": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "无法识别的成功因素“no-such-factor”" in body
    assert "无法识别的主题“nope”" in body
    assert len(case_titles(response)) == 2  # the known factor still applies
    assert f"{URL}?factor=strong-team" in hrefs(body)


def test_repeated_empty_and_overlong_values(client):
    response = client.get(URL, {"factor": ["strong-team", "strong-team", "", "  "]})
    assert len(case_titles(response)) == 2
    assert [label for _f, label, _u in response.context["chips"]] == ["强大的技术团队"]
    response = client.get(URL, {"factor": "x" * 5000})
    assert response.status_code == 200
    assert "无法识别" in response.content.decode()


def test_non_utf8_query_string_is_a_400_that_says_so(client):
    response = client.get(URL + "?factor=%FF%FE&tag=%C3%28")
    assert response.status_code == 400
    body = response.content.decode()
    assert "参数“factor”不是有效的 UTF-8 编码" in body
    assert 'class="site-nav"' in body  # in the site's style


def test_more_than_fifty_values_are_reported_not_dropped_silently(client):
    values = [f"v{i}" for i in range(60)] + ["strong-team"]
    response = client.get(URL, {"factor": values})
    body = response.content.decode()
    assert "成功因素的取值过多（61 个），只读取了前 50 个" in body
    assert "等另外 45 个" in body


def test_unknown_parameter_names_are_reported(client):
    response = client.get(URL, {"factors": "strong-team"})
    body = response.content.decode()
    assert "未知参数“factors”已被忽略" in body
    assert "成功因素 (factor)" in body
    assert len(case_titles(response)) == 3


def test_challenge_facet(client):
    response = client.get(URL, {"challenge": "data-privacy-security"})
    assert sorted(case_titles(response)) == ["OpenAI与GPT-3", "创业公司X与AI图像识别"]
    counts = {slug: value.count for slug, value in facet(response, "challenge").items()}
    assert counts["data-privacy-security"] == 2
    assert counts["compute-demand"] == 0
    response = client.get(URL, {"challenge": "data-privacy-security", "factor": "clear-positioning"})
    assert case_titles(response) == ["创业公司X与AI图像识别"]


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999", "1.5", "2"])
def test_bad_page_numbers_give_a_normal_page_and_say_so(client, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(case_titles(response)) == 3
    assert f"没有第“{page}”页，现显示第 1 页（共 1 页）" in response.content.decode()


def test_missing_or_first_page_needs_no_notice(client):
    for query in ({}, {"page": "1"}, {"page": ""}):
        assert "没有第" not in client.get(URL, query).content.decode()


def test_pagination_after_twenty_results(client):
    call_command("generate_synthetic", cases=30, verbosity=0)
    response = client.get(URL)
    assert len(case_titles(response)) == 20
    assert response.context["page_obj"].paginator.count == 33
    assert f"{URL}?page=2" in hrefs(response.content.decode())
    response = client.get(URL, {"page": 2})
    assert len(case_titles(response)) == 13
    response = client.get(URL, {"factor": "strong-team", "page": 999})
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages
    assert f"{URL}?factor=strong-team&amp;page=" in response.content.decode()


def counts_of(response, param):
    return {slug: value.count for slug, value in facet(response, param).items()}


def test_outcome_layer_region_and_access_facets_count_every_value(client):
    response = client.get(URL)
    assert counts_of(response, "outcome") == {
        "operating": 1,
        "pivoted": 0,
        "acquired": 0,
        "shut-down": 0,
        "deal-reversed": 0,
        "listed": 1,
        "illustrative": 1,
    }
    assert counts_of(response, "region") == {"china": 1, "overseas": 1}
    assert counts_of(response, "layer") == {
        "foundation": 2,
        "application": 0,
        "platform": 0,
        "infrastructure": 0,
    }
    assert counts_of(response, "access") == {"open-weights": 1, "api": 1, "product": 0}


def test_best_documented_real_cases_come_first_and_the_invented_one_last(client):
    # 百度: two primary sources of three; OpenAI: one of two; 公司X: invented, none.
    assert [case.slug for case in client.get(URL).context["object_list"]] == [
        "baidu-paddle-ernie",
        "openai-gpt3",
        "company-x-image-recognition",
    ]


def test_outcome_values_are_alternatives_and_combine_with_other_facets(client):
    response = client.get(URL, {"outcome": "listed"})
    assert case_titles(response) == ["百度飞桨与ERNIE"]
    # Another outcome would add its cases: "+1", and choosing it widens the list (OR).
    operating = facet(response, "outcome")["operating"]
    assert (operating.count, operating.additive) == (1, True)
    assert operating.url == f"{URL}?outcome=listed&outcome=operating"
    response = client.get(URL, {"outcome": ["listed", "operating"]})
    assert sorted(case_titles(response)) == ["OpenAI与GPT-3", "百度飞桨与ERNIE"]
    # Other facets still narrow (AND), and count within the result.
    response = client.get(URL, {"outcome": ["listed", "operating"], "region": "overseas"})
    assert case_titles(response) == ["OpenAI与GPT-3"]
    assert counts_of(response, "factor")["strong-team"] == 1
    response = client.get(URL, {"region": "china", "factor": "strong-team"})
    assert case_titles(response) == []


def test_case_cards_show_outcome_and_founding_year(client):
    response = client.get(URL, {"region": "overseas"})
    assertContains(
        response,
        '<p class="case-meta"><span class="outcome outcome-operating">运营中</span> '
        '<span class="muted">成立于 2015 年</span> <span class="muted">海外</span></p>',
        html=True,
    )


def test_unknown_outcome_is_reported(client):
    response = client.get(URL, {"outcome": "bankrupt"})
    assert "无法识别的结局“bankrupt”" in response.content.decode()
    assert len(case_titles(response)) == 3


def test_a_card_is_rendered_once_per_content_version_and_an_edit_shows_at_once(client):
    """Cards come from the cache while the content is unchanged; a save bumps the version."""
    cache.clear()
    first = client.get("/cases/").content.decode()
    assert "OpenAI与GPT-3" in first
    # A change that bypasses the model (no signal, no new version) is not seen: the card is cached.
    m.CaseStudy.objects.filter(slug="openai-gpt3").update(title="绕过模型的标题")
    assert "OpenAI与GPT-3" in client.get("/cases/").content.decode()
    # A real edit bumps the content version: the card is rendered anew on the next request.
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    case.title = "编辑后的标题"
    case.save()
    body = client.get("/cases/").content.decode()
    assert "编辑后的标题" in body and "OpenAI与GPT-3" not in body
    # English pages have their own cards.
    assert (
        'lang="zh-Hans"><a href="/en/cases/openai-gpt3/">编辑后的标题'
        in client.get("/en/cases/").content.decode()
    )
    cache.clear()
