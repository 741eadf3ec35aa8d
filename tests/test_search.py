"""Search across all record kinds, in Chinese (two-character words too) and English."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")


def groups(response):
    return {group.kind.key: group for group in response.context["groups"]}


def titles(response, key):
    return [item.title for item in groups(response)[key].results]


def test_two_character_chinese_word(client):
    response = client.get(URL, {"q": "隐私"})
    assert response.status_code == 200
    found = groups(response)
    assert "数据隐私和安全" in titles(response, "challenges")
    assert "隐私保护技术" in titles(response, "strategies")
    assert found["challenges"].count >= 1
    body = response.content.decode()
    assert "<mark>隐私</mark>" in body
    assert f"{response.context['total']} 条与“隐私”相关的结果" in body


def test_federated_learning(client):
    response = client.get(URL, {"q": "联邦学习"})
    assert "隐私保护技术" in titles(response, "strategies")
    assert "<mark>联邦学习</mark>" in response.content.decode()


def test_english_term_is_case_insensitive(client):
    response = client.get(URL, {"q": "transformer"})
    found = groups(response)
    assert "Transformer架构" in titles(response, "concepts")
    assert "resources" in found
    assert "<mark>Transformer</mark>" in response.content.decode()


def test_all_terms_must_match(client):
    response = client.get(URL, {"q": "隐私 联邦学习"})
    assert titles(response, "strategies") == ["隐私保护技术"]


def test_tags_are_searched(client):
    response = client.get(URL, {"q": "安防"})
    assert any("公司X" in t for t in titles(response, "cases"))


def test_empty_query_shows_suggestions(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "例如" in response.content.decode()
    assertContains(response, '<a href="/search/?q=%E9%9A%90%E7%A7%81">隐私</a>', html=True)


def test_no_result_state(client):
    response = client.get(URL, {"q": "区块链量子火星"})
    assert response.status_code == 200
    assert "没有找到与“区块链量子火星”相关的内容" in response.content.decode()


def test_query_is_escaped(client):
    response = client.get(URL, {"q": "<script>alert(1)</script>"})
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


def test_overlong_query_is_a_400_that_says_why(client):
    response = client.get(URL, {"q": "隐" * 500})
    assert response.status_code == 400
    assert "搜索内容过长" in response.content.decode()


def test_one_type_with_pagination(client):
    response = client.get(URL, {"q": "隐私", "type": "strategies"})
    assert response.status_code == 200
    assert "隐私保护技术" in [item.title for item in response.context["results"]]
    response = client.get(URL, {"q": "隐私", "type": "bogus"})
    assert response.status_code == 200
    assert "未知的结果类型" in response.content.decode()


def test_repeated_q_values_are_searched_together(client):
    response = client.get(URL, {"q": ["隐私", "联邦学习"]})
    assert response.context["query"] == "隐私 联邦学习"
    assert titles(response, "strategies") == ["隐私保护技术"]


def test_several_types_and_unknown_parameters_are_reported(client):
    response = client.get(URL, {"q": "隐私", "type": ["cases", "faq"], "sort": "new"})
    body = response.content.decode()
    assert "一次只能选择一种结果类型" in body
    assert "未知参数“sort”已被忽略" in body
    assert len(response.context["groups"]) > 1


def test_bad_page_in_one_type(client):
    response = client.get(URL, {"q": "隐私", "type": "strategies", "page": "zz"})
    assert response.status_code == 200
    assert "没有第“zz”页" in response.content.decode()


def test_title_matches_come_first_and_excerpts_show_the_match(client):
    response = client.get(URL, {"q": "隐私"})
    assert titles(response, "challenges")[0] == "数据隐私和安全"
    # A match only in an editor's note is shown in the excerpt.
    response = client.get(URL, {"q": "联邦隐私法"})
    assert "<mark>联邦隐私法</mark>" in response.content.decode()


def test_excerpts_drop_markdown_list_markers():
    from articles import models as m
    from articles.search import highlight_pattern
    from articles.templatetags.kb import excerpt

    concept = m.Concept(summary="", body="- 第一项\n- 第二项 隐私\n1. 第三项", editor_note="")
    text = excerpt(concept, highlight_pattern(["隐私"]))
    assert "- " not in text and "1." not in text
    assert "第二项 隐私" in text


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("奥尔特曼", "openai-gpt3"),  # a founder, in Chinese (the founders field)
        ("Sam Altman", "openai-gpt3"),  # … and in English (other names)
        ("ChatGPT", "openai-gpt3"),  # a product
        ("李彦宏", "baidu-paddle-ernie"),
        ("Robin Li", "baidu-paddle-ernie"),
        ("文心一言", "baidu-paddle-ernie"),
    ],
)
def test_cases_are_found_by_founder_product_and_other_names(client, query, slug):
    response = client.get(URL, {"q": query, "type": "cases"})
    assert [case.slug for case in response.context["results"]] == [slug]


def test_tokens_are_cjk_bigrams_then_single_characters_and_lower_case_words():
    from articles.search_index import fts5_query, tokenize, tsquery

    assert tokenize("隐私保护 GPT-3 与 Transformer") == "隐私 私保 保护 gpt 3 与 transformer 隐 私 保 护 与"
    assert fts5_query(["联邦学习", "gpt-3"]) == '"联邦 邦学 学习" AND "gpt 3"*'
    assert tsquery(["隐私", "trans"]) == "(隐私) & (trans:*)"
    assert fts5_query(["——"]) == ""


def test_single_characters_and_english_prefixes_are_found(client):
    response = client.get(URL, {"q": "云", "type": "concepts"})
    assert [item.slug for item in response.context["results"]] == ["cloud-computing"]
    response = client.get(URL, {"q": "Transf", "type": "concepts"})
    assert [item.slug for item in response.context["results"]] == ["transformer", "bert"]  # title match first
    response = client.get(URL, {"q": "——"})
    assert response.status_code == 200 and response.context["total"] == 0


def search_slugs(client, query, kind):
    return [item.slug for item in client.get(URL, {"q": query, "type": kind}).context["results"]]


def test_the_index_follows_every_edit(client):
    from articles import models as m

    faq = m.FAQ.objects.get(slug="faq-main-challenges")
    faq.summary = "新的回答提到量子退火。"
    faq.save()
    assert search_slugs(client, "量子退火", "faq") == ["faq-main-challenges"]
    faq.tags.add("超导")
    assert search_slugs(client, "超导", "faq") == ["faq-main-challenges"]
    faq.tags.clear()
    assert search_slugs(client, "超导", "faq") == []
    # A child row's text belongs to its record: a lesson edited, the case is found by it.
    lesson = m.Lesson.objects.get(title="算力成本")
    lesson.body = "改用国产推理芯片。"
    lesson.save()
    assert search_slugs(client, "推理芯片", "cases") == ["baidu-paddle-ernie"]
    lesson.delete()
    assert search_slugs(client, "推理芯片", "cases") == []
    faq.delete()
    assert search_slugs(client, "量子退火", "faq") == []


def test_rebuilding_the_index_gives_the_same_results(client):
    from django.core.management import call_command

    before = {
        query: client.get(URL, {"q": query}).context["total"] for query in ("隐私", "联邦学习", "transformer")
    }
    call_command("rebuild_search_index", verbosity=0)
    after = {query: client.get(URL, {"q": query}).context["total"] for query in before}
    assert after == before and all(after.values())
