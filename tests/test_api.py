"""The read-only JSON API on the test knowledge base: shapes, facets, search, errors, writes,
throttling, CORS and the OpenAPI schema."""

import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles import kb_io
from articles import models as m
from articles.kinds import KINDS

from .conftest import TEST_KB

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the throttle counts requests in the default cache
    yield
    cache.clear()


def get(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), url
    return response.json()


def test_root_lists_every_kind(client):
    data = get(client, "/api/")
    assert set(data) == {kind.key for kind in KINDS}
    assert data["cases"] == "http://testserver/api/cases/"


def holds(full, part):
    """Whether ``full`` has every value ``part`` gives (recursively; lists item by item)."""
    if isinstance(part, dict):
        return isinstance(full, dict) and all(
            key in full and holds(full[key], value) for key, value in part.items()
        )
    if isinstance(part, list) and part and isinstance(part[0], dict):
        return isinstance(full, list) and len(full) == len(part) and all(map(holds, full, part))
    if isinstance(part, list) and isinstance(full, list):
        return sorted(map(str, full)) == sorted(map(str, part))
    return full == part


def api_records(client, kind):
    records, url = [], f"/api/{kind.key}/?page_size=100"
    while url:
        page = get(client, url)
        records += page["results"]
        url = page["next"]
    return records


def test_fixtures_downloads_and_api_describe_a_record_alike_and_round_trip(client, tmp_path):
    """One record format: the fixture files, the whole-KB download and the API (less its
    ``page_url``) hold the same records; the API's records load back to the same database."""
    fixtures = {kind.key: json.loads((TEST_KB / kind.fixture).read_text(encoding="utf-8")) for kind in KINDS}
    download = json.loads(b"".join(client.get("/open-data/knowledge-base.json").streaming_content))["files"]
    from_api = {}
    for kind in KINDS:
        records = api_records(client, kind)
        for record in records:
            obj = kind.model.objects.get(slug=record["slug"])
            assert record.pop("page_url") == f"http://testserver{obj.get_absolute_url()}"
        by_slug = {row["slug"]: row for row in records}
        assert by_slug == {row["slug"]: row for row in download[kind.fixture]}, kind.key
        # The hand-written test fixtures leave out defaults; what they do say, the API says back.
        for written in fixtures[kind.key]:
            assert holds(by_slug[written["slug"]], written), (kind.key, written["slug"])
        from_api[kind.fixture] = records
        detail = get(client, f"/api/{kind.key}/{records[0]['slug']}/")
        assert {k: v for k, v in detail.items() if k != "page_url"} == records[0]
    bundle = tmp_path / "from-api.json"
    files = {"tags.json": download["tags.json"], **from_api}
    bundle.write_text(json.dumps({"format": "kb-bundle", "version": 1, "files": files}), encoding="utf-8")
    for kind in KINDS:
        kind.model.objects.all().delete()
    call_command("load_kb", str(bundle), verbosity=0)
    reloaded = json.loads(json.dumps(kb_io.export_bundle()))["files"]
    assert reloaded["tags.json"] == download["tags.json"]
    for name, records in from_api.items():
        assert {r["slug"]: r for r in reloaded[name]} == {r["slug"]: r for r in records}, name


def test_case_facets_match_the_site(client):
    query = "outcome=operating&outcome=listed&factor=open-collaboration"
    data = get(client, f"/api/cases/?{query}")
    site = client.get(f"/cases/?{query}").context
    site_counts = {facet.param: {v.slug: v.count for v in facet.values} for facet in site["facets"]}
    api_counts = {param: {v["value"]: v["count"] for v in values} for param, values in data["facets"].items()}
    assert api_counts == site_counts
    assert [case["slug"] for case in data["results"]] == [case.slug for case in site["object_list"]]
    assert data["count"] == site["page_obj"].paginator.count == 2
    outcome = {v["value"]: v for v in data["facets"]["outcome"]}
    assert outcome["listed"]["selected"] and outcome["listed"]["label"] == "已上市"


def test_resource_facets_and_pagination(client):
    data = get(client, "/api/resources/?kind=paper&page_size=1")
    assert data["count"] == m.Resource.objects.filter(kind="paper").count()
    assert len(data["results"]) == 1
    if data["count"] > 1:
        assert data["next"].endswith("kind=paper&page=2&page_size=1")


