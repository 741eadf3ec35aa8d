"""The founder tools on the test knowledge base plus two cases made here: exact rankings,
gaps, setbacks, comparison rows and chart numbers, and the pages that show them."""

import random

import pytest
from django.core.cache import cache

from articles import charts, founder
from articles import models as m
from articles.views import CaseListView, CompareView, case_index
from tests.helpers import hrefs, parse_table

pytestmark = pytest.mark.django_db

PROFILE_URL = (
    "/self-check/?check=1&region=china&layer=application&access=product"
    "&factor=strong-team&challenge=market-competition"
)


def make_case(slug, *, region, layer, access, outcome, factors, challenges, milestones=()):
    case = m.CaseStudy.objects.create(
        slug=slug,
        title=f"{slug} 标题",
        organisation=slug,
        region=region,
        layer=layer,
        access=access,
        outcome=outcome,
        outcome_date="2024" if outcome != "operating" else "",
        outcome_note=f"{slug} 的结局。",
        position=10,
    )
    for factor in factors:
        m.CaseFactor.objects.create(
            case=case, factor=m.SuccessFactor.objects.get(slug=factor), explanation=f"{slug}：{factor}"
        )
    for challenge in challenges:
        m.Lesson.objects.create(
            case=case, title=f"{slug} 的教训", body="教训正文。", challenge=m.Challenge.objects.get(slug=challenge)
        )
    for date, kind in milestones:
        m.Milestone.objects.create(case=case, date=date, kind=kind, title=f"{slug} {kind}")
    return case


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
        region="china", layer="application", access="product", factors=["strong-team"], challenges=["market-competition"]
    )
    matches = founder.similar_cases(index(rf), profile)
    # pivot-co: layer 2 + region 1 + access 1 + factor 1 + challenge 1; acquired-co: layer 2;
    # Baidu: China 1; OpenAI: strong-team 1 (ties in the case list's order: Baidu cites more
    # primary sources). 公司X is never compared.
    assert [(match.case.slug, match.score) for match in matches] == [
        ("pivot-co", 6),
        ("acquired-co", 2),
        ("baidu-paddle-ernie", 1),
        ("openai-gpt3", 1),
    ]
    top = matches[0]
    assert (top.same_layer, top.same_region, top.same_access) == (True, True, True)
    assert [f.slug for f in top.shared_factors] == ["strong-team"]
    assert [c.slug for c in top.shared_challenges] == ["market-competition"]
    assert matches[2].same_region and not matches[2].same_layer
    assert [f.slug for f in matches[3].shared_factors] == ["strong-team"]


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
    factor_rows = [(row.key, [bool(cell) for cell in row.cells], row.differs) for row in rows if row.kind == "factor"]
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
    chart = charts.timeline([pivot, acquired], m.Milestone.objects.filter(case__in=more_cases).order_by("date"))
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
        ["数据隐私和安全", "数据加密、数据匿名化、隐私保护技术", "OpenAI与GPT-3 (运营中)、acquired-co 标题 (被收购或人才收购)"],
        ["计算资源需求", "使用云计算服务", "百度飞桨与ERNIE (已上市)"],
        ["市场竞争", "差异化竞争", "pivot-co 标题 (已转型)"],
    ]
