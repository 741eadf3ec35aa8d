"""Fast paths that must give what Django gives: url_for and reverse(), choice labels."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from articles.links import url_for
from articles.models import Milestone


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("articles:home", {}),
        ("articles:case-detail", {"slug": "openai-gpt3"}),
        ("articles:tag-detail", {"slug": "大模型 与隐私?"}),
        ("articles:record-history", {"prefix": "case", "slug": "a-b_c"}),
    ],
)
def test_url_for_matches_reverse(language, name, kwargs):
    with translation.override(language):
        assert url_for(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_url_for_follows_the_language_and_the_script_prefix():
    with translation.override("en"):
        assert url_for("articles:case-detail", slug="x") == "/en/cases/x/"
    assert url_for("articles:case-detail", slug="x") == "/cases/x/"
    set_script_prefix("/kb/")
    try:
        assert url_for("articles:case-detail", slug="x") == "/kb/cases/x/"
    finally:
        set_script_prefix("/")


def test_choice_labels_follow_the_language():
    milestone = Milestone(kind=Milestone.Kind.FUNDING)
    with translation.override("en"):
        assert milestone.get_kind_display() == "Funding"
    with translation.override("zh-hans"):
        assert milestone.get_kind_display() == "融资"
    assert Milestone(kind="no-such-kind").get_kind_display() == "no-such-kind"
