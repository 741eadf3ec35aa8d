"""The header navigation, the same on every page, derived from the record kinds."""

from django.utils.translation import gettext as _

from .kinds import KINDS, navigation_items
from .links import url_for


def navigation(request):
    items = []
    for url_name, label in navigation_items():
        url = url_for(url_name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"navigation": items}


def feeds(request):
    """The Atom feeds a page links to (``<link rel="alternate">``): the whole site's, and the one
    that follows what the page shows (its kind, its tag or its challenge)."""
    found = [(_("New and changed in the knowledge base"), url_for("articles:feed"))]
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return {"feeds": found}
    if match.url_name == "tag-detail":
        found.append(
            (_("New and changed with this tag"), url_for("articles:tag-feed", slug=match.kwargs["slug"]))
        )
    elif match.url_name == "challenge-detail":
        found.append(
            (
                _("This challenge, its strategies and cases"),
                url_for("articles:challenge-feed", slug=match.kwargs["slug"]),
            )
        )
    for kind in KINDS:
        if match.url_name in (kind.list_url_name.split(":")[-1], kind.detail_url_name.split(":")[-1]):
            found.append((kind.label, url_for("articles:kind-feed", slug=kind.key)))
    return {"feeds": found}
