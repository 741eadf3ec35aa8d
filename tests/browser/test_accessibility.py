"""axe-core (bundled by axe-playwright-python, no network) on the main pages, plus screenshots."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "cases-filtered": "/cases/?factor=strong-team&tag=nlp",
    "cases-by-outcome": "/cases/?outcome=listed&outcome=operating&region=china",
    "case-detail": "/cases/openai-gpt3/",
    "case-invented": "/cases/company-x-image-recognition/",
    "timeline": "/timeline/",
    "challenge-detail": "/challenges/data-privacy-security/",
    "search": "/search/?q=隐私",
    "self-check": "/self-check/?check=1&region=china&layer=foundation&factor=strong-team"
    "&challenge=compute-demand",
    "self-check-errors": "/self-check/?check=1",
    "compare": "/compare/?c=openai-gpt3&c=baidu-paddle-ernie",
    "compare-with-tray": "/cases/?c=openai-gpt3&c=baidu-paddle-ernie",
    "insights": "/insights/",
    "open-data": "/open-data/",
    "case-timeline": "/insights/timeline/?outcome=operating",
    "not-found": "/no-such-page/",
    "report": "/report/?about=case/openai-gpt3",
    "report-thanks": "/report/thanks/",
    "record-history": "/history/case/openai-gpt3/",
    "recent-changes": "/changes/",
    "timeline-year": "/timeline/?year=2020",
    # English interface, Chinese content marked lang="zh-Hans" (charts included).
    "case-detail-en": "/en/cases/openai-gpt3/",
    "insights-en": "/en/insights/",
    "case-timeline-en": "/en/insights/timeline/",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violations_and_screenshots(page, site, name):
    axe = Axe()
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        response = page.goto(site.url + PAGES[name])
        assert response.status == (404 if name == "not-found" else 200)
        screenshot(page, f"{name}-{label}")
        results = axe.run(page)
        serious = [
            f"{violation['id']} ({violation['impact']}): "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{name} at {label}: {serious}"


def test_the_axe_harness_reports_violations(page, site):
    """Guard: the check above would fail on a page with a real problem."""
    page.set_content('<html lang="en"><body><main><img src="x.png"><a href="/"></a></main></body></html>')
    ids = {violation["id"] for violation in Axe().run(page).response["violations"]}
    assert {"image-alt", "link-name"} <= ids
