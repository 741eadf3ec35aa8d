"""The founder tools on the test knowledge base plus two cases made here: exact rankings,
gaps, setbacks, comparison rows and chart numbers, and the pages that show them."""

import random
import re

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains

from articles import charts, founder
from articles import models as m
from articles.listings import case_index
from articles.views.founder_tools import CompareView
from tests.helpers import hrefs, make_case, parse_list, parse_table

pytestmark = pytest.mark.django_db

PROFILE_URL = (
    "/self-check/?check=1&region=china&layer=application&access=product"
    "&factor=strong-team&challenge=market-competition"
)


@pytest.fixture
def more_cases():
    """Two application-layer cases that did not simply keep operating."""
    return (
        make_case(
            "pivot-co",
            region="china",
            layer="application",
            access="product",
            outcome="pivoted",
            factors=["clear-positioning", "strong-team"],
            challenges=["market-competition"],
            milestones=[("2021-03", "founding"), ("2023-06-15", "pivot")],
        ),
        make_case(
            "acquired-co",
            region="overseas",
            layer="application",
            access="api",
            outcome="acquired",
            factors=["ample-compute"],
            challenges=["data-privacy-security"],
            milestones=[("2019", "founding"), ("2024-02", "exit")],
        ),
    )


def index(rf):
    return case_index(rf.get("/"))


# -- Similarity ------------------------------------------------------------------------------


def test_score_bits_count_like_plain_addition():
    rng = random.Random(7)
    size = 200
    everything = (1 << size) - 1
    criteria = [(rng.getrandbits(size), rng.randint(1, 3)) for _ in range(12)]
    scores = founder.ScoreBits(everything)
    for bits, times in criteria:
        scores.add(bits, times)
    expected = [sum(times for bits, times in criteria if bits >> i & 1) for i in range(size)]
    for score in range(0, max(expected) + 2):
        mask = scores.equal_to(score)
        assert [i for i in range(size) if mask >> i & 1] == [i for i, s in enumerate(expected) if s == score]


def test_similar_cases_ranked_by_the_stated_score(rf, more_cases):
    profile = founder.Profile(
        region="china",
        layer="application",
        access="product",
        factors=["strong-team"],
        challenges=["market-competition"],
    )
    matches = founder.similar_cases(index(rf), profile)
    # pivot-co: layer 2 + region 2 + access 1 + factor 1 + challenge 1; acquired-co: layer 2;
    # Baidu: China 2 (ties in the case list's order: Baidu cites primary sources, acquired-co
    # none); OpenAI: strong-team 1. 公司X is never compared.
    assert [(match.case.slug, match.score) for match in matches] == [
        ("pivot-co", 7),
        ("baidu-paddle-ernie", 2),
        ("acquired-co", 2),
        ("openai-gpt3", 1),
    ]
    top = matches[0]
    assert (top.same_layer, top.same_region, top.same_access) == (True, True, True)
    assert [f.slug for f in top.shared_factors] == ["strong-team"]
    assert [c.slug for c in top.shared_challenges] == ["market-competition"]
    assert matches[1].same_region and not matches[1].same_layer
    assert [f.slug for f in matches[3].shared_factors] == ["strong-team"]


def test_same_sector_and_region_outrank_the_same_layer_elsewhere(rf):
    local = make_case(
        "local-cs",
        region="china",
        layer="foundation",
        access="api",
        outcome="operating",
    )
    elsewhere = make_case(
        "layer-only",
        region="overseas",
        layer="application",
        access="product",
        outcome="operating",
    )
    m.CaseStudy.objects.filter(pk=local.pk).update(sectors=["customer-service", "marketing-content"])
    m.CaseStudy.objects.filter(pk=elsewhere.pk).update(sectors=["coding"], customers=["smb"])
    profile = founder.Profile(
        region="china", layer="application", access="product", sector="customer-service", customer="smb"
    )
    matches = founder.similar_cases(index(rf), profile)
    ranked = [(match.case.slug, match.score) for match in matches]
    # local-cs: sector 3 + region 2; layer-only: layer 2 + customers 1 + access 1; Baidu: China 2.
    assert ranked[:3] == [("local-cs", 5), ("layer-only", 4), ("baidu-paddle-ernie", 2)]
    assert (matches[0].same_sector, matches[0].same_customer, matches[0].same_layer) == (True, False, False)
    assert (matches[1].same_sector, matches[1].same_customer, matches[1].same_layer) == (False, True, True)


