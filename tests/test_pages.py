"""Reader pages: content, links between records, editor's notes, errors, language."""

import itertools
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles import models as m

from .helpers import assert_every_record_reached, crawl, hrefs

pytestmark = pytest.mark.django_db


def test_home_has_sections_with_counts_search_and_two_paths(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>首页 · 大模型创业知识库</title>" in body
    assert 'action="/search/"' in body
    counts = {section.label: count for section, count in response.context["sections"]}
    # Real cases only: the article's invented 公司X is not counted with them.
    assert counts == {
        "案例研究": 2,
        "挑战": 3,
        "应对策略": 5,
        "成功因素": 5,
        "概念": 7,
        "创业优势": 1,
        "趋势": 2,
        "实用建议": 3,
        "资源": 4,
        "常见问题": 1,
    }
    assert "我遇到了挑战：该怎么办？" in body
    assert "成功案例有哪些共同点？" in body
    assert "/challenges/data-privacy-security/" in hrefs(body)
    assert "/cases/?factor=strong-team" in hrefs(body)
    factor_counts = {factor.slug: factor.case_count for factor in response.context["factors"]}
    assert factor_counts["strong-team"] == 1  # OpenAI; 公司X is the invented example


def test_case_detail(client):
    response = client.get("/cases/openai-gpt3/")
    body = response.content.decode()
    assert "强大的技术团队" in body
    assert "/cases/?factor=strong-team" in hrefs(body)  # all cases sharing the factor
    assert "/challenges/data-privacy-security/" in hrefs(body)  # lesson → challenge
    assert "/challenges/data-privacy-security/#strategies" in hrefs(body)
    assert "编者按：更正" in body and "Azure" in body
    assert "§ 4.1" in body
    assert re.search(r"最后更新</dt><dd><time datetime=\"[^\"]+\">\d{4}-\d\d-\d\d</time>", body)
    assert "/tags/nlp/" in hrefs(body)
    assert "相关资源" in body


def test_case_page_shows_outcome_facts_milestones_figures_and_numbered_sources(client):
    response = client.get("/cases/openai-gpt3/")
    assertContains(
        response,
        '<div><dt>结局</dt><dd><span class="outcome outcome-operating">运营中</span>'
        " 仍在运营（测试数据）。</dd></div>",
        html=True,
    )
    assertContains(
        response, '<div><dt>成立年份</dt><dd><time datetime="2015-12">2015-12</time></dd></div>', html=True
    )
    assertContains(response, "<div><dt>总部</dt><dd>旧金山，美国</dd></div>", html=True)
    assertContains(
        response, '<div><dt>地区</dt><dd><a href="/cases/?region=overseas">海外</a></dd></div>', html=True
    )
    assertContains(
        response,
        '<div><dt>层级</dt><dd><a href="/cases/?layer=foundation">基础模型</a></dd></div>',
        html=True,
    )
    assertContains(
        response,
        '<div><dt>最后核实</dt><dd><time datetime="2026-11-01">2026-11-01</time></dd></div>',
        html=True,
    )
    # Milestones in date order, each citing its source.
    milestones = [str(row) for row in response.context["object"].milestones.all()]
    assert milestones == ["2015-12 OpenAI成立", "2020-05 发布GPT-3论文"]
    assertContains(
        response,
        '<li><time datetime="2015-12">2015-12</time> <span class="milestone-kind">成立</span> OpenAI成立'
        ' <sup><a href="#source-2" aria-label="来源 2">[2]</a></sup></li>',
        html=True,
    )
    # Key figures with their date and source.
    assertContains(
        response,
        '<tr><th scope="row">月活跃用户</th><td>1亿 人</td><td>截至 2023-01</td>'
        '<td><sup><a href="#source-2" aria-label="来源 2">[2]</a></sup></td></tr>',
        html=True,
    )
    # Sources: a numbered list with links, primary or secondary; the body's [1] links to source 1.
    assertContains(
        response,
        '<li id="source-1" value="1"><a href="https://github.com/openai/gpt-3" rel="noopener noreferrer">'
        'GPT-3 README</a> · OpenAI · <time datetime="2020-05">2020-05</time> '
        '<span class="source-kind source-primary">一手</span></li>',
        html=True,
    )
    assertContains(response, '<sup><a href="#source-1">[1]</a></sup>', html=True)
    assertContains(response, "<p>两个来源对员工人数说法不一。</p>", html=True)


def test_citations_elsewhere_link_to_the_cases_source_list(client):
    response = client.get("/challenges/data-privacy-security/")
    assertContains(
        response,
        "<p><strong>数据隐私问题</strong>：训练数据来自网络"
        '<sup><a href="/cases/openai-gpt3/#source-2">[2]</a></sup>。</p>',
        html=True,
    )


def test_illustrative_case_is_labelled_as_invented(client):
    response = client.get("/cases/company-x-image-recognition/")
    assertContains(response, '<span class="outcome outcome-illustrative">虚构示例（原文）</span>', html=True)
    assert "这家公司是原文为说明观点而虚构的，并非真实公司" in response.content.decode()
    body = client.get("/cases/openai-gpt3/").content.decode()
    assert "这家公司是原文为说明观点而虚构的" not in body


def test_challenge_page_lists_who_met_it_with_their_outcome(client):
    response = client.get("/challenges/compute-demand/")
    assertContains(
        response,
        '<p class="case-meta"><span class="outcome outcome-listed">已上市 · '
        '<time datetime="2005-08">2005-08</time></span> '
        '<span class="muted">2005年在纳斯达克上市（测试数据）。</span></p>',
        html=True,
    )


def test_challenge_to_strategy_and_back(client):
    challenge = client.get("/challenges/data-privacy-security/").content.decode()
    strategies_section = challenge.split('id="strategies"')[1].split("</section>")[0]
    for slug in ("data-encryption", "data-anonymization", "privacy-preserving-tech"):
        assert f"/strategies/{slug}/" in hrefs(strategies_section), slug
    strategy = m.Strategy.objects.get(title="隐私保护技术")
    body = client.get(strategy.get_absolute_url()).content.decode()
    assert "/challenges/data-privacy-security/" in hrefs(body)
    how = m.Mitigation.objects.get(strategy=strategy, challenge__slug="data-privacy-security").how
    assert how in body
    assert how in challenge


def test_challenge_lists_cases_through_lessons(client):
    response = client.get("/challenges/data-privacy-security/")
    cases = [case.slug for case in response.context["cases"]]
    assert cases == ["openai-gpt3", "company-x-image-recognition"]
    body = response.content.decode()
    assert "数据隐私问题" in body and "数据质量" in body
    response = client.get("/challenges/compute-demand/")
    assert [case.slug for case in response.context["cases"]] == ["baidu-paddle-ernie"]


def test_challenge_shows_related_trends_and_advice(client):
    response = client.get("/challenges/data-privacy-security/")
    assert [advice.slug for advice in response.context["advice"]] == ["comply-privacy-law"]
    assertContains(response, '<a href="/advice/comply-privacy-law/">遵守数据隐私法规</a>', html=True)
    response = client.get("/challenges/compute-demand/")
    assertContains(response, '<h2 id="trends-heading">相关趋势</h2>', html=True)
    assertContains(response, '<a href="/trends/larger-models/">模型规模更大</a>', html=True)


def test_wherever_a_challenge_is_named_its_strategies_are_one_click_away(client):
    for url in ("/challenges/", "/cases/openai-gpt3/"):
        body = client.get(url).content.decode()
        assert "/challenges/data-privacy-security/" in body, url
    assert "/challenges/compute-demand/" in client.get("/trends/").content.decode()
    body = client.get("/challenges/").content.decode()
    assert "/challenges/data-privacy-security/#strategies" in hrefs(body)


def test_concepts_by_kind_and_detail_with_resources(client):
    response = client.get("/concepts/")
    labels = [label for label, _items in response.context["groups"]]
    assert labels == ["模型架构", "相关技术", "里程碑", "综述"]
    body = client.get("/concepts/transformer/").content.decode()
    assert "Attention is All You Need" in body


def test_timeline_is_ordered_by_year(client):
    response = client.get("/timeline/")
    years = [concept.year for concept in response.context["concepts"]]
    assert years == [1958, 1980, 2017, 2018, 2020]
    body = response.content.decode()
    assert "1980年代" in body
    assert body.index("感知机") < body.index("GPT-3")
    assert "感知机于1958年提出" in body  # the correction is shown on the timeline


def test_timeline_lines_link_the_case_escape_the_text_and_mark_chinese_on_english_pages(client):
    case = m.CaseStudy.objects.real().first()
    m.Milestone.objects.create(
        case=case, date="2021-07", kind="funding", title="<b>融资</b> & 扩张", source=1
    )
    line = (
        f'<li><time datetime="2021-07">2021-07</time> <span class="milestone-kind">融资</span> '
        f'<a href="/cases/{case.slug}/">{case.organisation}</a>：&lt;b&gt;融资&lt;/b&gt; &amp; 扩张'
        f'<sup><a href="/cases/{case.slug}/#source-1" aria-label="来源 1">[1]</a></sup></li>'
    )
    assert line in client.get("/timeline/").content.decode()
    english = client.get("/en/timeline/").content.decode()
    assert (
        f'<span class="milestone-kind">Funding</span> <a href="/en/cases/{case.slug}/" lang="zh-Hans">'
        f'{case.organisation}</a>: <span lang="zh-Hans">&lt;b&gt;融资&lt;/b&gt; &amp; 扩张</span>'
    ) in english


def test_timeline_merges_the_real_cases_milestones_by_year(client):
    response = client.get("/timeline/")
    merged = [
        (
            year["year"],
            [c.slug for c in year["concepts"]],
            [f"{row.date} {row.title}" for row in year["milestones"]],
        )
        for year in response.context["years"]
    ]
    assert merged == [
        (1958, ["perceptron"], []),
        (1980, ["rnn"], []),
        (2005, [], ["2005-08-05 在纳斯达克上市"]),
        (2015, [], ["2015-12 OpenAI成立"]),
        (2017, ["transformer"], []),
        (2018, ["bert"], []),
        (2019, [], ["2019-03 发布ERNIE 1.0"]),
        (2020, ["gpt-3"], ["2020-05 发布GPT-3论文"]),
    ]
    assertContains(
        response,
        '<li><time datetime="2015-12">2015-12</time> <span class="milestone-kind">成立</span> '
        '<a href="/cases/openai-gpt3/">OpenAI</a>：OpenAI成立'
        '<sup><a href="/cases/openai-gpt3/#source-2" aria-label="来源 2">[2]</a></sup></li>',
        html=True,
    )


def test_advice_grouped_by_area(client):
    response = client.get("/advice/")
    groups = [(label, [item.slug for item in items]) for label, items in response.context["groups"]]
    # In the order of the areas; areas without advice are left out.
    assert groups == [
        ("市场定位", ["find-a-niche"]),
        ("资源整合", ["use-cloud-platforms"]),
        ("法律合规与伦理", ["comply-privacy-law"]),
    ]


def test_strategy_detail_links_related_advice(client):
    strategy = m.Strategy.objects.filter(advice__isnull=False).first()
    body = client.get(strategy.get_absolute_url()).content.decode()
    assert strategy.advice.first().get_absolute_url() in body


def test_resources_filter_by_kind_and_tag_with_safe_external_links(client):
    response = client.get("/resources/", {"kind": "paper"})
    assert {r.title for r in response.context["object_list"]} >= {"Attention is All You Need"}
    assert all(r.kind == "paper" for r in response.context["object_list"])
    assertContains(
        response,
        '<a href="https://arxiv.org/abs/1706.03762" rel="noopener noreferrer">访问 ↗</a>',
        html=True,
    )
    response = client.get("/resources/", {"kind": "podcast"})
    assert "无法识别的类型“podcast”" in response.content.decode()
    response = client.get("/resources/", {"kind": "book"})
    assert len(response.context["object_list"]) == 2
    # Kinds are alternatives: a second kind adds its resources, and its count says how many.
    kinds = {v.slug: v.count for f in response.context["facets"] if f.param == "kind" for v in f.values}
    assert kinds == {
        "book": 2,
        "course": 0,
        "paper": 1,
        "framework": 1,
        "cloud": 0,
        "data": 0,
        "report": 0,
        "paper-database": 0,
    }
    paper = (
        '<a class="facet-value" href="/resources/?kind=book&amp;kind=paper" data-facet="kind" '
        'data-value="paper">论文 <span class="count"><span class="visually-hidden">选择后将增加： </span>+1'
        "</span></a>"
    )
    assertContains(response, paper, html=True)
    response = client.get("/resources/", {"kind": ["book", "paper"]})
    assert len(response.context["object_list"]) == 3


def test_resource_detail_shows_correction(client):
    resource = m.Resource.objects.get(title__contains="Python深度学习")
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "François Chollet" in body
    assert 'class="editor-note"' in body
    assert "编者按：更正" in body


def test_faq_trends_advantages_factors(client):
    assert "AI大模型创业的主要挑战是什么？" in client.get("/faq/").content.decode()
    assert len(client.get("/trends/").context["object_list"]) == 2
    assert "技术突破性" in client.get("/advantages/").content.decode()
    body = client.get("/factors/strong-team/").content.decode()
    assert {"/cases/openai-gpt3/", "/cases/company-x-image-recognition/"} <= set(hrefs(body))


def test_tag_pages(client):
    response = client.get("/tags/")
    assert "/tags/nlp/" in hrefs(response.content.decode())
    response = client.get("/tags/nlp/")
    body = response.content.decode()
    assert "#自然语言处理" in body
    labels = [group["kind"].label for group in response.context["groups"]]
    assert "案例研究" in labels and "概念" in labels
    total = sum(len(group["items"]) for group in response.context["groups"])
    assert f"共 {total} 条记录带有此标签" in body


@pytest.mark.parametrize(
    "url",
    [
        "/cases/no-such-case/",
        "/challenges/nope/",
        "/strategies/nope/",
        "/concepts/nope/",
        "/tags/不存在/",
        "/resources/nope/",
        "/nope/",
    ],
)
def test_unknown_slugs_are_404_in_the_site_style(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert 'class="site-nav"' in body


def test_error_pages_are_in_the_site_style_and_say_what_was_wrong(client):
    response = client.post("/cases/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    body = response.content.decode()
    assert "不支持的请求方式" in body and 'class="site-nav"' in body
    response = client.get("/tags/%00/")
    assert response.status_code == 400
    assert "地址中包含空字符" in response.content.decode()
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_english_pages_use_english_punctuation(client):
    body = client.get("/en/challenges/").content.decode()
    strategies_line = re.search(r'<p class="muted">Strategies:\s(.*?)</p>', body, re.S).group(1)
    assert "</a>, <a" in strategies_line and "、" not in strategies_line
    body = client.get("/challenges/").content.decode()
    assert re.search(r'<p class="muted">应对策略：\s*<a.*?</a>、<a', body, re.S)


def test_list_pages_do_not_skip_heading_levels(client):
    for url in (
        "/challenges/",
        "/strategies/",
        "/factors/",
        "/faq/",
        "/trends/",
        "/advantages/",
        "/concepts/",
        "/advice/",
        "/tags/nlp/",
        "/search/?q=隐私",
        "/concepts/ai-large-models/",
        "/search/?q=隐私&type=strategies",
    ):
        levels = [int(level) for level in re.findall(r"<h([1-6])", client.get(url).content.decode())]
        assert levels[0] == 1, url
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (url, levels)


def test_challenge_links_to_all_its_cases_in_the_case_list(client):
    body = client.get("/challenges/data-privacy-security/").content.decode()
    assert "/cases/?challenge=data-privacy-security" in hrefs(body)


def test_500_page_renders_without_the_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "服务器出了点问题" in html


def test_breadcrumbs_and_navigation(client):
    response = client.get("/strategies/data-encryption/")
    assert 'aria-label="导航路径"' in response.content.decode()
    assertContains(response, '<a href="/strategies/">应对策略</a>', html=True)
    assertContains(response, '<a href="/strategies/" aria-current="page">应对策略</a>', html=True)


def test_chinese_by_default_even_for_english_browsers(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert "按栏目浏览" in response.content.decode()


def test_the_language_is_in_the_url_and_the_switch_is_a_plain_link(client):
    response = client.get("/cases/?factor=strong-team")
    assert response["Content-Language"] == "zh-hans"
    assertContains(
        response,
        '<a href="/en/cases/?factor=strong-team" lang="en" hreflang="en" aria-describedby="language-label">'
        "English</a>",
        html=True,
    )
    assertContains(
        response, '<link rel="alternate" hreflang="en" href="http://testserver/en/cases/?factor=strong-team">'
    )
    assertContains(
        response,
        '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/cases/?factor=strong-team">',
    )
    response = client.get("/en/cases/?factor=strong-team")
    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert "Case studies" in body and "OpenAI" in body  # the interface in English, the content as loaded
    assert "/en/cases/openai-gpt3/" in hrefs(body)  # links stay in English
    assertContains(
        response,
        '<a href="/cases/?factor=strong-team" lang="zh-Hans" hreflang="zh-Hans" '
        'aria-describedby="language-label">简体中文</a>',
        html=True,
    )


def test_language_never_comes_from_cookies_or_the_browser(client):
    client.cookies["django_language"] = "en"
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert "Vary" not in response or "Cookie" not in response["Vary"]


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/zh-hans/cases/", "/cases/"),
        ("/zh-hans/cases/?factor=strong-team", "/cases/?factor=strong-team"),
        ("/zh-hans//evil.example/", "/evil.example/"),
    ],
)
def test_prefixed_chinese_urls_redirect_to_the_unprefixed_ones(client, url, location):
    response = client.get(url)
    assert response.status_code == 301 and response["Location"] == location


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"language": "en", "next": "/cases/?tag=nlp"}, "/en/cases/?tag=nlp"),
        ({"language": "zh-hans", "next": "/en/cases/"}, "/cases/"),
        ({"language": "xx", "next": "https://evil.example/"}, "/"),
    ],
)
def test_the_old_language_switch_redirects_and_sets_no_cookie(data, location):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", data)
    assert response.status_code == 302 and response["Location"] == location
    assert not response.cookies


