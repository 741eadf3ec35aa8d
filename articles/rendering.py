"""Markdown to safe HTML: the only place where content becomes markup.

Bodies are written in Markdown by editors. Python-Markdown does not sanitise,
so its output is cleaned by nh3 with an explicit allow-list of tags,
attributes and URL schemes. Only the result of :func:`render_markdown` is ever
marked safe in templates.
"""

import re

import markdown
import nh3
from django.utils.translation import gettext

from .markup import html as html_fragment

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# The page title is the only <h1>; a body's own headings start at <h2> (Markdown "##").


def render_markdown(text):
    """Render Markdown ``text`` and return sanitised HTML (a plain ``str``)."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# "[3]" in text (not in a tag or a link): a citation of the case's source number 3.
CITATION = re.compile(r"\[(\d{1,3})\](?![^<]*</a>)(?![^<>]*>)")


def citation_link(number, page=""):
    """A citation of source ``number`` (none for an empty number), as milestones and key figures show it."""
    if not number:
        return ""
    label = gettext("source %(number)s") % {"number": number}
    return html_fragment(
        '<sup><a href="{}#source-{}" aria-label="{}">[{}]</a></sup>', page, number, label, number
    )


def link_citations(html, page=""):
    """Turn the citations "[n]" of sanitised HTML into links to the numbered source list.

    ``page`` is the case's URL when the text is shown on another page (a challenge, a factor).
    """
    return CITATION.sub(rf'<sup><a href="{page}#source-\1">[\1]</a></sup>', html)