def test_self_check_page_asks_sector_and_customers_and_states_the_weights(client):
    make_case(
        "cs-smb",
        region="china",
        layer="application",
        access="product",
        outcome="operating",
    )
    m.CaseStudy.objects.filter(slug="cs-smb").update(sectors=["customer-service"], customers=["smb"])
    body = client.get(
        "/self-check/?check=1&region=china&layer=application&sector=customer-service&customer=smb"
    )
    html = body.content.decode()
    assert 'name="sector" value="customer-service" checked' in html
    assert "同一行业 3 分" in html
    assert "同一行业 (客服)" in html and "同一客户 (中小企业)" in html
    assert parse_list(html, "similar-cases")[0].startswith("cs-smb 标题")


def test_factor_gaps_and_setbacks(rf, more_cases):
    profile = founder.Profile(region="china", layer="application", access="product", factors=["strong-team"])
    matches = founder.similar_cases(index(rf), profile)
    gaps = founder.factor_gaps(matches, profile)
    # Successful similar cases: OpenAI (operating) and Baidu (listed); strong-team was ticked.
    assert [(gap.factor.slug, [row.case.slug for row in gap.case_factors]) for gap in gaps] == [
        ("open-collaboration", ["baidu-paddle-ernie", "openai-gpt3"]),
        ("ample-compute", ["openai-gpt3"]),
        ("deep-expertise", ["baidu-paddle-ernie"]),
    ]
    assert [case.slug for case in founder.setbacks(matches)] == ["pivot-co", "acquired-co"]


def test_a_profile_sharing_nothing_has_no_similar_cases(rf):
    profile = founder.Profile(region="", layer="infrastructure")
    assert founder.similar_cases(index(rf), profile) == []


# -- Comparison -------------------------------------------------------------------------------


def test_comparison_rows_and_differences():
    cases = list(m.CaseStudy.objects.filter(slug__in=["openai-gpt3", "baidu-paddle-ernie"]).for_detail())
    cases.sort(key=lambda case: case.slug != "openai-gpt3")
    rows = founder.comparison_rows(cases, CompareView.labels)
    by_key = {row.key: row for row in rows}
    assert by_key["founded"].cells == ["2015-12", "2000"] and by_key["founded"].differs
    assert by_key["layer"].differs is False  # both foundation models
    assert by_key["headquarters"].cells == ["旧金山，美国", "北京，中国"]
    assert by_key["flagship"].cells == [("GPT-3", "2020-05"), ("飞桨、ERNIE", "2019-03")]
    factor_rows = [
        (row.key, [bool(cell) for cell in row.cells], row.differs) for row in rows if row.kind == "factor"
    ]
    assert factor_rows == [
        ("strong-team", [True, False], True),
        ("ample-compute", [True, False], True),
        ("open-collaboration", [True, True], False),
        ("deep-expertise", [False, True], True),
    ]
    challenge_rows = [(row.key, [len(cell) for cell in row.cells]) for row in rows if row.kind == "challenge"]
    assert challenge_rows == [("data-privacy-security", [1, 0]), ("compute-demand", [0, 1])]
    assert [len(cell) for cell in rows[-1].cells] == [len(case.sources.all()) for case in cases]


# -- Charts -----------------------------------------------------------------------------------


