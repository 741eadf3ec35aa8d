"""The fixes from the content review of the seed article's records, and the case-library additions.

Each test states one fix in a way the content before the review fails. The source article's own
words are a fixed text and may be checked exactly (a record keeps the article's claim); what the
editors wrote (their notes, their records, the names they chose) is checked by rules and by the
facts it must state, never by its wording, so an editor may rephrase it without breaking a test.
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


def sentences(text):
    """The sentences of a text (Markdown headings left out)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [sentence for sentence in re.split(r"[。！？\n]", "\n".join(lines)) if sentence.strip()]


def attributed(text, claim):
    """``text`` makes ``claim``, and every sentence that makes it first says it is the article's (原文…)."""
    making = [sentence for sentence in sentences(text) if claim in sentence]
    return bool(making) and all(-1 < sentence.find("原文") < sentence.find(claim) for sentence in making)


def refers_to_its_note(record):
    """The record's text points to its editor's note, and the note says something."""
    return "编者注" in record.summary + record.body and len(record.editor_note.strip()) >= 10


def one_name(names):
    """Of a term's ``names``, the one the knowledge base uses: the only one found outside quotations
    (an editor's note may still quote the article's other name)."""
    used = {name for name in names for _where, text in texts() if name in unquoted(text)}
    assert len(used) == 1, f"{sorted(used)} are all used; keep one of {names}"
    return used.pop()


# ---------------------------------------------------------------------------
# 1. GPT-3 is quoted as the article says it


def test_gpt3_quotes_the_article():
    gpt3 = m.Concept.objects.get(slug="gpt-3")
    # The article's two claims, in its own words …
    assert "迄今为止最大的预训练模型之一" in gpt3.body
    assert "当前最大的预训练语言模型" in gpt3.body
    # … quoted and attributed, never said in the knowledge base's own voice; the note corrects them.
    assert "最大" not in unquoted(gpt3.body)
    assert attributed(gpt3.body, "最大")
    assert refers_to_its_note(gpt3)


# 2. AI large models: the article's claims are attributed, the editor's note corrects them


def test_ai_large_models_attributes_the_multimodal_claim():
    concept = m.Concept.objects.get(slug="ai-large-models")
    # Neither the summary nor the body states as fact that GPT-3/BERT handle images and speech.
    assert attributed(concept.summary, "图像")
    assert attributed(concept.body, "图像、语音")
    assert refers_to_its_note(concept)


def test_ai_large_models_notes_that_large_models_are_transformers():
    concept = m.Concept.objects.get(slug="ai-large-models")
    assert attributed(concept.body, "常见的大模型架构")  # the article's list, as the article's
    assert "Transformer" in concept.editor_note
    assert all(name in concept.editor_note for name in ("CNN", "RNN", "LSTM", "GAN"))


# 4. The early recurrent networks are dated consistently


def first_recurrent_network(note):
    """The earliest year the note gives for a recurrent network (“1982年的Hopfield网络”)."""
    years = [int(year) for year in re.findall(r"(19\d\d)年的\w+网络", note)]
    assert years, note
    return min(years)


def test_rnn_history_names_an_eighties_network_in_both_notes():
    rnn, lstm = (m.Concept.objects.get(slug=slug).editor_note for slug in ("rnn", "lstm"))
    assert 1980 <= first_recurrent_network(rnn) < 1990
    assert first_recurrent_network(lstm) == first_recurrent_network(rnn)  # dated consistently


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
    # The fact the note must state: TPUs are had through Google Cloud.
    assert any("TPU" in sentence and "Google Cloud" in sentence for sentence in sentences(note)), note


BUY = re.compile(r"购买|采购|购置|自购")


def test_faq_compute_demand_keeps_its_earlier_note():
    note = m.FAQ.objects.get(slug="faq-compute-demand").editor_note
    # Two corrections in one note: latency (the earlier one) and TPUs.
    assert "延迟" in note and "TPU" in note


def test_compute_demand_does_not_advise_buying_tpus():
    mitigation = m.Mitigation.objects.get(challenge__slug="compute-demand", strategy__slug="hardware-upgrade")
    for sentence in re.split(r"[。；，（）]", mitigation.how):
        assert not (BUY.search(sentence) and "TPU" in sentence), sentence
    assert "TPU" in mitigation.how and "Google Cloud" in mitigation.how


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
    assert attributed(alexnet.summary, "大众视野")  # the article's claim, as the article's
    assert refers_to_its_note(alexnet)


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
    assert "可解释性" in m.Trend.objects.get(slug="interpretability-transparency").title


# The article names each of these two ways; the knowledge base uses one (the editors' choice).


def test_lstm_has_one_name():
    name = one_name(["长短期记忆", "长短时记忆"])
    assert name in m.Concept.objects.get(slug="lstm").title


def test_open_collaboration_has_one_name():
    name = one_name(["开放的合作模式", "开放的合作生态"])
    assert m.SuccessFactor.objects.get(slug="open-collaboration").title == name


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
# Part B: challenges, strategies and factors of the case library (the editors' additions: no
# ``source``). Checked as rules over every such record, with a floor, not by title.

EDITORS_CHALLENGES_AT_LEAST = 5
EDITORS_FACTORS_AT_LEAST = 4


def editors(model):
    return model.objects.filter(source="")


def test_the_editors_added_challenges_with_strategies_that_say_how():
    challenges = list(editors(m.Challenge).prefetch_related("mitigations", "tags"))
    assert len(challenges) >= EDITORS_CHALLENGES_AT_LEAST
    for challenge in challenges:
        assert challenge.summary.strip() and challenge.body.strip(), challenge.slug
        assert challenge.tags.all(), challenge.slug
        mitigations = list(challenge.mitigations.all())
        assert len(mitigations) >= 3, challenge.slug
        assert all(mitigation.how.strip() for mitigation in mitigations), challenge.slug


def test_the_editors_challenges_come_after_the_articles():
    last_of_article = max(m.Challenge.objects.exclude(source="").values_list("position", flat=True))
    assert all(
        position > last_of_article for position in editors(m.Challenge).values_list("position", flat=True)
    )


def test_the_editors_added_success_factors_with_a_summary_and_a_text():
    factors = list(editors(m.SuccessFactor))
    assert len(factors) >= EDITORS_FACTORS_AT_LEAST
    for factor in factors:
        assert factor.summary.strip() and factor.body.strip(), factor.slug


@pytest.mark.parametrize("model", [m.Challenge, m.SuccessFactor], ids=lambda model: model.__name__)
def test_titles_are_distinct(model):
    titles = list(model.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
