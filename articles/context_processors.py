"""The header navigation, the same on every page, derived from the record kinds."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .kinds import KINDS, navigation_items


def navigation(request):
    items = []
    for url_name, label in navigation_items():
        url = reverse(url_name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"navigation": items}


def feeds(request):
    """The Atom feeds a page links to (``<link rel="alternate">``): the whole site's, and the one
    that follows what the page shows (its kind, its tag or its challenge)."""
    found = [(_("New and changed in the knowledge base"), reverse("articles:feed"))]
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return {"feeds": found}
    if match.url_name == "tag-detail":
        found.append(
            (_("New and changed with this tag"), reverse("articles:tag-feed", args=[match.kwargs["slug"]]))
        )
    elif match.url_name == "challenge-detail":
        found.append(
            (
                _("This challenge, its strategies and cases"),
                reverse("articles:challenge-feed", args=[match.kwargs["slug"]]),
            )
        )
    for kind in KINDS:
        if match.url_name in (kind.list_url_name.split(":")[-1], kind.detail_url_name.split(":")[-1]):
            found.append((kind.label, reverse("articles:kind-feed", args=[kind.key])))
    return {"feeds": found}
