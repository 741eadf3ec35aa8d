"""The header navigation, the same on every page, derived from the record kinds."""

from django.urls import reverse

from .kinds import navigation_items


def navigation(request):
    items = []
    for url_name, label in navigation_items():
        url = reverse(url_name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"navigation": items}
