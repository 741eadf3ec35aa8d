"""The fixes from the content review of the seed article's records, and the case-library additions.

Each test states one fix in a way the content before the review fails.
"""

import re

import pytest

from articles import models as m

pytestmark = pytest.mark.django_db

# The record kinds edited in this review (case studies are edited elsewhere).
KINDS = (
    m.Concept,
    m.Resource,
    m.Strategy,
    m.Advice,
    m.FAQ,
    m.Trend,
    m.Challenge,
    m.SuccessFactor,
)
TEXT_FIELDS = ("title", "summary", "body", "editor_note")
# The challenge keeps the article's wording as its title (the inventory test names it).
CHALLENGE_TITLE = "模型解释性和可靠性"


def texts():
    """(where, text) for every text of the kinds above, including how a strategy applies to a challenge."""
    for model in KINDS:
        for record in model.objects.all():
            for field in TEXT_FIELDS:
                yield f"{model.__name__} {record.slug}.{field}", getattr(record, field)
    for mitigation in m.Mitigation.objects.select_related("challenge", "strategy"):
        yield f"Mitigation {mitigation.challenge.slug}/{mitigation.strategy.slug}", mitigation.how


def unquoted(text):
    """The text without its “quotations”."""
    return re.sub(r"“[^”]*”", "", text)


# ---------------------------------------------------------------------------
# 1. GPT-3 is quoted as the article says it


def test_gpt3_quotes_the_article():
    gpt3 = m.Concept.objects.get(slug="gpt-3")
    assert "当时最大的" not in gpt3.body
    assert "迄今为止最大的预训练模型之一" in gpt3.body
    assert "当前最大的预训练语言模型" in gpt3.body
    assert "PaLM" in gpt3.editor_note


# 2. AI large models: the article's claims are attributed, the editor's note corrects them


def test_ai_large_models_attributes_the_multimodal_claim():
    concept = m.Concept.objects.get(slug="ai-large-models")
    # The summary does not state as fact that GPT-3/BERT handle images and speech.
    assert "原文称" in concept.summary
    assert concept.summary.index("原文称") < concept.summary.index("图像")
    assert "原文称，这些模型" in concept.body
    assert "CLIP" in concept.editor_note


def test_ai_large_models_notes_that_large_models_are_transformers():
    concept = m.Concept.objects.get(slug="ai-large-models")
    assert "原文称，AI大模型的核心算法" in concept.body
    assert "常见的大模型架构" in concept.editor_note
    assert "Transformer" in concept.editor_note
    assert all(name in concept.editor_note for name in ("CNN", "RNN", "LSTM", "GAN"))


# 4. The early recurrent networks are dated consistently


@pytest.mark.parametrize("slug", ["rnn", "lstm"])
def test_rnn_history_names_an_eighties_network(slug):
    note = m.Concept.objects.get(slug=slug).editor_note
    assert "1990年的Elman" not in note
    assert "1982年的Hopfield" in note or "1986年的Jordan" in note


# 5. An unconfirmed attribution is not filled in as fact


def test_intelligence_revolution_is_treated_like_the_other_unconfirmed_books():
    book = m.Resource.objects.get(slug="intelligence-revolution")
    assert book.authors == "未能确认"
    assert book.year is None
    assert "未能确认" in book.summary
    assert "李彦宏" in book.editor_note and "韩坤" in book.editor_note


def test_every_unconfirmed_resource_leaves_authors_and_year_open():
    unconfirmed = m.Resource.objects.filter(editor_note__contains="未能确认")
    assert unconfirmed.count() >= 4
    for resource in unconfirmed:
        assert resource.authors == "未能确认", resource.slug
        assert resource.year is None, resource.slug


# 6. TPUs are rented through Google Cloud, not bought


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        (m.Strategy, "hardware-upgrade"),
        (m.Advice, "invest-in-hardware"),
        (m.FAQ, "faq-compute-demand"),
        (m.Challenge, "compute-demand"),
    ],
)
def test_buying_tpus_is_corrected(model, slug):
    note = model.objects.get(slug=slug).editor_note
    assert "TPU" in note and "Google Cloud" in note and "租用" in note


def test_faq_compute_demand_keeps_its_earlier_note():
    note = m.FAQ.objects.get(slug="faq-compute-demand").editor_note
    assert "降低延迟" in note and "TPU" in note


def test_compute_demand_does_not_advise_buying_tpus():
    mitigation = m.Mitigation.objects.get(challenge__slug="compute-demand", strategy__slug="hardware-upgrade")
    assert "GPU、TPU等硬件" not in mitigation.how
    assert "租用" in mitigation.how


# 7. Only compressed or distilled small models run in real time on edge devices


@pytest.mark.parametrize(
    ("model", "slug"),
    [(m.Concept, "edge-computing"), (m.Trend, "edge-cloud-convergence"), (m.FAQ, "faq-future-trends")],
)
def test_large_models_on_edge_devices_is_corrected(model, slug):
    record = model.objects.get(slug=slug)
    assert "压缩" in record.editor_note and "蒸馏" in record.editor_note
    assert "小模型" in record.editor_note


# 8. Google AI and TensorFlow are not Google Cloud products


def test_google_cloud_names_vertex_ai():
    google_cloud = m.Resource.objects.get(slug="google-cloud")
    assert "Vertex AI" in google_cloud.editor_note
    assert "原文称" in google_cloud.summary


