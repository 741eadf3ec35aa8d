"""A case's sectors and customers: facets on the list and the API, the case page, search in
both languages, the comparison, and the loader's refusal of a value outside the vocabulary."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles import models as m

from .conftest import TEST_KB
from .helpers import make_case

pytestmark = pytest.mark.django_db


def counts(response, param):
    return {v.slug: v.count for f in response.context["facets"] if f.param == param for v in f.values}


def slugs(response):
    return sorted(case.slug for case in response.context["object_list"])


def test_sector_and_customer_facets_count_and_match_any_chosen_value(client):
    everything = client.get("/cases/")
    assert counts(everything, "sector")["general"] == 2
    assert counts(everything, "sector")["search"] == 1
    assert counts(everything, "sector")["creative-media"] == 1
    assert counts(everything, "customer")["consumers"] == 2
    assert counts(everything, "customer")["smb"] == 1
    either = client.get("/cases/?sector=search&sector=creative-media")
    assert slugs(either) == ["baidu-paddle-ernie", "company-x-image-recognition"]
    narrowed = client.get("/cases/?sector=general&customer=developers")
    assert slugs(narrowed) == ["openai-gpt3"]
    html = narrowed.content.decode()
    assert '<h2 id="facet-sector">行业</h2>' in html and "通用模型与助手" in html
    assert "开发者" in html


def test_an_unknown_sector_is_named_and_not_applied(client):
    response = client.get("/cases/?sector=space-mining")
    assert response.status_code == 200
    assert "“space-mining”" in response.content.decode()
    assert len(response.context["object_list"]) == 3


def test_api_gives_sectors_and_customers_and_filters_by_them(client):
    data = client.get("/api/cases/?sector=search").json()
    assert [case["slug"] for case in data["results"]] == ["baidu-paddle-ernie"]
    assert data["results"][0]["sectors"] == ["general", "search"]
    assert data["results"][0]["customers"] == ["consumers", "enterprise-government"]
    sectors = {v["value"]: v for v in data["facets"]["sector"]}
    assert sectors["search"]["selected"] and sectors["search"]["label"] == "搜索与信息"


def test_case_page_links_each_sector_and_customer_to_the_filtered_list(client):
    html = client.get("/cases/baidu-paddle-ernie/").content.decode()
    assert (
        '<a href="/cases/?sector=search">搜索与信息</a>、<a href="/cases/?sector=general">通用模型与助手</a>'
        in html
    )
    assert '<a href="/cases/?customer=consumers">个人用户</a>' in html
    english = client.get("/en/cases/baidu-paddle-ernie/").content.decode()
    assert '<a href="/en/cases/?sector=search">Search and information</a>' in english


def test_search_finds_a_case_by_its_sector_in_chinese_and_english(client):
    case = make_case(
        "helpdesk-co",
        region="china",
        layer="application",
        access="product",
        outcome="operating",
    )
    case.sectors, case.customers = ["customer-service"], ["smb"]
    case.save()
    assert "helpdesk-co 标题" in client.get("/search/?q=客服").content.decode()
    assert "helpdesk-co 标题" in client.get("/en/search/?q=customer+service").content.decode()
    assert "helpdesk-co 标题" in client.get("/search/?q=中小企业").content.decode()


def test_comparison_has_sector_and_customer_rows(client):
    html = client.get("/compare/?c=openai-gpt3&c=baidu-paddle-ernie").content.decode()
    row = html.split('<th scope="row">行业')[1].split("</tr>")[0]
    assert "≠" in row and "搜索与信息、通用模型与助手" in row
    row = html.split('<th scope="row">客户')[1].split("</tr>")[0]
    assert "个人用户、大型企业与政府、开发者" in row


def test_loader_refuses_a_sector_outside_the_vocabulary(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(TEST_KB, target)
    path = target / "cases.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records[1]["sectors"] = ["general", "space-mining"]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    before = list(m.CaseStudy.objects.values_list("slug", "sectors"))
    with pytest.raises(CommandError, match=r"cases\.json: record #2 .*space-mining"):
        call_command("load_kb", str(target), stdout=StringIO())
    assert list(m.CaseStudy.objects.values_list("slug", "sectors")) == before
