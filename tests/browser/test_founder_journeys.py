"""Founder tools in headless Chromium: the self-check, a comparison built from the case list on a
phone, and the case timeline filtered by outcome."""

import pytest
from playwright.sync_api import expect

from tests.helpers import make_case

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_real_case(slug, title):
    """A pivoted Chinese application-layer case with a strong team, that met market competition."""
    return make_case(
        slug,
        title=title,
        region="china",
        layer="application",
        access="product",
        outcome="pivoted",
        factors=["strong-team"],
        challenges=["market-competition"],
        milestones=[("2022-05", "founding")],
    )


def test_founder_fills_the_self_check_and_lands_on_matching_cases(page, site):
    add_real_case("app-startup", "应用创业公司")
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="创业自测").click()
    page.get_by_role("group", name="你主要在哪里经营？").get_by_label("中国").check()
    page.get_by_role("group", name="你要做什么？").get_by_label("应用").check()
    page.get_by_role("group", name="你的团队已经具备的成功因素").get_by_label("强大的技术团队").check()
    page.get_by_role("group", name="你预计会遇到的挑战").get_by_label("市场竞争").check()
    page.get_by_role("button", name="查找相似案例").click()
    assert "layer=application" in page.url and "challenge=market-competition" in page.url
    similar = page.locator(".similar-cases > li h4 a").all_inner_texts()
    assert similar[0] == "应用创业公司"
    expect(page.locator(".similar-cases > li").first).to_contain_text("层级相同")
    expect(page.locator(".challenge-plan", has=page.locator("#plan-market-competition"))).to_contain_text(
        "差异化竞争"
    )
    screenshot(page, "self-check-result-desktop")
    page.emulate_media(media="print")  # the printed result leaves out the form and the navigation
    expect(page.locator("form.self-check-form")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator("#result")).to_be_visible()
    page.emulate_media(media="screen")
    page.locator(".similar-cases > li h4 a").first.click()
    expect(page.locator("h1")).to_have_text("应用创业公司")


def test_self_check_sent_empty_shows_the_problems(page, site):
    page.goto(site.url + "/self-check/")
    page.get_by_role("button", name="查找相似案例").click()
    expect(page.locator("#form-errors")).to_contain_text("请选择你要做什么。")
    screenshot(page, "self-check-errors-desktop")


def test_reader_adds_three_cases_from_the_list_and_compares_on_a_phone(phone_page, site):
    page = phone_page
    add_real_case("app-startup", "应用创业公司")
    page.goto(site.url + "/cases/")
    for title in ("OpenAI与GPT-3", "百度飞桨与ERNIE", "应用创业公司"):
        page.get_by_role("link", name=f"把{title}加入对比").click()
    expect(page.locator(".compare-tray li")).to_have_count(3)
    page.get_by_role("link", name="开始对比").click()
    assert "/compare/?c=" in page.url and page.url.count("c=") == 3
    table = page.locator("table.compare-table")
    expect(table.locator("thead th")).to_have_count(3)
    expect(table.locator("tbody tr").first).to_contain_text("OpenAI")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls in its box
    screenshot(page, "compare-phone")
    page.get_by_role("link", name="只显示各案例不同的行").click()
    expect(page.locator("table.compare-table tbody tr.differs").first).to_be_visible()
    assert page.locator("table.compare-table tbody tr:not(.differs)").count() == 1  # the sources


def test_case_timeline_filtered_by_outcome(page, site):
    add_real_case("app-startup", "应用创业公司")
    page.goto(site.url + "/insights/timeline/")
    expect(page.locator("svg.case-timeline .lane")).to_have_count(3)
    page.locator('[data-facet="outcome"][data-value="pivoted"]').click()
    assert "outcome=pivoted" in page.url
    expect(page.locator("svg.case-timeline .lane")).to_have_count(1)
    expect(page.locator("svg.case-timeline .lane text")).to_contain_text("应用创业公司")
    screenshot(page, "case-timeline-by-outcome-desktop")