def test_factors_by_outcome_counts_real_cases(rf, more_cases):
    chart = charts.factors_by_outcome(index(rf))
    table = {bar.slug: {s.outcome: s.count for s in bar.segments if s.count} for bar in chart.bars}
    # 公司X (strong-team, clear-positioning) is not counted.
    assert table == {
        "strong-team": {"operating": 1, "pivoted": 1},
        "ample-compute": {"operating": 1, "acquired": 1},
        "open-collaboration": {"operating": 1, "listed": 1},
        "deep-expertise": {"listed": 1},
        "clear-positioning": {"pivoted": 1},
    }
    assert [bar.slug for bar in chart.bars][:3] == ["strong-team", "ample-compute", "open-collaboration"]
    widest = max(bar.end for bar in chart.bars)
    assert widest == chart.width - 40  # the longest bar fills the plot


def test_timeline_places_milestones_by_date(more_cases):
    pivot, acquired = more_cases
    chart = charts.timeline(
        [pivot, acquired], m.Milestone.objects.filter(case__in=more_cases).order_by("date")
    )
    assert (chart.first_year, chart.last_year) == (2019, 2024)
    assert [marker.kind for marker in chart.lanes[0].markers] == ["founding", "pivot"]
    xs = [marker.x for lane in chart.lanes for marker in lane.markers]
    assert all(chart.label_width <= x <= chart.width - 20 for x in xs)
    founding_2019 = chart.lanes[1].markers[0]
    assert founding_2019.x == chart.x_of(2019.5)
    assert charts.date_position("2023-06-15") == pytest.approx(2023 + 165.5 / 366, abs=1e-6)


def test_challenge_map_rows_list_strategies_and_cases(client, more_cases):
    body = client.get("/insights/").content.decode()
    rows = parse_table(body, "challenge-table")
    assert rows == [
        [
            "数据隐私和安全",
            "数据加密、数据匿名化、隐私保护技术",
            "OpenAI与GPT-3 (运营中)、acquired-co 标题 (被收购或人才收购)",
        ],
        ["计算资源需求", "使用云计算服务", "百度飞桨与ERNIE (已上市)"],
        ["市场竞争", "差异化竞争", "pivot-co 标题 (已转型)"],
    ]


# -- Pages --------------------------------------------------------------------------------------


