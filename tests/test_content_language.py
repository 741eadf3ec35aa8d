"""The content is Chinese in every interface language: English pages mark record text as zh-Hans.

Screen readers pick their voice and search engines the language by ``lang``. On ``/en/…`` the
interface is English (``<html lang="en">``) and every element that prints record text carries
``lang="zh-Hans"``; on Chinese pages ``<html lang="zh-Hans">`` already says it, and nothing repeats it.
"""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Texts(HTMLParser):
    """Each piece of text with the language it is in (the nearest ``lang``), and the elements
    that carry a ``lang`` attribute of their own."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs, lang)
        self.texts = []  # (text, lang, tags from the root)
        self.marked = []  # (tag, attrs, tags from the root) of elements with their own lang
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang", self.stack[-1][2] if self.stack else None)
        if "lang" in attrs:
            self.marked.append((tag, attrs, [t for t, _a, _l in self.stack]))
        if tag not in VOID:
            self.stack.append((tag, attrs, lang))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and self.stack:
            self.texts.append((data.strip(), self.stack[-1][2], [t for t, _a, _l in self.stack]))

    def lang_of(self, text, inside=None):
        """The language of the first text equal to ``text`` (within an element ``inside``)."""
        for found, lang, tags in self.texts:
            if found == text and (inside is None or inside in tags):
                return lang
        raise AssertionError(f"{text!r} is not on the page")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Texts(response.content.decode())


def test_an_english_case_page_marks_its_title_body_and_lists_as_chinese(client):
    english = page(client, "/en/cases/openai-gpt3/")
    assert english.lang_of("OpenAI与GPT-3", inside="h1") == "zh-Hans"  # the title
    assert english.lang_of("一家研究公司与它的语言模型。") == "zh-Hans"  # the summary
    assert english.lang_of("OpenAI训练了GPT-3", inside="div") == "zh-Hans"  # the body
    assert english.lang_of("强大的技术团队", inside="h3") == "zh-Hans"  # a success factor
    assert english.lang_of("顶尖研究人员。") == "zh-Hans"  # its explanation
    assert english.lang_of("OpenAI成立", inside="li") == "zh-Hans"  # a milestone
    assert english.lang_of("#自然语言处理") == "zh-Hans"  # a tag
    # The interface stays English.
    assert english.lang_of("Success factors", inside="h2") == "en"
    assert english.lang_of("Milestones", inside="h2") == "en"
    assert english.lang_of("Founding") == "en"  # a milestone's kind


def test_an_english_list_and_chart_mark_record_labels_only(client):
    cases = page(client, "/en/cases/")
    assert cases.lang_of("OpenAI与GPT-3", inside="h3") == "zh-Hans"
    assert cases.lang_of("强大的技术团队", inside="aside") == "zh-Hans"  # a facet value that is a record
    assert cases.lang_of("Operating", inside="aside") == "en"  # a facet value of the interface
    insights = page(client, "/en/insights/")
    assert insights.lang_of("强大的技术团队", inside="svg") == "zh-Hans"  # a chart label
    assert insights.lang_of("强大的技术团队", inside="table") == "zh-Hans"  # the chart's table


def test_a_chinese_page_adds_no_lang_attributes(client):
    chinese = page(client, "/cases/openai-gpt3/")
    assert chinese.lang_of("OpenAI与GPT-3", inside="h1") == "zh-Hans"  # from <html lang>
    assert chinese.lang_of("OpenAI训练了GPT-3", inside="div") == "zh-Hans"
    # Only <html> and the language switch (which names each language in itself) carry a lang.
    others = [(tag, attrs) for tag, attrs, tags in chinese.marked if tag != "html" and "nav" not in tags]
    assert others == []
    assert [attrs["lang"] for tag, attrs, _tags in chinese.marked if tag == "html"] == ["zh-Hans"]