# 9. Smaller corrections


def test_deep_belief_network_credits_its_three_authors():
    note = m.Concept.objects.get(slug="deep-belief-network").editor_note
    assert "Osindero" in note and "Teh" in note


def test_alexnet_public_attention_is_qualified():
    alexnet = m.Concept.objects.get(slug="alexnet")
    assert "大众视野" in alexnet.editor_note
    assert "原文称" in alexnet.summary


def test_privacy_preserving_tech_notes_the_accuracy_cost():
    for record in (
        m.Strategy.objects.get(slug="privacy-preserving-tech"),
        m.FAQ.objects.get(slug="faq-data-privacy"),
    ):
        assert "差分隐私" in record.editor_note and "准确率" in record.editor_note, record.slug


def test_perceptron_is_dated_1958():
    perceptron = m.Concept.objects.get(slug="perceptron")
    assert perceptron.year == 1958
    assert perceptron.year_is_decade is False
    assert "80年代" in perceptron.body  # the article's claim stays in the text …
    assert "1958" in perceptron.editor_note  # … and the note corrects it


def test_ernie_is_expanded_correctly():
    for where, text in texts():
        assert "kNowledge Integration" not in text, where
        if "Enhanced Representation through" in text:
            assert "Enhanced Representation through kNowledge IntEgration" in text, where


# 10. One term each; strategies and advice that share a title are linked, not duplicated


def test_interpretability_is_spelled_one_way():
    for where, text in texts():
        text = text.replace(CHALLENGE_TITLE, "")
        assert not re.search(r"(?<!可)解释性", text), where
    assert m.Trend.objects.get(slug="interpretability-transparency").title == "模型的可解释性和透明度"


def test_lstm_has_one_name():
    assert m.Concept.objects.get(slug="lstm").title == "长短期记忆网络（LSTM）"
    for where, text in texts():
        assert "长短时记忆" not in unquoted(text), where


def test_open_collaboration_has_one_name():
    assert m.SuccessFactor.objects.get(slug="open-collaboration").title == "开放的合作生态"
    for where, text in texts():
        assert "开放的合作模式" not in unquoted(text), where


@pytest.mark.parametrize(
    ("strategy", "advice"),
    [
        ("privacy-compliance", "comply-privacy-regulations"),
        ("ethical-principles", "follow-ethical-principles"),
    ],
)
def test_strategy_refers_to_its_advice_instead_of_repeating_it(strategy, advice):
    strategy = m.Strategy.objects.get(slug=strategy)
    advice = m.Advice.objects.get(slug=advice)
    assert strategy.title == advice.title
    assert advice in strategy.advice.all()
    assert advice.source == "6.5"
    # The strategy points to the advice by name …
    assert f"“{advice.title}”" in strategy.body
    # … and repeats none of its sentences, nor its editor's note.
    for sentence in re.split(r"[。\n]", advice.body):
        sentence = sentence.strip("- ：:；;")
        if len(sentence) >= 12:
            assert sentence not in strategy.body, sentence
    assert not advice.editor_note or advice.editor_note not in strategy.editor_note


def test_advice_keeps_the_articles_wording():
    assert "严格遵守数据隐私法规，确保用户数据的合法性和安全性" in (
        m.Advice.objects.get(slug="comply-privacy-regulations").body
    )
    assert "遵循伦理原则，确保AI技术的公平性、透明性和可解释性" in (
        m.Advice.objects.get(slug="follow-ethical-principles").body
    )


# ---------------------------------------------------------------------------
# Part B: challenges, strategies and factors of the case library

NEW_CHALLENGES = {
    "business-model": "商业模式与变现",
    "geopolitics-compute": "地缘政治与算力供应",
    "governance-key-person": "公司治理与关键人风险",
    "ip-content-compliance": "知识产权与内容合规",
    "distribution-acquisition": "分发渠道与获客",
}
NEW_FACTORS = {
    "ample-funding": "充足的资金支持",
    "data-assets": "独有的数据资源",
    "sustained-innovation": "持续的技术创新",
    "distribution-access": "现成的分发渠道",
}


@pytest.mark.parametrize("slug", NEW_CHALLENGES)
def test_new_challenge_has_strategies_that_say_how(slug):
    challenge = m.Challenge.objects.get(slug=slug)
    assert challenge.title == NEW_CHALLENGES[slug]
    assert challenge.source == ""
    assert challenge.summary.strip() and challenge.body.strip()
    assert challenge.tags.exists()
    mitigations = list(challenge.mitigations.all())
    assert len(mitigations) >= 3
    assert all(mitigation.how.strip() for mitigation in mitigations)


def test_new_challenges_come_after_the_articles():
    last_of_article = max(m.Challenge.objects.exclude(source="").values_list("position", flat=True))
    assert all(
        position > last_of_article
        for position in m.Challenge.objects.filter(slug__in=NEW_CHALLENGES).values_list("position", flat=True)
    )


@pytest.mark.parametrize("slug", NEW_FACTORS)
def test_new_factor_exists(slug):
    factor = m.SuccessFactor.objects.get(slug=slug)
    assert factor.title == NEW_FACTORS[slug]
    assert factor.source == ""
    assert factor.summary.strip() and factor.body.strip()


def test_factor_titles_are_distinct():
    titles = list(m.SuccessFactor.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
