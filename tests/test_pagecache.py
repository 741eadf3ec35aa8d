"""Rendered pages cached by content version: never stale, 304 on a matching ETag, no cookies."""

import json
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import get_resolver
from reversion.models import Version

from articles import models as m
from articles.pagecache import policy_of

from .conftest import TEST_KB, admin_form_data
from .helpers import admin_url, edit_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (tests otherwise roll back without committing)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_page_is_served_from_the_cache_with_one_query(client, page_cache, django_assert_num_queries):
    first = client.get("/cases/?factor=strong-team")
    with django_assert_num_queries(1):  # the content version, nothing else
        second = client.get("/cases/?factor=strong-team")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second["Content-Language"] == "zh-hans"
    assert "Content-Security-Policy" in second  # the site's headers still apply


def test_languages_and_queries_are_cached_apart(client, page_cache):
    chinese = client.get("/cases/").content.decode()
    english = client.get("/en/cases/").content.decode()
    assert '<html lang="zh-Hans">' in chinese and '<html lang="en">' in english
    assert client.get("/en/cases/").content.decode() == english
    assert client.get("/cases/?outcome=listed").context is not None  # a different URL renders anew


def stored(client, url):
    """Whether ``url`` is in the page cache: only a stored page is sent with its ETag."""
    return "ETag" in client.get(url)


@pytest.mark.parametrize(
    ("url", "is_stored"),
    [
        ("/cases/?factor=strong-team&outcome=listed", True),  # parameters the list reads
        ("/cases/?factor=strong-team&utm_source=x", False),  # one it does not read: named, not stored
        ("/cases/?factor=no-such-factor", False),  # a notice about a bad value: not stored
        ("/cases/?page=99", False),  # a page that does not exist: a notice
        ("/challenges/compute-demand/?x=1", False),  # a record page reads no parameter
        ("/search/", True),  # the empty search page
        ("/search/?q=隐私", False),  # search results are not stored
        ("/self-check/?check=1&layer=application", False),  # a founder's answers never are
        ("/compare/?c=openai-gpt3&c=baidu-paddle-ernie", False),  # nor a chosen comparison
        ("/healthz", False),  # a view without the mark
    ],
)
def test_only_marked_pages_with_the_parameters_they_read_and_no_notice_are_stored(
    client, page_cache, url, is_stored
):
    client.get(url)
    assert stored(client, url) is is_stored


def test_the_order_of_parameters_does_not_make_another_page(client, page_cache):
    client.get("/cases/?outcome=listed&factor=strong-team")
    assert stored(client, "/cases/?factor=strong-team&outcome=listed")


def test_every_reader_view_says_whether_it_is_cached():
    """Caching is decided per view: each reader URL's view has a ``cached_page`` mark, or is one
    of the few that must never be stored."""
    never = {"healthz", "favicon", "set_language", "report", None}
    unmarked = []

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if "admin" in str(pattern.pattern) or "api/" in str(pattern.pattern):
                    continue
                walk(pattern.url_patterns)
            elif policy_of(pattern.callback) is None and pattern.name not in never:
                unmarked.append(pattern.name)

    walk(get_resolver().url_patterns)
    assert unmarked == []


