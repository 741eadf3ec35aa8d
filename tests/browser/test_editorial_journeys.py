"""Keeping it true, in a browser: a reader reports an error, an editor works through the review
queue, and the change shows in the page's public history."""

import datetime

import pytest
from playwright.sync_api import expect

from articles import models as m

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_reports_an_error_from_a_case_page(page, site):
    page.goto(site.url + "/cases/openai-gpt3/")
    page.get_by_role("link", name="告诉编辑").click()
    expect(page).to_have_url(site.url + "/report/?about=case/openai-gpt3")
    expect(page.get_by_role("link", name="OpenAI与GPT-3")).to_be_visible()
    expect(page.locator(".trap")).not_to_be_in_viewport()  # the honeypot is out of sight
    page.get_by_label("报告错误").check()
    page.get_by_label("你的说明").fill("GPT-3 的参数量写错了，论文写的是 1750 亿。")
    page.get_by_label("能证明它的来源地址（可选）").fill("https://arxiv.org/abs/2005.14165")
    screenshot(page, "report-form")
    page.get_by_role("button", name="发送给编辑").click()
    expect(page).to_have_url(site.url + "/report/thanks/")
    expect(page.locator("main")).to_contain_text("接下来")
    report = m.ReaderReport.objects.get()
    assert report.record == m.CaseStudy.objects.get(slug="openai-gpt3")
    assert report.source_url == "https://arxiv.org/abs/2005.14165"


def test_a_reader_whose_source_is_not_a_web_address_is_told_what_to_fix(page, site):
    page.goto(site.url + "/report/")
    page.get_by_label("你的说明").fill("推荐一家做法律合同审查的创业公司。")
    page.get_by_label("能证明它的来源地址（可选）").fill("ftp://example.com/file")  # a URL, not a web page
    page.get_by_role("button", name="发送给编辑").click()
    expect(page.get_by_role("alert")).to_contain_text("来源地址")
    expect(page.get_by_label("你的说明")).to_have_value("推荐一家做法律合同审查的创业公司。")  # nothing lost
    assert not m.ReaderReport.objects.exists()


def test_an_editor_works_through_the_review_queue(page, site, django_user_model):
    django_user_model.objects.create_user(
        "editor", "editor@example.com", "a-long-test-password", is_staff=True, is_superuser=True
    )
    m.CaseStudy.objects.filter(slug="openai-gpt3").update(last_verified=datetime.date(2025, 1, 1))
    m.ReaderReport.objects.create(message="百度的上市日期写错了。")
    page.goto(site.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.get_by_role("link", name="待复核").first.click()
    expect(page).to_have_url(site.url + "/admin/articles/reviewqueue/")
    rows = page.locator("#review-queue tbody tr")
    expect(rows.first).to_contain_text("待处理的读者报告")  # the most urgent first
    stale = rows.filter(has_text="上次复核太久").filter(has_text="OpenAI与GPT-3")
    screenshot(page, "review-queue")
    stale.get_by_role("checkbox").check()
    page.get_by_role("button", name="将勾选的案例标记为今天已复核").click()
    expect(page.locator(".messagelist")).to_contain_text("1 个案例")
    expect(page.locator("#review-queue")).not_to_contain_text("上次复核太久")

    # The fix goes through the case's form, with a summary readers see in its history.
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    assert case.last_verified == datetime.date.today()
    page.goto(f"{site.url}/admin/articles/casestudy/{case.pk}/change/")
    page.fill("#id_summary", "一家研究公司与它的语言模型（已复核）。")
    page.fill("#id_change_summary", "复核来源并更新摘要")
    page.click("input[name=_save]")
    page.goto(site.url + "/cases/openai-gpt3/")
    page.get_by_role("link", name="修改历史").click()
    expect(page.locator(".history-list li").first).to_contain_text("复核来源并更新摘要")
    expect(page.locator(".history-list li").first).to_contain_text("摘要")
