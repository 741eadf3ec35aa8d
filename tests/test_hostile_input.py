"""Every URL pattern under hostile paths, query strings and methods: never a 5xx, 405 for wrong methods."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import urls as article_urls
from tests.helpers import body

pytestmark = pytest.mark.django_db

# A real and a made-up value for every pattern that takes a slug.
SAMPLE_SLUGS = {
    "case-detail": "openai-gpt3",
    "factor-detail": "strong-team",
    "challenge-detail": "data-privacy-security",
    "strategy-detail": "data-encryption",
    "concept-detail": "transformer",
    "advantage-detail": "technical-breakthrough",
    "trend-detail": "larger-models",
    "advice-detail": "find-a-niche",
    "faq-detail": "faq-main-challenges",
    "resource-detail": "attention-is-all-you-need",
    "tag-detail": "nlp",
    "tag-feed": "nlp",
    "challenge-feed": "data-privacy-security",
    "kind-feed": "cases",
}

HOSTILE_QUERIES = [
    "q=" + "隐" * 3000,
    "page=-1",
    "page=0",
    "page=99999999999999999999999999",
    "page=1e9",
    "page=%FF",
    "factor=%FF%FE&tag=%C3%28",
    "factor=%E4%B8",
    "q=%E4%B8%",
    "q=%ZZ&factor=%G1",
    "q=' OR 1=1 --&factor=' OR '1'='1",
    "q=1;DROP TABLE articles_casestudy;--",
    "q={{7*7}}{% debug %}{% load os %}",
    "q=%00&factor=%00",
    "q=\\x00\\u0000",
    "&".join(["factor=strong-team"] * 60 + ["tag=nlp"] * 60),
    "type=" + "x" * 5000,
    "kind=book&kind=book&kind=&kind=%20",
    "q=&q=&q=",
    "language=xx&next=javascript:alert(1)",
    # Characters that str.isdigit() accepts and int() rejects (superscripts, circled digits),
    # and digits that int() accepts from other scripts: a hand-written page parser broke on these.
    "page=²",
    "page=⑤",
    "page=１２",
    "page=١",
    "page=1&page=²",
    "page=" + "9" * 400,
    "type=²&q=²",
]

# Every query parameter a page reads, with a value of the class above.
UNICODE_DIGITS = ["²", "⑤", "³³", "1²", "𝟓"]


def concrete_urls():
    urls = []
    for pattern in article_urls.urlpatterns:
        name = pattern.name
        if name == "record-history":
            for slug in ("openai-gpt3", "no-such-record"):
                urls.append(reverse("articles:record-history", kwargs={"prefix": "case", "slug": slug}))
        elif "<" in str(pattern.pattern):
            assert name in SAMPLE_SLUGS, f"add a sample slug for the new pattern {name!r}"
            urls.append(reverse(f"articles:{name}", kwargs={"slug": SAMPLE_SLUGS[name]}))
            urls.append(reverse(f"articles:{name}", kwargs={"slug": "no-such-record"}))
        else:
            urls.append(reverse(f"articles:{name}"))
    return urls


def list_urls():
    return [reverse(f"articles:{p.name}") for p in article_urls.urlpatterns if p.name.endswith("-list")] + [
        reverse("articles:search") + "?q=隐私&type=strategies&",
        reverse("articles:search") + "?q=隐私&",
    ]


@pytest.mark.parametrize("url", list_urls())
@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_list_pages_answer_odd_page_numbers_with_a_page_that_says_so(client, url, value):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}page={value}")
    assert response.status_code == 200, (url, value)
    body = response.content.decode()
    if response.context.get("page_obj"):  # a paginated list names the page it could not show
        assert f"没有第“{value}”页，现显示第 1 页" in body, url
    elif "search" in url:  # search pages within one result type only
        assert "每次只能翻页一种结果类型" in body, url
    else:  # a list without pages reads no page number, and says so
        assert "未知参数“page”已被忽略" in body, url


def test_samples_exist(client):
    for name, slug in SAMPLE_SLUGS.items():
        assert client.get(reverse(f"articles:{name}", kwargs={"slug": slug})).status_code == 200, name


@pytest.mark.parametrize("url", concrete_urls())
def test_hostile_query_strings_never_give_a_server_error(client, url):
    for query in HOSTILE_QUERIES:
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query)
        assert response.status_code in (200, 301, 400, 404), (url, query, response.status_code)


@pytest.mark.parametrize("url", concrete_urls())
def test_read_only_pages_refuse_other_methods(url):
    client = Client(enforce_csrf_checks=True)
    expected_get = client.get(url).status_code
    assert expected_get in (200, 301, 404)
    assert client.head(url).status_code == expected_get
    assert body(client.head(url)) == b""
    form = url.startswith("/report/?") or url == "/report/"  # the one reader form: POST needs its token
    for method in ("post", "put", "patch", "delete", "options"):
        response = getattr(client, method)(url, data="x=1", content_type="application/x-www-form-urlencoded")
        if form and method == "post":
            assert response.status_code == 403, (url, response.status_code)  # CSRF, no token
            continue
        assert response.status_code == 405, (url, method, response.status_code)
        assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path",
    [
        "/cases/" + "a" * 5000 + "/",
        "/tags/" + "标" * 2000 + "/",
        "/tags/%E4%B8/",
        "/tags/%FF%FE/",
        "/cases/%2e%2e/%2e%2e/etc/passwd",
        "/tags/%00/",
        "/cases/openai-gpt3%00/",
        "/search/%25%25/",
        "/static/../kb/settings.py",
        "/admin/../../etc/passwd",
        "/%C0%AE%C0%AE/",
        "//cases//",
    ],
)
def test_hostile_paths_never_give_a_server_error(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500 or response.status_code in (200, 301, 302), path


def test_null_bytes_are_a_clear_400(client):
    response = client.get("/tags/%00/")
    assert response.status_code == 400
    assert "地址中包含空字符" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=' OR 1=1 --",
        "o=999",
        "o=²",
        "p=-1",
        "p=abc",
        "p=²",
        "factors__id__exact=abc",
        "factors__id__exact=²",
        "tags__id__exact=%FF",
    ],
)
def test_admin_changelists_survive_hostile_queries(staff_client, query):
    for model in ("casestudy", "challenge", "resource", "lesson"):
        response = staff_client.get(f"/admin/articles/{model}/?{query}")
        assert response.status_code < 500, (model, query)


def test_health_and_language_endpoints(client):
    assert client.post("/healthz").status_code == 405
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "javascript:alert(1)"})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert not response["Location"].startswith("javascript:")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/casestudy/add/?concepts=abc",
        "/admin/articles/casestudy/add/?concepts=1,abc",
        "/admin/articles/trend/add/?challenges=x&concepts=%27",
        "/admin/articles/lesson/add/?case=abc&challenge=-1",
        "/admin/articles/mitigation/add/?challenge=1e3",
        "/admin/articles/resource/add/?kind=podcast&year=abc",
        "/admin/articles/casestudy/add/?concepts=²",
        "/admin/articles/lesson/add/?case=⑤&challenge=1",
        "/admin/articles/trend/add/?challenges=1,²",
    ],
)
def test_admin_add_forms_ignore_malformed_prefill(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200, url
