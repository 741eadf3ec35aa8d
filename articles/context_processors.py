"""The header navigation, the same on every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = (
    ("articles:case-list", _("Case studies")),
    ("articles:challenge-list", _("Challenges")),
    ("articles:strategy-list", _("Strategies")),
    ("articles:factor-list", _("Success factors")),
    ("articles:concept-list", _("Concepts")),
    ("articles:timeline", _("Timeline")),
    ("articles:advantage-list", _("Advantages")),
    ("articles:trend-list", _("Trends")),
    ("articles:advice-list", _("Advice")),
    ("articles:resource-list", _("Resources")),
    ("articles:tag-list", _("Tags")),
    ("articles:faq-list", _("FAQ")),
)


def navigation(request):
    items = []
    for url_name, label in NAVIGATION:
        url = reverse(url_name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"navigation": items}