def test_self_check_form_without_answers_has_no_errors(client):
    response = client.get("/self-check/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="factor" value="strong-team"' in body
    assert 'id="form-errors"' not in body and 'id="result"' not in body


def test_self_check_sent_empty_names_what_is_missing(client):
    response = client.get("/self-check/?check=1")
    assert response.status_code == 200
    errors = parse_list(response.content.decode(), "form-errors")
    assert errors == ["请选择你主要在哪里经营。", "请选择你要做什么。"]
    assert b'id="result"' not in response.content


def test_self_check_rejects_values_it_does_not_offer(client):
    response = client.get(
        "/self-check/?check=1&region=mars&layer=application&factor=no-such-factor&color=red"
    )
    body = response.content.decode()
    assert len(parse_list(body, "form-errors")) == 2  # region and factor
    assert "“color”" in body  # the stray parameter is named
    assert 'id="result"' not in body


def test_self_check_result_shows_matches_gaps_setbacks_and_strategies(client, more_cases):
    response = client.get(PROFILE_URL)
    body = response.content.decode()
    similar = hrefs(body.split('id="similar-heading"')[1].split('id="gaps-heading"')[0])
    assert [h for h in similar if h.startswith("/cases/")] == [
        "/cases/pivot-co/",
        "/cases/baidu-paddle-ernie/",
        "/cases/acquired-co/",
        "/cases/openai-gpt3/",
    ]
    gaps = body.split('id="gaps-heading"')[1].split('id="setbacks-heading"')[0]
    assert [h for h in hrefs(gaps) if h.startswith("/factors/")] == [
        "/factors/open-collaboration/",
        "/factors/ample-compute/",
        "/factors/deep-expertise/",
    ]
    setbacks = body.split('id="setbacks-heading"')[1].split('id="challenges-heading"')[0]
    assert [h for h in hrefs(setbacks) if h.startswith("/cases/")] == [
        "/cases/pivot-co/",
        "/cases/acquired-co/",
    ]
    plan = body.split('id="challenges-heading"')[1]
    assert "/challenges/market-competition/" in hrefs(
        plan
    ) and "/strategies/differentiated-competition/" in hrefs(plan)
    assert "/advice/find-a-niche/" in hrefs(plan)  # the related advice
    assert 'value="http://testserver/self-check/?check=1&amp;region=china' in body  # the link to share
    assert response["Cache-Control"] == "private, no-store"
    # The answers are on the page (and on paper).
    assert "<dt>你的团队已经具备的成功因素</dt><dd>强大的技术团队</dd>" in body
    assert "<dt>你预计会遇到的挑战</dt><dd>市场竞争</dd>" in body


def test_self_check_result_is_not_kept_in_the_page_cache(client, settings, more_cases):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    client.get(PROFILE_URL)
    client.get("/self-check/")
    stored = [key for key in cache._cache if ":page:" in key and "latest-version" not in key]  # locmem
    assert len(stored) == 1  # the empty form only


def test_case_list_builds_a_comparison_in_the_url(client, more_cases):
    body = client.get("/cases/?layer=application&c=pivot-co").content.decode()
    links = hrefs(body)
    assert (
        "/cases/?layer=application&c=pivot-co&c=acquired-co#case-acquired-co" in links
    )  # add, keeping the filter
    assert "/cases/?layer=application#case-pivot-co" in links  # remove pivot-co
    assert "/cases/?layer=application&layer=foundation&c=pivot-co" in links  # facet links keep it too
    assert "/cases/?c=pivot-co" in links  # clear the filters, keep the comparison
    assert "/compare/?c=pivot-co" not in links  # one case is not a comparison yet
    body = client.get(
        "/cases/?c=pivot-co&c=acquired-co&c=company-x-image-recognition&c=nope"
    ).content.decode()
    assert "/compare/?c=pivot-co&c=acquired-co" in hrefs(body)
    assert "未知参数" not in body and "Unknown parameter" not in body


def test_compare_page_table(client, more_cases):
    response = client.get("/compare/?c=openai-gpt3&c=baidu-paddle-ernie")
    body = response.content.decode()
    rows = parse_table(body, "compare-table")
    assert rows[0] == ["机构 ≠ (各案例不同)", "OpenAI", "百度"]
    founded = next(row for row in rows if row[0].startswith("成立"))
    assert founded == ["成立年份 ≠ (各案例不同)", "2015-12", "2000"]
    layer = next(row for row in rows if row[0] == "层级")
    assert layer == ["层级", "基础模型", "基础模型"]
    only_differences = client.get("/compare/?c=openai-gpt3&c=baidu-paddle-ernie&diff=1").content.decode()
    labels = [row[0] for row in parse_table(only_differences, "compare-table")]
    assert "层级" not in labels and "成立年份 ≠ (各案例不同)" in labels and labels[-1] == "来源"


def test_compare_page_explains_what_it_left_out(client, more_cases):
    make_case("fifth", region="", layer="", access="", outcome="operating")
    body = client.get(
        "/compare/?c=nope&c=company-x-image-recognition&c=openai-gpt3&c=baidu-paddle-ernie&c=pivot-co&c=acquired-co"
        "&c=fifth"
    ).content.decode()
    assert "“nope”" in body and "虚构" in body and "最多" in body
    heads = [h for h in hrefs(body.split("<thead>")[1].split("</thead>")[0]) if h.startswith("/cases/")]
    assert heads == [
        "/cases/openai-gpt3/",
        "/cases/baidu-paddle-ernie/",
        "/cases/pivot-co/",
        "/cases/acquired-co/",
    ]
    one = client.get("/compare/?c=openai-gpt3")
    assert one.status_code == 200 and b"compare-table" not in one.content
    assert "/cases/?c=openai-gpt3" in hrefs(one.content)


def test_insights_page_tables(client, more_cases):
    body = client.get("/insights/").content.decode()
    rows = parse_table(body, "factor-outcomes")
    assert rows[0] == ["强大的技术团队", "1", "0", "0", "1", "0", "0", "2"]
    assert len(rows) == m.SuccessFactor.objects.count()
    assert body.count('class="fill-') >= 8  # bars and map cells are drawn
    chart = body.split('class="chart-svg challenge-map"')[1].split("</svg>")[0]
    links = set(hrefs(chart))  # every node of the challenge map is a link to its page
    assert {f"/challenges/{c.slug}/" for c in m.Challenge.objects.all()} <= links
    assert {"/strategies/data-encryption/", "/cases/pivot-co/", "/cases/openai-gpt3/"} <= links


def test_case_timeline_filtered_by_outcome(client, more_cases):
    body = client.get("/insights/timeline/?outcome=pivoted&outcome=acquired").content.decode()
    rows = parse_table(body, "timeline-table")
    assert [row[:3] for row in rows] == [
        ["acquired-co 标题", "2019", "成立"],
        ["acquired-co 标题", "2024-02", "退出"],
        ["pivot-co 标题", "2021-03", "成立"],
        ["pivot-co 标题", "2023-06-15", "转型"],
    ]
    # The counts are of the cases the timeline draws: the invented example is not among them.
    facets = {
        f.param: {v.slug: v.count for v in f.values}
        for f in client.get("/insights/timeline/").context["facets"]
    }
    assert facets["outcome"]["illustrative"] == 0
    assert facets["factor"]["strong-team"] == 2  # OpenAI and pivot-co, not 公司X
    everything = parse_table(client.get("/insights/timeline/").content.decode(), "timeline-table")
    assert {row[0] for row in everything} == {
        "pivot-co 标题",
        "acquired-co 标题",
        "OpenAI与GPT-3",
        "百度飞桨与ERNIE",
    }


def test_new_pages_are_in_the_navigation(client):
    links = hrefs(client.get("/").content)
    for url in ("/self-check/", "/compare/", "/insights/", "/insights/timeline/"):
        assert url in links
    english = hrefs(client.get("/en/").content)
    assert "/en/self-check/" in english and "/en/insights/" in english


def test_compare_adds_a_case_by_name(client):
    response = client.get("/compare/?c=openai-gpt3&add=百度")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?c=openai-gpt3&c=baidu-paddle-ernie"
    with_diff = client.get("/compare/?c=openai-gpt3&diff=1&add=ERNIE")
    assert with_diff["Location"] == "/compare/?c=openai-gpt3&c=baidu-paddle-ernie&diff=1"
    missing = client.get("/compare/?c=openai-gpt3&add=不存在的公司")
    assert missing.status_code == 200 and "没有与“不存在的公司”匹配的真实案例" in missing.content.decode()
    invented = client.get("/compare/?add=公司X")  # the invented example is never compared
    assert invented.status_code == 200 and "没有与“公司X”匹配的真实案例" in invented.content.decode()
    too_long = client.get("/compare/?add=" + "字" * 200)
    assert too_long.status_code == 200 and "搜索内容过长" in too_long.content.decode()
    form = client.get("/compare/?c=openai-gpt3").content.decode()
    assert '<input type="hidden" name="c" value="openai-gpt3">' in form and 'name="add"' in form


def test_self_check_says_when_no_case_is_at_the_chosen_layer(client):
    body = client.get("/self-check/?check=1&region=china&layer=infrastructure").content.decode()
    assert "知识库中还没有处于“基础设施与硬件”层级的真实案例" in body


def test_compare_says_when_the_case_is_already_there(client):
    response = client.get("/compare/?c=openai-gpt3&c=baidu-paddle-ernie&add=百度")
    assert response.status_code == 200
    assert "“百度飞桨与ERNIE”已在对比中" in response.content.decode()


def test_a_blocked_or_reversed_deal_is_a_setback_with_its_own_badge(rf, client):
    make_case(
        "reversed-co",
        region="china",
        layer="application",
        access="product",
        outcome="deal-reversed",
        factors=["strong-team"],
        challenges=["market-competition"],
    )
    profile = founder.Profile(region="china", layer="application", access="product")
    matches = founder.similar_cases(index(rf), profile)
    assert [case.slug for case in founder.setbacks(matches)] == ["reversed-co"]
    response = client.get("/cases/reversed-co/")
    badge = '<span class="outcome outcome-deal-reversed">交易被叫停或撤销 · <time datetime="2024">2024</time></span>'  # noqa: E501
    assertContains(response, badge, html=True)


def test_challenge_map_groups_cases_by_layer_with_level_labels(client, more_cases, monkeypatch):
    monkeypatch.setattr(charts, "MAP_CASES_PER_LAYER", 1)
    body = client.get("/insights/").content.decode()
    chart = body.split('class="chart-svg challenge-map"')[1].split("</svg>")[0]
    assert "rotate(" not in chart  # every label is level
    groups = re.findall(r'<text class="group-label"[^>]*>([^<]*)', chart)
    assert [g.strip() for g in groups] == ["应对策略", "基础模型", "应用"]
    # Two application cases met a challenge; the best documented one is drawn, and the caption says so.
    assert "（共 2 个，画出 1 个）" in chart
    assert "/cases/acquired-co/" in hrefs(chart) and "/cases/pivot-co/" not in hrefs(chart)
    assert "/cases/?layer=application" in hrefs(body.split('id="map-caption"')[1])
    # A challenge's name is drawn in level lines of at most five characters.
    assert "<tspan" in chart and ">数据隐私和<" in chart and ">安全<" in chart


def test_charts_name_a_case_by_its_company_not_its_whole_title():
    case = m.CaseStudy(title="Sierra：两位大厂老兵用按结果收费切入企业客服")
    assert charts.case_name(case) == "Sierra"
    assert charts.Lane(case, 0).short == "Sierra"


def test_comparison_lines_up_funding_valuation_revenue_users_and_staff(client, more_cases):
    pivot, acquired = more_cases
    Figure = m.KeyFigure
    Figure.objects.create(
        case=pivot, label="A轮估值", metric="valuation", value="5亿", unit="美元", as_of="2022"
    )
    Figure.objects.create(
        case=pivot, label="B轮估值", metric="valuation", value="12亿", unit="美元", as_of="2023-05"
    )
    Figure.objects.create(case=pivot, label="参数量", value="70亿", unit="参数", as_of="2023")
    Figure.objects.create(
        case=acquired, label="员工数", metric="employees", value="约80", unit="人", as_of="2024-02", source=2
    )
    html = client.get("/compare/?c=pivot-co&c=acquired-co").content.decode()
    rows = {row[0].split(" ≠")[0]: row[1:] for row in parse_table(html, "compare-table")}
    assert rows["最近估值"] == ["12亿美元 截至 2023-05B轮估值", "未披露"]
    assert rows["员工"] == ["未披露", "约80人 截至 2024-02[2]员工数"]
    assert rows["累计融资"] == rows["收入"] == rows["用户规模"] == ["未披露", "未披露"]
    assert '<a href="/cases/acquired-co/#source-2" aria-label="来源 2">[2]</a>' in html


def test_a_challenge_a_case_does_not_record_reads_not_recorded_not_no(client, more_cases):
    html = client.get("/compare/?c=pivot-co&c=acquired-co").content.decode()
    rows = {row[0].split(" ≠")[0]: row[1:] for row in parse_table(html, "compare-table")}
    competition = rows[m.Challenge.objects.get(slug="market-competition").title]
    assert competition[1] == "资料未记录"
    assert competition[0].startswith("pivot-co 的教训")


def test_adding_a_name_several_cases_match_offers_them_to_choose(client):
    for slug in ("alpha-search", "alpha-labs"):
        make_case(
            slug,
            region="overseas",
            layer="application",
            access="product",
            outcome="operating",
            title=f"{slug} 同名公司",
        )
    response = client.get("/compare/?c=openai-gpt3&add=同名公司")
    assert response.status_code == 200  # nothing was added silently
    html = response.content.decode()
    assert "“同名公司”与多个案例匹配" in html
    choices = hrefs(html.split('id="add-choices"')[1].split("</ul>")[0])
    assert "/compare/?c=openai-gpt3&c=alpha-search" in choices
    assert "/compare/?c=openai-gpt3&c=alpha-labs" in choices
