"""The seed article, loaded: the inventory of its records and the links between them.

The article's items are a fixed set: every record that comes from it names its
section in ``source``. Records added beyond the article (the case library) have
no ``source`` and are checked by the invariants in test_invariants.py, so adding
them changes nothing here. The article's own words (its titles, its claims) are a
fixed text and are checked exactly; what the editors wrote (tags, notes, key
figures) is checked by the facts it must state, not by its wording.
"""

import pytest
from taggit.models import Tag

from articles import models as m

pytestmark = pytest.mark.django_db

# What the seed article holds, once its repeated sections are merged.
EXPECTED_INVENTORY = {
    m.Concept: 16,  # 7 dated milestones/architectures …, CNN/RNN/LSTM, cloud/big data/edge, 2 general
    m.Advantage: 3,  # 3.1.1–3.1.3
    m.Challenge: 5,  # 3.2.1–3.2.4 with 1.4 and 5.2 merged in
    m.Strategy: 16,  # 12 of 5.2, plus 技术积累, 团队建设, 遵守数据隐私法规, 遵循伦理原则 from section 6
    m.SuccessFactor: 7,  # 开放的合作模式 / 开放的合作生态 are one factor
    m.CaseStudy: 3,
    m.Trend: 5,  # 5.1
    m.Advice: 15,  # 6.1–6.5, three each
    m.Resource: 29,  # sections 7 and 10 merged
    m.FAQ: 5,  # 9.1 questions with 9.2 answers
}
# The article's own links between its records (the case library adds more to its cases).
SEED_CASE_FACTORS = {
    ("openai-gpt3", "strong-team"),
    ("openai-gpt3", "ample-compute"),
    ("openai-gpt3", "open-collaboration"),
    ("baidu-paddle-ernie", "deep-expertise"),
    ("baidu-paddle-ernie", "rich-scenarios"),
    ("baidu-paddle-ernie", "open-collaboration"),
    ("company-x-image-recognition", "clear-positioning"),
    ("company-x-image-recognition", "strong-team"),
    ("company-x-image-recognition", "good-partnerships"),
}


def from_article(model):
    return model.objects.exclude(source="")


@pytest.mark.parametrize("model", EXPECTED_INVENTORY, ids=lambda model: model.__name__)
def test_inventory(model):
    assert from_article(model).count() == EXPECTED_INVENTORY[model]


def test_the_articles_mitigations_and_case_factors_are_all_there():
    article_mitigations = m.Mitigation.objects.exclude(challenge__source="").exclude(strategy__source="")
    assert article_mitigations.count() == 17
    pairs = set(m.CaseFactor.objects.values_list("case__slug", "factor__slug"))
    assert pairs >= SEED_CASE_FACTORS


def test_tags_have_ascii_slugs_and_every_record_of_the_article_has_one():
    tags = list(Tag.objects.all())
    assert len(tags) >= 20
    assert all(tag.slug.isascii() for tag in tags)
    for model in EXPECTED_INVENTORY:
        untagged = from_article(model).filter(tags__isnull=True)
        assert list(untagged.values_list("slug", flat=True)) == [], model.__name__


def test_challenges_are_the_five_distinct_ones():
    assert set(from_article(m.Challenge).values_list("title", flat=True)) == {
        "技术门槛",
        "计算资源需求",
        "数据隐私和安全",
        "模型解释性和可靠性",
        "市场竞争",
    }


def test_strong_team_links_exactly_openai_and_company_x():
    factor = m.SuccessFactor.objects.get(title="强大的技术团队")
    assert set(factor.cases.exclude(source="").values_list("slug", flat=True)) == {
        "openai-gpt3",
        "company-x-image-recognition",
    }


def test_open_collaboration_is_one_shared_factor():
    factor = m.SuccessFactor.objects.get(slug="open-collaboration")
    seed_cases = factor.cases.exclude(source="")
    assert set(seed_cases.values_list("slug", flat=True)) == {"openai-gpt3", "baidu-paddle-ernie"}
    assert not m.SuccessFactor.objects.filter(title__in=["开放的合作模式", "开放的合作生态"]).count() > 1


def test_each_case_factor_has_its_own_explanation():
    explanations = (
        m.CaseFactor.objects.filter(factor__slug="strong-team")
        .exclude(case__source="")
        .values_list("explanation", flat=True)
    )
    assert len(set(explanations)) == 2
    assert all(explanations)


