"""Keeping it true: the review queue, readers' reports, and the public change history."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from reversion.models import Version

from articles import models as m
from articles.review import queue

from .helpers import admin_url, edit_in_admin, hrefs

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the report rate limit counts in the default cache
    yield
    cache.clear()


@pytest.fixture
def problems():
    """One problem of each kind on the test data's two real cases."""
    openai = m.CaseStudy.objects.get(slug="openai-gpt3")
    baidu = m.CaseStudy.objects.get(slug="baidu-paddle-ernie")
    m.CaseStudy.objects.filter(pk=openai.pk).update(last_verified=datetime.date(2026, 1, 1))
    m.CaseStudy.objects.filter(pk=baidu.pk).update(
        last_verified=datetime.date(2026, 11, 1), outcome_note="截至2026-03仍上市。"
    )
    m.Source.objects.filter(case=baidu, position=1).update(
        checked_at=timezone.now(), check_status=404, final_url=""
    )
    m.Source.objects.filter(case=openai).update(checked_at=timezone.now(), check_status=200)
    m.KeyFigure.objects.create(case=openai, label="用户", value="1亿", as_of="2023-01", source=1)
    m.ReaderReport.objects.create(message="这里的估值写错了，应为 2 亿。", content_type=None)
    return openai, baidu


def test_the_queue_lists_each_problem_most_urgent_first(problems):
    with translation.override("en"):
        items, sections = queue(today=TODAY)
    assert list(dict.fromkeys(item.problem for item in items)) == [
        "Open reader report",
        "Broken source link",
        "Last check too old",
        "Outcome older than the last check",
        "Key figure over a year old",
        "Sources never checked",
    ]
    found = {(item.problem, item.title) for item in items}
    assert {
        ("Broken source link", "百度飞桨与ERNIE"),
        ("Last check too old", "OpenAI与GPT-3"),
        ("Outcome older than the last check", "百度飞桨与ERNIE"),
        ("Key figure over a year old", "OpenAI与GPT-3"),
        ("Sources never checked", "百度飞桨与ERNIE"),
    } <= found
    assert ("Last check too old", "百度飞桨与ERNIE") not in found  # checked within the last 90 days
    totals = {section.problem: section.total for section in sections}
    assert totals["Open reader reports"] == totals["Broken source links"] == 1


def test_the_queue_page_links_each_row_to_its_form_and_marks_cases_verified(staff_client, problems):
    openai, _baidu = problems
    page = staff_client.get("/admin/articles/reviewqueue/")
    body = page.content.decode()
    assert page.status_code == 200
    assert admin_url(m.CaseStudy, "change", openai.pk) in hrefs(body)
    assert body.index("待处理的读者报告") < body.index("上次复核太久")
    response = staff_client.post("/admin/articles/reviewqueue/", {"case": [str(openai.pk)]})
    assert response.status_code == 302
    openai.refresh_from_db()
    assert openai.last_verified == timezone.localdate()
    revision = Version.objects.get_for_object(openai).first().revision
    assert revision.user == staff_client.user
    assert timezone.localdate().isoformat() in revision.get_comment()


