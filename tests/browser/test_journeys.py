"""Reader and editor journeys in headless Chromium, asserting what the reader sees and the URL."""

import re

import pytest
from playwright.sync_api import expect

from articles import models as m
from articles.kinds import navigation_items

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def results(page):
    return page.locator(".case-results > li.card h3").all_inner_texts()


def facet_count(page, param, slug):
    # The count's text is "符合条件的数量： N" for screen readers; the number is the last word.
    return page.locator(f'[data-facet="{param}"][data-value="{slug}"] .count').inner_text().split()[-1]


def test_filter_cases_by_factors_chips_and_clear_all(page, site):
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案例研究").click()
    expect(page).to_have_url(site.url + "/cases/")
    assert len(results(page)) == 3

    page.locator('[data-facet="factor"][data-value="strong-team"]').click()
    expect(page).to_have_url(site.url + "/cases/?factor=strong-team")
    assert sorted(results(page)) == ["OpenAI与GPT-3", "创业公司X与AI图像识别"]
    assert facet_count(page, "factor", "strong-team") == "2"
    assert facet_count(page, "factor", "open-collaboration") == "1"
    expect(page.locator(".results-count")).to_have_text("2 个案例")

    page.locator('[data-facet="factor"][data-value="open-collaboration"]').click()
    expect(page).to_have_url(site.url + "/cases/?factor=strong-team&factor=open-collaboration")
    assert results(page) == ["OpenAI与GPT-3"]
    assert facet_count(page, "factor", "clear-positioning") == "0"

    page.get_by_role("link", name="移除筛选条件：强大的技术团队").click()
    expect(page).to_have_url(site.url + "/cases/?factor=open-collaboration")
    assert sorted(results(page)) == ["OpenAI与GPT-3", "百度飞桨与ERNIE"]
    assert facet_count(page, "factor", "strong-team") == "1"

    page.get_by_role("link", name="清除全部").first.click()
    expect(page).to_have_url(site.url + "/cases/")
    assert len(results(page)) == 3
    expect(page.locator(".chips")).to_have_count(0)


def test_lesson_to_challenge_to_strategy_and_back(page, site):
    page.goto(site.url + "/cases/openai-gpt3/")
    lesson = page.locator(".lesson", has_text="数据隐私问题")
    lesson.get_by_role("link", name="数据隐私和安全").click()
    expect(page).to_have_url(site.url + "/challenges/data-privacy-security/")
    expect(page.get_by_role("heading", level=1)).to_have_text("数据隐私和安全")

    page.locator("#strategies").get_by_role("link", name="隐私保护技术").click()
    expect(page).to_have_url(site.url + "/strategies/privacy-preserving-tech/")
    expect(page.get_by_role("heading", level=1)).to_have_text("隐私保护技术")
    expect(page.locator("body")).to_contain_text("联邦学习")

    page.locator("#challenges").get_by_role("link", name="数据隐私和安全").click()
    expect(page).to_have_url(site.url + "/challenges/data-privacy-security/")
    expect(page.locator("#cases")).to_contain_text("OpenAI与GPT-3")


def test_filter_by_outcome_then_follow_a_citation_to_its_source(page, site):
    page.goto(site.url + "/cases/")
    # The best-documented real case first, the invented example last.
    assert results(page) == ["百度飞桨与ERNIE", "OpenAI与GPT-3", "创业公司X与AI图像识别"]
    page.locator('[data-facet="outcome"][data-value="listed"]').click()
    expect(page).to_have_url(site.url + "/cases/?outcome=listed")
    assert results(page) == ["百度飞桨与ERNIE"]
    expect(page.locator(".case-results .outcome").first).to_have_text(re.compile("已上市"))
    page.get_by_role("link", name="百度飞桨与ERNIE", exact=True).click()
    expect(page).to_have_url(site.url + "/cases/baidu-paddle-ernie/")
    page.locator(".milestones").get_by_role("link", name="来源 3").click()
    expect(page).to_have_url(site.url + "/cases/baidu-paddle-ernie/#source-3")
    expect(page.locator("#source-3")).to_be_in_viewport()
    expect(page.locator("#source-3")).to_contain_text("上市报道")
    screenshot(page, "case-sources-desktop")