def test_a_matching_etag_gets_304_and_a_change_a_new_etag(client, page_cache, committed):
    etag = client.get("/faq/")["ETag"]
    response = client.get("/faq/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert client.get("/faq/", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    with committed():
        m.FAQ.objects.get(slug="faq-main-challenges").save()
    response = client.get("/faq/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.parametrize("url", ["/", "/cases/?factor=strong-team", "/en/challenges/", "/search/"])
def test_reader_pages_are_public_with_no_cookie_and_no_vary_on_cookie(client, page_cache, url, settings):
    for _ in range(2):  # rendered, then from the cache
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert directives == {
            "public",
            f"max-age={settings.PAGE_MAX_AGE}",
            f"s-maxage={settings.PAGE_S_MAXAGE}",
        }
        assert response["Last-Modified"]


def test_the_admin_and_health_check_stay_private_and_uncached(staff_client, page_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/admin/")
    assert not [query for query in queries if "contentversion" in query["sql"]]  # not even read
    response = staff_client.get("/admin/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "ETag" not in staff_client.get("/healthz")


def change_summary_in_admin(client):
    edit_in_admin(client, m.CaseStudy.objects.get(slug="openai-gpt3"), summary="管理后台改过的摘要。")
    return "/cases/openai-gpt3/", "管理后台改过的摘要。", True


def change_factor_inline(client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    response = client.get(admin_url(m.CaseStudy, "change", case.pk))
    data = admin_form_data(response, **{"case_factors-0-explanation": "行内改过的说明。"})
    assert client.post(admin_url(m.CaseStudy, "change", case.pk), data).status_code == 302
    return "/cases/openai-gpt3/", "行内改过的说明。", True


def delete_in_admin(client):
    faq = m.FAQ.objects.get(slug="faq-main-challenges")
    assert client.post(admin_url(m.FAQ, "delete", faq.pk), {"post": "yes"}).status_code == 302
    return "/faq/", "AI大模型创业的主要挑战是什么？", False


def tag_a_record(client):
    m.Trend.objects.get(slug="larger-models").tags.add("新话题")
    return "/trends/larger-models/", "#新话题", True


def run_load_kb(client, tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(TEST_KB, target)
    faqs = json.loads((target / "faqs.json").read_text(encoding="utf-8"))
    faqs[0]["title"] = "load_kb 改过的问题？"
    (target / "faqs.json").write_text(json.dumps(faqs, ensure_ascii=False), encoding="utf-8")
    call_command("load_kb", str(target), verbosity=0)
    return "/faq/", "load_kb 改过的问题？", True


def run_generate_synthetic(client):
    call_command("generate_synthetic", cases=2, verbosity=0)
    return "/cases/", "合成案例", True


CHANGES = [
    change_summary_in_admin,
    change_factor_inline,
    delete_in_admin,
    tag_a_record,
    run_load_kb,
    run_generate_synthetic,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_every_kind_of_change_shows_on_the_next_request(
    staff_client, page_cache, committed, change, tmp_path
):
    client = staff_client
    pages = [
        "/cases/openai-gpt3/",
        "/cases/baidu-paddle-ernie/",
        "/faq/",
        "/trends/larger-models/",
        "/cases/",
    ]
    before = {url: client.get(url).content.decode() for url in pages}
    with committed():
        args = (client, tmp_path) if change is run_load_kb else (client,)
        url, text, shown = change(*args)  # the text the change adds (shown) or removes
    assert (text in before[url]) is not shown
    assert (text in client.get(url).content.decode()) is shown


def test_a_revert_shows_on_the_next_request(staff_client, page_cache, committed):
    client = staff_client
    case = m.CaseStudy.objects.get(slug="baidu-paddle-ernie")
    original = case.summary
    with committed():
        edit_in_admin(client, case, summary="一次要撤销的修改。")
    assert "一次要撤销的修改。" in client.get("/cases/baidu-paddle-ernie/").content.decode()
    oldest = list(Version.objects.get_for_object(case))[-1]
    revision = admin_url(m.CaseStudy, "revision", case.pk, oldest.pk)
    with committed():
        assert client.post(revision, admin_form_data(client.get(revision))).status_code == 302
    body = client.get("/cases/baidu-paddle-ernie/").content.decode()
    assert "一次要撤销的修改。" not in body and original in body


def test_a_recovered_record_shows_on_the_next_request(staff_client, page_cache, committed):
    client = staff_client
    faq = m.FAQ.objects.get(slug="faq-main-challenges")
    with committed():
        client.post(admin_url(m.FAQ, "delete", faq.pk), {"post": "yes"})
    assert faq.title not in client.get("/faq/").content.decode()
    version = Version.objects.get_deleted(m.FAQ).get(object_id=str(faq.pk))
    recover = admin_url(m.FAQ, "recover", version.pk)
    with committed():
        assert client.post(recover, admin_form_data(client.get(recover))).status_code == 302
    assert faq.title in client.get("/faq/").content.decode()