def test_the_queue_is_for_staff_only(client, problems):
    response = client.get("/admin/articles/reviewqueue/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_queue_reads_a_fixed_number_of_rows(problems, django_assert_max_num_queries, settings):
    for number in range(80):
        m.ReaderReport.objects.create(message=f"第 {number} 条报告，内容足够长。")
    with django_assert_max_num_queries(12):
        items, sections = queue(today=TODAY)
    reports = [item for item in items if item.url.startswith("/admin/articles/readerreport/")]
    assert len(reports) == 50 and sections[0].total == 81  # a page of them, and how many there are


# -- Reader reports -------------------------------------------------------------------------------


def report(client, **data):
    fields = {"kind": "error", "message": "营收数字与来源不符，来源写的是 5 亿。", "website": ""}
    fields.update(data)
    return client.post("/report/?about=case/openai-gpt3", fields)


def test_a_record_page_links_to_the_report_form_which_alone_sets_a_csrf_cookie(client):
    page = client.get("/cases/openai-gpt3/")
    assert "/report/?about=case/openai-gpt3" in hrefs(page.content)
    assert not page.cookies
    form = client.get("/report/?about=case/openai-gpt3")
    assert "csrftoken" in form.cookies
    assert "OpenAI与GPT-3" in form.content.decode()


def test_a_report_is_stored_with_its_record_and_the_reader_thanked(client):
    response = report(client, source_url="https://example.com/filing", contact="reader@example.com")
    assert response.status_code == 302 and response["Location"].endswith("/report/thanks/")
    stored = m.ReaderReport.objects.get()
    assert stored.record == m.CaseStudy.objects.get(slug="openai-gpt3")
    assert (stored.status, stored.source_url, stored.contact) == (
        "new",
        "https://example.com/filing",
        "reader@example.com",
    )
    thanks = client.get(response["Location"]).content.decode()
    assert "接下来" in thanks or "What happens next" in thanks


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"website": "http://spam.example"}, 400, "不是由人填写"),
        ({"message": "短"}, 400, "至少"),
        ({"message": "长" * 2001}, 400, "不超过"),
        ({"source_url": "javascript:alert(1)"}, 400, "URL"),
        ({"kind": "nonsense"}, 400, "nonsense"),
    ],
    ids=["honeypot", "too short", "too long", "bad address", "bad kind"],
)
def test_abuse_gets_a_clear_answer_and_no_row(client, data, status, says):
    response = report(client, **data)
    assert response.status_code == status
    assert says in response.content.decode()
    assert not m.ReaderReport.objects.exists()


def test_markup_is_never_rendered_back(client):
    response = report(client, message="<script>alert(1)</script>", source_url="nope")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_one_address_is_limited_per_hour(client, settings):
    settings.KB_REPORTS_PER_HOUR = 2
    assert [report(client).status_code for _ in range(3)] == [302, 302, 429]
    assert m.ReaderReport.objects.count() == 2


# -- Public change history ------------------------------------------------------------------------


def test_an_edit_with_a_summary_shows_in_the_record_history_and_recent_changes(
    staff_client, client, settings
):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    edit_in_admin(staff_client, case, summary="新的摘要文字。", change_summary="更新摘要")
    history = client.get(case.get_history_url())
    assert history.status_code == 200
    item = history.content.decode().split('class="history-list"')[1].split("</li>")[0]
    assert ("更新摘要" in item and "摘要" in item.split("Changed:")[-1]) or "更新摘要" in item
    assert "editor" not in history.content.decode()  # no editor's name unless configured
    assert case.get_history_url() in hrefs(client.get(case.get_absolute_url()).content)
    recent = client.get("/changes/").content.decode()
    assert "更新摘要" in recent and case.get_absolute_url() in hrefs(recent)
    feed = ET.fromstring(client.get("/feeds/changes/").content)
    assert any("更新摘要" in (entry.findtext(f"{ATOM}summary") or "") for entry in feed.iter(f"{ATOM}entry"))
    settings.KB_PUBLIC_EDITOR_NAMES = True
    cache.clear()
    assert "· editor" in client.get(case.get_history_url()).content.decode()


def test_history_of_an_unknown_record_is_404(client):
    assert client.get("/history/case/no-such-case/").status_code == 404
    assert client.get("/history/nothing/openai-gpt3/").status_code == 404


def test_the_public_history_never_shows_a_server_path(client):
    body = client.get("/history/case/openai-gpt3/").content.decode()
    item = body.split('class="history-list"')[1].split("</ol>")[0]
    assert "load_kb kb" in item  # the load that wrote it, by file name
    assert "/data/kb" not in item and "/tests/" not in item


def test_a_records_first_version_says_it_was_first_published(client):
    body = client.get("/history/case/openai-gpt3/").content.decode()
    item = body.split('class="history-list"')[1].split("</ol>")[0]
    assert "首次收录" in item and "改动：" not in item