def test_case_page_on_a_phone_scrolls_its_table_not_the_page(phone_page, site):
    page = phone_page
    page.goto(site.url + "/cases/openai-gpt3/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("table.figures")).to_be_visible()
    screenshot(page, "case-detail-figures-phone")


def test_search_from_the_header_and_open_a_result(page, site):
    page.goto(site.url + "/concepts/")
    page.locator("#header-q").fill("联邦学习")
    page.locator("#header-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E8%81%94%E9%82%A6%E5%AD%A6%E4%B9%A0$"))
    expect(page.locator("mark").first).to_have_text("联邦学习")
    page.locator("#type-strategies").get_by_role("link", name="隐私保护技术").click()
    expect(page).to_have_url(site.url + "/strategies/privacy-preserving-tech/")


def test_switch_to_english_and_back(page, site):
    page.goto(site.url + "/challenges/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(site.url + "/en/challenges/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenges")
    expect(page.get_by_role("link", name="Case studies").first).to_be_visible()
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(site.url + "/challenges/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("挑战")


def test_phone_navigation_and_filter_are_usable(phone_page, site):
    page = phone_page
    page.goto(site.url + "/")

    def no_horizontal_scroll():
        return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    assert no_horizontal_scroll()
    nav_links = page.get_by_role("navigation", name="主导航").get_by_role("link")
    assert nav_links.count() == len(navigation_items())
    for index in range(nav_links.count()):
        box = nav_links.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, nav_links.nth(index).inner_text()
    nav_links.filter(has_text="案例研究").click()
    expect(page).to_have_url(site.url + "/cases/")
    assert no_horizontal_scroll()
    page.locator('[data-facet="factor"][data-value="strong-team"]').click()
    expect(page).to_have_url(site.url + "/cases/?factor=strong-team")
    assert len(results(page)) == 2
    assert no_horizontal_scroll()
    chip = page.locator(".chip").first
    box = chip.bounding_box()
    assert box["height"] >= 24 and box["x"] + box["width"] <= 390
    chip.click()
    expect(page).to_have_url(site.url + "/cases/")


def test_keyboard_only_filter_and_navigation(page, site):
    page.goto(site.url + "/cases/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    # Tab until the first facet value is focused; its focus ring must be visible.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.value") == "strong-team":
            break
    else:
        pytest.fail("the facet could not be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url + "/cases/?factor=strong-team")
    assert len(results(page)) == 2
    # Navigation order: skip link, brand, search field, search button, then the main navigation.
    page.keyboard.press("Tab")
    order = []
    for _ in range(5):
        order.append(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id"))
        page.keyboard.press("Tab")
    assert order[:4] == ["跳到正文", "大模型创业知识库", "header-q", "搜索"]
    assert order[4] == "案例研究"


def test_editor_changes_a_case_and_readers_see_it(page, site, django_user_model):
    django_user_model.objects.create_user(
        "editor", "editor@example.com", "a-long-test-password", is_staff=True, is_superuser=True
    )
    page.goto(site.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()

    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    page.goto(f"{site.url}/admin/articles/casestudy/{case.pk}/change/")
    page.fill("#id_summary", "编辑在浏览器里改写的摘要。")
    # Replace the case's third success factor (开放的合作生态) with 明确的市场定位 via the autocomplete.
    row = page.locator("#case_factors-2")
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("明确")
    page.locator(".select2-results__option", has_text="明确的市场定位").click()
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("OpenAI与GPT-3")

    page.goto(site.url + "/cases/openai-gpt3/")
    expect(page.locator(".lead")).to_have_text("编辑在浏览器里改写的摘要。")
    expect(page.locator("#factors-heading + ul")).to_contain_text("明确的市场定位")
    expect(page.locator("#factors-heading + ul")).not_to_contain_text("开放的合作生态")

    page.goto(site.url + "/cases/?factor=clear-positioning")
    assert sorted(results(page)) == ["OpenAI与GPT-3", "创业公司X与AI图像识别"]
    assert facet_count(page, "factor", "open-collaboration") == "0"
    screenshot(page, "cases-after-edit-desktop")


def test_api_documentation_loads_within_the_csp(page, site):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(site.url + "/open-data/")
    page.get_by_role("link", name="API 文档（OpenAPI）").click()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Large-model startup knowledge base API")
    expect(page.locator(".swagger-ui .info .description")).to_contain_text("大模型创业知识库的只读 JSON API")
    expect(page.locator(".opblock-summary-path", has_text="/api/cases/").first).to_be_visible()
    assert not [text for text in problems if "Content Security Policy" in text], problems
    screenshot(page, "api-docs-desktop")