def test_every_internal_link_from_home_resolves(client):
    seen, broken = crawl(client)
    assert broken == []
    assert_every_record_reached(seen)


def test_favicon_and_concept_english_names(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    body = client.get("/concepts/").content.decode()
    assert (
        '<span class="muted" lang="en">Bidirectional Encoder Representations from Transformers</span>' in body
    )
    assert "BERT (Bidirectional" not in body


def test_resource_cards_say_what_the_editor_corrected(client):
    body = client.get("/resources/", {"kind": "book"}).content.decode()
    notes = re.findall(r'<p class="note-flag"><strong>编者按：更正</strong>：([^<]+)</p>', body)
    assert notes == ["测试数据中的更正：作者是François Chollet。"]


def test_a_record_says_whether_it_comes_from_the_article_or_from_the_editors(client):
    article = client.get("/challenges/data-privacy-security/")
    assertContains(article, "<div><dt>来源章节</dt><dd>§ 3.2</dd></div>", html=True)
    editors = client.get("/challenges/compute-demand/")
    assertContains(editors, "<div><dt>来源章节</dt><dd>编辑补充，原文没有</dd></div>", html=True)


def test_timeline_stays_bounded_as_cases_grow(client):
    """Each year shows its first milestones and how many more it has; a year's page lists the rest."""
    from django.core.management import call_command

    from articles.views.records import MILESTONES_PER_PAGE, MILESTONES_PER_YEAR

    call_command("generate_synthetic", cases=300, verbosity=0)
    small = client.get("/timeline/")
    call_command("generate_synthetic", cases=600, verbosity=0)
    large = client.get("/timeline/")
    assert all(len(year["milestones"]) <= MILESTONES_PER_YEAR for year in large.context["years"])
    assert abs(len(large.content) - len(small.content)) < 3000  # the counts change, not the length
    busiest = max(large.context["years"], key=lambda year: year["more"])
    assert busiest["more"] > 0
    link = f"/timeline/?year={busiest['year']}"
    assert link in hrefs(large.content)
    page = client.get(link)
    assert [year["year"] for year in page.context["years"]] == [busiest["year"]]
    assert len(page.context["years"][0]["milestones"]) == min(MILESTONES_PER_PAGE, busiest["total"])
    assert page.context["page_links"]["next"] == f"{link}&page=2"
    assert "没有“abc”这一年" in client.get("/timeline/?year=abc").content.decode()