def test_data_privacy_has_its_strategies():
    challenge = m.Challenge.objects.get(title="数据隐私和安全")
    titles = set(challenge.strategies.values_list("title", flat=True))
    assert {"数据加密", "数据匿名化", "隐私保护技术"} <= titles
    assert all(mitigation.how for mitigation in challenge.mitigations.all())


def test_the_articles_challenges_have_its_strategies():
    for challenge in from_article(m.Challenge):
        assert challenge.strategies.count() >= 3, challenge
    assert {"技术积累", "团队建设"} <= set(
        m.Challenge.objects.get(title="技术门槛").strategies.values_list("title", flat=True)
    )


def test_lessons_link_to_their_challenges():
    def challenge_of(case, lesson):
        return m.Lesson.objects.get(case__slug=case, title=lesson).challenge.title

    assert challenge_of("openai-gpt3", "数据隐私问题") == "数据隐私和安全"
    assert challenge_of("baidu-paddle-ernie", "计算资源需求") == "计算资源需求"
    # About data quality, not privacy: it illustrates none of the challenges (content review).
    assert (
        m.Lesson.objects.get(case__slug="company-x-image-recognition", title="数据质量和多样性").challenge
        is None
    )


def test_case_key_figures():
    openai = m.CaseStudy.objects.get(slug="openai-gpt3")
    assert openai.founded_year == 2015
    # The fact, however the editors word the figure: GPT-3 has 175 billion parameters.
    assert any(
        "参数" in label and "1750亿" in value
        for label, value in openai.key_figures.values_list("label", "value")
    )


def test_concept_years():
    years = dict(from_article(m.Concept).exclude(year=None).values_list("slug", "year"))
    assert years == {
        "perceptron": 1958,
        "backpropagation": 1980,
        "deep-belief-network": 2006,
        "alexnet": 2012,
        "gan": 2014,
        "transformer": 2017,
        "bert": 2018,
        "gpt-3": 2020,
    }
    assert not m.Concept.objects.get(slug="perceptron").year_is_decade
    kinds = dict(m.Concept.objects.values_list("slug", "kind"))
    assert {kinds[s] for s in ("cnn", "rnn", "lstm", "gan", "transformer")} == {"architecture"}
    assert {kinds[s] for s in ("cloud-computing", "big-data", "edge-computing")} == {"technology"}


def test_resources_link_to_concepts():
    attention = m.Resource.objects.get(title__icontains="Attention is All You Need")
    assert "transformer" in attention.concepts.values_list("slug", flat=True)
    bert = m.Resource.objects.get(title__startswith="BERT")
    assert "bert" in bert.concepts.values_list("slug", flat=True)


def test_resource_kinds_cover_sections_7_and_10():
    kinds = dict(from_article(m.Resource).values_list("kind").annotate(n=m.models.Count("pk")))
    assert kinds == {
        "book": 9,
        "course": 2,
        "paper": 4,
        "paper-database": 2,
        "framework": 3,
        "cloud": 3,
        "data": 2,
        "report": 4,
    }


@pytest.mark.parametrize(
    ("model", "lookup", "needle"),
    [
        (m.Resource, {"title__contains": "Python深度学习"}, "François Chollet"),
        (m.CaseStudy, {"slug": "openai-gpt3"}, "Azure"),
        (m.Resource, {"title": "Keras"}, "JAX"),
        (m.Resource, {"title__contains": "智能革命"}, "李彦宏"),
        (m.Resource, {"title__contains": "AI超级思维"}, "未能确认"),
        (m.Resource, {"title__contains": "AI驱动的未来"}, "未能确认"),
        (m.Resource, {"title__startswith": "NASED"}, "未能确认"),
        (m.Concept, {"slug": "perceptron"}, "1958"),
        (m.Concept, {"slug": "lstm"}, "梯度"),
    ],
)
def test_editor_notes_correct_the_seed(model, lookup, needle):
    assert needle in model.objects.get(**lookup).editor_note


def test_chollet_is_credited_as_author():
    book = m.Resource.objects.get(title__contains="Python深度学习")
    assert "Chollet" in book.authors
    assert "Scialabba" not in book.authors


def test_faqs_have_short_and_full_answers():
    for faq in from_article(m.FAQ):
        assert faq.summary and faq.body and len(faq.body) > len(faq.summary)
