"""Search with the editors' synonym table, clean snippets, and the English content notice."""

import pytest

from articles import models as m

from .helpers import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_case():
    case = make_case(
        "zeta-co",
        region="china",
        layer="application",
        access="product",
        outcome="operating",
    )
    case.body = "公司做的是一个面向企业的智能体平台，收入约1350亿美元[11]，据报道。"
    case.save()
    return case


def titles(client, url):
    html = client.get(url).content.decode()
    return html, '/cases/zeta-co/"' in html


def test_a_synonym_finds_what_the_other_word_wrote_both_ways(client, agent_case):
    m.SynonymGroup.objects.all().delete()
    assert titles(client, "/search/?q=Agent")[1] is False
    m.SynonymGroup.objects.create(words="Agent\n智能体")  # an editor's new group applies at once
    assert titles(client, "/search/?q=Agent")[1] is True
    assert titles(client, "/search/?q=agent")[1] is True  # case does not matter
    assert titles(client, "/search/?q=智能体")[1] is True
    other = make_case(
        "english-co",
        region="overseas",
        layer="application",
        access="api",
        outcome="operating",
    )
    other.body = "An Agent platform."
    other.save()
    assert '/cases/english-co/"' in client.get("/search/?q=智能体").content.decode()


def test_the_shipped_synonyms_pair_agent_and_privacy_with_their_chinese(client, agent_case):
    assert titles(client, "/en/search/?q=agent")[1] is True
    privacy = make_case(
        "privacy-co",
        region="china",
        layer="application",
        access="product",
        outcome="operating",
    )
    privacy.body = "它把隐私放在首位。"
    privacy.save()
    assert '/en/cases/privacy-co/"' in client.get("/en/search/?q=privacy").content.decode()


def test_snippets_leave_out_citation_marks(client, agent_case):
    html = client.get("/search/?q=收入").content.decode()
    assert "约1350亿美元，据报道" in html
    assert "美元11" not in html and "[11]" not in html


def test_english_pages_say_the_content_is_in_chinese_and_chinese_pages_do_not(client):
    english = client.get("/en/cases/").content.decode()
    assert 'id="content-language"' in english and "written in Chinese" in english
    assert 'id="content-language"' not in client.get("/cases/").content.decode()


def test_the_home_page_offers_the_self_check_and_the_comparison(client):
    html = client.get("/").content.decode()
    tools = html.split('id="tools-heading"')[1].split("</section>")[0]
    assert 'href="/self-check/"' in tools and 'href="/compare/"' in tools