@pytest.mark.parametrize(
    ("url", "status", "key"),
    [
        ("/api/cases/?outcome=nope", 400, "outcome"),
        ("/api/cases/?color=red", 400, "color"),
        ("/api/faq/?factor=strong-team", 400, "factor"),
        ("/api/cases/?page=99", 404, "detail"),
        ("/api/cases/?page=²", 400, "page"),
        ("/api/cases/?page=abc", 400, "page"),
        ("/api/cases/?page=0", 400, "page"),
        ("/api/cases/?page_size=0", 400, "page_size"),
        ("/api/cases/?page_size=101", 400, "page_size"),
        ("/api/cases/openai-gpt3/?x=1", 400, "x"),
        ("/api/cases/no-such-case/", 404, "detail"),
        ("/api/no-such-kind/", 404, "detail"),
        ("/api/search/", 400, "q"),
        ("/api/search/?q=" + "x" * 200, 400, "q"),
        ("/api/search/?q=隐私&type=nope", 400, "type"),
    ],
)
def test_bad_input_gets_a_json_error(client, url, status, key):
    data = get(client, url, status=status)
    assert data.get(key)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/cases/", "/api/cases/openai-gpt3/", "/api/search/?q=x"])
def test_writes_are_refused(client, method, url):
    before = kb_io.export_bundle()
    response = getattr(client, method)(url, data={"title": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert "detail" in response.json()
    assert kb_io.export_bundle() == before


def test_search_groups_and_one_type(client):
    data = get(client, "/api/search/?q=隐私")
    assert data["query"] == "隐私"
    groups = {group["type"]: group for group in data["groups"]}
    assert data["count"] == sum(group["count"] for group in data["groups"]) > 0
    cases = get(client, "/api/search/?q=隐私&type=cases")
    assert cases["count"] == groups["cases"]["count"]
    assert [r["slug"] for r in cases["results"]][:10] == [r["slug"] for r in groups["cases"]["results"]]
    assert cases["results"][0]["url"].startswith("http://testserver/cases/")


def test_anonymous_clients_are_throttled(client, settings):
    settings.KB_API_ANON_RATE = "3/minute"
    for _ in range(3):
        get(client, "/api/faq/")
    response = client.get("/api/faq/")
    assert response.status_code == 429
    assert "detail" in response.json() and int(response["Retry-After"]) > 0
    assert client.get("/faq/").status_code == 200  # the site itself is not throttled


def test_cors_allows_reading_the_api_only(client):
    response = client.get("/api/cases/", headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/cases/", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    page = client.get("/cases/", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in page


def test_schema_validates_and_documents_the_facets(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    text = path.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"/api/{kind.key}/{{slug}}/:" in text
    assert "name: outcome" in text and "facets:" in text


def test_docs_page_uses_the_projects_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html and "<script>" not in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and b"/api/schema/" in script.content


def test_responses_have_the_documented_shape(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    paths = schema["paths"]
    for kind in KINDS:
        detail = paths[f"/api/{kind.key}/{{slug}}/"]["get"]["responses"]["200"]["content"]["application/json"]
        name = detail["schema"]["$ref"].rsplit("/", 1)[-1]
        documented = set(components[name]["properties"])
        record = get(client, f"/api/{kind.key}/")["results"][0]
        assert set(record) == documented, kind.key
        listing = paths[f"/api/{kind.key}/"]["get"]["responses"]["200"]["content"]["application/json"]
        page = components[listing["schema"]["$ref"].rsplit("/", 1)[-1]]
        assert set(get(client, f"/api/{kind.key}/")) <= set(page["properties"])
        for child in kind.children:
            rows = record[child.key]
            item = components[name]["properties"][child.key]["items"]["$ref"].rsplit("/", 1)[-1]
            if rows:
                assert set(rows[0]) == set(components[item]["properties"]), (kind.key, child.key)
    search = components["SearchResponse"]["properties"]
    assert set(get(client, "/api/search/?q=隐私")) == set(search)


def test_not_found_names_the_record_not_the_model(client):
    data = get(client, "/api/cases/no-such-case/", status=404)
    assert data == {"detail": "没有案例研究“no-such-case”。"}
    assert get(client, "/api/no-such-kind/", status=404).keys() == {"detail"}


def test_schema_download_has_a_plain_file_name(client):
    response = client.get("/api/schema/")
    assert response["Content-Disposition"] == 'inline; filename="Large-model startup knowledge base API.yaml"'
