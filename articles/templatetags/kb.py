"""Template helpers: links with a query string, search highlighting and excerpts, safe by construction."""

import re

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from articles.cards import outcome_badge, record_lang_attribute
from articles.facets import build_url
from articles.kinds import kind_of
from articles.links import url_for
from articles.rendering import citation_link, link_citations
from articles.tagging import tag_list as tag_list_html

register = template.Library()

MARKDOWN_NOISE = re.compile(r"(?m)^\s*(?:[-*+]|\d+\.)\s+|[#*_`>|\[\]]+")
EXCERPT_CHARS = 120


@register.simple_tag
def query_url(url_name, **params):
    """A page's URL with a query string: ``{% query_url "articles:case-list" factor=slug %}``.

    Every facet or search link of the site is built here (through ``build_url``),
    never typed as ``?factor=`` by hand. Empty values are left out.
    """
    return build_url(url_for(url_name), {name: [value] for name, value in params.items() if value})


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language: [{code, name, url, hreflang, current}]."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "hreflang": "zh-Hans" if code == "zh-hans" else code,
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def highlight(text, pattern):
    """Escape ``text`` and wrap every match of ``pattern`` in <mark>."""
    text = "" if text is None else str(text)
    if not pattern:
        return escape(text)
    parts = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


# A citation mark ("[3]", "[1][2]") says nothing out of its page and glues itself to the figure
# before it ("约1350亿美元11"); snippets leave it out.
CITATION_MARK = re.compile(r"\[\d{1,3}\]")


@register.filter
def excerpt(entry, pattern):
    """A plain-text excerpt of ``entry`` around the first match, or its summary.

    The editor's note is searched too, so a match there is shown rather than hidden.
    """
    texts = [
        CITATION_MARK.sub("", entry.summary),
        MARKDOWN_NOISE.sub("", CITATION_MARK.sub("", entry.body)),  # before "[" and "]" go as noise
        CITATION_MARK.sub("", entry.editor_note),
    ]
    if pattern:
        for text in texts:
            match = pattern.search(text)
            if match:
                start = max(0, match.start() - EXCERPT_CHARS // 3)
                snippet = " ".join(text[start : start + EXCERPT_CHARS].split())
                prefix = "…" if start else ""
                suffix = "…" if start + EXCERPT_CHARS < len(text) else ""
                return f"{prefix}{snippet}{suffix}"
    return Truncator(" ".join((entry.summary or texts[1]).split())).chars(EXCERPT_CHARS)


@register.simple_tag
def outcome(case):
    """A case's outcome as a badge, with its date (as case cards show it)."""
    return outcome_badge(case)


@register.simple_tag
def tag_list(record):
    """A record's tag links (its ``tags`` prefetched), as case cards show them."""
    return tag_list_html([(tag.slug, tag.name) for tag in record.tags.all()], record_lang_attribute())


@register.simple_tag
def cite(number):
    """A citation of the case's source ``number``, linked to the source list (nothing without a number)."""
    return citation_link(number)


@register.filter
def citations(text, case_url=""):
    """Escape plain ``text`` (line breaks kept) and link its citations "[n]" to the case's sources.

    On a page other than the case's own, give the case's URL: ``{{ text|citations:case.get_absolute_url }}``.
    """
    escaped = escape("" if text is None else str(text)).replace("\n", "<br>")
    return mark_safe(link_citations(escaped, escape(case_url)))  # noqa: S308 - escaped above


BIBTEX_SPECIAL = str.maketrans({c: "\\" + c for c in "{}\\%&$#_"})


def bibtex_escape(text):
    """Text safe inside a BibTeX field: braces, backslash and LaTeX specials escaped."""
    return str(text).translate(BIBTEX_SPECIAL)


@register.simple_tag(takes_context=True)
def cite_record(context, obj):
    """The stable address, plain-text citation and BibTeX entry of a record page."""
    request = context["request"]
    url = request.build_absolute_uri(obj.get_absolute_url())
    site = _("Large-model startup knowledge base")
    day = timezone.localdate(obj.updated)  # the date the page shows, in the site's time zone
    updated = day.isoformat()
    kind = kind_of(obj)
    text = _("%(site)s. “%(title)s”. %(kind)s. Last updated %(date)s. %(url)s") % {
        "site": site,
        "title": obj.title,
        "kind": capfirst(kind.model._meta.verbose_name)
        + (_(" (an invented example)") if getattr(obj, "is_illustrative", False) else ""),
        "date": updated,
        "url": url,
    }
    bibtex = "\n".join(
        [
            f"@misc{{kb-{kind.key}-{obj.slug},",
            f"  title = {{{bibtex_escape(obj.title)}}},",
            f"  author = {{{{{bibtex_escape(site)}}}}},",
            f"  year = {{{day.year}}},",
            f"  url = {{{url}}},",
            f"  note = {{{bibtex_escape(_('Last updated %(date)s') % {'date': updated})}}}",
            "}",
        ]
    )
    return {"url": url, "updated": updated, "text": text, "bibtex": bibtex}
