"""Feeds, sitemap, robots.txt, page meta, citations and downloads, on the test knowledge base."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import kb_io
from articles import models as m
from articles.kinds import KINDS
from tests.helpers import body, hrefs

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return [
        (
            entry.find(f"{ATOM}title").text,
            entry.find(f"{ATOM}link").get("href"),
            entry.find(f"{ATOM}updated").text,
        )
        for entry in feed.findall(f"{ATOM}entry")
    ]


def touch(obj, summary):
    obj.summary = summary
    obj.save()
    obj.refresh_from_db()
    return obj


# -- Feeds ------------------------------------------------------------------------------------


def test_site_feed_puts_the_last_change_first(client):
    before = entries(atom(client, "/feeds/"))
    assert len(before) == min(30, sum(kind.model.objects.count() for kind in KINDS))
    trend = touch(m.Trend.objects.get(slug="larger-models"), "刚刚改过的摘要。")
    feed = atom(client, "/feeds/")
    title, link, updated = entries(feed)[0]
    assert link == "http://testserver/trends/larger-models/"
    assert title.endswith(trend.title) and title != trend.title  # the kind is named in a mixed feed
    assert feed.find(f"{ATOM}updated").text == updated == trend.updated.isoformat()
    first = feed.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}summary").text == "刚刚改过的摘要。"
    assert first.find(f"{ATOM}published").text == trend.created.isoformat()


def test_kind_tag_and_challenge_feeds_hold_their_records(client):
    cases = entries(atom(client, "/feeds/cases/"))
    assert sorted(link for _t, link, _u in cases) == sorted(
        f"http://testserver/cases/{slug}/" for slug in m.CaseStudy.objects.values_list("slug", flat=True)
    )
    tagged = {link for _t, link, _u in entries(atom(client, "/feeds/tags/nlp/"))}
    expected = {
        f"http://testserver{obj.get_absolute_url()}"
        for kind in KINDS
        for obj in kind.model.objects.filter(tags__slug="nlp")
    }
    assert tagged == expected and tagged
    challenge = {link for _t, link, _u in entries(atom(client, "/feeds/challenges/data-privacy-security/"))}
    assert challenge == {
        "http://testserver/challenges/data-privacy-security/",
        "http://testserver/strategies/data-encryption/",
        "http://testserver/strategies/data-anonymization/",
        "http://testserver/strategies/privacy-preserving-tech/",
        "http://testserver/cases/openai-gpt3/",
        "http://testserver/cases/company-x-image-recognition/",
    }
    feed = atom(client, "/feeds/challenges/data-privacy-security/")
    ids = [entry.find(f"{ATOM}id").text for entry in feed.findall(f"{ATOM}entry")]
    assert feed.find(f"{ATOM}id").text == "http://testserver/feeds/challenges/data-privacy-security/"
    assert feed.find(f"{ATOM}id").text not in ids and len(set(ids)) == len(ids)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "大模型创业知识库"  # RFC 4287 wants an author
    english = atom(client, "/en/feeds/cases/")
    assert english.find(f"{ATOM}link").get("href") == "http://testserver/en/cases/"


@pytest.mark.parametrize("url", ["/feeds/nope/", "/feeds/tags/nope/", "/feeds/challenges/nope/"])
def test_unknown_feeds_are_404(client, url):
    assert client.get(url).status_code == 404


def test_pages_link_to_their_feeds(client):
    def feeds(url):
        html = client.get(url).content.decode()
        return [line for line in html.splitlines() if 'type="application/atom+xml"' in line]

    assert any('href="/feeds/"' in line for line in feeds("/"))
    assert any('href="/feeds/cases/"' in line for line in feeds("/cases/"))
    assert any('href="/feeds/cases/"' in line for line in feeds("/cases/openai-gpt3/"))
    assert any('href="/feeds/tags/nlp/"' in line for line in feeds("/tags/nlp/"))
    challenge = feeds("/challenges/data-privacy-security/")
    assert any('href="/feeds/challenges/data-privacy-security/"' in line for line in challenge)
    assert any('href="/en/feeds/cases/"' in line for line in feeds("/en/cases/"))


# -- Sitemap and robots.txt -------------------------------------------------------------------


def test_sitemap_lists_every_record_in_both_languages_with_lastmod(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert (
        "http://testserver/sitemap-cases.xml" in sections
        and "http://testserver/sitemap-pages.xml" in sections
    )
    case = touch(m.CaseStudy.objects.get(slug="openai-gpt3"), "改过。")
    urlset = ET.fromstring(client.get("/sitemap-cases.xml").content)
    urls = {url.find(f"{SITEMAP}loc").text: url for url in urlset.findall(f"{SITEMAP}url")}
    expected = {
        f"http://testserver{prefix}/cases/{slug}/"
        for slug in m.CaseStudy.objects.values_list("slug", flat=True)
        for prefix in ("", "/en")
    }
    assert set(urls) == expected
    entry = urls["http://testserver/cases/openai-gpt3/"]
    assert entry.find(f"{SITEMAP}lastmod").text == timezone.localdate(case.updated).isoformat()
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
    assert alternates == {
        "zh-hans": "http://testserver/cases/openai-gpt3/",
        "en": "http://testserver/en/cases/openai-gpt3/",
        "x-default": "http://testserver/cases/openai-gpt3/",
    }
    pages = {
        loc.text for loc in ET.fromstring(client.get("/sitemap-pages.xml").content).iter(f"{SITEMAP}loc")
    }
    assert {"http://testserver/", "http://testserver/self-check/", "http://testserver/en/open-data/"} <= pages
    tags = {loc.text for loc in ET.fromstring(client.get("/sitemap-tags.xml").content).iter(f"{SITEMAP}loc")}
    assert "http://testserver/tags/nlp/" in tags


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, settings):
    text = client.get("/robots.txt").content.decode()
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Disallow: /{settings.ADMIN_URL}" in lines
    assert "Disallow: /search/?" in lines and "Disallow: /self-check/?" in lines
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    for line in lines:  # nothing the sitemap lists is disallowed
        if line.startswith("Disallow: "):
            assert f"http://testserver{line.removeprefix('Disallow: ')}" not in sitemap, line
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_pages_carry_open_graph_and_description(client):
    html = client.get("/cases/openai-gpt3/").content.decode()
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    assert f'<meta property="og:title" content="{case.title}">' in html
    assert f'<meta name="description" content="{case.summary[:159]}' in html
    assert '<meta property="og:url" content="http://testserver/cases/openai-gpt3/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<link rel="canonical" href="http://testserver/cases/openai-gpt3/">' in html
    listing = client.get("/cases/").content.decode()
    assert '<meta property="og:title" content="案例研究">' in listing
    assert '<meta property="og:type" content="website">' in listing


def test_record_pages_offer_a_citation(client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    html = client.get("/cases/openai-gpt3/").content.decode()
    date = timezone.localdate(case.updated).isoformat()
    assert (
        f"大模型创业知识库.《{case.title}》. 案例研究. 最后更新于 {date}. http://testserver/cases/openai-gpt3/"
        in html
    )
    assert "@misc{kb-cases-openai-gpt3," in html
    assert "url = {http://testserver/cases/openai-gpt3/}," in html
    touch(case, "新的摘要")
    case.title = "A {braced} 100% title"
    case.save()
    html = client.get("/cases/openai-gpt3/").content.decode()
    assert r"title = {A \{braced\} 100\% title}," in html
    invented = client.get("/cases/company-x-image-recognition/").content.decode()
    assert "案例研究（虚构示例）. 最后更新于" in invented
    assert "”. Case study. Last updated" in client.get("/en/cases/openai-gpt3/").content.decode()


# -- Downloads --------------------------------------------------------------------------------

CSV_HEADER = [
    "slug", "标题", "机构", "产品或模型", "成立年份", "总部", "创始人", "地区", "层级", "开放方式", "结局",
    "结局日期", "事件", "成功因素", "遇到的挑战", "标签", "来源", "最后核实", "更新时间", "URL",
]  # fmt: skip


def read_csv(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_case_csv_has_the_columns_and_the_list_filters(client):
    response = client.get("/cases/export.csv?region=china")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cases.csv"'
    rows = read_csv(response)
    assert rows[0] == CSV_HEADER
    assert [row[0] for row in rows[1:]] == ["baidu-paddle-ernie"]
    baidu = dict(zip(rows[0], rows[1], strict=True))
    assert baidu["地区"] == "中国" and baidu["结局"] == "已上市" and baidu["层级"] == "基础模型"
    assert baidu["成功因素"] == "强大的技术积累、开放的合作生态"
    assert baidu["URL"] == "http://testserver/cases/baidu-paddle-ernie/"
    everything = read_csv(client.get("/cases/export.csv"))
    assert len(everything) - 1 == m.CaseStudy.objects.count()


def test_case_csv_neutralises_formulas(client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    case.title = '=HYPERLINK("http://evil.example","x")'
    case.organisation = "+1+1"
    case.product = "@SUM(A1)"
    case.founders = "-2+3"
    case.save()
    row = next(row for row in read_csv(client.get("/cases/export.csv"))[1:] if row[0] == "openai-gpt3")
    assert row[1:5] == ['\'=HYPERLINK("http://evil.example","x")', "'+1+1", "'@SUM(A1)", "2015-12"]
    assert row[6] == "'-2+3"


def test_download_with_an_unknown_filter_is_a_400_naming_it(client):
    response = client.get("/cases/export.csv?outcome=nope")
    assert response.status_code == 400
    assert "“nope”" in response.content.decode()


def wipe():
    for kind in KINDS:
        kind.model.objects.all().delete()
    from taggit.models import Tag

    Tag.objects.all().delete()


def test_whole_knowledge_base_download_round_trips_through_load_kb(client, tmp_path):
    response = client.get("/open-data/knowledge-base.json")
    assert response["Content-Disposition"] == 'attachment; filename="knowledge-base.json"'
    data = body(response)
    original = json.loads(data)
    assert original["format"] == "kb-bundle" and set(original["files"]) == {
        "tags.json",
        *(kind.fixture for kind in KINDS),
    }
    path = tmp_path / "knowledge-base.json"
    path.write_bytes(data)
    wipe()
    assert m.CaseStudy.objects.count() == 0
    call_command("load_kb", str(path), verbosity=0)
    assert json.loads(json.dumps(kb_io.export_bundle())) == original


def test_filtered_case_json_loads_into_an_empty_database(client, tmp_path):
    data = body(client.get("/cases/export.json?outcome=listed"))
    bundle = json.loads(data)
    assert [case["slug"] for case in bundle["files"]["cases.json"]] == ["baidu-paddle-ernie"]
    assert "faqs.json" not in bundle["files"]  # only what the cases refer to
    path = tmp_path / "cases.json"
    path.write_bytes(data)
    expected = kb_io.export_record(
        next(kind for kind in KINDS if kind.key == "cases"),
        kb_io.for_export(next(kind for kind in KINDS if kind.key == "cases")).get(slug="baidu-paddle-ernie"),
    )
    wipe()
    call_command("load_kb", str(path), verbosity=0)
    assert list(m.CaseStudy.objects.values_list("slug", flat=True)) == ["baidu-paddle-ernie"]
    assert kb_io.export_records(next(kind for kind in KINDS if kind.key == "cases")) == [expected]


def test_load_kb_refuses_a_broken_bundle_and_changes_nothing(tmp_path):
    bundle = kb_io.export_bundle()
    bundle["files"]["cases.json"][0]["factors"] = [{"factor": "no-such-factor", "explanation": ""}]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    before = kb_io.export_bundle()
    with pytest.raises(Exception) as error:
        call_command("load_kb", str(path), verbosity=0)
    assert "broken.json [cases.json]: record #1" in str(error.value) and "no-such-factor" in str(error.value)
    assert kb_io.export_bundle() == before
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(Exception, match="not a knowledge-base download"):
        call_command("load_kb", str(path), verbosity=0)


def test_case_list_links_to_downloads_with_its_filters(client):
    links = hrefs(client.get("/cases/?outcome=listed&region=china").content)
    assert "/cases/export.csv?outcome=listed&region=china" in links
    assert "/cases/export.json?outcome=listed&region=china" in links
    assert "/open-data/" in hrefs(client.get("/").content)
